"""Printing through CUPS: `lp` submits, `cancel` cancels, IPP follows jobs and queues.

A badge is sent with the card's media size (`media=Custom.53.98x85.6mm`, the short side
first) and the orientation its template was designed in, so a landscape badge is not
shrunk onto a portrait card. While a job waits, the queue's state reasons (RFC 8011
printer-state-reasons) are turned into problems a clerk can act on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path

from printing.ipp import NOT_FOUND, IppClient, IppError
from printing.printer import JobState, JobStatus, Media, PrinterInfo, PrintError, Problem

LP_TIMEOUT = 30  # seconds
JOB_ATTRIBUTES = ["job-state", "job-state-reasons", "job-printer-state-message"]
PRINTER_ATTRIBUTES = [
    "printer-name",
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "printer-info",
    "printer-make-and-model",
]
IDLE, PROCESSING, STOPPED = 3, 4, 5  # printer-state
JOB_STATES = {
    3: JobState.WAITING,  # pending
    4: JobState.WAITING,  # pending-held
    5: JobState.PRINTING,  # processing
    6: JobState.PRINTING,  # processing-stopped (the printer stopped under it)
    7: JobState.CANCELLED,
    8: JobState.FAILED,  # aborted
    9: JobState.COMPLETED,
}
# printer-state-reasons keywords (suffix -error/-warning/-report removed), most urgent first
REASONS = [
    (("media-jam",), Problem.JAMMED),
    (("media-empty", "media-needed", "input-tray-missing"), Problem.OUT_OF_CARDS),
    (("marker-supply-empty", "toner-empty", "marker-supply-missing"), Problem.RIBBON),
    (("cover-open", "door-open", "interlock-open"), Problem.COVER_OPEN),
    (("offline", "shutdown", "timed-out"), Problem.OFFLINE),
]
_REQUEST_ID = re.compile(r"request id is (\S+)-(\d+)")


def cups_installed() -> bool:
    """True when the CUPS command-line tools are on this machine."""
    return shutil.which("lp") is not None


class CupsPrinter:
    """One CUPS queue."""

    def __init__(self, name: str, client: IppClient | None = None) -> None:
        self.name = name
        self.client = client or IppClient()

    def submit(self, pdf: Path, title: str, media: Media) -> str:
        """`lp` the PDF; the job reference is CUPS's request id (QUEUE-N)."""
        short, long = sorted((media.width_mm, media.height_mm))
        args = [
            "lp",
            "-d",
            self.name,
            "-t",
            title,
            "-o",
            f"media=Custom.{short:g}x{long:g}mm",
            "-o",
            f"orientation-requested={4 if media.landscape else 3}",
            str(pdf),
        ]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=LP_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise PrintError(Problem.UNREACHABLE, self.name, str(err)) from err
        found = _REQUEST_ID.search(done.stdout)
        if done.returncode != 0 or not found:
            detail = (done.stderr or done.stdout).strip()
            problem = _lp_problem(detail)
            if problem is Problem.GONE:  # lp says so of every queue when cupsd is down too
                problem = self.info().problem or problem
            raise PrintError(problem, self.name, detail)
        return f"{found.group(1)}-{found.group(2)}"

    def status(self, job_ref: str) -> JobStatus:
        """The job's state from CUPS; while it waits or prints, the queue's problem if any."""
        try:
            job = self.client.job(_job_id(job_ref), JOB_ATTRIBUTES)
        except IppError as err:
            if err.status == NOT_FOUND:
                return JobStatus(JobState.FAILED, Problem.ABORTED, f"CUPS has no job {job_ref}")
            return JobStatus(JobState.WAITING, Problem.UNREACHABLE, str(err))
        state = JOB_STATES.get(_first(job, "job-state", 3), JobState.WAITING)
        reasons = ", ".join(job.get("job-state-reasons", []))
        if state is JobState.CANCELLED:
            return JobStatus(state, Problem.CANCELLED, reasons)
        if state is JobState.FAILED:
            return JobStatus(state, Problem.ABORTED, reasons)
        if state is JobState.COMPLETED:
            return JobStatus(state)
        queue = self.info()
        return JobStatus(state, queue.problem, queue.detail)

    def find(self, title: str, known: Collection[str]) -> str | None:
        """This queue's newest job named `title` that is none of `known`; PrintError
        (UNREACHABLE) when CUPS cannot be asked."""
        try:
            jobs = self.client.jobs(self.name, ["job-id", "job-name"])
        except IppError as err:
            if err.status == NOT_FOUND:
                return None  # the queue is gone, and its jobs with it
            raise PrintError(Problem.UNREACHABLE, self.name, str(err)) from err
        refs = [
            f"{self.name}-{_first(j, 'job-id', 0)}"
            for j in jobs
            if _first(j, "job-name", None) == title
        ]
        return max((r for r in refs if r not in known), key=_job_id, default=None)

    def cancel(self, job_ref: str) -> None:
        """`cancel` the job; a job that already finished is left as it is."""
        subprocess.run(["cancel", job_ref], capture_output=True, timeout=LP_TIMEOUT, check=False)

    def info(self) -> PrinterInfo:
        """The queue's state and problem, from IPP."""
        try:
            attrs = self.client.printer(self.name, PRINTER_ATTRIBUTES)
        except IppError as err:
            problem = Problem.GONE if err.status == NOT_FOUND else Problem.UNREACHABLE
            return PrinterInfo(self.name, "cups", "", False, problem, str(err))
        return printer_info(attrs)


def printer_info(attrs: dict[str, list]) -> PrinterInfo:
    """A queue's IPP attributes as the clerk's view of it.

    A stopped queue does not restart by itself, whatever stopped it: it is STOPPED, and
    its reasons (e.g. media-empty) go into the detail.
    """
    state = _first(attrs, "printer-state", IDLE)
    reasons = [r for r in attrs.get("printer-state-reasons", []) if r != "none"]
    if state == STOPPED:
        problem: Problem | None = Problem.STOPPED
    elif not _first(attrs, "printer-is-accepting-jobs", True):
        problem = Problem.REFUSING
    else:
        problem = _reason_problem(reasons)
    message = _first(attrs, "printer-state-message", "")
    return PrinterInfo(
        name=_first(attrs, "printer-name", ""),
        kind="cups",
        description=_first(attrs, "printer-info", "")
        or _first(attrs, "printer-make-and-model", ""),
        ready=problem is None,
        problem=problem,
        detail="; ".join(x for x in (message, ", ".join(reasons)) if x),
    )


def list_cups_printers(client: IppClient | None = None) -> list[PrinterInfo]:
    """Every CUPS queue on this machine (none when CUPS is not installed or not running)."""
    if not cups_installed():
        return []
    try:
        queues = (client or IppClient()).printers(PRINTER_ATTRIBUTES)
    except IppError:
        return []
    return sorted((printer_info(q) for q in queues), key=lambda p: p.name)


def _reason_problem(reasons: list[str]) -> Problem | None:
    errors = [r for r in reasons if not r.endswith(("-warning", "-report"))]
    keywords = {r.removesuffix("-error") for r in errors}
    for names, problem in REASONS:
        if keywords & set(names):
            return problem
    return None


def _lp_problem(detail: str) -> Problem:
    text = detail.lower()
    if "does not exist" in text or "not found" in text:
        return Problem.GONE
    if "not accepting" in text:
        return Problem.REFUSING
    if "connect" in text or "scheduler" in text:
        return Problem.UNREACHABLE
    return Problem.ABORTED


def _job_id(job_ref: str) -> int:
    return int(job_ref.rsplit("-", 1)[1])


def _first(attrs: dict[str, list], name: str, default):
    values = attrs.get(name)
    return values[0] if values else default
