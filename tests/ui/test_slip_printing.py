"""The hand-off slip printed from the counter screen on a real CUPS (cups-pdf queues): F7
prints it on the counter's slip printer; a stopped queue or a job that never comes out is
said in words and F7 prints the same slip again, journalled once."""

from __future__ import annotations

import os
import subprocess

import pytest
from cups_server import pdf_queues
from PySide6.QtCore import Qt

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from printing.printers import choose_slip_printer
from tests.ui.test_counter_window import applicant, english, journal, scan, speak  # noqa: F401
from tests.ui.test_strip_keys import key
from ui.counter_window import CounterScreen
from ui.language import Language
from ui.presenter import CounterPresenter

TAG = f"PokSlip{os.getpid()}"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cups")]


@pytest.fixture(scope="module")
def queues(cups_scheduler):
    """PAPER (a paper printer that prints: cups-pdf), STOPPED and HELD (holds every job)."""
    yield from pdf_queues(TAG, ("PAPER", "STOPPED", "HELD"))


@pytest.fixture
def screen(qtbot, demo_dir, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    kiosk.printing.poll = 0.1
    w = CounterScreen(CounterPresenter(kiosk, Actor("ann", Role.CLERK)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    yield w
    qtbot.waitUntil(lambda: not w.p.slips.printing, timeout=60_000)
    w.p.background.wait()
    w.preview.background.wait()
    kiosk.close()


def completed_jobs(queue: str) -> list[str]:
    done = subprocess.run(
        ["lpstat", "-W", "completed", "-o", queue], capture_output=True, text=True, check=False
    )
    return done.stdout.splitlines()


def pending_applicant(qtbot, w, manifest) -> str:
    p = applicant(manifest, "pending")
    scan(qtbot, w, p["code"] + "\n" + p["mrz"])
    assert w.handoff_button.isEnabled()
    return p["registration"]


def slip_ended(qtbot, w) -> None:
    qtbot.waitUntil(lambda: w.p.slips.slip is not None and not w.p.slips.printing, timeout=60_000)


def test_f7_prints_the_slip_on_the_counters_paper_printer(qtbot, queues, screen, manifest):
    w = screen
    choose_slip_printer(w.p.kiosk.data_dir, Counter.GROUPS, queues["PAPER"])
    registration = pending_applicant(qtbot, w, manifest)
    key(w, Qt.Key.Key_F7)
    slip_ended(qtbot, w)
    said = w.status.text()
    assert said.startswith(f"Hand-off slip for {registration} ({registration}.pdf): ")
    assert said.endswith(f"Slip printed on {queues['PAPER']}: give it to the applicant.")
    assert completed_jobs(queues["PAPER"]), "CUPS completed no job on the paper printer"
    assert w.focusWidget() is w.scan_field
    speak(Language.FR)
    assert w.status.text().startswith(f"Fiche de transmission pour {registration}")
    assert w.status.text().endswith(
        f"Fiche imprimée sur {queues['PAPER']} : la remettre au demandeur."
    )


def test_a_slip_that_does_not_print_is_said_and_f7_prints_the_same_slip_again(
    qtbot, queues, screen, manifest
):
    w = screen
    data_dir = w.p.kiosk.data_dir
    choose_slip_printer(data_dir, Counter.GROUPS, queues["STOPPED"])
    pending_applicant(qtbot, w, manifest)
    key(w, Qt.Key.Key_F7)
    slip_ended(qtbot, w)
    assert w.status.text().endswith(
        f"⚠ Slip not printed: Printer {queues['STOPPED']} did not print the slip (the printer "
        "has stopped): call a technician, or give the applicant the registration number. F7 "
        "prints it again."
    )
    assert w.handoff_button.text() == "Print the slip [F7]"  # none came out yet

    w.p.kiosk.printing.timeout = 1.0  # a held job: nothing comes out, it is cancelled
    choose_slip_printer(data_dir, Counter.GROUPS, queues["HELD"])
    key(w, Qt.Key.Key_F7)
    assert w.p.slips.printing and not w.handoff_button.isEnabled()
    slip_ended(qtbot, w)
    assert "(not out in time; cancelled)" in w.status.text()

    choose_slip_printer(data_dir, Counter.GROUPS, queues["PAPER"])
    key(w, Qt.Key.Key_F7)
    slip_ended(qtbot, w)
    assert w.status.text().endswith(f"Slip printed on {queues['PAPER']}: give it to the applicant.")
    assert w.handoff_button.text() == "Print the slip again [F7]"
    assert len(journal(w, "handoff")) == 1  # one hand-off, its slip printed three times
