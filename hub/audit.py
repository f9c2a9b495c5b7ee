"""Every kiosk's journal chain as the hub holds it, checked with `kiosk.audit`'s own hash.

The hub checks each row as it arrives (hub/receive.py) and records a break as a
conflict; `verify` walks the chains held, kiosk by kiosk, from the chain's start, and
names the first entry of each that does not hold (`kiosk-hub audit verify`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.schema import JournalRow
from kiosk import audit

BATCH = 2000


@dataclass(frozen=True)
class KioskChain:
    """One kiosk's chain at the hub: entries that hold, and the first that does not."""

    kiosk_id: str
    entries: int
    broken_at: int | None = None  # the kiosk's journal id
    reason: str = ""


def _rows(s: Session, kiosk_id: str) -> Iterator[JournalRow]:
    after = 0
    while True:
        batch = s.scalars(
            select(JournalRow)
            .where(JournalRow.kiosk_id == kiosk_id, JournalRow.journal_id > after)
            .order_by(JournalRow.journal_id)
            .limit(BATCH)
        ).all()
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].journal_id


def verify_kiosk(s: Session, kiosk_id: str) -> KioskChain:
    """Check one kiosk's chain from its start."""
    prev, count = audit.GENESIS, 0
    for row in _rows(s, kiosk_id):
        if row.prev_hash != prev:
            return KioskChain(
                kiosk_id,
                count,
                row.journal_id,
                "does not follow the entry before it (an entry was deleted, inserted or moved)",
            )
        if row.hash != audit.entry_hash(prev, row):
            return KioskChain(
                kiosk_id, count, row.journal_id, "its content was changed after it was written"
            )
        prev, count = row.hash, count + 1
    return KioskChain(kiosk_id, count)


def verify(db: HubDatabase, kiosk_id: str | None = None) -> list[KioskChain]:
    """The chains of every kiosk the hub holds a journal of (or of `kiosk_id` only: none
    when the hub holds nothing of it)."""
    with db.reading() as s:
        held = select(JournalRow.kiosk_id).distinct().order_by(JournalRow.kiosk_id)
        if kiosk_id:
            held = held.where(JournalRow.kiosk_id == kiosk_id)
        return [verify_kiosk(s, k) for k in s.scalars(held).all()]
