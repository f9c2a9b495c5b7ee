"""Text from applicants and the office is shown as written, never read as HTML: a
surname typed on the accreditation platform as markup showed as a green VALID beside
the security post's verdict while every label was Qt's AutoText."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel

from app.wiring import open_kiosk, read_mrz
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.plain_label import ask_text, plain_tip
from ui.security_window import SecurityPresenter, SecurityScreen

MARKUP = '<b style="color:#1b5e20;font-size:60px">VALID</b>'
UI = Path(__file__).resolve().parents[2] / "ui"


@pytest.fixture
def post_with_markup_in_a_name(qtbot, demo_dir, manifest, demo_now):
    a = next(x for x in manifest["applicants"] if x["situation"] == "pool_photographer")
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # as the feed would bring it
        db.execute(
            "update people set surname = ? where id = "
            "(select person_id from accreditations where id = ?)",
            (MARKUP, a["accreditation_id"]),
        )
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    badge = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), Actor("ann", Role.CLERK)).badge
    guard = Actor("gus", Role.SECURITY)
    window = SecurityScreen(SecurityPresenter(kiosk.security_post(), kiosk.post_journal(), guard))
    qtbot.addWidget(window)
    window.show()
    yield window, kiosk.desk.cards.card(badge.serial).badge_code
    kiosk.close()


def test_a_name_written_as_markup_is_shown_as_written_at_the_security_post(
    qtbot, post_with_markup_in_a_name
):
    window, code = post_with_markup_in_a_name
    qtbot.keyClicks(window.scan_field, code)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    name = window.facts["name"]
    assert MARKUP.upper() in name.text().upper()  # the tags themselves are on screen
    labels = window.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_no_screen_makes_a_label_qt_would_read_as_html():
    """Every label in ui/ is a ui.plain_label.Label: a QLabel( call is a way back in."""
    found = []
    for path in sorted(UI.glob("*.py")):
        if path.name == "plain_label.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QLabel":
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "getText":  # QInputDialog's
                found.append(f"{path.name}:{node.lineno} (getText)")
            if isinstance(node, ast.ClassDef) and "QLabel" in [
                getattr(b, "id", "") for b in node.bases
            ]:
                found.append(f"{path.name}:{node.lineno} (class {node.name})")
    assert found == []


def test_a_tooltip_shows_markup_as_written():
    assert (
        plain_tip("<b>A</b> & B\nC")
        == "<p style='white-space:pre-wrap'>&lt;b&gt;A&lt;/b&gt; &amp; B\nC</p>"
    )


def test_a_text_dialog_shows_a_name_in_its_question_as_written(qtbot):
    seen = []

    def look_then_answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, look_then_answer)
            return
        seen.extend((label.text(), label.textFormat()) for label in dialog.findChildren(QLabel))
        dialog.setTextValue("wrong person")
        dialog.accept()

    QTimer.singleShot(0, look_then_answer)
    assert ask_text(None, "Undo hand-over", f"Why is the hand-over of {MARKUP} undone?") == (
        "wrong person"
    )
    assert (f"Why is the hand-over of {MARKUP} undone?", Qt.TextFormat.PlainText) in seen
    assert all(form == Qt.TextFormat.PlainText for _, form in seen)
