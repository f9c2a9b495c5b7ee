"""Security's check of a worn badge: genuine, signed by the kiosk it names, within what
its accreditation allows, on the site's list, valid today, not revoked or superseded.

Works offline: the signature is checked against the badge keys the post's store trusts
(with their owners, as the hub names them), and the badge and its accreditation against
the post's synced store. The rules are pure functions in `kiosk/badge_checks.py`; here
the post gathers what they need and puts the most useful failing reason first.
`SecurityPost` is the service the security screen and `kiosk security verify` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.badge_checks import (
    BadgeList,
    PostCheck,
    check_dates,
    check_event,
    check_key_owner,
    check_listed,
    check_record,
    check_status,
    check_today,
)
from kiosk.codes import BadgeClaim, CodeError, CodeProblem, Keyring, read_badge, split_serial
from kiosk.counter import KeyWatch, load_keyring
from kiosk.model import BRUSSELS, Case, Event
from kiosk.store.database import Store
from kiosk.store.records import load_case, photo, to_event
from kiosk.store.schema import BadgeRow, EventRow, SyncStateRow

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Verification:
    """VALID or NOT VALID, the headline reason in both languages, every check behind it,
    and what the badge names."""

    valid: bool
    # Machine code of the headline: ok, forged, not_a_badge, wrong_kiosk, key_owner_unknown,
    # unknown, bad_dates, revoked, not_handed_over, superseded, unknown_serial, unlisted,
    # expired, not_yet_valid, wrong_event.
    reason: str
    reason_en: str
    reason_fr: str
    serial: str | None = None
    case: Case | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    kiosk_id: str | None = None  # the kiosk the badge says issued it
    checks: tuple[PostCheck, ...] = ()  # in order of usefulness: failures first

    @property
    def to_confirm(self) -> bool:
        """Genuine in every way the post can tell, but not on its list yet: perhaps issued
        since its last sync. Not valid until the pass office confirms it (by radio), or a
        sync brings it."""
        return self.reason == "unlisted"

    @property
    def verdict(self) -> str:
        """What the post shows in large letters: VALID, CHECK (`to_confirm`), NOT VALID."""
        if self.valid:
            return "VALID"
        return "CHECK" if self.to_confirm else "NOT VALID"


def _signature_failure(err: CodeError) -> PostCheck:
    if err.problem is CodeProblem.UNKNOWN_KEY:
        return PostCheck(
            "signature",
            False,
            "forged",
            "FORGED: the badge is signed by a key no longer trusted (or never trusted) "
            "here. Keep it. If it was issued minutes ago, sync and scan again.",
            "FALSIFIÉ : le badge est signé d'une clé à laquelle ce poste ne se fie plus "
            "(ou jamais). Le retenir. S'il vient d'être délivré, synchroniser et "
            "scanner à nouveau.",
        )
    if err.problem is CodeProblem.BAD_SIGNATURE:
        return PostCheck(
            "signature",
            False,
            "forged",
            "FORGED: the badge's signature is not genuine.",
            "FALSIFIÉ : la signature du badge n'est pas authentique.",
        )
    return PostCheck(
        "signature",
        False,
        "not_a_badge",
        "Not a badge code: scan the QR code on the badge.",
        "Pas un code de badge : scanner le code QR du badge.",
    )


GENUINE = PostCheck(
    "signature",
    True,
    "ok",
    "The signature is genuine.",
    "La signature est authentique.",
)


def verify_badge(
    text: str, keyring: Keyring, session: Session, now: datetime, event_id: str | None = None
) -> Verification:
    """Check a scanned badge code; `event_id` is the event this post admits to, if any.
    Every check that can run does; the verdict is VALID only if all of them hold."""
    try:
        claim, key_id = read_badge(text, keyring)
    except CodeError as err:
        return _verdict((_signature_failure(err),))
    case = load_case(session, claim.accreditation_id)
    row = session.get(BadgeRow, claim.serial)
    checks = [GENUINE, check_key_owner(claim, key_id, keyring.owner(key_id))]
    checks.append(check_record(claim, case))
    if case is not None:
        checks.append(check_dates(claim, case))
        status, replaced_by = (row.status, row.superseded_by) if row else (None, None)
        checks.append(check_status(case.accreditation.status, claim.serial, status, replaced_by))
    badges = BadgeList(True) if row else _badge_list(session, claim)  # read only if needed
    checks.append(check_listed(claim, row is not None, badges, now))
    checks.append(check_today(claim, now.astimezone(BRUSSELS).date()))
    if case is not None:
        checks.append(check_event(case, event_id, _post_event(session, event_id)))
    return _verdict(tuple(checks), claim, case)


def _verdict(
    checks: tuple[PostCheck, ...], claim: BadgeClaim | None = None, case: Case | None = None
) -> Verification:
    """The verdict of `checks` (listed most important first): failures lead."""
    failed = tuple(c for c in checks if not c.ok)
    ordered = failed + tuple(c for c in checks if c.ok)
    about = {}
    if claim is not None:
        about = {
            "serial": claim.serial,
            "valid_from": claim.valid_from,
            "valid_until": claim.valid_until,
            "kiosk_id": claim.kiosk_id,
        }
    if failed:
        head = failed[0]
        return Verification(
            False, head.code, head.reason_en, head.reason_fr, case=case, checks=ordered, **about
        )
    return Verification(
        True, "ok", "VALID today.", "VALABLE aujourd'hui.", case=case, checks=ordered, **about
    )


def _badge_list(session: Session, claim: BadgeClaim) -> BadgeList:
    """What the store knows of the site's badges, for a serial it does not hold."""
    state = session.get(SyncStateRow, 1)
    if state is None:
        return BadgeList(enrolled=False)
    serials = session.scalars(select(BadgeRow.serial).where(BadgeRow.kiosk_id == claim.kiosk_id))
    highest = max((split_serial(s)[1] for s in serials), default=None)
    complete = state.last_sync_at is not None and not state.last_error
    return BadgeList(True, state.last_sync_at, highest, complete)


def _post_event(session: Session, event_id: str | None) -> Event | None:
    row = session.get(EventRow, event_id) if event_id else None
    return to_event(row) if row else None


class SecurityPost:
    """A security post on a store: verifies scanned badges for the event it admits to
    (None: the headquarters), at the clock's time. Badge keys that sync brings or retires
    are noticed at the next scan, without a restart (`KeyWatch`)."""

    def __init__(self, store: Store, clock: Clock, event_id: str | None = None) -> None:
        self.store, self.clock, self.event_id = store, clock, event_id
        self._keys = KeyWatch(store, "badge")
        self._keyring = load_keyring(store, "badge")

    def verify(self, text: str) -> Verification:
        """The verification of one scanned badge code, changing nothing."""
        with self.store.reading() as s:
            self._keyring = self._keys.refresh(s, self._keyring)
            return verify_badge(text, self._keyring, s, self.clock(), self.event_id)

    def photo(self, verification: Verification) -> bytes | None:
        """The photo of the person the verified badge names, if the post holds it."""
        if verification.case is None:
            return None
        with self.store.reading() as s:
            return photo(s, verification.case.person.id)

    def event_known(self) -> bool:
        """Whether the store holds the event this post admits to (always, for HQ)."""
        if self.event_id is None:
            return True
        with self.store.reading() as s:
            return s.get(EventRow, self.event_id) is not None
