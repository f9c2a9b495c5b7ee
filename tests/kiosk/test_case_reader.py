"""The scan's hot path (kiosk/store/case_reader.py) reads every case exactly as the ORM
reads the same rows: the ORM reading kept here is the former `load_case`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.model import BadgeStatus, Case, Event, Flow, Status
from kiosk.photo_rules import JPEG_MAGIC
from kiosk.store.case_reader import read_case
from kiosk.store.database import Store
from kiosk.store.records import to_accreditation, to_badge, to_event, to_person
from kiosk.store.schema import (
    AccreditationRow,
    BadgeRow,
    EventRow,
    LetterRow,
    PersonRow,
    PhotoRow,
)

ISSUED = (BadgeStatus.ACTIVE, BadgeStatus.PRINTING)
WAITING = (BadgeStatus.PRINT_FAILED, BadgeStatus.PREPRINTED)
ENDED = (BadgeStatus.REVOKED, BadgeStatus.SUPERSEDED)
VOIDED = (
    BadgeStatus.LOST,
    BadgeStatus.STOLEN,
    BadgeStatus.DAMAGED,
    BadgeStatus.FOUND,
    BadgeStatus.RETURNED,
)


def orm_badges(s: Session, accreditation_id: int) -> tuple[tuple, ...]:
    rows = s.scalars(
        select(BadgeRow)
        .where(
            BadgeRow.accreditation_id == accreditation_id,
            BadgeRow.status.in_([b.value for b in (*ISSUED, *WAITING, *ENDED, *VOIDED)]),
        )
        .order_by(BadgeRow.issued_at.desc())
    )
    badges = [to_badge(r) for r in rows]
    issued = tuple(b for st in ISSUED for b in badges if b.status is st)
    waiting = tuple(b for b in badges if b.status in WAITING)
    ended = tuple(b for b in badges if b.status in ENDED)
    return issued, waiting, ended, tuple(b for b in badges if b.status in VOIDED)


def orm_annual_id(s: Session, person_id: int, year: int) -> int | None:
    return s.scalar(
        select(AccreditationRow.id)
        .where(
            AccreditationRow.person_id == person_id,
            AccreditationRow.flow == Flow.ANNUAL.value,
            AccreditationRow.status == Status.APPROVED.value,
            AccreditationRow.year == year,
        )
        .limit(1)
    )


def orm_case(s: Session, accreditation_id: int) -> Case | None:
    """The case as the ORM reads it (the code the hot path replaced)."""
    found = s.execute(
        select(AccreditationRow, PersonRow, LetterRow, EventRow, func.substr(PhotoRow.jpeg, 1, 3))
        .join(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .outerjoin(LetterRow, LetterRow.id == AccreditationRow.letter_id)
        .outerjoin(EventRow, EventRow.id == AccreditationRow.event_id)
        .outerjoin(PhotoRow, PhotoRow.person_id == AccreditationRow.person_id)
        .where(AccreditationRow.id == accreditation_id)
    ).first()
    if found is None:
        return None
    acc, person, letter, event_row, head = found
    event = to_event(event_row) if event_row else None
    linked: tuple[Event, ...] = ()
    if event and event.valid_with:
        rows = s.scalars(select(EventRow).where(EventRow.id.in_(event.valid_with)))
        linked = tuple(to_event(r) for r in rows)
    issued, waiting, ended, voided = orm_badges(s, acc.id)
    year = event.first_day.year if event else acc.year
    annual_id = (
        orm_annual_id(s, acc.person_id, year)
        if acc.flow == Flow.EVENT.value and year is not None
        else None
    )
    annual_issued = orm_badges(s, annual_id)[0] if annual_id is not None else ()
    return Case(
        accreditation=to_accreditation(acc, letter),
        person=to_person(person, head == JPEG_MAGIC),
        event=event,
        linked_events=linked,
        active_badges=issued,
        waiting_badges=waiting,
        holds_annual=annual_id is not None,
        annual_badge=annual_issued[0] if annual_issued else None,
        ended_badges=ended,
        void_badges=voided,
        photo_ok=head == JPEG_MAGIC,
    )


def badge(acc_id: int, n: int, status: BadgeStatus, at: datetime) -> BadgeRow:
    return BadgeRow(
        serial=f"T1-{acc_id}-{n}",
        accreditation_id=acc_id,
        counter="groups",
        kiosk_id="T1",
        clerk="ann",
        supervisor="sue" if n % 2 else None,
        reason="lost" if n % 2 else "",
        issued_at=at,
        valid_from=date(2026, 2, 13),
        valid_until=date(2026, 2, 15),
        status=status.value,
    )


@pytest.fixture
def store(demo_dir):
    """The demo world's store with badges of every status on some accreditations, and
    one person's photo not a JPEG."""
    store = Store.in_dir(demo_dir)
    t0 = datetime(2026, 2, 14, 8, 30, 15, 123456, tzinfo=UTC)
    with store.writing() as s:
        ids = s.scalars(select(AccreditationRow.id).order_by(AccreditationRow.id)).all()
        for k, acc_id in enumerate(ids[:12]):
            for n, status in enumerate(BadgeStatus):
                if (k + n) % 3:
                    s.add(badge(acc_id, n, status, t0 + timedelta(minutes=k * 7 - n * 5)))
        s.get(PhotoRow, s.get(AccreditationRow, ids[-1]).person_id).jpeg = b"GIF89a"
        annual = s.scalars(  # an annual holder who also has an event accreditation
            select(AccreditationRow.id).where(
                AccreditationRow.flow == Flow.ANNUAL.value,
                AccreditationRow.status == Status.APPROVED.value,
                AccreditationRow.person_id.in_(
                    select(AccreditationRow.person_id).where(
                        AccreditationRow.flow == Flow.EVENT.value
                    )
                ),
            )
        ).first()
        s.add(badge(annual, 98, BadgeStatus.ACTIVE, t0))
    yield store
    store.close()


def test_every_case_reads_as_the_orm_reads_it(store):
    with store.reading() as s:
        ids = s.scalars(select(AccreditationRow.id)).all()
        cases = {i: read_case(s, i) for i in [*ids, max(ids) + 1]}
        assert cases == {i: orm_case(s, i) for i in cases}
    assert cases[max(ids) + 1] is None
    read = [c for c in cases.values() if c]
    # the world covers what the reader converts: letters, linked events, annual holders,
    # badges issued and waiting, a photo that is not a JPEG
    assert any(c.accreditation.proof.letter for c in read)
    assert any(c.linked_events for c in read) and any(c.holds_annual for c in read)
    assert any(c.active_badges for c in read) and any(c.waiting_badges for c in read)
    assert any(c.ended_badges for c in read) and any(c.annual_badge for c in read)
    assert any(not c.photo_ok for c in read) and any(c.photo_ok for c in read)


def test_a_snapshot_reads_what_a_session_reads(store):
    with store.reading() as s:
        ids = s.scalars(select(AccreditationRow.id)).all()
        by_session = [read_case(s, i) for i in ids]
    with store.snapshot() as db:
        assert [read_case(db, i) for i in ids] == by_session


def test_changes_not_yet_flushed_are_read(store):
    with store.writing() as s:
        acc_id = s.scalars(select(AccreditationRow.id)).first()
        before = read_case(s, acc_id)
        at = datetime(2026, 2, 14, 11, tzinfo=UTC)
        s.add(badge(acc_id, 99, BadgeStatus.ACTIVE, at))
        after = read_case(s, acc_id)
        s.rollback()
    assert after.active_badges[0].serial == f"T1-{acc_id}-99"
    assert after.active_badges[0].issued_at == at
    assert len(after.active_badges) == len(before.active_badges) + 1


def test_a_scan_reads_the_photo_head_from_its_index_not_the_photos(store):
    from kiosk.store.case_reader import _CASE

    with store.snapshot() as db:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + _CASE.text, {"id": 1})]
    photos = [step for step in plan if "photos" in step]
    assert photos == ["SEARCH photos USING INDEX ix_photos_head (person_id=?)"]
