"""A badge's life after the counter: reported lost, stolen or damaged, found, returned.

Reporting a badge lost, stolen or damaged voids it without printing a new one: from the
next sync every security post refuses it and says why (kiosk/badge_checks.py). A new
badge is a separate step: the counter's rules then ask for a supervisor and a written
reason (`rules.check_no_badge`). A badge reported lost or stolen and then handed in is
recorded found; one handed back (at an event's end, or an annual holder leaving) is
recorded returned. Each change is one transaction with its journal entry and a
`badge_events` row (who, when, where), which the hub spreads to every kiosk so that any
counter can tell a person's badge history.

Only a badge handed over (active) can be voided, and only a badge reported lost or
stolen can be found; anything else is refused with a sentence and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.codes import SERIAL_FORM, CodeError, read_badge
from kiosk.counter import load_keyring
from kiosk.ledger import Ledger
from kiosk.model import BRUSSELS, Badge, BadgeStatus, Counter
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store import case_reader
from kiosk.store.database import Store
from kiosk.store.records import to_badge
from kiosk.store.schema import AccreditationRow, BadgeEventRow, BadgeRow, PersonRow

Clock = Callable[[], datetime]
NOTE_MAX = 4000  # as a supervisor's reason (kiosk/counter.py REASON_MAX): the hub checks it
REGISTRATION = re.compile(r"A?([0-9]{1,9})")


class LifeEvent(StrEnum):
    """What can happen to a badge once its holder has it."""

    LOST = "lost"
    STOLEN = "stolen"
    DAMAGED = "damaged"
    FOUND = "found"
    RETURNED = "returned"

    @property
    def status(self) -> BadgeStatus:
        """The badge's status afterwards."""
        return BadgeStatus(self.value)

    @property
    def action(self) -> Action:
        """What the signed-in person must be allowed to do (kiosk/roles.py)."""
        return Action.TAKE_BACK_BADGE if self in _AT_THE_DESK else Action.VOID_BADGE

    @property
    def journal_action(self) -> str:
        """The journal entry's action ("badge_lost"...)."""
        return f"badge_{self.value}"


_AT_THE_DESK = (LifeEvent.FOUND, LifeEvent.RETURNED)  # the card is in the clerk's hand
JOURNAL_ACTIONS = {e.journal_action: e for e in LifeEvent}
VOIDED = frozenset(s.value for s in case_reader.VOIDED)
# The states each event may follow.
FOLLOWS: dict[LifeEvent, frozenset[str]] = {
    LifeEvent.LOST: frozenset({BadgeStatus.ACTIVE.value}),
    LifeEvent.STOLEN: frozenset({BadgeStatus.ACTIVE.value}),
    LifeEvent.DAMAGED: frozenset({BadgeStatus.ACTIVE.value}),
    LifeEvent.RETURNED: frozenset({BadgeStatus.ACTIVE.value}),
    LifeEvent.FOUND: frozenset({BadgeStatus.LOST.value, BadgeStatus.STOLEN.value}),
}

EVENT_NAMES = {
    LifeEvent.LOST: ("reported lost", "déclaré perdu"),
    LifeEvent.STOLEN: ("reported stolen", "déclaré volé"),
    LifeEvent.DAMAGED: ("reported damaged", "déclaré endommagé"),
    LifeEvent.FOUND: ("found and handed in", "retrouvé et rapporté"),
    LifeEvent.RETURNED: ("returned", "rendu"),
}
STATUS_NAMES = {
    BadgeStatus.PRINTING.value: ("still being printed", "encore en cours d'impression"),
    BadgeStatus.PRINT_FAILED.value: ("waiting for a reprint", "en attente de réimpression"),
    BadgeStatus.PREPRINTED.value: ("pre-printed, never handed over", "pré-imprimé, jamais remis"),
    BadgeStatus.ACTIVE.value: ("handed over and valid", "remis et valable"),
    BadgeStatus.SUPERSEDED.value: ("replaced by another badge", "remplacé par un autre badge"),
    BadgeStatus.REVOKED.value: ("revoked with its accreditation", "révoqué avec son accréditation"),
    **{e.status.value: EVENT_NAMES[e] for e in LifeEvent},
}


def follows(old: str, new: str) -> bool:
    """Whether a badge in status `old` may take status `new` by an event of its life."""
    return new in VOIDED and old in FOLLOWS[LifeEvent(new)]


class LifeRefused(Exception):
    """A life event that cannot be recorded; the messages say why, in both languages."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


@dataclass(frozen=True)
class HistoryLine:
    """One thing that happened to one of a person's badges."""

    at: datetime
    serial: str
    what: str  # issued, reprinted, or a LifeEvent's value
    who: str
    kiosk_id: str
    note: str = ""


@dataclass(frozen=True)
class History:
    """A person's badges, from first issued to last returned, oldest first."""

    person: str  # SURNAME, Given names ("" once purged)
    registrations: tuple[str, ...]
    badges: tuple[Badge, ...]
    lines: tuple[HistoryLine, ...]


def _fmt(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M")


class BadgeLife:
    """Records the events of badges' lives at one kiosk and tells a person's history."""

    def __init__(self, store: Store, kiosk_id: str, counter: Counter, clock: Clock) -> None:
        self.store, self.kiosk_id, self.clock = store, kiosk_id, clock
        self._ledger = Ledger(kiosk_id, counter)

    def record(self, serial: str, event: LifeEvent, actor: Actor, note: str = "") -> Badge:
        """Record `event` for badge `serial` by `actor` (AccessDenied if the role may not),
        with an optional note; LifeRefused, changing nothing, when it cannot be."""
        require(actor.role, event.action)
        serial, note = serial.strip().upper(), note.strip()
        if len(note) > NOTE_MAX:
            raise LifeRefused(
                f"A note is at most {NOTE_MAX} characters.",
                f"Une note compte au plus {NOTE_MAX} caractères.",
            )
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            row = s.get(BadgeRow, serial) if SERIAL_FORM.fullmatch(serial) else None
            if row is None:
                raise LifeRefused(
                    f"There is no badge {serial or '(blank)'} on file here: check the number "
                    "printed on the card (like G1-000042), or sync and try again.",
                    f"Aucun badge {serial or '(vide)'} n'est enregistré ici : vérifier le "
                    "numéro imprimé sur la carte (comme G1-000042), ou synchroniser et "
                    "réessayer.",
                )
            if row.status not in FOLLOWS[event]:
                raise _refusal(s, row, event)
            before = row.status
            row.status = event.status.value
            entry = self._ledger.journal(
                s,
                event.journal_action,
                actor,
                None,
                now,
                serial=serial,
                accreditation_id=row.accreditation_id,
                before=before,
                note=note,
            )
            s.flush()  # the journal entry's id is its event's key
            s.add(
                BadgeEventRow(
                    kiosk_id=self.kiosk_id,
                    journal_id=entry.id,
                    serial=serial,
                    accreditation_id=row.accreditation_id,
                    event=event.value,
                    at=now,
                    actor=actor.name,
                    note=note,
                )
            )
            return to_badge(row)

    def serial_of(self, scanned: str) -> str:
        """The serial of a badge whose QR code was scanned (a card handed in at the desk),
        or of a serial typed in; LifeRefused when it is neither (a forged code included)."""
        text = scanned.strip().upper()
        if SERIAL_FORM.fullmatch(text):
            return text
        try:
            claim, _key_id = read_badge(scanned, load_keyring(self.store, "badge"))
        except CodeError:
            raise LifeRefused(
                "Not a badge of this site: scan the QR code on the badge, or type its serial.",
                "Pas un badge de ce site : scanner le code QR du badge, ou saisir son numéro.",
            ) from None
        return claim.serial

    def history(self, query: str, actor: Actor) -> History:
        """The badge history of the person a serial or a registration number (A0000123)
        names; LifeRefused when neither is on file."""
        require(actor.role, Action.CHECK)
        text = query.strip().upper()
        with self.store.reading() as s:
            person_id = _person_of(s, text)
            if person_id is None:
                raise LifeRefused(
                    f"Neither a badge nor an accreditation {text or '(blank)'} is on file "
                    "here: type a badge serial (G1-000042) or a registration number "
                    "(A0000123).",
                    f"Ni badge ni accréditation {text or '(vide)'} ici : saisir un numéro de "
                    "badge (G1-000042) ou un numéro d'enregistrement (A0000123).",
                )
            return _history(s, person_id)


def _person_of(s: Session, text: str) -> int | None:
    if SERIAL_FORM.fullmatch(text):
        acc_id = s.scalar(select(BadgeRow.accreditation_id).where(BadgeRow.serial == text))
    elif m := REGISTRATION.fullmatch(text):
        acc_id = int(m.group(1))
    else:
        return None
    return s.scalar(select(AccreditationRow.person_id).where(AccreditationRow.id == acc_id))


def _history(s: Session, person_id: int) -> History:
    person = s.get(PersonRow, person_id)
    acc_ids = list(
        s.scalars(
            select(AccreditationRow.id)
            .where(AccreditationRow.person_id == person_id)
            .order_by(AccreditationRow.id)
        )
    )
    rows = list(
        s.scalars(
            select(BadgeRow)
            .where(BadgeRow.accreditation_id.in_(acc_ids))
            .order_by(BadgeRow.issued_at, BadgeRow.serial)
        )
    )
    replaced = {r.superseded_by for r in rows if r.superseded_by}
    lines = [
        HistoryLine(
            r.issued_at,
            r.serial,
            "reprinted" if r.serial in replaced or r.supervisor else "issued",
            f"{r.clerk} ({r.supervisor})" if r.supervisor else r.clerk,
            r.kiosk_id,
            r.reason,
        )
        for r in rows
        if r.status not in (BadgeStatus.PREPRINTED.value, BadgeStatus.PRINT_FAILED.value)
    ]
    events = s.scalars(select(BadgeEventRow).where(BadgeEventRow.accreditation_id.in_(acc_ids)))
    lines += [HistoryLine(e.at, e.serial, e.event, e.actor, e.kiosk_id, e.note) for e in events]
    named = person is not None and (person.surname or person.given_names)  # blank: purged
    name = f"{person.surname.upper()}, {person.given_names}" if named else ""
    return History(
        name,
        tuple(f"A{i:07d}" for i in acc_ids),
        tuple(to_badge(r) for r in rows),
        tuple(sorted(lines, key=lambda line: (line.at, line.serial))),
    )


def last_event(s: Session, serial: str) -> BadgeEventRow | None:
    """The latest recorded event of badge `serial`, if any (for who and when)."""
    return s.scalar(
        select(BadgeEventRow)
        .where(BadgeEventRow.serial == serial)
        .order_by(BadgeEventRow.at.desc())
        .limit(1)
    )


def _refusal(s: Session, row: BadgeRow, event: LifeEvent) -> LifeRefused:
    """Why `event` cannot follow the badge's status, naming who did what when known."""
    serial, status = row.serial, row.status
    if event is LifeEvent.FOUND and status not in VOIDED:
        return LifeRefused(
            f"Badge {serial} was never reported lost or stolen: a found badge is recorded "
            "only after such a report. If its holder lost it, report it lost first.",
            f"Le badge {serial} n'a jamais été déclaré perdu ni volé : un badge retrouvé "
            "n'est enregistré qu'après une telle déclaration. Si son titulaire l'a perdu, "
            "le déclarer perdu d'abord.",
        )
    en, fr = STATUS_NAMES.get(status, (status, status))
    is_en, is_fr = "is", "est"
    if status in VOIDED:
        is_en, is_fr = "was already", "a déjà été"
        if (last := last_event(s, serial)) is not None:
            en += f" on {_fmt(last.at)} by {last.actor} at {last.kiosk_id}"
            fr += f" le {_fmt(last.at)} par {last.actor} à {last.kiosk_id}"
    what_en, what_fr = EVENT_NAMES[event]
    if event is LifeEvent.FOUND:
        need_en, need_fr = "reported lost or stolen", "déclaré perdu ou volé"
    else:
        need_en, need_fr = "handed over (active)", "remis (actif)"
    return LifeRefused(
        f"Badge {serial} {is_en} {en}: it cannot now be {what_en}; only a badge {need_en} "
        "can. Nothing was changed.",
        f"Le badge {serial} {is_fr} {fr} : il ne peut pas maintenant être {what_fr} ; seul "
        f"un badge {need_fr} peut l'être. Rien n'a été modifié.",
    )
