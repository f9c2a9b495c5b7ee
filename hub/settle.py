"""Settling a conflict: the office or the pass office chief decides what stands.

Two outcomes, each recorded in the hub's own chained journal (hub/purge.py `journal`)
and sent to the counters by the feed (the conflict row gets a new change number):

- `handled`: the conflict is dealt with as it is; the note says how.
- `revocation_confirmed`: the conflict's badge is not to be worn. A badge the hub
  revoked already stays so; a badge that stood until the office decided (a stale
  approval) is revoked now, and security posts refuse it at their next sync.

A superseded badge is not brought back: kiosks hold `superseded` and `revoked` as final
(sync/apply.py `merge_badge`), so the applicant gets a new badge at a counter instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.database import HubDatabase, allocate, lock_changes
from hub.purge import journal
from hub.schema import BadgeRow, ConflictRow
from hub.statuses import FINAL
from kiosk.model import BadgeStatus

HANDLED = "handled"
REVOCATION_CONFIRMED = "revocation_confirmed"
OUTCOMES = (HANDLED, REVOCATION_CONFIRMED)
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


def can_confirm_revocation(badge: BadgeRow | None) -> bool:
    """Whether the conflict names a badge that a confirmed revocation leaves revoked."""
    return badge is not None and badge.status != BadgeStatus.SUPERSEDED.value


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
    return note


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
        conflict = s.get(ConflictRow, conflict_id, with_for_update=True)
        if conflict is None:
            raise SettleRefused(
                f"There is no conflict {conflict_id}.", f"Il n'y a pas de conflit {conflict_id}."
            )
        if conflict.settled_at is not None:
            raise SettleRefused(
                f"Conflict {conflict_id} was settled already by {conflict.settled_by}.",
                f"Le conflit {conflict_id} a déjà été réglé par {conflict.settled_by}.",
            )
        badge = s.get(BadgeRow, conflict.badge_serial) if conflict.badge_serial else None
        revoked = None
        if outcome == REVOCATION_CONFIRMED:
            if not can_confirm_revocation(badge):
                raise SettleRefused(
                    "This conflict names no badge to keep revoked: mark it handled.",
                    "Ce conflit ne désigne aucun badge à garder révoqué : marquez-le réglé.",
                )
            if badge.status not in FINAL:
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
            },
            now,
        )
    return Settled(conflict_id, outcome, revoked)
