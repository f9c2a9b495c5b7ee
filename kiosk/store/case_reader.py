"""The scan's hot path: one accreditation's `Case` read with prepared SQL.

The documented exception to "the store speaks ORM": a scan reads one case, and through
the ORM that cost about 200 times the SQLite lookups themselves (statement building,
cache keys, identity map). Here each query is a Core select compiled once, at import,
to SQL text, and run on the session's own SQLite connection (so it sees the same
transaction and snapshot), where `sqlite3` keeps it prepared. Rows become the values of
`kiosk.model` directly. Every lookup is by primary key or an index, so a scan costs the
same with a thousand accreditations or a million. Values are converted exactly as the
mapped types in `kiosk/store/schema.py` do (tests/kiosk/test_case_reader.py compares
with the ORM reading).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime

from sqlalchemy import Select, bindparam, func, literal_column, select
from sqlalchemy.dialects import sqlite
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
from kiosk.store.schema import (
    AccreditationRow,
    BadgeRow,
    EventRow,
    KeyRow,
    LetterRow,
    PersonRow,
    PhotoRow,
)

ISSUED = (BadgeStatus.ACTIVE, BadgeStatus.PRINTING)  # a card given out, or on its way out
WAITING = (BadgeStatus.PRINT_FAILED, BadgeStatus.PREPRINTED)  # a card not given out yet
ENDED = (BadgeStatus.REVOKED, BadgeStatus.SUPERSEDED)  # never valid again
VOIDED = (  # handed over, then voided in its holder's life (kiosk/badge_life.py)
    BadgeStatus.LOST,
    BadgeStatus.STOLEN,
    BadgeStatus.DAMAGED,
    BadgeStatus.FOUND,
    BadgeStatus.RETURNED,
)

_DIALECT = sqlite.dialect(paramstyle="named")


class _Query:
    """A select compiled once to SQLite text with :named parameters, its constants kept
    as parameters (so SQLite prepares it once, whatever the values given)."""

    def __init__(self, stmt: Select) -> None:
        compiled = stmt.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True})
        self.text = str(compiled)
        self.constants = {k: v for k, v in compiled.params.items() if v is not None}

    def run(self, db: sqlite3.Connection, **params: object) -> sqlite3.Cursor:
        """The rows for these parameters."""
        return db.execute(self.text, {**self.constants, **params})


_A, _P, _L = AccreditationRow.__table__.c, PersonRow.__table__.c, LetterRow.__table__.c
_E, _B, _K = EventRow.__table__.c, BadgeRow.__table__.c, KeyRow.__table__.c

_ACC_COLS = (
    _A.id, _A.person_id, _A.flow, _A.status, _A.doc_number_digest, _A.doc_number_tail,
    _A.doc_state, _A.doc_surname, _A.doc_given_names, _A.doc_birth_date, _A.doc_expiry,
    _A.doc_kind, _A.press_card, _A.year, _A.event_id, _A.status_reason,
    _A.status_changed_at, _A.pool, _A.status_reason_fr,
)  # fmt: skip
_PERSON_COLS = (
    _P.surname, _P.given_names, _P.date_of_birth, _P.nationality, _P.email,
    _P.organisation, _P.media_kind,
)  # fmt: skip
_LETTER_COLS = (_L.id, _L.kind, _L.organisation, _L.signed, _L.members)
_EVENT_COLS = (
    _E.id, _E.name, _E.place, _E.at_hq, _E.first_day, _E.last_day, _E.collection_opens,
    _E.collection_closes, _E.annual_admitted, _E.valid_with, _E.colour, _E.name_fr,
    _E.place_fr,
)  # fmt: skip
_BADGE_COLS = (
    _B.serial, _B.accreditation_id, _B.counter, _B.kiosk_id, _B.clerk, _B.issued_at,
    _B.valid_from, _B.valid_until, _B.status, _B.supervisor, _B.reason,
)  # fmt: skip

# The photo's first bytes from the index ix_photos_head alone (migration 0012): the photos
# table's pages, most of a large store's file, are never read on a scan. SQLite would
# rather look the photo up by its primary key, hence INDEXED BY (text: Core has no hint
# for SQLite).
_PHOTO_HEAD = literal_column(
    f"(SELECT substr(jpeg, 1, 3) FROM {PhotoRow.__tablename__} INDEXED BY ix_photos_head"
    f" WHERE person_id = {_A.person_id})"
)
_CASE = _Query(
    select(*_ACC_COLS, *_PERSON_COLS, *_LETTER_COLS, *_EVENT_COLS, _PHOTO_HEAD)
    .join_from(AccreditationRow.__table__, PersonRow.__table__, _P.id == _A.person_id)
    .outerjoin(LetterRow.__table__, _L.id == _A.letter_id)
    .outerjoin(EventRow.__table__, _E.id == _A.event_id)
    .where(_A.id == bindparam("id", None))
)
_LINKED = _Query(
    select(*_EVENT_COLS).where(
        _E.id.in_(select(func.json_each(bindparam("ids", None)).table_valued("value").c.value))
    )
)
_BADGES = _Query(
    select(*_BADGE_COLS)
    .where(
        _B.accreditation_id == bindparam("id", None),
        _B.status.in_([b.value for b in (*ISSUED, *WAITING, *ENDED, *VOIDED)]),
    )
    .order_by(_B.issued_at.desc())
)
_ANNUAL = _Query(
    select(_A.id)
    .where(
        _A.person_id == bindparam("person_id", None),
        _A.flow == Flow.ANNUAL.value,
        _A.status == Status.APPROVED.value,
        _A.year == bindparam("year", None),
    )
    .limit(1)
)
_KEYS = _Query(
    select(_K.key_id, _K.public_key, _K.owner)
    .where(_K.purpose == bindparam("purpose", None))
    .order_by(_K.key_id)
)


# Where a case is read: a session's transaction, or a `Store.snapshot()` connection.
Source = Session | sqlite3.Connection


def connection_of(source: Source) -> sqlite3.Connection:
    """The SQLite connection of the transaction; a session's pending changes are flushed
    first (as the ORM's autoflush would before a query)."""
    if isinstance(source, sqlite3.Connection):
        return source
    session = source
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().connection.driver_connection


def key_rows(source: Source, purpose: str) -> tuple[tuple[int, bytes, str | None], ...]:
    """(key_id, public_key, owner) of the keys trusted for `purpose`, by key id."""
    rows = _KEYS.run(connection_of(source), purpose=purpose)
    return tuple((kid, bytes(raw), owner) for kid, raw, owner in rows)


def read_case(source: Source, accreditation_id: int) -> Case | None:
    """Everything the rules need about one accreditation, or None if it is not on file.

    One joined select brings the accreditation, its person, letter, event and the first
    bytes of the photo; badges, an annual accreditation of the same person and the
    events declared valid with it take one indexed lookup each.
    """
    db = connection_of(source)
    row = _CASE.run(db, id=accreditation_id).fetchone()
    if row is None:
        return None
    acc, person, letter = row[:19], row[19:26], row[26:31]
    event = _event(row[31:44]) if row[31] is not None else None
    has_photo = row[44] == JPEG_MAGIC
    linked: tuple[Event, ...] = ()
    if event and event.valid_with:
        found = _LINKED.run(db, ids=json.dumps(list(event.valid_with)))
        linked = tuple(_event(r) for r in found)
    issued, waiting, ended, voided = _badges_in_play(db, acc[0])
    year = event.first_day.year if event else acc[13]
    annual_id = (
        annual_accreditation_id(db, acc[1], year)
        if acc[2] == Flow.EVENT.value and year is not None
        else None
    )
    annual_issued = _badges_in_play(db, annual_id)[0] if annual_id is not None else ()
    return Case(
        accreditation=_accreditation(acc, letter),
        person=_person(acc[1], person, has_photo),
        event=event,
        linked_events=linked,
        active_badges=issued,
        waiting_badges=waiting,
        holds_annual=annual_id is not None,
        annual_badge=annual_issued[0] if annual_issued else None,
        ended_badges=ended,
        void_badges=voided,
        photo_ok=has_photo,
    )


def annual_accreditation_id(source: Source, person_id: int, year: int) -> int | None:
    """The person's approved annual accreditation for `year`, if any."""
    row = _ANNUAL.run(connection_of(source), person_id=person_id, year=year).fetchone()
    return None if row is None else row[0]


def _badges_in_play(db: sqlite3.Connection, accreditation_id: int) -> tuple[tuple, ...]:
    """An accreditation's issued badges (active first, then printing), its waiting ones
    (print failed, pre-printed), its ended ones (revoked, superseded) and its voided ones
    (lost, stolen, damaged, found, returned), newest first, in one indexed lookup."""
    badges = [_badge(r) for r in _BADGES.run(db, id=accreditation_id)]
    issued = tuple(b for status in ISSUED for b in badges if b.status is status)
    waiting = tuple(b for b in badges if b.status in WAITING)
    ended = tuple(b for b in badges if b.status in ENDED)
    return issued, waiting, ended, tuple(b for b in badges if b.status in VOIDED)


# --- Column values as the mapped types give them (kiosk/store/schema.py) ---------------


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _aware(text: str | None) -> datetime | None:
    """An `AwareDateTime`: stored naive UTC, given back aware."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _json(text: str | None) -> object:
    return None if text is None else json.loads(text)


def _event(r: tuple) -> Event:
    return Event(
        id=r[0],
        name=r[1],
        place=r[2],
        at_hq=_bool(r[3]),
        first_day=_date(r[4]),
        last_day=_date(r[5]),
        collection_opens=_aware(r[6]),
        collection_closes=_aware(r[7]),
        annual_admitted=_bool(r[8]),
        valid_with=tuple(_json(r[9]) or ()),
        colour=r[10],
        name_fr=r[11] or "",
        place_fr=r[12] or "",
    )


def _person(person_id: int, r: tuple, has_photo: bool) -> Person:
    return Person(
        id=person_id,
        surname=r[0],
        given_names=r[1],
        date_of_birth=_date(r[2]),
        nationality=r[3],
        email=r[4],
        organisation=r[5],
        media_kind=MediaKind(r[6]),
        has_photo=has_photo,
    )


def _letter(r: tuple) -> Letter:
    return Letter(
        kind=LetterKind(r[1]),
        organisation=r[2],
        signed=_bool(r[3]),
        members=tuple(
            LetterMember(
                m["surname"],
                m["given_names"],
                date.fromisoformat(m["date_of_birth"]),
                "",
                m["document_digest"],
                m["document_tail"],
            )
            for m in _json(r[4])
        ),
    )


def _accreditation(a: tuple, letter: tuple) -> Accreditation:
    return Accreditation(
        id=a[0],
        person_id=a[1],
        flow=Flow(a[2]),
        status=Status(a[3]),
        id_document=IdDocument(
            number="",  # kept as a keyed hash and its tail only (kiosk/documents.py)
            number_digest=a[4],
            number_tail=a[5],
            issuing_state=a[6],
            surname=a[7],
            given_names=a[8],
            date_of_birth=_date(a[9]),
            expiry=_date(a[10]),
            kind=a[11],
        ),
        proof=Proof(a[12], _letter(letter) if letter[0] is not None else None),
        year=a[13],
        event_id=a[14],
        status_reason=a[15],
        status_changed_at=_aware(a[16]),
        pool=_bool(a[17]),
        status_reason_fr=a[18] or "",
    )


def _badge(r: tuple) -> Badge:
    return Badge(
        serial=r[0],
        accreditation_id=r[1],
        counter=Counter(r[2]),
        kiosk_id=r[3],
        clerk=r[4],
        issued_at=_aware(r[5]),
        valid_from=_date(r[6]),
        valid_until=_date(r[7]),
        status=BadgeStatus(r[8]),
        supervisor=r[9],
        reason=r[10],
    )
