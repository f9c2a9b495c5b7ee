"""The store's warm-up reads every page a scan needs, and changes nothing."""

from __future__ import annotations

import sqlite3

from kiosk.store.database import Store
from kiosk.store.warmup import PARTS, start_warm_up, warm_up


def store_file(data_dir):
    store = Store.in_dir(data_dir)  # migrated: ix_photos_head is there
    store.close()
    return store.path


def test_every_part_is_read_in_full_and_nothing_changes(demo_dir):
    path = store_file(demo_dir)
    before = path.read_bytes()
    db = sqlite3.connect(path)
    counts = {
        "accreditations": db.execute("SELECT count(*) FROM accreditations").fetchone()[0],
        "people": db.execute("SELECT count(*) FROM people").fetchone()[0],
        "photo heads": db.execute("SELECT count(*) FROM photos").fetchone()[0],
        "badges": db.execute("SELECT count(*) FROM badges").fetchone()[0],
    }
    db.close()
    read = warm_up(path)
    assert list(read) == [name for name, _ in PARTS]
    assert read["accreditations by person"] == counts["accreditations"] > 0
    assert {k: read[k] for k in counts} == counts
    assert path.read_bytes() == before


def test_the_warm_up_runs_on_a_thread_of_its_own(demo_dir):
    thread = start_warm_up(store_file(demo_dir))
    thread.join(timeout=60)
    assert not thread.is_alive() and thread.daemon
