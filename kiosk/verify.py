"""Security's check of a worn badge: genuine, signed by the kiosk it names, within what
its accreditation allows, on the site's list, valid today, not revoked or superseded.

Works offline: the signature is checked against the badge keys the post's store trusts
(with their owners, as the hub names them), and the badge and its accreditation against
the post's synced store. The rules are pure functions in `kiosk/badge_checks.py`; here
the post gathers what they need and puts the most useful failing reason first.
`SecurityPost` is the service the security screen and `kiosk security verify` call.

A badge's Code128 serial alone (a guard's 1D scanner) is not signed: anyone can print
one. It is looked up all the same: a serial whose badge the post knows to be revoked,
replaced, never handed over or out of its days is NOT VALID; any other serial gets SCAN
QR, in a neutral colour, with the holder's photo when the post knows the badge. So a
valid badge's serial never reads NOT VALID.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
from kiosk.badge_life import VOIDED, last_event
from kiosk.clock_check import ClockWarning, clock_warning, stored_reading
from kiosk.codes import (
    KIOSK_ID_MOST,
    SERIAL_FORM,
    SERIAL_TYPED_MOST,
    BadgeClaim,
    CodeError,
    CodeKind,
    CodeProblem,
    Keyring,
    misread_badge,
    misread_serial,
    normalise,
    read_badge,
    split_serial,
    to_text,
)
from kiosk.counter import KeyWatch, load_keyring
from kiosk.model import BRUSSELS, Case, Counter, Event, Flow
from kiosk.store.database import Store
from kiosk.store.records import load_case, photo, to_event
from kiosk.store.schema import BadgeRow, EventRow, SyncStateRow

Clock = Callable[[], datetime]
# The headline codes that are no verdict on the badge yet, and what the post shows then
# (every other failing code is NOT VALID). New reasons slot in here or fail as NOT VALID.
UNDECIDED = {
    "unlisted": "CHECK",  # genuine, not on the post's list yet: radio or sync first
    "no_keys": "CHECK",  # the post holds no badge key yet (never synced): it cannot tell
    "serial_only": "SCAN QR",  # a serial alone cannot be verified: scan the QR code
    "misread": "SCAN QR",  # a badge code cut short: scan it again
}
# Every headline code a post gives (a badge's life events: kiosk/badge_life.py; a
# serial alone: serial_only); the hub's console names each (hub/web/texts.py).
REASONS = (
    "ok",
    "forged",
    "not_a_badge",
    "misread",
    "wrong_kiosk",
    "key_owner_unknown",
    "unknown",
    "bad_dates",
    "revoked",
    "not_handed_over",
    "superseded",
    "lost",
    "stolen",
    "damaged",
    "found",
    "returned",
    "unknown_serial",
    "unlisted",
    "no_keys",
    "serial_only",
    "expired",
    "not_yet_valid",
    "wrong_event",
)
BADGE_PREFIX = to_text(bytes([CodeKind.BADGE]))  # the letters every badge code starts with
# How old the post's data may grow before the screen warns (settings.json on the post:
# post_data_limit_minutes, ui/settings.py).
DATA_LIMIT = timedelta(minutes=30)
CLOCK_SLACK = timedelta(minutes=1)  # a last sync this far "ahead" is the clock set back


@dataclass(frozen=True)
class Verification:
    """VALID or NOT VALID, the headline reason in both languages, every check behind it,
    and what the badge names."""

    valid: bool
    reason: str  # machine code of the headline: one of REASONS
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
    def undecided(self) -> bool:
        """No verdict on the badge yet (`UNDECIDED`): shown in a neutral colour, never
        as NOT VALID."""
        return not self.valid and self.reason in UNDECIDED

    @property
    def verdict(self) -> str:
        """What the post shows in large letters: VALID, CHECK (`to_confirm`), SCAN QR (a
        serial alone), NOT VALID."""
        if self.valid:
            return "VALID"
        return UNDECIDED.get(self.reason, "NOT VALID")


def _signature_failure(err: CodeError, misread: str | None = None) -> PostCheck:
    """Why a scanned text is no genuine badge code; `misread`: it is a badge code's letters
    cut short or run on (`misread_badge`)."""
    if err.problem is CodeProblem.UNKNOWN_KEY:
        return PostCheck(
            "signature",
            False,
            "forged",
            "FORGED: the badge is signed by a key no longer trusted (or never trusted) "
            "here. Take the badge from the holder. If it was issued minutes ago, sync and "
            "scan again.",
            "FALSIFIÉ : le badge est signé d'une clé à laquelle ce poste ne se fie plus "
            "(ou jamais). Retirer le badge à son porteur. S'il vient d'être délivré, "
            "synchroniser et scanner à nouveau.",
        )
    if err.problem is CodeProblem.BAD_SIGNATURE:
        return PostCheck(
            "signature",
            False,
            "forged",
            "FORGED: the badge's signature is not genuine. Take the badge from the holder.",
            "FALSIFIÉ : la signature du badge n'est pas authentique. Retirer le badge à son "
            "porteur.",
        )
    if err.problem is CodeProblem.WRONG_KIND:
        return PostCheck(
            "signature",
            False,
            "not_a_badge",
            "A confirmation letter's code, not a badge: the badge is collected at the pass "
            "office. Scan the QR code on the badge.",
            "Code d'une lettre de confirmation, pas d'un badge : le badge se retire au bureau "
            "des badges. Scanner le code QR du badge.",
        )
    if misread == "run on":
        return PostCheck(
            "signature",
            False,
            "misread",
            "More letters than a badge's code (two scans ran together, or a letter was read "
            "twice): scan the QR code on the badge again. If this comes back, the badge is not "
            "genuine: take it from the holder.",
            "Plus de lettres qu'un code de badge (deux lectures à la suite, ou une lettre lue "
            "deux fois) : scanner à nouveau le code QR du badge. Si ce message revient, le "
            "badge n'est pas authentique : le retirer à son porteur.",
        )
    if misread:
        return PostCheck(
            "signature",
            False,
            "misread",
            "Part of a badge's code only (the scan was cut short): scan the QR code on the "
            "badge again. If this comes back, the badge is not genuine: take it from the "
            "holder.",
            "Une partie seulement d'un code de badge (lecture interrompue) : scanner à "
            "nouveau le code QR du badge. Si ce message revient, le badge n'est pas "
            "authentique : le retirer à son porteur.",
        )
    return PostCheck(
        "signature",
        False,
        "not_a_badge",
        "Not a badge code: scan the QR code on the badge.",
        "Pas un code de badge : scanner le code QR du badge.",
    )


def _serial_misread(text: str, misread: str) -> PostCheck:
    """A badge serial read in part or twice (`misread_serial`): no verdict on a badge."""
    if misread == "run on":
        return PostCheck(
            "signature",
            False,
            "misread",
            f"{text}: a badge's serial read twice, or two serials run together: scan the QR "
            "code on the badge.",
            f"{text} : numéro de badge lu deux fois, ou deux numéros à la suite : scanner le "
            "code QR du badge.",
        )
    return PostCheck(
        "signature",
        False,
        "misread",
        f"{text}: a badge's serial read only in part: scan the QR code on the badge.",
        f"{text} : numéro de badge lu en partie seulement : scanner le code QR du badge.",
    )


NO_KEYS = PostCheck(
    "signature",
    False,
    "no_keys",
    "This post holds no badge keys yet (it has never synced): it cannot check badges. "
    "Sync the post, or call the pass office.",
    "Ce poste n'a encore aucune clé de badge (jamais synchronisé) : il ne peut pas "
    "contrôler les badges. Synchroniser le poste, ou appeler le bureau des badges.",
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
    """Check a scanned badge code; `event_id` is the event (or events, comma-separated:
    `post_events`) this post admits to, if any.
    Every check that can run does; the verdict is VALID only if all of them hold."""
    try:
        claim, key_id = read_badge(text, keyring)
    except CodeError as err:
        serial = misread_serial(text) or typed_misread(text, session)
        if serial:
            return _verdict((_serial_misread(text.strip().upper(), serial),))
        if err.problem is CodeProblem.UNKNOWN_KEY and not len(keyring):
            return _verdict((NO_KEYS,))  # never FORGED on a post that trusts no key yet
        return _verdict((_signature_failure(err, misread_badge(text)),))
    case = load_case(session, claim.accreditation_id)
    row = session.get(BadgeRow, claim.serial)
    checks = [GENUINE, check_key_owner(claim, key_id, keyring.owner(key_id))]
    checks.append(check_record(claim, case, row.accreditation_id if row else None))
    if case is not None:
        checks.append(check_dates(claim, case, (row.valid_from, row.valid_until) if row else None))
        status, replaced_by = (row.status, row.superseded_by) if row else (None, None)
        voided = _voided(session, claim.serial) if status in VOIDED else None
        checks.append(
            check_status(case.accreditation.status, claim.serial, status, replaced_by, voided)
        )
    badges = BadgeList(True) if row else _badge_list(session, claim)  # read only if needed
    checks.append(check_listed(claim, row is not None, badges, now))
    checks.append(check_today(claim, now.astimezone(BRUSSELS).date()))
    if case is not None:
        checks.append(_check_events(session, case, post_events(event_id)))
    return _verdict(tuple(checks), claim, case)


def is_serial(text: str) -> bool:
    """Whether `text` is a badge serial as its Code128 barcode gives it (G1-000042)."""
    return bool(SERIAL_FORM.fullmatch(text.strip()))


def typed_serial(text: str, session: Session) -> str | None:
    """The serial `text` is when typed by hand without its hyphen (G1000003 for
    G1-000003): the one the post holds, else the first form a serial may take, so that it
    reads SCAN THE QR CODE as a serial does, never NOT VALID. None for anything else (a
    badge code starts with its kind's letters)."""
    typed = _hyphenless(text)
    if typed is None:
        return None
    forms = [f"{typed[:-n]}-{typed[-n:]}" for n in (6, 7, 8)]
    forms = [f for f in forms if SERIAL_FORM.fullmatch(f)]
    held = [f for f in forms if session.get(BadgeRow, f) is not None]
    if not held and typed_misread(typed, session):
        return None  # read in part or twice: `verify_badge` says so
    return (held or forms or [None])[0]


def typed_misread(text: str, session: Session) -> str | None:
    """Whether `text` is a serial read in part or twice and typed without its hyphens
    (G10000 for G1-0000, G1000001G1000002): `misread_serial` of it with a hyphen put back
    after each kiosk id the post holds badges of. None for anything else: text that does
    not start with such a kiosk id is no serial the post could tell."""
    typed = _hyphenless(text)
    if typed is None or len(typed) > SERIAL_TYPED_MOST:  # no serial, cut or run on
        return None
    starts = [j for j, c in enumerate(typed) if c.isalpha()]
    ids = {
        typed[j:i]
        for j in starts
        for i in range(j + 1, min(len(typed), j + KIOSK_ID_MOST + 1))
        if typed[i].isdigit()
    }
    known = sorted(
        session.scalars(select(BadgeRow.kiosk_id).where(BadgeRow.kiosk_id.in_(ids)).distinct()),
        key=len,
        reverse=True,
    )
    if not known:
        return None
    hyphened = re.sub(f"({'|'.join(known)})(?=[0-9])", r"\1-", typed)
    return misread_serial(hyphened) if hyphened.split("-")[0] in known else None


def _hyphenless(text: str) -> str | None:
    """`text` in capitals if it could be a serial typed without its hyphen: letters and
    digits only, starting with a letter, and no badge code (those start with their kind's
    letters). None otherwise."""
    typed = text.strip().upper()
    if not typed.isascii() or not typed.isalnum() or not typed[0].isalpha():
        return None
    return None if normalise(typed).startswith(BADGE_PREFIX) else typed


def verify_serial(
    serial: str, session: Session, now: datetime, event_id: str | None = None
) -> Verification:
    """What a badge's serial alone tells the post (see the module's docstring): the
    badge's record checked like a QR code's claim, and SCAN QR at best."""
    serial = serial.strip()
    row = session.get(BadgeRow, serial)
    case = load_case(session, row.accreditation_id) if row else None
    if row is None or case is None:
        return _verdict((_serial_only(serial, known=False),))
    kiosk_id, seq = split_serial(serial)
    acc = case.accreditation
    event_id_of_badge = acc.event_id if acc.flow is Flow.EVENT else None
    claim = BadgeClaim(
        acc.id,
        kiosk_id,
        seq,
        row.valid_from,
        row.valid_until,
        acc.flow,
        Counter(row.counter),
        event_id_of_badge,
    )
    voided = _voided(session, serial) if row.status in VOIDED else None
    checks = (
        check_status(acc.status, serial, row.status, row.superseded_by, voided),
        check_today(claim, now.astimezone(BRUSSELS).date()),
        _check_events(session, case, post_events(event_id)),
    )
    holds = all(c.ok for c in checks)  # last: a failure above is the headline
    return _verdict((*checks, _serial_only(serial, known=True, holds=holds)), claim, case)


def _serial_only(serial: str, known: bool, holds: bool = False) -> PostCheck:
    if known and not holds:  # another line says why the badge is not valid
        return PostCheck(
            "signature",
            False,
            "serial_only",
            f"Serial {serial} read from the barcode: a serial is not signed.",
            f"Numéro {serial} lu sur le code-barres : un numéro n'est pas signé.",
        )
    if known:
        return PostCheck(
            "signature",
            False,
            "serial_only",
            f"Serial {serial} only: its record holds, but a serial can be copied. Compare "
            "the photo, and scan the QR code on the badge to confirm.",
            f"Numéro {serial} seul : son dossier est en règle, mais un numéro peut être "
            "copié. Comparer la photo, et scanner le code QR du badge pour confirmer.",
        )
    return PostCheck(
        "signature",
        False,
        "serial_only",
        f"Serial {serial} only, and this post holds no badge with it (perhaps issued after "
        "its data was last brought up to date): scan the QR code on the badge.",
        f"Numéro {serial} seul, et ce poste n'a aucun badge portant ce numéro (peut-être "
        "émis après la dernière mise à jour de ses données) : scanner le code QR du badge.",
    )


def post_events(event_id: str | None) -> tuple[str, ...]:
    """The events a post admits to: `event_id` may name several, comma-separated
    ("DEFMIN,UDCG"); none is the headquarters."""
    return tuple(e.strip() for e in (event_id or "").split(",") if e.strip())


def _check_events(session: Session, case: Case, event_ids: tuple[str, ...]) -> PostCheck:
    """A post admitting to several events lets a badge in if any of them admits it."""
    if not event_ids:
        return check_event(case, None, None)
    checks = [check_event(case, e, _post_event(session, e)) for e in event_ids]
    if len(checks) == 1 or any(c.ok for c in checks):
        return next((c for c in checks if c.ok), checks[0])
    events = [
        (ev.name, ev.french_name) if (ev := _post_event(session, e)) else (e, e) for e in event_ids
    ]
    names, noms = ", ".join(n for n, _ in events), ", ".join(n for _, n in events)
    return PostCheck(
        "event",
        False,
        "wrong_event",
        f"NOT VALID for any event of this post ({names}): do not let the holder in.",
        f"PAS VALABLE pour les événements de ce poste ({noms}) : ne pas "
        "laisser entrer son porteur.",
    )


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


def _voided(session: Session, serial: str) -> tuple[datetime, str] | None:
    """When and where a voided badge's last event was recorded, if the post holds it."""
    last = last_event(session, serial)
    return (last.at, last.kiosk_id) if last else None


def _post_event(session: Session, event_id: str | None) -> Event | None:
    row = session.get(EventRow, event_id) if event_id else None
    return to_event(row) if row else None


@dataclass(frozen=True)
class PostData:
    """How current the post's data is: fed by a hub (`enrolled`) or the site's own store;
    `online` while the last sync attempt succeeded; the data's `age` since the last
    successful sync (None: never synced); `stale` once older than the post's limit;
    `clock`, the warning when the post's clock was last found off the hub's."""

    enrolled: bool
    online: bool
    synced_at: datetime | None
    age: timedelta | None
    limit: timedelta
    clock: ClockWarning | None = None

    @property
    def stale(self) -> bool:
        """Older than the limit, never synced, or synced "after" now (the post's clock
        was set back since: its data's age is not known): revocations may be missing."""
        return self.enrolled and (
            self.age is None or self.age > self.limit or self.age < -CLOCK_SLACK
        )


def data_state(session: Session, now: datetime, limit: timedelta = DATA_LIMIT) -> PostData:
    """The post's `PostData` at `now`, from its sync state."""
    state = session.get(SyncStateRow, 1)
    if state is None:
        return PostData(False, True, None, None, limit)
    synced = state.last_sync_at
    age = now - synced if synced else None
    tried = state.last_attempt_at is not None or synced is not None
    online = tried and not state.last_error  # enrolled, never tried: not online
    return PostData(True, online, synced, age, limit, _post_clock(state, now))


def _post_clock(state: SyncStateRow, now: datetime) -> ClockWarning | None:
    """The clock warning of a post whose sync state is `state` (kiosk/clock_check.py)."""
    reading = stored_reading(state.clock_low_ms, state.clock_high_ms, state.clock_measured_at)
    return clock_warning(reading, now, post=True)


class SecurityPost:
    """A security post on a store: verifies scanned badges for the event(s) it admits to
    (comma-separated; None: the headquarters), at the clock's time. Badge keys that sync
    brings or retires are noticed at the next scan, without a restart (`KeyWatch`)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        event_id: str | None = None,
        data_limit: timedelta = DATA_LIMIT,
    ) -> None:
        self.store, self.clock, self.event_id = store, clock, event_id
        self.data_limit = data_limit
        self._keys = KeyWatch(store, "badge")
        self._keyring = load_keyring(store, "badge")

    def verify(self, text: str) -> Verification:
        """The verification of one scanned badge code (or its serial), changing nothing."""
        with self.store.reading() as s:
            serial = text if is_serial(text) else typed_serial(text, s)
            if serial:
                return verify_serial(serial, s, self.clock(), self.event_id)
            self._keyring = self._keys.refresh(s, self._keyring)
            return verify_badge(text, self._keyring, s, self.clock(), self.event_id)

    def data(self) -> PostData:
        """How current the post's data is now."""
        with self.store.reading() as s:
            return data_state(s, self.clock(), self.data_limit)

    def photo(self, verification: Verification) -> bytes | None:
        """The photo of the person the verified badge names, if the post holds it."""
        if verification.case is None:
            return None
        with self.store.reading() as s:
            return photo(s, verification.case.person.id)

    def event_known(self) -> bool:
        """Whether the store holds every event this post admits to (always, for HQ)."""
        return not self.unknown_events()

    def known_events(self) -> tuple[str, ...]:
        """The ids of the events the store holds, in order."""
        with self.store.reading() as s:
            return tuple(s.scalars(select(EventRow.id).order_by(EventRow.id)))

    def unknown_events(self) -> tuple[str, ...]:
        """The events this post admits to that the store does not hold."""
        with self.store.reading() as s:
            return tuple(e for e in post_events(self.event_id) if s.get(EventRow, e) is None)
