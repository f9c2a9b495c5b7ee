"""Print states of a badge, each change one transaction with its journal entry.

    printing --job completed--> active (at the counter) or pre-printed (batch run)
    printing --job failed, or no job accepted--> print failed
    print failed --retry--> printing (same serial)

`PrintStates` records these changes and the print jobs behind them; the printing adapter
(printing/badge_printing.py) drives the printer and calls it at every step. It also makes
the badges a pre-printing run prints: a pre-printed card waits for its applicant, who is
handed it at the counter (`CounterDesk.issue`) after every check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import rules
from kiosk.ledger import Ledger
from kiosk.model import Badge, BadgeStatus, Counter, Flow, PrintPurpose, Status
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.database import Store
from kiosk.store.records import load_case, to_badge
from kiosk.store.schema import AccreditationRow, BadgeRow, PrintJobRow

Clock = Callable[[], datetime]
SENT, COMPLETED, FAILED = "sent", "completed", "failed"  # states of a print job


class PrintStateError(Exception):
    """A print transition asked of a badge or job not in the state it needs."""


class NotPreprinted(Exception):
    """An accreditation that may not be pre-printed; the message says why."""


@dataclass(frozen=True)
class PrintJob:
    """One attempt at printing a badge, as the store records it."""

    id: int
    serial: str
    printer: str
    purpose: PrintPurpose
    job_ref: str | None
    state: str
    message: str
    batch: str | None


def print_action(batch: str | None) -> Action:
    """What a print step needs: pre-printing for a batch run's job (the card only waits to
    be handed over), issuing for a counter's (the card is handed over once printed)."""
    return Action.PRINT_BATCH if batch else Action.ISSUE


class PrintStates:
    """The print states of the badges one kiosk prints, and their print jobs."""

    def __init__(self, store: Store, kiosk_id: str, counter: Counter, clock: Clock) -> None:
        self.store = store
        self.kiosk_id = kiosk_id
        self.counter = counter
        self.clock = clock
        self._ledger = Ledger(kiosk_id, counter)

    def print_sending(
        self, serial: str, printer: str, actor: Actor, batch: str | None = None
    ) -> PrintJob:
        """Record, before badge `serial` is handed to `printer`, that it is being sent: an
        open job with no reference yet. A kiosk stopped between the printer taking the job
        and `print_sent` leaves this behind, and the printer is asked for the job when the
        kiosk resumes (marked failed and printed again, the card came out twice)."""
        require(actor.role, print_action(batch))
        now = self.clock()
        with self.store.writing() as s:
            row = _badge_in(s, serial, BadgeStatus.PRINTING)
            purpose = PrintPurpose.BATCH if batch else PrintPurpose.COUNTER
            job = self._new_job(s, row, printer, purpose, batch, actor, now)
            s.flush()
            return _to_job(job)

    def print_sent(
        self,
        serial: str,
        printer: str,
        job_ref: str,
        actor: Actor,
        batch: str | None = None,
        job_id: int | None = None,
    ) -> PrintJob:
        """Record that printing badge `serial` was handed to `printer` as job `job_ref`
        (the job `job_id` that `print_sending` recorded, or a new one).

        A job of a batch (`batch` names the run) leaves the badge pre-printed when it
        completes; any other leaves it active (handed over at the counter).
        """
        require(actor.role, print_action(batch))
        now = self.clock()
        with self.store.writing() as s:
            row = _badge_in(s, serial, BadgeStatus.PRINTING)
            if job_id is None:
                purpose = PrintPurpose.BATCH if batch else PrintPurpose.COUNTER
                job = self._new_job(s, row, printer, purpose, batch, actor, now)
            else:
                job = _job_in(s, job_id, SENT)
            job.job_ref, job.state = job_ref, SENT
            s.flush()
            self._ledger.journal(
                s,
                "print_sent",
                actor,
                None,
                now,
                serial=serial,
                accreditation_id=row.accreditation_id,
                printer=printer,
                job=job_ref,
                batch=batch,
            )
            return _to_job(job)

    def print_done(self, job_id: int, actor: Actor) -> Badge:
        """The printer finished job `job_id`: its badge is handed over, or pre-printed."""
        now = self.clock()
        with self.store.writing() as s:
            job = _job_in(s, job_id, SENT)
            require(actor.role, print_action(job.batch))
            row = _badge_in(s, job.badge_serial, BadgeStatus.PRINTING)
            job.state, job.finished_at = COMPLETED, now
            batch = job.purpose == PrintPurpose.BATCH.value
            row.status = (BadgeStatus.PREPRINTED if batch else BadgeStatus.ACTIVE).value
            s.flush()
            self._ledger.journal(
                s,
                "preprinted" if batch else "printed",
                actor,
                None,
                now,
                serial=row.serial,
                accreditation_id=row.accreditation_id,
                printer=job.printer,
                job=job.job_ref,
                batch=job.batch,
            )
            return to_badge(row)

    def print_failed(
        self,
        serial: str,
        reason: str,
        actor: Actor,
        job_id: int | None = None,
        printer: str = "",
        batch: str | None = None,
    ) -> Badge:
        """Printing badge `serial` failed (job `job_id`, or before any job was accepted).

        The badge waits in PRINT_FAILED for a retry on this or another printer; `reason`
        is what the clerk was told, kept in the job and the journal.
        """
        now = self.clock()
        with self.store.writing() as s:
            row = _badge_in(s, serial, BadgeStatus.PRINTING)
            if job_id is None:
                require(actor.role, print_action(batch))
                purpose = PrintPurpose.BATCH if batch else PrintPurpose.COUNTER
                job = self._new_job(s, row, printer, purpose, batch, actor, now)
            else:
                job = _job_in(s, job_id, SENT)
                require(actor.role, print_action(job.batch))
            job.state, job.finished_at, job.message = FAILED, now, reason
            row.status = BadgeStatus.PRINT_FAILED.value
            s.flush()
            self._ledger.journal(
                s,
                "print_failed",
                actor,
                None,
                now,
                serial=serial,
                accreditation_id=row.accreditation_id,
                printer=job.printer,
                job=job.job_ref,
                batch=job.batch,
                reason=reason,
            )
            return to_badge(row)

    def left_open(self, job_id: int, reason: str) -> None:
        """Note on job `job_id`, still open, why its follower gave up without ending it
        (its printer could not cancel it): the next print of its badge follows it again."""
        with self.store.writing() as s:
            _job_in(s, job_id, SENT).message = reason

    def retry_print(self, serial: str, actor: Actor, batch: str | None = None) -> Badge:
        """Send a badge whose printing failed back to printing, under the same serial (for
        the pre-printing run `batch`, or for the counter). Retrying a pre-printing run's
        card needs the right to pre-print, whatever `batch` says: a clerk cannot make it
        a counter's card (active once printed) without the applicant's scan."""
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            row = _badge_in(s, serial, BadgeStatus.PRINT_FAILED)
            failed_batch = s.scalar(
                select(PrintJobRow.batch)
                .where(PrintJobRow.badge_serial == serial)
                .order_by(PrintJobRow.id.desc())
                .limit(1)
            )
            require(actor.role, print_action(batch or failed_batch))
            row.status = BadgeStatus.PRINTING.value
            s.flush()
            self._ledger.journal(
                s, "print_retry", actor, None, now, serial, accreditation_id=row.accreditation_id
            )
            return to_badge(row)

    def preprintable(self, event_id: str) -> list[int]:
        """Approved accreditations of `event_id` that may be pre-printed now, by id."""
        with self.store.reading() as s:
            ids = s.scalars(
                select(AccreditationRow.id)
                .where(
                    AccreditationRow.event_id == event_id,
                    AccreditationRow.flow == Flow.EVENT.value,
                    AccreditationRow.status == Status.APPROVED.value,
                )
                .order_by(AccreditationRow.id)
            ).all()
            return [i for i in ids if not _preprint_refusals(s, i)]

    def preprint(self, accreditation_id: int, actor: Actor, batch: str) -> Badge:
        """Create a badge to pre-print for `accreditation_id`, printing; NotPreprinted if it
        may not be (the rules are checked again inside the transaction)."""
        require(actor.role, Action.PRINT_BATCH)
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            refusals = _preprint_refusals(s, accreditation_id)
            if refusals:
                raise NotPreprinted("; ".join(refusals))
            case = load_case(s, accreditation_id)
            assert case is not None
            counter = case.accreditation.flow.counter
            row = self._ledger.new_badge(s, case, counter, actor.name, now)
            s.flush()
            self._ledger.journal(
                s,
                "preprint",
                actor,
                None,
                now,
                serial=row.serial,
                accreditation_id=accreditation_id,
                batch=batch,
            )
            return to_badge(row)

    def unsent(self) -> list[str]:
        """Badges of this kiosk left printing with no job sent (the kiosk stopped between
        issuing and printing); they must be marked failed so the clerk can retry them."""
        with self.store.reading() as s:
            sent = select(PrintJobRow.badge_serial).where(PrintJobRow.state == SENT)
            return list(
                s.scalars(
                    select(BadgeRow.serial).where(
                        BadgeRow.kiosk_id == self.kiosk_id,
                        BadgeRow.status == BadgeStatus.PRINTING.value,
                        BadgeRow.serial.not_in(sent),
                    )
                )
            )

    def open_jobs(self) -> list[PrintJob]:
        """Jobs this kiosk sent and has not seen finish (to follow again after a restart)."""
        with self.store.reading() as s:
            rows = s.scalars(
                select(PrintJobRow)
                .where(PrintJobRow.kiosk_id == self.kiosk_id, PrintJobRow.state == SENT)
                .order_by(PrintJobRow.id)
            )
            return [_to_job(r) for r in rows]

    def jobs(self, serial: str | None = None, batch: str | None = None) -> list[PrintJob]:
        """Print attempts of a badge or of a batch, oldest first."""
        with self.store.reading() as s:
            q = select(PrintJobRow).order_by(PrintJobRow.id)
            if serial:
                q = q.where(PrintJobRow.badge_serial == serial)
            if batch:
                q = q.where(PrintJobRow.batch == batch)
            return [_to_job(r) for r in s.scalars(q)]

    def badge(self, serial: str) -> Badge:
        """Badge `serial` as it stands (KeyError if there is none)."""
        with self.store.reading() as s:
            row = s.get(BadgeRow, serial)
            if row is None:
                raise KeyError(f"no badge {serial}")
            return to_badge(row)

    def failed_badges(self, event_id: str | None = None) -> list[Badge]:
        """Badges whose printing failed (of one event's accreditations), oldest first."""
        with self.store.reading() as s:
            q = select(BadgeRow).where(BadgeRow.status == BadgeStatus.PRINT_FAILED.value)
            if event_id:
                q = q.join(AccreditationRow).where(AccreditationRow.event_id == event_id)
            return [to_badge(r) for r in s.scalars(q.order_by(BadgeRow.serial))]

    def _new_job(
        self,
        s: Session,
        row: BadgeRow,
        printer: str,
        purpose: PrintPurpose,
        batch: str | None,
        actor: Actor,
        now: datetime,
    ) -> PrintJobRow:
        job = PrintJobRow(
            badge_serial=row.serial,
            kiosk_id=self.kiosk_id,
            printer=printer,
            purpose=purpose.value,
            batch=batch,
            state=SENT,
            message="",
            actor=actor.name,
            sent_at=now,
        )
        s.add(job)
        return job


def _preprint_refusals(s: Session, accreditation_id: int) -> list[str]:
    case = load_case(s, accreditation_id)
    if case is None:
        return [f"no accreditation A{accreditation_id:07d}"]
    return [c.reason_en for c in rules.check_preprint(case)]


def _badge_in(s: Session, serial: str, status: BadgeStatus) -> BadgeRow:
    row = s.get(BadgeRow, serial)
    if row is None:
        raise PrintStateError(f"no badge {serial}")
    if row.status != status.value:
        raise PrintStateError(f"badge {serial} is {row.status}, not {status.value}")
    return row


def _job_in(s: Session, job_id: int, state: str) -> PrintJobRow:
    job = s.get(PrintJobRow, job_id)
    if job is None:
        raise PrintStateError(f"no print job {job_id}")
    if job.state != state:
        raise PrintStateError(f"print job {job_id} is {job.state}, not {state}")
    return job


def _to_job(row: PrintJobRow) -> PrintJob:
    return PrintJob(
        id=row.id,
        serial=row.badge_serial,
        printer=row.printer,
        purpose=PrintPurpose(row.purpose),
        job_ref=row.job_ref,
        state=row.state,
        message=row.message,
        batch=row.batch,
    )
