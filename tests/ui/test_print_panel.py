"""The print panel against a real CUPS (cups-pdf queues): a stopped queue leaves the badge
`print failed` and the clerk sends it to another printer from the screen; a job held at
the printer is shown waiting and cancelled from the keyboard (F10 on the panel, Ctrl+F10
in the waiting strip, where Ctrl+F12 and Ctrl+F8 say why they do nothing).

The fixture starts `cupsd` when it is not running (and stops it afterwards), adds the
queues with `lpadmin` and deletes them at the end.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from cups_server import pdf_queues
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.wiring import open_kiosk
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from printing.printers import FOLDER, choose_printer, printed_dir
from tests.ui.test_counter_window import english, speak  # noqa: F401 (english: a fixture)
from tests.ui.test_strip_keys import CTRL, key
from ui.counter_window import CounterScreen
from ui.language import Language
from ui.presenter import CounterPresenter, PrintPhase
from ui.print_panel import PrinterDialog

TAG = f"PokUi{os.getpid()}"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cups")]


@pytest.fixture(scope="module")
def queues(cups_scheduler):
    """STOPPED (a queue stopped by a technician), HELD (holds every job) and CARD (a card
    printer that prints: cups-pdf)."""
    yield from pdf_queues(TAG, ("STOPPED", "HELD", "CARD"))


@pytest.fixture
def screen(qtbot, demo_dir, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    kiosk.printing.poll = 0.1
    w = CounterScreen(CounterPresenter(kiosk, Actor("ann", Role.CLERK)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    yield w
    w.p.background.wait()
    w.preview.background.wait()
    kiosk.close()


def issue(qtbot, w, manifest) -> None:
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    for line in [a["code"], *a["mrz"].splitlines()]:
        qtbot.keyClicks(w.scan_field, line)
        qtbot.keyClick(w.scan_field, Qt.Key.Key_Return)
    assert w.issue_button.isEnabled()
    qtbot.keyClick(w.scan_field, Qt.Key.Key_F12)


def phase(w) -> PrintPhase | None:
    return w.p.print.phase if w.p.print else None


def test_a_stopped_printer_fails_and_the_badge_goes_to_another(qtbot, queues, screen, manifest):
    w = screen
    choose_printer(w.p.kiosk.data_dir, Counter.GROUPS, queues["STOPPED"])
    issue(qtbot, w, manifest)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.FAILED, timeout=60_000)
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    serial = w.p.print.serial
    assert f"Printer {queues['STOPPED']} has stopped" in w.print_panel.detail.text()
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED
    assert w.print_panel.send_button.isVisible() and w.print_panel.send_button.isEnabled()

    offered: list[str] = []

    def choose_folder() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PrinterDialog):
            QTimer.singleShot(20, choose_folder)
            return
        names = [
            dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())
        ]
        offered.extend(names)
        dialog.list.setCurrentRow(names.index(FOLDER))
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_folder)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_F8)
    assert offered[0] == FOLDER and set(queues.values()) <= set(offered)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.PRINTED, timeout=60_000)
    assert w.p.print.serial == serial  # the same badge, printed elsewhere
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert (printed_dir(w.p.kiosk.data_dir) / f"{serial}.pdf").exists()
    assert [j.printer for j in w.p.kiosk.desk.prints.jobs(serial)] == [queues["STOPPED"], FOLDER]


def test_f8_then_enter_prints_on_the_counters_card_printer_never_the_pdf_folder(
    qtbot, queues, screen, manifest
):
    w = screen
    card = queues["CARD"]
    choose_printer(w.p.kiosk.data_dir, Counter.GROUPS, card)
    subprocess.run(["cupsdisable", card], check=True, capture_output=True)  # it stops…
    issue(qtbot, w, manifest)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.FAILED, timeout=60_000)
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    subprocess.run(["cupsenable", card], check=True, capture_output=True)  # …and is fixed
    serial = w.p.print.serial
    shown: dict[str, object] = {}

    def press_enter() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PrinterDialog):
            QTimer.singleShot(20, press_enter)
            return
        item = dialog.list.currentItem()
        shown["chosen"] = item.data(Qt.ItemDataRole.UserRole) if item else None
        texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        shown["folder"] = next(t for t in texts if t.startswith(FOLDER))
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_F8)
    assert shown["chosen"] == card  # the counter's card printer, never the PDF folder
    assert "PDF files only, no card is printed" in shown["folder"]
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.PRINTED, timeout=60_000)
    assert w.print_panel.headline.text() == f"Printed on {card}: hand badge {serial} over"
    assert w.banner.text() == "HAND THE BADGE OVER"  # a card came out: now it may be said
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert w.print_panel.undo_button.isVisible()  # a card was handed over: it may be undone


def test_a_job_held_at_the_printer_waits_and_can_be_cancelled(qtbot, queues, screen, manifest):
    w = screen
    choose_printer(w.p.kiosk.data_dir, Counter.GROUPS, queues["HELD"])
    issue(qtbot, w, manifest)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.WAITING, timeout=60_000)
    assert w.banner.text() == "PRINTING THE BADGE…"
    assert "is waiting for printer" in w.print_panel.detail.text()
    assert w.print_panel.cancel_button.isVisible()
    assert w.print_panel.cancel_button.text() == "Cancel printing [F10]"
    key(w, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.FAILED, timeout=60_000)
    assert w.focusWidget() is w.scan_field
    assert "was cancelled at printer" in w.print_panel.detail.text()
    assert w.p.kiosk.desk.prints.badge(w.p.print.serial).status is BadgeStatus.PRINT_FAILED


def test_the_strip_keys_over_a_badge_still_printing_say_why_and_ctrl_f10_cancels_it(
    qtbot, queues, screen, manifest
):
    w = screen
    choose_printer(w.p.kiosk.data_dir, Counter.GROUPS, queues["HELD"])
    issue(qtbot, w, manifest)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.WAITING, timeout=60_000)
    serial = w.p.print.serial
    key(w, Qt.Key.Key_Escape)  # the next applicant: the badge waits in the strip
    assert w.p.print is None and [v.serial for v in w.p.waiting] == [serial]
    row = w.strip.chosen_row()
    assert row is not None and row.cancel_button.text() == "Cancel printing [Ctrl+F10]"
    said = (
        f"Badge {serial} ({row.view.holder}) is still printing: nothing to retry or hand "
        "over yet. Wait for it, or cancel its printing [Ctrl+F10]."
    )
    for pressed in (Qt.Key.Key_F12, Qt.Key.Key_F8):
        w.p.say(lambda: "")
        key(w, pressed, CTRL)
        assert w.status.text() == said
        assert w.p.waiting[0].phase is PrintPhase.WAITING and w.p.print is None
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINTING
    speak(Language.FR)
    assert w.status.text().startswith(f"Le badge {serial}")
    speak(Language.EN)
    key(w, Qt.Key.Key_F10, CTRL)
    qtbot.waitUntil(lambda: w.p.waiting[0].phase is PrintPhase.FAILED, timeout=60_000)
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED
    assert w.p.print is None and w.focusWidget() is w.scan_field
