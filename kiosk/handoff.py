"""Hand-off to the accreditation office: a refusal the office can fix, on a short slip.

Some refusals end at the counter only because the application is not right yet: the
office has not decided (pending), a typo in the names or the date of birth, no letter or
an unsigned one, no photo. The clerk gives the applicant a slip naming the registration
number and what the office must fix (printing/handoff_pdf.py prints it, the screen shows
it), and the hand-off is journalled, so it reaches the hub with the journal and the
office lists it (`kiosk-hub handoffs`, GET /v1/office/handoffs).

The journal keeps the names of the checks only, never the reasons as the clerk read
them (they may quote the ID document): the slip and the office's list give the fixed
sentences of `OFFICE_FIXES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.ledger import Ledger
from kiosk.model import Counter, Decision, Event, Status, Verdict
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.database import Store

Clock = Callable[[], datetime]
ACTION = "handoff"  # the journal entry's action

# What the office can fix, by the rule's check name (kiosk/rules.py): the sentence on
# the slip and in the office's list, in English and French.
OFFICE_FIXES: dict[str, tuple[str, str]] = {
    "pending": (
        "The application is still pending: the office must decide on it.",
        "La demande est encore en attente : le bureau doit statuer.",
    ),
    "id_names": (
        "The names on the ID document differ from the application: correct the "
        "application if it holds a typo.",
        "Les noms de la pièce d'identité diffèrent de la demande : corriger la demande si "
        "elle contient une faute de frappe.",
    ),
    "id_birth": (
        "The date of birth on the ID document differs from the application: correct the "
        "application if it holds a typo.",
        "La date de naissance de la pièce d'identité diffère de la demande : corriger la "
        "demande si elle contient une faute de frappe.",
    ),
    "proof": (
        "Professional proof is missing or not valid (no press card, no signed letter): "
        "the office must receive it.",
        "La preuve professionnelle manque ou n'est pas valable (pas de carte de presse, "
        "pas de lettre signée) : le bureau doit la recevoir.",
    ),
    "photo": (
        "No usable identity photo on file: the office must add one.",
        "Aucune photo d'identité utilisable au dossier : le bureau doit en ajouter une.",
    ),
}


def slips_dir(data_dir: Path) -> Path:
    """Where a kiosk writes its hand-off slips (the purge deletes them with the rest)."""
    return data_dir / "handoffs"


TYPOS = ("id_names", "id_birth")


class HandoffRefused(Exception):
    """A decision the office cannot fix (or none to hand off); the messages say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


@dataclass(frozen=True)
class Handoff:
    """A hand-off slip: who, for which registration, what the office must fix."""

    registration: str
    name: str
    what: str  # the event's name ("English / French"), or "Annual 2026 / Annuelle 2026"
    reasons: tuple[str, ...]  # keys of OFFICE_FIXES
    at: datetime
    kiosk_id: str
    counter: Counter
    clerk: str

    @property
    def reasons_en(self) -> tuple[str, ...]:
        return tuple(OFFICE_FIXES[r][0] for r in self.reasons)

    @property
    def reasons_fr(self) -> tuple[str, ...]:
        return tuple(OFFICE_FIXES[r][1] for r in self.reasons)


def office_fixes(decision: Decision) -> tuple[str, ...]:
    """What in a decision's failures the office can fix, as keys of OFFICE_FIXES (empty:
    nothing to hand off). A denied or revoked accreditation is the office's final word,
    not a case to fix; an issued badge needs no hand-off, and another person's document
    is no typo."""
    case = decision.case
    if case is None or not decision.failures or decision.verdict is Verdict.REDIRECT:
        return ()  # nothing refused, or sent on: the right counter hands off, if need be
    failed = {c.name for c in decision.failures}
    fixes = []
    for name in failed & set(OFFICE_FIXES):
        # Names or a birth date that differ on the very document used to apply are a typo
        # in the application; on another document, somebody else's: no slip for that.
        if name in TYPOS and "id_number" in failed:
            continue
        fixes.append(name)
    if "status" in failed and case.accreditation.status is Status.PENDING:
        fixes.append("pending")
    return tuple(sorted(fixes, key=list(OFFICE_FIXES).index))


class HandoffDesk:
    """Records hand-offs at one kiosk's counter."""

    def __init__(self, store: Store, kiosk_id: str, counter: Counter, clock: Clock) -> None:
        self.store, self.kiosk_id, self.counter, self.clock = store, kiosk_id, counter, clock
        self._ledger = Ledger(kiosk_id, counter)

    def hand_off(self, decision: Decision, actor: Actor) -> Handoff:
        """Journal a hand-off of `decision` (the one the clerk was shown) and return its
        slip; HandoffRefused, changing nothing, when the office has nothing to fix."""
        require(actor.role, Action.CHECK)
        reasons = office_fixes(decision)
        if not reasons:
            raise HandoffRefused(
                "Nothing here for the accreditation office to fix: no hand-off slip. "
                "Follow what the screen says.",
                "Rien à corriger ici pour le bureau des accréditations : pas de fiche de "
                "transmission. Suivre ce qu'indique l'écran.",
            )
        case = decision.case
        assert case is not None
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            self._ledger.journal(s, ACTION, actor, decision, now, reasons=list(reasons))
        acc, person = case.accreditation, case.person
        what = _both(case.event) if case.event else f"Annual {acc.year} / Annuelle {acc.year}"
        return Handoff(
            acc.registration,
            f"{person.surname.upper()}, {person.given_names}",
            what,
            reasons,
            now,
            self.kiosk_id,
            self.counter,
            actor.name,
        )


def _both(event: Event) -> str:
    """The event's name on a bilingual slip: "English / French", or the English alone
    when the office gave no French."""
    return event.name if event.french_name == event.name else f"{event.name} / {event.french_name}"
