"""`kiosk-hub purge`: the hub forgets personal data by the kiosks' own retention rule.

The rule and the blanking are kiosk/purge.py's, run over the hub's tables (same column
names; the hub keeps a person's photo in the person's row). Purged rows keep their
change numbers: kiosks purge their own copies by the same rule, and a kiosk pulling from
scratch receives them blank. A re-import leaves them alone (hub/importer.py).

On SQLite the purge runs with ``secure_delete`` on, then VACUUMs and checkpoints the
file with the kiosk's own code (kiosk/compaction.py): it waits for readers still on a
snapshot from before the purge (the served hub's feed requests, the web console) and,
past that, is owed (``<database file>-purge-compaction-owed``) and done by the next
``kiosk-hub purge`` or ``kiosk-hub serve`` start, whether or not anything new is due.
On PostgreSQL it runs ``VACUUM FULL`` on the tables it changed, which rewrites them, once
no transaction older than the purge is left to see the old rows, and is owed past that
(hub/pg_compaction.py: a ``hub_meta`` row written by the purge itself); PostgreSQL's WAL
segments and any backups still hold the old rows until they are recycled or expire: the
site's backup retention must follow the same rule.

Each run is recorded in the hub's own hash-chained journal (kiosk id ``hub``), which
`kiosk-hub audit verify` checks with the kiosks'.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub import pg_compaction
from hub.database import HubDatabase
from hub.schema import (
    AccreditationRow,
    BadgeEventRow,
    EventRow,
    JournalRow,
    LetterRow,
    PersonRow,
)
from kiosk import audit
from kiosk.compaction import PATIENCE, VACUUM, SqliteFile, after_purge
from kiosk.purge import (
    COMPACTION_OWED,
    PurgeReport,
    Tables,
    blank_due,
    blank_event_notes,
    count_due,
    due_at,
    secure_delete,
)

HUB_TABLES = Tables(EventRow, PersonRow, AccreditationRow, LetterRow)
HUB_JOURNAL = "hub"  # lower case: no kiosk can be enrolled under it (hub/clients.py)
CHANGED = ("people", "accreditations", "letters", "badge_events")


def journal(s: Session, action: str, actor: str, details: dict, now: datetime) -> None:
    """Append to the hub's own chained journal (kiosk id "hub")."""
    last = s.execute(
        select(JournalRow.journal_id, JournalRow.hash)
        .where(JournalRow.kiosk_id == HUB_JOURNAL)
        .order_by(JournalRow.journal_id.desc())
        .limit(1)
    ).first()
    number, prev = (last[0] + 1, last[1]) if last else (1, audit.GENESIS)
    entry = {
        "at": now,
        "kiosk_id": HUB_JOURNAL,
        "actor": actor,
        "action": action,
        "accreditation_id": None,
        "badge_serial": None,
        "verdict": None,
        "details": details,
    }
    digest = audit.entry_hash(prev, SimpleNamespace(**entry))
    s.add(
        JournalRow(
            **entry,
            journal_id=number,
            prev_hash=prev,
            hash=digest,
            seen_cursor=0,
            digest=digest,
            received_at=now,
            via=HUB_JOURNAL,
        )
    )


def purge(
    db: HubDatabase, now: datetime, actor: str, dry_run: bool = False, patience: float = PATIENCE
) -> PurgeReport:
    """Blank what is past retention at `now`; `dry_run` only counts. Then compact,
    waiting up to `patience` seconds for other readers (`compact`)."""
    with db.writing() as s:
        due = due_at(s, HUB_TABLES, now)
        photos = select(func.count()).where(due.people, PersonRow.photo.is_not(None))
        report = PurgeReport(now, dry_run, photos=s.scalar(photos), **count_due(s, due))
        if dry_run:
            return report
        with secure_delete(s, db.is_sqlite):
            blank_due(s, due, now, photo=None)
            blank_event_notes(s, AccreditationRow, BadgeEventRow)
        journal(s, "purge", actor, report.details(), now)
        done = bool(report.accreditations or report.people or report.letters)
        if done and not db.is_sqlite:
            pg_compaction.mark_owed(s)
    vacuum = after_purge(compaction_owed(db), done)
    return replace(report, compacted=None if vacuum is None else compact(db, patience, vacuum))


def compact(db: HubDatabase, patience: float = PATIENCE, vacuum: bool = True) -> bool:
    """Rewrite what the purge changed so the old rows leave the database's files; False
    when other connections kept reading for `patience` seconds (SQLite: a reader still on
    a snapshot from before; PostgreSQL: a transaction older than the purge): it is then
    owed (`compaction_owed`) and the next purge or start does it."""
    if not db.is_sqlite:
        return pg_compaction.compact(db, CHANGED, patience)
    return _file(db).compact(patience, vacuum)


def compact_if_owed(db: HubDatabase) -> bool | None:
    """Do an earlier purge's compaction if it is owed (`kiosk-hub serve` at its start);
    None when nothing is owed."""
    vacuum = after_purge(compaction_owed(db), False)
    return None if vacuum is None else compact(db, vacuum=vacuum)


def compaction_owed(db: HubDatabase) -> str | None:
    """What an earlier purge's compaction left undone: "checkpoint" (SQLite only),
    "vacuum" or None."""
    if not db.is_sqlite:
        return None if pg_compaction.owed(db) is None else VACUUM
    return _file(db).owed()


def _file(db: HubDatabase) -> SqliteFile:
    """The hub's SQLite database as a file to compact, its owed mark beside it
    (`hub.sqlite3-purge-compaction-owed`: a folder may hold more than one database)."""
    path = Path(db.engine.url.database)
    return SqliteFile(db.engine.raw_connection, path.with_name(f"{path.name}-{COMPACTION_OWED}"))
