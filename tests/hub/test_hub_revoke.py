"""Clients and keys with a lifecycle: revoking a client, approving a counter's new key,
and the stolen-counter procedure end to end (docs/operations.md)."""

from __future__ import annotations

import pytest
from site_fixtures import DEMO_NOON
from sqlalchemy import select

from hub import schema as h
from hub.cli import main
from hub.clients import Role, enrol, list_clients
from hub.database import utc_now
from hub.keys import list_keys
from hub.receive import DeliveryRejected
from hub.transfer import TransferError, export_bundle, import_outbox
from kiosk.codes import Signer
from kiosk.counter import load_keyring
from kiosk.model import BRUSSELS, Counter
from kiosk.services import trust_badge_key
from kiosk.verify import verify_badge
from sync.client import SyncRefused
from sync.files import export_outbox
from sync.state import require_state


def at_post(post, code: str) -> str:
    """What a security post says of a badge code, from what it holds now."""
    with post.store.reading() as s:
        return verify_badge(code, load_keyring(post.store, "badge"), s, DEMO_NOON).reason


def code_of(station, serial: str) -> str:
    return station.kiosk.desk.cards.card(serial).badge_code


def hub_serials(db) -> set[str]:
    with db.reading() as s:
        return set(s.scalars(select(h.BadgeRow.serial)))


def call(station, method: str, path: str, **kw) -> int:
    token = require_state(station.store).token
    headers = {"Authorization": f"Bearer {token}"}
    return station.site.http(method, path, headers=headers, **kw).status_code


def test_the_stolen_counter_procedure_leaves_nothing_of_it_accepted(site, tmp_path, capsys):
    g1 = site.kiosk("G1", badge_key_id=70)
    v1 = site.kiosk("V1", counter=Counter.VISITORS, badge_key_id=71)
    post = site.kiosk("SEC1", Role.SECURITY)
    before = g1.issue(site.entry("approved_ministerial")).badge.serial
    honest = v1.issue(site.entry("approved_annual")).badge.serial
    g1.sync(), v1.sync(), post.sync()
    codes = {before: code_of(g1, before), honest: code_of(v1, honest)}
    assert {at_post(post, c) for c in codes.values()} == {"ok"}

    # The office's one command.
    assert main(["clients", "revoke", "G1", "--stolen", "--db", site.db.url]) == 0
    said = capsys.readouterr().out
    assert "G1 revoked (stolen)" in said and "badge keys retired: 70" in said
    assert "1 badge(s) it issued are still live" in said

    # Its token opens nothing, at once: every route.
    for method, path in (
        ("GET", "/v1/feed?nonce=abcdefgh"),
        ("POST", "/v1/journal"),
        ("GET", "/v1/office/conflicts"),
    ):
        assert call(g1, method, path) == 401, path
    # What it does next, pushed or carried on a stick, is refused.
    after = g1.issue(site.entry("bulk_event_approved")).badge.serial
    with pytest.raises(SyncRefused):
        g1.sync()
    export_outbox(g1.store, tmp_path / "g1.outbox", utc_now())
    with pytest.raises(DeliveryRejected, match="revoked"):
        import_outbox(site.db, tmp_path / "g1.outbox", utc_now())
    with pytest.raises(TransferError, match="revoked"):
        export_bundle(site.db, "G1", tmp_path / "g1.bundle", utc_now())
    assert after not in hub_serials(site.db)
    # A new key it makes for itself is not trusted anywhere either.
    new_key = Signer.generate(90)
    trust_badge_key(g1.store, new_key, "G1")
    g1.kiosk.desk.cards.signer = lambda: new_key
    forged = code_of(g1, after)
    codes[after] = forged
    with pytest.raises(SyncRefused):
        g1.sync()
    assert 90 not in {k.key_id for k in list_keys(site.db)}

    # The post, after its next sync, refuses everything G1 signed, and nothing else.
    post.sync()
    assert {serial: at_post(post, code) for serial, code in codes.items()} == {
        before: "forged",
        after: "forged",
        honest: "ok",
    }
    # V1 goes on; the office sees why G1 is out, and G1's id is not given out again.
    assert v1.sync().pages >= 1
    [g1_info] = [c for c in list_clients(site.db) if c.id == "G1"]
    assert g1_info.revoked_reason == "stolen" and g1_info.keys == ()
    with pytest.raises(Exception, match="revoked"):
        enrol(site.db, "G1", Role.COUNTER, renew=True)
    kiosks = {k["id"]: k["revoked_at"] for k in site.office("GET", "/v1/office/kiosks").json()}
    assert kiosks["G1"] is not None and kiosks["V1"] is None
    assert main(["clients", "list", "--db", site.db.url]) == 0
    listing = capsys.readouterr().out
    assert "revoked" in listing and "stolen" in listing


def test_a_counters_new_badge_key_waits_for_the_office(sqlite_site, capsys):
    site = sqlite_site
    g1 = site.kiosk("G1", badge_key_id=70)
    post = site.kiosk("SEC1", Role.SECURITY)
    new_key = Signer.generate(91)
    trust_badge_key(g1.store, new_key, "G1")
    g1.kiosk.desk.cards.signer = lambda: new_key
    serial = g1.issue(site.entry("approved_ministerial")).badge.serial
    g1.sync()
    post.sync()
    code = code_of(g1, serial)
    assert at_post(post, code) == "forged"  # key 91 is pending: no post trusts it
    states = {k.key_id: k.state for k in list_keys(site.db)}
    assert (states[70], states[91]) == ("trusted", "pending")
    with site.db.reading() as s:
        kinds = [c.kind for c in s.scalars(select(h.ConflictRow))]
    assert kinds.count("badge_key_pending") == 1
    assert main(["keys", "list", "--db", site.db.url]) == 0
    assert any(
        line.split()[:4] == ["91", "badge", "G1", "pending"]
        for line in capsys.readouterr().out.splitlines()
    )
    assert main(["keys", "approve", "91", "--db", site.db.url]) == 0
    assert "key 91 (badge, G1) approved" in capsys.readouterr().out
    post.sync()
    assert at_post(post, code) == "ok"
    assert main(["keys", "approve", "91", "--db", site.db.url]) == 1  # nothing to do twice
    assert "trusted already" in capsys.readouterr().err


def test_a_counter_enrolled_without_a_pre_approved_key_waits_for_its_first(sqlite_site):
    site = sqlite_site
    g7 = site.kiosk("G7", badge_key_id=77, trust_first_key=False)
    g7.issue(site.entry("approved_ministerial"))
    assert g7.sync().delivered > 0  # its key comes with its first delivery
    assert {k.key_id: k.state for k in list_keys(site.db)}[77] == "pending"


def test_revoking_needs_a_reason_and_a_client_that_exists(sqlite_hub_db, capsys):
    url = sqlite_hub_db.url
    enrol(sqlite_hub_db, "G1", Role.COUNTER)
    assert main(["clients", "revoke", "G1", "--db", url]) == 1
    assert "say why" in capsys.readouterr().err
    assert main(["clients", "revoke", "G9", "--reason", "gone", "--db", url]) == 1
    assert "no client G9" in capsys.readouterr().err
    assert main(["clients", "revoke", "G1", "--reason", "decommissioned", "--db", url]) == 0
    assert main(["clients", "revoke", "G1", "--reason", "again", "--db", url]) == 1
    said = capsys.readouterr().err
    [info] = list_clients(sqlite_hub_db)
    assert info.revoked_reason == "decommissioned"
    # in Brussels time, as `clients list` shows it (it said the UTC time, marked UTC)
    at = info.revoked_at.astimezone(BRUSSELS)
    assert f"G1 is revoked already ({at:%Y-%m-%d %H:%M}: decommissioned)" in said


def test_renewing_an_id_never_enrolled_is_refused_not_a_new_client(sqlite_hub_db):
    """`kiosk-hub enrol G4 --renew` of a mistyped id silently enrolled a new client."""
    with pytest.raises(Exception, match="G4 is not enrolled: there is no token to renew"):
        enrol(sqlite_hub_db, "G4", Role.COUNTER, renew=True)
    assert list_clients(sqlite_hub_db) == []
