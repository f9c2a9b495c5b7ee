"""SQLite's own troubles with the store, as real SQLite raises them, in a clerk's words."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from kiosk.store.trouble import store_trouble


def raised(do) -> BaseException:
    with pytest.raises((sqlite3.Error, OperationalError)) as caught:
        do()
    return caught.value


def test_a_full_disk_through_sqlalchemy(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'full.sqlite3'}")

    def fill() -> None:
        with engine.begin() as c:
            c.execute(text("PRAGMA max_page_count = 2"))  # SQLite's own "disk is full"
            c.execute(text("CREATE TABLE t (x BLOB)"))
            c.execute(text("INSERT INTO t VALUES (zeroblob(100000))"))

    en, fr = store_trouble(raised(fill))
    assert en.startswith("The kiosk's store cannot be written: its disk is full")
    assert fr.startswith("La base du kiosque ne peut pas être écrite")
    engine.dispose()


def test_a_read_only_store(tmp_path):
    path = tmp_path / "ro.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    en, _ = store_trouble(raised(lambda: db.execute("INSERT INTO t VALUES (1)")))
    assert "read-only" in en
    db.close()


def test_a_locked_store(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    en, fr = store_trouble(raised(lambda: other.execute("CREATE TABLE t (x)")))
    assert "busy in another program" in en and "occupée par un autre programme" in fr
    holder.close(), other.close()


def test_a_damaged_store(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"not a database at all, " * 100)
    db = sqlite3.connect(path)
    en, _ = store_trouble(raised(lambda: db.execute("SELECT * FROM sqlite_master")))
    assert "damaged" in en
    db.close()


def test_any_other_error_is_not_the_stores():
    assert store_trouble(ValueError("database is locked")) is None
    assert store_trouble(sqlite3.OperationalError("no such table: badges")) is None
