"""USB scanner bursts recognised by timing wherever the focus is; a clerk's typing untouched.

Key events go to the window, as the platform delivers real keystrokes (QTest's window
overloads), so they pass the application-wide event filter just as X11 keys do.
"""

from __future__ import annotations

import pytest
from key_events import clerk_presses, clerk_types, press, scanner_types
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from app.window import build_window
from kiosk.model import Counter
from scanning.keyboard_layout import MISMATCHES, retype
from ui.scanner_input import ScannerInput


@pytest.fixture
def window(qtbot, demo_dir, demo_now):
    w = build_window(demo_dir, Counter.GROUPS, clerk="ann", clock=lambda: demo_now)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def test_a_scanner_burst_goes_to_the_scan_not_into_the_field(qtbot, window, manifest):
    a = applicant(manifest, "approved_ministerial")
    scanner_types(window, a["code"])
    assert "SCAN THE ID DOCUMENT" in window.banner.text()
    assert window.scan_field.text() == ""
    for line in a["mrz"].splitlines():
        scanner_types(window, line)
    assert window.banner.text().startswith("ISSUE THE BADGE")
    applied = window.fields["document"][0].text()  # the store keeps "…" and the last 3
    assert applied.startswith("…") and window.fields["document"][1].text().endswith(applied[1:])


def test_a_scanner_set_to_end_with_tab_scans_and_the_focus_stays(qtbot, window, manifest):
    a = applicant(manifest, "approved_ministerial")
    window.scan_field.setFocus()
    scanner_types(window, a["code"], suffix="\t")
    assert "SCAN THE ID DOCUMENT" in window.banner.text()
    assert window.scan_field.text() == ""
    assert window.focusWidget() is window.scan_field  # the Tab was swallowed with the burst
    for line in a["mrz"].splitlines():
        scanner_types(window, line, suffix="\t")
    assert window.banner.text().startswith("ISSUE THE BADGE")


def test_a_tab_a_person_presses_still_moves_the_focus(qtbot, window):
    window.scan_field.setFocus()
    assert window.focusWidget() is window.scan_field
    for char in "ABC":
        clerk_presses(window, char)
    clerk_presses(window, "\t")
    assert window.scan_field.text() == "ABC"
    assert window.focusWidget() is not window.scan_field  # the Tab moved on: no scan
    assert window.banner.text().startswith("SCAN")  # nothing was scanned


@pytest.mark.slow
def test_a_burst_is_a_scan_even_while_a_dialog_has_the_focus(qtbot, window, manifest):
    dialog = QInputDialog(window)
    dialog.setLabelText("Supervisor name / Nom du superviseur")
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.findChild(QLineEdit)
    field.setFocus()
    scanner_types(dialog, applicant(manifest, "approved_annual")["code"])
    assert "VISITORS ENTRANCE" in window.banner.text()  # the presenter got the scan
    assert dialog.textValue() == ""  # and the supervisor's name field nothing
    clerk_types(qtbot, dialog, "Dupont")
    qtbot.waitUntil(lambda: dialog.textValue() == "Dupont", timeout=60_000)
    dialog.reject()


@pytest.mark.slow
def test_a_clerk_typing_into_the_field_is_not_taken_as_a_scan(qtbot, window):
    before = window.banner.text()
    clerk_types(qtbot, window, "G1-000042")
    qtbot.waitUntil(lambda: window.scan_field.text() == "G1-000042", timeout=60_000)
    assert window.banner.text() == before and window.status.text() == ""
    clerk_presses(window, "\r")  # Enter submits what was typed
    assert window.scan_field.text() == ""
    assert "That is badge G1-000042" in window.status.text()


def test_editing_keys_reach_the_field_as_typed(qtbot, window):
    clerk_types(qtbot, window, "AB")
    clerk_presses(window, "\b")
    qtbot.waitUntil(lambda: window.scan_field.text() == "A", timeout=60_000)


@pytest.mark.parametrize("mismatch", MISMATCHES, ids=str)
def test_a_scanner_on_the_wrong_keyboard_layout_still_scans(qtbot, window, manifest, mismatch):
    a = applicant(manifest, "approved_ministerial")
    scanner_types(window, retype(a["code"], mismatch))
    for line in a["mrz"].splitlines():
        scanner_types(window, retype(line, mismatch))
    assert window.banner.text().startswith("ISSUE THE BADGE")


def test_keys_held_for_a_burst_are_released_if_no_enter_follows(qtbot):
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.setFocus()
    scanners = ScannerInput()
    got = []
    scanners.scanned.connect(got.append)
    QApplication.instance().installEventFilter(scanners)
    try:
        for char in "SCANNER-WITHOUT-ENTER":
            press(field, char)
        assert field.text() == ""  # held: it may still be a scan
        qtbot.waitUntil(lambda: field.text() == "SCANNER-WITHOUT-ENTER", timeout=60_000)
        assert got == []
    finally:
        QApplication.instance().removeEventFilter(scanners)
