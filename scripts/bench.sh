#!/usr/bin/env bash
# Set up what is missing, then run every benchmark (bench/run_all.py); arguments pass
# through, e.g. `bash scripts/bench.sh --only scale counter_flow`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -x .venv/bin/uv ]; then  # set up by scripts/setup.sh; pip when uv could not be
  .venv/bin/uv pip install -q --python .venv/bin/python -c constraints.txt -e '.[dev,bench]'
else
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev,bench]'
fi
exec .venv/bin/python bench/run_all.py "$@"
