"""Hand-off slips on paper at the counter: the last slip written, and its printing on the
counter's slip printer (printing/slip_printing.py) beside the badges, on a thread of its
own so the counter is never held up; how it stands is said under the verdict while its
applicant is on screen, and only trouble once the clerk has turned to another."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from kiosk.services import Kiosk
from printing.printers import chosen_slip_printer
from printing.slip_printing import SlipOutcome, SlipProgress, print_slip
from ui.background import Background

Say = Callable[[str, str], None]  # a message in English and French, said on screen


@dataclass(frozen=True)
class Slip:
    """The hand-off slip written for an applicant: its PDF, and what it says in words."""

    subject: str | int
    reasons: tuple[str, ...]  # what the office must fix (kiosk/handoff.py OFFICE_FIXES)
    registration: str
    pdf: Path
    text_en: str
    text_fr: str


class SlipDesk:
    """The counter's slips: the last one written (`slip`), whether one is printing
    (`printing`), whether it came out of a printer yet (`printed`). `subject()` is the
    applicant on screen; `say` shows a message, `touch` redraws without one, `on_error`
    shows what went wrong."""

    def __init__(
        self,
        owner: QObject,
        kiosk: Kiosk,
        subject: Callable[[], str | int | None],
        say: Say,
        touch: Callable[[], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._work = Background(owner, threads=1)
        self.kiosk, self._subject = kiosk, subject
        self._say, self._touch, self._on_error = say, touch, on_error
        self.slip: Slip | None = None
        self.printing = False
        self.printed = False

    def print(self, slip: Slip) -> None:
        """Keep `slip` as the last one and print it on the counter's slip printer (none
        chosen: say so, the PDF stays)."""
        self.printed = self.printed and slip == self.slip
        self.slip = slip
        try:
            printer = chosen_slip_printer(self.kiosk.data_dir, self.kiosk.desk.counter)
        except ValueError as err:  # printers.json unreadable: said, the PDF stays
            self._on_error(err)
            return
        if printer is None:
            where = self.kiosk.desk.counter.value
            self._news(
                slip,
                "No slip printer is chosen for this counter: the slip is a PDF file only "
                f"(an administrator chooses one: kiosk printers --use NAME --counter {where}"
                " --slips).",
                "Aucune imprimante à fiches n'est choisie pour ce guichet : la fiche n'est "
                "qu'un fichier PDF (un administrateur en choisit une : kiosk printers --use "
                f"NOM --counter {where} --slips).",
            )
            return
        data_dir, printing = self.kiosk.data_dir, self.kiosk.printing
        poll, timeout = printing.poll, printing.timeout
        self.printing = True
        self._news(
            slip, f"Printing the slip on {printer}…", f"Impression de la fiche sur {printer}…"
        )

        def work(report):
            return print_slip(slip.pdf, printer, data_dir, report, poll, timeout)

        def ended(outcome: SlipOutcome) -> None:
            self.printing = False
            self.printed = self.printed or (outcome.ok and self.slip == slip)
            en, fr = outcome.message_en, outcome.message_fr
            if not outcome.ok and self._subject() == slip.subject:  # F7 is theirs
                en, fr = f"{en} F7 prints it again.", f"{fr} F7 l'imprime à nouveau."
            self._news(slip, en, fr, quiet=outcome.ok)

        def failed(exc: Exception) -> None:
            self.printing = False
            self._on_error(exc)

        def news(progress: SlipProgress) -> None:
            self._news(slip, progress.message_en, progress.message_fr, quiet=True)

        self._work.run(work, ended, failed, news)

    def _news(self, slip: Slip, en: str, fr: str, quiet: bool = False) -> None:
        """Say how `slip` stands, after what it asks the office to fix, while its applicant
        is on screen; once the clerk has turned to another, only trouble is said (`quiet`
        news is not)."""
        if self._subject() == slip.subject:
            self._say(f"{slip.text_en} {en}", f"{slip.text_fr} {fr}")
        elif not quiet:
            self._say(f"{slip.registration}: {en}", f"{slip.registration} : {fr}")
        else:
            self._touch()
