"""The domain core imports no GUI, imaging, PDF, HTTP or adapter code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
CORE = [
    "model.py",
    "rules.py",
    "names.py",
    "codes.py",
    "counter.py",
    "verify.py",
    "roles.py",
    "staff.py",
    "audit.py",
    "documents.py",
    "purge.py",
    "search.py",
    "overview.py",
    *(f"store/{p.name}" for p in (KIOSK / "store").glob("*.py")),
]
FORBIDDEN = {
    "PySide6",
    "cv2",
    "reportlab",
    "barcode",
    "pyzbar",
    "zxingcpp",
    "PIL",
    "httpx",
    "requests",
    "fastapi",
    "uvicorn",
    "ui",
    "printing",
    "scanning",
    "sync",
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_nothing_forbidden(module):
    assert imported_roots(KIOSK / module) & FORBIDDEN == set()


def test_importing_the_core_loads_no_adapter_library():
    code = (
        "import sys, kiosk.counter, kiosk.rules, kiosk.store.records;"
        f"print(sorted(set({sorted(FORBIDDEN)!r}) & {{m.split('.')[0] for m in sys.modules}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
