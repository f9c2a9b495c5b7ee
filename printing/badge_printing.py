"""Printing badges: render, send, follow each job to its end, record every step.

`BadgePrinting` moves a badge through its print states with `PrintStates`
(kiosk/print_states.py), which writes each change and its journal entry in one
transaction:

    printing --job completed--> active (at the counter) or pre-printed (batch)
    printing --job failed, cancelled, printer stopped or gone, timeout--> print failed
    print failed --retry, on the same or another printer--> printing (same serial)

A badge is never issued twice (the serial stays, one row per badge) and never lost (a
failure leaves it waiting in `print failed`; a kiosk that stopped mid-way finds its
unfinished jobs with `resume`). The calls block while the printer works: the counter
screen runs them on a worker thread and shows each `PrintProgress` it is handed. Every
call names the signed-in `Actor` it acts for; the print states check the role may do it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.badge_cards import BadgeCards
from kiosk.counter import CounterDesk, Issuance
from kiosk.model import Badge, BadgeStatus, PrintPurpose
from kiosk.print_states import NotPreprinted, PrintJob, PrintStateError, PrintStates, print_action
from kiosk.private import write_private
from kiosk.roles import Actor, allowed, require
from kiosk.services import KeyConflict
from printing.badge_pdf import PhotoUnreadable, badge_pdf_bytes
from printing.badge_template import TemplateBook, TemplateError
from printing.printer import (
    BLOCKING,
    JobState,
    JobStatus,
    Media,
    Printer,
    PrintError,
    Problem,
    clerk_message,
)
from printing.printers import PrinterSettingsInvalid, chosen_printer, open_printer

POLL = 0.5  # seconds between two looks at a job
TIMEOUT = 120.0  # a card printer prints a card in well under a minute


@dataclass(frozen=True)
class PrintProgress:
    """What the counter screen shows while a badge prints."""

    serial: str
    printer: str
    state: JobState
    problem: Problem | None
    message_en: str
    message_fr: str


@dataclass(frozen=True)
class PrintOutcome:
    """How printing a badge ended, in words for the clerk."""

    serial: str
    printer: str
    ok: bool
    status: BadgeStatus
    message_en: str
    message_fr: str
    pdf: Path | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class BatchReport:
    """A pre-printing run: what was printed, what failed and why, what was not tried."""

    batch: str
    event_id: str
    printed: tuple[PrintOutcome, ...]
    failed: tuple[PrintOutcome, ...]
    not_tried: tuple[str, ...] = ()  # serials or registrations left when the printer stopped


class BadgeNotPrinted(Exception):
    """Printing failed; the badge waits in `print failed` for a retry."""

    def __init__(self, outcome: PrintOutcome) -> None:
        self.outcome = outcome
        super().__init__(outcome.message_en)


Progress = Callable[[PrintProgress], None]
BatchProgress = Callable[[int, int, PrintOutcome], None]  # done, total, last outcome


class BadgePrinting:
    """Prints the badges of one kiosk."""

    def __init__(
        self,
        prints: PrintStates,
        cards: BadgeCards,
        data_dir: Path,
        templates: TemplateBook,
        poll: float = POLL,
        timeout: float = TIMEOUT,
    ) -> None:
        self.prints = prints
        self.cards = cards
        self.data_dir = data_dir
        self.templates = templates
        self.poll = poll
        self.timeout = timeout

    @property
    def badges_dir(self) -> Path:
        """Where each badge's PDF is kept (what was sent to the printer)."""
        return self.data_dir / "badges"

    @property
    def printer_name(self) -> str:
        """The printer this counter prints on."""
        return chosen_printer(self.data_dir, self.prints.counter)

    def render(self, serial: str) -> tuple[Path, Media]:
        """Write badge `serial`'s PDF from its template; TemplateError or ValueError if the
        template cannot lay it out."""
        card = self.cards.card(serial)
        template = self.templates.for_card(card)
        # The PDF shows a name and a photo: owner-only, like the store.
        pdf = write_private(self.badges_dir / f"{serial}.pdf", badge_pdf_bytes(card, template))
        return pdf, Media(*template.size_mm)

    def print_issued(self, serial: str, actor: Actor) -> Path:
        """Print badge `serial` (just issued) on this counter's printer and return its PDF;
        BadgeNotPrinted if printing failed (the badge then waits in `print failed` for a
        retry). A pre-printed card just handed over (active) is not printed again: its PDF
        is only written for the record."""
        if self.prints.badge(serial).status is BadgeStatus.ACTIVE:
            return self.render(serial)[0]
        outcome = self.print_badge(serial, actor=actor)
        if not outcome.ok:
            raise BadgeNotPrinted(outcome)
        assert outcome.pdf is not None
        return outcome.pdf

    def after_issue(
        self,
        issuance: Issuance,
        printer: str | None = None,
        progress: Progress | None = None,
        *,
        actor: Actor,
    ) -> PrintOutcome:
        """Finish an issuance: print the badge, unless a pre-printed card was handed over."""
        badge = issuance.badge
        if issuance.handed_over:
            return PrintOutcome(
                badge.serial,
                "",
                True,
                badge.status,
                f"Badge {badge.serial} was pre-printed: hand it over.",
                f"Le badge {badge.serial} a été pré-imprimé : le remettre.",
                self.badges_dir / f"{badge.serial}.pdf",
            )
        return self.print_badge(badge.serial, printer, progress, actor=actor)

    def print_badge(
        self,
        serial: str,
        printer: str | None = None,
        progress: Progress | None = None,
        batch: str | None = None,
        *,
        actor: Actor,
    ) -> PrintOutcome:
        """Print badge `serial` (printing, or print failed: a retry) on `printer` (else the
        counter's) and follow the job to its end. PrintStateError if the badge is in no
        state to print or a job for it is still open.

        A retry keeps the purpose of the attempt that failed: a pre-printing run's card
        is printed again for the drawer (and needs the right to pre-print), never made
        active without the applicant's scan."""
        if (earlier := self._left_sending(serial, actor, progress)) is not None:
            return earlier  # the printer had taken it before the kiosk stopped
        badge = self.prints.badge(serial)
        jobs = self.prints.jobs(serial)
        open_job = next((j for j in jobs if j.state == "sent"), None)
        if open_job and open_job.message:  # given up uncancelled: follow it again
            require(actor.role, print_action(open_job.batch))
            device = open_printer(open_job.printer, self.data_dir)
            pdf = self.badges_dir / f"{serial}.pdf"
            return self._follow(open_job, device, pdf, actor, progress)
        if open_job:
            raise PrintStateError(
                f"badge {serial} is being printed (job {open_job.job_ref} on "
                f"{open_job.printer}): wait for it, or cancel it"
            )
        if badge.status is BadgeStatus.PRINT_FAILED:
            batch = batch or (jobs[-1].batch if jobs else None)
            self.prints.retry_print(serial, actor, batch)
        elif badge.status is not BadgeStatus.PRINTING:
            raise PrintStateError(
                f"badge {serial} is {badge.status.value}: only a badge printing or whose "
                "printing failed is printed (a reprint needs a supervisor at the counter)"
            )
        require(actor.role, print_action(batch))  # before a card leaves the printer
        try:
            name = printer or self.printer_name
        except PrinterSettingsInvalid as err:
            return self._failed(serial, "", Problem.SETTINGS, str(err), actor, None, batch)
        try:
            pdf, media = self.render(serial)
        except PhotoUnreadable as err:
            return self._failed(serial, name, Problem.PHOTO, str(err), actor, None, batch)
        except KeyConflict as err:  # the key made at the first badge: its id taken since
            return self._failed(serial, name, Problem.BADGE_KEY, str(err), actor, None, batch)
        except (TemplateError, ValueError) as err:
            return self._failed(serial, name, Problem.LAYOUT, str(err), actor, None, batch)
        except OSError as err:  # the badges folder broken, the disk full
            why = f"{err.filename}: {err.strerror}" if err.filename else str(err)
            return self._failed(serial, name, Problem.PDF, why, actor, None, batch)
        device = open_printer(name, self.data_dir)
        sending = self.prints.print_sending(serial, name, actor, batch)  # before the printer
        try:
            job_ref = device.submit(pdf, serial, media)
        except PrintError as err:
            return self._failed(serial, name, err.problem, err.detail, actor, sending.id, batch)
        job = self.prints.print_sent(serial, name, job_ref, actor, batch, job_id=sending.id)
        return self._follow(job, device, pdf, actor, progress)

    def _left_sending(
        self, serial: str, actor: Actor, progress: Progress | None
    ) -> PrintOutcome | None:
        """The outcome of a job of `serial` that a stopped kiosk left being sent, when the
        printer had taken it; None when there is none or it had not (the badge is then
        marked failed, to be printed again)."""
        job = next((j for j in self.prints.jobs(serial) if _being_sent(j)), None)
        if job is None:
            return None
        found = self._recover(job, actor, progress)
        if found is None:
            raise PrintStateError(
                f"badge {serial} was being sent to printer {job.printer} when the kiosk "
                "stopped, and the printer cannot be asked whether it took it: try again "
                "once it answers (printing it elsewhere now could print it twice)"
            )
        return None if found.problem is Problem.INTERRUPTED else found

    def _recover(
        self, job: PrintJob, actor: Actor, progress: Progress | None
    ) -> PrintOutcome | None:
        """Ask the printer for `job`, which the kiosk stopped while sending: found, it is
        followed to its end; not there, the badge is marked failed (nothing was sent).
        None when the printer cannot be asked: the job stays open for the next look."""
        device = open_printer(job.printer, self.data_dir)
        known = {j.job_ref for j in self.prints.jobs(job.serial) if j.job_ref}
        try:
            ref = device.find(job.serial, known)
        except PrintError:
            return None
        if ref is None:
            problem = Problem.INTERRUPTED
            return self._failed(job.serial, job.printer, problem, "", actor, job.id, job.batch)
        sent = self.prints.print_sent(job.serial, job.printer, ref, actor, job.batch, job.id)
        return self._follow(sent, device, self.badges_dir / f"{job.serial}.pdf", actor, progress)

    def cancel(self, serial: str) -> bool:
        """Cancel the open job of badge `serial` (the follower then marks it failed)."""
        job = next((j for j in self.prints.jobs(serial) if j.state == "sent"), None)
        if job is None or job.job_ref is None:
            return False
        open_printer(job.printer, self.data_dir).cancel(job.job_ref)
        return True

    def resume(self, progress: Progress | None = None, *, actor: Actor) -> list[PrintOutcome]:
        """After a restart: badges left printing with no job are marked failed; a job the
        kiosk stopped while sending is looked for at its printer (followed if there, failed
        if not); jobs sent and not seen finish are followed to their end. What `actor`'s
        role may not do (a clerk, a batch run's jobs) is left for someone who may."""
        unsent = self.prints.unsent() if allowed(actor.role, print_action(None)) else []
        outcomes = [
            self._failed(serial, "", Problem.INTERRUPTED, "", actor, None, None)
            for serial in unsent
        ]
        for job in self.prints.open_jobs():
            if not allowed(actor.role, print_action(job.batch)):
                continue
            if _being_sent(job):
                if (recovered := self._recover(job, actor, progress)) is not None:
                    outcomes.append(recovered)
                continue
            device = open_printer(job.printer, self.data_dir)
            pdf = self.badges_dir / f"{job.serial}.pdf"
            outcomes.append(self._follow(job, device, pdf, actor, progress))
        return outcomes

    def preprint_event(
        self,
        event_id: str,
        printer: str | None = None,
        progress: BatchProgress | None = None,
        *,
        actor: Actor,
    ) -> BatchReport:
        """Pre-print the badges of `event_id`'s approved accreditations (and print again
        those of an earlier run that failed); each printed card waits, pre-printed, until
        the counter hands it over. Stops when the printer stops or disappears."""
        batch = f"{event_id[:24]}@{self.prints.clock():%Y%m%dT%H%M%S}"
        retries = [b.serial for b in self.prints.failed_badges(event_id) if self._batch_failed(b)]
        fresh = self.prints.preprintable(event_id)
        total = len(retries) + len(fresh)
        printed: list[PrintOutcome] = []
        failed: list[PrintOutcome] = []
        todo = [("serial", s) for s in retries] + [("accreditation", a) for a in fresh]
        for i, (what, key) in enumerate(todo):
            try:
                serial = key if what == "serial" else self.prints.preprint(key, actor, batch).serial
            except NotPreprinted:
                continue  # changed since the list was made (e.g. issued at a counter)
            outcome = self.print_badge(serial, printer, None, batch, actor=actor)
            (printed if outcome.ok else failed).append(outcome)
            if progress:
                progress(i + 1, total, outcome)
            if not outcome.ok and outcome.problem in (*BLOCKING, Problem.UNREACHABLE):
                left = tuple(str(k) if w == "serial" else f"A{k:07d}" for w, k in todo[i + 1 :])
                return BatchReport(batch, event_id, tuple(printed), tuple(failed), left)
        return BatchReport(batch, event_id, tuple(printed), tuple(failed))

    def _batch_failed(self, badge: Badge) -> bool:
        jobs = self.prints.jobs(badge.serial)
        return bool(jobs) and jobs[-1].purpose is PrintPurpose.BATCH

    def _follow(
        self, job: PrintJob, device: Printer, pdf: Path, actor: Actor, progress: Progress | None
    ) -> PrintOutcome:
        """Watch `job` until it ends; record the end; cancel it if the printer is blocked or
        the card does not come out in time."""
        assert job.job_ref is not None
        deadline = time.monotonic() + self.timeout
        last: JobStatus | None = None
        while True:
            status = device.status(job.job_ref)
            if status != last and progress:
                progress(self._progress(job, status))
            last = status
            if status.state is JobState.COMPLETED:
                return self._done(job, pdf, actor)
            if status.state.finished:
                give_up = status.problem or Problem.ABORTED
            elif status.problem in BLOCKING:
                give_up = status.problem
            elif time.monotonic() >= deadline:
                give_up = Problem.TIMEOUT
            else:
                time.sleep(self.poll)
                continue
            if not status.state.finished:
                device.cancel(job.job_ref)
                after = device.status(job.job_ref)
                if after.state is JobState.COMPLETED:
                    return self._done(job, pdf, actor)  # it came out as we cancelled
                if not after.state.finished and after.problem is Problem.UNREACHABLE:
                    return self._left_open(job)  # it may still print: not failed
            detail = status.detail or (status.problem.value if status.problem else "")
            return self._end_failed(job, pdf, give_up, detail, actor)

    def _progress(self, job: PrintJob, status: JobStatus) -> PrintProgress:
        if status.problem:
            en, fr = clerk_message(status.problem, job.printer)
        elif status.state is JobState.PRINTING:
            en = f"Printing badge {job.serial} on {job.printer}…"
            fr = f"Impression du badge {job.serial} sur {job.printer}…"
        elif status.state is JobState.COMPLETED:
            en, fr = f"Badge {job.serial} printed.", f"Badge {job.serial} imprimé."
        else:
            en = f"Badge {job.serial} is waiting for printer {job.printer}."
            fr = f"Le badge {job.serial} attend l'imprimante {job.printer}."
        return PrintProgress(job.serial, job.printer, status.state, status.problem, en, fr)

    def _left_open(self, job: PrintJob) -> PrintOutcome:
        """Give up following `job` without ending it: the print system could not cancel it,
        so it may still print, and the badge stays printing (marked failed, a retry printed
        a second card when the print system came back)."""
        en, fr = clerk_message(Problem.UNCANCELLED, job.printer)
        self.prints.left_open(job.id, en)
        status = self.prints.badge(job.serial).status
        problem = Problem.UNCANCELLED
        return PrintOutcome(job.serial, job.printer, False, status, en, fr, None, problem)

    def _ended_elsewhere(self, job: PrintJob) -> str | None:
        """How `job` ended when another follower recorded it first (another window on this
        data folder, or a sign-in's resume while it printed); None while it is open."""
        state = next((j.state for j in self.prints.jobs(job.serial) if j.id == job.id), None)
        return None if state in (None, "sent") else state

    def _end_failed(
        self, job: PrintJob, pdf: Path, problem: Problem, detail: str, actor: Actor
    ) -> PrintOutcome:
        """Record that `job` failed, or, when another follower recorded its end first,
        say that end (the second follower was shown 'print job N is completed, not sent')."""
        try:
            return self._failed(job.serial, job.printer, problem, detail, actor, job.id, job.batch)
        except PrintStateError:
            ended = self._ended_elsewhere(job)
            if ended is None:
                raise
            if ended == "completed":
                return self._done(job, pdf, actor)
        en, fr = clerk_message(problem, job.printer)
        status = self.prints.badge(job.serial).status
        return PrintOutcome(job.serial, job.printer, False, status, en, fr, None, problem)

    def _done(self, job: PrintJob, pdf: Path, actor: Actor) -> PrintOutcome:
        try:
            badge = self.prints.print_done(job.id, actor)
        except PrintStateError:
            if self._ended_elsewhere(job) != "completed":
                raise
            badge = self.prints.badge(job.serial)  # recorded by the other follower
        if job.purpose is PrintPurpose.BATCH:
            en = f"Badge {job.serial} pre-printed: it waits to be handed over."
            fr = f"Badge {job.serial} pré-imprimé : il attend d'être remis."
        else:
            en = f"Badge {job.serial} printed: hand it over."
            fr = f"Badge {job.serial} imprimé : le remettre."
        return PrintOutcome(job.serial, job.printer, True, badge.status, en, fr, pdf)

    def _failed(
        self,
        serial: str,
        printer: str,
        problem: Problem,
        detail: str,
        actor: Actor,
        job_id: int | None,
        batch: str | None,
    ) -> PrintOutcome:
        en, fr = clerk_message(problem, printer)
        reason = f"{en} ({detail})" if detail else en
        badge = self.prints.print_failed(serial, reason, actor, job_id, printer, batch)
        return PrintOutcome(serial, printer, False, badge.status, en, fr, None, problem)


def _being_sent(job: PrintJob) -> bool:
    """An open job with no reference: the kiosk stopped while handing it to the printer."""
    return job.state == "sent" and job.job_ref is None


def for_kiosk(desk: CounterDesk, data_dir: Path) -> BadgePrinting:
    """The kiosk's badge printing: templates from `DATA_DIR/templates`, then the defaults."""
    return BadgePrinting(desk.prints, desk.cards, data_dir, TemplateBook(data_dir / "templates"))
