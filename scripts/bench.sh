#!/usr/bin/env bash
# Set up what is missing, then run every benchmark (bench/run_all.py); arguments pass
# through, e.g. `bash scripts/bench.sh --only scale counter_flow`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pip install -q -c constraints.txt -e '.[dev,bench]'
exec .venv/bin/python bench/run_all.py "$@"
