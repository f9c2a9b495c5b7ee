"""Tables of the kiosk's local store (SQLAlchemy 2 declarative mapping).

Rows stay inside the store package: `records.py` turns them into the values of
`kiosk.model` for everyone else. Migrations in `kiosk/migrations` create these tables.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from kiosk.typed import as_text


class AwareDateTime(TypeDecorator):
    """Stores aware datetimes as naive UTC and gives them back aware (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store takes timezone-aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of all kiosk tables."""


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    at_hq: Mapped[bool] = mapped_column(Boolean)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    collection_opens: Mapped[datetime] = mapped_column(AwareDateTime)
    collection_closes: Mapped[datetime] = mapped_column(AwareDateTime)
    annual_admitted: Mapped[bool] = mapped_column(Boolean, default=True)
    colour: Mapped[str] = mapped_column(String(9), default="#c62828")
    valid_with: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Personal data of its accreditations is purged this many days after its last day.
    retention_days: Mapped[int] = mapped_column(Integer, default=30)
    # The office's French texts (kiosk.model.french): NULL or "" when it gave none.
    name_fr: Mapped[str | None] = mapped_column(String(200))
    place_fr: Mapped[str | None] = mapped_column(String(200))


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    surname: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(160))
    date_of_birth: Mapped[date] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(3))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    media_kind: Mapped[str] = mapped_column(String(20))
    purged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # kiosk/purge.py
    photo: Mapped[PhotoRow | None] = relationship(back_populates="person", lazy="raise")


class PhotoRow(Base):
    """Photos apart from people, so that reading a person never loads a picture."""

    __tablename__ = "photos"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    person: Mapped[PersonRow] = relationship(back_populates="photo")

    # A scan reads a photo's first bytes from this index alone (kiosk/store/case_reader.py).
    __table_args__ = (Index("ix_photos_head", "person_id", func.substr(text("jpeg"), 1, 3)),)


class LetterRow(Base):
    """An editor's letter, or a group letter listing crew members."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(10))
    organisation: Mapped[str] = mapped_column(String(200))
    signed: Mapped[bool] = mapped_column(Boolean)
    # [{"surname", "given_names", "date_of_birth" (ISO), "document_digest",
    #   "document_tail"}, ...]: numbers as keyed hashes (kiosk/documents.py)
    members: Mapped[list[dict]] = mapped_column(JSON, default=list)
    purged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)


class AccreditationRow(Base):
    __tablename__ = "accreditations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    flow: Mapped[str] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_reason_fr: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    pool: Mapped[bool] = mapped_column(Boolean, default=False)
    # The ID document used to apply, as the office recorded it; its number as a keyed
    # hash and its last 3 characters (kiosk/documents.py), never in clear.
    doc_kind: Mapped[str] = mapped_column(String(2))
    doc_number_digest: Mapped[str] = mapped_column(String(64), index=True)  # search by number
    doc_number_tail: Mapped[str] = mapped_column(String(3))
    doc_state: Mapped[str] = mapped_column(String(3))
    doc_surname: Mapped[str] = mapped_column(String(120))
    doc_given_names: Mapped[str] = mapped_column(String(160))
    doc_birth_date: Mapped[date] = mapped_column(Date)
    doc_expiry: Mapped[date] = mapped_column(Date)
    # Professional proof: a press card number, or None ("N/A") and a letter.
    press_card: Mapped[str | None] = mapped_column(String(60))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    purged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # kiosk/purge.py


class BadgeRow(Base):
    __tablename__ = "badges"

    serial: Mapped[str] = mapped_column(String(24), primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"))
    counter: Mapped[str] = mapped_column(String(10))
    kiosk_id: Mapped[str] = mapped_column(String(20))
    clerk: Mapped[str] = mapped_column(String(80))
    supervisor: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[datetime] = mapped_column(AwareDateTime)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    superseded_by: Mapped[str | None] = mapped_column(String(24))

    __table_args__ = (Index("ix_badges_accreditation_status", "accreditation_id", "status"),)

    @validates("clerk", "supervisor", "reason")
    def _typed(self, _key: str, value):
        """What people typed, without control characters (kiosk/typed.as_text)."""
        return as_text(value)


class BadgeEventRow(Base):
    """Something that happened to a handed-over badge (kiosk/badge_life.py): lost, stolen,
    damaged, found, returned; who and when. Keyed by the journal entry that records it at
    the kiosk where it happened, so the hub's feed brings every kiosk's events once."""

    __tablename__ = "badge_events"

    kiosk_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    journal_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    serial: Mapped[str] = mapped_column(String(24), index=True)
    accreditation_id: Mapped[int] = mapped_column(Integer, index=True)
    event: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")


class ReinstatementRow(Base):
    """A superseded badge the office made valid again (hub/settle.py), as the hub's signed
    feed sent it: `serial` is valid again, `cancels` (the badge that had superseded it) is
    revoked. Kept for good: a feed page saying `serial` superseded by `cancels` never
    counts again here (sync/apply.py), whatever hub sends it."""

    __tablename__ = "reinstatements"

    serial: Mapped[str] = mapped_column(String(24), primary_key=True)
    cancels: Mapped[str] = mapped_column(String(24), primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(80))


class PrintJobRow(Base):
    """One attempt at printing a badge; a retry or another printer is a new attempt."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    badge_serial: Mapped[str] = mapped_column(ForeignKey("badges.serial"), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(20))
    printer: Mapped[str] = mapped_column(String(120))
    # "counter": handed over once printed; "batch": pre-printed, handed over later.
    purpose: Mapped[str] = mapped_column(String(10))
    batch: Mapped[str | None] = mapped_column(String(40), index=True)
    job_ref: Mapped[str | None] = mapped_column(String(200))  # the printer's job id
    state: Mapped[str] = mapped_column(String(10))  # sent, completed, failed
    message: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(80))
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    __table_args__ = (Index("ix_print_jobs_kiosk_state", "kiosk_id", "state"),)


class SerialRow(Base):
    """The last badge number handed out by each kiosk."""

    __tablename__ = "serials"

    kiosk_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class KeyRow(Base):
    """Public keys trusted for signed codes; private keys never live in a kiosk store."""

    __tablename__ = "keys"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    purpose: Mapped[str] = mapped_column(String(20))
    # "office" or the id of the kiosk whose key it is; None until the hub has said (a key
    # held before 0011): a security post refuses badges signed with a key of no known owner.
    owner: Mapped[str | None] = mapped_column(String(20))


class JournalRow(Base):
    """Append-only record of every decision and issuance at this kiosk."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    kiosk_id: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    accreditation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    badge_serial: Mapped[str | None] = mapped_column(String(24))
    verdict: Mapped[str | None] = mapped_column(String(12))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # Hash chain (kiosk/audit.py): each entry commits to the one before it, and its seal
    # (an HMAC with the journal key, kiosk/journal_keys.py) to its place and its hash.
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
    mac: Mapped[str] = mapped_column(String(64), default="")  # "": written before sealing

    @validates("actor", "details")
    def _typed(self, _key: str, value):
        """What people typed, without control characters (kiosk/typed.as_text)."""
        return as_text(value)


class JournalHeadRow(Base):
    """Where the journal ends (one row, id 1): the last entry's id and hash, sealed apart
    from the entries, so that removing the last entries shows (kiosk/audit.py)."""

    __tablename__ = "journal_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    journal_id: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class StaffRow(Base):
    """Someone who may sign in at this kiosk: a role and a slow hash of the PIN."""

    __tablename__ = "staff"

    # NOCASE: "Ann" and "ann" are one account however it is typed (ASCII letters only;
    # kiosk.staff.named folds accented ones too: "Élise" and "élise").
    name: Mapped[str] = mapped_column(String(80, collation="NOCASE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(String(200))  # kiosk.roles.hash_pin (scrypt)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)  # wrong PINs in a row
    locked_until: Mapped[datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)  # refused at sign-in
    # Made at the hub and kept up to date by the feed: not changed at this kiosk.
    from_hub: Mapped[bool] = mapped_column(Boolean, default=False)


class SignInPaceRow(Base):
    """This kiosk's refused sign-ins lately (one row, id 1): kiosk/staff.py paces sign-in
    when many are refused, whatever the names tried."""

    __tablename__ = "sign_in_pace"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    window_start: Mapped[datetime] = mapped_column(AwareDateTime)
    refused: Mapped[int] = mapped_column(Integer)
    last_refused: Mapped[datetime] = mapped_column(AwareDateTime)


class SyncStateRow(Base):
    """This kiosk's link to the hub and where sync stands (one row, id 1, once enrolled)."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hub_url: Mapped[str] = mapped_column(String(300))
    hub_id: Mapped[str] = mapped_column(String(40))
    hub_key: Mapped[bytes] = mapped_column(LargeBinary(32))  # the feed's public key
    kiosk_id: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(10))
    # The hub token is not here: it is in DATA_DIR/secrets/hub-token (kiosk/private.py).
    cursor: Mapped[int] = mapped_column(Integer, default=0)  # last hub change applied
    acked_journal_id: Mapped[int] = mapped_column(Integer, default=0)  # held by the hub
    last_sync_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Transport (sync/transport.py): the hub certificate's pinned SHA-256 ("" for plain
    # http), the operator's consent to plain http beyond loopback, and what kind of
    # failure the last error was ("certificate_mismatch", "plain_http_refused", "").
    hub_cert_sha256: Mapped[str] = mapped_column(String(64), default="")
    allow_plain_http: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error_code: Mapped[str] = mapped_column(String(30), default="")
    # The latest measurement of this kiosk's clock against the hub's (kiosk/clock_check.py):
    # ahead by between low and high milliseconds (negative: behind), taken at measured_at
    # on the kiosk's clock; None until a feed page was fetched online.
    clock_low_ms: Mapped[int | None] = mapped_column(BigInteger)
    clock_high_ms: Mapped[int | None] = mapped_column(BigInteger)
    clock_measured_at: Mapped[datetime | None] = mapped_column(AwareDateTime)


class SyncMarkRow(Base):
    """After journal row `journal_id` was written, the store held the hub's changes up to
    `cursor`: tells the hub what a counter knew when it acted."""

    __tablename__ = "sync_marks"

    journal_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cursor: Mapped[int] = mapped_column(Integer)


class SyncConflictRow(Base):
    """A conflict the hub found between what counters and the office did."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(30))
    accreditation_id: Mapped[int] = mapped_column(Integer)
    badge_serial: Mapped[str | None] = mapped_column(String(24))
    kiosk_id: Mapped[str] = mapped_column(String(20))
    detected_at: Mapped[datetime] = mapped_column(AwareDateTime)
    message_en: Mapped[str] = mapped_column(Text)
    message_fr: Mapped[str] = mapped_column(Text)
    # How the office settled it (hub/settle.py), when it has.
    settled_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    settlement: Mapped[str | None] = mapped_column(String(20))
    settle_note: Mapped[str | None] = mapped_column(Text)


class CounterHoursRow(Base):
    """A span a counter is open (kiosk/hours.py): every `weekday` (0 Monday), or on one
    `day`; for one event's badges (Groups counter) when `event_id` is set. Brussels
    wall-clock times, `opens` before `closes`."""

    __tablename__ = "counter_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    counter: Mapped[str] = mapped_column(String(10))
    event_id: Mapped[str | None] = mapped_column(String(40))
    weekday: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date | None] = mapped_column(Date)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    hub_id: Mapped[int | None] = mapped_column(Integer)  # set at the hub (its row's id)

    __table_args__ = (
        Index("ix_counter_hours_counter", "counter", "event_id"),
        Index("ix_counter_hours_hub_id", "hub_id", unique=True),
    )


class CounterClosureRow(Base):
    """A day a counter is closed (a public holiday), whatever its hours say."""

    __tablename__ = "counter_closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    counter: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    reason_fr: Mapped[str | None] = mapped_column(String(200))  # NULL or "": none given
    hub_id: Mapped[int | None] = mapped_column(Integer)  # set at the hub (its row's id)

    __table_args__ = (
        UniqueConstraint("counter", "day", name="uq_counter_closures_day"),
        Index("ix_counter_closures_hub_id", "hub_id", unique=True),
    )


class PoolMomentRow(Base):
    """A moment open only to a pool of visual journalists (kiosk/pool.py), and where and
    when its pool cards are handed out."""

    __tablename__ = "pool_moments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime)
    handout_place: Mapped[str] = mapped_column(String(200))
    handout_opens: Mapped[datetime] = mapped_column(AwareDateTime)
    handout_closes: Mapped[datetime] = mapped_column(AwareDateTime)
    name_fr: Mapped[str | None] = mapped_column(String(200))  # NULL or "": none given
    handout_place_fr: Mapped[str | None] = mapped_column(String(200))


class PoolCardRow(Base):
    """A pool card handed out for one moment to one accreditation, and its return."""

    __tablename__ = "pool_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    moment_id: Mapped[str] = mapped_column(ForeignKey("pool_moments.id"))
    accreditation_id: Mapped[int] = mapped_column(Integer, index=True)
    kiosk_id: Mapped[str] = mapped_column(String(20))
    handed_by: Mapped[str] = mapped_column(String(80))
    handed_at: Mapped[datetime] = mapped_column(AwareDateTime)
    returned_to: Mapped[str | None] = mapped_column(String(80))
    returned_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    __table_args__ = (Index("ix_pool_cards_moment", "moment_id", "accreditation_id"),)


class CscaRow(Base):
    """A CSCA certificate the hub's trust list sends (chip/trust.py): only the hub's
    signed feed writes or removes these rows; this kiosk's own imports live in its data
    folder."""

    __tablename__ = "csca"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of der
    der: Mapped[bytes] = mapped_column(LargeBinary)
