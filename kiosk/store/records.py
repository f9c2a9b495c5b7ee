"""Rows to the values of `kiosk.model`, and the lookups the counter makes per scan.

Every lookup here is by primary key or an index, so a scan costs the same with a
thousand accreditations or a million.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.model import (
    Accreditation,
    Badge,
    BadgeStatus,
    Case,
    Counter,
    Event,
    Flow,
    IdDocument,
    Letter,
    LetterKind,
    LetterMember,
    MediaKind,
    Person,
    Proof,
    Status,
)
from kiosk.store.schema import (
    AccreditationRow,
    BadgeRow,
    EventRow,
    LetterRow,
    PersonRow,
    PhotoRow,
)

JPEG_MAGIC = b"\xff\xd8\xff"


def to_event(row: EventRow) -> Event:
    """An event row as a value."""
    return Event(
        id=row.id,
        name=row.name,
        place=row.place,
        at_hq=row.at_hq,
        first_day=row.first_day,
        last_day=row.last_day,
        collection_opens=row.collection_opens,
        collection_closes=row.collection_closes,
        annual_admitted=row.annual_admitted,
        valid_with=tuple(row.valid_with or ()),
        colour=row.colour,
    )


def to_person(row: PersonRow, has_photo: bool) -> Person:
    """A person row as a value."""
    return Person(
        id=row.id,
        surname=row.surname,
        given_names=row.given_names,
        date_of_birth=row.date_of_birth,
        nationality=row.nationality,
        email=row.email,
        organisation=row.organisation,
        media_kind=MediaKind(row.media_kind),
        has_photo=has_photo,
    )


def to_letter(row: LetterRow) -> Letter:
    """A letter row as a value."""
    return Letter(
        kind=LetterKind(row.kind),
        organisation=row.organisation,
        signed=row.signed,
        members=tuple(
            LetterMember(
                m["surname"],
                m["given_names"],
                date.fromisoformat(m["date_of_birth"]),
                "",
                m["document_digest"],
                m["document_tail"],
            )
            for m in row.members
        ),
    )


def to_accreditation(row: AccreditationRow, letter: LetterRow | None) -> Accreditation:
    """An accreditation row (and its letter) as a value."""
    return Accreditation(
        id=row.id,
        person_id=row.person_id,
        flow=Flow(row.flow),
        status=Status(row.status),
        id_document=IdDocument(
            number="",  # kept as a keyed hash and its tail only (kiosk/documents.py)
            number_digest=row.doc_number_digest,
            number_tail=row.doc_number_tail,
            issuing_state=row.doc_state,
            surname=row.doc_surname,
            given_names=row.doc_given_names,
            date_of_birth=row.doc_birth_date,
            expiry=row.doc_expiry,
            kind=row.doc_kind,
        ),
        proof=Proof(row.press_card, to_letter(letter) if letter else None),
        year=row.year,
        event_id=row.event_id,
        status_reason=row.status_reason,
        status_changed_at=row.status_changed_at,
        pool=row.pool,
    )


def to_badge(row: BadgeRow) -> Badge:
    """A badge row as a value."""
    return Badge(
        serial=row.serial,
        accreditation_id=row.accreditation_id,
        counter=Counter(row.counter),
        kiosk_id=row.kiosk_id,
        clerk=row.clerk,
        issued_at=row.issued_at,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        status=BadgeStatus(row.status),
        supervisor=row.supervisor,
        reason=row.reason,
    )


def photo_ok(session: Session, person_id: int) -> bool:
    """A JPEG photo is on file (its first bytes are read, not the picture)."""
    head = session.scalar(
        select(func.substr(PhotoRow.jpeg, 1, 3)).where(PhotoRow.person_id == person_id)
    )
    return head == JPEG_MAGIC


def photo(session: Session, person_id: int) -> bytes | None:
    """The person's photo, or None."""
    return session.scalar(select(PhotoRow.jpeg).where(PhotoRow.person_id == person_id))


ISSUED = (BadgeStatus.ACTIVE, BadgeStatus.PRINTING)  # a card given out, or on its way out
WAITING = (BadgeStatus.PRINT_FAILED, BadgeStatus.PREPRINTED)  # a card not given out yet


ENDED = (BadgeStatus.REVOKED, BadgeStatus.SUPERSEDED)  # never valid again


def badges_in_play(
    session: Session, accreditation_id: int
) -> tuple[tuple[Badge, ...], tuple[Badge, ...], tuple[Badge, ...]]:
    """An accreditation's issued badges (active first, then printing), its waiting ones
    (print failed, pre-printed) and its ended ones (revoked, superseded), newest first,
    in one indexed lookup."""
    rows = session.scalars(
        select(BadgeRow)
        .where(
            BadgeRow.accreditation_id == accreditation_id,
            BadgeRow.status.in_([b.value for b in (*ISSUED, *WAITING, *ENDED)]),
        )
        .order_by(BadgeRow.issued_at.desc())
    )
    badges = [to_badge(r) for r in rows]
    issued = tuple(b for status in ISSUED for b in badges if b.status is status)
    waiting = tuple(b for b in badges if b.status in WAITING)
    return issued, waiting, tuple(b for b in badges if b.status in ENDED)


def annual_accreditation_id(session: Session, person_id: int, year: int) -> int | None:
    """The person's approved annual accreditation for `year`, if any."""
    return session.scalar(
        select(AccreditationRow.id)
        .where(
            AccreditationRow.person_id == person_id,
            AccreditationRow.flow == Flow.ANNUAL.value,
            AccreditationRow.status == Status.APPROVED.value,
            AccreditationRow.year == year,
        )
        .limit(1)
    )


def load_case(session: Session, accreditation_id: int) -> Case | None:
    """Everything the rules need about one accreditation, or None if it is not on file.

    One joined select brings the accreditation, its person, letter, event and the first
    bytes of the photo; badges, an annual accreditation of the same person and the
    events declared valid with it take one indexed lookup each.
    """
    found = session.execute(
        select(AccreditationRow, PersonRow, LetterRow, EventRow, func.substr(PhotoRow.jpeg, 1, 3))
        .join(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .outerjoin(LetterRow, LetterRow.id == AccreditationRow.letter_id)
        .outerjoin(EventRow, EventRow.id == AccreditationRow.event_id)
        .outerjoin(PhotoRow, PhotoRow.person_id == AccreditationRow.person_id)
        .where(AccreditationRow.id == accreditation_id)
    ).first()
    if found is None:
        return None
    acc, person, letter, event_row, photo_head = found
    event = to_event(event_row) if event_row else None
    linked: tuple[Event, ...] = ()
    if event and event.valid_with:
        rows = session.scalars(select(EventRow).where(EventRow.id.in_(event.valid_with)))
        linked = tuple(to_event(r) for r in rows)
    has_photo = photo_head == JPEG_MAGIC
    issued, waiting, ended = badges_in_play(session, acc.id)
    year = event.first_day.year if event else acc.year
    annual_id = (
        annual_accreditation_id(session, acc.person_id, year)
        if acc.flow == Flow.EVENT.value and year is not None
        else None
    )
    annual_issued = badges_in_play(session, annual_id)[0] if annual_id is not None else ()
    return Case(
        accreditation=to_accreditation(acc, letter),
        person=to_person(person, has_photo),
        event=event,
        linked_events=linked,
        active_badges=issued,
        waiting_badges=waiting,
        holds_annual=annual_id is not None,
        annual_badge=annual_issued[0] if annual_issued else None,
        ended_badges=ended,
        photo_ok=has_photo,
    )
