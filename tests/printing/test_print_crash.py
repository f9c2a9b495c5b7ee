"""The kiosk killed (SIGKILL) just after the printer took a badge's job, before the kiosk
recorded it: at the restart the badge was marked "the kiosk stopped before the badge was
sent to a printer: retry", and the retry printed the card a second time. Now the job is
recorded as being sent first, and the restart finds it at the printer and follows it.

A real child process issues and prints on the real printer (the folder printer, and a
cups-pdf queue through `lp`); it says when the printer has taken the job and waits
there, so that the kill lands in that very moment every time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cups_server import pdf_queues

from app.wiring import open_kiosk
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from printing.ipp import IppClient

pytestmark = pytest.mark.slow
ANN = Actor("ann", Role.CLERK)

CHILD = r"""
import sys, time
from datetime import datetime
from pathlib import Path
from app.wiring import open_kiosk, read_mrz
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from printing.cups import CupsPrinter
from printing.folder import FolderPrinter

data_dir, printer, code, mrz, at = Path(sys.argv[1]), *sys.argv[2:6]
kiosk = open_kiosk(data_dir, Counter.GROUPS, "G7", clock=lambda: datetime.fromisoformat(at))
for kind in (CupsPrinter, FolderPrinter):
    def taken(self, pdf, title, media, submit=kind.submit):
        ref = submit(self, pdf, title, media)
        print("TAKEN", ref, flush=True)  # the printer has the job; the kiosk has not noted it
        time.sleep(600)
    kind.submit = taken
clerk = Actor("ann", Role.CLERK)
serial = kiosk.desk.issue(code, read_mrz(mrz), clerk).badge.serial
print("ISSUED", serial, flush=True)
kiosk.printing.print_badge(serial, printer, actor=clerk)
"""


def kill_once_taken(data_dir: Path, printer: str, applicant: dict, at) -> tuple[str, str]:
    """Run the child until the printer took the badge's job, then SIGKILL it; return the
    badge's serial and the printer's job reference."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(data_dir),
            printer,
            applicant["code"],
            applicant["mrz"],
            at.isoformat(),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        issued, taken = child.stdout.readline().split(), child.stdout.readline().split()
        assert issued[:1] == ["ISSUED"] and taken[:1] == ["TAKEN"], child.stderr.read()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    return issued[1], taken[1]


def first_to_issue(manifest) -> dict:
    return next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")


def restarted(demo_dir: Path, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, "G7", clock=lambda: demo_now)
    kiosk.printing.poll = 0.2
    return kiosk


def test_the_folder_printer_card_is_found_after_the_kill_and_not_printed_again(
    demo_dir, demo_now, manifest
):
    serial, ref = kill_once_taken(demo_dir, "folder", first_to_issue(manifest), demo_now)
    kiosk = restarted(demo_dir, demo_now)
    try:
        [outcome] = kiosk.printing.resume(actor=ANN)  # as the screen does at sign-in
        assert (outcome.serial, outcome.ok, outcome.status) == (serial, True, BadgeStatus.ACTIVE)
        assert [(j.job_ref, j.state) for j in kiosk.desk.prints.jobs(serial)] == [
            (ref, "completed")
        ]
    finally:
        kiosk.close()
    assert sorted(p.name for p in (demo_dir / "printed").iterdir()) == [f"{serial}.pdf"]


def test_a_badge_print_after_the_kill_follows_the_job_the_printer_took(
    demo_dir, demo_now, manifest
):
    """The command line has no resume: `kiosk badge print` (print_badge) finds the job."""
    serial, _ref = kill_once_taken(demo_dir, "folder", first_to_issue(manifest), demo_now)
    kiosk = restarted(demo_dir, demo_now)
    try:
        outcome = kiosk.printing.print_badge(serial, actor=ANN)
        assert (outcome.ok, outcome.status) == (True, BadgeStatus.ACTIVE)
    finally:
        kiosk.close()
    assert [p.name for p in (demo_dir / "printed").iterdir()] == [f"{serial}.pdf"]


@pytest.fixture(scope="module")
def queue(cups_scheduler):
    for names in pdf_queues(f"Crash{os.getpid()}", ("A",)):
        yield names["A"]


@pytest.mark.xdist_group("cups")
def test_a_cups_job_taken_before_the_kill_is_followed_not_sent_again(
    queue, demo_dir, demo_now, manifest
):
    serial, ref = kill_once_taken(demo_dir, queue, first_to_issue(manifest), demo_now)
    kiosk = restarted(demo_dir, demo_now)
    try:
        [outcome] = kiosk.printing.resume(actor=ANN)
        assert (outcome.serial, outcome.ok, outcome.status) == (serial, True, BadgeStatus.ACTIVE)
    finally:
        kiosk.close()
    jobs = IppClient().jobs(queue, ["job-id", "job-name"])
    assert [f"{queue}-{j['job-id'][0]}" for j in jobs if j["job-name"] == [serial]] == [ref]
