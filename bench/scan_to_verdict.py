"""Scan to verdict: a confirmation code (and MRZ reading) to the clerk's decision.

Measured on a demo world (`kiosk demo --people N`), beside a baseline run in the same
process: a bare SQLite primary-key lookup of the accreditation. Also times the whole
`kiosk check` command as a process (interpreter start and imports included).

    .venv/bin/python bench/scan_to_verdict.py [--data-dir DIR] [--samples 500]

Without --data-dir (as `bench/run_all.py` runs it) a 10,000-applicant demo world is
built once in /tmp/kiosk-bench/demo-10000 and reused.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BRUSSELS, Counter


def _timings(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _summary(ms: list[float]) -> dict:
    q = statistics.quantiles(ms, n=20)
    return {"median_ms": statistics.median(ms), "p5_ms": q[0], "p95_ms": q[-1], "n": len(ms)}


def measure(data_dir: Path, samples: int) -> dict:
    """Medians and spread of evaluate() and of the bare lookup, on `samples` applicants."""
    manifest = json.loads((data_dir / "scenarios.json").read_text())
    today = datetime.fromisoformat(manifest["today"])
    now = datetime(today.year, today.month, today.day, 10, tzinfo=BRUSSELS)
    picks = random.Random(1).sample(
        manifest["applicants"], min(samples, len(manifest["applicants"]))
    )
    scans = [(a["code"], read_mrz(a["mrz"])) for a in picks]
    kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: now)
    db = sqlite3.connect(data_dir / "kiosk.sqlite3")
    lookup = "select * from accreditations where id = ?"
    try:
        for code, reading in scans[:20]:  # warm caches on both sides
            kiosk.desk.evaluate(code, reading)
        baseline = _timings(
            lambda i: db.execute(lookup, (i,)).fetchall(), [(a["accreditation_id"],) for a in picks]
        )
        evaluate = _timings(kiosk.desk.evaluate, scans)
        mrz = _timings(read_mrz, [(a["mrz"],) for a in picks])
    finally:
        kiosk.close()
        db.close()
    result = {
        "accreditations": len(manifest["applicants"]),
        "evaluate": _summary(evaluate),
        "baseline_sqlite_pk_lookup": _summary(baseline),
        "mrz_parse": _summary(mrz),
    }
    result["ratio_evaluate_to_baseline"] = (
        result["evaluate"]["median_ms"] / result["baseline_sqlite_pk_lookup"]["median_ms"]
    )
    return result


def cli_process(data_dir: Path, runs: int = 5) -> dict:
    """The whole `kiosk check` command, interpreter start included."""
    manifest = json.loads((data_dir / "scenarios.json").read_text())
    a = manifest["applicants"][0]
    cmd = [
        sys.executable,
        "-m",
        "app.cli",
        "check",
        "--data-dir",
        str(data_dir),
        "--counter",
        "groups",
        "--code",
        a["code"],
        "--mrz",
        a["mrz"],
        "--json",
    ]
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        ms.append((time.perf_counter() - t) * 1000)
    return {"median_ms": statistics.median(ms), "min_ms": min(ms), "max_ms": max(ms), "n": runs}


DEFAULT_PEOPLE = 10_000


def demo_world(people: int) -> Path:
    """A demo world of `people` applicants built for today, cached between runs."""
    data_dir = Path(f"/tmp/kiosk-bench/demo-{people}")
    if not (data_dir / "scenarios.json").exists():
        cmd = [sys.executable, "-m", "app.cli", "demo", "--data-dir", str(data_dir)]
        subprocess.run([*cmd, "--people", str(people)], check=True)
    return data_dir


def main() -> None:
    """Run and print the table; write JSON to bench/results/."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--samples", type=int, default=500)
    args = ap.parse_args()
    args.data_dir = args.data_dir or demo_world(DEFAULT_PEOPLE)
    result = measure(args.data_dir, args.samples)
    result["kiosk_check_process"] = cli_process(args.data_dir)
    out = Path(__file__).parent / "results" / f"scan_to_verdict_{result['accreditations']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    e, b = result["evaluate"], result["baseline_sqlite_pk_lookup"]
    print(f"accreditations            {result['accreditations']:>10}")
    print(f"evaluate (scan->verdict)  median {e['median_ms']:.3f} ms  p95 {e['p95_ms']:.3f} ms")
    print(f"baseline SQLite PK lookup median {b['median_ms']:.3f} ms  p95 {b['p95_ms']:.3f} ms")
    print(f"ratio evaluate / baseline {result['ratio_evaluate_to_baseline']:.1f}x")
    print(f"MRZ parse                 median {result['mrz_parse']['median_ms']:.3f} ms")
    print(f"`kiosk check` process     median {result['kiosk_check_process']['median_ms']:.0f} ms")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
