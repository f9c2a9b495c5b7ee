"""`kiosk-hub purge` on PostgreSQL: a transaction older than the purge keeps the old row
versions in the rewritten tables, so the compaction waits for it or is owed."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import text

from hub.purge import compact_if_owed, compaction_owed, purge
from tests.hub.test_hub_purge import LATER, ministerial
from tests.site_fixtures import fill

pytestmark = pytest.mark.parametrize("hub_db", ["postgresql"], indirect=True)
TABLES = ("people", "accreditations", "letters")


@pytest.fixture
def filled(hub_db, export_and_entries):
    fill(hub_db, export_and_entries[0])
    return hub_db


def emails_on_disk(db, postgres, people) -> list[str]:
    """The e-mails of `people` found in the table files (and their TOAST tables) of the
    purged tables, as raw bytes, once a CHECKPOINT has written every page."""
    raw = b""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("CHECKPOINT")
        for table in TABLES:
            paths = c.execute(
                text(
                    "SELECT pg_relation_filepath(oid), pg_relation_filepath(reltoastrelid) "
                    "FROM pg_class WHERE relname = :t AND relkind = 'r'"
                ),
                {"t": table},
            ).one()
            for path in filter(None, paths):
                base = postgres.data / "db" / path
                raw += b"".join(f.read_bytes() for f in base.parent.glob(base.name + "*"))
    return [p.email for p in people if p.email.encode() in raw]


def hold_snapshot(db) -> psycopg.Connection:
    """Another program's transaction begun before the purge (the web console, a report)
    that has read nothing of the purged tables: a snapshot of the database as it is now."""
    reader = psycopg.connect(db.url.replace("+psycopg", ""), autocommit=True)
    reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    reader.execute("SELECT count(*) FROM hub_meta").fetchone()
    return reader


def test_without_other_transactions_nothing_purged_stays_in_the_tables(filled, postgres):
    gone, kept = ministerial(filled)
    report = purge(filled, LATER, "office")
    assert report.people == len(gone) and report.compacted is True
    assert compaction_owed(filled) is None
    assert emails_on_disk(filled, postgres, gone) == []
    assert len(emails_on_disk(filled, postgres, kept)) == len(kept)  # the scan sees rows


def test_a_transaction_older_than_the_purge_leaves_the_compaction_owed(filled, postgres):
    """Seen: such a transaction kept all 102 purged e-mails in the rewritten tables' files
    while the purge reported them compacted."""
    gone, _ = ministerial(filled)
    reader = hold_snapshot(filled)
    try:
        first = purge(filled, LATER, "office", patience=0)
        assert first.people == len(gone) and first.compacted is False
        assert "not compacted yet" in first.summary()
        assert compaction_owed(filled) == "vacuum"
        assert emails_on_disk(filled, postgres, gone)  # not rewritten: the snapshot is open
        reader.execute("COMMIT")
        again = purge(filled, LATER, "office")  # nothing new is due: the owed compaction
        assert again.people == 0 and again.compacted is True
        assert emails_on_disk(filled, postgres, gone) == [] and compaction_owed(filled) is None
    finally:
        reader.close()


def test_a_compaction_owed_is_done_when_the_hub_starts(filled, postgres):
    gone, _ = ministerial(filled)
    reader = hold_snapshot(filled)
    try:
        assert purge(filled, LATER, "office", patience=0).compacted is False
        reader.execute("COMMIT")
        assert compact_if_owed(filled) is True  # what `kiosk-hub serve` runs first
        assert emails_on_disk(filled, postgres, gone) == [] and compaction_owed(filled) is None
        assert compact_if_owed(filled) is None  # nothing owed: nothing done
    finally:
        reader.close()


def test_the_purge_waits_for_an_older_transaction_that_ends_then_compacts(filled, postgres):
    """A transaction that ends once the purge has committed: the compaction waits for it
    instead of rewriting the tables with its old rows in them."""
    gone, _ = ministerial(filled)
    reader = hold_snapshot(filled)
    look = psycopg.connect(filled.url.replace("+psycopg", ""), autocommit=True)
    purged = "SELECT 1 FROM journal WHERE kiosk_id = 'hub' AND action = 'purge'"

    def end_once_the_purge_committed() -> None:
        while not look.execute(purged).fetchone():
            time.sleep(0.01)  # a condition polled, not a time waited for
        reader.execute("COMMIT")

    watcher = threading.Thread(target=end_once_the_purge_committed, daemon=True)
    watcher.start()
    try:
        report = purge(filled, LATER, "office")
        watcher.join()
        assert report.compacted is True and compaction_owed(filled) is None
        assert emails_on_disk(filled, postgres, gone) == []
    finally:
        reader.close()
        look.close()
