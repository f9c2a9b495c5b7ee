"""The counter service: from a scanned code (and ID document) to a decision and a badge.

It reads and writes the store; the rules themselves are in `kiosk.rules`. The screen
and the CLI both call this, so what a clerk sees and what the CLI prints agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from kiosk import documents, rules
from kiosk.codes import (
    BadgeClaim,
    CodeError,
    Keyring,
    Signer,
    badge_code,
    read_confirmation,
    split_serial,
)
from kiosk.model import (
    Badge,
    BadgeCard,
    BadgeStatus,
    Case,
    Counter,
    Decision,
    Flow,
    IdReading,
    PrintPurpose,
    Status,
    Verdict,
)
from kiosk.roles import Action, Actor, require
from kiosk.store.database import Store
from kiosk.store.records import load_case, photo, to_badge
from kiosk.store.schema import (
    AccreditationRow,
    BadgeRow,
    JournalRow,
    KeyRow,
    PrintJobRow,
    SerialRow,
)

Clock = Callable[[], datetime]
# What the clerk evaluates: a scanned confirmation code, or an accreditation id found by
# search when the applicant has no printout.
Subject = str | int
SENT, COMPLETED, FAILED = "sent", "completed", "failed"  # states of a print job


class NotIssued(Exception):
    """The decision does not allow a badge (or an override was not allowed)."""

    def __init__(self, decision: Decision, why: str) -> None:
        self.decision = decision
        super().__init__(why)


class PrintStateError(Exception):
    """A print transition asked of a badge or job not in the state it needs."""


class UndoRefused(Exception):
    """A hand-over that cannot be undone; the messages say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


class NotPreprinted(Exception):
    """An accreditation that may not be pre-printed; the message says why."""


@dataclass(frozen=True)
class Issuance:
    """A badge issued, and what it replaced.

    `handed_over` is True when a pre-printed card was handed over: nothing to print.
    Otherwise the badge is PRINTING and must be sent to a printer.
    """

    badge: Badge
    decision: Decision
    superseded: tuple[str, ...] = ()
    handed_over: bool = False


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


def load_keyring(store: Store, purpose: str = "confirmation") -> Keyring:
    """The public keys trusted by this kiosk for `purpose`."""
    with store.reading() as s:
        return Keyring(dict(_key_rows(s, purpose)))


_KEYS = KeyRow.__table__.c
_KEY_ROWS = (
    select(_KEYS.key_id, _KEYS.public_key)
    .where(_KEYS.purpose == bindparam("purpose"))
    .order_by(_KEYS.key_id)
)


def _key_rows(s: Session, purpose: str) -> tuple:
    """(key_id, public_key) of the keys trusted for `purpose`: one prepared Core query on the
    session's connection, a few times cheaper than through the ORM (it runs for every code)."""
    return tuple(s.connection().execute(_KEY_ROWS, {"purpose": purpose}))


class KeyWatch:
    """Notices when the keys the store trusts for `purpose` change (sync brought or retired
    one): `refresh` rereads the few key rows and rebuilds the keyring only then."""

    def __init__(self, store: Store, purpose: str) -> None:
        self.purpose = purpose
        with store.reading() as s:
            self._rows = _key_rows(s, purpose)

    def refresh(self, s: Session, keyring: Keyring) -> Keyring:
        """`keyring` as it is, or the store's keys if they changed since the last look."""
        rows = _key_rows(s, self.purpose)
        if rows == self._rows:
            return keyring
        self._rows = rows
        return Keyring(dict(rows))


class CounterDesk:
    """One kiosk at one counter: evaluates scans and issues badges."""

    def __init__(
        self,
        store: Store,
        keyring: Keyring,
        kiosk_id: str,
        counter: Counter,
        clock: Clock,
        badge_signer: Signer | None = None,
    ) -> None:
        self.store = store
        self.keyring = keyring  # until the store's keys change: then the store's
        self.kiosk_id = kiosk_id
        self.counter = counter
        self.clock = clock
        self.badge_signer = badge_signer  # signs the QR code of the badges this kiosk prints
        self._keys = KeyWatch(store, "confirmation")

    def evaluate(self, subject: Subject, reading: IdReading | None = None) -> Decision:
        """The decision for a scanned confirmation code, or for an accreditation id the
        clerk found by search (no printout: see `rules.check_found_by_search`), changing
        nothing."""
        with self.store.reading() as s:
            return self._decide(s, subject, reading, self.clock())

    def _decide(
        self, s: Session, subject: Subject, reading: IdReading | None, now: datetime
    ) -> Decision:
        # The rules compare document numbers as keyed hashes (kiosk/documents.py).
        reading = documents.with_digest(reading, documents.read_key(self.store.path.parent))
        by_search = isinstance(subject, int)
        if by_search:
            acc_id = subject
        else:
            try:
                acc_id = self._read_code(s, subject)
            except CodeError as err:
                return rules.refuse_unreadable("code", err.message_en, err.message_fr)
        case = load_case(s, acc_id)
        if case is None and by_search:
            return rules.refuse_unreadable(
                "accreditation",
                f"Accreditation A{acc_id:07d} is not in the approvals synced to this counter.",
                f"L'accréditation A{acc_id:07d} ne figure pas dans les approbations "
                "synchronisées avec ce guichet.",
            )
        if case is None:
            return rules.refuse_unreadable(
                "accreditation",
                f"The code is genuine but accreditation A{acc_id:07d} is not in the approvals "
                "synced to this counter: sync, or refer to the accreditation office.",
                f"Le code est authentique mais l'accréditation A{acc_id:07d} ne figure pas dans "
                "les approbations synchronisées : synchroniser, ou adresser au bureau des "
                "accréditations.",
            )
        return rules.decide(case, self.counter, now, reading, by_search)

    def _read_code(self, s: Session, code: str) -> int:
        """The accreditation id of a genuine code, checked with the keys the store trusts
        now: sync may have brought the office's new key, or retired one, since."""
        self.keyring = self._keys.refresh(s, self.keyring)
        return read_confirmation(code, self.keyring)

    def record(self, decision: Decision, actor: Actor) -> None:
        """Write a decision the clerk was shown into the journal."""
        require(actor.role, Action.CHECK)
        with self.store.writing() as s:
            self._journal(s, "decision", actor, decision, self.clock())

    def issue(
        self,
        subject: Subject,
        reading: IdReading | None,
        actor: Actor,
        supervisor: Actor | None = None,
        reason: str = "",
    ) -> Issuance:
        """Issue a badge when the rules allow it, or reprint with a supervisor's reason.

        The decision is made again inside the write transaction, so two clicks or two
        counters cannot both issue. A pre-printed card waiting for the applicant is handed
        over (active); one whose printing failed goes back to printing under its serial;
        otherwise a new badge is created, printing. A reprint supersedes every badge of
        the accreditation not yet finished with. Raises NotIssued, after journalling the
        refusal, otherwise. `subject` is what `evaluate` takes.

        `actor` must be allowed to issue, and `supervisor` (when given) to override:
        AccessDenied otherwise, before anything is read or written.
        """
        require(actor.role, Action.ISSUE)
        if supervisor is not None:
            require(supervisor.role, Action.OVERRIDE)
        now = self.clock()
        with self.store.writing() as s:
            decision = self._decide(s, subject, reading, now)
            why = self._refusal(decision, supervisor, reason)
            case = decision.case
            if why is None and case and case.waiting_badges and not case.active_badges:
                return self._take_waiting(s, decision, actor, supervisor, reason.strip(), now)
            if why is None:
                return self._create(s, decision, actor, supervisor, reason.strip(), now)
            # The headline may quote the ID document: the journal keeps the why's kind only.
            self._journal(s, "refusal", actor, decision, now, why=why.partition(": ")[0])
        raise NotIssued(decision, why)

    @staticmethod
    def _refusal(decision: Decision, supervisor: Actor | None, reason: str) -> str | None:
        if decision.verdict is Verdict.ISSUE:
            return None
        if decision.verdict is not Verdict.SUPERVISOR:
            return f"verdict is {decision.verdict.value}: {decision.headline_en}"
        if not supervisor:
            return "a supervisor must override: " + decision.headline_en
        if not reason.strip():
            return "a supervisor's override needs a written reason"
        if not rules.overridable(decision):
            return "this refusal cannot be overridden: " + decision.headline_en
        return None

    def _create(
        self,
        s: Session,
        decision: Decision,
        clerk: Actor,
        supervisor: Actor | None,
        reason: str,
        now: datetime,
    ) -> Issuance:
        case = decision.case
        assert case is not None
        replaced = tuple(b.serial for b in (*case.active_badges, *case.waiting_badges))
        row = self._new_badge(s, case, self.counter, clerk.name, now, replaced)
        row.supervisor, row.reason = supervisor.name if supervisor else None, reason
        s.flush()
        action = "reprint" if case.active_badges else "issue"
        self._journal(
            s,
            action,
            clerk,
            decision,
            now,
            serial=row.serial,
            supervisor=supervisor.name if supervisor else None,
            reason=reason,
            superseded=list(replaced),
        )
        return Issuance(to_badge(row), decision, replaced)

    def _new_badge(
        self,
        s: Session,
        case: Case,
        counter: Counter,
        clerk: str,
        now: datetime,
        replaced: tuple[str, ...] = (),
    ) -> BadgeRow:
        """A new badge row, printing, superseding the badges `replaced`."""
        serial = self._next_serial(s)
        if replaced:
            s.execute(
                update(BadgeRow)
                .where(BadgeRow.serial.in_(replaced))
                .values(status=BadgeStatus.SUPERSEDED.value, superseded_by=serial)
            )
        valid_from, valid_until = rules.badge_validity(case)
        row = BadgeRow(
            serial=serial,
            accreditation_id=case.accreditation.id,
            counter=counter.value,
            kiosk_id=self.kiosk_id,
            clerk=clerk,
            issued_at=now,
            valid_from=valid_from,
            valid_until=valid_until,
            status=BadgeStatus.PRINTING.value,
            reason="",
        )
        s.add(row)
        return row

    def _take_waiting(
        self,
        s: Session,
        decision: Decision,
        clerk: Actor,
        supervisor: Actor | None,
        reason: str,
        now: datetime,
    ) -> Issuance:
        """Hand over the pre-printed card, or send the failed one to print again."""
        case = decision.case
        assert case is not None
        badge, *others = case.waiting_badges
        if others:  # never expected; keep one badge per accreditation all the same
            s.execute(
                update(BadgeRow)
                .where(BadgeRow.serial.in_([b.serial for b in others]))
                .values(status=BadgeStatus.SUPERSEDED.value, superseded_by=badge.serial)
            )
        handed_over = badge.status is BadgeStatus.PREPRINTED
        row = s.get(BadgeRow, badge.serial)
        assert row is not None
        row.status = (BadgeStatus.ACTIVE if handed_over else BadgeStatus.PRINTING).value
        row.counter, row.kiosk_id, row.clerk, row.issued_at = (
            self.counter.value,
            self.kiosk_id,
            clerk.name,
            now,
        )
        row.supervisor, row.reason = supervisor.name if supervisor else None, reason
        s.flush()
        action = "handover" if handed_over else "print_retry"
        superseded = [b.serial for b in others]
        self._journal(
            s,
            action,
            clerk,
            decision,
            now,
            serial=badge.serial,
            supervisor=supervisor.name if supervisor else None,
            reason=reason,
            superseded=superseded,
        )
        return Issuance(to_badge(row), decision, tuple(superseded), handed_over)

    def _next_serial(self, s: Session) -> str:
        row = s.get(SerialRow, self.kiosk_id)
        if row is None:
            row = SerialRow(kiosk_id=self.kiosk_id, last=0)
            s.add(row)
        row.last += 1
        return f"{self.kiosk_id}-{row.last:06d}"

    def _journal(
        self,
        s: Session,
        action: str,
        actor: Actor,
        decision: Decision | None,
        now: datetime,
        serial: str | None = None,
        accreditation_id: int | None = None,
        **details: object,
    ) -> None:
        """Add a journal entry to the transaction of `s` (print transitions have no decision)."""
        case = decision.case if decision else None
        failed = {"failed": [c.name for c in decision.failures]} if decision else {}
        if case and any(c.name == "code" for c in decision.checks):  # no code: a search
            failed["found_by_search"] = True
        s.add(
            JournalRow(
                at=now,
                kiosk_id=self.kiosk_id,
                actor=actor.name,
                action=action,
                accreditation_id=case.accreditation.id if case else accreditation_id,
                badge_serial=serial,
                verdict=decision.verdict.value if decision else None,
                details={
                    "counter": self.counter.value,
                    "role": actor.role.value,
                    **failed,
                    **{k: v for k, v in details.items() if v},
                },
            )
        )

    def undo_handover(self, serial: str, supervisor: Actor, reason: str) -> Badge:
        """Take back a badge handed over in error (wrong person, twice): the active badge
        goes back to pre-printed (printed, waiting to be handed over), so security rejects
        it and the counter hands it over again only after every check. Needs a supervisor
        and a written reason (journalled); UndoRefused if the badge is not active."""
        require(supervisor.role, Action.UNDO_HANDOVER)
        reason = reason.strip()
        if not reason:
            raise UndoRefused(
                "Undoing a hand-over needs a written reason.",
                "Annuler une remise exige un motif écrit.",
            )
        now = self.clock()
        with self.store.writing() as s:
            row = s.get(BadgeRow, serial)
            if row is None or row.status != BadgeStatus.ACTIVE.value:
                status = f"is {row.status}" if row else "does not exist"
                statut = f"est « {row.status} »" if row else "n'existe pas"
                raise UndoRefused(
                    f"Badge {serial} {status}: only a badge handed over (active) can be taken "
                    "back.",
                    f"Le badge {serial} {statut} : seul un badge remis (actif) peut être repris.",
                )
            handed_by, handed_at = row.clerk, row.issued_at
            row.status = BadgeStatus.PREPRINTED.value
            s.flush()
            self._journal(
                s,
                "undo_handover",
                supervisor,
                None,
                now,
                serial=serial,
                accreditation_id=row.accreditation_id,
                reason=reason,
                handed_over_by=handed_by,
                handed_over_at=handed_at.isoformat(),
            )
            return to_badge(row)

    # --- Printing: every transition is one transaction with its journal entry ----------

    def print_sent(
        self, serial: str, printer: str, job_ref: str, actor: Actor, batch: str | None = None
    ) -> PrintJob:
        """Record that printing badge `serial` was handed to `printer` as job `job_ref`.

        A job of a batch (`batch` names the run) leaves the badge pre-printed when it
        completes; any other leaves it active (handed over at the counter).
        """
        require(actor.role, print_action(batch))
        now = self.clock()
        with self.store.writing() as s:
            row = self._badge_in(s, serial, BadgeStatus.PRINTING)
            purpose = PrintPurpose.BATCH if batch else PrintPurpose.COUNTER
            job = self._new_job(s, row, printer, purpose, batch, actor, now)
            job.job_ref, job.state = job_ref, SENT
            s.flush()
            self._journal(
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
            job = self._job_in(s, job_id, SENT)
            require(actor.role, print_action(job.batch))
            row = self._badge_in(s, job.badge_serial, BadgeStatus.PRINTING)
            job.state, job.finished_at = COMPLETED, now
            batch = job.purpose == PrintPurpose.BATCH.value
            row.status = (BadgeStatus.PREPRINTED if batch else BadgeStatus.ACTIVE).value
            s.flush()
            self._journal(
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
            row = self._badge_in(s, serial, BadgeStatus.PRINTING)
            if job_id is None:
                require(actor.role, print_action(batch))
                purpose = PrintPurpose.BATCH if batch else PrintPurpose.COUNTER
                job = self._new_job(s, row, printer, purpose, batch, actor, now)
            else:
                job = self._job_in(s, job_id, SENT)
                require(actor.role, print_action(job.batch))
            job.state, job.finished_at, job.message = FAILED, now, reason
            row.status = BadgeStatus.PRINT_FAILED.value
            s.flush()
            self._journal(
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

    def retry_print(self, serial: str, actor: Actor, batch: str | None = None) -> Badge:
        """Send a badge whose printing failed back to printing, under the same serial (for
        the pre-printing run `batch`, or for the counter). Retrying a pre-printing run's
        card needs the right to pre-print, whatever `batch` says: a clerk cannot make it
        a counter's card (active once printed) without the applicant's scan."""
        now = self.clock()
        with self.store.writing() as s:
            row = self._badge_in(s, serial, BadgeStatus.PRINT_FAILED)
            failed_batch = s.scalar(
                select(PrintJobRow.batch)
                .where(PrintJobRow.badge_serial == serial)
                .order_by(PrintJobRow.id.desc())
                .limit(1)
            )
            require(actor.role, print_action(batch or failed_batch))
            row.status = BadgeStatus.PRINTING.value
            s.flush()
            self._journal(
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
            return [i for i in ids if not self._preprint_refusals(s, i)]

    def preprint(self, accreditation_id: int, actor: Actor, batch: str) -> Badge:
        """Create a badge to pre-print for `accreditation_id`, printing; NotPreprinted if it
        may not be (the rules are checked again inside the transaction)."""
        require(actor.role, Action.PRINT_BATCH)
        now = self.clock()
        with self.store.writing() as s:
            refusals = self._preprint_refusals(s, accreditation_id)
            if refusals:
                raise NotPreprinted("; ".join(refusals))
            case = load_case(s, accreditation_id)
            assert case is not None
            row = self._new_badge(s, case, case.accreditation.flow.counter, actor.name, now)
            s.flush()
            self._journal(
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

    def _preprint_refusals(self, s: Session, accreditation_id: int) -> list[str]:
        case = load_case(s, accreditation_id)
        if case is None:
            return [f"no accreditation A{accreditation_id:07d}"]
        return [c.reason_en for c in rules.check_preprint(case)]

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

    @staticmethod
    def _badge_in(s: Session, serial: str, status: BadgeStatus) -> BadgeRow:
        row = s.get(BadgeRow, serial)
        if row is None:
            raise PrintStateError(f"no badge {serial}")
        if row.status != status.value:
            raise PrintStateError(f"badge {serial} is {row.status}, not {status.value}")
        return row

    @staticmethod
    def _job_in(s: Session, job_id: int, state: str) -> PrintJobRow:
        job = s.get(PrintJobRow, job_id)
        if job is None:
            raise PrintStateError(f"no print job {job_id}")
        if job.state != state:
            raise PrintStateError(f"print job {job_id} is {job.state}, not {state}")
        return job

    def card(self, serial: str) -> BadgeCard:
        """Everything the printer needs for badge `serial`."""
        with self.store.reading() as s:
            row = s.get(BadgeRow, serial)
            if row is None:
                raise KeyError(f"no badge {serial}")
            case = load_case(s, row.accreditation_id)
            assert case is not None
            jpeg = photo(s, case.person.id)
        badge = to_badge(row)
        event = case.event
        return BadgeCard(
            serial=badge.serial,
            flow=case.accreditation.flow,
            surname=case.person.surname,
            given_names=case.person.given_names,
            organisation=case.person.organisation,
            media_kind=case.person.media_kind,
            valid_from=badge.valid_from,
            valid_until=badge.valid_until,
            photo_jpeg=jpeg,
            event_name=event.name if event else None,
            colour=event.colour if event else "#1565c0",
            counter=badge.counter,
            pool=case.accreditation.pool,
            issued_at=badge.issued_at,
            event_id=event.id if event else None,
            badge_code=self._badge_code(badge, case),
        )

    def _badge_code(self, badge: Badge, case: Case) -> str | None:
        """The signed claim security reads from the badge's QR code (None: unsigned)."""
        if self.badge_signer is None:
            return None
        kiosk_id, sequence = split_serial(badge.serial)
        acc = case.accreditation
        claim = BadgeClaim(
            acc.id,
            kiosk_id,
            sequence,
            badge.valid_from,
            badge.valid_until,
            acc.flow,
            badge.counter,
            acc.event_id,
        )
        return badge_code(self.badge_signer, claim)

    def photo(self, person_id: int) -> bytes | None:
        """The applicant's photo, for the screen."""
        with self.store.reading() as s:
            return photo(s, person_id)


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
