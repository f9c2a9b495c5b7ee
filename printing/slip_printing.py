"""The hand-off slip printed on paper: an A6 PDF (printing/handoff_pdf.py) sent to the
counter's slip printer and followed to its end, as a badge is (printing/badge_printing.py),
with the paper printer's troubles told to the clerk in English and French.

A slip is a copy of what the journal and the hub already hold, so its printing is not
journalled: a slip that did not print is printed again from the same PDF.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from printing.printer import BLOCKING, MESSAGES, JobState, Media, PrintError, Problem
from printing.printers import open_printer

A6 = Media(105.0, 148.0)  # portrait: the slip's page

# What a paper printer's trouble means for a slip ({printer} is its name).
SLIP_MESSAGES: dict[Problem, tuple[str, str]] = {
    Problem.OUT_OF_CARDS: (
        "Printer {printer} is out of paper: load A6 paper; the slip waits.",
        "L'imprimante {printer} n'a plus de papier : charger du papier A6 ; la fiche attend.",
    ),
    Problem.JAMMED: (
        "Paper is jammed in printer {printer}: open it and remove the sheet.",
        "Du papier est coincé dans l'imprimante {printer} : l'ouvrir et retirer la feuille.",
    ),
    Problem.RIBBON: (
        "Printer {printer} needs ink or toner.",
        "L'imprimante {printer} a besoin d'encre ou de toner.",
    ),
    Problem.COVER_OPEN: MESSAGES[Problem.COVER_OPEN],  # said as for a card printer
    Problem.OFFLINE: MESSAGES[Problem.OFFLINE],
}
NOT_PRINTED = (
    "Printer {printer} did not print the slip ({why}): call a technician, or give the "
    "applicant the registration number.",
    "L'imprimante {printer} n'a pas imprimé la fiche ({why}) : appeler un technicien, ou "
    "donner au demandeur le numéro d'enregistrement.",
)
WHY = {
    Problem.STOPPED: ("the printer has stopped", "l'imprimante est arrêtée"),
    Problem.REFUSING: ("it accepts no print jobs", "elle n'accepte aucune impression"),
    Problem.GONE: ("it no longer exists", "elle n'existe plus"),
    Problem.CANCELLED: ("cancelled at the printer", "annulée sur l'imprimante"),
    Problem.TIMEOUT: ("not out in time; cancelled", "pas sortie à temps ; annulée"),
    Problem.UNREACHABLE: ("the print system does not answer", "le système ne répond pas"),
    Problem.UNWRITABLE: ("its folder cannot be written", "son dossier est protégé"),
}


@dataclass(frozen=True)
class SlipProgress:
    """Where a slip's job stands while it is not finished."""

    printer: str
    problem: Problem | None
    message_en: str
    message_fr: str


@dataclass(frozen=True)
class SlipOutcome:
    """How a slip's printing ended."""

    printer: str
    ok: bool
    message_en: str
    message_fr: str


def slip_message(problem: Problem, printer: str) -> tuple[str, str]:
    """A paper printer's `problem` for a slip, in English and French."""
    if problem in SLIP_MESSAGES:
        en, fr = SLIP_MESSAGES[problem]
        return en.format(printer=printer), fr.format(printer=printer)
    why_en, why_fr = WHY.get(problem, ("it gave up", "elle a abandonné"))
    return (
        NOT_PRINTED[0].format(printer=printer, why=why_en),
        NOT_PRINTED[1].format(printer=printer, why=why_fr),
    )


def print_slip(
    pdf: Path,
    printer: str,
    data_dir: Path,
    progress: Callable[[SlipProgress], None] | None = None,
    poll: float = 0.5,
    timeout: float = 120.0,
) -> SlipOutcome:
    """Send the slip `pdf` to `printer` on A6 paper and follow the job until it ends: a
    queue that stops or refuses, a cancelled job, or no slip out after `timeout` seconds
    (the job is then cancelled) is a failed outcome in words, never an exception."""
    device = open_printer(printer, data_dir)
    try:
        job = device.submit(pdf, pdf.stem, A6)
    except PrintError as err:
        return _failed(printer, err.problem)
    deadline = time.monotonic() + timeout
    last = None
    while True:
        status = device.status(job)
        if status != last and progress and not status.state.finished:
            progress(_progress(printer, status.problem))
        last = status
        if status.state is JobState.COMPLETED:
            return SlipOutcome(
                printer,
                True,
                f"Slip printed on {printer}: give it to the applicant.",
                f"Fiche imprimée sur {printer} : la remettre au demandeur.",
            )
        if status.state.finished:
            return _failed(printer, status.problem or Problem.ABORTED)
        blocked = status.problem if status.problem in BLOCKING else None
        if blocked or time.monotonic() >= deadline:
            device.cancel(job)
            if device.status(job).state is JobState.COMPLETED:
                continue  # it came out as it was cancelled: said as printed above
            return _failed(printer, blocked or Problem.TIMEOUT)
        time.sleep(poll)


def _progress(printer: str, problem: Problem | None) -> SlipProgress:
    if problem is not None:
        en, fr = slip_message(problem, printer)
    else:
        en = f"Printing the slip on {printer}…"
        fr = f"Impression de la fiche sur {printer}…"
    return SlipProgress(printer, problem, en, fr)


def _failed(printer: str, problem: Problem) -> SlipOutcome:
    en, fr = slip_message(problem, printer)
    return SlipOutcome(printer, False, f"⚠ Slip not printed: {en}", f"⚠ Fiche non imprimée : {fr}")
