"""Tables of the hub: the office's approvals, what the kiosks did, and the feed's order.

Every row a kiosk may receive carries `seq`, the number of its latest change, taken
from one hub-wide counter (`hub_seq`) under a lock held until commit: a row visible
with seq N means every change numbered below N is visible too, so a kiosk that has
read everything up to N has missed nothing (see `database.allocate`).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.schema import AwareDateTime

SCHEMA_VERSION = "14"  # 2: document numbers as keyed hashes, retention, purge, chains;
# 3: public keys have a creation and a retirement time (key rotation);
# 4: clients can be revoked, counters' badge keys wait for the office's approval;
# 5: journal rows keep the kiosk's seal (journal.mac), journal keys and heads;
# 6: web console accounts and sessions, conflicts settled, indexes for a day's figures
# 7: staff accounts are kept at the hub and sent to kiosks (staff, staff_changes),
#    photos replaced at a desk (photo_changes),
#    badge events (lost, stolen, damaged, found, returned: badge_events)
# 8: the CSCA trust list (csca), sent to counters by the feed; hand-offs marked
#    handled at the web console (handoffs_handled)
# 9: superseded badges reinstated by the office (reinstatements), sent to every kiosk
# 10: counters' opening hours, closures and pooled moments set at the hub (counter_hours,
#     counter_closures, pool_moments), sent to counters (hub/site_hours.py)
# 11: feed keys and their hand-overs (feed_keys), sent to every kiosk (hub/feed_keys.py)
# 12: the office's French texts beside its English ones (kiosk/office_texts.py): events'
#     name_fr and place_fr, accreditations' and status changes' status_reason_fr /
#     reason_fr, closures' reason_fr, pooled moments' name_fr and handout_place_fr
# 13: each kiosk's clock offset measured on receipt of its requests (client_clocks)
# 14: journal rows indexed by action and time (a day's checks at the security posts)


class HubBase(DeclarativeBase):
    """Base of all hub tables."""


class MetaRow(HubBase):
    """Settings of this hub: its id and the schema version."""

    __tablename__ = "hub_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class SeqRow(HubBase):
    """The one counter every change number comes from (a single row, id 1)."""

    __tablename__ = "hub_seq"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer)


class HubKeyRow(HubBase):
    """The office's private keys: confirmation codes, the feed's signature, and the
    site's document key (a secret, not a key pair: its `public_key` is empty), which
    hashes ID document numbers (kiosk/documents.py) and goes to counters at enrolment."""

    __tablename__ = "hub_keys"

    purpose: Mapped[str] = mapped_column(String(20), primary_key=True)
    key_id: Mapped[int] = mapped_column(Integer)
    private_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)


class FeedKeyRow(HubBase):
    """A key that signs (or signed) the feed. The first has no hand-over (kiosks got it in
    their enrolment file); each later one is vouched for by the key before it and signs
    for kiosks whose cursor reached `starts_at`, the change number of its hand-over (its
    `seq`, which never changes). Retired: the private half is gone (empty)."""

    __tablename__ = "feed_keys"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    private_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    starts_at: Mapped[int] = mapped_column(Integer)
    handover: Mapped[bytes] = mapped_column(LargeBinary(64))  # empty for the first key
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class PublicKeyRow(HubBase):
    """A public key of the site: the office's confirmation keys, and each counter's badge
    key (reported with its journal). A key id means one key on the whole site, for good: a
    retired key keeps its row (the feed tells kiosks to drop it) and its id is not reused."""

    __tablename__ = "public_keys"

    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    purpose: Mapped[str] = mapped_column(String(20))
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    owner: Mapped[str] = mapped_column(String(20))  # "office" or the kiosk's id
    created_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # None: before v3
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # None: reported by a counter, not trusted site-wide (not in the feed) until approved
    approved_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class CscaRow(HubBase):
    """A CSCA certificate of the office's trust list (hub/csca.py). A removed one keeps
    its row (the feed tells counters to drop it); importing it again brings it back."""

    __tablename__ = "csca"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of der
    der: Mapped[bytes] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    not_after: Mapped[datetime] = mapped_column(AwareDateTime)
    added_at: Mapped[datetime] = mapped_column(AwareDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class ClientRow(HubBase):
    """A kiosk (counter or security post) or an office client, and its token's digest."""

    __tablename__ = "clients"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    cursor: Mapped[int] = mapped_column(Integer, default=0)  # the last cursor it pulled from
    # A revoked client's token opens nothing and its keys are retired (hub/clients.py).
    revoked_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    # Badge keys it may still report trusted at once (1 when enrolled with its first key
    # pre-approved); any other key waits for `kiosk-hub keys approve`.
    keys_preapproved: Mapped[int | None] = mapped_column(Integer, default=0)


class ClientClockRow(HubBase):
    """How far a kiosk's clock was ahead of the hub's (negative: behind) when the hub last
    measured it: the reading the kiosk sent (sync/clock_header.py) minus the hub's clock
    on receipt, at `measured_at` (the hub's clock)."""

    __tablename__ = "client_clocks"

    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    offset_ms: Mapped[int] = mapped_column(BigInteger)
    measured_at: Mapped[datetime] = mapped_column(AwareDateTime)


class EventRow(HubBase):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    at_hq: Mapped[bool] = mapped_column(Boolean)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    collection_opens: Mapped[datetime] = mapped_column(AwareDateTime)
    collection_closes: Mapped[datetime] = mapped_column(AwareDateTime)
    annual_admitted: Mapped[bool] = mapped_column(Boolean)
    colour: Mapped[str] = mapped_column(String(9))
    valid_with: Mapped[list[str]] = mapped_column(JSON)
    retention_days: Mapped[int] = mapped_column(Integer, default=30)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    name_fr: Mapped[str | None] = mapped_column(String(200), default="")  # "": none given
    place_fr: Mapped[str | None] = mapped_column(String(200), default="")


class LetterRow(HubBase):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(10))
    organisation: Mapped[str] = mapped_column(String(200))
    signed: Mapped[bool] = mapped_column(Boolean)
    members: Mapped[list[dict]] = mapped_column(JSON)  # numbers as digest and tail
    purged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class PersonRow(HubBase):
    """A person and their identity photo (the feed sends them together)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    surname: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(160))
    date_of_birth: Mapped[date] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(3))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    media_kind: Mapped[str] = mapped_column(String(20))
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    purged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class AccreditationRow(HubBase):
    __tablename__ = "accreditations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    flow: Mapped[str] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    status_reason: Mapped[str] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    pool: Mapped[bool] = mapped_column(Boolean)
    doc_kind: Mapped[str] = mapped_column(String(2))
    doc_number_digest: Mapped[str] = mapped_column(String(64))  # kiosk/documents.py
    doc_number_tail: Mapped[str] = mapped_column(String(3))
    doc_state: Mapped[str] = mapped_column(String(3))
    doc_surname: Mapped[str] = mapped_column(String(120))
    doc_given_names: Mapped[str] = mapped_column(String(160))
    doc_birth_date: Mapped[date] = mapped_column(Date)
    doc_expiry: Mapped[date] = mapped_column(Date)
    press_card: Mapped[str | None] = mapped_column(String(60))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    purged_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    status_seq: Mapped[int] = mapped_column(Integer, default=0)  # seq of the last status change
    status_reason_fr: Mapped[str | None] = mapped_column(Text, default="")  # "": none given


class StatusChangeRow(HubBase):
    """Every status decision the office made, as imported or entered."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(AwareDateTime)
    reason_fr: Mapped[str | None] = mapped_column(Text, default="")  # "": none given


class BadgeRow(HubBase):
    """A badge some counter issued; its status is the hub's word, spread to every kiosk."""

    __tablename__ = "badges"

    serial: Mapped[str] = mapped_column(String(24), primary_key=True)
    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditations.id"))
    counter: Mapped[str] = mapped_column(String(10))
    kiosk_id: Mapped[str] = mapped_column(String(20))
    clerk: Mapped[str] = mapped_column(String(80))
    supervisor: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(AwareDateTime)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    superseded_by: Mapped[str | None] = mapped_column(String(24))
    seq: Mapped[int] = mapped_column(Integer, index=True)

    __table_args__ = (
        Index("ix_hub_badges_accreditation", "accreditation_id", "status"),
        # A day's badges per hour and kiosk (hub/web), read from the index alone.
        Index("ix_hub_badges_issued_at", "issued_at", "status", "kiosk_id", "counter"),
    )


class BadgeEventRow(HubBase):
    """A badge lost, stolen, damaged, found or returned at a counter (kiosk/badge_life.py),
    taken from that counter's journal row and spread to every kiosk."""

    __tablename__ = "badge_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(20))
    journal_id: Mapped[int] = mapped_column(Integer)
    serial: Mapped[str] = mapped_column(String(24), index=True)
    accreditation_id: Mapped[int] = mapped_column(Integer, index=True)
    event: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(Integer, index=True)

    __table_args__ = (UniqueConstraint("kiosk_id", "journal_id", name="uq_badge_event_entry"),)


class ReinstatementRow(HubBase):
    """A superseded badge the office made valid again when settling a conflict
    (hub/settle.py): `cancels` is the badge that had superseded it, revoked then. Sent to
    every kiosk, which keeps it: a page saying `serial` superseded by `cancels` never
    counts again there (a hub restored from a backup replays such pages)."""

    __tablename__ = "reinstatements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    serial: Mapped[str] = mapped_column(String(24), index=True)
    cancels: Mapped[str] = mapped_column(String(24))
    accreditation_id: Mapped[int] = mapped_column(Integer)
    conflict_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int] = mapped_column(Integer, index=True)


class JournalRow(HubBase):
    """A kiosk's journal row, received once: (kiosk_id, journal_id) is the delivery's key.
    `prev_hash` and `hash` are the kiosk's chain (kiosk/audit.py), checked on arrival."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(20))
    journal_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    accreditation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    badge_serial: Mapped[str | None] = mapped_column(String(24))
    verdict: Mapped[str | None] = mapped_column(String(12))
    details: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))  # the kiosk's seal; None/"": unsealed
    seen_cursor: Mapped[int] = mapped_column(Integer)  # what the kiosk had pulled then
    digest: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(AwareDateTime)
    via: Mapped[str] = mapped_column(String(10))  # "http" or "file"

    __table_args__ = (
        UniqueConstraint("kiosk_id", "journal_id", name="uq_journal_delivery"),
        Index("ix_hub_journal_verdict_at", "verdict", "at"),  # refusals of a day (hub/web)
        Index("ix_hub_journal_action_at", "action", "at"),  # the posts' checks of a day
    )


class JournalKeyRow(HubBase):
    """A key the hub issued to a kiosk to seal its journal (kiosk/audit.py), in the
    kiosk's enrolment file. `first_id` is the kiosk's first entry sealed with it, learned
    from a head sealed with it; None until then (the kiosk has not used it yet)."""

    __tablename__ = "journal_keys"

    kiosk_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    first_id: Mapped[int | None] = mapped_column(Integer)


class JournalHeadRow(HubBase):
    """The last journal head a kiosk reported: the next must extend it. `problem` keeps
    the first sign that the kiosk's journal was cut short or rewritten (for `kiosk-hub
    audit verify`), `problem_at` the journal id it names."""

    __tablename__ = "journal_heads"

    kiosk_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    journal_id: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(AwareDateTime)
    problem: Mapped[str] = mapped_column(Text, default="")
    problem_at: Mapped[int | None] = mapped_column(Integer)


class ConflictRow(HubBase):
    """Something two counters, or a counter and the office, did that cannot both stand."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    accreditation_id: Mapped[int] = mapped_column(Integer, index=True)
    badge_serial: Mapped[str | None] = mapped_column(String(24))
    kiosk_id: Mapped[str] = mapped_column(String(20))
    detected_at: Mapped[datetime] = mapped_column(AwareDateTime)
    message_en: Mapped[str] = mapped_column(Text)
    message_fr: Mapped[str] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    # Settled by the office or the chief (hub/settle.py); the feed sends it to counters.
    settled_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    settled_by: Mapped[str | None] = mapped_column(String(40))
    settlement: Mapped[str | None] = mapped_column(String(20))  # hub/settle.py: OUTCOMES
    settle_note: Mapped[str | None] = mapped_column(Text)


class WebUserRow(HubBase):
    """An account of the hub's web console (hub/web): the office or the pass office chief.
    The password is kept as a salted scrypt hash (kiosk/roles.py)."""

    __tablename__ = "web_users"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    wrong: Mapped[int] = mapped_column(Integer, default=0)  # wrong passwords in a row
    wait_until: Mapped[datetime | None] = mapped_column(AwareDateTime)


class WebSessionRow(HubBase):
    """A signed-in browser: the hub keeps its cookie's SHA-256 only, and the session's
    CSRF token, which every form posted must carry."""

    __tablename__ = "web_sessions"

    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(ForeignKey("web_users.name"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    last_used_at: Mapped[datetime] = mapped_column(AwareDateTime)


class HandoffHandledRow(HubBase):
    """A counter's hand-off (a journal row, hub/handoffs.py) the office marked handled:
    who, when and how (the note)."""

    __tablename__ = "handoffs_handled"

    journal_row: Mapped[int] = mapped_column(ForeignKey("journal.id"), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(AwareDateTime)
    handled_by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)


class StaffAccountRow(HubBase):
    """A staff account of the site, made at the hub and sent to every kiosk by the feed:
    a role and the PIN's scrypt hash as kiosk/roles.py makes it (never the PIN)."""

    __tablename__ = "staff"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(80), unique=True)  # casefolded: one per name
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class StaffChangeRow(HubBase):
    """Who added, disabled, enabled or gave a new PIN to which account, and when."""

    __tablename__ = "staff_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    change: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(AwareDateTime)


class PhotoChangeRow(HubBase):
    """A photo a counter replaced at its desk, as its journal delivered it: taken (the
    photo on file is replaced and sent to every kiosk) or refused, with the reason."""

    __tablename__ = "photo_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(20))
    journal_id: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    taken_by: Mapped[str] = mapped_column(String(80))
    approved_by: Mapped[str] = mapped_column(String(80))
    old_sha256: Mapped[str] = mapped_column(String(64))
    new_sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(AwareDateTime)
    received_at: Mapped[datetime] = mapped_column(AwareDateTime)
    refused: Mapped[str] = mapped_column(Text, default="")  # "": taken


class CounterHoursRow(HubBase):
    """A span a counter is open, set at the hub for every counter (hub/site_hours.py): as
    a kiosk keeps it (kiosk/hours.py). A removed one keeps its row with `removed_at` (the
    feed tells counters to drop it)."""

    __tablename__ = "counter_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    counter: Mapped[str] = mapped_column(String(10))
    event_id: Mapped[str | None] = mapped_column(String(40))
    weekday: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date | None] = mapped_column(Date)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    removed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)


class CounterClosureRow(HubBase):
    """A day a counter is closed, with its reason; reopening keeps the row with
    `removed_at`, closing that day again takes the same row back."""

    __tablename__ = "counter_closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    counter: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    reason_fr: Mapped[str | None] = mapped_column(String(200), default="")  # "": none given

    __table_args__ = (UniqueConstraint("counter", "day", name="uq_hub_closures_day"),)


class PoolMomentRow(HubBase):
    """A pooled moment and where and when its cards are handed out (kiosk/pool.py), set at
    the hub and sent to counters; a removed one keeps its row with `removed_at`."""

    __tablename__ = "pool_moments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(AwareDateTime)
    handout_place: Mapped[str] = mapped_column(String(200))
    handout_opens: Mapped[datetime] = mapped_column(AwareDateTime)
    handout_closes: Mapped[datetime] = mapped_column(AwareDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    name_fr: Mapped[str | None] = mapped_column(String(200), default="")  # "": none given
    handout_place_fr: Mapped[str | None] = mapped_column(String(200), default="")
