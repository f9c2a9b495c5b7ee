"""The console asks before what it cannot undo (docs/web-console.md, "Confirming"):
revoking a kiosk, revoking an accreditation, confirming a badge's revocation, reinstating
a badge. The first post changes nothing and says what will happen; the page's own form,
posted back, does it; a refused form is refused at once, before any confirmation."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.app import create_app
from hub.clients import Role, enrol
from hub.database import allocate
from hub.settle import HANDLED, REINSTATED, REVOCATION_CONFIRMED
from hub.web.accounts import WebRole, add_user
from tests.hub.test_web_console import (
    NOON,
    PASSWORDS,
    Clock,
    hub_journal,
    make_conflict,
    make_superseded,
    signed_in,
)
from tests.site_fixtures import fill

pytestmark = pytest.mark.slow
FR = {"accept-language": "fr"}


@pytest.fixture
def hub(sqlite_hub_db, export_and_entries):
    """The hub with the console, an office and a chief account (as test_web_console's)."""
    fill(sqlite_hub_db, export_and_entries[0])
    for name, role in (("anna", WebRole.OFFICE), ("chief", WebRole.CHIEF)):
        add_user(sqlite_hub_db, name, role, PASSWORDS[name], NOON)
    return sqlite_hub_db, None, create_app(sqlite_hub_db, Clock())


def post_back(client, page: str):
    """Post the confirmation page's form as a browser would: its action, its hidden fields."""
    form = re.search(
        r'<form method="post" action="([^"]+)" class="inline">(.*?)</form>', page, re.S
    )
    assert form, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2]))
    fields = {unescape(k): unescape(v) for k, v in fields.items()}
    return client.post(unescape(form[1]), data=fields, follow_redirects=False)


def add_badge_key(db, key_id: int, owner: str) -> None:
    with db.writing() as s:
        s.add(
            h.PublicKeyRow(
                key_id=key_id, purpose="badge", public_key=b"k" * 32, owner=owner,
                created_at=NOON, approved_at=NOON, seq=allocate(s),
            )
        )  # fmt: skip


def test_revoking_a_kiosk_says_what_follows_and_waits_for_confirmation(hub):
    db, _, app = hub
    enrol(db, "G1", Role.COUNTER)
    add_badge_key(db, 71, "G1")
    make_conflict(db, status="active")  # G1-000001, issued by G1, valid
    chief, csrf = signed_in(app, "chief")
    form = {"csrf": csrf, "reason": "taken from the desk at 09:40", "stolen": "yes"}
    page = chief.post("/console/kiosks/G1/revoke", data=form).text
    for line in (
        "Revoke G1 (counter) for good?",
        "Reason: stolen (taken from the desk",
        "G1 is never given one again",
        "Badge key(s) retired: #71. From their next sync",
        "1 badge(s) it issued are still valid: their holders need a reprint",
        "This cannot be undone.",
        ">Revoke G1 for good</button>",
        'href="/console/kiosks" class="cancel">Cancel: change nothing</a>',
    ):
        assert line in page, line
    fr = chief.post("/console/kiosks/G1/revoke", data=form, headers=FR).text
    assert "Révoquer G1 (guichet) définitivement ?" in fr and "irréversible" in fr
    assert "Motif : volé (taken from the desk" in fr
    with db.reading() as s:
        assert s.get(h.ClientRow, "G1").revoked_at is None
        assert s.get(h.PublicKeyRow, 71).retired_at is None
    assert "client_revoke" not in [r.action for r in hub_journal(db)]
    r = post_back(chief, page)
    assert r.headers["location"].startswith("/console/kiosks?done=client_revoked&proof=")
    with db.reading() as s:
        assert s.get(h.ClientRow, "G1").revoked_reason == "stolen: taken from the desk at 09:40"
        assert s.get(h.PublicKeyRow, 71).retired_at is not None
    listed = chief.get("/console/kiosks", headers=FR).text
    assert "— volé (taken from the desk at 09:40)" in listed
    # Posted again (a second tab, the back button): refused with a sentence.
    r = post_back(chief, page)
    assert r.status_code == 400 and "G1 is revoked already." in r.text


def test_a_refused_kiosk_revocation_is_refused_before_any_confirmation(hub):
    db, _, app = hub
    enrol(db, "G1", Role.COUNTER)
    chief, csrf = signed_in(app, "chief")
    r = chief.post("/console/kiosks/G1/revoke", data={"csrf": csrf, "reason": " "})
    assert r.status_code == 400 and "Say why the kiosk is revoked" in r.text
    assert "for good?" not in r.text


def test_revoking_an_accreditation_names_its_badges_and_waits(hub):
    db, _, app = hub
    make_conflict(db, status="active")  # accreditation 1 holds G1-000001, valid
    office, csrf = signed_in(app, "anna")
    form = {"csrf": csrf, "reason": "press card withdrawn"}
    page = office.post("/console/accreditations/1/revoke", data=form).text
    assert "Revoke A0000001 · " in page and "Reason: press card withdrawn" in page
    assert "Its valid badges G1-000001 are revoked" in page
    assert 'href="/console/accreditations/1" class="cancel"' in page
    fr = office.post("/console/accreditations/1/revoke", data=form, headers=FR).text
    assert "Ses badges valables G1-000001 sont révoqués" in fr
    with db.reading() as s:
        assert s.get(h.AccreditationRow, 1).status == "approved"
        assert s.get(h.BadgeRow, "G1-000001").status == "active"
    r = post_back(office, page)
    assert r.headers["location"].startswith("/console/accreditations/1?done=revoked&proof=")
    with db.reading() as s:
        assert s.get(h.AccreditationRow, 1).status == "revoked"
        assert s.get(h.BadgeRow, "G1-000001").status == "revoked"


def test_confirming_a_badges_revocation_says_it_is_revoked_now(hub):
    db, _, app = hub
    stale = make_conflict(db, "stale_approval", status="active")
    office, csrf = signed_in(app, "anna")
    form = {"csrf": csrf, "outcome": REVOCATION_CONFIRMED, "note": "not on today's data"}
    page = office.post(f"/console/conflicts/{stale}/settle", data=form).text
    assert "Confirm the revocation of badge G1-000001?" in page
    assert "Badge G1-000001 (active) is revoked now" in page
    assert "Note: not on today&#39;s data" in page
    assert f'href="/console/conflicts#conflict-{stale}" class="cancel"' in page
    with db.reading() as s:
        assert s.get(h.BadgeRow, "G1-000001").status == "active"
    assert (
        post_back(office, page)
        .headers["location"]
        .startswith("/console/conflicts?done=settled&proof=")
    )
    with db.reading() as s:
        assert s.get(h.BadgeRow, "G1-000001").status == "revoked"
        assert s.get(h.ConflictRow, stale).settle_note == "not on today's data"


def test_reinstating_names_both_badges_and_waits(hub):
    db, _, app = hub
    conflict = make_superseded(db)
    office, csrf = signed_in(app, "anna")
    form = {"csrf": csrf, "outcome": REINSTATED, "note": "the holder wears G1-000001"}
    page = office.post(f"/console/conflicts/{conflict}/settle", data=form, headers=FR).text
    assert "Rétablir G1-000001 et révoquer G2-000001 ?" in page
    assert "Le badge G1-000001 redevient valable" in page
    assert "Le badge G2-000001 est révoqué" in page
    with db.reading() as s:
        assert s.scalars(select(h.ReinstatementRow)).all() == []
    assert (
        post_back(office, page)
        .headers["location"]
        .startswith("/console/conflicts?done=settled&proof=")
    )
    with db.reading() as s:
        assert s.get(h.BadgeRow, "G1-000001").status == "active"
        assert s.get(h.BadgeRow, "G2-000001").status == "revoked"


def test_marking_a_conflict_handled_needs_no_confirmation(hub):
    db, _, app = hub
    conflict = make_conflict(db)
    office, csrf = signed_in(app, "anna")
    r = office.post(
        f"/console/conflicts/{conflict}/settle",
        data={"csrf": csrf, "outcome": HANDLED, "note": "looked at"},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith("/console/conflicts?done=settled&proof=")


def test_an_accreditation_revoked_with_a_french_reason_keeps_both(hub):
    db, _, app = hub
    office, csrf = signed_in(app, "anna")
    assert 'name="reason_fr"' in office.get("/console/accreditations/1").text
    form = {"csrf": csrf, "reason": "press card withdrawn", "reason_fr": "carte de presse retirée"}
    too_long = office.post(
        "/console/accreditations/1/revoke", data=form | {"reason_fr": "x" * 2001}
    )
    assert too_long.status_code == 400
    assert "The French reason has 2001 characters" in unescape(too_long.text)
    page = office.post("/console/accreditations/1/revoke", data=form).text
    assert "In French: carte de presse retirée" in unescape(page)
    post_back(office, page)
    with db.reading() as s:
        acc = s.get(h.AccreditationRow, 1)
        assert (acc.status_reason, acc.status_reason_fr) == (form["reason"], form["reason_fr"])
    fr = unescape(office.get("/console/accreditations/1", headers=FR).text)
    assert "carte de presse retirée" in fr and "press card withdrawn" not in fr
