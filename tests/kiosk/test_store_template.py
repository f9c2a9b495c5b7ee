"""The tests start a new store from a copy of an empty one the migrations made once
(tests/store_template.py): the copy must be the store the migrations make."""

import sqlite3

from sqlalchemy import create_engine, event

from kiosk.store import database
from kiosk.store.database import Store
from tests import store_template


def contents(path) -> dict:
    """Schema, settings and every row of a SQLite file."""
    with sqlite3.connect(path) as db:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            "schema": sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")),
            "pragmas": [db.execute(f"PRAGMA {p}").fetchone() for p in
                        ("journal_mode", "user_version", "page_size", "auto_vacuum")],
            "rows": {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables},
        }  # fmt: skip


def test_a_new_store_copied_from_the_template_is_the_one_the_migrations_make(tmp_path):
    migrated = tmp_path / "migrated.sqlite3"
    engine = create_engine(f"sqlite:///{migrated}")
    event.listen(engine, "connect", database._on_connect)
    event.listen(engine, "begin", database._on_begin)
    store_template.migrations(engine)  # every migration, as a kiosk's first start runs them
    engine.dispose()
    copied = Store.in_dir(tmp_path / "kiosk")
    copied.close()
    assert database.migrate is store_template._migrate  # installed by tests/conftest.py
    made = contents(migrated)
    assert made == contents(tmp_path / "kiosk" / database.DB_NAME)
    assert made["pragmas"][0] == ("wal",) and len(made["schema"]) > 40
    assert made["rows"]["alembic_version"] == [repr((database.script_head(),))]
