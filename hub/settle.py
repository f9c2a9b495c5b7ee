"""Settling a conflict: the office or the pass office chief decides what stands.

Three outcomes, each one transaction recorded in the hub's own chained journal
(hub/purge.py `journal`) and sent to the kiosks by the feed (the conflict row gets a
new change number):

- `handled`: the conflict is dealt with as it is; the note says how.
- `revocation_confirmed`: the conflict's badge is not to be worn. A badge the hub
  revoked already stays so; a badge that stood until the office decided (a stale
  approval) is revoked now, and security posts refuse it at their next sync.
- `reinstated` (the office only): the conflict's badge A was superseded by B, and B was
  the mistake: A is active again and B revoked (unless B is final already). The hub
  keeps a `reinstatements` row (A, B) that the feed sends to every kiosk, and kiosks keep
  it: only that item brings a superseded badge back there, and a page replayed by a hub
  restored from an old backup saying "A superseded by B" no longer counts
  (sync/apply.py `merge_badge`). Counters' deliveries cannot undo it either
  (hub/receive.py). Refused, with a sentence, unless A is superseded by a badge the hub
  knows, A's validity has not ended, A was never reported lost, stolen or damaged, B was
  not itself replaced, the accreditation is approved and holds no other valid badge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase, allocate, lock_changes
from hub.purge import journal
from hub.schema import AccreditationRow, BadgeEventRow, BadgeRow, ConflictRow, ReinstatementRow
from hub.statuses import FINAL, LIVE
from kiosk.badge_life import EVENT_NAMES, LifeEvent
from kiosk.model import BRUSSELS, BadgeStatus, Status
from kiosk.typed import line_refusal

HANDLED = "handled"
REVOCATION_CONFIRMED = "revocation_confirmed"
REINSTATED = "reinstated"
OUTCOMES = (HANDLED, REVOCATION_CONFIRMED, REINSTATED)
NOTE_MAX = 2000


class SettleRefused(ValueError):
    """A settlement that cannot be made as asked: a sentence in English and French."""

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en)
        self.en, self.fr = en, fr


@dataclass(frozen=True)
class Settled:
    """What settling a conflict did."""

    conflict_id: int
    outcome: str
    badge_revoked: str | None  # the serial revoked now, if any
    badge_reinstated: str | None = None  # the serial valid again, if any


def can_confirm_revocation(badge: BadgeRow | None) -> bool:
    """Whether the conflict names a badge that a confirmed revocation leaves revoked."""
    return badge is not None and badge.status != BadgeStatus.SUPERSEDED.value


def can_reinstate(badge: BadgeRow | None) -> bool:
    """Whether the conflict names a superseded badge (what reinstating may bring back;
    `settle` checks the rest)."""
    return (
        badge is not None
        and badge.status == BadgeStatus.SUPERSEDED.value
        and badge.superseded_by is not None
    )


def _refuse_reinstating(s: Session, badge: BadgeRow | None, now: datetime) -> BadgeRow:
    """The badge that superseded `badge`, once everything allows bringing `badge` back."""
    if badge is None or not can_reinstate(badge):
        raise SettleRefused(
            "This conflict names no superseded badge to reinstate.",
            "Ce conflit ne désigne aucun badge remplacé à rétablir.",
        )
    a, by = badge.serial, badge.superseded_by
    if badge.valid_until < now.astimezone(BRUSSELS).date():
        raise SettleRefused(
            f"Badge {a} was valid until {badge.valid_until:%d.%m.%Y}: it cannot be worn again.",
            f"Le badge {a} était valable jusqu'au {badge.valid_until:%d.%m.%Y} : il ne peut "
            "plus être porté.",
        )
    event = s.scalar(select(BadgeEventRow.event).where(BadgeEventRow.serial == a).limit(1))
    if event is not None:
        en, fr = EVENT_NAMES[LifeEvent(event)]
        raise SettleRefused(
            f"Badge {a} was {en} at a counter: it cannot be worn again.",
            f"Le badge {a} a été {fr} à un guichet : il ne peut plus être porté.",
        )
    acc = s.get(AccreditationRow, badge.accreditation_id)
    if acc is None or acc.status != Status.APPROVED.value:
        raise SettleRefused(
            f"A{badge.accreditation_id:07d} is not approved: no badge of it may be worn.",
            f"A{badge.accreditation_id:07d} n'est pas approuvée : aucun de ses badges ne "
            "peut être porté.",
        )
    other = s.get(BadgeRow, by)
    if other is None:
        raise SettleRefused(
            f"Badge {by}, which replaced {a}, is not known at the hub yet.",
            f"Le badge {by}, qui a remplacé {a}, n'est pas encore connu du bureau.",
        )
    if other.status == BadgeStatus.SUPERSEDED.value:
        raise SettleRefused(
            f"Badge {by}, which replaced {a}, was replaced in turn by {other.superseded_by}: "
            "settle that first.",
            f"Le badge {by}, qui a remplacé {a}, a lui-même été remplacé par "
            f"{other.superseded_by} : réglez cela d'abord.",
        )
    live = s.scalars(
        select(BadgeRow.serial).where(
            BadgeRow.accreditation_id == badge.accreditation_id,
            BadgeRow.status.in_(LIVE),
            BadgeRow.serial.not_in((a, by)),
        )
    ).first()
    if live is not None:
        raise SettleRefused(
            f"A{badge.accreditation_id:07d} holds another valid badge, {live}.",
            f"A{badge.accreditation_id:07d} a un autre badge valable, {live}.",
        )
    return other


def _reinstate(
    s: Session, conflict: ConflictRow, badge: BadgeRow | None, by: str, now: datetime
) -> str | None:
    """Bring the conflict's badge back and revoke the one that superseded it; the serial
    revoked now, if any."""
    other = _refuse_reinstating(s, badge, now)
    revoked = None
    if other.status not in FINAL:
        other.status, other.seq = BadgeStatus.REVOKED.value, allocate(s)
        revoked = other.serial
    s.add(
        ReinstatementRow(
            serial=badge.serial,
            cancels=other.serial,
            accreditation_id=badge.accreditation_id,
            conflict_id=conflict.id,
            at=now,
            actor=by,
            seq=allocate(s),
        )
    )
    badge.status, badge.superseded_by = BadgeStatus.ACTIVE.value, None
    badge.seq = allocate(s)
    return revoked


def _checked_note(note: str) -> str:
    note = note.strip()
    if not note:
        raise SettleRefused(
            "Write a note: how the conflict was settled.",
            "Écrivez une note : comment le conflit a été réglé.",
        )
    if len(note) > NOTE_MAX:
        raise SettleRefused(
            f"The note may hold at most {NOTE_MAX} characters.",
            f"La note ne peut dépasser {NOTE_MAX} caractères.",
        )
    if refused := line_refusal(note, lines=True):  # as `conflicts settle --note` refuses
        raise SettleRefused(*refused)
    return note


@dataclass(frozen=True)
class Settlement:
    """What settling a conflict would do, read before it is done (the console shows it
    for confirmation)."""

    conflict_id: int
    outcome: str
    badge: str | None  # the conflict's badge
    badge_status: str | None  # its status now
    cancels: str | None = None  # reinstating: the badge revoked in its place
    cancels_status: str | None = None


def _open_conflict(s: Session, conflict_id: int, lock: bool) -> ConflictRow:
    conflict = s.get(ConflictRow, conflict_id, with_for_update=lock)
    if conflict is None:
        raise SettleRefused(
            f"There is no conflict {conflict_id}.", f"Il n'y a pas de conflit {conflict_id}."
        )
    if conflict.settled_at is not None:
        raise SettleRefused(
            f"Conflict {conflict_id} was settled already by {conflict.settled_by}.",
            f"Le conflit {conflict_id} a déjà été réglé par {conflict.settled_by}.",
        )
    return conflict


def _confirmable(badge: BadgeRow | None) -> BadgeRow:
    if not can_confirm_revocation(badge):
        raise SettleRefused(
            "This conflict names no badge to keep revoked: mark it handled.",
            "Ce conflit ne désigne aucun badge à garder révoqué : marquez-le réglé.",
        )
    return badge


def check_settle(
    db: HubDatabase, conflict_id: int, outcome: str, note: str, now: datetime
) -> Settlement:
    """What settling conflict `conflict_id` with `outcome` would do, by `settle`'s own
    checks, writing nothing; SettleRefused when it cannot be done."""
    if outcome not in OUTCOMES:
        raise SettleRefused(f"Unknown outcome {outcome!r}.", f"Issue inconnue {outcome!r}.")
    _checked_note(note)
    with db.reading() as s:
        conflict = _open_conflict(s, conflict_id, lock=False)
        badge = s.get(BadgeRow, conflict.badge_serial) if conflict.badge_serial else None
        status = badge.status if badge else None
        if outcome == REINSTATED:
            other = _refuse_reinstating(s, badge, now)
            return Settlement(
                conflict_id, outcome, badge.serial, status, other.serial, other.status
            )
        if outcome == REVOCATION_CONFIRMED:
            _confirmable(badge)
    return Settlement(conflict_id, outcome, conflict.badge_serial, status)


def settle(
    db: HubDatabase, conflict_id: int, outcome: str, note: str, by: str, now: datetime
) -> Settled:
    """Settle conflict `conflict_id` with `outcome` and a note, as `by`, in one
    transaction; SettleRefused (nothing changed) when it cannot be."""
    if outcome not in OUTCOMES:
        raise SettleRefused(f"Unknown outcome {outcome!r}.", f"Issue inconnue {outcome!r}.")
    note = _checked_note(note)
    with db.writing() as s:
        lock_changes(s)
        conflict = _open_conflict(s, conflict_id, lock=True)
        badge = s.get(BadgeRow, conflict.badge_serial) if conflict.badge_serial else None
        revoked = reinstated = None
        if outcome == REINSTATED:
            revoked, reinstated = _reinstate(s, conflict, badge, by, now), badge.serial
        elif outcome == REVOCATION_CONFIRMED and _confirmable(badge).status not in FINAL:
            badge.status, badge.seq = BadgeStatus.REVOKED.value, allocate(s)
            revoked = badge.serial
        conflict.settled_at, conflict.settled_by = now, by
        conflict.settlement, conflict.settle_note = outcome, note
        conflict.seq = allocate(s)
        journal(
            s,
            "conflict_settle",
            by,
            {
                "conflict": conflict_id,
                "outcome": outcome,
                "note": note,
                "badge_revoked": revoked,
                "badge_reinstated": reinstated,
            },
            now,
        )
    return Settled(conflict_id, outcome, revoked, reinstated)
