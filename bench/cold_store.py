"""The first scans on a cold store: the kiosk just started, its file not in memory.

On the 1,000,000-accreditation store of `bench/common.py` (about 6 GB, photos included):
the operating system's page cache is dropped (`echo 1 > /proc/sys/vm/drop_caches`, as
root), the kiosk opened, and random applicants scanned at once, each timed; then the
same scans again, warm. Each run should take applicants of its own (`--seed`): the
virtual disk's host may still cache pages an earlier run read, so figures are a lower
bound of what a cold physical disk costs. With `--warm-up` the kiosk's warm-up
(kiosk/store/warmup.py) runs on its own thread from the moment the kiosk opens, as the
counter screen starts it; with `--wait` the scans start once it is done (a clerk signs
in first).

    .venv/bin/python bench/cold_store.py [--size 1000000] [--samples 300] [--warm-up|--wait]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_NOW, codes_for, scaled_store, summary, timed, write_result
from scale import _readings

from app.wiring import open_kiosk
from kiosk.model import Counter


def drop_page_cache(path: Path) -> int:
    """Write dirty pages out and drop the page cache; the bytes of `path` still cached."""
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("1\n")
    out = subprocess.run(["fincore", "-b", "-n", "-o", "RES", str(path)], capture_output=True)
    return int(out.stdout.split()[0]) if out.returncode == 0 else -1


def first_scans(ms: list[float]) -> dict:
    """The first scan, and the spread of the first 10, 100 and all."""
    return {
        "first_ms": ms[0],
        "first_10": summary(ms[:10]),
        "first_100": summary(ms[:100]),
        "all": summary(ms),
        "total_s": sum(ms) / 1000,
    }


def measure(n: int, samples: int, warm_up: bool, seed: int, wait: bool = False) -> dict:
    """Cold and then warm scans of `samples` random applicants of the `n` store."""
    data_dir, signer = scaled_store(n)
    ids = random.Random(seed).sample(range(1, n + 1), samples)
    readings = _readings(n, ids)
    scans = list(zip(codes_for(signer, ids), (readings[i] for i in ids), strict=True))
    cached = drop_page_cache(data_dir / "kiosk.sqlite3")
    t = time.perf_counter()
    kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: BENCH_NOW)
    opened = time.perf_counter() - t
    warm: dict = {}
    if warm_up:
        from kiosk.store.warmup import warm_up as run_warm_up

        def worker() -> None:
            started = time.perf_counter()
            warm["read"] = run_warm_up(kiosk.store.path)
            warm["seconds"] = time.perf_counter() - started

        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        if wait:  # a clerk signs in first: the scans come after the warm-up
            thread.join()
    try:
        cold = timed(kiosk.desk.evaluate, scans)
        if warm_up:
            thread.join()
        again = timed(kiosk.desk.evaluate, scans)
    finally:
        kiosk.close()
    return {
        "accreditations": n,
        "seed": seed,
        "bytes_cached_after_drop": cached,
        "open_s": opened,
        "warm_up": warm or None,
        "scans_after_warm_up": wait,
        "cold": first_scans(cold),
        "warm": summary(again),
    }


def main() -> None:
    """Run once and print; writes bench/results/cold_store[_warm_up].json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--warm-up", action="store_true")
    ap.add_argument("--wait", action="store_true", help="scan once the warm-up is done")
    ap.add_argument("--seed", type=int, default=1, help="which applicants (fresh pages each)")
    args = ap.parse_args()
    if os.geteuid() != 0:  # skipped, not failed: bench/run_all.py runs it with the others
        why = "dropping the page cache needs root: not measured (docs/benchmarks-scan-path.md)"
        write_result("cold_store", {"skipped": why})
        print(why)
        return
    r = measure(args.size, args.samples, args.warm_up or args.wait, args.seed, args.wait)
    name = "cold_store" + ("_after_warm_up" if args.wait else "_warm_up" if args.warm_up else "")
    write_result(name, r)
    c = r["cold"]
    print(f"store {r['accreditations']:,}, cached after drop {r['bytes_cached_after_drop']} B")
    print(f"open {r['open_s']:.2f} s; warm-up {r['warm_up']}")
    print(
        f"cold: first {c['first_ms']:.1f} ms, first 10 median {c['first_10']['median_ms']:.1f},"
        f" first 100 median {c['first_100']['median_ms']:.1f} p95"
        f" {c['first_100']['p95_ms']:.1f}, all median {c['all']['median_ms']:.2f} ms,"
        f" total {c['total_s']:.2f} s"
    )
    print(f"warm: median {r['warm']['median_ms']:.3f} ms p95 {r['warm']['p95_ms']:.3f}")


if __name__ == "__main__":
    main()
