"""`kiosk-hub purge`: the hub forgets by the kiosks' rule, and a purge is never undone by
an import or a sync."""

from __future__ import annotations

import copy
import sqlite3
import threading
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.audit import verify
from hub.database import utc_now
from hub.importer import import_data
from hub.purge import compact_if_owed, compaction_owed, purge
from kiosk.model import BRUSSELS
from kiosk.purge import purge as kiosk_purge
from kiosk.roles import Actor, Role
from kiosk.store import schema as k
from tests import cli_process

# 35 days after the demo day (14 Feb 2026): the ministerial meeting is past its retention.
LATER = datetime(2026, 3, 21, 10, tzinfo=BRUSSELS)


def ministerial(db) -> tuple[list[h.PersonRow], list[h.PersonRow]]:
    """People with only ministerial-meeting accreditations, and the others."""
    with db.reading() as s:
        accs = s.scalars(select(h.AccreditationRow)).all()
        people = {p.id: p for p in s.scalars(select(h.PersonRow))}
    events: dict[int, set] = {}
    for a in accs:
        events.setdefault(a.person_id, set()).add(a.event_id)
    only = {pid for pid, evs in events.items() if evs <= {"DEFMIN", "NAC-SPECIAL"}}
    return [people[i] for i in only], [p for i, p in people.items() if i not in only]


def test_the_hub_purges_by_the_kiosks_rule_and_leaves_no_trace_in_its_file(sqlite_site, tmp_path):
    site = sqlite_site
    gone, kept = ministerial(site.db)
    dry = purge(site.db, LATER, "office", dry_run=True)
    assert dry.people == len(gone) and set(dry.events) == {"DEFMIN", "NAC-SPECIAL"}
    done = purge(site.db, LATER, "office")
    assert (done.people, done.photos, done.compacted) == (dry.people, dry.photos, True)

    with site.db.reading() as s:
        for p in gone:
            row = s.get(h.PersonRow, p.id)
            assert (row.surname, row.photo, row.purged_at is not None) == ("", None, True)
        assert all(s.get(h.PersonRow, p.id).surname == p.surname for p in kept)
        defmin = s.scalars(
            select(h.AccreditationRow).where(h.AccreditationRow.event_id == "DEFMIN")
        )
        assert {a.doc_number_digest for a in defmin} == {""}
    raw = Path(site.db.engine.url.database).read_bytes()
    assert not any(p.email.encode() in raw for p in gone)
    assert all(p.email.encode() in raw for p in kept)
    # The purge is in the hub's own chained journal.
    [hub_chain] = [c for c in verify(site.db) if c.kiosk_id == "hub"]
    assert hub_chain.broken_at is None  # after the import and the enrolments
    with site.db.reading() as s:
        last = s.scalars(
            select(h.JournalRow)
            .where(h.JournalRow.kiosk_id == "hub")
            .order_by(h.JournalRow.journal_id.desc())
        ).first()
    assert (last.journal_id, last.action) == (hub_chain.entries, "purge")


def test_reimporting_the_full_export_does_not_bring_purged_data_back(
    sqlite_site, export_and_entries
):
    site = sqlite_site
    gone, _ = ministerial(site.db)
    purge(site.db, LATER, "office")
    report = import_data(site.db, copy.deepcopy(export_and_entries[0]), "again.json", utc_now())
    assert any("purged people" in n for n in report.notes)
    with site.db.reading() as s:
        assert {s.get(h.PersonRow, p.id).surname for p in gone} == {""}


def test_a_purge_is_final_on_a_kiosk_and_a_fresh_kiosk_gets_purged_rows_blank(
    sqlite_site, export_and_entries
):
    site = sqlite_site
    g1 = site.kiosk("G1")
    entry = site.entry("approved_ministerial")
    pid = entry.person.id
    kiosk_purge(g1.store, LATER, Actor("admin", Role.ADMINISTRATOR), "G1")
    changed = copy.deepcopy(export_and_entries[0])  # the office edits that person (hub: not
    for p in changed["people"]:  # purged yet): the new version reaches every counter...
        if p["id"] == pid:
            p["organisation"] = "Another paper"
    import_data(site.db, changed, "changed.json", utc_now())
    g1.sync()
    with g1.store.reading() as s:  # ...but not the personal data this kiosk purged
        person = s.get(k.PersonRow, pid)
        assert (person.surname, person.organisation) == ("", "")
        assert s.get(k.PhotoRow, pid) is None

    purge(site.db, LATER, "office")
    g2 = site.kiosk("G2")  # pulls everything: purged rows arrive blank, marked purged
    with g2.store.reading() as s:
        person = s.get(k.PersonRow, pid)
        assert person.surname == "" and person.purged_at is not None
        assert s.get(k.PhotoRow, pid) is None
        acc = s.get(k.AccreditationRow, entry.accreditation.id)
        assert acc.doc_number_digest == "" and acc.purged_at is not None


def test_purge_command_dry_run_changes_nothing(sqlite_site):
    site = sqlite_site
    out = cli_process.run("hub.cli", "purge", "--dry-run", "--db", site.db.url, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("would purge ") and "event DEFMIN" in out.stdout
    with site.db.reading() as s:
        assert s.scalar(select(h.PersonRow.id).where(h.PersonRow.purged_at.is_not(None))) is None


def hold_snapshot(db, check_same_thread: bool = True) -> sqlite3.Connection:
    """Another process's read begun before the purge (a feed request, the web console): a
    connection on a snapshot of the hub's file as it is now."""
    reader = sqlite3.connect(
        db.engine.url.database, isolation_level=None, check_same_thread=check_same_thread
    )
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM people").fetchone()
    return reader


def emails_on_disk(db, people: list[h.PersonRow]) -> list[str]:
    """The e-mails of `people` found in the hub's file or its WAL, as raw bytes."""
    path = Path(db.engine.url.database)
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return [p.email for p in people if p.email.encode() in raw]


@pytest.mark.slow
def test_a_reader_during_the_purge_leaves_the_compaction_owed_never_skipped(sqlite_site):
    """A reader still on a snapshot from before the purge kept every purged e-mail in the
    hub's file and WAL, and the purge said it was compacted only when nothing read."""
    db = sqlite_site.db
    gone, _ = ministerial(db)
    reader = hold_snapshot(db)
    try:
        first = purge(db, LATER, "office", patience=0)
        assert first.people == len(gone) and first.compacted is False
        assert "not compacted yet" in first.summary()
        assert emails_on_disk(db, gone)  # the reader's pages: SQLite must keep them
        assert compaction_owed(db) == "checkpoint"  # the VACUUM was done
        reader.execute("COMMIT")  # done reading; the file stays open
        again = purge(db, LATER, "office")  # nothing new is due: the owed compaction
        assert again.people == 0 and again.compacted is True
        assert emails_on_disk(db, gone) == [] and compaction_owed(db) is None
    finally:
        reader.close()


@pytest.mark.slow
def test_a_compaction_owed_is_done_when_the_hub_starts(sqlite_site):
    db = sqlite_site.db
    gone, _ = ministerial(db)
    reader = hold_snapshot(db)
    try:
        assert purge(db, LATER, "office", patience=0).compacted is False
        reader.execute("COMMIT")
        assert compact_if_owed(db) is True  # what `kiosk-hub serve` runs first
        assert emails_on_disk(db, gone) == [] and compaction_owed(db) is None
        assert compact_if_owed(db) is None  # nothing owed: nothing done
    finally:
        reader.close()


def test_the_purge_waits_for_a_reader_that_ends_then_compacts(sqlite_site):
    """A reader that ends once the purge has committed (as a feed request does): the
    compaction waits for it instead of giving up."""
    db = sqlite_site.db
    gone, _ = ministerial(db)
    reader = hold_snapshot(db, check_same_thread=False)

    def end_once_the_purge_committed() -> None:
        with closing(sqlite3.connect(db.engine.url.database)) as look:
            purged = "SELECT 1 FROM journal WHERE kiosk_id = 'hub' AND action = 'purge'"
            while not look.execute(purged).fetchone():
                time.sleep(0.01)  # a condition polled, not a time waited for
        reader.execute("COMMIT")

    watcher = threading.Thread(target=end_once_the_purge_committed, daemon=True)
    watcher.start()
    try:
        report = purge(db, LATER, "office")
        watcher.join()
        assert report.compacted is True and compaction_owed(db) is None
        assert emails_on_disk(db, gone) == []
    finally:
        reader.close()
