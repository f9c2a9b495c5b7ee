"""The hand-offs the counters gave applicants (kiosk/handoff.py), as the office lists them:
newest first, with the registration, the holder, what to fix and where the application
stands now (so the office sees which it has dealt with)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.schema import AccreditationRow, JournalRow, PersonRow
from kiosk.handoff import ACTION, OFFICE_FIXES


@dataclass(frozen=True)
class HandoffLine:
    """One hand-off slip given at a counter."""

    at: datetime
    kiosk_id: str
    clerk: str
    accreditation_id: int
    name: str
    status: str  # the accreditation's status at the hub now
    reasons: tuple[str, ...]

    @property
    def registration(self) -> str:
        return f"A{self.accreditation_id:07d}"

    @property
    def reasons_en(self) -> tuple[str, ...]:
        return tuple(OFFICE_FIXES[r][0] for r in self.reasons)

    @property
    def reasons_fr(self) -> tuple[str, ...]:
        return tuple(OFFICE_FIXES[r][1] for r in self.reasons)


def list_handoffs(s: Session, since: datetime | None = None) -> list[HandoffLine]:
    """Every hand-off received (after `since`), newest first."""
    q = (
        select(JournalRow, AccreditationRow.status, PersonRow.surname, PersonRow.given_names)
        .outerjoin(AccreditationRow, AccreditationRow.id == JournalRow.accreditation_id)
        .outerjoin(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .where(JournalRow.action == ACTION)
        .order_by(JournalRow.at.desc(), JournalRow.id.desc())
    )
    if since is not None:
        q = q.where(JournalRow.at >= since)
    return [
        HandoffLine(
            row.at,
            row.kiosk_id,
            row.actor,
            row.accreditation_id,
            f"{surname.upper()}, {given}" if surname else "?",
            status or "unknown",
            tuple(r for r in row.details.get("reasons", ()) if r in OFFICE_FIXES),
        )
        for row, status, surname, given in s.execute(q)
    ]
