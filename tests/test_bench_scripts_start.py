"""Every benchmark script starts as `scripts/bench.sh` runs it (`python bench/NAME.py`,
from bench/): its imports resolve and it answers --help. bench/chip_read.py had stopped
at its imports unnoticed (a `tests` folder of python-barcode's in site-packages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
NOT_SCRIPTS = {"common.py", "link.py"}  # modules the scripts import, with no command
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name not in NOT_SCRIPTS)

pytestmark = pytest.mark.slow


def test_the_scripts_are_found():
    assert {"chip_read.py", "hub_sync.py", "scale.py", "run_all.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_benchmark_script_starts(name, tmp_path):
    done = subprocess.run(
        [sys.executable, str(BENCH / name), "--help"],
        cwd=tmp_path,  # not the repository: no folder of its own found by chance
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
