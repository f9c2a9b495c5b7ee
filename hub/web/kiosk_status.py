"""Kiosks and security posts as the hub sees them: last contact, online or not and for
how long, journal rows not yet received, clock drift, and their keys.

What the hub can know: a kiosk is in contact when it pulls the feed (its "last seen",
written at least every 30 s while it pulls, hub/app.py) or delivers its journal. Rows not
yet received are those between the last row the hub holds and the head the kiosk reported
with its last delivery: rows written since are unknown until it delivers again. Clock
drift is measured exactly when the kiosk sends its clock reading with its requests
(hub/clock_seen.py); for a kiosk that never did (an older one), it is estimated from its
freshest deliveries: a row's time on the kiosk's clock minus when the hub received it,
the largest over its last rows (a row delivered at once gives the drift; any delay makes
the estimate lower, never higher).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.clients import Role
from hub.clock_seen import clock_offsets
from hub.database import HubDatabase
from hub.keys import list_keys
from hub.receive import received_up_to
from hub.schema import ClientRow, JournalHeadRow, JournalRow
from kiosk.clock_check import TOLERANCE

ONLINE_WITHIN = timedelta(seconds=90)  # three "last seen" writes missed: offline
DRIFT_ROWS = 20


@dataclass(frozen=True)
class KioskStatus:
    """One kiosk or post, as the hub knows it."""

    id: str
    role: str
    last_contact: datetime | None
    online: bool
    since: timedelta | None  # how long ago the last contact was
    received: int  # its last journal row the hub holds
    unreceived: int | None  # None: it never reported a head
    drift: timedelta | None  # estimated from deliveries: for a kiosk that sent no clock
    keys: tuple[tuple[int, str], ...]  # (key id, state)
    revoked_at: datetime | None
    revoked_reason: str | None
    clock: timedelta | None = None  # measured on receipt: ahead (negative: behind)
    clock_at: datetime | None = None  # when the hub measured it

    @property
    def clock_off(self) -> bool:
        """The measured clock is off by more than the kiosks' tolerance."""
        return self.clock is not None and abs(self.clock) > TOLERANCE


def _drift(s: Session, kiosk_id: str) -> timedelta | None:
    rows = s.execute(
        select(JournalRow.at, JournalRow.received_at)
        .where(JournalRow.kiosk_id == kiosk_id, JournalRow.via == "http")
        .order_by(JournalRow.journal_id.desc())
        .limit(DRIFT_ROWS)
    ).all()
    if not rows:
        return None
    return max(at - received for at, received in rows)


def _status(s: Session, row: ClientRow, keys: dict, clocks: dict, now: datetime) -> KioskStatus:
    delivered = s.scalar(
        select(func.max(JournalRow.received_at)).where(JournalRow.kiosk_id == row.id)
    )
    contact = max((t for t in (row.last_seen_at, delivered) if t), default=None)
    up_to = received_up_to(s, row.id)
    head = s.get(JournalHeadRow, row.id)
    clock, clock_at = clocks.get(row.id, (None, None))
    return KioskStatus(
        id=row.id,
        role=row.role,
        last_contact=contact,
        online=bool(contact and now - contact <= ONLINE_WITHIN and row.revoked_at is None),
        since=now - contact if contact else None,
        received=up_to,
        unreceived=max(head.journal_id - up_to, 0) if head else None,
        drift=None if clock is not None else _drift(s, row.id),
        keys=tuple(keys.get(row.id, ())),
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
        clock=clock,
        clock_at=clock_at,
    )


def kiosk_statuses(db: HubDatabase, now: datetime) -> list[KioskStatus]:
    """Every enrolled kiosk and post, revoked ones last."""
    keys: dict[str, list[tuple[int, str]]] = {}
    for key in list_keys(db):
        keys.setdefault(key.owner, []).append((key.key_id, key.state))
    with db.reading() as s:
        rows = s.scalars(
            select(ClientRow).where(ClientRow.role != Role.OFFICE.value).order_by(ClientRow.id)
        ).all()
        clocks = clock_offsets(s)
        found = [_status(s, r, keys, clocks, now) for r in rows]
    return sorted(found, key=lambda k: (k.revoked_at is not None, k.id))
