"""Indexes a first sync builds once, at its end, instead of row by row.

The index of accreditations by document-number digest has keys spread at random (keyed
hashes): past a few thousand rows, every accreditation a page inserts dirties a page of
the index of its own, which the commit writes to the WAL and the checkpoint again. At
100,000 accreditations that cost more than the photos: the same rows written by bare
SQLite took 2.9 s of CPU with the index kept up row by row, 1.8 s without it, and
building it from the whole table at the end takes 0.07 s (`bench/sync_phases.py`,
docs/benchmarks-sync.md). So a first sync drops it on its first page and the page that
says no more follow builds it again; opening a store builds it too, should a first
sync have stopped half-way. Without it, a search by document number reads the table:
the same answers, more slowly.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex

from kiosk.store.schema import AccreditationRow

DEFERRED = tuple(
    index
    for index in AccreditationRow.__table__.indexes
    if index.name == "ix_accreditations_doc_number_digest"
)
_CREATE = tuple(
    str(CreateIndex(index, if_not_exists=True).compile(dialect=sqlite.dialect()))
    for index in DEFERRED
)


def drop_deferred(db: sqlite3.Connection) -> None:
    """Drop the deferred indexes, in the caller's transaction (a first sync's first page)."""
    for index in DEFERRED:
        db.execute(f"DROP INDEX IF EXISTS {index.name}")


def restore_deferred(db: sqlite3.Connection) -> None:
    """Build the deferred indexes that are missing, in the caller's transaction; nothing
    is written when they are all there."""
    for statement in _CREATE:
        db.execute(statement)
