"""The counter screen's state: what was scanned, what was decided, what is printing.

The screen renders this object and calls its methods; only this object talks to the
counter desk and the badge printing. Issuing, printing, retrying, cancelling and the
start-up resume run off the UI thread (`ui.background.Background`) and report back on
it; a scan's decision is read at once (a few milliseconds). Messages are kept as
functions of the language, so a language switch retranslates what is already on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from kiosk import rules
from kiosk.chip_check import ChipLink
from kiosk.counter import Issuance, NotIssued, UndoRefused
from kiosk.handoff import office_fixes, slips_dir
from kiosk.model import BadgeStatus, Counter, Decision, IdReading, PressCardSeen, Status
from kiosk.roles import AccessDenied, Actor
from kiosk.services import Kiosk
from printing.printers import FOLDER
from scanning.wedge import ScanKind, route
from ui.background import Background
from ui.chip_state import ChipState
from ui.errors import in_words
from ui.language import pick
from ui.slip_desk import Slip, SlipDesk

if TYPE_CHECKING:
    from printing.printer import PrinterInfo

Note = Callable[[], str]  # a message, in the language the screen speaks when it is shown


class PrintPhase(StrEnum):
    """Where the badge just issued stands, as the print panel shows it."""

    SENDING = "sending"  # issued, on its way to the printer
    WAITING = "waiting"  # the printer has it (queued or printing)
    PROBLEM = "problem"  # the printer needs someone (out of cards, jammed…); still waiting
    PRINTED = "printed"  # printed: hand it over
    HANDED_OVER = "handed_over"  # a pre-printed card: take it from the tray
    FAILED = "failed"  # print failed: retry, or send it to another printer
    UNDONE = "undone"  # a supervisor undid the hand-over: the card waits, pre-printed

    @property
    def waiting(self) -> bool:
        """True while a printer still has the badge."""
        return self in (PrintPhase.SENDING, PrintPhase.WAITING, PrintPhase.PROBLEM)


@dataclass(frozen=True)
class PrintView:
    """What the print panel shows about one badge."""

    serial: str
    holder: str
    phase: PrintPhase
    printer: str = ""
    message_en: str = ""
    message_fr: str = ""
    pool: bool = False  # entitled to pool cards (handed out at the pool desk, not printed)
    pre_printed: bool = False  # a pre-printed card handed over from the tray: nothing printed

    @property
    def on_card(self) -> bool:
        """True when a card printer has (or had) it; the folder printer only writes a PDF."""
        return bool(self.printer) and self.printer != FOLDER


@dataclass(frozen=True)
class Issued:
    """The badge issued to the applicant on screen."""

    serial: str
    subject: str | int


def _ignore(_news: object) -> None:
    """Nothing to show (a decision journalled, news nobody follows)."""


def both(en: str, fr: str) -> Note:
    """A core text given in both languages, shown in the current one."""
    return lambda: pick(en, fr)


def holder_name(surname: str, given_names: str) -> str:
    """A name as the counter screen writes it: SURNAME, Given names."""
    return f"{surname.upper()}, {given_names}"


# The width of a TD1's three lines; no MRZ has two lines of it.
_TD1_WIDTH = 30


def _td1_begun(lines: list[str]) -> bool:
    """Whether the lines end with one or two of a TD1's: its third is still to come."""
    run = 0
    for line in reversed(lines):
        if len(line.strip()) != _TD1_WIDTH:
            break
        run += 1
    return run in (1, 2)


class CounterPresenter(QObject):
    """Turns scans into decisions and badges for the signed-in `actor`."""

    changed = Signal()  # the applicant, decision or message changed
    busy_changed = Signal(bool)
    print_changed = Signal()  # the print panel's badge, or the waiting strip, changed
    badge_changed = Signal(str)  # a badge was issued, printed or taken back: sync now

    def __init__(self, kiosk: Kiosk, actor: Actor, chip_reader: ChipLink | None = None) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.actor = actor
        self.subject: str | int | None = None  # a scanned code, or an id found by search
        self.reading: IdReading | None = None
        self.press_card: PressCardSeen | None = None  # the card the clerk recorded
        self.decision: Decision | None = None
        self.note: Note | None = None
        self.issued: Issued | None = None
        self.print: PrintView | None = None  # the badge of the applicant on screen
        # Other applicants' badges not handed over yet: print failed, still at a printer,
        # or printed after a retry from the strip (until the clerk says it was handed over).
        self.waiting: tuple[PrintView, ...] = ()
        self.revoked: str | None = None  # the badge just issued here, revoked since (sync)
        self.busy = False
        # Issuing and printing; a cancel must not wait behind the job it cancels.
        self.background = Background(self, threads=4)
        # Decisions shown, journalled off the paint path; one thread keeps their order.
        self._journal = Background(self, threads=1)
        self._approver: Actor | None = None  # a supervisor signed in for the action under way
        self._photo: tuple[int | None, bytes | None] = (None, None)
        self._mrz_lines: list[str] = []
        self.slips = SlipDesk(  # hand-off slips on paper, beside the badges
            self,
            kiosk,
            lambda: self.subject,
            lambda en, fr: self.say(both(en, fr)),
            self.changed.emit,
            self._on_error,
        )
        # The passport chip of the document scanned, when a reader is plugged in.
        self.chip = ChipState(chip_reader, self.background, self)
        self.chip.changed.connect(self._chip_changed)

    @property
    def counter(self) -> Counter:
        """The counter this kiosk stands at."""
        return self.kiosk.desk.counter

    @property
    def message(self) -> str:
        """The message under the verdict, in the current language."""
        return self.note() if self.note else ""

    def photo(self) -> bytes | None:
        """The current applicant's photo (read once per applicant, not at every repaint)."""
        case = self.decision.case if self.decision else None
        if case is None:
            return None
        if self._photo[0] != case.person.id:
            self._photo = (case.person.id, self.kiosk.desk.photo(case.person.id))
        return self._photo[1]

    def photo_replaced(self) -> None:
        """A new photo was put on file for the applicant on screen: read it, decide again."""
        self._photo = (None, None)
        self.refresh()

    # --- Scans ---------------------------------------------------------------------------

    @Slot(str)
    def scan(self, text: str) -> None:
        """Route one scanned line: a confirmation code, a line of an MRZ, a badge, or noise."""
        if not text.strip():
            return
        scan = route(text)
        if scan.kind is ScanKind.CODE:
            self._new_subject(scan.text)
        elif scan.kind is ScanKind.MRZ_LINE:
            self._mrz_line(scan.text)
        elif scan.kind is ScanKind.BADGE:
            serial = scan.text
            self.say(
                lambda: self.tr(
                    "That is badge {serial}, not a confirmation code: scan the code of the "
                    "confirmation e-mail."
                ).format(serial=serial)
            )
        else:
            self.say(lambda: self.tr("Not a confirmation code or an ID document line: scan again."))

    def choose(self, accreditation_id: int) -> None:
        """An accreditation found by search (no printout): the ID document must confirm who
        the applicant is before a badge can be issued."""
        self._new_subject(accreditation_id)
        if self.decision and self.reading is None:
            self.say(
                lambda: self.tr(
                    "Found by search: now scan the applicant's ID document to confirm who they are."
                )
            )

    def _new_subject(self, subject: str | int) -> None:
        """Decide on a new code or search result; a scan the core asks to scan again (a
        code cut short, `rules.scan_again`) leaves the applicant on screen as they were.

        With nobody on screen yet, what was scanned or recorded meanwhile (the ID
        document, its chip, the press card) is this applicant's: the clerk scans in the
        order things are handed over. Another applicant's code drops the last one's."""
        first = self.subject is None
        same = first or subject == self.subject
        card = self.press_card if same else None  # another applicant's code: not their card
        reading = self.reading if first else None  # the last applicant's document: not theirs
        decision = self.kiosk.desk.evaluate(
            subject, reading, self.chip.check() if first else None, card
        )
        if rules.asks_to_scan_again(decision):
            self.say(both(decision.headline_en, decision.headline_fr))
            return
        self._mrz_lines.clear()
        if not first:
            self.chip.forget()
        self.press_card = card
        self.subject, self.reading, self.issued, self.note = subject, reading, None, None
        self.revoked = None
        self._shelve_print()
        self._show(decision)

    def _mrz_line(self, line: str) -> None:
        from scanning.keyboard_layout import normalise_mrz
        from scanning.mrz import MrzError, parse

        self._mrz_lines.append(line)
        lines = self._mrz_lines[-3:]
        if _td1_begun(self._mrz_lines):
            return  # a scanner sends a line at a time: wait for the TD1's third line
        failure = None
        for n in (3, 2):  # TD1 has three lines, the others two
            if len(lines) < n:
                continue
            try:
                as_meant, _layout = normalise_mrz(lines[-n:])  # a scanner on the wrong layout
                reading = parse("\n".join(as_meant)).to_id_reading()
            except MrzError as err:
                failure = str(err)
                continue
            self._read(reading)
            return
        if failure is not None:
            self._unread(failure)
        self.changed.emit()

    def _unread(self, detail: str) -> None:
        """A document scanned but not read: the last one read is no longer what the clerk
        holds, so its reading leaves the verdict (an ISSUE on it must not stand)."""
        self.note = self._unread_mrz(detail)
        if self.reading is None or self.issued_here:
            return
        self.reading = None
        self.chip.forget()
        if self.subject is not None:
            self._evaluate()

    def _read(self, reading: IdReading) -> None:
        """An ID document read: the applicant on screen's, or, with nobody on screen, kept
        for the code scanned next. Once the applicant on screen has their badge, a document
        is the next applicant's: the screen turns to them first (as Esc does), so the last
        applicant's code never meets it."""
        if self.issued_here:
            self.clear()
        self._mrz_lines.clear()
        self.reading, self.note = reading, None
        self.chip.start(reading)
        if self.subject is not None:
            self._evaluate()
        else:
            self.say(lambda: self.tr("ID document read: now scan the confirmation code."))

    def _unread_mrz(self, detail: str) -> Note:
        return lambda: self.tr("ID document not read ({detail}): scan it again.").format(
            detail=detail
        )

    @Slot(str)
    def scan_mrz(self, text: str) -> None:
        """A whole MRZ at once (the camera reads all its lines together)."""
        self._mrz_lines.clear()
        for line in text.splitlines():
            self._mrz_line(line)

    def _evaluate(self) -> None:
        """Decide and show; the decision the clerk was shown is journalled on the journal
        worker meanwhile (one thread, so entries keep their order)."""
        assert self.subject is not None
        self._show(
            self.kiosk.desk.evaluate(self.subject, self.reading, self.chip.check(), self.press_card)
        )

    def _show(self, decision: Decision) -> None:
        """Show `decision` and journal it on the journal worker."""
        self.decision = decision
        self.changed.emit()
        desk, actor = self.kiosk.desk, self.actor
        self._journal.run(lambda: desk.record(decision, actor), _ignore, self._on_error)

    @Slot()
    def refresh(self) -> None:
        """New data came from the office (a sync round): decide again for the applicant
        on screen, notice when the badge just issued to them has been revoked, and take
        revoked badges out of the waiting strip (they must not be printed)."""
        if self.busy:
            return
        self._drop_revoked_waiting()
        if self.subject is None:
            return
        self.decision = self.kiosk.desk.evaluate(
            self.subject, self.reading, self.chip.check(), self.press_card
        )
        if self.issued_here and self.issued is not None:
            case = self.decision.case
            status = self.kiosk.desk.prints.badge(self.issued.serial).status
            if status is BadgeStatus.REVOKED or (
                case is not None and case.accreditation.status is Status.REVOKED
            ):
                self.revoked = self.issued.serial
                self.note = None  # "Badge … issued." no longer holds under BADGE REVOKED
        self.changed.emit()
        self.print_changed.emit()

    def _drop_revoked_waiting(self) -> None:
        final = (BadgeStatus.REVOKED, BadgeStatus.SUPERSEDED)
        prints = self.kiosk.desk.prints
        failed = [v for v in self.waiting if v.phase is PrintPhase.FAILED]
        gone = [v for v in failed if prints.badge(v.serial).status in final]
        if not gone:
            return
        self.waiting = tuple(v for v in self.waiting if v not in gone)
        names = ", ".join(f"{v.serial} ({v.holder})" for v in gone)
        self.say(
            lambda: self.tr(
                "Badge {badges} was revoked by the office: it left the waiting strip; do not "
                "print it."
            ).format(badges=names)
        )
        self.print_changed.emit()

    def set_press_card(self, card: PressCardSeen | None) -> None:
        """The press card the clerk saw (None: none recorded); decides again."""
        self.press_card = card
        if self.subject is not None and not self.issued_here:
            self._evaluate()
        else:
            self.changed.emit()

    def _chip_changed(self) -> None:
        """A chip read began or ended: decide again with its check."""
        if self.subject is not None and not self.chip.pending:
            self._evaluate()
        else:
            self.changed.emit()

    def journalled(self) -> None:
        """Wait for the decisions shown so far to be in the journal (a few ms at most)
        before an action that journals after them."""
        self._journal.wait(-1)

    def say(self, note: Note) -> None:
        """Show `note` under the verdict."""
        self.note = note
        self.changed.emit()

    def clear(self) -> None:
        """Start over for the next applicant (a badge still printing, or whose printing
        failed, moves to the waiting strip)."""
        self.subject = self.reading = self.decision = self.issued = self.note = None
        self.revoked = None
        self.press_card = None
        self._mrz_lines.clear()
        self.chip.forget()
        self._shelve_print()
        self.changed.emit()

    def _shelve_print(self) -> None:
        """The screen turns to another applicant: their predecessor's badge leaves the
        print panel, for the waiting strip if it still needs the clerk."""
        view = self.print
        if view is None:
            return
        self.print = None
        if view.phase.waiting or view.phase is PrintPhase.FAILED:
            self.waiting = (*self.waiting, view)
        self.print_changed.emit()

    def find_print(self, serial: str) -> PrintView | None:
        """The badge `serial` on the print panel or in the waiting strip."""
        if self.print and self.print.serial == serial:
            return self.print
        return next((v for v in self.waiting if v.serial == serial), None)

    def done_with(self, serial: str) -> None:
        """The clerk handed over a badge printed (or pre-printed) from the strip: it leaves
        the strip."""
        view = self.find_print(serial)
        done = (PrintPhase.PRINTED, PrintPhase.HANDED_OVER)
        if view is not None and view in self.waiting and view.phase in done:
            self.waiting = tuple(v for v in self.waiting if v.serial != serial)
            self.print_changed.emit()

    # --- Issuing and printing -------------------------------------------------------------

    def issue(self, supervisor: Actor | None = None, reason: str = "") -> None:
        """Issue (or, with a supervisor and a written reason, override: a reprint) and print.
        Not while the document's chip is being read: its check may refuse."""
        if self.busy or self.subject is None or self.chip.pending:
            if supervisor is not None:
                self.kiosk.staff.sign_out(supervisor)
            return
        self.journalled()
        subject, reading, actor, kiosk = self.subject, self.reading, self.actor, self.kiosk
        chip, card = self.chip.check(), self.press_card

        def work(progress):
            issuance = kiosk.desk.issue(subject, reading, actor, supervisor, reason, chip, card)
            progress(issuance)
            return kiosk.printing.after_issue(issuance, progress=progress, actor=actor)

        made: list[str] = []  # the badge this issue made, once it has reported it
        self._approver = supervisor
        self._run(
            work,
            lambda news: self._on_issue_progress(news, subject, made),
            self._on_printed,
            lambda exc: self._on_issue_failed(exc, subject, made[0] if made else None),
        )

    def retry_print(self, printer: str | None = None, serial: str | None = None) -> None:
        """Print a badge whose printing failed again (`serial`, else the one on the print
        panel), on `printer` (else the counter's)."""
        view = self.find_print(serial) if serial else self.print
        if self.busy or view is None or view.phase is not PrintPhase.FAILED:
            return
        kiosk, actor, serial = self.kiosk, self.actor, view.serial
        self._show_print(replace(view, phase=PrintPhase.SENDING, printer=printer or ""))

        def work(progress):
            return kiosk.printing.print_badge(serial, printer, progress, actor=actor)

        self._run(
            work,
            self._on_print_progress,
            self._on_printed,
            lambda exc: self._on_print_failed(exc, serial),
        )

    def cancel_print(self, serial: str | None = None) -> None:
        """Cancel the job of a badge waiting at a printer (`serial`, else the one on the
        print panel); it then shows as failed."""
        view = self.find_print(serial) if serial else self.print
        if view is None or not view.phase.waiting:
            return
        kiosk = self.kiosk
        self._run(
            lambda _report: kiosk.printing.cancel(view.serial),
            None,
            self._on_cancelled,
            self._on_error,
        )

    def resume_printing(self) -> None:
        """At start-up: badges a stopped kiosk left printing are marked failed, jobs sent
        before the stop are followed; the panel shows what needs the clerk."""
        if self.busy:
            return
        kiosk, actor = self.kiosk, self.actor

        def work(progress):
            outcomes = kiosk.printing.resume(progress, actor=actor)
            return [(o, kiosk.desk.cards.card(o.serial)) for o in outcomes]

        self._run(work, self._on_print_progress, self._on_resumed, self._on_error)

    @property
    def can_hand_off(self) -> bool:
        """Whether the decision on screen is a refusal the office can fix (kiosk/handoff.py)."""
        return bool(self.decision and office_fixes(self.decision) and not self.issued_here)

    @property
    def slip_made(self) -> bool:
        """Whether the applicant on screen has been given a hand-off slip already, for the
        refusal on screen (another refusal later is another hand-off)."""
        slip, decision = self.slips.slip, self.decision
        return bool(
            slip
            and decision
            and slip.subject == self.subject
            and slip.reasons == office_fixes(decision)
        )

    def hand_off(self) -> None:
        """Hand the refusal on screen to the office: journalled (it reaches the hub), its
        slip written as a PDF and printed on the counter's slip printer, what the office
        must fix said under the verdict. Again for the same applicant: the same slip is
        printed again (it is journalled once)."""
        if not self.can_hand_off or self.slips.printing:
            return
        if self.slip_made:
            assert self.slips.slip is not None
            self.slips.print(self.slips.slip)
            return
        decision, actor, kiosk, subject = self.decision, self.actor, self.kiosk, self.subject
        assert subject is not None
        self.journalled()

        def work():
            from printing.handoff_pdf import write_handoff  # reportlab, when first needed

            slip = kiosk.handoffs.hand_off(decision, actor)
            return slip, write_handoff(slip, slips_dir(kiosk.data_dir))

        self._journal.run(work, lambda done: self._handed_off(subject, *done), self._on_error)

    def _handed_off(self, subject: str | int, slip, pdf: Path) -> None:
        en = f"Hand-off slip for {slip.registration} ({pdf.name}): " + " ".join(slip.reasons_en)
        fr = f"Fiche de transmission pour {slip.registration} ({pdf.name}) : " + " ".join(
            slip.reasons_fr
        )
        self.slips.print(Slip(subject, slip.reasons, slip.registration, pdf, en, fr))

    def undo_handover(self, supervisor: Actor, reason: str) -> bool:
        """A supervisor takes back the badge just handed over in error: the card waits,
        pre-printed, until it is handed over. False (with the reason shown) if refused."""
        if not self.can_undo_handover:
            return False
        assert self.print is not None
        serial = self.print.serial
        self._approver = supervisor
        self.journalled()
        try:
            self.kiosk.desk.undo_handover(serial, supervisor, reason)
        except (AccessDenied, UndoRefused) as err:
            self.say(both(err.message_en, err.message_fr))
            return False
        finally:
            self._sign_out_approver()
        self.issued = None
        self._show_print(replace(self.print, phase=PrintPhase.UNDONE, message_en="", message_fr=""))
        self._evaluate()
        self.badge_changed.emit(serial)
        self.say(
            lambda: self.tr(
                "Hand-over of badge {serial} undone: keep the card; it waits, pre-printed."
            ).format(serial=serial)
        )
        return True

    @property
    def revoked_without_card(self) -> bool:
        """True when the badge revoked on screen never came out on a card (its print
        failed, or the folder printer wrote only a PDF): nothing to take back."""
        view = self.print
        return bool(
            self.revoked
            and view is not None
            and view.serial == self.revoked
            and (
                view.phase is PrintPhase.FAILED
                or (view.phase is PrintPhase.PRINTED and not view.on_card)
            )
        )

    @property
    def issued_here(self) -> bool:
        """True when the applicant on screen has just been issued a badge."""
        return bool(
            self.issued and self.subject is not None and self.issued.subject == self.subject
        )

    def printers(self) -> list[PrinterInfo]:
        """The printers a badge can be sent to (the folder printer, then CUPS queues)."""
        from printing.printers import list_printers

        return list_printers(self.kiosk.data_dir)

    def counter_printer(self) -> str:
        """The printer this counter prints on ("" while its settings cannot be read: the
        clerk then sends each badge to a printer of their choice)."""
        from printing.printers import PrinterSettingsInvalid, chosen_printer

        try:
            return chosen_printer(self.kiosk.data_dir, self.counter)
        except PrinterSettingsInvalid:
            return ""

    @property
    def can_undo_handover(self) -> bool:
        """True when the applicant on screen was just handed their badge: a card printed
        on a card printer, or a pre-printed one from the tray. Never after a PDF-only
        print: no card exists, and "undone" would send the clerk to a tray holding none."""
        view = self.print
        handed = view is not None and (
            view.phase is PrintPhase.HANDED_OVER
            or (view.phase is PrintPhase.PRINTED and view.on_card)
        )
        return bool(
            not self.busy
            and self.revoked is None
            and self.issued_here
            and handed
            and view.serial == self.issued.serial
        )

    def _run(self, work, progress, done, failed) -> None:
        """Start `work(report)` in the background; busy until it ends."""
        self._set_busy(True)
        self.background.run(work, self._then_end(done), self._then_end(failed), progress or _ignore)

    def _then_end(self, callback: Callable[[object], None]) -> Callable[[object], None]:
        def call(result: object) -> None:
            callback(result)
            self._job_ended()

        return call

    def _job_ended(self) -> None:
        if self._approver is not None and not self.background.busy:
            self._sign_out_approver()
        self._set_busy(self.background.busy)

    def _sign_out_approver(self) -> None:
        """A supervisor signs in at a clerk's counter for one action only."""
        approver, self._approver = self._approver, None
        if approver is not None:
            self.kiosk.staff.sign_out(approver)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _show_print(self, view: PrintView | None) -> None:
        """Put `view` where its badge is shown: the strip if it is there, else the panel."""
        if view is not None and any(v.serial == view.serial for v in self.waiting):
            self.waiting = tuple(view if v.serial == view.serial else v for v in self.waiting)
        else:
            self.print = view
        self.print_changed.emit()

    def _on_issue_progress(self, news: object, subject: str | int, made: list[str]) -> None:
        """The issue of `subject` reported: its badge (noted in `made`) goes to the print
        panel, or to the waiting strip when the clerk has turned to the next applicant
        (Esc) meanwhile."""
        if not isinstance(news, Issuance):
            self._on_print_progress(news)
            return
        badge, case = news.badge, news.decision.case
        assert case is not None
        serial = badge.serial
        made.append(serial)
        holder = holder_name(case.person.surname, case.person.given_names)
        view = PrintView(
            serial,
            holder,
            PrintPhase.SENDING,
            pool=case.accreditation.pool,
            pre_printed=news.handed_over,
        )
        if subject != self.subject:  # as Esc would have shelved it had the news come first
            self.waiting = (*self.waiting, view)
            self.print_changed.emit()
            self.badge_changed.emit(serial)
            return
        self.issued = Issued(serial, subject)
        self._show_print(view)
        old = ", ".join(news.superseded)
        if old:
            self.note = lambda: self.tr(
                "Badge {serial} issued; it replaces {old}, which security now refuses."
            ).format(serial=serial, old=old)
        else:
            self.note = lambda: self.tr("Badge {serial} issued.").format(serial=serial)
        self.changed.emit()
        self.badge_changed.emit(serial)

    @Slot(object)
    def _on_print_progress(self, news: object) -> None:
        view = self.find_print(getattr(news, "serial", None) or "")
        if view is None:
            return  # a job followed at start-up: its outcome tells the clerk
        phase = PrintPhase.PROBLEM if news.problem else PrintPhase.WAITING
        self._show_print(
            replace(
                view,
                phase=phase,
                printer=news.printer,
                message_en=news.message_en,
                message_fr=news.message_fr,
            )
        )

    @Slot(object)
    def _on_printed(self, outcome) -> None:
        view = self.find_print(outcome.serial)
        if view is None:
            return
        phase = (
            (PrintPhase.HANDED_OVER if view.pre_printed else PrintPhase.PRINTED)
            if outcome.ok
            else PrintPhase.FAILED
        )
        self._show_print(
            replace(
                view,
                phase=phase,
                printer=outcome.printer,
                message_en=outcome.message_en,
                message_fr=outcome.message_fr,
            )
        )
        self.changed.emit()
        self.badge_changed.emit(outcome.serial)

    @Slot(object)
    def _on_resumed(self, found: list) -> None:
        """Badges a stopped kiosk left behind go to the waiting strip: failed ones to
        print again, printed ones to hand over."""
        views = tuple(
            PrintView(
                outcome.serial,
                holder_name(card.surname, card.given_names),
                PrintPhase.PRINTED if outcome.ok else PrintPhase.FAILED,
                outcome.printer,
                outcome.message_en,
                outcome.message_fr,
                card.pool,
            )
            for outcome, card in found
        )
        if views:
            known = {v.serial for v in views}
            self.waiting = (*(v for v in self.waiting if v.serial not in known), *views)
            self.print_changed.emit()

    @Slot(object)
    def _on_cancelled(self, cancelled: bool) -> None:
        if not cancelled:
            self.say(lambda: self.tr("Nothing to cancel: the badge has not reached a printer."))

    def _on_issue_failed(self, exc: Exception, subject: str | int, serial: str | None) -> None:
        """The issue of `subject` was refused or failed (after making badge `serial`, or
        before making any: None); a refusal for an applicant the clerk has left (Esc) is
        said with their name, over the applicant now on screen."""
        if isinstance(exc, NotIssued):
            decision, case = exc.decision, exc.decision.case
            left = subject != self.subject
            who = holder_name(case.person.surname, case.person.given_names) if case else subject
            if not left:
                self.decision = decision
            self.say(
                lambda: self.tr("Not issued: {why}").format(
                    why=(f"{who}: " if left else "")
                    + pick(decision.headline_en, decision.headline_fr)
                )
            )
            return
        self._on_print_failed(exc, serial)

    def _on_print_failed(self, exc: Exception, serial: str | None) -> None:
        """Printing badge `serial` stopped on an error (None: no badge was made, a general
        failure): the badge is never lost; it can be printed again."""
        view = self.find_print(serial) if serial else None
        if view is not None and view.phase.waiting:
            self._show_print(replace(view, phase=PrintPhase.FAILED, message_en="", message_fr=""))
        self._on_error(exc)

    @Slot(object)
    def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, AccessDenied):
            self.say(both(exc.message_en, exc.message_fr))
            return
        en, fr = in_words(exc)  # an unexpected error's detail goes to the log, not the screen
        self.say(
            lambda: self.tr("Something went wrong; nothing was lost. Try again. ({detail})").format(
                detail=pick(en, fr)
            )
        )
