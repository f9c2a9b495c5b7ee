"""Where a first sync's time goes: the CPU time of each step of every page, measured in one
process (no HTTP, so no load from the transfer), over the hub of `bench/hub_sync.py`.

    .venv/bin/python bench/sync_phases.py [--size 10000]

Steps: the hub building a page (queries, encoding rows, JSON), signing it; the kiosk
verifying the signature, parsing the JSON header, decoding rows (photos, dates: the rest
of `read_page`; each step timed alone, not as a difference), applying the page (feed
checks, SQLite writes, commit). CPU time (`time.process_time`), which load
beside the run moves less than wall time. Beside them, the SQLite floor of applying: the
same rows written by bare `executemany` into an empty store in as many transactions, and
the same without the photos (what the photos cost of it), and the same with the index
of document digests kept up row by row (as before kiosk/store/bulk_load.py).
Writes bench/results/sync_phases_N.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import hub_sync

from hub.clients import Role, authenticate, enrol, enrolment
from hub.database import HubDatabase, utc_now
from hub.feed import build_page
from hub.keys import feed_signer
from kiosk.store.bulk_load import drop_deferred, restore_deferred
from kiosk.store.database import Store
from sync import protocol
from sync.apply import apply_page
from sync.state import enrol as enrol_kiosk
from sync.state import require_state

STEPS = ("hub: build page", "hub: sign", "kiosk: verify", "kiosk: JSON parse (header)")
STEPS += ("kiosk: decode rows", "kiosk: apply (checks, SQLite, commit)")


def _cpu(step: str, spent: dict[str, float], fn, *args):
    t = time.process_time()
    try:
        return fn(*args)
    finally:
        spent[step] += time.process_time() - t


def measure(n: int) -> dict:
    """CPU seconds per step of a first sync of `n` accreditations."""
    url, _ = hub_sync.hub_database(n)
    db = HubDatabase(url)
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-phases-"))
    try:
        kiosk_id = f"PH{os.getpid() % 100_000}"  # a new kiosk each run
        store = Store(work / kiosk_id / "kiosk.sqlite3")
        token = enrol(db, kiosk_id, Role.COUNTER)
        enrol_kiosk(store, enrolment(db, kiosk_id, Role.COUNTER, token, "http://127.0.0.1:1"))
        client, signer = authenticate(db, token), feed_signer(db)
        key = require_state(store).hub_key
        spent = dict.fromkeys(STEPS, 0.0)
        pages = size = cursor = 0
        while True:
            nonce = f"phases-{pages:08d}"
            body = _cpu(STEPS[0], spent, build_page, db, client, cursor, 1000, nonce, utc_now())
            signature = _cpu(STEPS[1], spent, signer.sign, body)
            _cpu(STEPS[2], spent, protocol.check_signature, body, signature, key)
            data, blobs = _cpu(STEPS[3], spent, protocol.split_page, body)
            page = _cpu(STEPS[4], spent, protocol.decode_page, body, data, blobs, key)
            _cpu(STEPS[5], spent, apply_page, store, page, True)
            pages, size, cursor = pages + 1, size + len(body), page.cursor_to
            if not page.more:
                break
        store.close()
        floor = sqlite_floor(store.path, work / "floor" / "kiosk.sqlite3", pages)
        floor |= sqlite_floor(store.path, work / "bare" / "kiosk.sqlite3", pages, photos=False)
        floor |= sqlite_floor(store.path, work / "kept" / "kiosk.sqlite3", pages, deferred=False)
    finally:
        db.close()
        shutil.rmtree(work, ignore_errors=True)
    return {"accreditations": n, "pages": pages, "bytes": size, "cpu_s": spent} | floor


FLOOR_TABLES = ("events", "letters", "people", "photos", "accreditations")


def sqlite_floor(
    synced: Path, empty: Path, pages: int, photos: bool = True, deferred: bool = True
) -> dict:
    """CPU and wall seconds of writing the rows a first sync put in `synced` (the tables
    above; without the photos if `photos` is False) by bare `executemany` into a new
    store at `empty`, as the store runs (WAL, synchronous=FULL, foreign keys on,
    upserts), in `pages` transactions, each person with their photo and accreditations;
    the indexes a first sync builds at its end dropped in the first, built in the last
    (kiosk/store/bulk_load.py), or kept up row by row if `deferred` is False."""
    Store(empty).close()  # the schema, migrated
    src = sqlite3.connect(synced)
    rows = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in FLOOR_TABLES}
    holder = [r[1] for r in src.execute("PRAGMA table_info(accreditations)")].index("person_id")
    src.close()
    people = sorted(r[0] for r in rows["people"])
    part = {pid: i * pages // len(people) for i, pid in enumerate(people)}
    parts: dict[str, list[list]] = {t: [[] for _ in range(pages)] for t in FLOOR_TABLES}
    for t, key in (("people", 0), ("photos", 0), ("accreditations", holder)):
        for r in rows[t]:
            parts[t][part[r[key]]].append(r)
    parts["events"][0], parts["letters"][0] = rows["events"], rows["letters"]
    db = sqlite3.connect(empty, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        db.execute(f"PRAGMA {pragma}")
    sql = {}
    for t in FLOOR_TABLES:
        names = [r[1] for r in db.execute(f"PRAGMA table_info({t})")]
        sets = ", ".join(f"{c} = excluded.{c}" for c in names[1:])
        marks = ", ".join("?" * len(names))
        sql[t] = f"INSERT INTO {t} VALUES ({marks}) ON CONFLICT DO UPDATE SET {sets}"
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(pages):
        db.execute("BEGIN IMMEDIATE")
        if i == 0 and pages > 1 and deferred:
            drop_deferred(db)
        for t in FLOOR_TABLES:
            if parts[t][i] and (photos or t != "photos"):
                db.executemany(sql[t], parts[t][i])
        if i == pages - 1:
            restore_deferred(db)
        db.execute("COMMIT")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    db.close()
    suffix = ("" if photos else "_without_photos") + ("" if deferred else "_index_row_by_row")
    return {f"sqlite_floor{suffix}_cpu_s": cpu, f"sqlite_floor{suffix}_wall_s": wall}


def main() -> None:
    """Run and print; write bench/results/sync_phases_N.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=10_000)
    n = ap.parse_args().size
    result = measure(n)
    out = common.write_result(f"sync_phases_{n}", result)
    total = sum(result["cpu_s"].values())
    print(f"{n} accreditations, {result['bytes'] / 1e6:.0f} MB in {result['pages']} pages")
    for step, s in result["cpu_s"].items():
        print(f"  {step:40s} {s:6.2f} s CPU  {100 * s / total:4.0f} %")
    print(f"  {'total':40s} {total:6.2f} s CPU")
    kiosk = sum(s for step, s in result["cpu_s"].items() if step.startswith("kiosk"))
    floor = result["sqlite_floor_cpu_s"]
    print(f"  {'kiosk (all four steps)':40s} {kiosk:6.2f} s CPU")
    print(
        f"  {'SQLite floor (bare executemany)':40s} {floor:6.2f} s CPU  kiosk {kiosk / floor:.1f}x"
    )
    bare = result["sqlite_floor_without_photos_cpu_s"]
    print(f"  {'the same without the photos':40s} {bare:6.2f} s CPU")
    kept = result["sqlite_floor_index_row_by_row_cpu_s"]
    print(f"  {'the floor, digest index row by row':40s} {kept:6.2f} s CPU")
    print(f"  written to {out}")


if __name__ == "__main__":
    main()
