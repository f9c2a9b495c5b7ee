"""Hostile input to the web console's forms behind sign-in: each case one that a fuzz of
every route found answering 500 or keeping what it should not (docs/threat-model.md,
"Bad input"), now refused with a sentence in English and French, nothing changed."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import func, select

from hub import schema as h
from hub.app import create_app
from hub.clients import Role, enrol
from hub.site_hours import add_hours, add_moment
from hub.web.accounts import WebRole, add_user
from kiosk.hours import Span
from kiosk.model import BRUSSELS, Counter
from kiosk.pool import PoolMoment
from kiosk.typed import brussels_time
from tests.hub.test_web_console import (
    NOON,
    PASSWORDS,
    Clock,
    add_handoff,
    make_conflict,
    signed_in,
)
from tests.hub.test_web_hours import FORMS
from tests.site_fixtures import fill

# Sign-ins count, not their cost: scrypt at n=2**10 (tests/conftest.py).
pytestmark = pytest.mark.slow
UNREADABLE = "characters the console does not keep"
ONE_LINE = "must be one line of text, without a line break, a tab or a control character"
LINES = "must be text: lines, without a tab, a carriage return alone or a control character"
MOMENT = FORMS["/console/hours/moments/add"]


@pytest.fixture
def hub(sqlite_hub_db, export_and_entries):
    """A filled hub with an office and a chief account, hours on Mondays, a pooled
    moment, a conflict, a hand-off, two kiosks and the office's own client."""
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    add_user(db, "anna", WebRole.OFFICE, PASSWORDS["anna"], NOON)
    add_user(db, "chief", WebRole.CHIEF, PASSWORDS["chief"], NOON)
    add_hours(db, Span(Counter.GROUPS, time(8), time(12), weekday=0), "x", NOON)
    start = datetime(2026, 2, 15, 9, 30, tzinfo=BRUSSELS)
    photo = PoolMoment("DEFMIN-PHOTO", "DEFMIN", "Family photo", start, "Square", NOON, start)
    add_moment(db, photo, "x", NOON)
    make_conflict(db)
    add_handoff(db)
    for kiosk, role in (("G1", Role.COUNTER), ("OFFICE", Role.OFFICE)):
        enrol(db, kiosk, role)
    return db, create_app(db, Clock())


def state(db) -> dict[str, int]:
    """The change counter and the size of every table the console's forms write."""
    with db.reading() as s:
        sizes = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t))
            for t in (h.JournalRow, h.CounterHoursRow, h.PoolMomentRow, h.HandoffHandledRow)
        }
        revoked = s.scalar(select(func.count()).where(h.ClientRow.revoked_at.is_not(None)))
        settled = s.scalar(select(func.count()).where(h.ConflictRow.settled_at.is_not(None)))
        return sizes | {"revoked": revoked, "settled": settled}


@pytest.mark.parametrize("span", ["08:00+01:00-09:00+01:00", "0001-01-01", "13:00:30-14:00"])
def test_opening_hours_with_a_time_zone_or_seconds_are_refused(hub, span):
    # "08:00+01:00" read as a time with a zone, compared with the Monday span kept: a 500.
    db, app = hub
    office, csrf = signed_in(app, "anna")
    before = state(db)
    form = {"csrf": csrf, "counter": "groups", "span": span, "weekday": "mon"}
    r = office.post("/console/hours/add", data=form)
    assert r.status_code == 400 and "is not opening hours: type them as HH:MM" in r.text
    assert state(db) == before


@pytest.mark.parametrize(
    "field, value",
    [("starts", "0001-01-01T00:00"), ("opens", "0001-01-01"), ("closes", "9999-12-31T23:59-12:00")],
)
def test_a_pooled_moment_at_a_time_utc_cannot_hold_is_refused(hub, field, value):
    # Brussels midnight of 1 January of year 1 is in year 0 in UTC: OverflowError, a 500.
    db, app = hub
    office, csrf = signed_in(app, "anna")
    before = state(db)
    r = office.post("/console/hours/moments/add", data=MOMENT | {"csrf": csrf, field: value})
    assert r.status_code == 400 and "is not a date and time" in r.text
    assert state(db) == before
    with pytest.raises(ValueError, match="from 2000 to 2099"):
        brussels_time(value)


@pytest.mark.parametrize(
    "route, fields",
    [
        ("/console/handoffs/{handoff}/handled", {"note": "ok\x00ok"}),
        ("/console/conflicts/1/settle", {"outcome": "handled", "note": "done \u202egnp.exe"}),
        ("/console/hours/moments/add", MOMENT | {"place": "Atrium\x1b[2J"}),
        ("/console/hours/close", {"counter": "groups", "day": "2026-02-16", "reason": "a\x00"}),
        ("/console/accreditations/1/revoke", {"reason": "fraud\x7f"}),
    ],
)
def test_control_characters_in_a_form_are_refused_before_anything_is_kept(hub, route, fields):
    # A NUL was kept on SQLite (and sent to every kiosk) and was a 500 on PostgreSQL.
    db, app = hub
    office, csrf = signed_in(app, "anna")
    with db.reading() as s:
        handoff = s.scalar(select(h.JournalRow.id).where(h.JournalRow.action == "handoff"))
    before = state(db)
    r = office.post(route.format(handoff=handoff), data=fields | {"csrf": csrf})
    assert r.status_code == 400 and UNREADABLE in r.text
    assert state(db) == before


def test_text_that_is_not_utf8_is_refused_and_line_breaks_are_kept(hub):
    db, app = hub
    office, csrf = signed_in(app, "anna")
    before = state(db)
    body = f"csrf={csrf}&outcome=handled&note=caf%E9"  # Latin-1 é, not UTF-8
    kind = {"content-type": "application/x-www-form-urlencoded"}
    r = office.post("/console/conflicts/1/settle", content=body, headers=kind)
    assert r.status_code == 400 and UNREADABLE in r.text
    assert state(db) == before
    office.cookies.set("hub_console_lang", "fr", path="/console")
    r = office.post("/console/conflicts/1/settle", content=body, headers=kind)
    assert r.status_code == 400 and "caractères que la console ne garde pas" in r.text
    note = "Called the kiosk.\r\nBadge taken back."
    form = {"csrf": csrf, "outcome": "handled", "note": note}
    r = office.post("/console/conflicts/1/settle", data=form, follow_redirects=False)
    assert r.status_code == 303
    with db.reading() as s:  # a line break as the console keeps every other: \n
        assert s.get(h.ConflictRow, 1).settle_note == "Called the kiosk.\nBadge taken back."


@pytest.mark.parametrize(
    "route, fields, said",
    [
        (
            "/console/hours/close",
            FORMS["/console/hours/close"] | {"reason": "Public\nholiday"},
            ONE_LINE,
        ),
        (
            "/console/hours/close",
            FORMS["/console/hours/close"] | {"reason_fr": "Jour\tférié"},
            ONE_LINE,
        ),
        ("/console/hours/add", FORMS["/console/hours/add"] | {"event": "DEF\r\nMIN"}, ONE_LINE),
        ("/console/hours/moments/add", MOMENT | {"name": "Family\nphoto"}, ONE_LINE),
        ("/console/hours/moments/add", MOMENT | {"place": "Atrium\r"}, ONE_LINE),
        ("/console/hours/moments/add", MOMENT | {"moment": "DEFMIN\tTOUR"}, ONE_LINE),
        ("/console/hours/moments/add", MOMENT | {"place_fr": "Atrium\n"}, ONE_LINE),
        ("/console/kiosks/G1/revoke", {"reason": "lost\non the shuttle"}, ONE_LINE),
        ("/console/conflicts/1/settle", {"outcome": "handled", "note": "a\tb"}, LINES),
        ("/console/handoffs/{handoff}/handled", {"note": "Called.\rFixed."}, LINES),
        ("/console/accreditations/1/revoke", {"reason": "fraud\tfound"}, LINES),
        ("/console/accreditations/1/revoke", {"reason": "fraud", "reason_fr": "a\rb"}, LINES),
    ],
)
def test_a_line_break_or_a_tab_where_a_form_takes_one_line_is_refused(hub, route, fields, said):
    # A hand-made post kept a closure's reason "Public\nholiday" (every counter and
    # `kiosk-hub hours list` printed it over two lines) and a kiosk's revocation reason
    # that `clients list` prints in a row; the command line refuses both (hub/arguments.py).
    # A note or an accreditation's reason may run over lines, without a tab or a lone \r.
    db, app = hub
    user = "chief" if "/kiosks/" in route else "anna"
    browser, csrf = signed_in(app, user)
    with db.reading() as s:
        handoff = s.scalar(select(h.JournalRow.id).where(h.JournalRow.action == "handoff"))
    before = state(db)
    r = browser.post(route.format(handoff=handoff), data=fields | {"csrf": csrf})
    assert r.status_code == 400 and said in r.text.replace("&#39;", "'"), r.text
    assert state(db) == before


def test_a_refused_line_break_is_said_in_french_too(hub):
    db, app = hub
    office, csrf = signed_in(app, "anna")
    office.cookies.set("hub_console_lang", "fr", path="/console")
    before = state(db)
    form = FORMS["/console/hours/close"] | {"reason": "Jour\nférié", "csrf": csrf}
    r = office.post("/console/hours/close", data=form)
    assert r.status_code == 400
    assert "doit tenir sur une ligne, sans saut de ligne, tabulation" in r.text
    assert state(db) == before


@pytest.mark.parametrize(
    "url",
    [
        "/console/accreditations?q=a%00b",
        "/console/today/%00.csv",
        "/console/hours?done=%1b",
        "/console/accreditations/1?q=%E2%80%AE",
    ],
)
def test_control_characters_in_an_address_are_refused(hub, url):
    # On PostgreSQL the search and the CSV key with a NUL reached the database: a 500.
    _, app = hub
    chief, _ = signed_in(app, "chief")
    r = chief.get(url)
    assert r.status_code == 400 and UNREADABLE in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_csv_of_a_year_no_database_holds_is_not_found(hub):
    # "annual-" and 20 digits: an int past 64 bits bound to the query, a 500.
    _, app = hub
    chief, _ = signed_in(app, "chief")
    assert chief.get("/console/today/annual-99999999999999999999.csv").status_code == 404
    assert chief.get("/console/today/annual-٢٠٢٦.csv").status_code == 404  # Arabic digits
    assert chief.get("/console/today/annual-2026.csv").status_code == 200


def test_kiosk_revocation_refusals_are_sentences_in_both_languages(hub):
    # They were the CLI's English ("there is no client NOPE (kiosk-hub clients list)").
    db, app = hub
    chief, csrf = signed_in(app, "chief")
    before = state(db)
    for kiosk, reason, en in (
        ("G1", "  ", "Say why the kiosk is revoked (at most 500 characters), or tick stolen."),
        ("G1", "x" * 501, "Say why the kiosk is revoked (at most 500 characters)"),
        ("NOPE", "lost", "There is no kiosk or post &#39;NOPE&#39;."),
    ):
        r = chief.post(f"/console/kiosks/{kiosk}/revoke", data={"csrf": csrf, "reason": reason})
        assert r.status_code == 400 and en in r.text, r.text
    chief.cookies.set("hub_console_lang", "fr", path="/console")
    r = chief.post("/console/kiosks/NOPE/revoke", data={"csrf": csrf, "reason": "lost"})
    assert "Il n&#39;y a pas de guichet ou de poste &#39;NOPE&#39;." in r.text
    assert "kiosk-hub" not in r.text
    assert state(db) == before


def test_the_chief_revokes_kiosks_but_not_the_office_client(hub):
    # The office's own client (the platform's imports), which the Kiosks page never
    # lists, was revoked by a form posted to /console/kiosks/OFFICE/revoke.
    db, app = hub
    chief, csrf = signed_in(app, "chief")
    before = state(db)
    r = chief.post("/console/kiosks/OFFICE/revoke", data={"csrf": csrf, "reason": "lost"})
    assert r.status_code == 400 and "There is no kiosk or post &#39;OFFICE&#39;." in r.text
    assert state(db) == before
    r = chief.post(
        "/console/kiosks/G1/revoke",
        data={"csrf": csrf, "reason": " ", "stolen": "yes", "confirm": "yes"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = chief.post("/console/kiosks/G1/revoke", data={"csrf": csrf, "reason": "lost"})
    assert r.status_code == 400 and "G1 is revoked already." in r.text
    with db.reading() as s:
        assert s.get(h.ClientRow, "G1").revoked_reason == "stolen"
        assert s.get(h.ClientRow, "OFFICE").revoked_at is None


def test_a_note_as_long_as_the_box_takes_is_taken_and_a_refused_one_comes_back(hub):
    # A browser sends each line break as \r\n: 1,999 characters typed in a box of 2,000
    # arrived as 2,008 and were refused, and the page came back with every box empty.
    db, app = hub
    office, csrf = signed_in(app, "anna")
    lines = "\r\n".join(["x" * 199] * 10)  # 1,999 characters in the box
    form = {"csrf": csrf, "outcome": "handled", "note": lines}
    r = office.post("/console/conflicts/1/settle", data=form, follow_redirects=False)
    assert r.status_code == 303
    with db.reading() as s:
        assert len(s.get(h.ConflictRow, 1).settle_note) == 1_999
    too_long = {"csrf": csrf, "reason": "y" * 2_001, "reason_fr": "motif <gardé>"}
    r = office.post("/console/accreditations/1/revoke", data=too_long)
    assert r.status_code == 400
    assert "motif &lt;gardé&gt;</textarea>" in r.text and "y" * 2_001 in r.text


def test_done_is_said_only_after_this_sessions_own_change(hub):
    # Any link could make a page say "Revoked: …" of an accreditation still approved.
    _db, app = hub
    office, csrf = signed_in(app, "anna")
    forged = office.get("/console/accreditations/1?done=revoked")
    assert forged.status_code == 200 and 'class="done"' not in forged.text
    form = {"csrf": csrf, "outcome": "handled", "note": "Called the kiosk."}
    r = office.post("/console/conflicts/1/settle", data=form, follow_redirects=False)
    assert r.status_code == 303 and "&proof=" in r.headers["location"]
    assert 'class="done"' in office.get(r.headers["location"]).text  # its own change
    chief, _ = signed_in(app, "chief")
    assert 'class="done"' not in chief.get(r.headers["location"]).text  # a link passed on


def test_a_conflict_about_no_accreditation_links_to_none(hub):
    # A kiosk's key held pending (accreditation 0) linked to /accreditations/0: a 404.
    db, app = hub
    with db.writing() as s:
        s.get(h.ConflictRow, 1).accreditation_id = 0
    office, _ = signed_in(app, "anna")
    page = office.get("/console/conflicts").text
    assert "/console/accreditations/0" not in page and "A0000000" not in page
