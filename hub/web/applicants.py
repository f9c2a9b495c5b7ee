"""Accreditations at the hub: search, one applicant's history, and revoking one.

The history gathers what the hub holds of an accreditation: its status decisions, its
confirmation code, its badges with every journal row that names them, the refusals at
the desks (verdict and failing checks), and the conflicts it was in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from hub.database import HubDatabase, lock_changes
from hub.purge import journal
from hub.schema import (
    AccreditationRow,
    BadgeRow,
    ConflictRow,
    EventRow,
    JournalRow,
    PersonRow,
    StatusChangeRow,
)
from hub.statuses import LIVE, apply_status
from hub.web.name_search import HubNames
from hub.web.site_today import REFUSING
from kiosk.model import Status
from kiosk.office_texts import FrenchTextError, check_french
from kiosk.post_journal import ACTION as POST_CHECK
from kiosk.typed import line_refusal

SEARCH_LIMIT = 50
REASON_MAX = 2000
POST_CHECKS_SHOWN = 10  # a badge's latest checks at security posts on its applicant's page
_ID = re.compile(r"[Aa]?0*(\d{1,10})")


@dataclass(frozen=True)
class Found:
    """One accreditation a search found."""

    id: int
    surname: str
    given_names: str
    organisation: str
    event: str
    status: str
    event_fr: str = ""  # the event's name on French pages (`event` when none was given)


@dataclass(frozen=True)
class History:
    """Everything the hub holds about one accreditation."""

    accreditation: AccreditationRow
    person: PersonRow
    event: EventRow | None
    decisions: list[StatusChangeRow]
    # Each badge, its journal rows (a security post's checks: the latest POST_CHECKS_SHOWN)
    # and how many earlier checks are left out.
    badges: list[tuple[BadgeRow, list[JournalRow], int]]
    refusals: list[JournalRow]
    conflicts: list[ConflictRow]


def search(db: HubDatabase, text: str, names: HubNames | None = None) -> list[Found]:
    """Accreditations whose id ("A0000042" or 42), name or organisation matches `text`:
    names as a counter finds them (`names`, hub/web/name_search.py) first, best first,
    then the other matches by surname."""
    text = text.strip()[:100]
    if not text:
        return []
    acc, p = AccreditationRow, PersonRow
    if m := _ID.fullmatch(text):
        return [f for _, f in _found(db, acc.id == int(m.group(1)))]
    named = (names or HubNames(db)).matching(text)[:SEARCH_LIMIT]
    rank = {pid: i for i, pid in enumerate(named)}
    # Every accreditation of the people found (a person may hold several), then by rank.
    held = _found(db, acc.person_id.in_(named), limit=SEARCH_LIMIT * 10)
    by_name = sorted(held, key=lambda pf: rank[pf[0]])
    like = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    columns = (p.surname, p.given_names, p.organisation)
    others = _found(db, or_(*(func.lower(c).like(like, escape="\\") for c in columns)))
    seen = {f.id for _, f in by_name}
    found = [f for _, f in by_name] + [f for _, f in others if f.id not in seen]
    return found[:SEARCH_LIMIT]


def _found(db: HubDatabase, where, limit: int = SEARCH_LIMIT) -> list[tuple[int, Found]]:
    """(person id, accreditation) of the first `limit` accreditations `where` selects,
    by surname."""
    acc, p = AccreditationRow, PersonRow
    query = (
        select(
            acc.person_id,
            acc.id,
            p.surname,
            p.given_names,
            p.organisation,
            EventRow.name,
            acc.year,
            acc.status,
            EventRow.name_fr,
        )
        .join(p, p.id == acc.person_id)
        .outerjoin(EventRow, EventRow.id == acc.event_id)
        .where(where)
        .order_by(p.surname, acc.id)
        .limit(limit)
    )
    with db.reading() as s:
        rows = s.execute(query).all()
    return [
        (r[0], Found(r[1], r[2], r[3], r[4], r[5] or f"{r[6]}", r[7], r[8] or r[5] or f"{r[6]}"))
        for r in rows
    ]


def history(db: HubDatabase, accreditation_id: int) -> History | None:
    """The history of one accreditation, or None if there is none."""
    with db.reading() as s:
        acc = s.get(AccreditationRow, accreditation_id)
        if acc is None:
            return None
        badges = s.scalars(
            select(BadgeRow).where(BadgeRow.accreditation_id == acc.id).order_by(BadgeRow.issued_at)
        ).all()
        rows = s.scalars(
            select(JournalRow)
            .where(JournalRow.accreditation_id == acc.id)
            .order_by(JournalRow.at, JournalRow.id)
        ).all()
        return History(
            accreditation=acc,
            person=s.get(PersonRow, acc.person_id),
            event=s.get(EventRow, acc.event_id) if acc.event_id else None,
            decisions=list(
                s.scalars(
                    select(StatusChangeRow)
                    .where(StatusChangeRow.accreditation_id == acc.id)
                    .order_by(StatusChangeRow.id)
                )
            ),
            badges=[_told(b, [r for r in rows if r.badge_serial == b.serial]) for b in badges],
            refusals=[r for r in rows if r.verdict in REFUSING],
            conflicts=list(
                s.scalars(
                    select(ConflictRow)
                    .where(ConflictRow.accreditation_id == acc.id)
                    .order_by(ConflictRow.id)
                )
            ),
        )


def _told(badge: BadgeRow, rows: list[JournalRow]) -> tuple[BadgeRow, list[JournalRow], int]:
    """A badge with its rows, only its latest POST_CHECKS_SHOWN checks at security posts
    among them (an annual badge is checked every working day), and how many are left out."""
    checks = [r for r in rows if r.action == POST_CHECK]
    left_out = {id(r) for r in checks[:-POST_CHECKS_SHOWN]}
    return badge, [r for r in rows if id(r) not in left_out], len(left_out)


class RevokeRefused(ValueError):
    """A revocation that cannot be made: English and French."""

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en)
        self.en, self.fr = en, fr


@dataclass(frozen=True)
class AccreditationRevocation:
    """What revoking an accreditation would do, read before it is done."""

    id: int
    name: str  # "SURNAME, Given names"
    reason: str
    live_badges: tuple[str, ...]  # its badges still valid: revoked with it
    reason_fr: str = ""  # the reason in French, "" when none was given


def check_revoke(
    db: HubDatabase, accreditation_id: int, reason: str, reason_fr: str = ""
) -> AccreditationRevocation:
    """What revoking accreditation `accreditation_id` for `reason` (and its optional French
    `reason_fr`) would do; RevokeRefused when it cannot be done."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise RevokeRefused(
            f"Give a reason for the revocation (at most {REASON_MAX} characters).",
            f"Indiquez le motif de la révocation ({REASON_MAX} caractères au plus).",
        )
    try:
        reason_fr = check_french(reason_fr, REASON_MAX, ("reason", "motif"))
    except FrenchTextError as err:
        raise RevokeRefused(err.message_en, err.message_fr) from None
    for text in (reason, reason_fr):  # lines, as the platform's status reasons may be
        if refused := line_refusal(text, lines=True):
            raise RevokeRefused(*refused)
    with db.reading() as s:
        acc = _revocable(s.get(AccreditationRow, accreditation_id), accreditation_id)
        person = s.get(PersonRow, acc.person_id)
        live = s.scalars(
            select(BadgeRow.serial)
            .where(BadgeRow.accreditation_id == acc.id, BadgeRow.status.in_(LIVE))
            .order_by(BadgeRow.serial)
        ).all()
    name = f"{person.surname}, {person.given_names}" if person else ""
    return AccreditationRevocation(acc.id, name, reason, tuple(live), reason_fr)


def _revocable(acc: AccreditationRow | None, accreditation_id: int) -> AccreditationRow:
    """`acc` when it exists and is not revoked yet; RevokeRefused otherwise."""
    if acc is None:
        raise RevokeRefused(
            f"There is no accreditation {accreditation_id}.",
            f"Il n'y a pas d'accréditation {accreditation_id}.",
        )
    if acc.status == Status.REVOKED.value:
        raise RevokeRefused(
            f"A{accreditation_id:07d} is revoked already.",
            f"A{accreditation_id:07d} est déjà révoquée.",
        )
    return acc


def revoke(
    db: HubDatabase,
    accreditation_id: int,
    reason: str,
    by: str,
    now: datetime,
    reason_fr: str = "",
) -> list[str]:
    """Revoke an accreditation and its badges (hub/statuses.py), journalled at the hub;
    returns the serials revoked. RevokeRefused, nothing changed, when it cannot be."""
    found = check_revoke(db, accreditation_id, reason, reason_fr)
    reason, reason_fr = found.reason, found.reason_fr
    with db.writing() as s:
        lock_changes(s)
        acc = _revocable(s.get(AccreditationRow, accreditation_id), accreditation_id)
        source = f"web console ({by})"
        revoked = apply_status(s, acc, Status.REVOKED, reason, now, source, now, reason_fr)
        journal(
            s,
            "accreditation_revoke",
            by,
            {"accreditation": accreditation_id, "reason": reason, "badges_revoked": revoked},
            now,
        )
    return revoked
