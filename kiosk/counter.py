"""The counter service: from a scanned code (and ID document) to a decision and a badge.

It reads and writes the store; the rules themselves are in `kiosk.rules`. The screen
and the CLI both call this, so what a clerk sees and what the CLI prints agree. A desk
issues badges; its `prints` (kiosk/print_states.py) follows each badge through the
printer, and its `cards` (kiosk/badge_cards.py) say what is printed on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from kiosk import documents, rules
from kiosk.badge_cards import BadgeCards
from kiosk.codes import CodeError, CodeProblem, Keyring, Signer, read_confirmation
from kiosk.hours import counter_day
from kiosk.ledger import Ledger
from kiosk.model import (
    BRUSSELS,
    Badge,
    BadgeStatus,
    Case,
    Check,
    Counter,
    Decision,
    IdReading,
    PressCardSeen,
    Verdict,
)
from kiosk.print_states import PrintStates
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.case_reader import Source, annual_accreditation_id, key_rows
from kiosk.store.database import Store
from kiosk.store.records import load_case, photo, to_badge
from kiosk.store.schema import BadgeRow

Clock = Callable[[], datetime]
# What the clerk evaluates: a scanned confirmation code, or an accreditation id found by
# search when the applicant has no printout.
Subject = str | int


# A supervisor's written reason is journalled and delivered to the hub, which refuses a
# delivery whose reason is longer (hub/delivery_checks.py): refused here, at the desk,
# it can never stop this kiosk's outbox.
REASON_MAX = 4000


class NotIssued(Exception):
    """The decision does not allow a badge (or an override was not allowed)."""

    def __init__(self, decision: Decision, why: str) -> None:
        self.decision = decision
        super().__init__(why)


class UndoRefused(Exception):
    """A hand-over that cannot be undone; the messages say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


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


def load_keyring(store: Store, purpose: str = "confirmation") -> Keyring:
    """The public keys trusted by this kiosk for `purpose`, with their owners."""
    with store.reading() as s:
        return _keyring(_key_rows(s, purpose))


def _key_rows(s: Source, purpose: str) -> tuple:
    """(key_id, public_key, owner) of the keys trusted for `purpose`: prepared SQL on the
    session's connection (it runs for every code; kiosk/store/case_reader.py)."""
    return key_rows(s, purpose)


def _keyring(rows: tuple) -> Keyring:
    return Keyring({kid: raw for kid, raw, _ in rows}, {kid: owner for kid, _, owner in rows})


class KeyWatch:
    """Notices when the keys the store trusts for `purpose` change (sync brought or retired
    one): `refresh` rereads the few key rows and rebuilds the keyring only then."""

    def __init__(self, store: Store, purpose: str) -> None:
        self.purpose = purpose
        with store.reading() as s:
            self._rows = _key_rows(s, purpose)

    def refresh(self, s: Source, keyring: Keyring) -> Keyring:
        """`keyring` as it is, or the store's keys if they changed since the last look."""
        rows = _key_rows(s, self.purpose)
        if rows == self._rows:
            return keyring
        self._rows = rows
        return _keyring(rows)


def _unread_code(err: CodeError) -> Decision:
    """A code read only in part asks for the scan again; any other unreadable or false
    code is refused."""
    if err.problem is CodeProblem.CUT_SHORT:
        return rules.scan_again("code", err.message_en, err.message_fr)
    return rules.refuse_unreadable("code", err.message_en, err.message_fr)


class CounterDesk:
    """One kiosk at one counter: evaluates scans and issues badges. `prints` records the
    badges' print states and jobs; `cards` builds what the printer lays out."""

    def __init__(
        self,
        store: Store,
        keyring: Keyring,
        kiosk_id: str,
        counter: Counter,
        clock: Clock,
        badge_signer: Callable[[], Signer] | None = None,
    ) -> None:
        self.store = store
        self.keyring = keyring  # until the store's keys change: then the store's
        self.kiosk_id = kiosk_id
        self.counter = counter
        self.clock = clock
        self._keys = KeyWatch(store, "confirmation")
        self._ledger = Ledger(kiosk_id, counter)
        # The desk's clock even when replaced (tests move a kiosk's clock on).
        self.prints = PrintStates(store, kiosk_id, counter, lambda: self.clock())
        self.cards = BadgeCards(store, badge_signer)  # the signer signs the badges' QR codes

    def evaluate(
        self,
        subject: Subject,
        reading: IdReading | None = None,
        chip: Check | None = None,
        press_card: PressCardSeen | None = None,
    ) -> Decision:
        """The decision for a scanned confirmation code, or for an accreditation id the
        clerk found by search (no printout: see `rules.check_found_by_search`), changing
        nothing. `chip` is the passport chip's check (kiosk/chip_check.py) when one was
        read; `press_card` the press card the clerk saw, when recorded."""
        with self.store.snapshot() as db:  # the hot path: no ORM session
            return self._decide(db, subject, reading, self.clock(), chip, press_card)

    def _decide(
        self,
        s: Source,
        subject: Subject,
        reading: IdReading | None,
        now: datetime,
        chip: Check | None = None,
        press_card: PressCardSeen | None = None,
    ) -> Decision:
        decision = self._decide_printed(s, subject, reading, now, press_card)
        return decision if chip is None else rules.with_check(decision, chip)

    def _decide_printed(
        self,
        s: Source,
        subject: Subject,
        reading: IdReading | None,
        now: datetime,
        press_card: PressCardSeen | None = None,
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
                return _unread_code(err)
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
        annual = self._annual_instead(s, case)
        chosen = annual or case
        events = (chosen.event.id, *chosen.event.valid_with) if chosen.event else ()
        hours = counter_day(s, self.counter, now.astimezone(BRUSSELS).date(), events)
        return rules.decide(
            chosen,
            self.counter,
            now,
            reading,
            by_search,
            hours=hours,
            press_card=press_card,
            instead_of=case if annual is not None else None,
        )

    def _annual_instead(self, s: Source, case: Case) -> Case | None:
        """At the Visitors counter, the annual accreditation of a holder who scanned a
        ministerial code the annual badge covers and has no annual badge yet: the annual
        flow serves them (`rules.check_annual_covers`). None otherwise."""
        if self.counter is not Counter.VISITORS or case.annual_badge is not None:
            return None
        if not rules.annual_covers(case):
            return None
        assert case.event is not None
        annual_id = annual_accreditation_id(s, case.person.id, case.event.first_day.year)
        return load_case(s, annual_id) if annual_id is not None else None

    def _read_code(self, s: Source, code: str) -> int:
        """The accreditation id of a genuine code, checked with the keys the store trusts
        now: sync may have brought the office's new key, or retired one, since."""
        self.keyring = self._keys.refresh(s, self.keyring)
        return read_confirmation(code, self.keyring)

    def record(self, decision: Decision, actor: Actor) -> None:
        """Write a decision the clerk was shown into the journal."""
        require(actor.role, Action.CHECK)
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            self._ledger.journal(s, "decision", actor, decision, self.clock())

    def issue(
        self,
        subject: Subject,
        reading: IdReading | None,
        actor: Actor,
        supervisor: Actor | None = None,
        reason: str = "",
        chip: Check | None = None,
        press_card: PressCardSeen | None = None,
    ) -> Issuance:
        """Issue a badge when the rules allow it, or reprint with a supervisor's reason.

        The decision is made again inside the write transaction, so two clicks or two
        counters cannot both issue. A pre-printed card waiting for the applicant is handed
        over (active); one whose printing failed goes back to printing under its serial;
        otherwise a new badge is created, printing. A reprint supersedes every badge of
        the accreditation not yet finished with. Raises NotIssued, after journalling the
        refusal, otherwise. `subject` and `press_card` are what `evaluate` takes.

        `actor` must be allowed to issue, and `supervisor` (when given) to override:
        AccessDenied otherwise, before anything is read or written. `chip` is the passport
        chip's check when one was read: a refusing chip refuses the issue too.
        """
        require(actor.role, Action.ISSUE)
        if supervisor is not None:
            require(supervisor.role, Action.OVERRIDE)
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor, supervisor)  # a sync may have disabled it since sign-in
            decision = self._decide(s, subject, reading, now, chip, press_card)
            why = self._refusal(decision, supervisor, reason)
            case = decision.case
            if why is None and case and case.waiting_badges and not case.active_badges:
                return self._take_waiting(s, decision, actor, supervisor, reason.strip(), now)
            if why is None:
                return self._create(s, decision, actor, supervisor, reason.strip(), now)
            # The headline may quote the ID document: the journal keeps the why's kind only.
            self._ledger.journal(s, "refusal", actor, decision, now, why=why.partition(": ")[0])
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
        if len(reason.strip()) > REASON_MAX:
            return f"a supervisor's reason is at most {REASON_MAX} characters"
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
        row = self._ledger.new_badge(s, case, self.counter, clerk.name, now, replaced)
        row.supervisor, row.reason = supervisor.name if supervisor else None, reason
        s.flush()
        action = "reprint" if case.active_badges or case.void_badges else "issue"
        self._ledger.journal(
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
        self._ledger.journal(
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
        if len(reason) > REASON_MAX:
            raise UndoRefused(
                f"A written reason is at most {REASON_MAX} characters.",
                f"Un motif écrit compte au plus {REASON_MAX} caractères.",
            )
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, supervisor)
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
            self._ledger.journal(
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

    def photo(self, person_id: int) -> bytes | None:
        """The applicant's photo, for the screen."""
        with self.store.reading() as s:
            return photo(s, person_id)
