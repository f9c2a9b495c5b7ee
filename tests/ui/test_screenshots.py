"""scripts/screenshots.py: the shots it writes, and the cut-off texts it finds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_sign_in_and_security_post_in_french_fit_a_small_screen(tmp_path, demo_master):
    done = subprocess.run(
        [
            sys.executable,
            ROOT / "scripts" / "screenshots.py",
            "--world",  # the run's demo world: around the script's day, with 60 people
            demo_master,
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


def _script_cut_off():
    """scripts/screenshots.py's check of a window (the script is no package)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from screenshots import cut_off
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return cut_off


def test_a_label_too_narrow_for_its_text_is_reported(qtbot):
    cut_off = _script_cut_off()
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
    found = cut_off(window, (300, 100))
    assert len(found) == 1 and "far too long" in found[0]


def test_a_window_grown_past_its_screen_is_reported(qtbot):
    """Qt grows a window to its layout's minimum: a top bar 1,437 px wide made a window
    sized to a 1366x768 screen wider than it, and no text was cut to say so."""
    cut_off = _script_cut_off()
    from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    row = QHBoxLayout(window)
    for _ in range(3):
        button = QPushButton("Sign out")
        button.setMinimumWidth(200)
        row.addWidget(button)
    window.resize(400, 100)  # asked for 400 wide; the buttons need over 600
    window.show()
    qtbot.waitExposed(window)
    assert window.width() > 400
    found = cut_off(window, (400, 100))
    assert any("past the 400x100 screen" in f for f in found), found
    window.resize(800, 100)
    assert cut_off(window, (800, 100)) == []
