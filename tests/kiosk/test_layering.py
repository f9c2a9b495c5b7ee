"""Importing the core loads no adapter library at run time (the import-linter contracts in
pyproject.toml check the static imports; this checks what actually gets loaded)."""

from __future__ import annotations

import subprocess
import sys

import pytest

ABOVE_THE_CORE = {
    "PySide6", "cv2", "numpy", "reportlab", "barcode", "pyzbar", "zxingcpp", "PIL",
    "httpx", "fastapi", "uvicorn", "ui", "printing", "scanning", "sync", "hub", "app",
    "chip", "smartcard", "asn1crypto",
}  # fmt: skip


@pytest.mark.slow  # over a second: out of the fast lane
def test_importing_the_core_loads_no_adapter_library():
    code = (
        "import sys, kiosk.services, kiosk.counter, kiosk.rules, kiosk.verify, kiosk.search,"
        " kiosk.overview, kiosk.purge, kiosk.store.records, kiosk.chip_check;"
        f"print(sorted(set({sorted(ABOVE_THE_CORE)!r}) & {{m.split('.')[0] for m in sys.modules}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
