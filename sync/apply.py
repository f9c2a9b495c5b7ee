"""Applying a verified feed page to the kiosk's store: one transaction per page.

The office's data (events, letters, people and photos, accreditations, keys, staff
accounts: sync/staff_apply.py, CSCA certificates, opening hours, closures and pooled
moments: sync/hours_apply.py) is taken as the hub sends it; a key or
a CSCA the hub says is retired or removed is deleted (it is no longer trusted).
Badges are merged: a final status (superseded, revoked, or voided in the holder's life:
lost, stolen, damaged, found, returned) is never undone; the hub's final
status wins over anything else (and says which badge replaced it, when two counters each
superseded the same badge); otherwise the local row wins while this kiosk has a change
of that badge the hub has not received yet (a print state, a hand-over), and the hub's
row wins once it has. The one way back from `superseded` is a reinstatement the office
decided (hub/settle.py), an item of its own in the feed and kept here for good: the badge
superseded by the one it cancels is active again and the cancelled badge revoked; a page
saying that badge superseded by that same replacement (a hub restored from an old backup
replays such pages) then reads as the badge valid, and one saying the cancelled badge
valid reads as it revoked, while a new supersession still counts.
A person, accreditation or letter this kiosk has purged
(kiosk/purge.py) stays purged: the feed never brings its personal data back; rows the
hub purged arrive blank and are written with SQLite's ``secure_delete`` on, so what they
replace does not linger in the file.

Rows are taken defensively (sync/feed_checks.py): one with an unknown value or of the
wrong form, a badge bearing this kiosk's serial that this kiosk never made, or a row
whose parent was refused is left out with a logged reason; the rest of the page applies.
A photo no identity photo can be (too large, not a JPEG) is dropped, logged: the person
is kept without a photo (the counter then refuses a badge for want of one).

Rows are written without the ORM: one compiled upsert per table run as an executemany
on the SQLite connection itself, dates, times and flags converted as SQLAlchemy stores
them (by faster means, a column at a time, checked equal in tests/sync/test_apply.py
and test_column_conversions.py), and the page's fixed lookups (keys bound as one JSON
array) run there too, because on a first sync the ORM's per-row
statement handling cost as much as SQLite's own work, and on a page of 100 changes each
statement through SQLAlchemy cost 0.1-0.3 ms (docs/benchmarks-sync.md). A row the store
holds sets only the indexed columns that changed (SQLite rewrites the index entry of each
indexed column a statement sets), and is written before the page's new rows. The sync
state is read and written on that connection too; a page that brings nothing commits
without waiting for the disk (`Store.writing(lasting=False)`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from operator import itemgetter, methodcaller

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Dialect,
    LargeBinary,
    Table,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.badge_life import VOIDED
from kiosk.model import BadgeStatus
from kiosk.purge import secure_delete
from kiosk.store.bulk_load import drop_deferred, restore_deferred
from kiosk.store.database import Store
from kiosk.store.schema import (
    AccreditationRow,
    AwareDateTime,
    BadgeEventRow,
    BadgeRow,
    CscaRow,
    EventRow,
    JournalRow,
    KeyRow,
    LetterRow,
    PersonRow,
    PhotoRow,
    ReinstatementRow,
    SyncConflictRow,
)
from sync import columns
from sync.feed_checks import all_pass, odd_photos, own_serial, refusal
from sync.feed_forms import plain_texts
from sync.hours_apply import apply_hours, apply_moments
from sync.protocol import Page, ProtocolError, follow_handovers
from sync.staff_apply import apply_staff

log = logging.getLogger(__name__)

# A badge found after it was lost outranks its loss (it only follows one); a revocation
# outranks them all.
FINAL_RANK = {
    BadgeStatus.SUPERSEDED.value: 1,
    **{status: 1 for status in VOIDED},
    BadgeStatus.FOUND.value: 2,
    BadgeStatus.REVOKED.value: 3,
}
PURGEABLE = ("letters", "people", "accreditations")
_SUPERSEDED = BadgeStatus.SUPERSEDED.value


@dataclass(frozen=True)
class Applied:
    """What applying a page did."""

    cursor: int
    entities: int
    skipped: bool = False  # the store held all of it already (an old bundle page)
    refused: int = 0  # rows left out (logged): unknown values, wrong form, not ours


def sqlite_of(s: Session) -> sqlite3.Connection:
    """The SQLite connection under the session's transaction, for fixed statements; kept
    in the session's `info` (asking the session for it each time cost 20 us, a page asks
    a dozen times; a store's session lives for one transaction)."""
    db = s.info.get("sqlite3")
    if db is None:
        db = s.info["sqlite3"] = s.connection().connection.driver_connection
    return db


def _among(
    s: Session, table: type, column: str, values: Iterable, also: str = "", *bound: object
) -> set:
    """Values of `column` in `table` among `values` (and meeting `also`, with `bound` as its
    parameters), the values bound as one JSON array: the statement is the same whatever
    their number (no limit on SQLite's variables). Names come from the schema only."""
    sql = (
        f"SELECT {column} FROM {table.__tablename__} "
        f"WHERE {column} IN (SELECT value FROM json_each(?)){also}"
    )
    return {v for (v,) in sqlite_of(s).execute(sql, (json.dumps(list(values)), *bound))}


def stored_moment(value: datetime) -> str:
    """An aware datetime as the store keeps it (AwareDateTime over SQLite's DateTime:
    naive UTC, microseconds always written)."""
    if value.tzinfo is None:
        raise ValueError("the store takes timezone-aware datetimes only")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


# stored_moment over a column: in UTC, written with its offset, which is cut ("+00:00",
# always 6 characters in UTC): replace(tzinfo=None) cost as much as writing the text.
_IN_UTC = methodcaller("astimezone", UTC)
_WRITTEN = methodcaller("isoformat", " ", "microseconds")
_NO_OFFSET = itemgetter(slice(0, -len("+00:00")))


def stored_moments(values: list[datetime]) -> list[str]:
    """`stored_moment` of each of `values` (none of them None), by C methods only (a
    call per value cost a tenth of applying a page of 100 changes)."""
    if columns.any_naive(values):
        raise ValueError("the store takes timezone-aware datetimes only")
    return list(map(_NO_OFFSET, map(_WRITTEN, map(_IN_UTC, values))))


_STRICT_BOOLS = frozenset({True, False})  # what SQLAlchemy's Boolean binds (and None)


def _bools(convert: Callable, values: list) -> list:
    """SQLAlchemy's Boolean binding `convert` (a dialect without booleans: int of what
    it takes, an error for anything else) of `values`, none of them None: `int` when
    all are taken, else `convert` of each, for its error."""
    try:
        if _STRICT_BOOLS.issuperset(values):
            return columns.each(int, values)
    except TypeError:  # unhashable: `convert` says so
        pass
    return columns.each(convert, values)


def conversion(column: Column, dialect: Dialect) -> Callable | None:
    """How a value of `column` is bound: SQLAlchemy's own conversion, except for dates and
    times (the same text by C methods) and bytes (sqlite3 takes them as they are)."""
    kind = column.type
    if isinstance(kind, AwareDateTime):
        return stored_moment
    if isinstance(kind, LargeBinary):
        return None
    if type(kind) is Date:
        return date.isoformat
    return kind.dialect_impl(dialect).bind_processor(dialect)


def column_conversion(column: Column, dialect: Dialect) -> Callable[[list], list] | None:
    """`conversion` of a whole column of values (none of them None), by C passes where
    one gives the same values."""
    convert = conversion(column, dialect)
    if convert is None:
        return None
    if convert is stored_moment:
        return stored_moments
    if isinstance(column.type, Boolean) and not dialect.supports_native_boolean:
        return partial(_bools, convert)
    return partial(columns.each, convert)


def _indexed(table: Table) -> frozenset[str] | None:
    """The columns an index or a unique constraint of `table` holds (writing one rewrites
    its index entries), or None when an index holds an expression (not split then)."""
    names: set[str] = set()
    for index in table.indexes:
        if not all(isinstance(e, Column) for e in index.expressions):
            return None
        names.update(c.name for c in index.columns)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            names.update(c.name for c in constraint.columns)
    return frozenset(names)


@dataclass(frozen=True)
class _Upsert:
    """The statements writing rows of some columns into a table, compiled once: `full`
    (insert, or set every column on a conflict), and for rows known to be stored,
    `narrow` (set only the columns no index holds) with `fix` (set the indexed ones
    where they differ): SQLite rewrites an index entry for each indexed column a
    statement sets, changed or not, and on a page of 100 changes those entries were
    most of the pages a commit wrote. `take` gives a row's values in the statements'
    order, `conversions` (position, conversion of a column's values) the columns whose
    type converts its value, `fixing` the values `fix` binds out of those."""

    full: str
    take: Callable[[dict], tuple]
    conversions: tuple
    narrow: str | None = None
    fix: str | None = None
    fixing: Callable[[tuple], tuple] | None = None


def _compiled(table: Table, names: tuple[str, ...], updated: list[str], dialect: Dialect):
    stmt = insert(table).values({n: bindparam(n, type_=table.c[n].type) for n in names})
    pk = [c.name for c in table.primary_key]
    if updated:
        stmt = stmt.on_conflict_do_update(
            index_elements=pk, set_={n: stmt.excluded[n] for n in updated}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=pk)
    return stmt.compile(dialect=dialect)


_UPSERTS: dict[tuple, _Upsert] = {}
_UPSERTS_KEPT = 64  # a table and its columns each: about ten in use


def _upsert_for(table: Table, names: tuple[str, ...], dialect: Dialect) -> _Upsert:
    """`_upsert_sql`, compiled once per process for every store on the same SQLite: keyed
    by the dialect's kind and version, not by each store's own dialect object (a new store
    compiled them all again at its first sync)."""
    key = (table, names, type(dialect), dialect.server_version_info)
    found = _UPSERTS.get(key)
    if found is None:
        if len(_UPSERTS) >= _UPSERTS_KEPT:  # bounded whatever columns rows arrive with
            _UPSERTS.clear()
        found = _UPSERTS[key] = _upsert_sql(table, names, dialect)
    return found


def _upsert_sql(table: Table, names: tuple[str, ...], dialect: Dialect) -> _Upsert:
    """The upsert statements of `names` into `table` (see `_Upsert`)."""
    pk = [c.name for c in table.primary_key]
    values = [n for n in names if n not in pk]
    compiled = _compiled(table, names, values, dialect)
    order = compiled.positiontup or ()
    if set(order) != set(names) or len(order) < 2:  # defaults would need SQLAlchemy per row
        raise ValueError(f"{table.name}: no value given for {sorted(set(order) - set(names))}")
    processors = (column_conversion(table.c[n], dialect) for n in order)
    conversions = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    full = _Upsert(compiled.string, itemgetter(*order), conversions)
    indexed = _indexed(table)
    held = [n for n in values if indexed is not None and n in indexed]
    if not held or indexed is None or len(pk) != 1:
        return full
    narrow = _compiled(table, names, [n for n in values if n not in indexed], dialect)
    if list(narrow.positiontup or ()) != list(order):
        return full
    fix = (
        f"UPDATE {table.name} SET {', '.join(f'{n} = ?' for n in held)} "
        f"WHERE {' AND '.join(f'{n} = ?' for n in pk)} "
        f"AND NOT ({' AND '.join(f'{n} IS ?' for n in held)})"
    )
    fixing = itemgetter(*(order.index(n) for n in (*held, *pk, *held)))
    return replace(full, narrow=narrow.string, fix=fix, fixing=fixing)


def _upsert(
    s: Session, table: type, rows: list[dict], skip: str = "", stored: Container = ()
) -> None:
    """Insert or replace `rows` (all with the same columns, `skip` left out) by
    executemany: the ORM's per-row statement handling cost more than SQLite's own work on
    a first sync. Rows whose key is in `stored` (found in the store in this transaction)
    leave the index entries of values they do not change as they are."""
    if not rows:
        return
    names = tuple(name for name in rows[0] if name != skip)
    upsert = _upsert_for(table.__table__, names, s.get_bind().dialect)
    values = list(map(upsert.take, rows))
    if upsert.conversions:
        values = _converted(values, upsert.conversions)
    db = sqlite_of(s)
    if upsert.narrow is None or not stored:
        db.executemany(upsert.full, values)
        return
    (key,) = (c.name for c in table.__table__.primary_key)
    new = [v for r, v in zip(rows, values, strict=True) if r[key] not in stored]
    old = [v for r, v in zip(rows, values, strict=True) if r[key] in stored]
    db.executemany(upsert.narrow, old)  # stored rows first: a value one of them gives
    db.executemany(upsert.fix, map(upsert.fixing, old))  # up is free for a new row
    if new:
        db.executemany(upsert.full, new)


def _converted(values: list[tuple], conversions: tuple) -> list[tuple]:
    """`values` (rows of a statement's parameters) with their column types' conversions,
    column by column (a call per row cost a tenth of a first sync's apply); None stays
    NULL (no column type of the store gives None a value)."""
    columns = list(zip(*values, strict=True))
    for i, convert in conversions:
        column = columns[i]
        if None not in column:
            columns[i] = convert(column)
            continue
        converted = iter(convert([v for v in column if v is not None]))
        columns[i] = [None if v is None else next(converted) for v in column]
    return list(zip(*columns, strict=True))


def _not_purged(s: Session, table: type, rows: list[dict]) -> tuple[list[dict], set[int]]:
    """The rows whose id this kiosk has not purged (a purge is final here), and the ids
    of the page's rows the store holds."""
    if not rows:
        return rows, set()
    held = dict(
        sqlite_of(s).execute(
            f"SELECT id, purged_at IS NOT NULL FROM {table.__tablename__} "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([r["id"] for r in rows]),),
        )
    )
    purged = {i for i, gone in held.items() if gone}
    return [r for r in rows if r["id"] not in purged] if purged else rows, set(held)


def _apply_people(s: Session, people: list[dict], stored: set[int]) -> None:
    _upsert(s, PersonRow, people, skip="photo", stored=stored)
    with_photo = [{"person_id": p["id"], "jpeg": p["photo"]} for p in people if p["photo"]]
    _upsert(s, PhotoRow, with_photo)
    without = [p["id"] for p in people if not p["photo"]]
    if without:
        sqlite_of(s).execute(
            "DELETE FROM photos WHERE person_id IN (SELECT value FROM json_each(?))",
            (json.dumps(without),),
        )


def _apply_keys(s: Session, keys: list[dict]) -> None:
    """Trust new keys and drop retired ones; the hub names each key's owner (who reported
    it), and that name is what a security post checks a badge's kiosk against. A key id
    this kiosk holds with another key (its own badge key, misconfigured with a taken id)
    is kept as it is: the hub refuses its deliveries and says why."""
    for key in (k for k in keys if k["retired_at"] is not None):
        s.execute(
            delete(KeyRow).where(
                KeyRow.key_id == key["key_id"], KeyRow.public_key == key["public_key"]
            )
        )
    fresh = [
        {k: v for k, v in key.items() if k != "retired_at"}
        for key in keys
        if key["retired_at"] is None
    ]
    if fresh:
        stmt = insert(KeyRow.__table__)
        s.execute(
            stmt.on_conflict_do_update(
                index_elements=["key_id"],
                set_={"owner": stmt.excluded.owner},
                where=KeyRow.__table__.c.public_key == stmt.excluded.public_key,
            ),
            fresh,
        )


def _apply_csca(s: Session, certificates: list[dict]) -> None:
    """The hub's CSCA trust list: add what it sends, drop what it removed."""
    gone = [c["fingerprint"] for c in certificates if c["removed_at"] is not None]
    if gone:
        s.execute(delete(CscaRow).where(CscaRow.fingerprint.in_(gone)))
    kept = [{"fingerprint": c["fingerprint"], "der": c["der"]} for c in certificates]
    _upsert(s, CscaRow, [c for c in kept if c["fingerprint"] not in set(gone)])


def merge_badge(
    local: dict | None,
    hub: dict,
    pending: bool,
    reinstated: frozenset[tuple[str, str]] = frozenset(),
) -> dict | None:
    """The badge row to write, or None to keep the local row as it is. `reinstated` holds
    the (badge, cancelled replacement) pairs the office reinstated that name this badge:
    the hub's row saying the badge superseded by that replacement reads as the badge
    active, and a cancelled badge the hub's row does not say final reads as revoked."""
    if hub["status"] == _SUPERSEDED and (hub["serial"], hub["superseded_by"]) in reinstated:
        hub = {**hub, "status": BadgeStatus.ACTIVE.value, "superseded_by": None}
    elif hub["status"] not in FINAL_RANK and any(hub["serial"] == b for _, b in reinstated):
        hub = {**hub, "status": BadgeStatus.REVOKED.value}
    if local is None:
        return hub
    local_rank = FINAL_RANK.get(local["status"], 0)
    hub_rank = FINAL_RANK.get(hub["status"], 0)
    if hub_rank and hub_rank >= local_rank:  # the hub's final word (which badge replaced it)
        return hub
    if local_rank:
        return None
    return None if pending else hub


def _apply_badges(s: Session, badges: list[dict], acked: int) -> None:
    if not badges:
        return
    serials = [b["serial"] for b in badges]
    each = func.json_each(json.dumps(serials)).table_valued("value")
    local = {
        r.serial: {c: getattr(r, c) for c in badges[0]}
        for r in s.scalars(select(BadgeRow).where(BadgeRow.serial.in_(select(each.c.value))))
    }
    pending = _among(s, JournalRow, "badge_serial", serials, " AND id > ?", acked)
    undone: dict[str, set[tuple[str, str]]] = {}
    among = "IN (SELECT value FROM json_each(?))"
    for a, b in sqlite_of(s).execute(
        f"SELECT serial, cancels FROM reinstatements WHERE serial {among} OR cancels {among}",
        (json.dumps(serials),) * 2,
    ):
        undone.setdefault(a, set()).add((a, b))
        undone.setdefault(b, set()).add((a, b))
    rows = [
        merged
        for b in badges
        if (
            merged := merge_badge(
                local.get(b["serial"]),
                b,
                b["serial"] in pending,
                frozenset(undone.get(b["serial"], ())),
            )
        )
    ]
    _upsert(s, BadgeRow, rows, stored=local)


def _apply_reinstatements(s: Session, rows: list[dict]) -> None:
    """Keep the office's reinstatements and act on them here: the badge superseded by the
    one cancelled is active again, the cancelled one revoked unless it is final already."""
    _upsert(s, ReinstatementRow, rows)
    for r in rows:
        s.execute(
            update(BadgeRow)
            .where(
                BadgeRow.serial == r["serial"],
                BadgeRow.status == _SUPERSEDED,
                BadgeRow.superseded_by == r["cancels"],
            )
            .values(status=BadgeStatus.ACTIVE.value, superseded_by=None)
        )
        s.execute(
            update(BadgeRow)
            .where(BadgeRow.serial == r["cancels"], BadgeRow.status.not_in(FINAL_RANK))
            .values(status=BadgeStatus.REVOKED.value)
        )


# (child kind, its column, parent kind, parent table): a child whose parent is neither on
# the page (taken) nor in the store cannot be written.
_PARENTS = (
    ("accreditations", "person_id", "people", PersonRow),
    ("accreditations", "event_id", "events", EventRow),
    ("accreditations", "letter_id", "letters", LetterRow),
    ("badges", "accreditation_id", "accreditations", AccreditationRow),
    ("counter_hours", "event_id", "events", EventRow),
    ("pool_moments", "event_id", "events", EventRow),
)
_KEY = {"badges": "serial", "keys": "key_id", "staff": "name", "csca": "fingerprint"}


def _refuse(kind: str, row: dict, why: str) -> None:
    log.warning("feed row refused: %s %r: %s", kind, row.get(_KEY.get(kind, "id")), why)


def _checked(kind: str, row: dict, kiosk_id: str) -> str | None:
    try:
        return refusal(kind, row, kiosk_id)
    except (TypeError, KeyError, ValueError) as err:
        return f"malformed ({err!r})"


def _admit(s: Session, page: Page, kiosk_id: str) -> tuple[dict, int]:
    """The page's rows this kiosk takes, and how many it left out (each one logged); text
    with control characters is taken with them replaced (sync/feed_forms.py)."""
    entities = page.entities
    taken: dict[str, list[dict]] = {}
    refused = 0
    for kind, rows in entities.items():
        if all_pass(kind, rows):
            taken[kind] = list(rows)
        else:
            taken[kind] = []
            for row in rows:
                if why := _checked(kind, row, kiosk_id):
                    _refuse(kind, row, why)
                    refused += 1
                else:
                    taken[kind].append(row)
        for where in [] if page.plain_text else plain_texts(kind, taken[kind]):
            log.warning("feed row taken with control characters replaced: %s", where)
    for row, why in odd_photos(taken["people"]):
        log.warning(
            "feed photo dropped, the person taken without it: people %r: %s", row["id"], why
        )
        row["photo"] = None
    own = [b["serial"] for b in taken["badges"] if own_serial(b["serial"], kiosk_id)]
    if own:
        made = _among(s, BadgeRow, "serial", own)
        for b in [b for b in taken["badges"] if b["serial"] in set(own) - made]:
            _refuse("badges", b, f"a serial of {kiosk_id} that {kiosk_id} never made")
            taken["badges"].remove(b)
            refused += 1
    for child, column, parent, table in _PARENTS:
        wanted = {r[column] for r in taken[child] if r[column] is not None}
        missing = wanted - {r["id"] for r in taken[parent]}
        if missing:
            missing -= _among(s, table, "id", missing)
        for r in [r for r in taken[child] if r[column] in missing]:
            _refuse(child, r, f"its {column} {r[column]!r} was refused or is unknown here")
            taken[child].remove(r)
            refused += 1
    return taken, refused


def journal_end(db: sqlite3.Connection) -> int:
    """The last id of this kiosk's journal (0 for none)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM journal").fetchone()[0]


def held_acknowledgement(claimed: int, end: int) -> int:
    """What the kiosk keeps of the hub's word that it holds the journal up to `claimed`:
    no more than the journal's `end`. A hub claiming rows this kiosk never wrote is wrong
    or the store was replaced; taken as said, the rows written later up to that id would
    never be delivered (logged here, shown by the round: sync/client.py)."""
    if claimed <= end:
        return claimed
    log.warning(
        "the hub says it holds this kiosk's journal up to %d, which ends at %d: kept %d",
        claimed,
        end,
        end,
    )
    return end


def _mark(s: Session, cursor: int) -> None:
    """Remember that from the current journal row on, the store held changes to `cursor`."""
    s.flush()  # journal rows the page's staff or hours noted
    db = sqlite_of(s)
    high = journal_end(db)
    db.execute(
        "INSERT INTO sync_marks (journal_id, cursor) VALUES (?, ?) ON CONFLICT (journal_id) "
        "DO UPDATE SET cursor = max(cursor, excluded.cursor)",
        (high, cursor),
    )


@dataclass
class _Held:
    """The sync state a page is applied against, read and written on the SQLite
    connection (the ORM's load and flush of it cost more than an empty page's work)."""

    kiosk_id: str
    hub_id: str
    hub_key: bytes
    cursor: int
    acked_journal_id: int

    @classmethod
    def read(cls, db: sqlite3.Connection) -> _Held:
        """The state row of an enrolled store."""
        return cls(
            *db.execute(f"SELECT {', '.join(_HELD)} FROM sync_state WHERE id = 1").fetchone()
        )

    def write(self, db: sqlite3.Connection) -> None:
        """Keep what the page changed (its cursor, acknowledgement, feed key)."""
        db.execute(
            "UPDATE sync_state SET cursor = ?, acked_journal_id = ?, hub_key = ? WHERE id = 1",
            (self.cursor, self.acked_journal_id, self.hub_key),
        )


_HELD = tuple(_Held.__dataclass_fields__)


def apply_page(
    store: Store,
    page: Page,
    online: bool,
    then: Callable[[Session], None] | None = None,
    last: bool | None = None,
) -> Applied:
    """Apply a verified page in one transaction. `online` pages come straight from the hub
    (their acknowledgement of this kiosk's journal is current); bundle pages may be old.
    `then(session)` runs last in that transaction (a round notes its outcome there).
    `last`: no page follows for now (by default, when the page says no more): a first
    sync's deferred indexes are built. A
    page that brings nothing is applied without waiting for the disk: lost in a power
    cut, it would leave the store as the page found it but for when the hub was last
    reached and how far it holds this kiosk's journal (its next delivery then repeats
    rows the hub counts as held)."""
    with store.writing(lasting=not _brings_nothing(page)) as s:
        db = sqlite_of(s)
        state = _Held.read(db)
        if page.kiosk != state.kiosk_id:
            raise ProtocolError(f"the page is for kiosk {page.kiosk}, this is {state.kiosk_id}")
        if page.signed_by != state.hub_key:  # read before a hand-over this kiosk took since
            raise ProtocolError(
                "the page is signed with a feed key this kiosk no longer holds: refused"
            )
        if page.cursor_from > state.cursor:
            raise ProtocolError(
                f"the page starts after change {page.cursor_from} but this kiosk holds changes "
                f"up to {state.cursor} only: some would be missed"
            )
        held = held_acknowledgement(page.received_up_to, journal_end(db))
        if online:
            state.acked_journal_id = held
        else:
            state.acked_journal_id = max(state.acked_journal_id, held)
        if page.cursor_to < state.cursor:
            state.write(db)
            return _then(s, then, Applied(state.cursor, 0, skipped=True))
        _follow_feed_key(state, page.entities.get("feed_keys", ()))
        if state.cursor == 0 and page.more:  # a first sync: some indexes built at its end
            drop_deferred(db)
        e, refused = _admit(s, page, state.kiosk_id)
        for why in page.refused:
            log.warning("feed row refused: %s", why)
        try:
            _write(s, e, state.acked_journal_id)
        except (sqlite3.IntegrityError, IntegrityError) as err:  # rows that contradict
            raise ProtocolError(f"its rows contradict each other or the store ({err})") from err
        apply_staff(s, e["staff"], page.at, state.kiosk_id)
        apply_hours(s, e["counter_hours"], e["closures"], page.at, state.kiosk_id)
        apply_moments(s, e["pool_moments"])
        if not page.more if last is None else last:
            restore_deferred(db)
        state.cursor = page.cursor_to
        state.write(db)
        _mark(s, state.cursor)
        applied = Applied(state.cursor, page.size - refused, refused=refused + len(page.refused))
        return _then(s, then, applied)


def _write(s: Session, e: dict[str, list[dict]], acked: int) -> None:
    """Write a page's admitted rows of the hub's own kinds."""
    blanked = any(r["purged_at"] for k in PURGEABLE for r in e[k])
    with secure_delete(s, blanked):
        _upsert(s, EventRow, e["events"])
        letters, stored = _not_purged(s, LetterRow, e["letters"])
        _upsert(s, LetterRow, letters, stored=stored)
        _apply_people(s, *_not_purged(s, PersonRow, e["people"]))
        accreditations, stored = _not_purged(s, AccreditationRow, e["accreditations"])
        _upsert(s, AccreditationRow, accreditations, stored=stored)
    _apply_reinstatements(s, e["reinstatements"])
    _apply_badges(s, e["badges"], acked)
    _upsert(s, BadgeEventRow, e["badge_events"])
    _apply_keys(s, e["keys"])
    _apply_csca(s, e["csca"])
    _upsert(s, SyncConflictRow, e["conflicts"])


def _brings_nothing(page: Page) -> bool:
    """Whether `page` holds no row, no refusal and no change of the cursor."""
    return page.size == 0 and not page.refused and page.cursor_to == page.cursor_from


def _follow_feed_key(state: _Held, handovers: Iterable[dict]) -> None:
    """Take the hub's next feed key from a hand-over signed by the key this kiosk holds
    (ones it applied before are skipped); a forged one refuses the whole page."""
    new = [
        h
        for h in handovers
        if not isinstance(h.get("starts_at"), int) or h["starts_at"] > state.cursor
    ]
    if not new:
        return
    try:
        state.hub_key = follow_handovers(state.hub_key, state.hub_id, new)
    except ProtocolError as err:
        log.warning("feed page refused: %s", err)
        raise


def _then(s: Session, then: Callable[[Session], None] | None, applied: Applied) -> Applied:
    if then is not None:
        then(s)
    return applied
