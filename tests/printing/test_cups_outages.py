"""CUPS away, or one job followed twice.

CUPS itself away: `lp` says "The printer or class does not exist" of every queue when the
scheduler does not answer, and the clerk was told to choose another printer. The
scheduler is made unreachable for this process alone, as the CUPS clients allow
(CUPS_SERVER naming a socket nobody listens on), so other tests' printing goes on."""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from cups_server import pdf_queues
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from kiosk.store.schema import JournalRow
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


@pytest.fixture(scope="module")
def held(cups_scheduler):
    """A queue that holds every job until it is released (`lp -i JOB -H resume`)."""
    yield from pdf_queues(f"Held{os.getpid()}", ("HELD",))


def test_two_kiosks_on_one_folder_follow_the_same_job_to_one_end(
    held, demo_dir, demo_now, manifest
):
    """A second window on the same data folder (or a sign-in's resume while the card
    prints) follows the job too: whichever records its end second was told 'print job N
    is completed, not sent'. Both now say the badge printed, and it is journalled once."""
    first, second = (
        open_kiosk(demo_dir, Counter.GROUPS, "G7", clock=lambda: demo_now) for _ in range(2)
    )
    first.printing.poll = second.printing.poll = 0.1
    applicant = next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")
    serial = first.desk.issue(applicant["code"], read_mrz(applicant["mrz"]), ANN).badge.serial
    with ThreadPoolExecutor(2) as pool:
        printing = pool.submit(first.printing.print_badge, serial, held["HELD"], actor=ANN)
        while not (sent := first.desk.prints.open_jobs()) or sent[0].job_ref is None:
            assert not printing.done(), printing.result()
            time.sleep(0.02)
        resuming = pool.submit(second.printing.resume, actor=ANN)
        subprocess.run(["lp", "-i", sent[0].job_ref, "-H", "resume"], check=True)
        outcomes = [printing.result(timeout=60), *resuming.result(timeout=60)]
    assert [(o.serial, o.ok, o.status) for o in outcomes] == [
        (serial, True, BadgeStatus.ACTIVE)
    ] * 2
    with first.store.reading() as s:
        printed = s.scalars(
            select(JournalRow.id).where(
                JournalRow.action == "printed", JournalRow.badge_serial == serial
            )
        ).all()
    assert len(printed) == 1
    first.close(), second.close()


def test_a_job_cups_cannot_cancel_is_not_called_cancelled_nor_printed_twice(
    held, demo_dir, demo_now, manifest, tmp_path, monkeypatch
):
    """The card does not come out in time and CUPS stops answering: the job cannot be
    cancelled. The clerk was told "the job was cancelled: retry", the badge was marked
    failed, and the job printed when CUPS came back, besides the retry's card. Now the
    badge stays printing with the job, and the retry follows that job."""
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, "G7", clock=lambda: demo_now)
    kiosk.printing.poll, kiosk.printing.timeout = 0.1, 1.0
    applicant = next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")
    serial = kiosk.desk.issue(applicant["code"], read_mrz(applicant["mrz"]), ANN).badge.serial

    def cupsd_goes_away(_progress) -> None:
        monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "cups.sock"))

    outcome = kiosk.printing.print_badge(serial, held["HELD"], progress=cupsd_goes_away, actor=ANN)
    assert (outcome.ok, outcome.status, outcome.problem) == (
        False,
        BadgeStatus.PRINTING,
        Problem.UNCANCELLED,
    )
    assert "could not be cancelled: it may still print" in outcome.message_en
    monkeypatch.delenv("CUPS_SERVER")  # CUPS is back, and so is the job: it prints
    [job] = kiosk.desk.prints.jobs(serial)
    subprocess.run(["lp", "-i", job.job_ref, "-H", "resume"], check=True)
    kiosk.printing.timeout = 60.0  # bounds a failing run only
    again = kiosk.printing.print_badge(serial, held["HELD"], actor=ANN)  # the clerk's retry
    assert (again.ok, again.status) == (True, BadgeStatus.ACTIVE)
    assert [(j.job_ref, j.state) for j in kiosk.desk.prints.jobs(serial)] == [
        (job.job_ref, "completed")
    ]
    kiosk.close()
