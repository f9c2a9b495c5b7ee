#!/usr/bin/env bash
# Set up what is missing (system packages, .venv), then lint and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
# Three workers on two cores: many tests wait on a real service (hub, PostgreSQL, cupsd,
# Xvfb, pcscd), so a third keeps the cores busy. Tests sharing one service run in one
# worker (`xdist_group`). KIOSK_TEST_WORKERS=0 runs everything in this process.
.venv/bin/python -m pytest -n "${KIOSK_TEST_WORKERS:-3}" --dist loadgroup "$@"
