"""The web console's Hours page: counter hours, closures and pooled moments as the
counters enforce them, changed by the office with the checks of `kiosk-hub hours|pool`,
journalled as the web user (docs/web-console.md, docs/site-hours.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from hub import schema as h
from hub.app import create_app
from hub.site_hours import add_hours, add_moment, close_day, closures, moments, spans
from hub.web.accounts import WebRole, add_user
from hub.web.hours_view import DAYS, hours_page
from kiosk.hours import Span
from kiosk.model import BRUSSELS, Counter
from kiosk.pool import PoolMoment
from tests.hub.test_web_console import NOON, PASSWORDS, Clock, signed_in
from tests.site_fixtures import DEMO_DAY, DEMO_NOON, fill

# Sign-ins count, not their cost: scrypt at n=2**10 (tests/conftest.py).
pytestmark = pytest.mark.slow
SAT, SUN, MON = date(2026, 2, 14), date(2026, 2, 15), date(2026, 2, 16)
FORMS = {
    "/console/hours/add": {"counter": "visitors", "span": "08:00-12:00", "weekday": "mon"},
    "/console/hours/remove": {"counter": "groups", "number": "1"},
    "/console/hours/close": {
        "counter": "visitors",
        "day": "2026-02-16",
        "reason": "Holiday",
        "reason_fr": "Jour férié",
    },
    "/console/hours/reopen": {"counter": "groups", "day": "2026-02-15"},
    "/console/hours/moments/add": {
        "moment": "DEFMIN-TOUR",
        "event": "DEFMIN",
        "name": "Tour",
        "name_fr": "Visite",
        "starts": "2026-02-15T11:00",
        "place": "Atrium",
        "place_fr": "Atrium (rez-de-chaussée)",
        "opens": "2026-02-14T09:00",
        "closes": "2026-02-14T17:00",
    },
    "/console/hours/moments/remove": {"moment": "DEFMIN-PHOTO"},
}


@pytest.fixture
def hub(sqlite_hub_db, export_and_entries):
    """A filled hub with an office and a chief account, some hours, a closure and a
    pooled moment already set."""
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    add_user(db, "anna", WebRole.OFFICE, PASSWORDS["anna"], NOON)
    add_user(db, "chief", WebRole.CHIEF, PASSWORDS["chief"], NOON)
    at = NOON
    add_hours(db, Span(Counter.GROUPS, time(7, 30), time(18), day=SAT, event_id="DEFMIN"), "x", at)
    add_hours(db, Span(Counter.VISITORS, time(8), time(17), weekday=SAT.weekday()), "x", at)
    close_day(db, Counter.GROUPS, SUN, "Security alert", "x", at, "Alerte de sécurité")
    start = datetime(2026, 2, 15, 9, 30, tzinfo=BRUSSELS)
    photo = PoolMoment("DEFMIN-PHOTO", "DEFMIN", "Family photo", start, "Public Square", at, start)
    photo = replace(photo, name_fr="Photo de famille", handout_place_fr="Place publique")
    add_moment(db, photo, "x", at)
    return db


@pytest.fixture
def app(hub):
    return create_app(hub, Clock())


def state(db) -> tuple:
    """Everything the Hours page can change, and the hub journal's length."""
    with db.reading() as s:
        journalled = s.scalar(select(func.count()).select_from(h.JournalRow))
    return spans(db), closures(db), moments(db), journalled


def web_journal(db, actor: str) -> list[tuple[str, dict]]:
    with db.reading() as s:
        rows = s.execute(
            select(h.JournalRow.action, h.JournalRow.details)
            .where(h.JournalRow.kiosk_id == "hub", h.JournalRow.actor == actor)
            .order_by(h.JournalRow.id)
        )
        return [tuple(r) for r in rows]


def cell_texts(page) -> dict[tuple[date, str], tuple]:
    """The page's grid as (day, column) -> (spans, closed, configured)."""
    names = [c.event_id or c.counter.value for c in page.columns]
    return {
        (day, name): (cell.spans, cell.closed, cell.configured)
        for day, cells in page.days
        for name, cell in zip(names, cells, strict=True)
    }


def test_the_page_shows_each_counters_week_as_the_counters_enforce_it(hub, app):
    page = hours_page(hub, NOON)
    assert [d for d, _ in page.days] == [SAT + timedelta(days=n) for n in range(DAYS)]
    grid = cell_texts(page)
    open_8_17 = ((time(8), time(17)),)
    assert grid[(SAT, "visitors")] == (open_8_17, "", True)
    assert grid[(SUN, "visitors")] == ((), "", True)  # no span that weekday: closed
    assert grid[(SAT + timedelta(days=7), "visitors")] == (open_8_17, "", True)
    # Groups keeps only DEFMIN's hours: its own badges are held to none that day...
    assert grid[(SAT, "groups")] == ((), "", True)
    assert grid[(SAT, "DEFMIN")] == (((time(7, 30), time(18)),), "", True)
    # ...and the alert closure closes the counter for every badge.
    assert grid[(SUN, "DEFMIN")] == ((), "Security alert", True)
    c, _ = signed_in(app, "chief")
    html = c.get("/console/hours").text
    for shown in (
        "Sat 14.02.2026",
        "Groups, badges of DEFMIN",
        "07:30–18:00",
        "Closed: Security alert",
        "closed (no hours that day)",
        "Family photo",
        "Public Square, 14.02.2026 10:00 – 15.02.2026 09:30",
    ):
        assert shown in html, shown
    c.cookies.set("hub_console_lang", "fr", path="/console")
    html = c.get("/console/hours").text
    assert "sam. 14.02.2026" in html and "Fermé : Alerte de sécurité" in html
    assert "Photo de famille" in html and "Place publique, 14.02.2026 10:00" in html
    assert "Security alert" not in html and "Family photo" not in html
    assert "Réunion des ministres de la Défense" in html  # DEFMIN's column and choices
    assert "Meeting of NATO Ministers of Defence" not in html
    assert "Groupes, badges de DEFMIN" in html and "chaque sam" in html


def test_a_counter_without_hours_is_held_to_none_until_the_hub_sets_some(sqlite_hub_db):
    page = hours_page(sqlite_hub_db, NOON)
    assert {cell[1:] for cell in cell_texts(page).values()} == {("", False)}
    add_user(sqlite_hub_db, "chief", WebRole.CHIEF, PASSWORDS["chief"], NOON)
    c, _ = signed_in(create_app(sqlite_hub_db, Clock()), "chief")
    assert "no hours on file: not held to any" in c.get("/console/hours").text


def test_the_office_uses_every_form_and_each_change_is_journalled_as_its_web_user(hub, app):
    db = hub
    office, csrf = signed_in(app, "anna")
    page = office.get("/console/hours").text
    for form in FORMS:
        assert f'action="{form}"' in page, form
    done = {}
    for path, data in FORMS.items():
        r = office.post(path, data=data | {"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303, (path, r.text[:500])
        done[path] = office.get(r.headers["location"]).text
    assert "Opening hours added: every counter takes them" in done["/console/hours/add"]
    assert "Pooled moment removed" in done["/console/hours/moments/remove"]
    assert [(s.counter, s.weekday, s.opens) for s in spans(db)] == [
        (Counter.VISITORS, MON.weekday(), time(8)),
        (Counter.VISITORS, SAT.weekday(), time(8)),
    ]
    assert closures(db) == [(Counter.VISITORS, MON, "Holiday", "Jour férié")]
    assert [(m.id, m.handout_place) for m in moments(db)] == [("DEFMIN-TOUR", "Atrium")]
    assert (moments(db)[0].name_fr, moments(db)[0].handout_place_fr) == (
        "Visite",
        "Atrium (rez-de-chaussée)",
    )
    assert moments(db)[0].starts_at == datetime(2026, 2, 15, 11, tzinfo=BRUSSELS)
    actions = [a for a, _ in web_journal(db, "web:anna") if not a.startswith("web_")]
    assert actions == [
        "hours_add",
        "hours_remove",
        "hours_close",
        "hours_reopen",
        "pool_moment",
        "pool_moment_remove",
    ]


def test_the_chief_sees_the_page_without_forms_and_may_not_change_it(hub, app):
    db = hub
    before = state(db)
    chief, csrf = signed_in(app, "chief")
    page = chief.get("/console/hours").text
    assert "Family photo" in page and "Security alert" in page
    assert "/console/hours/" not in page  # no form posts anywhere on the page
    for path, data in FORMS.items():
        r = chief.post(path, data=data | {"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 403 and "role" in r.text, path
    assert state(db)[:3] == before[:3]


def test_every_form_refuses_a_post_without_the_sessions_csrf_token(hub, app):
    db = hub
    before = state(db)
    office, csrf = signed_in(app, "anna")
    for path, data in FORMS.items():
        for wrong in ({}, {"csrf": "not the token"}, {"csrf": csrf[:-1]}):
            r = office.post(path, data=data | wrong, follow_redirects=False)
            assert r.status_code == 403 and "reload the page" in r.text, (path, wrong)
    assert state(db)[:3] == before[:3]
    anonymous = TestClient(app, base_url="http://127.0.0.1")
    for path, data in FORMS.items():
        r = anonymous.post(path, data=data | {"csrf": csrf}, follow_redirects=False)
        assert r.headers["location"] == "/console/sign-in", path
    assert state(db)[:3] == before[:3]


MOMENT = FORMS["/console/hours/moments/add"]
REFUSED = [
    ("/console/hours/add", {"counter": "visitors", "span": "17:00-08:00", "weekday": "mon"},
     "are inverted", "est inversé"),
    ("/console/hours/add", {"counter": "visitors", "span": "16:00-18:00", "weekday": "sat"},
     "overlaps the Visitors counter's hours 08:00–17:00", "chevauche l'horaire"),
    ("/console/hours/add", {"counter": "visitors", "span": "8-9", "weekday": "mon"},
     "is not opening hours", "n'est pas un horaire"),
    ("/console/hours/add", {"counter": "visitors", "span": "08:00-09:00"},
     "for a weekday or for one date", "pour un jour de la semaine ou pour une date"),
    ("/console/hours/add",
     {"counter": "visitors", "span": "08:00-09:00", "weekday": "mon", "day": "2026-02-16"},
     "not both or neither", "pas les deux ni aucun"),
    ("/console/hours/add", {"counter": "visitors", "span": "08:00-09:00", "day": "16.02.2026"},
     "is not a date", "n'est pas une date"),
    ("/console/hours/add", {"counter": "visitors", "span": "08:00-09:00", "weekday": "funday"},
     "A weekday is mon to sun", "va de lun à dim"),
    ("/console/hours/add",
     {"counter": "visitors", "span": "08:00-09:00", "weekday": "mon", "event": "DEFMIN"},
     "Only the Groups counter has hours per event", "Seul le guichet Groupes"),
    ("/console/hours/add",
     {"counter": "groups", "span": "08:00-09:00", "weekday": "mon", "event": "NOPE"},
     "There is no event 'NOPE' on the hub", "Il n'y a pas d'événement 'NOPE' sur le hub"),
    ("/console/hours/add", {"counter": "kitchen", "span": "08:00-09:00", "weekday": "mon"},
     "Choose a counter", "Choisir un guichet"),
    ("/console/hours/remove", {"counter": "visitors", "number": "1"},
     "has no opening hours numbered 1", "n'a pas d'horaire numéro 1"),
    ("/console/hours/remove", {"counter": "groups", "number": "9" * 40},
     "Choose the opening hours to remove", "Choisir l'horaire à supprimer"),
    ("/console/hours/close", {"counter": "groups", "day": "2026-02-16", "reason": "  "},
     "A closure needs a reason", "Une fermeture exige un motif"),
    ("/console/hours/close", {"counter": "groups", "day": "2026-02-15", "reason": "Again"},
     "already closed on 15.02.2026 (Security alert)", "déjà fermé le 15.02.2026"),
    ("/console/hours/close", {"counter": "groups", "reason": "Holiday"},
     "Give the date", "Indiquer la date"),
    ("/console/hours/reopen", {"counter": "visitors", "day": "2026-02-15"},
     "is not closed on 15.02.2026", "n'est pas fermé le 15.02.2026"),
    ("/console/hours/moments/add", MOMENT | {"closes": "2026-02-14T08:00"},
     "must open before it closes", "doit ouvrir avant de fermer"),
    ("/console/hours/moments/add", MOMENT | {"starts": "tomorrow"},
     "is not a date and time", "n'est pas une date et une heure"),
    ("/console/hours/moments/add", MOMENT | {"event": "NOPE"},
     "There is no event 'NOPE'", "Il n'y a pas d'événement 'NOPE'"),
    ("/console/hours/moments/add", MOMENT | {"place": " "},
     "needs an id, a name and the place", "a besoin d'un identifiant"),
    ("/console/hours/close", {"counter": "groups", "day": "2026-02-16", "reason": "Holiday",
      "reason_fr": "x" * 201}, "The French reason has 201 characters: at most 200",
     "Le motif en français a 201 caractères"),
    ("/console/hours/moments/add", MOMENT | {"name_fr": "n" * 201},
     "The French name has 201 characters", "Le nom en français a 201 caractères"),
    ("/console/hours/moments/add", MOMENT | {"place_fr": "p" * 201},
     "The French hand-out place has 201 characters",
     "Le lieu de remise en français a 201 caractères"),
    ("/console/hours/moments/remove", {"moment": "NOPE"},
     "There is no pooled moment 'NOPE'", "Il n'y a pas de moment en pool 'NOPE'"),
    ("/console/hours/close", {"counter": "groups", "day": "2025-02-16", "reason": "Holiday"},
     "16.02.2025 is already past (today is 14.02.2026)",
     "Le 16.02.2025 est déjà passé (nous sommes le 14.02.2026)"),
    ("/console/hours/add", {"counter": "visitors", "span": "08:00-09:00", "day": "2025-02-16"},
     "16.02.2025 is already past (today is 14.02.2026)", "Vérifier l'année"),
    ("/console/hours/add", {"counter": "visitors", "span": "06:00-07:00", "day": "2026-02-14"},
     "06:00–07:00 today (14.02.2026) are already over (it is 10:00)",
     "est déjà passé (il est 10:00)"),
    ("/console/hours/moments/add",
     MOMENT | {"opens": "2025-02-14T09:00", "closes": "2025-02-14T17:00"},
     "closes on 14.02.2025 17:00, already past (today is 14.02.2026, 10:00)",
     "ferme le 14.02.2025 17:00, déjà passé"),
]  # fmt: skip


def shown(text: str) -> str:
    """`text` as the page's HTML writes it (escaped)."""
    return text.replace("'", "&#39;")


def test_a_refused_change_is_a_sentence_in_both_languages_and_changes_nothing(hub, app):
    db = hub
    office, csrf = signed_in(app, "anna")
    before = state(db)  # after the sign-in, which is journalled
    for path, data, en, _fr in REFUSED:
        r = office.post(path, data=data | {"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 400 and shown(en) in r.text, (path, data, r.text[-800:])
        assert "Error" not in r.text and "Traceback" not in r.text
    office.cookies.set("hub_console_lang", "fr", path="/console")
    for path, data, _en, fr in REFUSED:
        r = office.post(path, data=data | {"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 400 and shown(fr) in r.text, (path, data)
    assert state(db) == before


@pytest.mark.parametrize("hub_db", ["sqlite", "postgresql"], indirect=True)
def test_a_closure_made_in_the_console_reaches_a_counter_after_one_sync(site):
    g1 = site.kiosk("G1")
    entry = site.entry("approved_ministerial")
    assert next(c for c in g1.check(entry).checks if c.name == "hours").ok
    add_user(site.db, "anna", WebRole.OFFICE, PASSWORDS["anna"], NOON)
    clock = lambda: DEMO_NOON  # noqa: E731
    office, csrf = signed_in(create_app(site.db, clock), "anna")
    add = {"counter": "groups", "span": "09:00-12:00", "day": DEMO_DAY.isoformat(), "csrf": csrf}
    close = {"counter": "groups", "day": DEMO_DAY.isoformat(), "reason": "Security alert"}
    for path, data in (("/console/hours/add", add), ("/console/hours/close", close)):
        assert office.post(path, data=data | {"csrf": csrf}).status_code == 200
    assert "Closed: Security alert" in office.get("/console/hours").text
    g1.sync()
    check = next(c for c in g1.check(entry).checks if c.name == "hours")
    assert not check.ok and "Closed today: Security alert." in check.reason_en
    # The page's grid is what this counter computes from what it received, day by day.
    page = hours_page(site.db, DEMO_NOON)
    for day, cells in page.days:
        for column, cell in zip(page.columns, cells, strict=True):
            assert g1.kiosk.hours.day(column.counter, day, column.event_ids) == cell, (day, column)


def test_a_refused_form_comes_back_with_what_was_typed_escaped(hub, app):
    office, csrf = signed_in(app, "anna")
    typed = MOMENT | {"name": '"><b>Tour</b>', "closes": "2026-02-14T08:00", "csrf": csrf}
    page = office.post("/console/hours/moments/add", data=typed).text
    assert 'value="&#34;&gt;&lt;b&gt;Tour&lt;/b&gt;"' in page and "<b>Tour" not in page
    assert 'value="2026-02-14T08:00"' in page and 'value="Atrium"' in page
    assert '<option value="DEFMIN" selected>' in page
    assert 'name="reason" required maxlength="200" size="30" value=""' in page  # not another's
    span = {"counter": "groups", "span": "19:00-07:00", "weekday": "tue", "csrf": csrf}
    page = office.post("/console/hours/add", data=span).text
    assert 'value="19:00-07:00"' in page and '<option value="tue" selected>' in page
    assert '<option value="groups" selected>' in page and 'value="Atrium"' not in page
