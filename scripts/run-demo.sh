#!/usr/bin/env bash
# Set up what is missing, then start the kiosk's window on the demo world
# (`kiosk run --demo`: built on first start in $KIOSK_DATA_DIR, default ./demo-data),
# in a normal window (not --kiosk-mode). Extra arguments go to `kiosk run`,
# e.g. --counter visitors.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "run-demo: checking what the kiosk needs is installed"
bash scripts/setup.sh
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-$PWD/demo-data}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # No screen here (a server, CI): give the window a virtual one.
  export DISPLAY=:77
  if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1; then
    Xvfb "$DISPLAY" -screen 0 1366x768x24 >/dev/null 2>&1 &
    for _ in $(seq 100); do  # wait for the display, not a time: a busy machine is slower
      xdpyinfo -display "$DISPLAY" >/dev/null 2>&1 && break
      sleep 0.1
    done
  fi
  echo "run-demo: no display found; the counter screen runs on the virtual display $DISPLAY"
fi
if [ -e "$KIOSK_DATA_DIR/kiosk.sqlite3" ] && [ -z "$(.venv/bin/kiosk staff list)" ]; then
  # A demo world built before sign-in existed: give it the demo's accounts.
  for account in clerk:clerk:1111 supervisor:supervisor:222222 security:security:3333 \
                 admin:administrator:444444; do
    IFS=: read -r name role pin <<<"$account"
    echo "$pin" | .venv/bin/kiosk staff add "$name" --role "$role" --pin-stdin
  done
fi
if [ ! -e "$KIOSK_DATA_DIR/kiosk.sqlite3" ]; then
  echo "run-demo: first start: building the demo world in $KIOSK_DATA_DIR (a few seconds)"
fi
echo "run-demo: starting the kiosk's window"
echo "run-demo: sign in as clerk (PIN 1111), supervisor (222222), security (3333) or admin (444444)"
echo "run-demo: (a demo world built before 6-digit PINs keeps supervisor 2222 and admin 4444)"
exec .venv/bin/kiosk run --demo "$@"
