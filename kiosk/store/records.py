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
from kiosk.photo_rules import JPEG_MAGIC
from kiosk.store.case_reader import Source, read_case
from kiosk.store.schema import (
    AccreditationRow,
    BadgeRow,
    EventRow,
    LetterRow,
    PersonRow,
    PhotoRow,
)


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
        name_fr=row.name_fr or "",
        place_fr=row.place_fr or "",
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
        status_reason_fr=row.status_reason_fr or "",
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


def load_case(source: Source, accreditation_id: int) -> Case | None:
    """Everything the rules need about one accreditation, or None if it is not on file:
    read by the scan's hot path (`kiosk.store.case_reader`), in the session's (or the
    snapshot's) transaction."""
    return read_case(source, accreditation_id)
