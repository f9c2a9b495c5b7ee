"""Reinstating a superseded badge (hub/settle.py `reinstated`): valid again at a security
post after one sync, its replacement refused as revoked, and neither an old feed page
replayed (a hub restored from a backup) nor a counter's delivery undoes it."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.cli import main
from hub.clients import Client, Role
from hub.database import HubDatabase, utc_now
from hub.feed import build_page
from hub.keys import feed_public_key, feed_signer
from hub.settle import REINSTATED, SettleRefused, settle
from kiosk.store import schema as k
from kiosk.verify import SecurityPost
from sync.apply import apply_page
from sync.protocol import read_page
from sync.state import require_state, set_hub_url
from tests.site_fixtures import DEMO_NOON, HubServer

ENTRY = "approved_ministerial"


def duplicate(site):
    """G1 and G2, cut off from each other, each issue a badge to the same applicant: the
    hub keeps G1's (issued first) and supersedes G2's with a conflict naming it."""
    g1 = site.kiosk("G1", badge_key_id=80)
    g2 = site.kiosk("G2", badge_key_id=81)
    entry = site.entry(ENTRY)
    kept = g1.issue(entry).badge.serial
    loser = g2.issue(entry).badge.serial
    g1.sync(), g2.sync()
    with site.db.reading() as s:
        assert s.get(h.BadgeRow, loser).superseded_by == kept
        conflict = s.scalar(select(h.ConflictRow.id).where(h.ConflictRow.badge_serial == loser))
    return g1, g2, kept, loser, conflict


def badge_code(station, serial: str) -> str:
    return station.kiosk.desk.cards.card(serial).badge_code


def statuses(station, *serials: str) -> list[str]:
    with station.store.reading() as s:
        return [s.get(k.BadgeRow, serial).status for serial in serials]


def test_a_reinstated_badge_is_valid_at_a_post_after_one_sync_and_its_replacement_revoked(
    site, demo_now
):
    g1, g2, kept, loser, conflict = duplicate(site)
    sec = site.kiosk("SEC1", Role.SECURITY)
    post = SecurityPost(sec.store, lambda: demo_now)
    assert post.verify(badge_code(g2, loser)).reason == "superseded"
    assert post.verify(badge_code(g1, kept)).valid

    done = settle(site.db, conflict, REINSTATED, "the holder wears G2's card", "office", DEMO_NOON)
    assert (done.badge_reinstated, done.badge_revoked) == (loser, kept)
    sec.sync()
    assert post.verify(badge_code(g2, loser)).valid
    refused = post.verify(badge_code(g1, kept))
    assert (refused.valid, refused.reason) == (False, "revoked")
    g1.sync(), g2.sync()  # the counters hold the same
    assert statuses(g1, loser, kept) == statuses(g2, loser, kept) == ["active", "revoked"]
    with site.db.reading() as s:
        [entry] = s.scalars(select(h.JournalRow).where(h.JournalRow.action == "conflict_settle"))
        assert entry.details["badge_reinstated"] == loser
        assert entry.details["badge_revoked"] == kept


def test_an_old_page_replayed_does_not_undo_a_reinstatement(sqlite_site, demo_now):
    """A hub restored from a backup sends a kiosk pages from before the reinstatement
    again (the kiosk pulls from 0 when its cursor is ahead): they no longer count."""
    site = sqlite_site
    g1, g2, kept, loser, conflict = duplicate(site)
    sec = site.kiosk("SEC1", Role.SECURITY)
    old = build_page(site.db, Client("SEC1", Role.SECURITY), 0, 1000, "n-old", utc_now())
    signature = feed_signer(site.db).sign(old)
    settle(site.db, conflict, REINSTATED, "the holder wears G2's card", "office", DEMO_NOON)
    sec.sync()
    post = SecurityPost(sec.store, lambda: demo_now)
    assert post.verify(badge_code(g2, loser)).valid

    with sec.store.writing() as s:  # what a `cursor_ahead` answer makes the kiosk do
        s.get(k.SyncStateRow, 1).cursor = 0
        s.delete(s.get(k.BadgeRow, kept))  # and were G1's badge not held here any more
    page = read_page(old, signature, feed_public_key(site.db))
    sent = {b["serial"]: b["status"] for b in page.entities["badges"]}
    assert (sent[loser], sent[kept]) == ("superseded", "printing")  # as they stood then
    apply_page(sec.store, page, online=False)
    assert post.verify(badge_code(g2, loser)).valid
    assert post.verify(badge_code(g1, kept)).reason == "revoked"
    assert statuses(sec, loser, kept) == ["active", "revoked"]


def test_a_hub_restored_from_a_backup_before_the_reinstatement_does_not_undo_it(
    sqlite_site, demo_now, tmp_path
):
    """The real thing: the post's cursor is ahead of the restored hub, it pulls from 0 and
    gets "superseded" again for the badge; the reinstatement it keeps wins."""
    site = sqlite_site
    g1, g2, kept, loser, conflict = duplicate(site)
    sec = site.kiosk("SEC1", Role.SECURITY)
    backup = tmp_path / "backup.sqlite3"
    live, copy = sqlite3.connect(site.db.url.removeprefix("sqlite:///")), sqlite3.connect(backup)
    live.backup(copy)
    live.close(), copy.close()
    settle(site.db, conflict, REINSTATED, "the holder wears G2's card", "office", DEMO_NOON)
    sec.sync()
    restored = HubDatabase(f"sqlite:///{backup}")
    server = HubServer(restored).start()
    try:
        set_hub_url(sec.store, server.url)
        before = require_state(sec.store).cursor
        assert sec.sync().cursor < before  # pulled again from 0
    finally:
        server.stop()
        restored.close()
    post = SecurityPost(sec.store, lambda: demo_now)
    assert post.verify(badge_code(g2, loser)).valid
    assert post.verify(badge_code(g1, kept)).reason == "revoked"


@pytest.mark.parametrize("sender", ["G2", "G1"])
def test_a_counters_delivery_cannot_supersede_a_reinstated_badge_again(sqlite_site, sender):
    """G2 sends its badge as superseded by G1's again (a stale or forged row); G1 sends a
    row of its revoked badge saying it superseded G2's (as a reprint's row does)."""
    site = sqlite_site
    g1, g2, kept, loser, conflict = duplicate(site)
    settle(site.db, conflict, REINSTATED, "the holder wears G2's card", "office", DEMO_NOON)
    g1.sync(), g2.sync()
    station = g2 if sender == "G2" else g1
    with station.store.writing() as s:
        if sender == "G2":
            row = s.get(k.BadgeRow, loser)
            row.status, row.superseded_by = "superseded", kept
        s.add(
            k.JournalRow(
                at=station.kiosk.desk.clock(),
                kiosk_id=sender,
                actor="clerk",
                action="handover",
                badge_serial=loser if sender == "G2" else kept,
                details={} if sender == "G2" else {"superseded": [loser]},
            )
        )
    assert station.client.deliver(require_state(station.store))[0] == 1
    with site.db.reading() as s:
        assert s.get(h.BadgeRow, loser).status == "active"
        assert s.get(h.BadgeRow, kept).status == "revoked"


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ("ended", "was valid until"),
        ("lost", "was reported lost"),
        ("revoked", "is not approved"),
        ("replaced", "was replaced in turn"),
        ("unknown", "is not known at the hub"),
        ("another", "holds another valid badge, G1-000777"),
    ],
)
def test_reinstating_is_refused_with_a_sentence_and_changes_nothing(sqlite_site, change, refusal):
    site = sqlite_site
    _, _, kept, loser, conflict = duplicate(site)
    now = DEMO_NOON
    with site.db.writing() as s:
        badge = s.get(h.BadgeRow, loser)
        if change == "ended":
            now += timedelta(days=366)
        elif change == "lost":
            s.add(
                h.BadgeEventRow(
                    kiosk_id="G2",
                    journal_id=99,
                    serial=loser,
                    accreditation_id=badge.accreditation_id,
                    event="lost",
                    at=now - timedelta(hours=1),
                    actor="clerk",
                    note="",
                    seq=0,
                )
            )
        elif change == "revoked":
            s.get(h.AccreditationRow, badge.accreditation_id).status = "revoked"
        elif change == "replaced":
            kept_row = s.get(h.BadgeRow, kept)
            kept_row.status, kept_row.superseded_by = "superseded", "G1-999999"
        elif change == "unknown":
            badge.superseded_by = "G9-000001"
        else:
            columns = {c.key: getattr(badge, c.key) for c in h.BadgeRow.__table__.columns}
            s.add(h.BadgeRow(**columns | {"serial": "G1-000777", "status": "active"}))
    with pytest.raises(SettleRefused, match=refusal) as err:
        settle(site.db, conflict, REINSTATED, "a note", "office", now)
    assert err.value.fr
    with site.db.reading() as s:
        assert s.get(h.BadgeRow, loser).status == "superseded"
        assert s.get(h.ConflictRow, conflict).settled_at is None
        assert s.scalars(select(h.ReinstatementRow)).all() == []


def test_kiosk_hub_conflicts_settle_reinstates_and_the_listing_shows_it(sqlite_site, capsys):
    site = sqlite_site
    _, _, kept, loser, conflict = duplicate(site)
    with site.db.writing() as s:  # the CLI settles now, after the demo's day
        s.get(h.BadgeRow, loser).valid_until = date(2099, 12, 31)
    db = ["--db", site.db.url]
    args = ["conflicts", "settle", str(conflict), "--outcome", "reinstated", "--note", "n", *db]
    assert main(args) == 0
    assert f"settled: reinstated; reinstated {loser}; revoked {kept}" in capsys.readouterr().out
    assert main(args) == 1
    assert "settled already by office" in capsys.readouterr().err
    assert main(["conflicts", *db]) == 0
    assert "settled: reinstated by office" in capsys.readouterr().out
    listed = {c["id"]: c for c in site.office("GET", "/v1/office/conflicts").json()}
    assert listed[conflict]["settlement"] == "reinstated"
    assert (listed[conflict]["settled_by"], listed[conflict]["settle_note"]) == ("office", "n")
    with pytest.raises(SystemExit):
        main(["conflicts", "settle", "99999999999", "--outcome", "handled", "--note", "n", *db])
    assert "is not a conflict number" in capsys.readouterr().err


def test_a_version_8_hub_gains_the_reinstatements_in_place(tmp_path):
    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 8 hub left it
        con.execute("DROP TABLE reinstatements")
        con.execute("UPDATE hub_meta SET value = '8' WHERE key = 'schema_version'")
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:
        version = con.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (h.SCHEMA_VERSION,) == ("14",)
        assert con.execute("SELECT count(*) FROM reinstatements").fetchone() == (0,)
