"""What every printer (CUPS queue or folder) offers, and how its troubles are told to a clerk.

A printer takes a PDF and gives back a job reference; asked about the job, it answers
with a `JobStatus`: waiting, printing, completed, cancelled or failed, and, while
something is wrong, the `Problem` in words a clerk understands, in English and French.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class JobState(StrEnum):
    """Where a print job stands."""

    WAITING = "waiting"  # queued, not printing yet
    PRINTING = "printing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        """True once the job will not change any more."""
        return self in (JobState.COMPLETED, JobState.CANCELLED, JobState.FAILED)


class Problem(StrEnum):
    """Printer troubles a clerk can act on."""

    OUT_OF_CARDS = "out_of_cards"
    JAMMED = "jammed"
    RIBBON = "ribbon"  # ribbon (the card printer's ink) used up
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    STOPPED = "stopped"  # the queue was stopped (by a technician, or after an error)
    REFUSING = "refusing"  # the queue accepts no jobs
    GONE = "gone"  # no such printer any more
    CANCELLED = "cancelled"  # the job was cancelled at the printer
    ABORTED = "aborted"  # the printer gave up on the job
    TIMEOUT = "timeout"  # the card did not come out in time
    UNREACHABLE = "unreachable"  # the print system (CUPS) does not answer
    UNWRITABLE = "unwritable"  # the print folder cannot be written
    LAYOUT = "layout"  # the badge template cannot lay this badge out
    PHOTO = "photo"  # the photo on file cannot be read
    INTERRUPTED = "interrupted"  # the kiosk stopped before the badge reached a printer
    PDF = "pdf"  # the badge's PDF cannot be written on this kiosk (disk full, folder broken)
    UNCANCELLED = "uncancelled"  # given up, but the print system could not cancel the job
    SETTINGS = "settings"  # the kiosk's printer settings (printers.json) cannot be read
    BADGE_KEY = "badge_key"  # the kiosk's badge key cannot be made: its id is another key's


# {printer} is the printer's name. Each says what happened and what to do.
MESSAGES: dict[Problem, tuple[str, str]] = {
    Problem.OUT_OF_CARDS: (
        "Printer {printer} is out of cards: load blank cards.",
        "L'imprimante {printer} n'a plus de cartes : charger des cartes vierges.",
    ),
    Problem.JAMMED: (
        "A card is jammed in printer {printer}: open it and remove the card.",
        "Une carte est coincée dans l'imprimante {printer} : l'ouvrir et retirer la carte.",
    ),
    Problem.RIBBON: (
        "Printer {printer} needs a new ribbon.",
        "L'imprimante {printer} a besoin d'un nouveau ruban.",
    ),
    Problem.COVER_OPEN: (
        "Printer {printer} is open: close its cover.",
        "L'imprimante {printer} est ouverte : refermer le capot.",
    ),
    Problem.OFFLINE: (
        "Printer {printer} is off or unplugged: check its power and cable.",
        "L'imprimante {printer} est éteinte ou débranchée : vérifier l'alimentation et le câble.",
    ),
    Problem.STOPPED: (
        "Printer {printer} has stopped: send the badge to another printer, or call a technician.",
        "L'imprimante {printer} est arrêtée : envoyer le badge à une autre imprimante, ou "
        "appeler un technicien.",
    ),
    Problem.REFUSING: (
        "Printer {printer} accepts no print jobs: choose another printer.",
        "L'imprimante {printer} n'accepte aucune impression : choisir une autre imprimante.",
    ),
    Problem.GONE: (
        "Printer {printer} no longer exists: choose another printer.",
        "L'imprimante {printer} n'existe plus : choisir une autre imprimante.",
    ),
    Problem.CANCELLED: (
        "The badge was cancelled at printer {printer}: retry, or send it to another printer.",
        "Le badge a été annulé sur l'imprimante {printer} : réessayer, ou l'envoyer à une "
        "autre imprimante.",
    ),
    Problem.ABORTED: (
        "Printer {printer} could not print the badge: retry, or send it to another printer.",
        "L'imprimante {printer} n'a pas pu imprimer le badge : réessayer, ou l'envoyer à une "
        "autre imprimante.",
    ),
    Problem.TIMEOUT: (
        "Printer {printer} did not print the badge in time; the job was cancelled: retry, or "
        "send it to another printer.",
        "L'imprimante {printer} n'a pas imprimé le badge à temps ; l'impression a été "
        "annulée : réessayer, ou l'envoyer à une autre imprimante.",
    ),
    Problem.UNREACHABLE: (
        "The print system does not answer: call a technician, or print to another printer.",
        "Le système d'impression ne répond pas : appeler un technicien, ou imprimer ailleurs.",
    ),
    Problem.UNWRITABLE: (
        "The print folder of {printer} cannot be written: choose another printer.",
        "Le dossier d'impression de {printer} n'est pas accessible en écriture : choisir une "
        "autre imprimante.",
    ),
    Problem.LAYOUT: (
        "The badge template cannot lay this badge out: call the pass office's administrator.",
        "Le modèle de badge ne peut pas mettre ce badge en page : appeler l'administrateur du "
        "bureau des badges.",
    ),
    Problem.PHOTO: (
        "The photo on file for this badge cannot be read: take a new photo of the applicant, "
        "then retry.",
        "La photo enregistrée pour ce badge est illisible : prendre une nouvelle photo du "
        "demandeur, puis réessayer.",
    ),
    Problem.INTERRUPTED: (
        "The kiosk stopped before the badge was sent to a printer: retry.",
        "Le kiosque s'est arrêté avant l'envoi du badge à une imprimante : réessayer.",
    ),
    Problem.SETTINGS: (
        "This kiosk's printer settings cannot be read: send the badge to a printer [F8], and "
        "call a technician.",
        "Les réglages d'imprimante de ce kiosque sont illisibles : envoyer le badge à une "
        "imprimante [F8], et appeler un technicien.",
    ),
    Problem.BADGE_KEY: (
        "This kiosk cannot sign badges: its badge key id is another key's. Call the "
        "administrator (the kiosk needs another KIOSK_BADGE_KEY_ID), then retry.",
        "Ce kiosque ne peut pas signer de badges : l'identifiant de sa clé est celui d'une "
        "autre clé. Appeler l'administrateur (il faut un autre KIOSK_BADGE_KEY_ID), puis "
        "réessayer.",
    ),
    Problem.PDF: (
        "The badge's PDF cannot be written on this kiosk: call a technician, then retry.",
        "Le PDF du badge ne peut pas être écrit sur ce kiosque : appeler un technicien, puis "
        "réessayer.",
    ),
    Problem.UNCANCELLED: (
        "The print system does not answer, so the badge's job at printer {printer} could "
        "not be cancelled: it may still print. Do not print the badge elsewhere: retry to "
        "follow that job again once the print system answers, or call a technician.",
        "Le système d'impression ne répond pas : l'impression du badge sur l'imprimante "
        "{printer} n'a pas pu être annulée et peut encore sortir. Ne pas imprimer le badge "
        "ailleurs : réessayer pour suivre cette impression quand le système répond, ou "
        "appeler un technicien.",
    ),
}


# Problems that keep a queue from printing until someone intervenes: a job waiting there
# is cancelled and the badge marked failed, so the clerk can send it elsewhere at once.
BLOCKING = frozenset({Problem.STOPPED, Problem.REFUSING, Problem.GONE, Problem.UNWRITABLE})


def clerk_message(problem: Problem, printer: str) -> tuple[str, str]:
    """What to tell the clerk about `problem` at `printer`, in English and French."""
    en, fr = MESSAGES[problem]
    return en.format(printer=printer), fr.format(printer=printer)


@dataclass(frozen=True)
class JobStatus:
    """A job's state and, while something is wrong, the problem; `detail` is for the log."""

    state: JobState
    problem: Problem | None = None
    detail: str = ""


@dataclass(frozen=True)
class PrinterInfo:
    """One printer as the `kiosk printers` list and the counter's printer choice show it."""

    name: str
    kind: str  # "cups" or "folder"
    description: str
    ready: bool  # accepts jobs and is not stopped
    problem: Problem | None = None
    detail: str = ""


class PrintError(Exception):
    """A printer refused a job; carries the problem and the clerk's message."""

    def __init__(self, problem: Problem, printer: str, detail: str = "") -> None:
        self.problem, self.printer, self.detail = problem, printer, detail
        self.message_en, self.message_fr = clerk_message(problem, printer)
        super().__init__(f"{self.message_en} ({detail})" if detail else self.message_en)


@dataclass(frozen=True)
class Media:
    """The card a badge is printed on, as the PDF's page gives it."""

    width_mm: float
    height_mm: float

    @property
    def landscape(self) -> bool:
        """True when the card is wider than tall."""
        return self.width_mm > self.height_mm


class Printer(Protocol):
    """A place badges are printed: a CUPS queue, or a folder."""

    name: str

    def submit(self, pdf: Path, title: str, media: Media) -> str:
        """Send `pdf` as one job; return the job's reference, or raise PrintError."""
        ...

    def status(self, job_ref: str) -> JobStatus:
        """Where job `job_ref` stands now."""
        ...

    def find(self, title: str, known: Collection[str]) -> str | None:
        """The reference of the newest job titled `title` that is none of `known` (a job
        taken just before the kiosk stopped), or None; PrintError if it cannot be asked."""
        ...

    def cancel(self, job_ref: str) -> None:
        """Cancel job `job_ref` if it has not finished."""
        ...

    def info(self) -> PrinterInfo:
        """The printer's state for the clerk."""
        ...
