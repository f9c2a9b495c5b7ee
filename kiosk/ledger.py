"""What a kiosk writes beside every badge it issues or prints: new badge rows under its
own serials, and journal entries stamped with its id and counter.

Both add to the caller's transaction, so a change and its journal entry commit together
(the counter desk and the print states share this, so their entries read alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from kiosk import rules
from kiosk.desk_checks import normalise_card
from kiosk.model import BadgeStatus, Case, Counter, Decision
from kiosk.roles import Actor
from kiosk.store.schema import BadgeRow, JournalRow, SerialRow


def press_card_details(decision: Decision) -> dict:
    """The press card the clerk saw, as the journal keeps it: the issuing body, expiry,
    whether it is the card used to apply, and the number's last 4 characters only (the
    journal is never purged; the full number stays on the accreditation)."""
    card = decision.press_card
    assert card is not None
    check = next((c for c in decision.checks if c.name == "press_card"), None)
    applied = decision.case.accreditation.proof.press_card if decision.case else None
    return {
        "issuer": card.issuer,
        "expiry": card.expiry.isoformat(),
        "number_tail": card.number[-4:],
        "same_as_applied": bool(applied) and normalise_card(applied) == normalise_card(card.number),
        "accepted": bool(check and check.ok),
    }


@dataclass(frozen=True)
class Ledger:
    """The writes of kiosk `kiosk_id` at `counter`, inside a session the caller opened."""

    kiosk_id: str
    counter: Counter

    def journal(
        self,
        s: Session,
        action: str,
        actor: Actor,
        decision: Decision | None,
        now: datetime,
        serial: str | None = None,
        accreditation_id: int | None = None,
        **details: object,
    ) -> JournalRow:
        """Add a journal entry to the transaction of `s` (print transitions have no decision)."""
        case = decision.case if decision else None
        failed = {"failed": [c.name for c in decision.failures]} if decision else {}
        if case and any(c.name == "code" for c in decision.checks):  # no code: a search
            failed["found_by_search"] = True
        if decision and decision.press_card:
            failed["press_card"] = press_card_details(decision)
        row = JournalRow(
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
        s.add(row)
        return row

    def new_badge(
        self,
        s: Session,
        case: Case,
        counter: Counter,
        clerk: str,
        now: datetime,
        replaced: tuple[str, ...] = (),
    ) -> BadgeRow:
        """A new badge row for `counter`, printing, superseding the badges `replaced`."""
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

    def _next_serial(self, s: Session) -> str:
        """This kiosk's next serial; one the store holds already (a badge an older hub
        let another kiosk report under this kiosk's serial) is skipped, not reused."""
        row = s.get(SerialRow, self.kiosk_id)
        if row is None:
            row = SerialRow(kiosk_id=self.kiosk_id, last=0)
            s.add(row)
        while True:
            row.last += 1
            serial = f"{self.kiosk_id}-{row.last:06d}"
            if s.get(BadgeRow, serial) is None:
                return serial
