"""How scan-to-verdict cost grows with the number of accreditations (it must not).

For stores of 1,000 to 1,000,000 accreditations: `CounterDesk.evaluate` (code
signature, indexed lookups, every rule) on random applicants, beside a baseline in the
same process: a bare SQLite primary-key lookup of the accreditation. Writes
bench/results/scale.json and bench/results/scale.png.

    .venv/bin/python bench/scale.py [--sizes 1000 10000 100000 1000000] [--samples 400]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    BENCH_DAY,
    BENCH_NOW,
    RESULTS,
    codes_for,
    scaled_store,
    summary,
    timed,
    write_result,
)

from app.demo.build import reading_of
from app.demo.population import bulk_entries
from app.wiring import open_kiosk
from kiosk.model import Counter, IdReading


def _readings(n: int, ids: list[int]) -> dict[int, IdReading]:
    """The MRZ readings of the documents the sampled applicants applied with (the store
    keeps their numbers as keyed hashes only: they come from the generator again)."""
    wanted = set(ids)
    return {
        e.accreditation.id: reading_of(e.presented)
        for e in bulk_entries(n, 1, 1, BENCH_DAY)
        if e.accreditation.id in wanted
    }


def measure(n: int, samples: int) -> dict:
    """Evaluate and baseline medians on a store of `n` accreditations."""
    data_dir, signer = scaled_store(n)
    ids = random.Random(n).sample(range(1, n + 1), min(samples, n))
    db = sqlite3.connect(data_dir / "kiosk.sqlite3")
    readings = _readings(n, ids)
    scans = list(zip(codes_for(signer, ids), (readings[i] for i in ids), strict=True))
    kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: BENCH_NOW)
    try:
        for code, reading in scans[:30]:
            kiosk.desk.evaluate(code, reading)
        baseline = timed(
            lambda i: db.execute("select * from accreditations where id = ?", (i,)).fetchall(),
            [(i,) for i in ids],
        )
        evaluate = timed(kiosk.desk.evaluate, scans)
    finally:
        kiosk.close()
        db.close()
    e, b = summary(evaluate), summary(baseline)
    return {
        "accreditations": n,
        "evaluate": e,
        "baseline_pk_lookup": b,
        "ratio": e["median_ms"] / b["median_ms"],
    }


def plot(rows: list[dict], out: Path) -> None:
    """Evaluate and baseline medians (with p5-p95 bars) against store size, log x."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["accreditations"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("evaluate", "scan to verdict"), ("baseline_pk_lookup", "bare PK lookup")):
        med = [r[key]["median_ms"] for r in rows]
        lo = [r[key]["median_ms"] - r[key]["p5_ms"] for r in rows]
        hi = [r[key]["p95_ms"] - r[key]["median_ms"] for r in rows]
        ax.errorbar(xs, med, yerr=[lo, hi], marker="o", capsize=4, label=label)
    ax.axhline(10, color="#b71c1c", linestyle="--", linewidth=1, label="target 10 ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("accreditations in the store")
    ax.set_ylabel("ms per scan (median, p5-p95)")
    ax.set_title("Scan to verdict against store size (same ratio to a bare lookup)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main() -> None:
    """Measure every size, print a table, write JSON and the plot."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000, 1_000_000])
    ap.add_argument("--samples", type=int, default=400)
    args = ap.parse_args()
    rows = []
    print(f"{'accreditations':>14} {'evaluate med':>13} {'p95':>8} {'PK lookup':>10} {'ratio':>6}")
    for n in args.sizes:
        r = measure(n, args.samples)
        rows.append(r)
        print(
            f"{n:>14,} {r['evaluate']['median_ms']:>10.3f} ms {r['evaluate']['p95_ms']:>5.2f} ms"
            f" {r['baseline_pk_lookup']['median_ms']:>7.3f} ms {r['ratio']:>5.0f}x",
            flush=True,
        )
    write_result("scale", {"rows": rows})
    plot(rows, RESULTS / "scale.png")


if __name__ == "__main__":
    main()
