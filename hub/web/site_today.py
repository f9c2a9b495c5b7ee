"""The site's day in figures, from what the hub holds: badges issued per hour and per
kiosk, the pre-printed queue, refusals at the desks by reason, and per event (or annual
year) the collection rate and no-shows by media kind.

A badge counts as issued once handed out or printing (hub/statuses.py: a failed print or
a pre-printed card waiting is not one); a superseded or revoked badge was issued too. A
refusal is a journal row where a counter showed a refusing verdict ("decision") or
refused to issue ("refusal"), under the first failing check's name. Kiosks report with
their journal: figures are as fresh as the last delivery of each.
"""

from __future__ import annotations

import csv
import io
from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.schema import AccreditationRow, BadgeRow, EventRow, JournalRow, PersonRow
from kiosk.model import BRUSSELS, BadgeStatus, Flow, Status, Verdict
from kiosk.rules import annual_window

NOT_ISSUED = (BadgeStatus.PREPRINTED.value, BadgeStatus.PRINT_FAILED.value)
REFUSING = (Verdict.REFUSE.value, Verdict.REDIRECT.value, Verdict.SUPERVISOR.value)
DESK_ACTIONS = ("decision", "refusal")
RECENT_EVENTS = timedelta(days=7)  # events ended longer ago than this leave the page


@dataclass
class Group:
    """An event, or the annual accreditations of a year, and how its badges went."""

    key: str  # the event id, or "annual-2026"
    name: str
    closes: datetime  # end of collection: after it, uncollected means no-show
    approved: int = 0
    collected: int = 0
    by_media: dict[str, list[int]] = field(default_factory=dict)  # kind: [approved, collected]

    def rate(self) -> float:
        """Share of approved applicants who collected a badge (0 with none approved)."""
        return self.collected / self.approved if self.approved else 0.0

    def waiting(self) -> int:
        """Approved applicants without a badge yet."""
        return self.approved - self.collected


@dataclass(frozen=True)
class SiteToday:
    """The figures of one day at the site."""

    day: date
    now: datetime
    per_hour: list[tuple[int, int]]  # (hour in Brussels, badges issued)
    per_kiosk: list[tuple[str, str, int]]  # (kiosk, counter, badges issued)
    preprinted: list[tuple[str, int]]  # (event or annual group name, cards waiting)
    refusals: list[tuple[str, int, str]]  # (first failing check, count, kiosks)
    groups: list[Group]

    @property
    def issued(self) -> int:
        """Badges issued today at all kiosks."""
        return sum(n for _, n in self.per_hour)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a day in Brussels."""
    start = datetime.combine(day, time(0), BRUSSELS)
    return start, datetime.combine(day + timedelta(days=1), time(0), BRUSSELS)


def _issued(s: Session, start: datetime, end: datetime):
    rows = s.execute(
        select(BadgeRow.issued_at, BadgeRow.kiosk_id, BadgeRow.counter).where(
            BadgeRow.issued_at >= start,
            BadgeRow.issued_at < end,
            BadgeRow.status.not_in(NOT_ISSUED),
        )
    ).all()
    hours = Tally(r.issued_at.astimezone(BRUSSELS).hour for r in rows)
    kiosks = Tally((r.kiosk_id, r.counter) for r in rows)
    first, last = (min(hours), max(hours)) if hours else (8, 17)
    per_hour = [(h, hours[h]) for h in range(min(first, 8), max(last, 17) + 1)]
    return per_hour, [(k, c, n) for (k, c), n in sorted(kiosks.items())]


def _refusals(s: Session, start: datetime, end: datetime) -> list[tuple[str, int, str]]:
    rows = s.execute(
        select(JournalRow.kiosk_id, JournalRow.details).where(
            JournalRow.at >= start,
            JournalRow.at < end,
            JournalRow.action.in_(DESK_ACTIONS),
            JournalRow.verdict.in_(REFUSING),
        )
    ).all()
    counts: Tally[str] = Tally()
    where: dict[str, set[str]] = {}
    for kiosk, details in rows:
        failed = details.get("failed") if isinstance(details, dict) else None
        reason = str(failed[0])[:40] if isinstance(failed, list) and failed else "unknown"
        counts[reason] += 1
        where.setdefault(reason, set()).add(kiosk)
    return [(r, n, ", ".join(sorted(where[r]))) for r, n in counts.most_common()]


def _group_key(event_id: str | None, year: int | None) -> str:
    return event_id or f"annual-{year}"


def _groups(s: Session, day: date) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for ev in s.scalars(
        select(EventRow).where(EventRow.last_day >= day - RECENT_EVENTS).order_by(EventRow.id)
    ):
        groups[ev.id] = Group(ev.id, ev.name, ev.collection_closes)
    groups[f"annual-{day.year}"] = Group(
        f"annual-{day.year}", f"{day.year}", annual_window(day.year)[1]
    )
    return groups


def _tally(s: Session, groups: dict[str, Group], day: date) -> None:
    """Approved and collected per group and media kind, in two aggregate queries."""
    kind = PersonRow.media_kind
    acc = AccreditationRow
    mine = or_(
        acc.event_id.in_([g for g in groups if not g.startswith("annual-")]), acc.year == day.year
    )
    approved = (
        select(acc.event_id, acc.year, kind, func.count())
        .join(PersonRow, PersonRow.id == acc.person_id)
        .where(acc.status == Status.APPROVED.value, mine)
        .group_by(acc.event_id, acc.year, kind)
    )
    collected = (
        select(acc.event_id, acc.year, kind, func.count(distinct(acc.id)))
        .select_from(BadgeRow)
        .join(acc, acc.id == BadgeRow.accreditation_id)
        .join(PersonRow, PersonRow.id == acc.person_id)
        .where(acc.status == Status.APPROVED.value, mine, BadgeRow.status.not_in(NOT_ISSUED))
        .group_by(acc.event_id, acc.year, kind)
    )
    for column, query in ((0, approved), (1, collected)):
        for event_id, year, media, n in s.execute(query):
            group = groups.get(_group_key(event_id, year if event_id is None else None))
            if group is None:
                continue
            group.by_media.setdefault(media, [0, 0])[column] += n
            if column:
                group.collected += n
            else:
                group.approved += n


def _preprinted(s: Session, groups: dict[str, Group]) -> list[tuple[str, int]]:
    rows = s.execute(
        select(AccreditationRow.event_id, AccreditationRow.year, func.count())
        .select_from(BadgeRow)
        .join(AccreditationRow, AccreditationRow.id == BadgeRow.accreditation_id)
        .where(BadgeRow.status == BadgeStatus.PREPRINTED.value)
        .group_by(AccreditationRow.event_id, AccreditationRow.year)
    ).all()
    out = []
    for event_id, year, n in rows:
        group = groups.get(_group_key(event_id, None if event_id else year))
        out.append((group.name if group else event_id or str(year), n))
    return sorted(out)


def site_today(db: HubDatabase, now: datetime) -> SiteToday:
    """The figures of `now`'s day in Brussels."""
    day = now.astimezone(BRUSSELS).date()
    start, end = day_bounds(day)
    with db.reading() as s:
        per_hour, per_kiosk = _issued(s, start, end)
        groups = _groups(s, day)
        _tally(s, groups, day)
        preprinted = _preprinted(s, groups)
        refusals = _refusals(s, start, end)
    shown = [g for g in groups.values() if g.approved or not g.key.startswith("annual-")]
    return SiteToday(day, now, per_hour, per_kiosk, preprinted, refusals, shown)


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet does not run: a leading = + - @ is quoted away."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = (
    "accreditation",
    "surname",
    "given_names",
    "organisation",
    "media_kind",
    "status",
    "badge",
    "badge_status",
    "issued_at",
    "kiosk",
)


def event_csv(db: HubDatabase, key: str) -> str | None:
    """One row per accreditation of an event (or "annual-YYYY") and its badges; None if
    there is no such event."""
    acc = AccreditationRow
    with db.reading() as s:
        if key.startswith("annual-") and key[7:].isdigit():
            where = (acc.flow == Flow.ANNUAL.value, acc.year == int(key[7:]))
        elif s.get(EventRow, key) is not None:
            where = (acc.event_id == key,)
        else:
            return None
        rows = s.execute(
            select(acc, PersonRow, BadgeRow)
            .join(PersonRow, PersonRow.id == acc.person_id)
            .outerjoin(BadgeRow, BadgeRow.accreditation_id == acc.id)
            .where(*where)
            .order_by(acc.id, BadgeRow.issued_at)
        ).all()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for a, p, b in rows:
            badge = (b.serial, b.status, b.issued_at.isoformat(), b.kiosk_id) if b else ("",) * 4
            line = (f"A{a.id:07d}", p.surname, p.given_names, p.organisation, p.media_kind)
            writer.writerow([_cell(v) for v in (*line, a.status, *badge)])
    return out.getvalue()
