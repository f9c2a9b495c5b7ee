"""Security's check of a worn badge: genuine, valid today, not revoked, not superseded.

Works offline: the signature is checked against the kiosks' public badge keys, and the
badge and its accreditation against the post's synced store. The most useful reason
comes first when a badge is not valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from kiosk.codes import CodeError, CodeProblem, Keyring, read_badge
from kiosk.model import BRUSSELS, BadgeStatus, Case, Event, Flow, Status
from kiosk.store.records import load_case
from kiosk.store.schema import BadgeRow, EventRow


@dataclass(frozen=True)
class Verification:
    """VALID or NOT VALID, the reason in both languages, and who the badge names."""

    valid: bool
    # Machine code: ok, forged, not_a_badge, expired, not_yet_valid, revoked, superseded,
    # not_handed_over, unknown, wrong_event.
    reason: str
    reason_en: str
    reason_fr: str
    serial: str | None = None
    case: Case | None = None
    valid_from: date | None = None
    valid_until: date | None = None


def _no(reason: str, en: str, fr: str, **kw: object) -> Verification:
    return Verification(False, reason, en, fr, **kw)  # type: ignore[arg-type]


def _fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def verify_badge(
    text: str, keyring: Keyring, session: Session, now: datetime, event_id: str | None = None
) -> Verification:
    """Check a scanned badge code; `event_id` is the event this post admits to, if any."""
    try:
        claim, _key = read_badge(text, keyring)
    except CodeError as err:
        if err.problem is CodeProblem.UNKNOWN_KEY:
            return _no(
                "forged",
                "FORGED: the badge is signed by a key no longer trusted (or never trusted) "
                "here. Keep it. If it was issued minutes ago, sync and scan again.",
                "FALSIFIÉ : le badge est signé d'une clé à laquelle ce poste ne se fie plus "
                "(ou jamais). Le retenir. S'il vient d'être délivré, synchroniser et "
                "scanner à nouveau.",
            )
        if err.problem is CodeProblem.BAD_SIGNATURE:
            return _no(
                "forged",
                "FORGED: the badge's signature is not genuine.",
                "FALSIFIÉ : la signature du badge n'est pas authentique.",
            )
        return _no(
            "not_a_badge",
            "Not a badge code: scan the QR code on the badge.",
            "Pas un code de badge : scanner le code QR du badge.",
        )
    dates = {
        "serial": claim.serial,
        "valid_from": claim.valid_from,
        "valid_until": claim.valid_until,
    }
    case = load_case(session, claim.accreditation_id)
    if case is None:
        return _no(
            "unknown",
            "Unknown here: this post has no record of the accreditation "
            "(sync, or call the pass office).",
            "Inconnu ici : ce poste n'a pas trace de l'accréditation (synchroniser, "
            "ou appeler le bureau des badges).",
            **dates,
        )
    acc = case.accreditation
    if (claim.flow, claim.event_id) != (acc.flow, acc.event_id):
        return _no(
            "forged",
            "FORGED: the badge does not match the accreditation on record.",
            "FALSIFIÉ : le badge ne correspond pas à l'accréditation enregistrée.",
            case=case,
            **dates,
        )
    row = session.get(BadgeRow, claim.serial)
    found = _revoked_or_superseded(case, row, claim.serial)
    if found:
        return _no(*found, case=case, **dates)  # type: ignore[arg-type]
    today = now.astimezone(BRUSSELS).date()
    if today > claim.valid_until:
        return _no(
            "expired",
            f"EXPIRED on {_fmt(claim.valid_until)}.",
            f"EXPIRÉ le {_fmt(claim.valid_until)}.",
            case=case,
            **dates,
        )
    if today < claim.valid_from:
        return _no(
            "not_yet_valid",
            f"Not valid before {_fmt(claim.valid_from)}.",
            f"Pas valable avant le {_fmt(claim.valid_from)}.",
            case=case,
            **dates,
        )
    wrong = _wrong_event(session, case, event_id)
    if wrong:
        return _no("wrong_event", *wrong, case=case, **dates)
    return Verification(True, "ok", "VALID today.", "VALABLE aujourd'hui.", case=case, **dates)


def _revoked_or_superseded(
    case: Case, row: BadgeRow | None, serial: str
) -> tuple[str, str, str] | None:
    if case.accreditation.status is not Status.APPROVED or (
        row is not None and row.status == BadgeStatus.REVOKED.value
    ):
        return (
            "revoked",
            "REVOKED: the accreditation was withdrawn. Keep the badge.",
            "RÉVOQUÉ : l'accréditation a été retirée. Retenir le badge.",
        )
    if row is not None and row.status in (BadgeStatus.PREPRINTED, BadgeStatus.PRINT_FAILED):
        return (
            "not_handed_over",
            f"NOT HANDED OVER: badge {serial} was never given to its holder at a counter. Keep it.",
            f"NON REMIS : le badge {serial} n'a jamais été remis à son titulaire à un "
            "guichet. Le retenir.",
        )
    if row is not None and row.status == BadgeStatus.SUPERSEDED.value:
        return (
            "superseded",
            f"SUPERSEDED: badge {serial} was replaced by {row.superseded_by}. Keep this one.",
            f"REMPLACÉ : le badge {serial} a été remplacé par {row.superseded_by}. "
            "Retenir celui-ci.",
        )
    return None


def _wrong_event(session: Session, case: Case, post_event: str | None) -> tuple[str, str] | None:
    """An event badge opens its own event and those declared valid with it; an annual
    badge opens HQ events that admit annual holders, never events outside HQ."""
    if post_event is None:
        return None
    row = session.get(EventRow, post_event)
    name = row.name if row else post_event
    if case.accreditation.flow is Flow.ANNUAL:
        ok = row is not None and row.at_hq and row.annual_admitted
    else:
        ok = case.accreditation.event_id == post_event or post_event in _valid_with(case.event)
    if ok:
        return None
    return (f"Not valid for {name}.", f"Pas valable pour {name}.")


def _valid_with(event: Event | None) -> tuple[str, ...]:
    return event.valid_with if event else ()
