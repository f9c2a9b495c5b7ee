"""The hand-offs the counters gave applicants (kiosk/handoff.py), as the office lists them:
newest first, with the registration, the holder, what to fix and where the application
stands now, and whether the office marked it handled (who, when, how)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase, lock_changes
from hub.purge import journal
from hub.schema import AccreditationRow, HandoffHandledRow, JournalRow, PersonRow
from kiosk.handoff import ACTION, OFFICE_FIXES
from kiosk.typed import line_refusal

NOTE_MAX = 2000


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
    row_id: int = 0  # the hub's journal row: what "mark handled" names
    handled: HandoffHandledRow | None = None

    @property
    def registration(self) -> str:
        return f"A{self.accreditation_id:07d}"

    @property
    def reasons_en(self) -> tuple[str, ...]:
        return tuple(OFFICE_FIXES[r][0] for r in self.reasons)

    @property
    def reasons_fr(self) -> tuple[str, ...]:
        return tuple(OFFICE_FIXES[r][1] for r in self.reasons)


def list_handoffs(
    s: Session, since: datetime | None = None, open_only: bool = False
) -> list[HandoffLine]:
    """Every hand-off received (after `since`; only those not marked handled with
    `open_only`), newest first."""
    q = (
        select(
            JournalRow,
            AccreditationRow.status,
            PersonRow.surname,
            PersonRow.given_names,
            HandoffHandledRow,
        )
        .outerjoin(HandoffHandledRow, HandoffHandledRow.journal_row == JournalRow.id)
        .outerjoin(AccreditationRow, AccreditationRow.id == JournalRow.accreditation_id)
        .outerjoin(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .where(JournalRow.action == ACTION)
        .order_by(JournalRow.at.desc(), JournalRow.id.desc())
    )
    if since is not None:
        q = q.where(JournalRow.at >= since)
    if open_only:
        q = q.where(HandoffHandledRow.journal_row.is_(None))
    return [
        HandoffLine(
            row.at,
            row.kiosk_id,
            row.actor,
            row.accreditation_id,
            f"{surname.upper()}, {given}" if surname else "?",
            status or "unknown",
            tuple(r for r in row.details.get("reasons", ()) if r in OFFICE_FIXES),
            row.id,
            handled,
        )
        for row, status, surname, given, handled in s.execute(q)
    ]


class HandleRefused(ValueError):
    """A hand-off that cannot be marked handled: a sentence in English and French."""

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en)
        self.en, self.fr = en, fr


def mark_handled(db: HubDatabase, row_id: int, note: str, by: str, now: datetime) -> None:
    """Mark the hand-off in journal row `row_id` handled, with a note, as `by`, journalled
    in the hub's journal; HandleRefused (nothing changed) when it cannot be."""
    note = note.strip()
    if not note or len(note) > NOTE_MAX:
        raise HandleRefused(
            f"Write a note: what the office did (at most {NOTE_MAX} characters).",
            f"Écrivez une note : ce que le bureau a fait ({NOTE_MAX} caractères au plus).",
        )
    if refused := line_refusal(note, lines=True):
        raise HandleRefused(*refused)
    with db.writing() as s:
        lock_changes(s)  # two offices marking it at once: the second sees the first's
        row = s.get(JournalRow, row_id)
        if row is None or row.action != ACTION:
            raise HandleRefused(
                f"There is no hand-off {row_id}.",
                f"Il n'y a pas de transmission au bureau {row_id}.",
            )
        done = s.get(HandoffHandledRow, row_id)
        if done is not None:
            raise HandleRefused(
                f"This hand-off was marked handled already by {done.handled_by}.",
                f"Cette transmission au bureau a déjà été réglée par {done.handled_by}.",
            )
        s.add(HandoffHandledRow(journal_row=row_id, handled_at=now, handled_by=by, note=note))
        where = {"handoff": row_id, "kiosk": row.kiosk_id, "journal_id": row.journal_id}
        journal(s, "handoff_handled", by, where | {"note": note}, now)
