"""The hub keeps every kiosk's journal chain, checks its seals as rows arrive, and notices
a journal cut short or rewritten from the heads the kiosk reports."""

from __future__ import annotations

import base64
import sqlite3
import subprocess
import time
from datetime import timedelta

import pytest
from site_fixtures import DEMO_NOON, Station
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.wiring import open_kiosk
from hub import schema as h
from hub.audit import parse_head, verify
from hub.clients import Client, Role, enrol, enrolment
from hub.database import HubDatabase, utc_now
from hub.purge import journal
from hub.receive import receive
from kiosk import audit, journal_keys
from kiosk.model import Counter
from kiosk.roles import Actor
from kiosk.roles import Role as ActorRole
from kiosk.store import schema as k
from sync.client import SyncClient
from sync.outbox import journal_head
from sync.state import conflicts, require_state
from sync.state import enrol as enrol_kiosk
from tests import cli_process


def hub_cli(db, *args: str) -> subprocess.CompletedProcess:
    return cli_process.run("hub.cli", *args, "--db", db.url, timeout=120)


def tamper(station, sql: str, *params) -> None:
    """Edit the kiosk's SQLite file behind the application's back."""
    with sqlite3.connect(station.store.path) as db:
        db.execute(sql, params)


def chain_conflicts(db) -> list[h.ConflictRow]:
    with db.reading() as s:
        return list(
            s.scalars(select(h.ConflictRow).where(h.ConflictRow.kind == "journal_chain_broken"))
        )


def test_the_hub_holds_each_kiosks_chain_as_written(site):
    g1, sec = site.kiosk("G1"), site.kiosk("SEC1", Role.SECURITY)
    g1.issue(site.entry("approved_ministerial"))
    g1.issue(site.entry("editor_letter"))
    g1.sync()
    with g1.store.reading() as s:
        local = [(r.id, r.prev_hash, r.hash) for r in audit.entries(s)]
    with site.db.reading() as s:
        held = [
            (r.journal_id, r.prev_hash, r.hash)
            for r in s.scalars(
                select(h.JournalRow)
                .where(h.JournalRow.kiosk_id == "G1")
                .order_by(h.JournalRow.journal_id)
            )
        ]
    assert held == local and len(local) >= 2
    chains = {c.kiosk_id: c for c in verify(site.db)}
    assert chains["G1"].broken_at is None and chains["G1"].entries == len(local)
    assert "SEC1" not in chains or chains["SEC1"].broken_at is None
    assert chain_conflicts(site.db) == []
    sec.sync()


def test_a_tail_or_a_whole_journal_removed_at_the_hub_is_not_intact(sqlite_site):
    # Deleting a kiosk's last rows left a chain that held ("intact"), and deleting all of
    # them left the kiosk out of the listing: the head the hub keeps names what it held.
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.issue(site.entry("editor_letter"))
    g1.sync()
    [held] = [c for c in verify(site.db) if c.kiosk_id == "G1"]
    assert held.broken_at is None and held.entries >= 2
    last = held.entries
    path = site.db.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM journal WHERE kiosk_id = 'G1' AND journal_id = ?", (last,))
    [cut] = [c for c in verify(site.db) if c.kiosk_id == "G1"]
    assert (cut.broken_at, cut.entries) == (last, last - 1)
    assert cut.reason == (
        f"its last head names entry {last}, and the hub holds none after {last - 1} "
        "(not delivered yet, or removed)"
    )
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM journal WHERE kiosk_id = 'G1'")
    [gone] = [c for c in verify(site.db) if c.kiosk_id == "G1"]
    assert (gone.broken_at, gone.entries) == (1, 0)
    said = hub_cli(site.db, "audit", "verify")
    assert said.returncode == 1 and "G1: BROKEN at entry 1: its last head names" in said.stdout


def test_an_entry_edited_before_delivery_is_caught_at_the_hub_by_id(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()  # what the hub holds so far is intact
    g1.issue(site.entry("editor_letter"))
    g1.issue(site.entry("pool_photographer"))
    with g1.store.reading() as s:
        edited, after = [r.id for r in audit.entries(s)][-2:]
    tamper(g1, "update journal set actor = 'nobody' where id = ?", edited)
    g1.sync()  # the delivery is taken (the record stays complete), and the break recorded

    [conflict] = chain_conflicts(site.db)
    assert conflict.kiosk_id == "G1" and conflict.details["journal_id"] == edited
    assert f"entry {edited}" in conflict.message_en and "changed" in conflict.message_en
    assert f"l'entrée {edited}" in conflict.message_fr
    [chain] = verify(site.db, "G1")
    assert (chain.broken_at, chain.entries) == (edited, edited - 1)
    out = hub_cli(site.db, "audit", "verify", "--kiosk", "G1")
    assert out.returncode == 1 and f"G1: BROKEN at entry {edited}" in out.stdout
    listed = hub_cli(site.db, "conflicts")
    assert "journal_chain_broken" in listed.stdout and "The journal of G1" in listed.stdout
    assert after > edited  # the entry after it still follows it: only the edited one fails
    assert [c.kind for c in conflicts(g1.store, "G1")] == ["journal_chain_broken"]


def test_an_entry_deleted_before_delivery_breaks_the_chain_at_the_next(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()
    g1.issue(site.entry("editor_letter"))
    g1.issue(site.entry("pool_photographer"))
    with g1.store.reading() as s:
        ids = [r.id for r in audit.entries(s)]
    tamper(g1, "delete from journal where id = ?", ids[-2])  # not delivered yet
    g1.sync()
    [conflict] = chain_conflicts(site.db)
    assert conflict.details["journal_id"] == ids[-1]
    assert "does not follow" in conflict.message_en
    assert hub_cli(site.db, "audit", "verify").returncode == 1


def test_audit_verify_passes_on_intact_chains_and_names_each_kiosk(sqlite_site):
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    g1.issue(site.entry("approved_ministerial"))
    g2.issue(site.entry("editor_letter"))
    g1.sync()
    g2.sync()
    out = hub_cli(site.db, "audit", "verify")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "G1: intact" in out.stdout and "G2: intact" in out.stdout
    assert hub_cli(site.db, "audit", "verify", "--kiosk", "G9").returncode == 1


def kiosk_cli(station, *args: str) -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(station.kiosk.data_dir), timeout=120)


def conflicts_of(db, *kinds: str) -> list[h.ConflictRow]:
    with db.reading() as s:
        return list(
            s.scalars(
                select(h.ConflictRow)
                .where(h.ConflictRow.kind.in_(kinds))
                .order_by(h.ConflictRow.id)
            )
        )


def journal_ids(station) -> list[int]:
    with station.store.reading() as s:
        return [r.id for r in audit.entries(s)]


def rewrite(station, entry_id: int, actor: str, key: bytes | None = None) -> None:
    """Edit an entry and recompute the chain after it (and the seals, given the key), as
    someone who can write the kiosk's files would, with a session of their own."""
    engine = create_engine(f"sqlite:///{station.store.path}")
    with Session(engine) as s, s.begin():
        prev = audit.GENESIS
        for row in s.scalars(select(k.JournalRow).order_by(k.JournalRow.id)):
            if row.id == entry_id:
                row.actor = actor
            if row.id >= entry_id:
                row.prev_hash, row.hash = prev, audit.entry_hash(prev, row)
                if key is not None:
                    row.mac = audit.seal(key, row.id, row.hash)
            prev = row.hash
        head = s.get(k.JournalHeadRow, 1)
        head.hash = prev
        if key is not None:
            first = journal_keys.load(journal_keys.key_path(station.kiosk.data_dir)).current
            head.mac = audit.head_seal(key, head.journal_id, prev, first.first_id)
    engine.dispose()


def delivered_then_more(site):
    """G1 with part of its journal at the hub and three entries not delivered yet."""
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()
    delivered = journal_ids(g1)[-1]
    g1.issue(site.entry("editor_letter"))
    g1.issue(site.entry("pool_photographer"))
    g1.kiosk.staff.sign_out(Actor("clerk", ActorRole.CLERK))
    assert journal_ids(g1)[-1] == delivered + 3
    return g1, delivered


def test_the_enrolled_kiosk_seals_with_the_hubs_key_from_its_first_entry(sqlite_site):
    site = sqlite_site
    g1, _ = delivered_then_more(site)
    g1.sync()
    with site.db.reading() as s:
        key = s.scalars(select(h.JournalKeyRow).where(h.JournalKeyRow.kiosk_id == "G1")).one()
        held = list(s.scalars(select(h.JournalRow).where(h.JournalRow.kiosk_id == "G1")))
    [epoch] = journal_keys.load(journal_keys.key_path(g1.kiosk.data_dir)).epochs
    assert (epoch.key, epoch.first_id, epoch.source) == (key.key, 1, site.db.hub_id)
    assert key.first_id == 1 and held
    assert all(r.mac == audit.seal(key.key, r.journal_id, r.hash) for r in held)
    [chain] = verify(site.db, "G1")
    assert (chain.broken_at, chain.sealed_from) == (None, 1)
    assert conflicts_of(site.db, "journal_truncated", "journal_rewritten") == []
    out = hub_cli(site.db, "audit", "verify", "--kiosk", "G1")
    assert out.returncode == 0 and "sealed from entry 1" in out.stdout


def test_a_cut_undelivered_tail_is_reported_by_the_kiosk_and_the_hub(site):
    g1, delivered = delivered_then_more(site)
    last = journal_ids(g1)[-1]
    tamper(g1, "delete from journal where id > ?", delivered + 1)  # the last two vanish

    out = kiosk_cli(g1, "audit", "verify")
    assert out.returncode == 1 and f"BROKEN at entry {delivered + 2}" in out.stdout
    assert "the last entries were removed" in out.stdout

    g1.sync()  # the journal's head still names the entries removed
    [cut] = conflicts_of(site.db, "journal_truncated")
    assert cut.kiosk_id == "G1" and cut.details["journal_id"] == delivered + 2
    assert f"entries {delivered + 2} to {last} were removed" in cut.message_en
    assert f"les entrées {delivered + 2} à {last}" in cut.message_fr
    out = hub_cli(site.db, "audit", "verify", "--kiosk", "G1")
    assert out.returncode == 1 and f"G1: BROKEN at entry {delivered + 2}" in out.stdout
    assert "journal_truncated" in hub_cli(site.db, "conflicts").stdout
    assert "journal_truncated" in [c.kind for c in conflicts(g1.store, "G1")]


def test_a_rewritten_undelivered_tail_is_reported_by_the_kiosk_and_the_hub(sqlite_site):
    site = sqlite_site
    g1, delivered = delivered_then_more(site)
    rewrite(g1, delivered + 1, "nobody")  # without the key: the chain is whole, seals fail

    out = kiosk_cli(g1, "audit", "verify")
    assert out.returncode == 1 and f"BROKEN at entry {delivered + 1}" in out.stdout
    assert "without the journal key" in out.stdout

    g1.sync()
    [broken] = chain_conflicts(site.db)
    assert broken.details["journal_id"] == delivered + 1
    assert "without the journal key" in broken.message_en and "sans la clé" in broken.message_fr
    [head] = conflicts_of(site.db, "journal_head_invalid")
    assert "not sealed with the key" in head.message_en
    out = hub_cli(site.db, "audit", "verify", "--kiosk", "G1")
    assert out.returncode == 1 and f"G1: BROKEN at entry {delivered + 1}" in out.stdout


def test_a_removed_head_record_is_reported_at_the_next_sync(sqlite_site):
    site = sqlite_site
    g1, delivered = delivered_then_more(site)
    tamper(g1, "delete from journal where id > ?", delivered)
    tamper(g1, "delete from journal_head")
    assert kiosk_cli(g1, "audit", "verify").returncode == 1
    g1.sync()
    assert [c.kind for c in conflicts_of(site.db, "journal_head_invalid")] == [
        "journal_head_invalid"
    ]


def test_a_thief_of_the_key_cannot_rewrite_what_the_hub_has_seen(sqlite_site):
    site = sqlite_site
    g1, delivered = delivered_then_more(site)
    g1.sync()  # the hub holds everything and the head
    key = journal_keys.load(journal_keys.key_path(g1.kiosk.data_dir)).current.key
    rewrite(g1, delivered, "nobody", key)
    # With the key file, the kiosk's own check is fooled...
    assert kiosk_cli(g1, "audit", "verify").returncode == 0
    g1.sync()
    # ...the head the hub saw last is not: it names an entry with other content now.
    [rewritten] = conflicts_of(site.db, "journal_rewritten")
    assert rewritten.details["journal_id"] == journal_ids(g1)[-1]
    assert hub_cli(site.db, "audit", "verify", "--kiosk", "G1").returncode == 1


def test_a_renewed_enrolment_re_keys_the_journal_from_the_next_entry(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    own = journal_keys.load(journal_keys.key_path(g1.kiosk.data_dir)).current
    before = journal_ids(g1)[-1]
    token = enrol(site.db, "G1", Role.COUNTER, renew=True)  # a new key from the hub
    enrol_kiosk(g1.store, enrolment(site.db, "G1", Role.COUNTER, token, site.server.url))
    g1.issue(site.entry("editor_letter"))
    g1.sync()
    epochs = journal_keys.load(journal_keys.key_path(g1.kiosk.data_dir)).epochs
    assert [e.first_id for e in epochs] == [own.first_id, before + 1]
    assert epochs[0].key == own.key and epochs[1].key != own.key
    out = kiosk_cli(g1, "audit", "verify")
    assert out.returncode == 0
    assert f"then from entry {before + 1} with the key of {site.db.hub_id}" in out.stdout
    [chain] = verify(site.db, "G1")
    assert (chain.broken_at, chain.sealed_from) == (None, 1)
    with site.db.reading() as s:
        keys = s.scalars(select(h.JournalKeyRow).order_by(h.JournalKeyRow.number)).all()
    assert [(x.number, x.first_id) for x in keys] == [(1, 1), (2, before + 1)]
    assert (
        base64.b64decode(
            enrolment(site.db, "G1", Role.COUNTER, token, site.server.url)["journal_key"]
        )
        == epochs[1].key
    )


BAD_HEADS = [{"id": -1}, {"hash": "x"}, {"mac": "y" * 64}, {"sealed_from": 0}]
# Past a journal id's size (INTEGER at the hub): 2**63 answered 500 on SQLite, 2**31 was
# taken and noted as conflicts that PostgreSQL's INTEGER column could not hold.
BAD_HEADS += [{"id": 2**31}, {"id": 2**63}, {"sealed_from": 2**31}, {"sealed_from": 2**64}]


def test_a_malformed_head_is_refused_and_changes_nothing(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")  # one kiosk for every case: a site costs a second of CPU
    with g1.store.reading() as s:
        held = g1.store.journal.head(s).wire()
    token = enrol(site.db, "G1", Role.COUNTER, renew=True)
    for bad in BAD_HEADS:
        r = site.http(
            "POST",
            "/v1/journal",
            json={"rows": [], "head": held | bad},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code in (400, 422), (bad, r.text)
        with site.db.reading() as s:
            assert s.get(h.JournalHeadRow, "G1").journal_id == 0, bad


def test_a_version_4_hub_is_upgraded_and_keeps_its_plain_chains_verifiable(tmp_path):
    path = tmp_path / "hub.sqlite3"
    db = HubDatabase(f"sqlite:///{path}")
    with db.writing() as s:
        journal(s, "purge", "admin", {"people": 0}, utc_now())
    db.close()
    with sqlite3.connect(path) as con:  # as a version 4 hub left it
        con.execute("ALTER TABLE journal DROP COLUMN mac")
        con.execute("DROP TABLE journal_keys")
        con.execute("DROP TABLE journal_heads")
        con.execute("UPDATE hub_meta SET value = '4' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    [chain] = verify(db)
    assert (chain.kiosk_id, chain.entries, chain.broken_at) == ("hub", 1, None)
    assert chain.sealed_from is None  # received before sealing: the plain chain holds
    token = enrol(db, "G1", Role.COUNTER)  # the new tables are there: a key is issued
    assert "journal_key" in enrolment(db, "G1", Role.COUNTER, token, "http://127.0.0.1:1")
    db.close()


def test_a_kiosk_that_worked_alone_is_sealed_with_the_hubs_key_from_its_enrolment(
    sqlite_site, tmp_path
):

    from hub.database import utc_now

    site = sqlite_site
    data_dir = tmp_path / "alone"
    kiosk = open_kiosk(data_dir, Counter.GROUPS, kiosk_id="G7", clock=lambda: DEMO_NOON)
    kiosk.staff.sign_out(Actor("clerk", ActorRole.CLERK))  # journalled before any hub
    kiosk.staff.sign_out(Actor("clerk", ActorRole.CLERK))
    own = journal_keys.load(journal_keys.key_path(data_dir)).current
    assert own.source == "local"
    token = enrol(site.db, "G7", Role.COUNTER)
    enrol_kiosk(kiosk.store, enrolment(site.db, "G7", Role.COUNTER, token, site.server.url))
    g7 = Station(kiosk, SyncClient(kiosk.store, utc_now, timeout=5.0), site)
    site.stations.append(g7)
    g7.sync()
    g7.issue(site.entry("approved_ministerial"))
    g7.sync()
    epochs = journal_keys.load(journal_keys.key_path(data_dir)).epochs
    assert [(e.first_id, e.source) for e in epochs] == [(1, "local"), (3, site.db.hub_id)]
    assert kiosk_cli(g7, "audit", "verify").returncode == 0
    [chain] = verify(site.db, "G7")  # the hub checks seals from entry 3, the chain from 1
    assert (chain.entries, chain.broken_at, chain.sealed_from) == (journal_ids(g7)[-1], None, 3)
    assert conflicts_of(site.db, "journal_head_invalid", "journal_truncated") == []


def hub_cursor_of(db, kiosk_id: str) -> int:
    with db.reading() as s:
        return s.get(h.ClientRow, kiosk_id).cursor


def test_a_delivery_of_a_held_head_writes_nothing_and_a_cut_one_is_still_flagged(sqlite_site):
    site = sqlite_site
    g1, _ = delivered_then_more(site)
    g1.sync()  # the hub holds every entry and the head
    g1.sync()  # pulls from where it is: the hub notes that cursor once the page is sent
    cursor = require_state(g1.store).cursor
    deadline = time.monotonic() + 10
    while hub_cursor_of(site.db, "G1") != cursor:  # the hub's last write of this kiosk
        assert time.monotonic() < deadline, "the hub never noted the kiosk's cursor"
        time.sleep(0.02)
    with site.db.reading() as s:
        seen_at = s.get(h.JournalHeadRow, "G1").seen_at
    watch = sqlite3.connect(site.db.engine.url.database)
    version = watch.execute("pragma data_version").fetchone()
    head, client = journal_head(g1.store), Client("G1", Role.COUNTER)

    later = utc_now() + timedelta(minutes=5)
    receipt = receive(site.db, client, [], later, head=head)
    assert (receipt.received, receipt.duplicates, receipt.up_to) == (0, 0, head["id"])
    assert watch.execute("pragma data_version").fetchone() == version  # nothing committed
    with site.db.reading() as s:
        assert s.get(h.JournalHeadRow, "G1").seen_at == seen_at

    tamper(g1, "delete from journal where id = ?", head["id"])  # the last entry goes...
    tamper(g1, "delete from journal_head")  # ...with the head record, as a cut would
    receive(site.db, client, [], later, head=journal_head(g1.store))
    [cut] = conflicts_of(site.db, "journal_truncated")
    assert cut.kiosk_id == "G1" and cut.details["journal_id"] == head["id"]
    assert watch.execute("pragma data_version").fetchone() != version
    watch.close()


def test_a_renewed_kiosk_with_nothing_to_deliver_has_its_new_key_noted(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()
    last = journal_ids(g1)[-1]
    token = enrol(site.db, "G1", Role.COUNTER, renew=True)  # a new key from the hub
    enrol_kiosk(g1.store, enrolment(site.db, "G1", Role.COUNTER, token, site.server.url))
    assert journal_ids(g1)[-1] == last  # no entry to deliver: the head alone goes
    g1.sync()
    with site.db.reading() as s:
        keys = s.scalars(select(h.JournalKeyRow).order_by(h.JournalKeyRow.number)).all()
    assert [(x.number, x.first_id) for x in keys] == [(1, 1), (2, last + 1)]
    assert conflicts_of(site.db, "journal_head_invalid") == []


@pytest.mark.parametrize("bad", BAD_HEADS)
def test_a_head_from_a_file_is_held_to_the_same_bounds(bad):
    """Deliveries from a USB stick come to `receive` without the HTTP route's model."""
    good = {"id": 3, "hash": "a" * 64, "sealed_from": 1, "mac": ""}
    with pytest.raises(ValueError, match="journal head's"):
        parse_head(good | bad)
    assert parse_head(good | {"id": 2**31 - 1, "sealed_from": 2**31 - 1}).id == 2**31 - 1
