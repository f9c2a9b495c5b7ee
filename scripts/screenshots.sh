#!/usr/bin/env bash
# Screenshots of every screen on a real X11 display (Xvfb), into docs/screenshots/.
# Arguments go to scripts/screenshots.py (e.g. --only settings --langs fr).
set -euo pipefail
cd "$(dirname "$0")/.."
display=:$(( 300 + RANDOM % 100 ))
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb"' EXIT
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$display QT_QPA_PLATFORM=xcb .venv/bin/python scripts/screenshots.py "$@"
