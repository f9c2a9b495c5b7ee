"""The counter screen driven as a clerk with a USB scanner would: keys and Enter only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.model import Counter
from ui.main import build_window


@pytest.fixture
def window_at(qtbot, demo_dir, demo_now):
    def make(counter: Counter):
        w = build_window(demo_dir, counter, clerk="ann", clock=lambda: demo_now)
        qtbot.addWidget(w)
        w.show()
        return w

    return make


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def scan(qtbot, window, text: str) -> None:
    """Type one scanned line into whatever has focus, as a keyboard-wedge scanner does."""
    for line in text.splitlines():
        qtbot.keyClicks(window.scan_field, line)
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)


def test_scan_code_then_id_then_issue_and_print(qtbot, window_at, manifest, demo_dir):
    w = window_at(Counter.GROUPS)
    a = applicant(manifest, "approved_ministerial")
    assert w.focusWidget() is w.scan_field  # what a scanner types lands there
    scan(qtbot, w, a["code"])
    assert "SCAN THE ID DOCUMENT" in w.banner.text()
    assert not w.issue_button.isEnabled()
    assert w.fields["name"][0].text().startswith("LEFÈVRE")
    scan(qtbot, w, a["mrz"])
    assert w.banner.text().startswith("ISSUE THE BADGE")
    assert w.issue_button.isEnabled()
    assert w.fields["document"][1].text() == w.fields["document"][0].text()
    assert not w.photo.pixmap().isNull()

    qtbot.keyClick(w.scan_field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: "issued" in w.status.text(), timeout=10_000)
    serial = w.p.issued.serial
    assert (demo_dir / "badges" / f"{serial}.pdf").read_bytes().startswith(b"%PDF")
    # The same applicant now has a badge: the screen says a supervisor is needed.
    assert "SUPERVISOR" in w.banner.text()
    assert not w.issue_button.isEnabled()


def test_wrong_counter_is_told_where_to_go(qtbot, window_at, manifest):
    w = window_at(Counter.GROUPS)
    a = applicant(manifest, "approved_annual")
    scan(qtbot, w, a["code"])
    assert "VISITORS ENTRANCE" in w.banner.text()
    assert "Annual badges are handed out at" in w.headline.text()


def test_mismatched_document_is_highlighted(qtbot, window_at, manifest):
    w = window_at(Counter.GROUPS)
    a = applicant(manifest, "impostor_document")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    assert w.banner.text().startswith("REFUSE")
    assert "color: #b71c1c" in w.fields["name"][1].styleSheet()
    assert "color: #b71c1c" not in w.fields["expiry"][1].styleSheet()


def test_noise_is_rejected_and_changes_nothing(qtbot, window_at, manifest):
    w = window_at(Counter.GROUPS)
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    before = w.banner.text()
    scan(qtbot, w, "hello world")
    assert "Not a confirmation code" in w.status.text()
    assert w.banner.text() == before


def test_escape_clears_for_the_next_applicant(qtbot, window_at, manifest):
    w = window_at(Counter.GROUPS)
    scan(qtbot, w, applicant(manifest, "pending")["code"])
    assert w.banner.text().startswith("REFUSE")
    qtbot.keyClick(w.scan_field, Qt.Key.Key_Escape)
    assert w.banner.text().startswith("SCAN THE CONFIRMATION CODE")
    assert w.fields["name"][0].text() == ""
