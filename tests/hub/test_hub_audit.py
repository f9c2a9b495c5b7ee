"""The hub keeps every kiosk's journal chain and checks it as rows arrive."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from sqlalchemy import select

from hub import schema as h
from hub.audit import verify
from hub.clients import Role
from kiosk import audit
from sync.state import conflicts


def hub_cli(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", *args, "--db", db.url],
        capture_output=True,
        text=True,
        timeout=120,
    )


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
