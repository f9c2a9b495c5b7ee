"""Guard against a Qt binding that drops references to None.

PySide6 6.12.0 on Python 3.11 returns None from every void method without counting
the reference: None's count (about 4,500 at start) falls by one per call and the
kiosk aborts ("deallocating None") after a few hundred scans. pyproject.toml pins
PySide6 below 6.12; this test fails if an upgrade brings the bug back.
"""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtWidgets import QLabel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
@pytest.mark.slow
def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
        label.setStyleSheet("color: black;")
    gc.collect()
    assert sys.getrefcount(None) >= before - 50
