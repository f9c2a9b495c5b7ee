"""How scan-to-verdict cost grows with the number of accreditations (it must not).

For stores of 1,000 to 1,000,000 accreditations: `CounterDesk.evaluate` (code
signature, indexed lookups, every rule) on random applicants, on a warm store (every
sampled applicant scanned once before timing), beside the limit measured in the same
process, interleaved scan by scan: one bare SQLite primary-key lookup of the
accreditation plus one Ed25519 verification. Writes bench/results/scale.json and
bench/results/scale.png.

    .venv/bin/python bench/scale.py [--sizes 1000 10000 100000 1000000] [--samples 400]
"""

from __future__ import annotations

import argparse
import json
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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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
    """Evaluate and limit medians on a warm store of `n` accreditations."""
    data_dir, signer = scaled_store(n)
    ids = random.Random(n).sample(range(1, n + 1), min(samples, n))
    db = sqlite3.connect(data_dir / "kiosk.sqlite3")
    readings = _readings(n, ids)
    scans = list(zip(codes_for(signer, ids), (readings[i] for i in ids), strict=True))
    key = Ed25519PrivateKey.generate()
    public, message = key.public_key(), b"C" + bytes(5)  # a confirmation's signed bytes
    signature = key.sign(message)

    def lookup(i: int) -> None:
        db.execute("select * from accreditations where id = ?", (i,)).fetchall()

    def limit(i: int) -> None:
        lookup(i)
        public.verify(signature, message)

    kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: BENCH_NOW)
    try:
        for (code, reading), i in zip(scans, ids, strict=True):  # warm: every page once
            kiosk.desk.evaluate(code, reading)
            lookup(i)
        times: dict[str, list[float]] = {"evaluate": [], "limit": [], "lookup": [], "verify": []}
        for scan, i in zip(scans, ids, strict=True):
            times["evaluate"] += timed(kiosk.desk.evaluate, [scan])
            times["limit"] += timed(limit, [(i,)])
            times["lookup"] += timed(lookup, [(i,)])
            times["verify"] += timed(public.verify, [(signature, message)])
    finally:
        kiosk.close()
        db.close()
    e, lim, b = summary(times["evaluate"]), summary(times["limit"]), summary(times["lookup"])
    return {
        "accreditations": n,
        "evaluate": e,
        "limit_lookup_and_verify": lim,
        "baseline_pk_lookup": b,
        "ed25519_verify": summary(times["verify"]),
        "ratio_to_limit": e["median_ms"] / lim["median_ms"],
        "ratio": e["median_ms"] / b["median_ms"],
    }


def plot(rows: list[dict], out: Path, before: list[dict] | None = None) -> None:
    """Evaluate, limit and baseline medians (with p5-p95 bars) against store size, log x;
    `before`: the evaluate medians of an earlier run, dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["accreditations"] for r in rows]
    fig, ax = plt.subplots(figsize=(9.5, 4))
    curves = (
        ("evaluate", "scan to verdict"),
        ("limit_lookup_and_verify", "limit: PK lookup + Ed25519 verify"),
        ("baseline_pk_lookup", "bare PK lookup"),
    )
    for key, label in curves:
        med = [r[key]["median_ms"] for r in rows]
        lo = [r[key]["median_ms"] - r[key]["p5_ms"] for r in rows]
        hi = [r[key]["p95_ms"] - r[key]["median_ms"] for r in rows]
        ax.errorbar(xs, med, yerr=[lo, hi], marker="o", capsize=4, label=label)
    if before:
        ax.plot(
            [r["accreditations"] for r in before],
            [r["evaluate"]["median_ms"] for r in before],
            "k--",
            marker="x",
            label="scan to verdict before (ORM)",
        )
    ax.axhline(10, color="#b71c1c", linestyle="--", linewidth=1, label="target 10 ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("accreditations in the store")
    ax.set_ylabel("ms per scan (median, p5-p95)")
    ax.set_title("Scan to verdict against store size, warm store")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main() -> None:
    """Measure every size, print a table, write JSON and the plot."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000, 1_000_000])
    ap.add_argument("--samples", type=int, default=400)
    ap.add_argument("--plot-only", type=Path, help="redraw from this scale.json, no run")
    ap.add_argument("--before", type=Path, help="an earlier scale.json to draw beside")
    args = ap.parse_args()
    before = json.loads(args.before.read_text())["rows"] if args.before else None
    if args.plot_only:
        plot(json.loads(args.plot_only.read_text())["rows"], RESULTS / "scale.png", before)
        return
    rows = []
    print(
        f"{'accreditations':>14} {'evaluate med':>13} {'p95':>8} {'limit':>9} {'x limit':>7}"
        f" {'PK lookup':>10} {'x lookup':>8}"
    )
    for n in args.sizes:
        r = measure(n, args.samples)
        rows.append(r)
        print(
            f"{n:>14,} {r['evaluate']['median_ms']:>10.3f} ms {r['evaluate']['p95_ms']:>5.2f} ms"
            f" {r['limit_lookup_and_verify']['median_ms']:>6.3f} ms {r['ratio_to_limit']:>6.1f}x"
            f" {r['baseline_pk_lookup']['median_ms']:>7.3f} ms {r['ratio']:>7.0f}x",
            flush=True,
        )
    write_result("scale", {"rows": rows})
    try:
        plot(rows, RESULTS / "scale.png", before)
    except ModuleNotFoundError as err:  # the figures stand without the picture
        sys.exit(f"no plot: {err.name} is missing (`bash scripts/bench.sh` installs it)")


if __name__ == "__main__":
    main()
