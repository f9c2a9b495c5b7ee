"""Warm-up at a kiosk's start: the pages a scan reads, into the operating system's cache.

A store of a million accreditations is a file of about 6 GB, mostly photos. Just after
the kiosk starts, none of it is in memory and each of the first scans waits for a few
random disk reads. The pages a scan needs are a small part of the file (the
accreditations and people tables, the index of accreditations by person, the photos'
first bytes in ix_photos_head, the badges: about 300 MB at a million); read in full, in
order, on a thread of its own, they are in memory a few seconds after the start, and the
scans that come in the meantime still work (they read what they need themselves).
bench/cold_store.py measures it (docs/benchmarks-scan-path.md).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

# (what, a query that reads every page of it): count(column) of a column no index holds
# reads the table's pages; INDEXED BY ... >= 0 walks the whole index.
PARTS = (
    ("accreditations", "SELECT count(doc_kind) FROM accreditations"),
    ("people", "SELECT count(media_kind) FROM people"),
    (
        "accreditations by person",
        "SELECT count(*) FROM accreditations INDEXED BY ix_accreditations_person_id"
        " WHERE person_id >= 0",
    ),
    (
        "photo heads",
        "SELECT count(*) FROM photos INDEXED BY ix_photos_head WHERE person_id >= 0",
    ),
    (
        "badges",
        "SELECT count(*) FROM badges INDEXED BY ix_badges_accreditation_status"
        " WHERE accreditation_id >= 0",
    ),
)


def warm_up(path: Path) -> dict[str, int]:
    """Read the pages a scan needs from the store at `path`; the rows gone through, by
    part. Reads only (its own connection, query_only)."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA query_only = 1")
        return {name: db.execute(sql).fetchone()[0] for name, sql in PARTS}
    finally:
        db.close()


def start_warm_up(path: Path) -> threading.Thread:
    """`warm_up` on a daemon thread (a kiosk that closes meanwhile does not wait for it)."""
    thread = threading.Thread(target=warm_up, args=(path,), name="store warm-up", daemon=True)
    thread.start()
    return thread
