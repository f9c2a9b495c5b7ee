"""Printing through a real CUPS with the cups-pdf backend: a badge comes out as a PDF; a
stopped, held or cancelled job leaves the badge `print failed`; a retry elsewhere prints it.

The fixture starts `cupsd` when it is not running (and stops it afterwards), adds
cups-pdf queues with `lpadmin`, and deletes them and the PDFs they wrote at the end.
"""

from __future__ import annotations

import io
import os
import pwd
import re
import subprocess
import time
from pathlib import Path

import pytest
from cups_server import PPD
from pypdf import PdfReader
from pyzbar.pyzbar import decode
from reportlab.lib.units import mm

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from printing.cups import CupsPrinter, list_cups_printers, printer_info
from printing.ipp import IppClient
from printing.ipp import decode as ipp_decode
from printing.ipp import encode as ipp_encode
from printing.printer import JobState, Problem
from printing.printers import choose_printer, chosen_printer, list_printers

CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
TAG = f"Pok{os.getpid()}"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cups")]


def cups_pdf_out() -> Path:
    """Where cups-pdf writes the jobs of this user (its `Out` setting, ${HOME} expanded)."""
    out = "${HOME}/PDF"
    for line in CUPS_PDF_CONF.read_text().splitlines():
        if re.match(r"\s*Out\s", line):
            out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", pwd.getpwuid(os.getuid()).pw_dir))


@pytest.fixture(scope="module")
def cups(cups_scheduler):
    """Three cups-pdf queues: A and B print; HELD holds every job until released."""
    queues = {k: f"{TAG}{k}" for k in ("A", "B", "HELD")}
    for name in queues.values():
        subprocess.run(
            ["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(PPD)],
            check=True,
            capture_output=True,
        )
    subprocess.run(
        ["lpadmin", "-p", queues["HELD"], "-o", "job-hold-until-default=indefinite"],
        check=True,
        capture_output=True,
    )
    written: list[Path] = []
    yield queues, written
    for name in queues.values():
        subprocess.run(["cancel", "-a", name], capture_output=True)
        subprocess.run(["lpadmin", "-x", name], capture_output=True)
    for path in written:
        path.unlink(missing_ok=True)


ANN = Actor("ann", Role.CLERK)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, "G7", clock=lambda: demo_now)
    k.printing.poll = 0.2
    yield k
    k.close()


def issue(kiosk, manifest, situation: str = "approved_ministerial") -> str:
    a = next(a for a in manifest["applicants"] if a["situation"] == situation)
    return kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge.serial


def printed_pdfs(job_ref: str, written: list[Path], wait: float = 0.0) -> list[Path]:
    """The PDFs cups-pdf wrote for job `job_ref` (QUEUE-N: named "…job_N.pdf"), after up to
    `wait` seconds."""
    deadline = time.monotonic() + wait
    job_id = job_ref.rsplit("-", 1)[1]
    while True:
        found = sorted(cups_pdf_out().glob(f"*job_{job_id}.pdf"))
        if found or time.monotonic() >= deadline:
            written.extend(found)
            return found
        time.sleep(0.2)


def test_a_badge_printed_through_lp_comes_out_as_the_badge(cups, kiosk, manifest, tmp_path):
    (queues, written) = cups
    listed = {p.name: p for p in list_printers(kiosk.data_dir)}
    assert listed[queues["A"]].ready and listed[queues["A"]].kind == "cups"
    choose_printer(kiosk.data_dir, Counter.GROUPS, queues["A"])
    assert chosen_printer(kiosk.data_dir, Counter.GROUPS) == queues["A"]

    serial = issue(kiosk, manifest)
    seen = []
    outcome = kiosk.printing.print_badge(serial, progress=seen.append, actor=ANN)
    assert (outcome.ok, outcome.status, outcome.printer) == (True, BadgeStatus.ACTIVE, queues["A"])
    assert seen[-1].state is JobState.COMPLETED
    (job,) = kiosk.desk.prints.jobs(serial)
    assert job.job_ref.startswith(f"{queues['A']}-") and job.state == "completed"

    (pdf,) = printed_pdfs(job.job_ref, written, wait=10)
    page = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0]
    assert serial in page.extract_text()
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert sorted((width, height)) == pytest.approx([53.98 * mm, 85.60 * mm], abs=1.5)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", pdf, tmp_path / "out"], check=True
    )
    from PIL import Image

    image = Image.open(tmp_path / "out.png")
    symbols = {s.type: s.data.decode() for s in decode(image)}
    assert symbols["CODE128"] == serial
    assert set(symbols) == {"CODE128", "QRCODE"}  # the QR carries the signed badge code


def test_a_stopped_printer_fails_the_badge_and_another_printer_prints_it(cups, kiosk, manifest):
    (queues, written) = cups
    subprocess.run(["cupsdisable", "-r", "Card jam", queues["A"]], check=True)
    try:
        serial = issue(kiosk, manifest, "editor_letter")
        failed = kiosk.printing.print_badge(serial, queues["A"], actor=ANN)
        assert (failed.ok, failed.status, failed.problem) == (
            False,
            BadgeStatus.PRINT_FAILED,
            Problem.STOPPED,
        )
        assert failed.message_en.startswith(f"Printer {queues['A']} has stopped")
        assert "est arrêtée" in failed.message_fr
        (job,) = kiosk.desk.prints.jobs(serial)
        assert job.state == "failed" and "Card jam" in job.message
        stale = CupsPrinter(queues["A"]).status(job.job_ref)
        assert stale.state is JobState.CANCELLED  # cancelled: it cannot print later
        assert kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED

        again = kiosk.printing.print_badge(serial, queues["B"], actor=ANN)
        assert (again.ok, again.status, again.serial) == (True, BadgeStatus.ACTIVE, serial)
    finally:
        subprocess.run(["cupsenable", queues["A"]], check=True)
    stopped, done = kiosk.desk.prints.jobs(serial)
    assert [(j.printer, j.state) for j in (stopped, done)] == [
        (queues["A"], "failed"),
        (queues["B"], "completed"),
    ]
    (pdf,) = printed_pdfs(done.job_ref, written, wait=10)
    assert serial in PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    time.sleep(2)  # queue A runs again: the cancelled job must not come out
    assert printed_pdfs(stopped.job_ref, written) == []


def test_a_job_cancelled_while_waiting_and_a_job_that_never_prints(cups, kiosk, manifest):
    (queues, _) = cups
    serial = issue(kiosk, manifest)

    def clerk_cancels(progress):
        if progress.state is JobState.WAITING:
            assert kiosk.printing.cancel(serial)

    cancelled = kiosk.printing.print_badge(
        serial, queues["HELD"], progress=clerk_cancels, actor=ANN
    )
    assert (cancelled.ok, cancelled.problem) == (False, Problem.CANCELLED)
    assert "cancelled at printer" in cancelled.message_en

    kiosk.printing.timeout = 1.0
    late = kiosk.printing.print_badge(serial, queues["HELD"], actor=ANN)
    assert (late.ok, late.problem, late.status) == (
        False,
        Problem.TIMEOUT,
        BadgeStatus.PRINT_FAILED,
    )
    assert "did not print the badge in time" in late.message_en
    job = kiosk.desk.prints.jobs(serial)[-1]
    assert CupsPrinter(queues["HELD"]).status(job.job_ref).state is JobState.CANCELLED


def test_an_unknown_queue_is_gone(cups, kiosk, manifest):
    serial = issue(kiosk, manifest)
    outcome = kiosk.printing.print_badge(serial, f"{TAG}Nowhere", actor=ANN)
    assert (outcome.ok, outcome.problem) == (False, Problem.GONE)
    assert "no longer exists" in outcome.message_en
    assert CupsPrinter(f"{TAG}Nowhere").info().problem is Problem.GONE
    assert f"{TAG}A" in {p.name for p in list_cups_printers()}


@pytest.mark.parametrize(
    ("attrs", "problem"),
    [
        ({"printer-state": [3], "printer-state-reasons": ["none"]}, None),
        (
            {"printer-state": [4], "printer-state-reasons": ["media-empty-error"]},
            Problem.OUT_OF_CARDS,
        ),
        ({"printer-state": [4], "printer-state-reasons": ["media-needed"]}, Problem.OUT_OF_CARDS),
        ({"printer-state": [4], "printer-state-reasons": ["media-jam-error"]}, Problem.JAMMED),
        (
            {"printer-state": [4], "printer-state-reasons": ["marker-supply-empty-error"]},
            Problem.RIBBON,
        ),
        ({"printer-state": [4], "printer-state-reasons": ["cover-open"]}, Problem.COVER_OPEN),
        (
            {
                "printer-state": [4],
                "printer-state-reasons": ["offline-report", "media-low-warning"],
            },
            None,
        ),
        ({"printer-state": [4], "printer-state-reasons": ["offline"]}, Problem.OFFLINE),
        ({"printer-state": [5], "printer-state-reasons": ["media-empty-error"]}, Problem.STOPPED),
        ({"printer-state": [3], "printer-is-accepting-jobs": [False]}, Problem.REFUSING),
    ],
)
def test_queue_reasons_become_problems_a_clerk_can_act_on(attrs, problem):
    info = printer_info({"printer-name": ["Q"], **attrs})
    assert info.problem is problem
    assert info.ready is (problem is None)


def test_ipp_messages_round_trip():
    request = ipp_encode(
        0x0009,
        7,
        [
            (0x45, "job-uri", "ipp://localhost/jobs/3"),
            (0x44, "requested-attributes", ["job-state", "job-state-reasons"]),
        ],
    )
    assert request[:8] == bytes([2, 0, 0, 9, 0, 0, 0, 7])
    reply = bytes([2, 0, 0, 0, 0, 0, 0, 7, 0x02])
    reply += bytes([0x23, 0, 9]) + b"job-state" + bytes([0, 4, 0, 0, 0, 9])
    reply += bytes([0x44, 0, 17]) + b"job-state-reasons" + bytes([0, 4]) + b"none"
    reply += bytes([0x44, 0, 0, 0, 5]) + b"other" + bytes([0x03])
    parsed = ipp_decode(reply)
    assert parsed.status == 0
    assert parsed.group(0x02) == [{"job-state": [9], "job-state-reasons": ["none", "other"]}]


def test_ipp_client_asks_the_scheduler(cups):
    (queues, _) = cups
    attrs = IppClient().printer(queues["B"], ["printer-state", "printer-name"])
    assert attrs["printer-name"] == [queues["B"]]
