#!/usr/bin/env bash
# Set up a fresh Debian machine for the kiosk: system packages (when missing),
# then a virtual environment in .venv with the project and its dev tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libzbar0                      # pyzbar's decoder
  xvfb xdotool x11-utils        # a real X11 window and real key events in tests
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xkb1 libxcb-shape0 libxcb-randr0
  libxcb-xinerama0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
  cups cups-client cups-bsd printer-driver-cups-pdf   # a real CUPS queue
  poppler-utils                 # pdftoppm: badge PDFs to PNG
  fonts-dejavu-core fonts-noto-core   # glyphs for accented, Greek, Cyrillic, Arabic names
  fonts-droid-fallback          # Chinese and Japanese names (printing/fonts.py)
  fonts-nanum                   # Korean Hangul names, regular and bold (TrueType, OFL)
  tesseract-ocr                 # the MRZ benchmark compares our reader with Tesseract
  postgresql-15                 # the hub's production database, started by tests
  fonts-ocr-b                   # OCR-B, the MRZ typeface, for rendered specimen documents
  pcscd pcsc-tools              # PC/SC, the chip reader's stack
  alsa-utils                    # aplay: the counter's tones without QtMultimedia
  libpcsclite-dev swig          # to build pyscard (PyPI has no Linux wheel)
  vsmartcard-vpcd vsmartcard-vpicc python3-virtualsmartcard   # a virtual reader and chip
  chromium chromium-driver      # headless browser tests of the hub's web console (Selenium)
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating a Python virtual environment in .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
if [ ! -f "$stamp" ]; then
  # pip says nothing unless something goes wrong; the project says what is happening.
  pip=(.venv/bin/python -m pip install -qq --disable-pip-version-check --no-input)
  echo "setup: installing the kiosk's Python packages into .venv (Qt, OpenCV, SQLAlchemy…)"
  # uv lays down the same pinned versions (constraints.txt) as pip, downloading and
  # compiling in parallel: 19 s instead of 43 s on a fresh .venv (docs/testing.md, "Setting
  # up"). Compiled as pip does: with PYTHONDONTWRITEBYTECODE set, a kiosk would otherwise
  # compile its libraries at every start (2 s). pip stays the fallback.
  if "${pip[@]}" -c constraints.txt uv \
    && .venv/bin/uv pip install -q --python .venv/bin/python --compile-bytecode \
      -c constraints.txt -e '.[dev]'; then
    :
  else
    echo "setup: uv could not install them; pip will (a minute or two)"
    "${pip[@]}" --upgrade pip
    "${pip[@]}" -c constraints.txt -e '.[dev]'
  fi
  # The face check needs opencv-contrib's cascades; it and the plain OpenCV wheel both
  # own cv2/, so the plain one (from an older setup) goes and contrib is laid down again.
  if .venv/bin/python -m pip show -qq opencv-python-headless 2>/dev/null; then
    .venv/bin/python -m pip uninstall -qq -y opencv-python-headless
    "${pip[@]}" -c constraints.txt --force-reinstall --no-deps opencv-contrib-python-headless
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
  echo "setup: Python packages installed"
fi
echo "setup: ready (.venv)"
