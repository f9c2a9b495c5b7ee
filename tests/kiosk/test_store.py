"""The store file: safe SQLite settings, schema by Alembic, upgrade is idempotent."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.store.database import Store, alembic_config


def test_store_opens_with_wal_full_sync_and_foreign_keys(tmp_path):
    store = Store.in_dir(tmp_path)
    with store.reading() as s:
        assert s.execute(text("pragma journal_mode")).scalar() == "wal"
        assert s.execute(text("pragma synchronous")).scalar() == 2  # FULL
        assert s.execute(text("pragma foreign_keys")).scalar() == 1
    store.close()


def test_schema_comes_from_the_migration_and_reopening_changes_nothing(tmp_path):
    Store.in_dir(tmp_path).close()
    db = tmp_path / "kiosk.sqlite3"
    with sqlite3.connect(db) as conn:
        version = conn.execute("select version_num from alembic_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert {"events", "people", "photos", "accreditations", "badges", "journal"} <= tables
    before = db.read_bytes()
    Store.in_dir(tmp_path).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from alembic_version").fetchone()[0] == 1
    assert len(db.read_bytes()) == len(before)


def test_a_failed_unit_of_work_leaves_nothing(tmp_path):
    from kiosk.store.schema import SerialRow

    store = Store.in_dir(tmp_path)
    try:
        with store.writing() as s:
            s.add(SerialRow(kiosk_id="G1", last=5))
            s.flush()
            raise RuntimeError("printer caught fire")
    except RuntimeError:
        pass
    with store.reading() as s:
        assert s.get(SerialRow, "G1") is None
    store.close()


def test_one_person_one_email_a_second_profile_with_it_is_refused(tmp_path):
    # "Use a unique email address per registration" (2023 advisory, Annex 2).
    from datetime import date

    import pytest
    from sqlalchemy.exc import IntegrityError

    from kiosk.store.schema import PersonRow

    store = Store.in_dir(tmp_path)
    person = {
        "surname": "Rossi",
        "given_names": "Giulia",
        "date_of_birth": date(1988, 2, 21),
        "nationality": "ITA",
        "email": "g.rossi@example.org",
        "media_kind": "tv",
    }
    with store.writing() as s:
        s.add(PersonRow(id=1, **person))
    with pytest.raises(IntegrityError), store.writing() as s:
        s.add(PersonRow(id=2, **{**person, "given_names": "Anna"}))
    with store.reading() as s:
        assert s.get(PersonRow, 2) is None
    store.close()


def test_migration_0011_gives_keys_an_owner_and_pulls_the_feed_again(tmp_path):
    """Confirmation keys are the office's; a badge key's owner is unknown until the hub
    says (the whole feed is pulled again) or, for the kiosk's own key, until it starts."""
    from sqlalchemy import create_engine, event, select

    from kiosk.codes import Signer
    from kiosk.services import trust_badge_key
    from kiosk.store.database import DB_NAME, _on_begin, _on_connect
    from kiosk.store.schema import KeyRow, SyncStateRow

    engine = create_engine(f"sqlite:///{tmp_path / DB_NAME}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    command.upgrade(alembic_config(engine), "0007")
    own = Signer.generate(65)
    with engine.begin() as conn:
        insert = "insert into keys (key_id, public_key, purpose) values (?, ?, ?)"
        conn.exec_driver_sql(insert, (1, b"c" * 32, "confirmation"))
        conn.exec_driver_sql(insert, (65, own.public_bytes(), "badge"))
        conn.exec_driver_sql(insert, (66, b"v" * 32, "badge"))
        conn.exec_driver_sql(
            "insert into sync_state (id, hub_url, hub_id, hub_key, kiosk_id, role, token,"
            " cursor, acked_journal_id, last_error) values (1, 'u', 'h', ?, 'G1', 'counter',"
            " 't', 50, 0, '')",
            (bytes(32),),
        )
    engine.dispose()

    store = Store.in_dir(tmp_path)
    try:
        trust_badge_key(store, own, "G1")  # what the kiosk does when it starts
        with store.reading() as s:
            owners = {k.key_id: k.owner for k in s.scalars(select(KeyRow))}
            assert s.get(SyncStateRow, 1).cursor == 0
    finally:
        store.close()
    assert owners == {1: "office", 65: "G1", 66: None}


def test_the_migration_files_name_the_head_alembic_finds():
    """Opening a store at the head skips Alembic on the strength of `script_head`."""
    from kiosk.store.database import script_head

    assert script_head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_store_behind_the_head_is_still_upgraded(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from kiosk.store.database import script_head

    engine = create_engine(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    command.upgrade(alembic_config(engine), "0007")
    engine.dispose()
    Store.in_dir(tmp_path).close()
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        assert conn.execute("select version_num from alembic_version").fetchone()[0] == (
            script_head()
        )


def test_migration_0013_lets_conflicts_be_settled_and_pulls_them_again(tmp_path):
    """A store holding conflicts pulls the whole feed again: the settlements the hub made
    before this kiosk understood them arrive too."""
    from sqlalchemy import create_engine, event

    from kiosk.store.database import DB_NAME, _on_begin, _on_connect
    from kiosk.store.schema import SyncConflictRow, SyncStateRow

    engine = create_engine(f"sqlite:///{tmp_path / DB_NAME}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    command.upgrade(alembic_config(engine), "0012")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "insert into sync_state (id, hub_url, hub_id, hub_key, kiosk_id, role,"
            " cursor, acked_journal_id, last_error) values (1, 'u', 'h', ?, 'G1', 'counter',"
            " 50, 0, '')",
            (bytes(32),),
        )
        conn.exec_driver_sql(
            "insert into sync_conflicts (id, kind, accreditation_id, badge_serial, kiosk_id,"
            " detected_at, message_en, message_fr) values (3, 'duplicate_issue', 7, NULL,"
            " 'G1', '2026-02-14 09:00:00.000000', 'en', 'fr')"
        )
    engine.dispose()

    store = Store.in_dir(tmp_path)
    try:
        with store.reading() as s:
            assert s.get(SyncStateRow, 1).cursor == 0
            conflict = s.get(SyncConflictRow, 3)
            assert (conflict.settled_at, conflict.settlement, conflict.settle_note) == (
                None,
                None,
                None,
            )
    finally:
        store.close()


def test_a_write_that_need_not_last_skips_the_fsync_and_leaves_full_behind(tmp_path):
    """`writing(lasting=False)` commits with synchronous=NORMAL (1); the connection goes
    back to the pool at FULL (2), for the next transaction and for raw users alike."""
    store = Store(tmp_path / "kiosk.sqlite3")
    try:
        with store.writing(lasting=False) as s:
            level = s.execute(text("PRAGMA synchronous")).scalar()
            s.execute(text("CREATE TABLE noted (at TEXT)"))
            s.execute(text("INSERT INTO noted VALUES ('now')"))
        assert level == 1
        with store.writing() as s:
            assert s.execute(text("PRAGMA synchronous")).scalar() == 2
            assert s.execute(text("SELECT at FROM noted")).scalar() == "now"
        with store.reading() as s:
            assert s.execute(text("PRAGMA synchronous")).scalar() == 2
        raw = store.engine.raw_connection()
        try:
            assert raw.cursor().execute("PRAGMA synchronous").fetchone() == (2,)
        finally:
            raw.close()
        with pytest.raises(IntegrityError), store.writing(lasting=False) as s:
            s.execute(text("INSERT INTO noted VALUES ('rolled back')"))
            s.execute(text("INSERT INTO people (id) VALUES (1)"))  # NOT NULL columns
        with store.writing() as s:
            assert s.execute(text("PRAGMA synchronous")).scalar() == 2
            assert s.execute(text("SELECT count(*) FROM noted")).scalar() == 1
    finally:
        store.close()


@pytest.mark.slow  # waits out the store's busy timeout (5 s)
def test_a_store_locked_by_a_writer_opens_without_an_index_a_first_sync_left_out(tmp_path, caplog):
    """The digest index only makes searches faster (kiosk/store/bulk_load.py): a store
    that cannot build it at opening opens all the same, and says why."""
    path = tmp_path / "k" / "kiosk.sqlite3"
    Store(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("DROP INDEX ix_accreditations_doc_number_digest")
    writer.execute("BEGIN IMMEDIATE")  # a first sync's page being written
    try:
        store = Store(path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with store.reading() as s:
        assert s.execute(text("SELECT count(*) FROM accreditations")).scalar() == 0
    assert "opens without an index a first sync left out: database is locked" in caplog.text
    store.close()
    Store(path).close()  # no writer now: opening builds it
    names = {name for (name,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "ix_accreditations_doc_number_digest" in names
