"""Opening the kiosk's SQLite file: safe settings, schema upgraded in place by Alembic.

Settings: WAL so the counter screen reads while sync writes; ``synchronous=FULL`` so a
transaction the clerk saw committed survives a power cut (NORMAL may lose the last
ones in WAL mode; a write that loses nothing if lost may ask for it, see
`Store.writing`); foreign keys on; writers take the lock at BEGIN (``BEGIN
IMMEDIATE``) so two processes never deadlock upgrading a read into a write.

The file holds personal data and PIN hashes: its folder is made owner-only (0700) and
the file created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the
database file's mode.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.audit import SealedJournal
from kiosk.journal_keys import key_path
from kiosk.private import private_dir, private_file
from kiosk.store.bulk_load import restore_deferred

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
DB_NAME = "kiosk.sqlite3"
log = logging.getLogger(__name__)
# `revision = "0011"` and `down_revision = "0010"` (or None) in a migration file.
_REVISION = re.compile(r'^(down_)?revision(?:\s*:[^=\n]+)?\s*=\s*(?:"([^"]+)"|None)\s*$', re.M)
# Seconds a connection waits for another writer (a second kiosk window, a command, a
# backup) before it gives up with "database is locked" (kiosk/store/trouble.py says so).
BUSY_TIMEOUT = 5.0


def _on_connect(dbapi_conn, _record, busy_timeout: float = BUSY_TIMEOUT) -> None:
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
    cur = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={round(busy_timeout * 1000)}",
    ):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


_RELAXED = "synchronous_relaxed"  # in a pooled connection's info: FULL is due at checkin


def _on_begin(conn) -> None:
    options = conn.get_execution_options()
    if not options.get("lasting", True):  # Store.writing(lasting=False)
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")  # not allowed inside a transaction
        conn.connection.info[_RELAXED] = True
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("immediate", False) else "BEGIN")


def _on_checkin(dbapi_conn, record) -> None:
    """A connection goes back to the pool with synchronous=FULL, whatever its last
    transaction was (raw users of the pool, such as VACUUM, get it so too)."""
    if record.info.pop(_RELAXED, False) and dbapi_conn is not None:
        dbapi_conn.execute("PRAGMA synchronous=FULL")


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic settings pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def script_head() -> str | None:
    """The newest migration's revision as the files name it (the head Alembic finds),
    read without importing Alembic; None unless the files make exactly one head."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, revision in _REVISION.findall(path.read_text(encoding="utf-8")):
            if down and revision:
                parents.add(revision)
            elif not down:
                revisions.add(revision)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped(engine: Engine) -> str | None:
    """The revision the database is at, or None (a new file)."""
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except OperationalError:  # no such table: a new file
        return None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is there already. A store
    at the head is told so without Alembic (importing it costs a third of a second of
    start-up); any other goes through Alembic's own check and upgrade."""
    head = script_head()
    if head is not None and _stamped(engine) == head:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = alembic_config(engine)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head:
        command.upgrade(cfg, "head")


class Store:
    """The local store: one SQLite file, a session per unit of work, and its sealed
    journal (kiosk/audit.py; the key beside the file, in secrets/). A connection waits
    `busy_timeout` seconds for another program's write lock before it fails."""

    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        private_dir(path.parent)
        private_file(path)
        self.engine = create_engine(f"sqlite:///{path}")
        event.listen(
            self.engine, "connect", lambda conn, record: _on_connect(conn, record, busy_timeout)
        )
        event.listen(self.engine, "begin", _on_begin)
        event.listen(self.engine, "checkin", _on_checkin)
        migrate(self.engine)
        self._restore_deferred()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(immediate=True), expire_on_commit=False
        )
        self._write_relaxed = sessionmaker(
            self.engine.execution_options(immediate=True, lasting=False), expire_on_commit=False
        )
        # The journal is sealed by this store's sessions only (no process-wide hook).
        self.journal = SealedJournal.open(key_path(path.parent), self._write)
        self.journal.listen(self._read, self._write, self._write_relaxed)

    def _restore_deferred(self) -> None:
        """The indexes a first sync stopped half-way left out, built again
        (kiosk/store/bulk_load.py); one lookup when they are there. They only make
        searches faster: a store that cannot build them now (locked, read-only) opens
        without them."""
        pooled = self.engine.raw_connection()
        try:
            restore_deferred(pooled.driver_connection)
        except sqlite3.OperationalError as err:
            log.warning("the store opens without an index a first sync left out: %s", err)
        finally:
            pooled.close()

    @classmethod
    def in_dir(cls, data_dir: Path, busy_timeout: float = BUSY_TIMEOUT) -> Store:
        """The store of a kiosk data directory."""
        return cls(data_dir / DB_NAME, busy_timeout)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work (a consistent snapshot)."""
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self, lasting: bool = True) -> Iterator[Session]:
        """One transaction that commits when the block ends, or rolls back on error.
        `lasting` False commits without waiting for the disk (synchronous=NORMAL): the
        store stays whole after a power cut, but that transaction may be lost. Only for
        writes whose loss loses nothing: a sync round's outcome when it applied nothing
        (sync/apply.py); on a busy machine that wait was most of such a round."""
        factory = self._write if lasting else self._write_relaxed
        with factory() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read-only transaction on a SQLite connection itself, without an ORM session:
        for the scan's hot path only (kiosk/store/case_reader.py)."""
        pooled = self.engine.raw_connection()
        try:
            db = pooled.driver_connection
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("ROLLBACK")
        finally:
            pooled.close()

    def close(self) -> None:
        """Release the file."""
        self.engine.dispose()
