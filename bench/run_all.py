"""Run every benchmark in bench/ (each also runs alone) and summarise bench/results/.

    .venv/bin/python bench/run_all.py [--only NAME ...]

Each script writes its own JSON to bench/results/; this writes summary.md beside them
with every median found, and exits non-zero if a benchmark failed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
NOT_BENCHMARKS = {"run_all.py", "common.py"}


def scripts(only: list[str] | None) -> list[Path]:
    """Benchmark scripts, in name order (or just the ones asked for)."""
    found = sorted(p for p in BENCH.glob("*.py") if p.name not in NOT_BENCHMARKS)
    return [p for p in found if not only or p.stem in only]


def medians(node: object, path: str = "") -> list[tuple[str, float]]:
    """Every `median...` figure in a results document, with its path."""
    out: list[tuple[str, float]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("median") and isinstance(value, int | float):
                out.append((f"{path} ({key.removeprefix('median_')})", value))
            else:
                out += medians(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = value.get("accreditations", i) if isinstance(value, dict) else i
            out += medians(value, f"{path}[{label}]")
    return out


def summarise() -> str:
    """A markdown table of every median in bench/results/*.json."""
    lines = ["| benchmark | figure | median |", "|---|---|---|"]
    for f in sorted(RESULTS.glob("*.json")):
        for label, value in medians(json.loads(f.read_text())):
            lines.append(f"| {f.stem} | {label} | {value:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run the benchmarks one after another; print and write the summary."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", nargs="*", help="benchmark names (file stems) to run")
    args = ap.parse_args()
    failed = []
    for script in scripts(args.only):
        print(f"== {script.stem}", flush=True)
        t = time.perf_counter()
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            failed.append(script.stem)
        print(f"   ({time.perf_counter() - t:.0f} s)", flush=True)
    RESULTS.mkdir(exist_ok=True)
    table = summarise()
    (RESULTS / "summary.md").write_text(table)
    print(table)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
