"""For test runs only: a new hub database starts as a copy of one made once in this
process, instead of creating the schema again (about 35 ms a database) and importing the
demo export again (about 40 ms), some 300 times in tests/hub alone.

- `new_sqlite` / `new_postgres`: an empty hub database, copied from one `HubDatabase`
  made (SQLite: the sqlite3 backup API; PostgreSQL: `CREATE DATABASE ... TEMPLATE`), given
  a hub id of its own as a new database gets.
- `fill_from_template`: a database still as `HubDatabase` made it becomes a copy of one
  this process filled with the same export (imported by `hub.importer` as `fill` did),
  keeping its own hub id. A database that holds anything else is left to the importer.
- `drop_postgres`: a test's PostgreSQL database dropped after it (PostgreSQL counts its
  server's CPU too: per filled database, about 225 ms with the drop, 290 ms without).

What the copy shares with the others of its process: the document key the import made
and the import's time (the first import's), both random or clock-given already.
"""

from __future__ import annotations

import atexit
import hashlib
import pickle
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from hub.database import HubDatabase, utc_now
from hub.importer import import_data
from hub.schema import HubBase, MetaRow, SeqRow

_folder: Path | None = None
_empty_sqlite: Path | None = None
_empty_postgres: dict[str, str] = {}  # server's admin URL -> template database's name
_filled: dict[tuple[str, str], str] = {}  # (backend or server, export's digest) -> template


def _templates_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="hub-templates-"))
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def _new_hub_id() -> str:
    """A hub id as `HubDatabase` gives a new database (hub/database.py)."""
    return f"hub-{secrets.token_hex(4)}"


def _sqlite_copy(source: Path, target: Path) -> None:
    """`target` made a page-for-page copy of the SQLite database `source`."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def new_sqlite(path: Path) -> HubDatabase:
    """An empty hub database in the SQLite file `path` (which must not exist)."""
    global _empty_sqlite
    if _empty_sqlite is None:
        template = _templates_folder() / "empty.sqlite3"
        HubDatabase(f"sqlite:///{template}").close()
        _empty_sqlite = template
    _sqlite_copy(_empty_sqlite, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE hub_meta SET value = ? WHERE key = 'hub_id'", (_new_hub_id(),))
    conn.close()
    return HubDatabase(f"sqlite:///{path}")


def _admin(url: str) -> Callable[[str], None]:
    """Run a statement on the server of the PostgreSQL database `url`, outside any
    transaction (CREATE and DROP DATABASE need that)."""
    admin = make_url(url).set(drivername="postgresql", database="postgres")

    def run(statement: str) -> None:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
            c.execute(statement)

    return run


def new_postgres(server, number: int) -> HubDatabase:
    """An empty hub database named hub`number` on the PostgreSQL `server`
    (site_fixtures.PostgresServer)."""
    admin_url = server.url("postgres")
    if admin_url not in _empty_postgres:
        HubDatabase(server.create_database("hub_template_empty")).close()
        _empty_postgres[admin_url] = "hub_template_empty"
    name = f"hub{number}"
    _admin(admin_url)(f'CREATE DATABASE "{name}" TEMPLATE "{_empty_postgres[admin_url]}"')
    url = server.url(name)
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as c:
        c.execute("UPDATE hub_meta SET value = %s WHERE key = 'hub_id'", (_new_hub_id(),))
    return HubDatabase(url)


def drop_postgres(db: HubDatabase) -> None:
    """Close `db` and drop its PostgreSQL database (connections still open to it are
    ended), so the cluster does not grow by a database per test: with some 150 left, the
    server's stop at the end of a run took 25 s."""
    db.close()
    _admin(db.url)(f'DROP DATABASE "{db.engine.url.database}" WITH (FORCE)')


def _as_new(db: HubDatabase) -> bool:
    """Whether `db` holds only what `HubDatabase` writes into a new database (its change
    counter at 0, two settings, no other row), read in one statement."""
    counted = [
        select(func.count()).select_from(table).scalar_subquery()
        for table in HubBase.metadata.sorted_tables
        if table.name not in (MetaRow.__tablename__, SeqRow.__tablename__)
    ]
    meta = select(func.count()).select_from(MetaRow).scalar_subquery()
    seq = select(SeqRow.value).where(SeqRow.id == 1).scalar_subquery()
    with db.reading() as s:
        row = s.execute(select(seq, meta, *counted)).one()
    return row[0] == 0 and row[1] == 2 and not any(row[2:])


def _digest(export: dict) -> str:
    return hashlib.sha256(pickle.dumps(export)).hexdigest()


def fill_from_template(db: HubDatabase, export: dict) -> bool:
    """Make `db` a copy of a hub database filled with `export` if `db` is as new; False
    (nothing done) if it is not."""
    if db.engine.url.database in (None, "", ":memory:") or not _as_new(db):
        return False
    backend = "sqlite" if db.is_sqlite else _admin_url(db)
    key = (backend, _digest(export))
    if key not in _filled:
        _filled[key] = _make_filled(db, export, len(_filled))
    db.engine.dispose()  # no connection of its own to the old file or database
    if db.is_sqlite:
        _sqlite_copy(Path(_filled[key]), Path(db.engine.url.database))
    else:
        run, name = _admin(db.url), db.engine.url.database
        run(f'DROP DATABASE "{name}"')
        run(f'CREATE DATABASE "{name}" TEMPLATE "{_filled[key]}"')
    with db.writing() as s:  # the template's hub id replaced by the database's own
        s.execute(update(MetaRow).where(MetaRow.key == "hub_id").values(value=db.hub_id))
    return True


def _admin_url(db: HubDatabase) -> str:
    return make_url(db.url).set(database="postgres").render_as_string(hide_password=False)


def _make_filled(db: HubDatabase, export: dict, number: int) -> str:
    """A new database beside `db` (same backend and server) filled with `export`: its
    SQLite path or PostgreSQL name."""
    if db.is_sqlite:
        path = _templates_folder() / f"filled{number}.sqlite3"
        template, where = new_sqlite(path), str(path)
    else:
        where = f"hub_template_filled{number}"
        _admin(db.url)(f'CREATE DATABASE "{where}"')
        template = HubDatabase(make_url(db.url).set(database=where).render_as_string(False))
    try:
        import_data(template, export, "demo.json", utc_now())
    finally:
        template.close()
    return where
