"""Opening the hub's database: SQLite by default, PostgreSQL in production.

The schema comes from `HubBase.metadata.create_all` and a version row, not Alembic: the
hub's tables are new and have no deployed copy to upgrade yet, create_all builds them
alike on both databases, and the version row makes a later hub refuse a database it
does not know instead of running on it. Versions 2 to 12 are upgraded in place (nullable
columns and an index added; new tables come from create_all); a larger schema change
brings Alembic in.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from hub.schema import (
    SCHEMA_VERSION,
    AccreditationRow,
    ClientRow,
    ConflictRow,
    CounterClosureRow,
    EventRow,
    HubBase,
    JournalRow,
    MetaRow,
    PoolMomentRow,
    PublicKeyRow,
    SeqRow,
    StatusChangeRow,
)
from kiosk.private import private_file

DEFAULT_URL = "sqlite:///hub.sqlite3"


class HubDatabaseError(RuntimeError):
    """The database cannot serve as this hub's (wrong version, unreachable...)."""


def _sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # BEGIN is emitted by _sqlite_begin
    cur = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _sqlite_begin(conn) -> None:
    if conn.get_execution_options().get("immediate", False):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    # A read's BEGIN takes no lock and waits for nothing: straight to the driver, past
    # SQLAlchemy's statement machinery (half the cost of each feed request's snapshot),
    # its rare failure raised as SQLAlchemy raises it.
    try:
        conn.connection.driver_connection.execute("BEGIN")
    except sqlite3.Error as err:
        raise DBAPIError.instance("BEGIN", (), err, sqlite3.Error) from err


def engine_for(url: str) -> Engine:
    """An engine for `url`; a bare ``postgresql://`` URL uses psycopg 3."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _add_columns(s: Session, table, names: tuple[str, ...]) -> None:
    dialect = s.get_bind().dialect
    for name in names:
        kind = table.__table__.c[name].type.compile(dialect=dialect)
        s.execute(text(f"ALTER TABLE {table.__tablename__} ADD COLUMN {name} {kind}"))


def _upgrade_from_2(s: Session) -> None:
    """Version 3 adds the public keys' creation and retirement times (both may be NULL)."""
    _add_columns(s, PublicKeyRow, ("created_at", "retired_at"))


def _upgrade_from_3(s: Session) -> None:
    """Version 4 adds revocation to clients and approval to keys: every key held already
    was trusted site-wide, so it counts as approved when it was created."""
    _add_columns(s, ClientRow, ("revoked_at", "revoked_reason", "keys_preapproved"))
    _add_columns(s, PublicKeyRow, ("approved_at",))
    for key in s.scalars(select(PublicKeyRow)):
        key.approved_at = key.created_at or datetime.now(UTC)


def _upgrade_from_4(s: Session) -> None:
    """Version 5 keeps each journal row's seal (NULL for rows received before); its new
    tables (journal keys and heads) come from create_all. A database that has the column
    already (made by a newer hub and marked older) is left as it is."""
    if "mac" not in {c["name"] for c in inspect(s.connection()).get_columns("journal")}:
        _add_columns(s, JournalRow, ("mac",))


def _upgrade_from_5(s: Session) -> None:
    """Version 6 settles conflicts (nullable columns) and indexes badges and refusals by
    time;
    the web console's tables come from create_all. Columns there already (made by a newer
    hub and marked older) are left as they are."""
    held = {c["name"] for c in inspect(s.connection()).get_columns("conflicts")}
    new = ("settled_at", "settled_by", "settlement", "settle_note")
    _add_columns(s, ConflictRow, tuple(c for c in new if c not in held))
    for name, table, columns in (
        ("ix_hub_journal_verdict_at", "journal", "verdict, at"),
        ("ix_hub_badges_issued_at", "badges", "issued_at, status, kiosk_id, counter"),
    ):
        s.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"))


# Version 12's columns: the office's French texts (all may be NULL: none given).
FRENCH_COLUMNS = (
    (EventRow, ("name_fr", "place_fr")),
    (AccreditationRow, ("status_reason_fr",)),
    (StatusChangeRow, ("reason_fr",)),
    (CounterClosureRow, ("reason_fr",)),
    (PoolMomentRow, ("name_fr", "handout_place_fr")),
)


def _upgrade_from_11(s: Session) -> None:
    """Version 12 adds the office's French texts beside its English ones. Columns there
    already (made by a newer hub and marked older) are left as they are."""
    for table, names in FRENCH_COLUMNS:
        held = {c["name"] for c in inspect(s.connection()).get_columns(table.__tablename__)}
        _add_columns(s, table, tuple(n for n in names if n not in held))


def _upgrade_from_13(s: Session) -> None:
    """Version 14 indexes journal rows by action and time: the site's day reads the
    security posts' checks of one day among every row ever delivered."""
    s.execute(text("CREATE INDEX IF NOT EXISTS ix_hub_journal_action_at ON journal (action, at)"))


# (version, step): a database older than that version takes the step, in this order.
_UPGRADES = (
    (3, _upgrade_from_2),
    (4, _upgrade_from_3),
    (5, _upgrade_from_4),
    (6, _upgrade_from_5),
    (12, _upgrade_from_11),
    (14, _upgrade_from_13),
)
_UPGRADABLE = tuple(str(v) for v in range(2, int(SCHEMA_VERSION)))


class HubDatabase:
    """The hub's tables, a session per unit of work."""

    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        self.engine = engine_for(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            # It holds the hub's private signing keys: owner-only before SQLite opens it
            # (SQLite gives its -wal and -shm files the same mode).
            private_file(Path(self.engine.url.database))
        self._create()
        self._write = sessionmaker(
            self.engine.execution_options(immediate=True), expire_on_commit=False
        )
        # Pages are cut from one snapshot: every statement of a read sees the same data.
        snapshot = {} if self.is_sqlite else {"isolation_level": "REPEATABLE READ"}
        self._snapshot = self.engine.execution_options(**snapshot)
        self._read = sessionmaker(self._snapshot, expire_on_commit=False)
        with self.reading() as s:
            self.hub_id = s.get(MetaRow, "hub_id").value

    def _create(self) -> None:
        HubBase.metadata.create_all(self.engine)
        with Session(self.engine.execution_options(immediate=True)) as s, s.begin():
            version = s.get(MetaRow, "schema_version")
            if version is None:
                s.add(MetaRow(key="schema_version", value=SCHEMA_VERSION))
                s.add(MetaRow(key="hub_id", value=f"hub-{secrets.token_hex(4)}"))
                s.add(SeqRow(id=1, value=0))
            elif version.value in _UPGRADABLE:
                held = int(version.value)
                for below, upgrade in _UPGRADES:  # each step a version before `below` needs
                    if held < below:
                        upgrade(s)
                version.value = SCHEMA_VERSION  # the rest: new tables only (create_all)
            elif version.value != SCHEMA_VERSION:
                raise HubDatabaseError(
                    f"the hub database has schema version {version.value}; this hub "
                    f"understands version {SCHEMA_VERSION} only, and upgrades versions 2 to "
                    f"{_UPGRADABLE[-1]} "
                    "(version 1 kept ID document numbers in clear and journal rows without "
                    "their chain: make a new database, import the platform's export again and "
                    "enrol the kiosks again)"
                )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work on one consistent snapshot."""
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """`reading` on a bare connection, without a Session: the feed's path per request
        (token, feed key and page read by Core statements in one snapshot)."""
        with self._snapshot.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction that commits when the block ends, or rolls back on error."""
        with self._write() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()


def allocate(session: Session, count: int = 1) -> int:
    """Take `count` change numbers; returns the first. The counter row stays locked until
    the transaction ends, so change numbers become visible in the order they were taken."""
    last = session.execute(
        update(SeqRow)
        .where(SeqRow.id == 1)
        .values(value=SeqRow.value + count)
        .returning(SeqRow.value)
    ).scalar_one()
    return last - count + 1


def lock_changes(session: Session) -> None:
    """Take the change counter's lock now, before reading what this transaction will
    decide on: writers then run one after another and each sees the others' work."""
    allocate(session, 0)


def head(session: Session) -> int:
    """The newest change number visible to this session."""
    return session.scalar(select(SeqRow.value).where(SeqRow.id == 1)) or 0


def utc_now() -> datetime:
    """The wall clock, aware (UTC)."""
    return datetime.now(UTC)
