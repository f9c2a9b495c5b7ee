#!/usr/bin/env bash
# Set up what is missing, then start the counter screen on the demo world
# (built on first start in $KIOSK_DATA_DIR, default ./demo-data).
# Extra arguments go to `kiosk run`, e.g. --counter visitors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-$PWD/demo-data}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # No screen here (a server, CI): give the window a virtual one.
  export DISPLAY=:77
  if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1; then
    Xvfb "$DISPLAY" -screen 0 1366x768x24 >/dev/null 2>&1 &
    sleep 1
  fi
  echo "run-demo: no display found; the counter screen runs on the virtual display $DISPLAY"
fi
exec .venv/bin/kiosk run "$@"
