"""Each badge a security post checks, journalled under the signed-in guard's name.

An entry's details hold the post's answer in three words (`valid`, `not_valid`, or
`undecided`: CHECK or SCAN QR, no verdict on the badge yet), the headline reason
(kiosk/verify.py's code, like `revoked` or `forged`) and the events the post admits to;
its columns, the badge's serial (in the form the hub takes, `SERIAL_FORM`) and its
accreditation when the post read them. Never the scanned text or a name; the verdict
column stays empty, as it holds a counter's verdicts. So the office sees, at the hub,
where and when a revoked or forged badge was shown, and which guard turned it away. A
guard whose account was disabled or given another role since signing in records nothing
more (`AccountStopped`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.codes import SERIAL_FORM
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow
from kiosk.verify import Verification

ACTION = "post_check"
ANSWERS = ("valid", "not_valid", "undecided")  # the post's answer, as the journal keeps it
HQ = "HQ"  # the events a headquarters post admits to, as its entries name them


def answer(v: Verification) -> str:
    """`valid`, `not_valid` or `undecided`: the post's answer as the journal keeps it."""
    valid, not_valid, undecided = ANSWERS
    if v.valid:
        return valid
    return undecided if v.undecided else not_valid


class PostJournal:
    """The journal of the security post at kiosk `kiosk_id`, admitting to `event_id`
    (comma-separated; None: the headquarters)."""

    def __init__(
        self, store: Store, kiosk_id: str, clock: Callable[[], datetime], event_id: str | None
    ) -> None:
        self.store, self.kiosk_id, self.clock, self.event_id = store, kiosk_id, clock, event_id

    def record(self, verification: Verification, guard: Actor) -> None:
        """Journal that `guard` checked a badge and what the post answered; AccessDenied if
        the guard may not check badges, AccountStopped if the session must end."""
        require(guard.role, Action.VERIFY_BADGE)
        case, serial = verification.case, verification.serial
        with self.store.writing() as s:
            ensure_enabled(s, guard)
            s.add(
                JournalRow(
                    at=self.clock(),
                    kiosk_id=self.kiosk_id,
                    actor=guard.name,
                    action=ACTION,
                    accreditation_id=case.accreditation.id if case else None,
                    badge_serial=serial if serial and SERIAL_FORM.fullmatch(serial) else None,
                    details={
                        "role": guard.role.value,
                        "answer": answer(verification),
                        "reason": verification.reason,
                        "post": self.event_id or HQ,
                    },
                )
            )
