"""CUPS itself away: `lp` says "The printer or class does not exist" of every queue when
the scheduler does not answer, and the clerk was told to choose another printer. The
scheduler is made unreachable for this process alone, as the CUPS clients allow
(CUPS_SERVER naming a socket nobody listens on), so other tests' printing goes on."""

from __future__ import annotations

import os

import pytest
from cups_server import pdf_queues

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from printing.printer import Problem

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cups")]
ANN = Actor("ann", Role.CLERK)


@pytest.fixture(scope="module")
def queues(cups_scheduler):
    yield from pdf_queues(f"Out{os.getpid()}", ("A",))


def test_a_scheduler_that_does_not_answer_is_not_a_printer_gone(
    queues, demo_dir, demo_now, manifest, tmp_path, monkeypatch
):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, "G7", clock=lambda: demo_now)
    applicant = next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")
    serial = kiosk.desk.issue(applicant["code"], read_mrz(applicant["mrz"]), ANN).badge.serial
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "cups.sock"))  # cupsd away
    outcome = kiosk.printing.print_badge(serial, queues["A"], actor=ANN)
    assert (outcome.ok, outcome.status, outcome.problem) == (
        False,
        BadgeStatus.PRINT_FAILED,
        Problem.UNREACHABLE,
    )
    assert outcome.message_en.startswith("The print system does not answer")
    monkeypatch.delenv("CUPS_SERVER")  # back: the retry prints it, under its serial
    kiosk.printing.poll = 0.2
    again = kiosk.printing.print_badge(serial, queues["A"], actor=ANN)
    assert (again.ok, again.status) == (True, BadgeStatus.ACTIVE)
    kiosk.close()
