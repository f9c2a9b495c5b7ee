"""The kiosk's side of sync, as kept in its store: enrolment, cursor, outbox, conflicts.

The hub token is the one secret of enrolment: it is kept in DATA_DIR/secrets/hub-token
(owner-only), not in the store, so a copy of the store file cannot sync as this kiosk.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Dialect, func, select
from sqlalchemy.orm import Session

from kiosk import documents, journal_keys
from kiosk.clock_check import ClockReading, stored_reading
from kiosk.private import hub_token_path, write_private
from kiosk.regular_file import NotRegularFile, read_regular
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow, SyncConflictRow, SyncStateRow
from sync.apply import sqlite_of, stored_moment
from sync.transport import TransportRefused, check_url, normalise_pin

ENROLMENT_FORMAT = "pass-office-enrolment/1"
ROLES = ("counter", "security")
TOKEN_MAX = 200
ENROLMENT_MOST = 64 * 1024  # bytes: an enrolment file is a few KB
# An enrolment file's text fields and their widths in the store (a token is kept hashed).
_TEXT_MOST = {
    **{
        name: SyncStateRow.__table__.c[name].type.length
        for name in ("hub_url", "hub_id", "kiosk_id", "role")
    },
    "token": TOKEN_MAX,
    "hub_key": 44,  # 32 bytes in base64
}


class NotEnrolled(RuntimeError):
    """The kiosk has no hub to sync with yet."""

    def __init__(self) -> None:
        super().__init__(
            "this kiosk is not enrolled with a hub: run `kiosk sync enrol FILE` with the "
            "enrolment file from `kiosk-hub enrol`"
        )


class TokenMissing(NotEnrolled):
    """The store is enrolled but its hub token file is gone (a store copied alone)."""

    def __init__(self, path: Path) -> None:
        RuntimeError.__init__(
            self,
            f"this kiosk's hub token ({path}) is missing or damaged: enrol it again with a new "
            "enrolment file (`kiosk-hub enrol ID --renew`, then `kiosk sync enrol FILE`)",
        )


class EnrolmentInvalid(ValueError):
    """An enrolment file that cannot be used."""


@dataclass(frozen=True)
class SyncState:
    """Where this kiosk's sync stands."""

    hub_url: str
    hub_id: str
    hub_key: bytes
    kiosk_id: str
    role: str
    token: str
    cursor: int
    acked_journal_id: int
    last_sync_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str
    hub_cert_sha256: str = ""  # the pinned certificate (sync/transport.py); "" for http
    allow_plain_http: bool = False  # the operator allowed plain http beyond loopback
    last_error_code: str = ""  # what kind of failure last_error is (sync/client.py)
    clock_low_ms: int | None = None  # the latest clock measurement (kiosk/clock_check.py)
    clock_high_ms: int | None = None
    clock_measured_at: datetime | None = None

    @property
    def clock(self) -> ClockReading | None:
        """The latest measurement of this kiosk's clock against the hub's, if any."""
        return stored_reading(self.clock_low_ms, self.clock_high_ms, self.clock_measured_at)


@dataclass(frozen=True)
class Conflict:
    """A conflict the hub reported, for the clerk's screen."""

    id: int
    kind: str
    accreditation_id: int
    badge_serial: str | None
    kiosk_id: str
    detected_at: datetime
    message_en: str
    message_fr: str
    settled_at: datetime | None = None  # the office settled it: how, and its note
    settlement: str | None = None
    settle_note: str | None = None


def _state(row: SyncStateRow, token: str) -> SyncState:
    fields = {n: getattr(row, n) for n in SyncState.__dataclass_fields__ if n != "token"}
    return SyncState(**fields, token=token)


_TOKEN = re.compile(rb"[\x21-\x7e]+")  # printable ASCII; the hub makes token_urlsafe(32)


def _token(store: Store) -> str:
    """The hub token from its file beside the store: "" if the file is gone or damaged
    (not the printable ASCII a token is), which TokenMissing then names."""
    path = hub_token_path(store.path.parent)
    token = path.read_bytes().strip() if path.is_file() else b""
    return token.decode("ascii") if _TOKEN.fullmatch(token) else ""


_STATE = tuple(n for n in SyncState.__dataclass_fields__ if n != "token")


@lru_cache(maxsize=4)
def _state_reader(dialect: Dialect) -> tuple[str, tuple]:
    """The SELECT of the state's columns and, for each, how the ORM converts its value."""
    columns = [SyncStateRow.__table__.c[n] for n in _STATE]
    processors = tuple(
        c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
    )
    return f"SELECT {', '.join(_STATE)} FROM sync_state WHERE id = 1", processors


def read_state(store: Store) -> SyncState | None:
    """The sync state (token "" if its file is missing), or None before enrolment. Read
    on the SQLite connection: a round starts here, and an ORM session cost 0.4 ms."""
    sql, processors = _state_reader(store.engine.dialect)
    with store.snapshot() as db:
        row = db.execute(sql).fetchone()
    if row is None:
        return None
    values = (v if p is None or v is None else p(v) for p, v in zip(processors, row, strict=True))
    return SyncState(**dict(zip(_STATE, values, strict=True)), token=_token(store))


def require_state(store: Store) -> SyncState:
    """The sync state; NotEnrolled before enrolment, TokenMissing without the token."""
    state = read_state(store)
    if state is None:
        raise NotEnrolled()
    if not state.token:
        raise TokenMissing(hub_token_path(store.path.parent))
    return state


def read_enrolment(path: Path) -> object:
    """The JSON content of an enrolment file. EnrolmentInvalid for anything but a regular
    file (kiosk/regular_file.py) or a file over ENROLMENT_MOST bytes; OSError when it
    cannot be read, ValueError when not JSON."""
    try:
        data = read_regular(path, ENROLMENT_MOST)
    except NotRegularFile as err:
        raise EnrolmentInvalid(str(err)) from err
    if len(data) > ENROLMENT_MOST:
        raise EnrolmentInvalid(
            f"{path} is larger than an enrolment file can be ({ENROLMENT_MOST // 1024} KB)"
        )
    return json.loads(data.decode("utf-8"))


def _checked(enrolment: object) -> dict:
    if not isinstance(enrolment, dict) or enrolment.get("format") != ENROLMENT_FORMAT:
        raise EnrolmentInvalid(f"not an enrolment file (expected format {ENROLMENT_FORMAT})")
    missing = [
        k
        for k in ("hub_url", "hub_id", "kiosk_id", "role", "token", "hub_key")
        if not enrolment.get(k)
    ]
    if missing:
        raise EnrolmentInvalid(f"the enrolment file lacks {', '.join(missing)}")
    for name, most in _TEXT_MOST.items():
        value = enrolment[name]
        if not isinstance(value, str) or not (value.isascii() and value.isprintable()):
            raise EnrolmentInvalid(f"the {name} is not printable ASCII text")
        if len(value) > most:
            raise EnrolmentInvalid(f"the {name} is longer than {most} characters")
    if enrolment["role"] not in ROLES:
        raise EnrolmentInvalid(f"role {enrolment['role']!r} is not a kiosk's ({', '.join(ROLES)})")
    try:
        key = base64.b64decode(enrolment["hub_key"], validate=True)
    except binascii.Error as err:
        raise EnrolmentInvalid("hub_key is not base64") from err
    if len(key) != 32:
        raise EnrolmentInvalid("hub_key is not an Ed25519 public key (32 bytes)")
    _check_role_keys(enrolment)
    return {
        **enrolment,
        "hub_key": key,
        "document_key": _document_key(enrolment),
        "journal_key": _journal_key(enrolment),
    }


def _check_role_keys(enrolment: dict) -> None:
    """A counter's enrolment carries the site's document key (without it every applicant
    found by search was refused); a security post's none (it never sees document numbers,
    and `kiosk-hub enrol` gives it none)."""
    given = enrolment.get("document_key")
    if enrolment["role"] == "counter" and not given:
        raise EnrolmentInvalid(
            "the enrolment file lacks document_key, which a counter needs to find applicants "
            "by their ID document: use the file `kiosk-hub enrol ID --role counter` wrote"
        )
    if enrolment["role"] == "security" and given is not None:
        raise EnrolmentInvalid(
            "a security post's enrolment file carries no document_key (security posts never "
            "see document numbers): use the file `kiosk-hub enrol ID --role security` wrote"
        )


def _journal_key(enrolment: dict) -> bytes | None:
    """The key the hub holds for this kiosk's journal (kiosk/audit.py); a hub older than
    sealed journals gives none, and the kiosk keeps sealing with its own."""
    given = enrolment.get("journal_key")
    if given is None:
        return None
    try:
        key = base64.b64decode(given, validate=True)
    except (binascii.Error, TypeError) as err:
        raise EnrolmentInvalid("journal_key is not base64") from err
    if len(key) != journal_keys.KEY_SIZE:
        raise EnrolmentInvalid("journal_key is not a journal key (32 bytes)")
    return key


def _transport(enrolment: dict, allow_plain_http: bool) -> dict:
    """The enrolment's transport: the hub certificate's pin, and the consent to plain
    http beyond loopback (given in the file by `kiosk-hub enrol --allow-plain-http`, or
    here by the operator); refused as sync would refuse it."""
    pin = enrolment.get("hub_cert_sha256") or ""
    try:
        pin = normalise_pin(pin) if pin else ""
    except (ValueError, AttributeError) as err:
        raise EnrolmentInvalid(f"hub_cert_sha256 is not a certificate fingerprint: {err}") from err
    allow = allow_plain_http or enrolment.get("allow_plain_http") is True
    try:
        check_url(enrolment["hub_url"], pin, allow)
    except TransportRefused as err:
        raise EnrolmentInvalid(str(err)) from err
    return {"hub_cert_sha256": pin, "allow_plain_http": allow}


def _document_key(enrolment: dict) -> bytes | None:
    """The site's document key a counter's enrolment carries (kiosk/documents.py)."""
    given = enrolment.get("document_key")
    if given is None:
        return None
    try:
        key = base64.b64decode(given, validate=True)
    except (binascii.Error, TypeError) as err:
        raise EnrolmentInvalid("document_key is not base64") from err
    if len(key) != documents.KEY_SIZE:
        raise EnrolmentInvalid("document_key is not a document key (32 bytes)")
    return key


def check_enrolment(enrolment: object, allow_plain_http: bool = False) -> dict:
    """An enrolment file's content checked whole, its keys decoded, nothing stored (so a
    command can refuse a bad file before it creates a store); EnrolmentInvalid saying why."""
    e = _checked(enrolment)
    return e | _transport(e, allow_plain_http)


def enrol(store: Store, enrolment: object, allow_plain_http: bool = False) -> SyncState:
    """Store an enrolment. Enrolling again for the same hub and kiosk id (a new token)
    keeps the cursor and the outbox; another hub or id on an enrolled store is refused.
    A counter's document key goes to DATA_DIR/keys/document.key (owner only); the hub's
    key for this kiosk's journal seals every entry from the next one on."""
    e = check_enrolment(enrolment, allow_plain_http)
    with store.writing() as s:
        row = s.get(SyncStateRow, 1)
        if row is not None and (row.hub_id, row.kiosk_id) != (e["hub_id"], e["kiosk_id"]):
            raise EnrolmentInvalid(
                f"this store is enrolled as {row.kiosk_id} with hub {row.hub_id}; it cannot "
                f"become {e['kiosk_id']} of {e['hub_id']} (use a fresh data directory)"
            )
        if row is None:
            _check_journal_authors(s, e["kiosk_id"])
            row = SyncStateRow(id=1, cursor=0, acked_journal_id=0, last_error="")
            s.add(row)
        for key in ("hub_url", "hub_id", "hub_key", "kiosk_id", "role"):
            setattr(row, key, e[key])
        row.hub_cert_sha256, row.allow_plain_http = e["hub_cert_sha256"], e["allow_plain_http"]
        data_dir = store.path.parent
        write_private(hub_token_path(data_dir), e["token"].encode("ascii"))
        if e["document_key"] and documents.read_key(data_dir) != e["document_key"]:
            documents.write_key(data_dir, e["document_key"])
            row.cursor = 0  # digests held were made with another key: pull everything again
        if e["journal_key"]:
            store.journal.adopt(s, e["journal_key"], e["hub_id"])
        s.flush()
        return _state(row, e["token"])


def _check_journal_authors(s: Session, kiosk_id: str) -> None:
    """Refuse a first enrolment as `kiosk_id` of a store whose journal only other kiosk ids
    wrote (first accounts made as G1, the default, then enrolled as G2): the hub would
    refuse every delivery of it for good, as rows of another kiosk."""
    written = set(s.scalars(select(JournalRow.kiosk_id).distinct()))
    if written and kiosk_id not in written:
        raise EnrolmentInvalid(
            f"this store's journal was written as kiosk {', '.join(sorted(written))}: the hub "
            f"would refuse its entries from {kiosk_id} (enrol it under that id, or use a "
            "fresh data directory)"
        )


def set_hub_url(store: Store, url: str, allow_plain_http: bool | None = None) -> None:
    """Point the kiosk at another address of its hub (the certificate pin stays);
    `allow_plain_http` True or False records the operator's choice, None keeps it.
    TransportRefused for an address sync would refuse, and nothing changes."""
    with store.writing() as s:
        row = s.get(SyncStateRow, 1)
        if row is None:
            raise NotEnrolled()
        allow = row.allow_plain_http if allow_plain_http is None else allow_plain_http
        check_url(url, row.hub_cert_sha256, allow)
        row.hub_url, row.allow_plain_http = url, allow


def record_attempt(
    store: Store,
    now: datetime,
    error: str = "",
    code: str = "",
    clock: ClockReading | None = None,
) -> None:
    """Note a sync round's end: success (no error) sets the last sync time; `code` says
    what kind of failure it was when the screen shows it apart; `clock`, the latest
    measurement of the kiosk's clock, replaces the one kept."""
    with store.writing() as s:
        note_attempt(s, now, error, code, clock)


def note_attempt(
    s: Session,
    now: datetime,
    error: str = "",
    code: str = "",
    clock: ClockReading | None = None,
) -> None:
    """`record_attempt` within a transaction under way (a round's last page's), written
    on its SQLite connection: through the ORM it cost a third of an empty round's write."""
    at = stored_moment(now)
    low, high, measured = (
        (_ms(clock.low), _ms(clock.high), stored_moment(clock.measured_at))
        if clock is not None
        else (None, None, None)
    )
    sqlite_of(s).execute(  # one statement: a second cost the write 0.35 -> 0.42 ms
        "UPDATE sync_state SET last_attempt_at = ?, last_error = ?, last_error_code = ?, "
        "last_sync_at = CASE WHEN ? = '' THEN ? ELSE last_sync_at END, "
        "clock_low_ms = COALESCE(?, clock_low_ms), clock_high_ms = COALESCE(?, clock_high_ms), "
        "clock_measured_at = COALESCE(?, clock_measured_at) WHERE id = 1",
        (at, error, code, error, at, low, high, measured),
    )


def _ms(span: timedelta) -> int:
    return round(span.total_seconds() * 1000)


def outbox_length(store: Store) -> int:
    """Journal rows the hub does not hold yet."""
    with store.reading() as s:
        return count_outbox(s)


_POSITION = (
    "SELECT cursor, (SELECT count(*) FROM journal WHERE id > acked_journal_id) "
    "FROM sync_state WHERE id = 1"
)


def count_outbox(s: Session) -> int:
    """`outbox_length` within a transaction under way."""
    found = sqlite_of(s).execute(_POSITION).fetchone()
    return found[1] if found else sqlite_of(s).execute("SELECT count(*) FROM journal").fetchone()[0]


def position(s: Session) -> tuple[int, int]:
    """The feed cursor of an enrolled store and its outbox's length, in a transaction
    under way (where a round ends)."""
    return sqlite_of(s).execute(_POSITION).fetchone()


def unreported_badges(store: Store) -> int:
    """Badges named by journal rows the hub does not hold yet (what a clerk counts as
    "not yet reported", where `outbox_length` counts every row)."""
    with store.reading() as s:
        acked = s.scalar(select(SyncStateRow.acked_journal_id).where(SyncStateRow.id == 1)) or 0
        serials = (
            select(JournalRow.badge_serial)
            .where(JournalRow.id > acked, JournalRow.badge_serial.is_not(None))
            .distinct()
            .subquery()
        )
        return s.scalar(select(func.count()).select_from(serials)) or 0


def conflicts(store: Store, kiosk_id: str | None = None, open_only: bool = False) -> list[Conflict]:
    """Conflicts reported by the hub, newest first; only those naming `kiosk_id` if given,
    only those the office has not settled yet with `open_only`."""
    with store.reading() as s:
        q = select(SyncConflictRow).order_by(SyncConflictRow.id.desc())
        if kiosk_id:
            q = q.where(SyncConflictRow.kiosk_id == kiosk_id)
        if open_only:
            q = q.where(SyncConflictRow.settled_at.is_(None))
        return [
            Conflict(**{n: getattr(r, n) for n in Conflict.__dataclass_fields__})
            for r in s.scalars(q)
        ]
