"""The counter service: from a scanned code (and ID document) to a decision and a badge.

It reads and writes the store; the rules themselves are in `kiosk.rules`. The screen
and the CLI both call this, so what a clerk sees and what the CLI prints agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk import rules
from kiosk.codes import CodeError, Keyring, read_confirmation
from kiosk.model import (
    Badge,
    BadgeCard,
    BadgeStatus,
    Counter,
    Decision,
    IdReading,
    Verdict,
)
from kiosk.store.database import Store
from kiosk.store.records import load_case, photo, to_badge
from kiosk.store.schema import BadgeRow, JournalRow, KeyRow, SerialRow

Clock = Callable[[], datetime]


class NotIssued(Exception):
    """The decision does not allow a badge (or an override was not allowed)."""

    def __init__(self, decision: Decision, why: str) -> None:
        self.decision = decision
        super().__init__(why)


@dataclass(frozen=True)
class Issuance:
    """A badge issued, and what it replaced."""

    badge: Badge
    decision: Decision
    superseded: tuple[str, ...] = ()


def load_keyring(store: Store, purpose: str = "confirmation") -> Keyring:
    """The public keys trusted by this kiosk for `purpose`."""
    with store.reading() as s:
        rows = s.scalars(select(KeyRow).where(KeyRow.purpose == purpose))
        return Keyring({r.key_id: r.public_key for r in rows})


class CounterDesk:
    """One kiosk at one counter: evaluates scans and issues badges."""

    def __init__(
        self, store: Store, keyring: Keyring, kiosk_id: str, counter: Counter, clock: Clock
    ) -> None:
        self.store = store
        self.keyring = keyring
        self.kiosk_id = kiosk_id
        self.counter = counter
        self.clock = clock

    def evaluate(self, code: str, reading: IdReading | None = None) -> Decision:
        """The decision for a scanned code, changing nothing."""
        with self.store.reading() as s:
            return self._decide(s, code, reading, self.clock())

    def _decide(self, s: Session, code: str, reading: IdReading | None, now: datetime) -> Decision:
        try:
            acc_id = read_confirmation(code, self.keyring)
        except CodeError as err:
            return rules.refuse_unreadable("code", err.message_en, err.message_fr)
        case = load_case(s, acc_id)
        if case is None:
            return rules.refuse_unreadable(
                "accreditation",
                f"The code is genuine but accreditation A{acc_id:07d} is not in the approvals "
                "synced to this counter: sync, or refer to the accreditation office.",
                f"Le code est authentique mais l'accréditation A{acc_id:07d} ne figure pas dans "
                "les approbations synchronisées : synchroniser, ou adresser au bureau des "
                "accréditations.",
            )
        return rules.decide(case, self.counter, now, reading)

    def record(self, decision: Decision, actor: str) -> None:
        """Write a decision the clerk was shown into the journal."""
        with self.store.writing() as s:
            self._journal(s, "decision", actor, decision, self.clock())

    def issue(
        self,
        code: str,
        reading: IdReading | None,
        clerk: str,
        supervisor: str | None = None,
        reason: str = "",
    ) -> Issuance:
        """Issue a badge when the rules allow it, or reprint with a supervisor's reason.

        The decision is made again inside the write transaction, so two clicks or two
        counters cannot both issue. A reprint supersedes every active badge of the
        accreditation. Raises NotIssued, after journalling the refusal, otherwise.
        """
        now = self.clock()
        with self.store.writing() as s:
            decision = self._decide(s, code, reading, now)
            why = self._refusal(decision, supervisor, reason)
            if why is None:
                return self._create(s, decision, clerk, supervisor, reason.strip(), now)
            self._journal(s, "refusal", clerk, decision, now, why=why)
        raise NotIssued(decision, why)

    @staticmethod
    def _refusal(decision: Decision, supervisor: str | None, reason: str) -> str | None:
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
        clerk: str,
        supervisor: str | None,
        reason: str,
        now: datetime,
    ) -> Issuance:
        case = decision.case
        assert case is not None
        serial = self._next_serial(s)
        replaced = tuple(b.serial for b in case.active_badges)
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
            counter=self.counter.value,
            kiosk_id=self.kiosk_id,
            clerk=clerk,
            supervisor=supervisor,
            reason=reason,
            issued_at=now,
            valid_from=valid_from,
            valid_until=valid_until,
            status=BadgeStatus.ACTIVE.value,
        )
        s.add(row)
        s.flush()
        action = "reprint" if replaced else "issue"
        self._journal(
            s,
            action,
            clerk,
            decision,
            now,
            serial=serial,
            supervisor=supervisor,
            reason=reason,
            superseded=list(replaced),
        )
        return Issuance(to_badge(row), decision, replaced)

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
        actor: str,
        decision: Decision,
        now: datetime,
        serial: str | None = None,
        **details: object,
    ) -> None:
        case = decision.case
        s.add(
            JournalRow(
                at=now,
                kiosk_id=self.kiosk_id,
                actor=actor,
                action=action,
                accreditation_id=case.accreditation.id if case else None,
                badge_serial=serial,
                verdict=decision.verdict.value,
                details={
                    "counter": self.counter.value,
                    "failed": [c.name for c in decision.failures],
                    **{k: v for k, v in details.items() if v},
                },
            )
        )

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
        )

    def photo(self, person_id: int) -> bytes | None:
        """The applicant's photo, for the screen."""
        with self.store.reading() as s:
            return photo(s, person_id)
