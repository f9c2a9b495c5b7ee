#!/usr/bin/env bash
# Set up what is missing (system packages, .venv), then lint and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
# Compiled modules are kept: with PYTHONDONTWRITEBYTECODE set (as on these machines), each
# worker and each of the ~220 `kiosk` processes the tests start compiled every module of
# ours again, and pytest rewrote every test file per worker (docs/testing.md: 5 % of CPU).
unset PYTHONDONTWRITEBYTECODE
# numpy's OpenBLAS runs a thread per core on every matrix product big enough, spinning
# while it waits: with three workers on two cores that doubled the glyph reader's CPU for
# no gain in time (tests/scanning/test_mrz_glyphs.py 10.2 -> 5.2 s CPU). One each.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# Three workers on two cores: many tests wait on a real service (hub, PostgreSQL, cupsd,
# Xvfb, pcscd), so a third keeps the cores busy. Tests sharing one service run in one
# worker (`xdist_group`). KIOSK_TEST_WORKERS=0 runs everything in this process.
.venv/bin/python -m pytest -n "${KIOSK_TEST_WORKERS:-3}" --dist loadgroup "$@"
