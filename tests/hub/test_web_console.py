"""The web console at the hub, server side: sign-in, sessions, CSRF, roles, every route's
permissions, and what its actions change (docs/web-console.md)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from urllib.parse import unquote, urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import schema as h
from hub.app import create_app
from hub.clients import Role, enrol
from hub.database import allocate
from hub.settle import HANDLED, REINSTATED, REVOCATION_CONFIRMED, SettleRefused, settle
from hub.web import accounts
from hub.web.accounts import (
    SIGN_IN_REFUSED,
    AccountError,
    Strangers,
    Tries,
    WebRole,
    add_user,
)
from hub.web.event_csv import event_csv
from hub.web.site_today import SiteFigures, site_today
from kiosk.model import BRUSSELS
from kiosk.staff import FREE_TRIES
from tests.site_fixtures import fill

# Sign-ins count, not their cost: scrypt at n=2**10 (tests/conftest.py).
pytestmark = pytest.mark.slow
NOON = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)
PASSWORDS = {"anna": "office password 1", "chief": "chief password 1"}
CONFIRM = {"confirm": "yes"}  # what the confirmation page posts back
GET_PAGES = [
    "/console/today",
    "/console/today/annual-2026.csv",
    "/console/kiosks",
    "/console/conflicts",
    "/console/handoffs",
    "/console/hours",
    "/console/accreditations?q=a",
    "/console/accreditations/1",
    "/console/accreditations/1/letter.pdf",
]
POSTS = [
    "/console/sign-out",
    "/console/kiosks/G1/revoke",
    "/console/conflicts/1/settle",
    "/console/handoffs/1/handled",
    "/console/accreditations/1/revoke",
    "/console/hours/add",
    "/console/hours/moments/remove",
]


class Clock:
    """The hub's clock in these tests: moved by hand."""

    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def hub(sqlite_hub_db, export_and_entries):
    fill(sqlite_hub_db, export_and_entries[0])
    add_user(sqlite_hub_db, "anna", WebRole.OFFICE, PASSWORDS["anna"], NOON)
    add_user(sqlite_hub_db, "chief", WebRole.CHIEF, PASSWORDS["chief"], NOON)
    clock = Clock()
    return sqlite_hub_db, clock, create_app(sqlite_hub_db, clock)


def browser(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(app, name: str) -> tuple[TestClient, str]:
    """A browser signed in as `name`, and its session's CSRF token."""
    c = browser(app)
    pre = csrf_of(c.get("/console/sign-in").text)
    r = c.post(
        "/console/sign-in",
        data={"csrf": pre, "name": name, "password": PASSWORDS[name]},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/today", r.text
    return c, csrf_of(c.get("/console/today").text)


def make_conflict(db, kind: str = "revoked_while_offline", status: str = "revoked") -> int:
    """A conflict about a badge of accreditation 1, as hub/receive.py records one."""
    with db.writing() as s:
        s.add(
            h.BadgeRow(
                serial="G1-000001",
                accreditation_id=1,
                counter="groups",
                kiosk_id="G1",
                clerk="clerk",
                supervisor=None,
                reason="",
                issued_at=NOON,
                valid_from=NOON.date(),
                valid_until=NOON.date(),
                status=status,
                superseded_by=None,
                seq=allocate(s),
            )
        )
        row = h.ConflictRow(
            kind=kind,
            accreditation_id=1,
            badge_serial="G1-000001",
            kiosk_id="G1",
            detected_at=NOON,
            message_en="Badge G1-000001 ...",
            message_fr="Le badge G1-000001 ...",
            details={},
            seq=allocate(s),
        )
        s.add(row)
        s.flush()
        return row.id


def hub_journal(db) -> list[h.JournalRow]:
    with db.reading() as s:
        return list(
            s.scalars(
                select(h.JournalRow).where(h.JournalRow.kiosk_id == "hub").order_by(h.JournalRow.id)
            )
        )


def test_no_page_and_no_action_without_signing_in(hub):
    _, _, app = hub
    c = browser(app)
    for path in GET_PAGES:
        r = c.get(path, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/console/sign-in"), path
    for path in POSTS:
        r = c.post(path, data={"csrf": "x", "reason": "r", "note": "n"}, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/console/sign-in"), path
    # A cookie that names no session opens nothing either.
    c.cookies.set("hub_console", "forged", path="/console")
    assert c.get("/console/today", follow_redirects=False).status_code == 303


def test_every_page_opens_for_both_roles_with_security_headers(hub):
    _, _, app = hub
    for name in ("anna", "chief"):
        c, _ = signed_in(app, name)
        for path in GET_PAGES:
            r = c.get(path, follow_redirects=False)
            if path.endswith("letter.pdf") and name == "chief":
                assert r.status_code == 403 and "role" in r.text
                continue
            assert r.status_code == 200, (name, path, r.text[:300])
            assert "default-src 'none'" in r.headers["content-security-policy"]
            assert r.headers["x-frame-options"] == "DENY"
    r = signed_in(app, "anna")[0].get("/console/accreditations/1/letter.pdf")
    assert r.content.startswith(b"%PDF")


def test_every_console_answer_has_the_security_headers_and_the_api_none(hub):
    """Refusals, redirects and missing pages of the console carry them too (they come
    from exception handlers, inside the guard); the kiosks' API is left as it answers."""
    _, _, app = hub
    stranger = TestClient(app)
    chief, _ = signed_in(app, "chief")
    answers = {
        "sign-in first": stranger.get("/console/today", follow_redirects=False),
        "no such page": chief.get("/console/nowhere"),
        "not the role": chief.get("/console/accreditations/1/letter.pdf"),
        "sign-in page": stranger.get("/console/sign-in"),
    }
    assert [r.status_code for r in answers.values()] == [303, 404, 403, 200]
    for what, r in answers.items():
        assert r.headers["x-frame-options"] == "DENY", what
        assert r.headers["cache-control"] == "no-store", what
    health = stranger.get("/v1/health")
    assert health.status_code == 200 and "x-frame-options" not in health.headers


def test_a_confirmation_letter_is_printed_only_for_an_approved_accreditation(hub):
    # The console printed "Media accreditation confirmed" for a pending application.
    db, _, app = hub
    office, _ = signed_in(app, "anna")
    with db.reading() as s:
        for status in ("pending", "denied", "revoked"):
            acc = s.scalars(select(h.AccreditationRow).where(h.AccreditationRow.status == status))
            acc_id = acc.first().id
            page = office.get(f"/console/accreditations/{acc_id}").text
            assert "letter.pdf" not in page, status
            r = office.get(f"/console/accreditations/{acc_id}/letter.pdf")
            assert r.status_code == 409 and not r.content.startswith(b"%PDF"), status
            assert "a confirmation letter is only printed for an approved" in r.text
    office.cookies.set("hub_console_lang", "fr", path="/console")
    r = office.get(f"/console/accreditations/{acc_id}/letter.pdf")
    assert f"A{acc_id:07d} est révoquée : une lettre de confirmation" in r.text
    assert "letter.pdf" in office.get("/console/accreditations/1").text  # approved


def test_the_session_cookie_is_http_only_strict_and_secure_over_https(hub):
    _, _, app = hub
    c = TestClient(app, base_url="https://127.0.0.1")
    pre = csrf_of(c.get("/console/sign-in").text)
    r = c.post(
        "/console/sign-in",
        data={"csrf": pre, "name": "anna", "password": PASSWORDS["anna"]},
        follow_redirects=False,
    )
    cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("hub_console="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    assert "Path=/console" in cookie


def test_sign_in_needs_its_own_csrf_token_and_the_right_password(hub):
    _db, _clock, app = hub
    c = browser(app)
    r = c.post("/console/sign-in", data={"name": "anna", "password": PASSWORDS["anna"]})
    assert r.status_code == 403 and "reload the page" in r.text
    pre = csrf_of(c.get("/console/sign-in").text)
    for name in ("anna", "nobody"):
        r = c.post("/console/sign-in", data={"csrf": pre, "name": name, "password": "wrong one!"})
        assert r.status_code == 401 and "Name or password not recognised" in r.text
        assert "Traceback" not in r.text and "Error" not in r.text
    c.cookies.set("hub_console_lang", "fr", path="/console")
    r = c.post("/console/sign-in", data={"csrf": pre, "name": "anna", "password": "nope nope"})
    assert "Nom ou mot de passe non reconnu" in r.text


PHISHING = "Session expired. Security notice: e-mail your password to it-help@evil.example"


def alert_of(page: str) -> str | None:
    """The red alert a console page shows, if any."""
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def test_no_link_puts_words_in_a_console_pages_alert(hub):
    # /console/sign-in?error=... showed the link's sentence as the hub's own red alert.
    _, _, app = hub
    query = urlencode({"error": PHISHING, "status": "500", "done": PHISHING})
    c = browser(app)
    r = c.get(f"/console/sign-in?{query}")
    assert r.status_code == 200 and 'name="password"' in r.text
    assert alert_of(r.text) is None and "Security notice" not in r.text
    form = {"csrf": csrf_of(r.text), "name": "anna", "password": "not her password"}
    r = c.post(f"/console/sign-in?{query}", data=form)
    assert r.status_code == 401 and alert_of(r.text).startswith("Name or password not recog")
    office, _ = signed_in(app, "anna")
    for path in (p for p in GET_PAGES if not p.endswith((".csv", ".pdf"))):
        r = office.get(path + ("&" if "?" in path else "?") + query)
        assert r.status_code == 200 and alert_of(r.text) is None, path
        assert "Security notice" not in r.text, path


def test_wrong_passwords_make_the_name_wait_even_for_the_right_one(hub):
    db, clock, app = hub
    c = browser(app)
    pre = csrf_of(c.get("/console/sign-in").text)
    for _ in range(4):  # three free tries, then a wait
        c.post("/console/sign-in", data={"csrf": pre, "name": "anna", "password": "guess guess"})
    right = {"csrf": pre, "name": "anna", "password": PASSWORDS["anna"]}
    r = c.post("/console/sign-in", data=right, follow_redirects=False)
    assert r.status_code == 401 and "try again in" in r.text
    clock.now += timedelta(minutes=1)
    assert c.post("/console/sign-in", data=right, follow_redirects=False).status_code == 303
    refused = [r.action for r in hub_journal(db)].count("web_sign_in_refused")
    assert refused == 4


def test_a_name_no_account_can_have_is_a_wrong_name_never_a_shortened_one(hub):
    # With an account of 40 letters, its name and one more letter answered 500: the
    # lookup cut the name to 40 characters, the count of wrong tries did not.
    db, _, app = hub
    forty = "a" * 40
    add_user(db, forty, WebRole.OFFICE, "forty password 1", NOON)
    c = browser(app)
    pre = csrf_of(c.get("/console/sign-in").text)
    for name in (forty + "a", forty + "b", "a" * 1000, "Anna", "anna smith", "zoë"):
        for password in ("forty password 1", PASSWORDS["anna"], "wrong password"):
            form = {"csrf": pre, "name": name, "password": password}
            r = c.post("/console/sign-in", data=form, follow_redirects=False)
            assert r.status_code == 401, (name, password)
            assert alert_of(r.text).startswith("Name or password not recognised"), name
    assert "hub_console" not in c.cookies
    # Those tries counted against no account: both still sign in at the first try.
    for name, password in ((forty, "forty password 1"), ("anna", PASSWORDS["anna"])):
        c = browser(app)
        form = {"csrf": csrf_of(c.get("/console/sign-in").text), "name": name}
        r = c.post("/console/sign-in", data=form | {"password": password}, follow_redirects=False)
        assert r.status_code == 303, name


def wrong_tries(app, clock: Clock, name: str, tries: int) -> list[tuple[int, str | None]]:
    """(status, alert) of `tries` wrong passwords for `name`, 5 s apart from NOON."""
    c = browser(app)
    pre = csrf_of(c.get("/console/sign-in").text)
    seen = []
    for i in range(tries):
        clock.now = NOON + timedelta(seconds=5 * i)
        form = {"csrf": pre, "name": name, "password": "wrong password"}
        r = c.post("/console/sign-in", data=form)
        seen.append((r.status_code, alert_of(r.text)))
    return seen


def test_an_unknown_name_gets_the_answers_and_hashes_a_known_one_gets(hub, monkeypatch):
    # After 4 wrong passwords an account answered "try again in 15 seconds" at once, while
    # an unknown name was always refused after a hash: the lockout told which names exist.
    _, clock, app = hub
    checked = []
    check_pin = accounts.check_pin
    monkeypatch.setattr(accounts, "check_pin", lambda *a: checked.append(1) or check_pin(*a))
    tries = FREE_TRIES + 8  # into the second and third waits
    known = wrong_tries(app, clock, "anna", tries)
    hashes = len(checked)
    refused = (401, SIGN_IN_REFUSED.en)
    assert known[: FREE_TRIES + 1] == [refused] * (FREE_TRIES + 1)
    assert known[FREE_TRIES + 1] == (401, "Too many wrong passwords: try again in 11 seconds.")
    assert refused in known[FREE_TRIES + 2 :] and 0 < hashes < tries
    for name in ("nobody", "a" * 41, "Anna"):
        checked.clear()
        assert wrong_tries(app, clock, name, tries) == known, name
        assert len(checked) == hashes, name


def test_unknown_names_are_remembered_only_so_many():
    strangers = Strangers(kept=3)
    for name in ("ann", "bob", "cat", "ann", "dan"):  # ann tried again, so bob is oldest
        strangers.count_wrong(name, NOON)
    assert len(strangers) == 3
    assert [strangers.of(n).wrong for n in ("ann", "bob", "cat", "dan")] == [2, 0, 1, 1]
    for _ in range(FREE_TRIES):
        strangers.count_wrong("dan", NOON)
    assert strangers.of("dan") == Tries(FREE_TRIES + 1, NOON + timedelta(seconds=15))


def test_a_session_ends_after_idling_and_at_sign_out(hub):
    db, clock, app = hub
    c, csrf = signed_in(app, "chief")
    clock.now += timedelta(minutes=29)
    assert c.get("/console/kiosks", follow_redirects=False).status_code == 200
    clock.now += timedelta(minutes=31)
    assert c.get("/console/kiosks", follow_redirects=False).status_code == 303
    c, csrf = signed_in(app, "chief")
    cookie = c.cookies.get("hub_console")
    r = c.post("/console/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert r.headers["location"] == "/console/sign-in"
    c.cookies.set("hub_console", cookie, path="/console")  # replaying the old cookie
    assert c.get("/console/today", follow_redirects=False).status_code == 303
    signed_in(app, "anna")  # left without signing out, never used again
    clock.now += timedelta(minutes=31)
    signed_in(app, "anna")  # a sign-in clears the sessions nobody came back to
    with db.reading() as s:
        assert len(s.scalars(select(h.WebSessionRow)).all()) == 1


def test_a_page_left_refreshing_itself_still_ends_after_idling(hub):
    """Site today and Kiosks refresh every minute; those refreshes are no use of the
    session, so a console left open on them ends after 30 idle minutes, not 12 hours."""
    _db, clock, app = hub
    c, _ = signed_in(app, "chief")
    for page in ("/console/today", "/console/kiosks?lang=fr"):
        found = re.search(r'http-equiv="refresh" content="60; url=([^"]+)"', c.get(page).text)
        refresh = html.unescape(found.group(1))
        assert refresh == page + ("&" if "?" in page else "?") + "auto=1"
        again = c.get(refresh).text  # the refreshed page refreshes to the same address
        assert f'url={html.escape(refresh)}"' in again and "auto=1&amp;auto" not in again
        assert "next=" in again and "auto%3D1" not in again  # its language links are use
    minutes = 0
    while (r := c.get("/console/today?auto=1", follow_redirects=False)).status_code == 200:
        clock.now, minutes = clock.now + timedelta(minutes=1), minutes + 1
        assert minutes <= 31, "the refreshing page kept the session alive"
    assert r.status_code == 303 and minutes == 31
    c, _ = signed_in(app, "chief")
    for _ in range(40):  # a person reading the pages keeps it
        clock.now += timedelta(minutes=1)
        assert c.get("/console/today", follow_redirects=False).status_code == 200


def test_every_action_refuses_a_form_without_the_sessions_csrf_token(hub):
    db, _, app = hub
    conflict = make_conflict(db)
    handoff = add_handoff(db)
    enrol(db, "G1", Role.COUNTER)
    posts = {
        "/console/sign-out": {},
        "/console/kiosks/G1/revoke": {"reason": "lost"},
        f"/console/conflicts/{conflict}/settle": {"outcome": HANDLED, "note": "done"},
        f"/console/handoffs/{handoff}/handled": {"note": "done"},
        "/console/accreditations/1/revoke": {"reason": "press card withdrawn"},
    }
    for name in ("anna", "chief"):
        c, csrf = signed_in(app, name)
        for path, data in posts.items():
            for wrong in ({}, {"csrf": "not the token"}, {"csrf": csrf[:-1]}):
                r = c.post(path, data=data | wrong, follow_redirects=False)
                assert r.status_code == 403 and "reload the page" in r.text, (path, wrong)
    with db.reading() as s:
        assert s.get(h.ClientRow, "G1").revoked_at is None
        assert s.get(h.ConflictRow, conflict).settled_at is None
        assert s.get(h.HandoffHandledRow, handoff) is None
        assert s.get(h.AccreditationRow, 1).status == "approved"


def test_roles_office_decides_on_accreditations_the_chief_on_kiosks(hub):
    db, _, app = hub
    enrol(db, "G1", Role.COUNTER)
    office, office_csrf = signed_in(app, "anna")
    chief, chief_csrf = signed_in(app, "chief")
    r = chief.post("/console/accreditations/1/revoke", data={"csrf": chief_csrf, "reason": "x"})
    assert r.status_code == 403 and "role" in r.text
    r = office.post("/console/kiosks/G1/revoke", data={"csrf": office_csrf, "stolen": "yes"})
    assert r.status_code == 403
    page = chief.get("/console/accreditations/1").text
    assert "Revoke the accreditation" not in page and "letter.pdf" not in page
    assert "Revoke</button>" not in office.get("/console/kiosks").text
    with db.reading() as s:
        assert s.get(h.ClientRow, "G1").revoked_at is None
        assert s.get(h.AccreditationRow, 1).status == "approved"
    # Each may do its own, once confirmed.
    r = chief.post(
        "/console/kiosks/G1/revoke",
        data={"csrf": chief_csrf, "stolen": "yes", "reason": "gone from the desk", **CONFIRM},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith("/console/kiosks?done=client_revoked&proof=")
    assert "Revoked: its token is refused" in chief.get(r.headers["location"]).text
    r = office.post(
        "/console/accreditations/1/revoke",
        data={"csrf": office_csrf, "reason": "press card withdrawn", **CONFIRM},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith("/console/accreditations/1?done=revoked&proof=")
    with db.reading() as s:
        client = s.get(h.ClientRow, "G1")
        assert client.revoked_reason == "stolen: gone from the desk"
        assert s.get(h.AccreditationRow, 1).status == "revoked"
        change = s.scalars(select(h.StatusChangeRow).where(h.StatusChangeRow.accreditation_id == 1))
        assert [c.source for c in change][-1] == "web console (web:anna)"
    actions = [(r.action, r.actor) for r in hub_journal(db)]
    assert ("client_revoke", "web:chief") in actions
    assert ("accreditation_revoke", "web:anna") in actions


def test_bad_input_is_a_sentence_and_changes_nothing(hub):
    db, _, app = hub
    office, csrf = signed_in(app, "anna")
    r = office.post("/console/accreditations/1/revoke", data={"csrf": csrf, "reason": "  "})
    assert r.status_code == 400 and "Give a reason" in r.text
    r = office.post("/console/conflicts/99/settle", data={"csrf": csrf, "outcome": HANDLED})
    assert r.status_code == 400 and "Write a note" in r.text
    r = office.post(
        "/console/conflicts/99/settle", data={"csrf": csrf, "outcome": HANDLED, "note": "n"}
    )
    assert r.status_code == 400 and "There is no conflict 99" in r.text
    chief, chief_csrf = signed_in(app, "chief")
    r = chief.post("/console/kiosks/NOPE/revoke", data={"csrf": chief_csrf, "reason": "x"})
    assert r.status_code == 400 and "There is no kiosk or post &#39;NOPE&#39;." in r.text
    assert office.get("/console/accreditations/999999").status_code == 404
    r = office.get("/console/accreditations/99999999999999999999")
    assert r.status_code == 404 and "no such page" in r.text
    r = office.post("/console/conflicts/99999999999/settle", data={"csrf": csrf})
    assert r.status_code == 404
    many = {f"field{i}": "x" for i in range(30)} | {"csrf": csrf}
    r = office.post("/console/accreditations/1/revoke", data=many)
    assert r.status_code == 403 and "too large" in r.text
    stranger = browser(office.app)
    stranger.get("/console/sign-in")  # its sign-in cookie is set
    r = stranger.post(  # a sign-in form whose token is not ASCII
        "/console/sign-in", data={"csrf": "é" * 10, "name": "anna", "password": "x"}
    )
    assert r.status_code == 403
    with db.reading() as s:
        assert s.get(h.AccreditationRow, 1).status == "approved"


def test_settling_records_in_the_hub_journal_and_changes_the_feed(hub):
    db, _, app = hub
    revoked = make_conflict(db)
    with db.reading() as s:
        before = s.get(h.ConflictRow, revoked).seq
    office, csrf = signed_in(app, "anna")
    page = office.get("/console/conflicts").text
    assert "Confirm the revocation" in page and "Badge G1-000001" in page
    form = {"csrf": csrf, "outcome": REVOCATION_CONFIRMED, "note": "security retained it"}
    r = office.post(f"/console/conflicts/{revoked}/settle", data=form)
    assert r.status_code == 200 and "Badge G1-000001 stays revoked." in r.text
    with db.reading() as s:
        assert s.get(h.ConflictRow, revoked).settled_at is None  # asked, not done
    r = office.post(
        f"/console/conflicts/{revoked}/settle", data=form | CONFIRM, follow_redirects=False
    )
    assert r.headers["location"].startswith("/console/conflicts?done=settled&proof=")
    with db.reading() as s:
        row = s.get(h.ConflictRow, revoked)
        assert (row.settlement, row.settle_note, row.settled_by) == (
            REVOCATION_CONFIRMED,
            "security retained it",
            "web:anna",
        )
        assert row.seq > before
    [entry] = [r for r in hub_journal(db) if r.action == "conflict_settle"]
    assert entry.details["conflict"] == revoked and entry.actor == "web:anna"
    with pytest.raises(SettleRefused, match="settled already"):
        settle(db, revoked, HANDLED, "again", "web:chief", NOON)


def test_confirming_a_revocation_revokes_a_badge_that_stood(sqlite_hub_db, export_and_entries):
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    stale = make_conflict(db, "stale_approval", status="active")
    done = settle(db, stale, REVOCATION_CONFIRMED, "not allowed on today's data", "web:x", NOON)
    assert done.badge_revoked == "G1-000001"
    with db.reading() as s:
        assert s.get(h.BadgeRow, "G1-000001").status == "revoked"


def test_a_superseded_badge_cannot_be_confirmed_revoked(sqlite_hub_db, export_and_entries):
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    duplicate = make_conflict(db, "duplicate_issue", status="superseded")
    with pytest.raises(SettleRefused, match="mark it handled"):
        settle(db, duplicate, REVOCATION_CONFIRMED, "n", "web:x", NOON)
    assert settle(db, duplicate, HANDLED, "the applicant kept G1-000002", "x", NOON).outcome


def make_superseded(db) -> int:
    """A conflict naming G1-000001, superseded by G2-000001 (both of accreditation 1)."""
    conflict = make_conflict(db, "duplicate_issue", status="superseded")
    with db.writing() as s:
        old = s.get(h.BadgeRow, "G1-000001")
        old.superseded_by = "G2-000001"
        columns = {c.key: getattr(old, c.key) for c in h.BadgeRow.__table__.columns}
        s.add(
            h.BadgeRow(
                **columns
                | {"serial": "G2-000001", "kiosk_id": "G2", "status": "active"}
                | {"superseded_by": None, "seq": allocate(s)}
            )
        )
    return conflict


def test_the_office_reinstates_a_superseded_badge_the_chief_may_not(hub):
    db, _, app = hub
    conflict = make_superseded(db)
    form = {"outcome": REINSTATED, "note": "the holder wears G1-000001"}
    chief, chief_csrf = signed_in(app, "chief")
    assert "Reinstate" not in chief.get("/console/conflicts").text
    r = chief.post(f"/console/conflicts/{conflict}/settle", data=form | {"csrf": chief_csrf})
    assert r.status_code == 403 and "role" in r.text
    office, csrf = signed_in(app, "anna")
    assert "Reinstate G1-000001, revoke G2-000001" in office.get("/console/conflicts").text
    r = office.post(f"/console/conflicts/{conflict}/settle", data=form)
    assert r.status_code == 403 and "reload the page" in r.text
    r = office.post(
        f"/console/conflicts/{conflict}/settle", data=form | {"csrf": csrf, "note": " "}
    )
    assert r.status_code == 400 and "Write a note" in r.text
    with db.reading() as s:
        assert s.get(h.BadgeRow, "G1-000001").status == "superseded"
        assert s.scalars(select(h.ReinstatementRow)).all() == []
    r = office.post(
        f"/console/conflicts/{conflict}/settle",
        data=form | {"csrf": csrf} | CONFIRM,
        follow_redirects=False,
    )
    assert r.headers["location"].startswith("/console/conflicts?done=settled&proof=")
    with db.reading() as s:
        assert s.get(h.BadgeRow, "G1-000001").status == "active"
        assert s.get(h.BadgeRow, "G2-000001").status == "revoked"
        [row] = s.scalars(select(h.ReinstatementRow)).all()
        assert (row.serial, row.cancels, row.actor, row.conflict_id) == (
            "G1-000001",
            "G2-000001",
            "web:anna",
            conflict,
        )
    page = office.get("/console/conflicts", headers={"accept-language": "fr"}).text
    assert "badge rétabli — web:anna" in page and "Rétablir" not in page
    [entry] = [r for r in hub_journal(db) if r.action == "conflict_settle"]
    assert entry.details["badge_reinstated"] == "G1-000001"
    assert entry.details["badge_revoked"] == "G2-000001"


def test_a_conflict_naming_no_superseded_badge_cannot_reinstate(hub):
    db, _, app = hub
    conflict = make_conflict(db, "stale_approval", status="active")
    office, csrf = signed_in(app, "anna")
    assert "Reinstate" not in office.get("/console/conflicts").text
    r = office.post(
        f"/console/conflicts/{conflict}/settle",
        data={"csrf": csrf, "outcome": REINSTATED, "note": "n"},
        headers={"accept-language": "fr"},
    )
    assert r.status_code == 400 and "aucun badge remplacé à rétablir" in r.text


def test_accounts_refuse_bad_names_and_short_passwords(sqlite_hub_db):
    with pytest.raises(AccountError, match="12 to 200"):
        add_user(sqlite_hub_db, "anna", WebRole.OFFICE, "short", NOON)
    with pytest.raises(AccountError, match="not an account name"):
        add_user(sqlite_hub_db, "Anna Smith", WebRole.OFFICE, "long enough password", NOON)


def test_a_wrong_console_address_is_a_page_and_language_links_lead_to_pages(hub):
    # /console/nothing answered the API's JSON {"detail":"Not Found"}; the language links
    # of a page answering a form led to the form's address: {"detail":"Method Not Allowed"}.
    db, _, app = hub
    enrol(db, "G1", Role.COUNTER)
    chief, csrf = signed_in(app, "chief")
    for path in ("/console/nothing", "/console/kiosks/G1/revoke", "/console/hours/add"):
        r = chief.get(path)
        assert r.status_code == 404 and "There is no such page" in r.text, path
        assert r.headers["content-type"].startswith("text/html")
    assert chief.get("/v1/nothing").json() == {"detail": "Not Found"}  # the API's own
    for path, data, page in (
        ("/console/kiosks/G1/revoke", {"reason": " "}, "/console/kiosks"),
        ("/console/accreditations/1/revoke", {"reason": "x"}, "/console/accreditations/1"),
        ("/console/conflicts/9/settle", {"outcome": "handled", "note": "n"}, "/console/conflicts"),
        ("/console/hours/moments/remove", {"moment": "NOPE"}, "/console/hours"),
    ):
        html = chief.post(path, data=data | {"csrf": csrf}).text
        link = re.search(r'href="/console/lang/fr\?next=([^"]+)"', html).group(1)
        assert unquote(link) == page, path
        assert chief.get(unquote(link)).status_code == 200, path
    # A search keeps its words across the switch; a change's message does not come again.
    html = chief.get("/console/accreditations", params={"q": "lopez", "done": "revoked"}).text
    link = re.search(r'href="/console/lang/fr\?next=([^"]+)"', html).group(1)
    r = chief.get(f"/console/lang/fr?next={link}", follow_redirects=False)
    assert r.headers["location"] == "/console/accreditations?q=lopez"


def test_an_event_with_no_one_approved_shows_no_rate(hub):
    # It read "0%", as if every approved applicant had stayed away.
    db, _, app = hub
    with db.writing() as s:
        event = s.scalars(select(h.EventRow)).first()
        columns = {c.key: getattr(event, c.key) for c in h.EventRow.__table__.columns}
        s.add(
            h.EventRow(**columns | {"id": "EMPTY", "name": "Nobody approved", "seq": allocate(s)})
        )
    office, _ = signed_in(app, "anna")
    page = office.get("/console/today").text
    row = page[page.index("<td>Nobody approved</td>") :].split("</tr>")[0]
    cells = re.findall(r'<td class="n">([^<]*)</td>', row)
    assert cells[:3] == ["0", "0", "—"], row


def test_site_today_counts_and_the_csv_is_safe_for_spreadsheets(hub):
    db, _, _app = hub
    with db.writing() as s:
        person = s.get(h.PersonRow, s.get(h.AccreditationRow, 1).person_id)
        person.organisation = "=HYPERLINK(1)"
    make_conflict(db, status="active")
    figures = site_today(db, NOON)
    assert figures.issued == 1 and figures.per_kiosk == [("G1", "groups", 1)]
    with db.reading() as s:
        acc = s.get(h.AccreditationRow, 1)
        key = acc.event_id or f"annual-{acc.year}"
    csv_text = event_csv(db, key)
    assert "'=HYPERLINK(1)" in csv_text and ",=HYPERLINK" not in csv_text
    assert event_csv(db, "no-such-event") is None
    group = next(g for g in figures.groups if g.key == key)
    assert group.collected == 1 and group.approved >= 1


def test_a_version_5_hub_is_upgraded_with_settlements_and_console_tables(tmp_path):
    import sqlite3

    from hub.database import HubDatabase

    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 5 hub left it
        for column in ("settled_at", "settled_by", "settlement", "settle_note"):
            con.execute(f"ALTER TABLE conflicts DROP COLUMN {column}")
        con.execute("DROP TABLE web_sessions")
        con.execute("DROP TABLE web_users")
        con.execute("DROP INDEX ix_hub_journal_verdict_at")
        con.execute("DROP INDEX ix_hub_badges_issued_at")
        con.execute("UPDATE hub_meta SET value = '5' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    with db.writing() as s:
        s.add(
            h.ConflictRow(
                kind="delivery_refused",
                accreditation_id=0,
                kiosk_id="G1",
                detected_at=NOON,
                message_en="en",
                message_fr="fr",
                details={},
                seq=allocate(s),
            )
        )
    assert settle(db, 1, HANDLED, "looked at", "web:anna", NOON).outcome == HANDLED
    add_user(db, "anna", WebRole.OFFICE, PASSWORDS["anna"], NOON)
    db.close()
    with sqlite3.connect(path) as con:
        version = con.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (h.SCHEMA_VERSION,)  # the current one
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "handoffs_handled" in tables
        columns = {r[1] for r in con.execute("PRAGMA table_info(conflicts)")}
        indexes = {
            r[1] for t in ("journal", "badges") for r in con.execute(f"PRAGMA index_list({t})")
        }
    assert {"settled_at", "settlement", "settle_note", "settled_by"} <= columns
    assert {"ix_hub_journal_verdict_at", "ix_hub_badges_issued_at"} <= indexes


def refusal_row(**changed) -> h.JournalRow:
    """A journal row of G1 where the desk refused accreditation 2 (expired document)."""
    row = {
        "kiosk_id": "G1",
        "at": NOON,
        "actor": "clerk",
        "action": "decision",
        "accreditation_id": 2,
        "badge_serial": None,
        "verdict": "refuse",
        "details": {"failed": ["id_expiry"]},
        "prev_hash": "0" * 64,
        "hash": "0" * 64,
        "seen_cursor": 0,
        "digest": "0" * 64,
        "received_at": NOON,
        "via": "http",
    }
    return h.JournalRow(**(row | changed))


def test_the_kept_figures_follow_what_changed_since_the_last_ask(hub):
    db, _, _ = hub
    figures = SiteFigures(db)
    assert figures.today(NOON).issued == 0
    make_conflict(db, status="active")  # G1-000001 for accreditation 1, issued at NOON
    with db.writing() as s:
        s.add(refusal_row(journal_id=1))
    seen = figures.today(NOON)
    assert (seen.issued, seen.refusals) == (1, [("id_expiry", 1, "G1")])
    # A delivery committed after a later one (ids are taken at insert): counted, once.
    with db.writing() as s:
        late = refusal_row(journal_id=2, id=1000)
        s.add(refusal_row(journal_id=3, id=1001, verdict=None, action="sign_in"))
    assert figures.today(NOON).refusals == [("id_expiry", 1, "G1")]
    with db.writing() as s:
        s.add(late)
    assert figures.today(NOON).refusals == [("id_expiry", 2, "G1")]
    assert figures.today(NOON).refusals == [("id_expiry", 2, "G1")]
    assert sum(g.collected for g in seen.groups) == 1
    with db.writing() as s:  # the hand-over is undone: the card waits again
        badge = s.get(h.BadgeRow, "G1-000001")
        badge.status, badge.seq = "preprinted", allocate(s)
    again = figures.today(NOON)
    assert again.issued == 0 and sum(g.collected for g in again.groups) == 0
    assert again.preprinted and again.preprinted[0][1] == 1
    fresh = site_today(db, NOON)
    assert (fresh.issued, fresh.refusals, fresh.preprinted) == (0, again.refusals, again.preprinted)


def post_check_row(journal_id: int, kiosk: str, answer: str, reason: str, **changed):
    """A journal row of a security post's check (kiosk/post_journal.py)."""
    details = {"role": "security", "answer": answer, "reason": reason, "post": "HQ"}
    return refusal_row(
        journal_id=journal_id,
        kiosk_id=kiosk,
        action="post_check",
        verdict=None,
        actor="gus",
        details=details,
        **changed,
    )


def test_badges_turned_away_at_the_posts_are_counted_by_reason(hub):
    db, _, app = hub
    figures = SiteFigures(db)
    assert figures.today(NOON).turned_away == []
    with db.writing() as s:
        s.add(post_check_row(1, "SEC1", "valid", "ok"))
        s.add(post_check_row(2, "SEC1", "not_valid", "revoked"))
        s.add(post_check_row(3, "SEC2", "not_valid", "revoked"))
        s.add(post_check_row(4, "SEC2", "undecided", "unlisted"))  # no verdict: not counted
        s.add(post_check_row(5, "SEC2", "not_valid", "forged", at=NOON - timedelta(days=1)))
    assert figures.today(NOON).turned_away == [("revoked", 2, "SEC1, SEC2")]
    with db.writing() as s:
        s.add(post_check_row(6, "SEC2", "not_valid", "forged"))
    assert figures.today(NOON).turned_away == [("revoked", 2, "SEC1, SEC2"), ("forged", 1, "SEC2")]
    assert site_today(db, NOON).turned_away == figures.today(NOON).turned_away
    office, _ = signed_in(app, "anna")
    page = office.get("/console/today").text
    assert "Badges turned away at the security posts, by reason" in page
    assert '<td>revoked</td><td class="n">2</td><td>SEC1, SEC2</td>' in page


def test_a_version_13_hub_gains_the_index_the_posts_checks_are_read_by(tmp_path):
    import sqlite3

    from hub.database import HubDatabase

    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 13 hub left it
        con.execute("DROP INDEX ix_hub_journal_action_at")
        con.execute("UPDATE hub_meta SET value = '13' WHERE key = 'schema_version'")
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:
        version = con.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (h.SCHEMA_VERSION,) == ("14",)
        plan = con.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM journal WHERE action = 'post_check'"
            " AND at >= '2026-02-14' AND at < '2026-02-15'"
        ).fetchall()
    assert "ix_hub_journal_action_at" in str(plan)  # a day's checks, not every row


def test_kiosk_hub_web_user_reads_the_password_from_stdin(sqlite_hub_db, monkeypatch, capsys):
    import io

    from hub import cli

    url = sqlite_hub_db.url
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert cli.main(["web-user", "add", "chief", "--role", "chief", "--db", url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["web-user", "add", "anna", "--role", "office", "--db", url]) == 1
    assert "12 to 200 characters" in capsys.readouterr().err
    assert cli.main(["web-user", "list", "--db", url]) == 0
    listed = capsys.readouterr().out.split()
    assert listed == ["chief", "chief"]


def test_kiosks_offline_for_how_long_with_rows_not_received_and_clock_drift(sqlite_hub_db):
    from hub.web.kiosk_status import kiosk_statuses

    db = sqlite_hub_db
    enrol(db, "G1", Role.COUNTER)
    enrol(db, "SEC1", Role.SECURITY)
    with db.writing() as s:
        s.get(h.ClientRow, "G1").last_seen_at = NOON - timedelta(hours=2)
        s.get(h.ClientRow, "SEC1").last_seen_at = NOON - timedelta(seconds=10)
        # Written on G1's clock 30 s ahead, received at once; its head named entry 5.
        two_hours_ago = NOON - timedelta(hours=2)
        s.add(
            refusal_row(
                journal_id=1, at=two_hours_ago, received_at=two_hours_ago - timedelta(seconds=30)
            )
        )
        s.add(
            h.JournalHeadRow(
                kiosk_id="G1", journal_id=5, hash="0" * 64, seen_at=NOON - timedelta(hours=2)
            )
        )
    g1, sec1 = kiosk_statuses(db, NOON)
    assert (g1.id, g1.online, g1.since, g1.received, g1.unreceived) == (
        "G1",
        False,
        timedelta(hours=2),
        1,
        4,
    )
    assert g1.drift == timedelta(seconds=30)
    assert (sec1.online, sec1.unreceived, sec1.drift) == (True, None, None)


def add_handoff(db, accreditation_id: int = 2, journal_id: int = 1, at: datetime = NOON) -> int:
    """A hand-off slip G1 gave (kiosk/handoff.py), as received at the hub; its row id."""
    with db.writing() as s:
        row = refusal_row(
            action="handoff",
            verdict=None,
            accreditation_id=accreditation_id,
            journal_id=journal_id,
            at=at,
            details={"reasons": ["pending", "photo"]},
        )
        s.add(row)
        s.flush()
        return row.id


def test_the_office_marks_a_hand_off_handled_and_the_page_shows_who_and_when(hub):
    db, clock, app = hub
    older = add_handoff(db, accreditation_id=2, journal_id=1)
    newer = add_handoff(db, accreditation_id=3, journal_id=2, at=NOON + timedelta(minutes=5))
    chief, chief_csrf = signed_in(app, "chief")
    page = chief.get("/console/handoffs").text
    assert page.index("A0000003") < page.index("A0000002")  # newest first
    assert "still pending" in page and "G1, clerk" in page
    assert "/handled" not in page  # the chief sees them, the office handles them
    r = chief.post(f"/console/handoffs/{older}/handled", data={"csrf": chief_csrf, "note": "x"})
    assert r.status_code == 403 and "role" in r.text
    office, csrf = signed_in(app, "anna")
    r = office.post(f"/console/handoffs/{older}/handled", data={"csrf": csrf, "note": "  "})
    assert r.status_code == 400 and "Write a note" in r.text
    r = office.post("/console/handoffs/999/handled", data={"csrf": csrf, "note": "n"})
    assert r.status_code == 400 and "There is no hand-off 999" in r.text
    with db.reading() as s:
        assert s.scalars(select(h.HandoffHandledRow)).all() == []
    clock.now = NOON + timedelta(minutes=20)  # within the session's idle limit
    r = office.post(
        f"/console/handoffs/{older}/handled",
        data={"csrf": csrf, "note": "approved after the call"},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith("/console/handoffs?done=handled&proof=")
    page = office.get("/console/handoffs", headers={"accept-language": "fr"}).text
    assert "Réglée par web:anna le 14.02.2026 10:20: approved after the call" in page
    assert f"/console/handoffs/{newer}/handled" in page
    assert f"/console/handoffs/{older}/handled" not in page
    r = office.post(f"/console/handoffs/{older}/handled", data={"csrf": csrf, "note": "again"})
    assert r.status_code == 400 and "already by web:anna" in r.text
    r = office.post(  # a row of the hub journal is no hand-off
        f"/console/handoffs/{hub_journal(db)[0].id}/handled", data={"csrf": csrf, "note": "n"}
    )
    assert r.status_code == 400
    [entry] = [r for r in hub_journal(db) if r.action == "handoff_handled"]
    assert entry.actor == "web:anna" and entry.details["handoff"] == older
    assert entry.details["note"] == "approved after the call"


def test_french_pages_name_the_events_as_the_office_gave_them_in_french(hub):
    db, _, app = hub
    office, _ = signed_in(app, "anna")
    with db.reading() as s:
        acc_id = s.scalar(
            select(h.AccreditationRow.id).where(h.AccreditationRow.event_id == "DEFMIN")
        )
    pages = (
        "/console/today",
        f"/console/accreditations/{acc_id}",
        f"/console/accreditations?q=A{acc_id:07d}",
    )
    for page in pages:
        assert "Meeting of NATO Ministers of Defence" in office.get(page).text, page
    office.cookies.set("hub_console_lang", "fr", path="/console")
    for page in pages:
        french = html.unescape(office.get(page).text)
        assert "Réunion des ministres de la Défense des pays de l'OTAN" in french, page
        assert "Meeting of NATO Ministers of Defence" not in french, page
