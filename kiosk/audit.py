"""The tamper-evident journal: every entry commits to the one before it.

``hash = sha256(prev_hash + canonical JSON of the entry)``. The store fills both
columns as entries are flushed, inside the writer's transaction (writers hold SQLite's
lock from BEGIN IMMEDIATE, so two writers never fork the chain). Editing, deleting or
reordering an entry breaks the chain at that entry; `verify_chain` names the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from kiosk.store.schema import JournalRow

GENESIS = "0" * 64


def canonical(row: JournalRow) -> bytes:
    """The bytes an entry's hash covers: every field but its id and its own hashes."""
    at = row.at.astimezone(UTC).isoformat()
    fields = {
        "at": at,
        "kiosk_id": row.kiosk_id,
        "actor": row.actor,
        "action": row.action,
        "accreditation_id": row.accreditation_id,
        "badge_serial": row.badge_serial,
        "verdict": row.verdict,
        "details": row.details or {},
    }
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def entry_hash(prev_hash: str, row: JournalRow) -> str:
    """The hash of an entry that follows `prev_hash`."""
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


def _chain_new_entries(session: Session, _context: object, _instances: object) -> None:
    fresh = [o for o in session.new if isinstance(o, JournalRow)]
    if not fresh:
        return
    last = session.scalar(select(JournalRow.hash).order_by(JournalRow.id.desc()).limit(1))
    prev = last or GENESIS
    for row in fresh:
        row.prev_hash = prev
        row.hash = prev = entry_hash(prev, row)


def install(session_class: type[Session] = Session) -> None:
    """Chain every journal entry flushed by sessions of `session_class`."""
    if not event.contains(session_class, "before_flush", _chain_new_entries):
        event.listen(session_class, "before_flush", _chain_new_entries)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose place in the chain does not hold, and why."""

    entry_id: int
    reason: str


def entries(session: Session) -> Iterator[JournalRow]:
    """The journal in order."""
    yield from session.scalars(select(JournalRow).order_by(JournalRow.id))


def verify_chain(session: Session) -> tuple[int, ChainBreak | None]:
    """Check the whole journal; return how many entries held and the first break."""
    prev, count = GENESIS, 0
    for row in entries(session):
        if row.prev_hash != prev:
            return count, ChainBreak(
                row.id,
                "does not follow the entry before it (an entry was deleted, inserted or moved)",
            )
        if row.hash != entry_hash(prev, row):
            return count, ChainBreak(row.id, "its content was changed after it was written")
        prev, count = row.hash, count + 1
    return count, None


def export_lines(session: Session) -> Iterator[str]:
    """The journal as JSON lines, hashes included, for the office to verify."""
    for row in entries(session):
        doc = json.loads(canonical(row))
        doc.update(id=row.id, prev_hash=row.prev_hash, hash=row.hash)
        yield json.dumps(doc, ensure_ascii=False, sort_keys=True)
