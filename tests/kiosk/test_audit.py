"""The hash-chained journal: intact after real work, broken by any tampering."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session

from app.wiring import open_kiosk, read_mrz
from kiosk import audit, journal_keys
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from kiosk.store.database import Store, _on_begin, _on_connect, alembic_config
from kiosk.store.schema import Base, JournalHeadRow, JournalRow
from tests import cli_process

ANN, BOB = Actor("ann", Role.CLERK), Actor("bob", Role.SUPERVISOR)


def kiosk_cli(data_dir, *args):
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir))


@pytest.fixture
def worked(demo_dir, manifest, demo_now):
    """A store where a clerk issued, was refused and a supervisor reprinted."""
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
    scan = (a["code"], read_mrz(a["mrz"]))
    k.desk.record(k.desk.evaluate(*scan), ANN)
    k.desk.issue(*scan, ANN)
    k.desk.issue(*scan, ANN, BOB, "lost")
    k.close()
    return demo_dir


def chain(data_dir):
    store = Store.in_dir(data_dir)
    try:
        with store.reading() as s:
            return store.journal.verify(s)
    finally:
        store.close()


@pytest.mark.slow
def test_real_work_leaves_an_intact_chain(worked):
    count, broken = chain(worked)
    assert broken is None and count >= 4
    out = kiosk_cli(worked, "audit", "verify")
    assert out.returncode == 0 and f"{count} entries" in out.stdout


def tamper(data_dir, sql, *params):
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        db.execute(sql, params)


@pytest.mark.slow
def test_an_edited_entry_is_named(worked):
    tamper(worked, "update journal set actor = 'mallory' where id = 2")
    count, broken = chain(worked)
    assert (count, broken.entry_id) == (1, 2)
    assert "changed" in broken.reason
    out = kiosk_cli(worked, "audit", "verify")
    assert out.returncode == 1 and "BROKEN at entry 2" in out.stdout


def test_a_deleted_entry_breaks_the_next(worked):
    tamper(worked, "delete from journal where id = 2")
    assert chain(worked)[1].entry_id == 3


def test_reordered_entries_break_the_chain(worked):
    with sqlite3.connect(worked / "kiosk.sqlite3") as db:
        rows = db.execute("select * from journal where id in (2, 3) order by id").fetchall()
        cols = [c[1] for c in db.execute("pragma table_info(journal)")]
        db.execute("delete from journal where id in (2, 3)")
        for row, new_id in zip(rows, (3, 2), strict=True):
            values = dict(zip(cols, row, strict=True)) | {"id": new_id}
            db.execute(
                f"insert into journal ({','.join(values)}) values ({','.join('?' * len(values))})",
                list(values.values()),
            )
    assert chain(worked)[1].entry_id == 2


@pytest.mark.slow
def test_export_carries_every_entry_with_its_hashes(worked, tmp_path):
    out = kiosk_cli(worked, "audit", "export", "--out", str(tmp_path / "j.jsonl"))
    assert out.returncode == 0
    lines = [json.loads(x) for x in (tmp_path / "j.jsonl").read_text().splitlines()]
    assert len(lines) == chain(worked)[0]
    assert all(x["prev_hash"] == y["hash"] for x, y in zip(lines[1:], lines, strict=False))


def test_upgrade_in_place_chains_existing_entries(tmp_path):
    db = tmp_path / "kiosk.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    command.upgrade(alembic_config(engine), "0003")
    with sqlite3.connect(db) as conn:
        for i in range(3):
            conn.execute(
                "insert into journal (at, kiosk_id, actor, action, details) "
                "values (?, 'G1', 'ann', 'decision', '{}')",
                (datetime(2026, 2, 14, 9, i, tzinfo=UTC).replace(tzinfo=None).isoformat(" "),),
            )
    engine.dispose()
    count, broken = chain(tmp_path)  # opening the store upgrades it to the newest schema
    assert (count, broken) == (3, None)
    store = Store.in_dir(tmp_path)  # old entries keep their plain chain; new ones are sealed
    with store.writing() as s:
        s.add(JournalRow(at=datetime.now(UTC), kiosk_id="G1", actor="ann", action="sign_in"))
    with store.reading() as s:
        assert store.journal.verify(s) == (4, None)
        assert [r.mac != "" for r in audit.entries(s)] == [False, False, False, True]
    assert store.journal.keys.sealed_from == 4
    store.close()


def rechain_after_edit(data_dir, entry_id: int, actor: str) -> None:
    """What someone who can write the store but not read the key does: edit an entry and
    recompute every hash after it, and the head's, with a plain session of their own."""
    engine = create_engine(f"sqlite:///{data_dir / 'kiosk.sqlite3'}")
    with Session(engine) as s, s.begin():
        prev = audit.GENESIS
        for row in s.scalars(select(JournalRow).order_by(JournalRow.id)):
            if row.id == entry_id:
                row.actor = actor
            if row.id >= entry_id:
                row.prev_hash, row.hash = prev, audit.entry_hash(prev, row)
            prev = row.hash
        s.get(JournalHeadRow, 1).hash = prev
    engine.dispose()


def test_entries_are_sealed_with_a_key_kept_beside_the_store_owner_only(worked):
    key_file = journal_keys.key_path(worked)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    [epoch] = journal_keys.load(key_file).epochs
    assert (epoch.first_id, epoch.source) == (1, "local")
    raw = (worked / "kiosk.sqlite3").read_bytes()
    assert epoch.key not in raw and epoch.key.hex().encode() not in raw
    with sqlite3.connect(worked / "kiosk.sqlite3") as db:
        rows = db.execute("select id, hash, mac from journal order by id").fetchall()
        head = db.execute("select journal_id, hash from journal_head").fetchone()
    assert all(mac == audit.seal(epoch.key, i, h) for i, h, mac in rows)
    assert head == rows[-1][:2]


@pytest.mark.slow
def test_an_entry_edited_and_rechained_without_the_key_is_named(worked):
    rechain_after_edit(worked, 2, "mallory")
    count, broken = chain(worked)
    assert (count, broken.entry_id, broken.reason) == (1, 2, audit.BAD_SEAL)
    out = kiosk_cli(worked, "audit", "verify")
    assert out.returncode == 1 and "BROKEN at entry 2" in out.stdout
    assert "without the journal key" in out.stdout


@pytest.mark.slow
def test_removing_the_last_entries_is_caught(worked):
    last = chain(worked)[0]
    tamper(worked, "delete from journal where id > ?", last - 2)
    count, broken = chain(worked)
    assert (count, broken.entry_id) == (last - 2, last - 1)
    assert f"names entry {last}: the last entries were removed" in broken.reason
    out = kiosk_cli(worked, "audit", "verify")
    assert out.returncode == 1 and f"BROKEN at entry {last - 1}" in out.stdout


def test_removing_the_last_entries_and_the_head_is_caught(worked):
    last = chain(worked)[0]
    tamper(worked, "delete from journal where id > ?", last - 2)
    tamper(worked, "delete from journal_head")
    assert "head record is missing" in chain(worked)[1].reason


@pytest.mark.parametrize("head_removed", [False, True])
def test_entries_written_after_a_cut_keep_it_visible(worked, demo_now, head_removed):
    last = chain(worked)[0]
    tamper(worked, "delete from journal where id > ?", last - 2)
    if head_removed:
        tamper(worked, "delete from journal_head")
    k = open_kiosk(worked, Counter.GROUPS, clock=lambda: demo_now)
    k.staff.sign_out(ANN)  # the kiosk goes on working and journalling
    k.close()
    count, broken = chain(worked)
    # A kept head numbers the next entry after the ones removed; either way it does not
    # follow the last entry left, and stays a break.
    next_id = last - 1 if head_removed else last + 1
    assert (count, broken.entry_id, broken.reason) == (last - 2, next_id, audit.NOT_FOLLOWING)


def test_a_forged_head_is_named(worked):
    tamper(worked, "update journal_head set mac = ?", "0" * 64)
    assert chain(worked)[1].reason == "the journal's head is not sealed with its key"


def test_a_lost_key_file_is_not_passed_over(worked):
    journal_keys.key_path(worked).unlink()
    broken = chain(worked)[1]  # opening makes a new key: the old seals cannot be checked
    assert broken.reason == audit.LOST_KEY
    assert journal_keys.load(journal_keys.key_path(worked)).current.replaced_lost


def test_the_hook_leaves_sessions_of_other_engines_alone(worked, tmp_path):
    store = Store.in_dir(worked)  # the store's sealing is set up in this process
    other = create_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    Base.metadata.create_all(other)
    with Session(other) as s, s.begin():
        s.add(JournalRow(at=datetime.now(UTC), kiosk_id="X1", actor="x", action="test"))
    with Session(other) as s:
        row = s.scalars(select(JournalRow)).one()
        assert (row.prev_hash, row.hash, row.mac) == ("", "", "")
        assert s.get(JournalHeadRow, 1) is None
    with store.writing() as s:  # while the store's own sessions still seal
        s.add(JournalRow(at=datetime.now(UTC), kiosk_id="G1", actor="x", action="test"))
    with store.reading() as s:
        assert store.journal.verify(s)[1] is None
    store.close()
    other.dispose()


def test_a_key_file_removed_while_the_store_is_open_is_put_back(worked):
    store = Store.in_dir(worked)
    key_file = journal_keys.key_path(worked)
    before = journal_keys.load(key_file)
    key_file.unlink()
    with store.writing() as s:
        s.add(JournalRow(at=datetime.now(UTC), kiosk_id="G1", actor="ann", action="sign_out"))
    store.close()
    assert journal_keys.load(key_file) == before
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert chain(worked)[1] is None


@pytest.mark.slow
def test_a_damaged_key_file_is_named_in_a_sentence(worked):
    journal_keys.key_path(worked).write_text("not a key")
    out = kiosk_cli(worked, "audit", "verify")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "journal.key is damaged" in out.stderr


def _heads(data_dir):
    """The head as the ORM session reads it and as a round reads it on the connection."""
    store = Store.in_dir(data_dir)
    try:
        with store.reading() as s:
            by_session = store.journal.head(s)
        with store.snapshot() as db:
            return by_session, store.journal.head_on(db)
    finally:
        store.close()


@pytest.mark.parametrize(
    "change",
    [
        None,  # sealed, as work leaves it
        ("update journal_head set mac = ?", "0" * 64),  # forged: reported unsealed
        ("delete from journal_head",),  # gone: the last entry's id and hash
        ("delete from journal",),  # an empty journal, the record gone too
    ],
)
def test_the_head_read_on_the_connection_is_the_sessions(worked, change):
    if change and change[0] == "delete from journal":
        tamper(worked, "delete from journal_head")
    if change:
        tamper(worked, *change)
    by_session, on_connection = _heads(worked)
    assert on_connection == by_session
    if change is None:
        assert by_session.mac and by_session.id == chain(worked)[0]
    elif change[0] == "delete from journal":
        assert (by_session.id, by_session.hash, by_session.mac) == (0, audit.GENESIS, "")
    else:
        assert by_session.mac in ("", "0" * 64) and by_session.id > 0
