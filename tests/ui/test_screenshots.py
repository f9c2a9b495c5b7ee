"""scripts/screenshots.py: the shots it writes, and the cut-off texts it finds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_sign_in_and_security_post_in_french_fit_a_small_screen(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            ROOT / "scripts" / "screenshots.py",
            "--out",
            tmp_path,
            "--only",
            "sign-in",
            "security-not-valid",
            "--langs",
            "fr",
            "--sizes",
            "1366x768",
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sign-in-fr-1366x768.png: ok" in done.stdout
    for name in ("sign-in", "security-not-valid"):
        with Image.open(tmp_path / f"{name}-fr-1366x768.png") as shot:
            assert shot.size == (1366, 768)


def test_a_label_too_narrow_for_its_text_is_reported(qtbot):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from screenshots import cut_off
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    col = QVBoxLayout(window)
    fits, squeezed = QLabel("OK"), QLabel("A sentence far too long for forty pixels")
    squeezed.setFixedWidth(40)
    col.addWidget(fits)
    col.addWidget(squeezed)
    window.resize(300, 100)
    window.show()
    qtbot.waitExposed(window)
    found = cut_off(window)
    assert len(found) == 1 and "far too long" in found[0]
