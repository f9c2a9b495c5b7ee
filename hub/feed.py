"""The pull feed: a kiosk's changes since its cursor, a page at a time, cut to its role.

A page holds the rows with the lowest change numbers above the cursor (at most `limit`
of them), plus the rows they refer to that the kiosk may not have in their current
version (an accreditation's person, letter and event...), so that every page, applied
alone in one transaction, leaves the kiosk's store whole. Rows carry only their latest
version: a row changed twice is sent once.

Roles see what they need (docs/sync-protocol.md): a counter kiosk gets everything (the
CSCA trust list its chip reader checks passports against, the opening hours, closures
and pooled moments set at the hub included: docs/site-hours.md); a
security post gets events, badges and their events (lost, returned... without the
clerk's note), the office's reinstatements, and for each badge its accreditation and
holder with the photo, without ID document, date of birth, e-mail or professional
proof, and only the security and administrator staff accounts (docs/personal-data.md,
docs/staff-and-roles.md).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache
from itertools import repeat

import orjson
from sqlalchemy import (
    CompoundSelect,
    Connection,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import NULLTYPE

from hub.clients import Client, Role
from hub.database import HubDatabase
from hub.feed_rows import READ_AS_STORED, wire_rows
from hub.schema import (
    AccreditationRow,
    BadgeEventRow,
    BadgeRow,
    ConflictRow,
    CounterClosureRow,
    CounterHoursRow,
    CscaRow,
    EventRow,
    FeedKeyRow,
    JournalRow,
    LetterRow,
    PersonRow,
    PoolMomentRow,
    PublicKeyRow,
    ReinstatementRow,
    SeqRow,
    StaffAccountRow,
)
from sync.protocol import BYTES, FIELDS, Blobs, encode, page_body

DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
TABLES = {
    "events": EventRow,
    "letters": LetterRow,
    "people": PersonRow,
    "accreditations": AccreditationRow,
    "badges": BadgeRow,
    "badge_events": BadgeEventRow,
    "reinstatements": ReinstatementRow,
    "keys": PublicKeyRow,
    "csca": CscaRow,
    "conflicts": ConflictRow,
    "staff": StaffAccountRow,
    "counter_hours": CounterHoursRow,
    "closures": CounterClosureRow,
    "pool_moments": PoolMomentRow,
    "feed_keys": FeedKeyRow,  # hand-overs of the feed key (hub/feed_keys.py)
}
KEYS = {kind: getattr(table, "id", None) for kind, table in TABLES.items()}
KEYS |= {
    "badges": BadgeRow.serial,
    "keys": PublicKeyRow.key_id,
    "feed_keys": FeedKeyRow.key_id,
    "staff": StaffAccountRow.name,
    "csca": CscaRow.fingerprint,
}
_COLUMNS = {kind: (*FIELDS[kind], "seq") for kind in TABLES}
_COLUMNS["badge_events"] += ("id",)  # its key at the hub; kiosks key it by its journal entry
_COLUMNS["reinstatements"] += ("id",)  # kiosks key it by (serial, cancels)
ROLE_KINDS = {
    Role.COUNTER: tuple(TABLES),
    Role.SECURITY: (
        "events",
        "people",
        "accreditations",
        "badges",
        "badge_events",
        "reinstatements",
        "keys",
        "staff",
        "feed_keys",
    ),
}
# A security post signs in only its own staff and administrators: no counter PIN hashes.
_POST_STAFF = StaffAccountRow.role.in_(("security", "administrator"))
# What a security post is not told (the columns are NOT NULL in the kiosk store).
REDACTED_DAY = date(1900, 1, 1)
_SECURITY_ACCREDITATIONS = {
    "doc_kind": "",
    "doc_number_digest": "",
    "doc_number_tail": "",
    "doc_state": "",
    "doc_surname": "",
    "doc_given_names": "",
    "doc_birth_date": REDACTED_DAY,
    "doc_expiry": REDACTED_DAY,
    "press_card": None,
    "letter_id": None,
}


# A counter's badge key waiting for the office's approval is no kiosk's business yet.
_TRUSTED = PublicKeyRow.approved_at.is_not(None)


def _with_badge(kind: str):
    """Security posts get only the accreditations and people that have a badge."""
    if kind == "accreditations":
        return exists().where(BadgeRow.accreditation_id == AccreditationRow.id)
    return exists().where(
        AccreditationRow.person_id == PersonRow.id,
        BadgeRow.accreditation_id == AccreditationRow.id,
    )


def _filtered(q, role: Role, kind: str):
    """`q` restricted to the rows of `kind` this role is sent."""
    if role is Role.SECURITY and kind in ("people", "accreditations"):
        q = q.where(_with_badge(kind))
    if kind == "keys":
        q = q.where(_TRUSTED)
    if kind == "staff" and role is Role.SECURITY:
        q = q.where(_POST_STAFF)
    return q


@cache
def _first_changes(role: Role) -> CompoundSelect:
    """Per kind of the role (its position in ROLE_KINDS), the change numbers of its first
    `limit` rows changed after `cursor`, as text ("12,15,16"; none: NULL): one statement
    (built once) instead of one per kind. Text, because a Python row per change number
    cost three times what SQLite spent finding them, and merging them in SQLite sorted
    each kind's again, though its index gives them in order."""
    branches = []
    for i, kind in enumerate(ROLE_KINDS[role]):
        table = TABLES[kind]
        q = _filtered(select(table.seq).where(table.seq > bindparam("cursor")), role, kind)
        first = q.order_by(table.seq).limit(bindparam("limit")).subquery()
        listed = func.aggregate_strings(cast(first.c.seq, String), ",")
        branches.append(select(literal_column(str(i)), listed))
    return union_all(*branches)


_SQLITE = sqlite.dialect(paramstyle="named")


class _OnSqlite:
    """A select compiled once to SQLite text, run on the snapshot's own `sqlite3`
    connection (same transaction, same snapshot): SQLAlchemy's execution and its Row
    objects cost a tenth of a first sync's page. Values come typed as SQLAlchemy types
    them (its own result processors: booleans, JSON, times), rows as tuples, or lists
    when a column needed typing or `as_json`: then SQLite writes the rows as one JSON
    array, which orjson reads back a third faster than sqlite3 makes a Python value of
    each column of each row (the same values: SQLite's integers, texts and NULLs; not
    for bytes, which JSON cannot hold)."""

    def __init__(self, stmt: Select | CompoundSelect, as_json: bool = False) -> None:
        compiled = stmt.compile(dialect=_SQLITE)
        # Lists of constants (IN (...)) written out; the parameters given at each run (None
        # here) keep their names.
        unset = {name: None for name, value in compiled.params.items() if value is None}
        expanded = compiled.construct_expanded_state(unset)
        self.text = expanded.statement
        self.params = dict(expanded.parameters)  # with the statement's constants
        self.typing = _processors(stmt)
        self.as_json = as_json
        if as_json:
            names = list(stmt.selected_columns.keys())
            assert len(set(names)) == len(names), names  # each named once in the subquery
            listed = ", ".join(f'"{name}"' for name in names)
            self.text = (
                f"SELECT '[' || group_concat(json_array({listed})) || ']' FROM ({self.text})"
            )

    def rows(self, db: sqlite3.Connection, params: dict) -> list:
        found = db.execute(self.text, self.params | params).fetchall()
        if self.as_json:
            [(text,)] = found
            rows = orjson.loads(text) if text is not None else []  # no row: NULL
        elif not self.typing or not found:
            return found
        else:
            rows = list(map(list, found))
        for i, typed in self.typing:
            for row in rows:
                if row[i] is not None:
                    row[i] = typed(row[i])
        return rows


def _processors(stmt: Select | CompoundSelect) -> list[tuple[int, Callable]]:
    """(column position, SQLAlchemy's result processor on SQLite) of the columns that
    have one."""
    found = []
    for i, column in enumerate(stmt.selected_columns):
        typed = column.type.dialect_impl(_SQLITE).result_processor(_SQLITE, None)
        if typed is not None:
            found.append((i, typed))
    return found


@cache
def _on_sqlite(stmt: Select | CompoundSelect, as_json: bool) -> _OnSqlite:
    """`stmt` (built once, by the functions above) compiled for SQLite, once."""
    return _OnSqlite(stmt, as_json)


def _rows(
    conn: Connection, stmt: Select | CompoundSelect, params: dict, as_json: bool = False
) -> Sequence[Sequence]:
    """The rows of `stmt` (built once) on `conn`: on SQLite by the bare connection (as
    JSON if `as_json`: see _OnSqlite), on PostgreSQL by SQLAlchemy."""
    if conn.dialect.name != "sqlite":
        return conn.execute(stmt, params).fetchall()
    return _on_sqlite(stmt, as_json).rows(conn.connection.driver_connection, params)


def _changed(conn: Connection, role: Role, cursor: int, limit: int) -> list[tuple[int, str]]:
    """(seq, kind) of the first `limit` + 1 rows changed after `cursor` (one more says
    whether there are more)."""
    kinds = ROLE_KINDS[role]
    listed = _rows(conn, _first_changes(role), {"cursor": cursor, "limit": limit + 1})
    changes = []
    for i, text in listed:
        if text:  # read as a JSON array: a tenth of int() on each
            changes += zip(orjson.loads(f"[{text}]"), repeat(i))
    changes.sort()
    return [(seq, kinds[i]) for seq, i in changes[: limit + 1]]


def _columns(kind: str) -> Select:
    """The columns of `kind` the feed reads; dates and datetimes as stored, untyped
    (hub/feed_rows.py writes them to the wire)."""
    columns = TABLES[kind].__table__.c
    return select(
        *(
            type_coerce(columns[name], NULLTYPE)
            if FIELDS[kind].get(name) in READ_AS_STORED
            else columns[name]
            for name in _COLUMNS[kind]
        )
    )


@cache
def _range_query(role: Role, kind: str) -> Select:
    """Rows of `kind` changed in (cursor, cut] this role is sent (built once)."""
    seq = TABLES[kind].seq
    q = _columns(kind).where(seq > bindparam("cursor"), seq <= bindparam("cut"))
    return _filtered(q, role, kind)


@cache
def _key_query(kind: str, changed_after: bool) -> Select:
    """Rows of `kind` with the keys bound as `keys` (and changed after `after`)."""
    q = _columns(kind).where(KEYS[kind].in_(bindparam("keys", expanding=True)))
    if kind == "keys":
        q = q.where(_TRUSTED)
    return q.where(TABLES[kind].seq > bindparam("after")) if changed_after else q


def _in_range(conn: Connection, role: Role, kind: str, cursor: int, cut: int) -> list:
    """Rows of `kind` (column values in _COLUMNS order) changed in (cursor, cut]: the
    page's own rows, taken by their change numbers rather than by a list of keys."""
    params, as_json = {"cursor": cursor, "cut": cut}, BYTES not in FIELDS[kind].values()
    return _rows(conn, _range_query(role, kind), params, as_json)


def _by_key(conn: Connection, kind: str, keys: Iterable, after: int | None = None) -> list:
    """Rows of `kind` (column values in _COLUMNS order) with these keys, changed after
    `after` if given."""
    keys = [k for k in set(keys) if k is not None]
    if not keys:
        return []
    params = {"keys": keys} if after is None else {"keys": keys, "after": after}
    return conn.execute(_key_query(kind, after is not None), params).fetchall()


def _at(kind: str, name: str) -> int:
    return _COLUMNS[kind].index(name)


class _Page:
    """Rows gathered for one page, by kind and key."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {kind: {} for kind in TABLES}

    def add(self, kind: str, rows: Iterable) -> None:
        at = _at(kind, KEYS[kind].key)
        for row in rows:
            self.rows[kind][row[at]] = row

    def missing(self, kind: str, keys: Iterable) -> set:
        return set(keys) - set(self.rows[kind])

    def refer(self, kind: str, key: str, source: str) -> set:
        """Keys of `kind` that rows of `source` name in `key` and the page lacks."""
        at = _at(source, key)
        return self.missing(kind, (r[at] for r in self.rows[source].values()))


# A counter's parent kinds, and the newest change of each (one statement, index ends).
_PARENTS = ("accreditations", "people", "letters", "events")
_NEWEST_PARENTS = select(*(select(func.max(TABLES[k].seq)).scalar_subquery() for k in _PARENTS))


def _close(conn: Connection, page: _Page, role: Role, cursor: int, cut: int, more: bool) -> None:
    """Add what the page's rows refer to and the kiosk may lack: for a counter, parents
    changed since the cursor; for a security post, every badge's accreditation and holder
    (the post held none of them before the badge).

    A counter's parents are sent unfiltered, so those changed up to the page's last change
    (`cut`) are on the page already: only a kind changed after the cut is looked up, and
    on a last page (`more` false) none is."""
    if role is Role.SECURITY:
        after, lookup = None, dict.fromkeys(_PARENTS, True)
    elif not more:
        return
    else:
        newest = zip(_PARENTS, conn.execute(_NEWEST_PARENTS).one(), strict=True)
        after, lookup = cursor, {kind: (n or 0) > cut for kind, n in newest}

    def add(kind: str, key: str, source: str) -> None:
        if lookup[kind]:
            page.add(kind, _by_key(conn, kind, page.refer(kind, key, source), after))

    add("accreditations", "accreditation_id", "badges")
    add("people", "person_id", "accreditations")
    if role is Role.SECURITY:
        return
    add("letters", "letter_id", "accreditations")
    for source in ("accreditations", "counter_hours", "pool_moments"):  # all name an event
        add("events", "event_id", source)
    if lookup["events"]:  # and events name the events they are valid with
        at = _at("events", "valid_with")
        linked = {e for ev in page.rows["events"].values() for e in ev[at]}
        page.add("events", _by_key(conn, "events", page.missing("events", linked), after))


def _encoded(kind: str, values: dict) -> dict:
    return encode({name: FIELDS[kind][name] for name in values}, values)


# What a security post is not told, as the wire carries it.
_REDACTED = {
    "accreditations": _encoded("accreditations", _SECURITY_ACCREDITATIONS),
    "people": _encoded("people", {"date_of_birth": REDACTED_DAY}),
    "badge_events": {"note": ""},  # when and where a badge was voided, not the story
}


def _wire(kind: str, rows: Sequence, role: Role, blobs: Blobs, sqlite: bool) -> list[dict]:
    """The rows of `kind` as the wire carries them to `role`."""
    wire = wire_rows(FIELDS[kind], rows, blobs, sqlite)
    redacted = _REDACTED.get(kind) if role is Role.SECURITY else None
    if redacted:
        for row in wire:
            row.update(redacted)
            if kind == "people":
                row["email"] = f"person-{row['id']}@redacted.invalid"
    return wire


def _after_key(page: _Page, key_start: int) -> None:
    """Keep only the hand-overs after the signing key's own: a kiosk enrolled with a later
    key, or pulling again from 0, holds that key and takes nothing older."""
    rows, seq = page.rows["feed_keys"], _at("feed_keys", "seq")
    page.rows["feed_keys"] = {k: r for k, r in rows.items() if r[seq] > key_start}


# The newest change number and the last journal id of the kiosk the hub holds, at once.
_HEAD_AND_RECEIVED = select(
    SeqRow.value,
    select(func.max(JournalRow.journal_id))
    .where(JournalRow.kiosk_id == bindparam("kiosk"))
    .scalar_subquery(),
).where(SeqRow.id == 1)


def build_page(
    db: HubDatabase,
    client: Client,
    cursor: int,
    limit: int,
    nonce: str,
    now: datetime,
    key_start: int = 0,
) -> bytes | None:
    """The body of the page after `cursor` for `client` (sign it with the feed key that
    starts at `key_start`: only later hand-overs are sent), or None when the cursor is
    ahead of this hub (restored from an older backup, say)."""
    with db.snapshot() as conn:
        return page_on(conn, db.hub_id, client, cursor, limit, nonce, now, key_start)


def page_on(
    conn: Connection,
    hub_id: str,
    client: Client,
    cursor: int,
    limit: int,
    nonce: str,
    now: datetime,
    key_start: int = 0,
) -> bytes | None:
    """`build_page` read on `conn` (one snapshot, begun by the caller)."""
    limit = max(1, min(limit, MAX_LIMIT))
    ((top, received),) = _rows(conn, _HEAD_AND_RECEIVED, {"kiosk": client.id})
    top = top or 0
    if cursor > top:
        return None
    # none after the newest change: no query
    candidates = _changed(conn, client.role, cursor, limit) if cursor < top else []
    more = len(candidates) > limit
    taken = candidates[:limit]
    cut = taken[-1][0] if taken else cursor
    page = _Page()
    for kind in {k for _, k in taken}:
        page.add(kind, _in_range(conn, client.role, kind, cursor, cut))
    _close(conn, page, client.role, cursor, cut, more)
    _after_key(page, key_start)
    blobs, sqlite = Blobs(), conn.dialect.name == "sqlite"
    return page_body(
        hub=hub_id,
        kiosk=client.id,
        nonce=nonce,
        at=now,
        cursor_from=cursor,
        cursor_to=taken[-1][0] if more else top,
        head=top,
        more=more,
        received_up_to=received or 0,
        entities={
            kind: _wire(kind, list(rows.values()), client.role, blobs, sqlite)
            for kind, rows in page.rows.items()
            if kind in ROLE_KINDS[client.role]
        },
        blobs=blobs,
    )


def bundle_nonce() -> str:
    """The nonce of pages written to a bundle file (a kiosk checks it only online)."""
    return "bundle-" + secrets.token_hex(8)
