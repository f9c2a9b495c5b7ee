"""The hash-chained journal: intact after real work, broken by any tampering."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, event

from app.wiring import open_kiosk, read_mrz
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from kiosk.store.database import Store, _on_begin, _on_connect, alembic_config

ANN, BOB = Actor("ann", Role.CLERK), Actor("bob", Role.SUPERVISOR)


def kiosk_cli(data_dir, *args):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )


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


def test_real_work_leaves_an_intact_chain(worked):
    count, broken = chain(worked)
    assert broken is None and count >= 4
    out = kiosk_cli(worked, "audit", "verify")
    assert out.returncode == 0 and f"{count} entries" in out.stdout


def tamper(data_dir, sql, *params):
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        db.execute(sql, params)


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
