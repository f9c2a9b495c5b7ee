"""What the purge costs, and what the document-number digest adds to a scan.

On stores of 10,000 and 100,000 generated accreditations (bench/common.py; the events
around 14 Feb 2026), purges as of 35 days later, when the ministerial meeting's
accreditations are past retention (the year's annual ones are not), on a fresh copy
each run: the blanking transaction (secure_delete on) and the compaction (VACUUM and WAL
checkpoint) apart. Baseline in the same process: VACUUM of an unpurged copy. Also the
check a kiosk makes at every open (`purge_if_due` on the day itself, when nothing is
due and no purge ran yet: the journal is searched, then the accreditations), and reading the
key and hashing a number, which every scan at a counter now does. Writes
bench/results/purge.json.

    .venv/bin/python bench/purge.py [--sizes 10000 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_NOW, scaled_store, summary, timed, write_result

import kiosk.purge
from kiosk import documents
from kiosk.purge import AUTOMATIC, compact, purge, purge_if_due
from kiosk.store.database import Store

LATER = BENCH_NOW + timedelta(days=35)


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


compacting: list[float] = []


def _timed_compact(store: Store, *args, **kwargs) -> bool:
    """`kiosk.purge.compact`, timed (the purge calls it by name)."""
    t = time.perf_counter()
    done = compact(store, *args, **kwargs)
    compacting.append((time.perf_counter() - t) * 1000)
    return done


def measure(n: int, runs: int) -> dict:
    """Medians over `runs` fresh copies of a store of `n` accreditations."""
    source, _ = scaled_store(n)
    blank, vacuum, baseline, sizes = [], [], [], []
    report = None
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            store = Store(_copy(source, Path(tmp) / f"b{i}") / "kiosk.sqlite3")
            before = store.path.stat().st_size
            _timed_compact(store)
            baseline.append(compacting.pop())
            open_check = timed(lambda s=store: purge_if_due(s, BENCH_NOW, "B1"), [()] * 20)
            store.close()

            store = Store(_copy(source, Path(tmp) / f"p{i}") / "kiosk.sqlite3")
            t = time.perf_counter()
            report = purge(store, LATER, AUTOMATIC, "B1")
            total = (time.perf_counter() - t) * 1000
            vacuum.append(compacting.pop())
            blank.append(total - vacuum[-1])
            sizes.append((before, store.path.stat().st_size))
            store.close()
    return {
        "accreditations": n,
        "purged": {"accreditations": report.accreditations, "people": report.people},
        "blank_transaction": summary(blank),
        "compaction": summary(vacuum),
        "baseline_vacuum_unpurged": summary(baseline),
        "open_check_nothing_due": summary(open_check),
        "file_bytes_before_after": sizes[-1],
    }


def digest_cost(samples: int = 2000) -> dict:
    """Reading the key file and hashing a number: what `CounterDesk._decide` adds."""
    with tempfile.TemporaryDirectory() as tmp:
        documents.ensure_key(Path(tmp))
        read = timed(lambda: documents.read_key(Path(tmp)), [()] * samples)
        key = documents.read_key(Path(tmp))
        digest = timed(lambda: documents.document_digest(key, "C01X00T47"), [()] * samples)
    return {"read_key": summary(read), "document_digest": summary(digest)}


def main() -> None:
    kiosk.purge.compact = _timed_compact
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        r = measure(n, args.runs)
        rows.append(r)
        print(
            f"{n:>8,} accreditations: purged {r['purged']['accreditations']:,} "
            f"({r['purged']['people']:,} people): blank "
            f"{r['blank_transaction']['median_ms']:.0f} ms + compaction "
            f"{r['compaction']['median_ms']:.0f} ms (VACUUM of an unpurged copy "
            f"{r['baseline_vacuum_unpurged']['median_ms']:.0f} ms); check at open "
            f"{r['open_check_nothing_due']['median_ms']:.2f} ms; file "
            f"{r['file_bytes_before_after'][0] / 1e6:.1f} -> "
            f"{r['file_bytes_before_after'][1] / 1e6:.1f} MB",
            flush=True,
        )
    per_scan = digest_cost()
    print(
        f"per scan: read the key {per_scan['read_key']['median_ms'] * 1000:.1f} µs, "
        f"hash a number {per_scan['document_digest']['median_ms'] * 1000:.1f} µs"
    )
    write_result("purge", {"rows": rows, "per_scan": per_scan})


if __name__ == "__main__":
    main()
