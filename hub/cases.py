"""The hub's rows as the values the rules take, so the hub asks `kiosk.rules` (never a
copy of them) whether an issuance would still stand on the office's current data.

The hub's tables use the kiosk store's column names, so the store's row-to-value
functions read them as they are.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hub.schema import AccreditationRow, EventRow, LetterRow, PersonRow
from kiosk.model import Case, Flow, Status
from kiosk.store.records import JPEG_MAGIC, to_accreditation, to_event, to_person


def hub_case(s: Session, acc: AccreditationRow) -> Case:
    """Everything the rules need about `acc`, as the hub holds it now (no badges)."""
    person = s.get(PersonRow, acc.person_id)
    letter = s.get(LetterRow, acc.letter_id) if acc.letter_id is not None else None
    event_row = s.get(EventRow, acc.event_id) if acc.event_id else None
    event = to_event(event_row) if event_row else None
    linked = tuple(
        to_event(r)
        for r in (s.get(EventRow, eid) for eid in (event.valid_with if event else ()))
        if r is not None
    )
    photo_ok = bool(person.photo and person.photo.startswith(JPEG_MAGIC))
    year = event.first_day.year if event else acc.year
    holds_annual = acc.flow == Flow.EVENT.value and bool(
        s.scalar(
            select(
                exists().where(
                    AccreditationRow.person_id == acc.person_id,
                    AccreditationRow.flow == Flow.ANNUAL.value,
                    AccreditationRow.status == Status.APPROVED.value,
                    AccreditationRow.year == year,
                )
            )
        )
    )
    return Case(
        accreditation=to_accreditation(acc, letter),  # type: ignore[arg-type]
        person=to_person(person, photo_ok),  # type: ignore[arg-type]
        event=event,
        linked_events=linked,
        holds_annual=holds_annual,
        photo_ok=photo_ok,
    )


def latest_change(s: Session, acc: AccreditationRow) -> int:
    """The newest change number among the rows an issuance of `acc` was decided on."""
    seqs = [acc.seq, s.get(PersonRow, acc.person_id).seq]
    if acc.letter_id is not None:
        seqs.append(s.get(LetterRow, acc.letter_id).seq)
    if acc.event_id:
        event = s.get(EventRow, acc.event_id)
        seqs.append(event.seq)
        seqs += [e.seq for e in (s.get(EventRow, i) for i in event.valid_with) if e is not None]
    return max(seqs)
