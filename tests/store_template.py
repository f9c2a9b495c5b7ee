"""For test runs only: a new kiosk store starts as a copy of an empty one that the
migrations built once in this process, instead of running every migration again (about
0.15 s a store, some 350 stores a run; docs/testing.md). An empty file is all the
migrations are given, so the copy is what they would make of it, checked by
tests/kiosk/test_store_template.py. tests/conftest.py installs it; the migrations of a
store that holds data still run (tests/kiosk/test_store.py)."""

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from kiosk.store import database

migrations = database.migrate
_template: Path | None = None


def install() -> None:
    """Have every store this process opens start from the template when it is new."""
    database.migrate = _migrate


def _migrate(engine: Engine) -> None:
    if database._stamped(engine) is None:
        with sqlite3.connect(template()) as source, engine.connect() as conn:
            source.backup(conn.connection.driver_connection)
    migrations(engine)  # a check that finds the head, or any migration the copy lacks


def template() -> Path:
    """The empty store the migrations made in this process (made at the first call)."""
    global _template
    if _template is None:
        folder = tempfile.mkdtemp(prefix="kiosk-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder, database.DB_NAME)
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", database._on_connect)
        event.listen(engine, "begin", database._on_begin)
        try:
            migrations(engine)
        finally:
            engine.dispose()
        _template = path
    return _template
