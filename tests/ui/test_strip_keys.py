"""The waiting strip and the hand-over undo worked from the keyboard, as a clerk holding
a scanner would: real key events sent to the screen's window (through the application
to the focused scan field, which passes the keys up), on a private demo world whose
stopped kiosk left badges unprinted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from printing.printers import printed_dir
from tests.ui.test_counter_window import (
    CLERK,
    applicant,
    english,  # noqa: F401 (a fixture: back to English after a test in French)
    hand_over_a_pre_printed_card,
    issue_and_wait,
    on_next_dialog,
    scan,
    screen_at,  # noqa: F401 (a fixture)
    speak,
    supervisor_signs,
)
from ui.language import Language
from ui.presenter import PrintPhase

CTRL = Qt.KeyboardModifier.ControlModifier


def key(window, code: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """One key pressed and released, delivered to the window as the platform does."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(window.windowHandle(), QKeyEvent(kind, code, modifiers, ""))


@pytest.fixture
def left_behind(demo_dir, demo_now, manifest):
    """Two badges a stopped kiosk issued and never printed: the strip's rows at sign-in."""
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    serials = [
        kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), CLERK).badge.serial
        for a in (applicant(manifest, s) for s in ("approved_ministerial", "editor_letter"))
    ]
    kiosk.close()
    return serials


def strip_of(qtbot, screen_at, actor=CLERK):  # noqa: F811
    w = screen_at(actor=actor)
    qtbot.waitUntil(lambda: len(w.p.waiting) == 2 and not w.p.busy, timeout=60_000)
    return w


def status(w, serial: str) -> BadgeStatus:
    return w.p.kiosk.desk.prints.badge(serial).status


@pytest.mark.slow
def test_arrows_choose_a_row_and_ctrl_f12_retries_then_hands_it_over(
    qtbot,
    screen_at,  # noqa: F811
    left_behind,
):
    first, second = left_behind
    w = strip_of(qtbot, screen_at)
    top, below = w.strip.rows[:2]
    assert top.text.text().startswith("▶ ") and not below.text.text().startswith("▶")
    assert top.retry_button.text() == "Retry [Ctrl+F12]" and below.retry_button.text() == "Retry"
    assert top.send_button.text() == "Send to… [Ctrl+F8]"
    assert "↑ ↓ choose a badge" in w.strip.title.text()

    key(w, Qt.Key.Key_Down)  # the second row is chosen: its buttons name the keys now
    assert below.text.text().startswith("▶ ") and below.retry_button.text() == "Retry [Ctrl+F12]"
    assert top.retry_button.text() == "Retry"
    key(w, Qt.Key.Key_Down)  # no row below: it stays
    assert w.strip.chosen == second
    key(w, Qt.Key.Key_F12, CTRL)
    qtbot.waitUntil(lambda: w.p.find_print(second).phase is PrintPhase.PRINTED, timeout=60_000)
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    assert status(w, second) is BadgeStatus.ACTIVE
    assert status(w, first) is BadgeStatus.PRINT_FAILED  # the other row is untouched
    assert w.p.print is None  # nothing issued: F12's applicant is not the strip's
    assert below.done_button.text() == "Handed over [Ctrl+F12]"
    assert w.scan_field.hasFocus()

    key(w, Qt.Key.Key_F12, CTRL)  # handed over: it leaves, the remaining row is chosen
    assert [v.serial for v in w.p.waiting] == [first] and w.strip.chosen == first
    assert top.text.text().startswith("▶ ") and "choose" not in w.strip.title.text()
    assert w.scan_field.hasFocus()
    speak(Language.FR)
    assert top.retry_button.text() == "Réessayer [Ctrl+F12]"


@pytest.mark.slow
def test_ctrl_f8_sends_the_chosen_row_and_keys_do_not_act_while_its_dialog_is_open(
    qtbot,
    screen_at,  # noqa: F811
    left_behind,
):
    first, second = left_behind
    w = strip_of(qtbot, screen_at)
    key(w, Qt.Key.Key_Down)
    seen = []

    def in_dialog(d) -> None:
        seen.append(d.prompt.text())
        key(d, Qt.Key.Key_F12, CTRL)  # meant for the strip: the dialog keeps it
        key(d, Qt.Key.Key_Up)
        seen.append((w.p.busy, w.strip.chosen))
        d.reject()

    on_next_dialog(in_dialog)
    key(w, Qt.Key.Key_F8, CTRL)
    assert second in seen[0] and first not in seen[0]  # the dialog names the chosen badge
    assert seen[1] == (False, second)  # nothing retried, the row not changed
    assert status(w, second) is BadgeStatus.PRINT_FAILED and status(w, first) is status(w, second)
    assert w.focusWidget() is w.scan_field  # the keyboard's, once the window is active again


@pytest.mark.slow
def test_a_role_that_may_not_print_gets_nothing_from_the_strip_keys(
    qtbot,
    screen_at,  # noqa: F811
    left_behind,
):
    """The shell shows the counter only to roles that may print (clerk, supervisor) and
    the core requires the permission on every print: this is the screen's own guard,
    for a presenter acting for someone who may not issue."""
    w = strip_of(qtbot, screen_at)
    w.p.actor = Actor("sam", Role.SECURITY)
    opened = []

    def close_any() -> None:  # a printer dialog would block exec(): closed, and counted
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            opened.append(dialog)
            dialog.reject()

    watch = QTimer()
    watch.timeout.connect(close_any)
    watch.start(20)
    try:
        key(w, Qt.Key.Key_F12, CTRL)
        key(w, Qt.Key.Key_F8, CTRL)
        QCoreApplication.processEvents()
    finally:
        watch.stop()  # no watcher left to close a later test's dialog
    assert not w.p.busy and opened == []
    assert [status(w, s) for s in left_behind] == [BadgeStatus.PRINT_FAILED] * 2


@pytest.mark.slow
def test_f9_asks_a_supervisor_to_undo_the_hand_over_just_made(
    qtbot,
    screen_at,  # noqa: F811
    manifest,
    monkeypatch,
):
    w = screen_at()
    serial = hand_over_a_pre_printed_card(qtbot, w, manifest, monkeypatch)
    assert w.print_panel.undo_button.text() == "Undo hand-over… [F9]"
    supervisor_signs(qtbot, "supervisor", "222222", "handed to the wrong person")
    key(w, Qt.Key.Key_F9)
    assert status(w, serial) is BadgeStatus.PREPRINTED
    assert w.p.print.phase is PrintPhase.UNDONE and w.focusWidget() is w.scan_field


@pytest.mark.slow
def test_arrows_typed_in_the_press_card_form_stay_in_it(
    qtbot,
    screen_at,  # noqa: F811
    left_behind,
    manifest,
):
    first, _ = left_behind
    w = strip_of(qtbot, screen_at)
    scan(qtbot, w, applicant(manifest, "approved_ministerial")["code"])
    field = w.press_card_form.findChildren(QLineEdit)[0]
    qtbot.waitUntil(field.isVisible)
    field.setFocus()
    qtbot.waitUntil(lambda: w.window().focusWidget() is field)
    key(w, Qt.Key.Key_Down)
    assert w.strip.chosen == first  # the row stays, and so does the keyboard
    assert w.window().focusWidget() is field


@pytest.mark.slow
@pytest.mark.parametrize("lang", [Language.EN, Language.FR])
def test_badges_failing_one_after_another_keep_the_counter_within_a_1366x768_screen(
    qtbot,
    screen_at,  # noqa: F811
    manifest,
    lang,
):
    # With a failed badge on the panel and one or two in the strip, the window grew to 776
    # and 852 px, its F12 and Esc buttons off the bottom of the screen. The strip's rows
    # past the chosen one now scroll when space is short, the badge preview gets smaller.
    speak(lang)
    w = screen_at()
    folder = printed_dir(w.p.kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the print folder should be")
    for situation in ("editor_letter", "crew_group_letter", "pool_technician"):
        scan(qtbot, w, applicant(manifest, situation)["code"])
        scan(qtbot, w, applicant(manifest, situation)["mrz"])
        issue_and_wait(qtbot, w)
        assert w.p.print.phase is PrintPhase.FAILED
        assert w.minimumSizeHint().height() <= 768 - 50  # the shell's bar above it
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"] + "\n" + a["mrz"])
    qtbot.waitUntil(lambda: len(w.p.waiting) == 3 and not w.p.busy, timeout=60_000)
    assert w.minimumSizeHint().height() <= 768 - 50
    area = w.strip.area

    def in_view(row) -> bool:
        top = row.mapTo(area.viewport(), row.rect().topLeft()).y()
        return top >= 0 and top + row.height() <= area.viewport().height()

    for _ in range(2):  # each row chosen in turn comes into view
        key(w, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: in_view(w.strip.chosen_row()), timeout=10_000)
    assert w.strip.chosen == w.p.waiting[2].serial
