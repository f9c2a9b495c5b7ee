"""The site's day in figures, from what the hub holds: badges issued per hour and per
kiosk, the pre-printed queue, refusals at the desks by reason, badges turned away at the
security posts by reason, and per event (or annual year) the collection rate and no-shows
by media kind.

A badge counts as issued once handed out or printing (hub/statuses.py: a failed print or
a pre-printed card waiting is not one); a superseded or revoked badge was issued too. A
refusal is a journal row where a counter showed a refusing verdict ("decision") or
refused to issue ("refusal"), under the first failing check's name. A badge turned away
is a security post's check that answered NOT VALID (kiosk/post_journal.py), under its
reason (revoked, forged...). Kiosks report with
their journal: figures are as fresh as the last delivery of each.
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.schema import AccreditationRow, BadgeRow, EventRow, JournalRow, PersonRow
from kiosk.model import BRUSSELS, BadgeStatus, Flow, Status, Verdict
from kiosk.post_journal import ACTION as POST_CHECK
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
    name_fr: str = ""  # the event's French name, "" when the office gave none

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
    turned_away: list[tuple[str, int, str]] = field(default_factory=list)  # (reason, n, posts)

    @property
    def issued(self) -> int:
        """Badges issued today at all kiosks."""
        return sum(n for _, n in self.per_hour)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a day in Brussels."""
    start = datetime.combine(day, time(0), BRUSSELS)
    return start, datetime.combine(day + timedelta(days=1), time(0), BRUSSELS)


@dataclass
class Issued:
    """A day's badges issued (serial: Brussels hour, kiosk, counter) with their counts,
    and the last badge change read: the next ask reads only the badges changed since."""

    day: date
    last_seq: int = -1
    badges: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    hours: Tally[int] = field(default_factory=Tally)
    kiosks: Tally[tuple[str, str]] = field(default_factory=Tally)

    def put(self, serial: str, place: tuple[int, str, str] | None) -> None:
        """Count the badge at `place` (hour, kiosk, counter), or no longer (None)."""
        old = self.badges.pop(serial, None)
        if old is not None:
            self.hours[old[0]] -= 1
            self.kiosks[old[1:]] -= 1
        if place is not None:
            self.badges[serial] = place
            self.hours[place[0]] += 1
            self.kiosks[place[1:]] += 1

    def figures(self) -> tuple[list[tuple[int, int]], list[tuple[str, str, int]]]:
        """Badges per hour (office hours at least) and per kiosk."""
        hours = +self.hours
        first, last = (min(hours), max(hours)) if hours else (8, 17)
        per_hour = [(h, hours[h]) for h in range(min(first, 8), max(last, 17) + 1)]
        return per_hour, [(k, c, n) for (k, c), n in sorted((+self.kiosks).items())]


def _issued(s: Session, day: date, known: Issued) -> Issued:
    """The day's badges issued: `known` brought up to date, or read afresh for another
    day. A badge changed since may have left the day's count (a hand-over undone)."""
    start, end = day_bounds(day)
    found = known if known.day == day else Issued(day)
    newest = s.scalar(select(func.max(BadgeRow.seq))) or 0
    b = BadgeRow
    query = select(b.serial, b.issued_at, b.status, b.kiosk_id, b.counter).where(b.seq <= newest)
    if found.last_seq < 0:
        query = query.where(b.issued_at >= start, b.issued_at < end)
    else:
        query = query.where(b.seq > found.last_seq)
    for serial, at, status, kiosk, counter in s.execute(query):
        issued = start <= at < end and status not in NOT_ISSUED
        found.put(serial, (at.astimezone(BRUSSELS).hour, kiosk, counter) if issued else None)
    found.last_seq = newest
    return found


@dataclass
class Refusals:
    """A day's refusals by reason and kiosk, and the journal rows counted. Rows are only
    ever added, but their ids are taken when inserted, not when committed (PostgreSQL):
    the next ask reads again from `OVERLAP` ids before the newest it saw, and counts each
    row once."""

    day: date
    newest: int = 0
    seen: set[int] = field(default_factory=set)
    counts: Tally[str] = field(default_factory=Tally)
    where: dict[str, set[str]] = field(default_factory=dict)

    def add(self, row_id: int, kiosk: str, reason: str | None) -> None:
        """Count row `row_id` of `kiosk` once, under `reason` (None: a row not counted)."""
        if row_id in self.seen:
            return
        self.seen.add(row_id)
        if reason is None:
            return
        self.counts[reason] += 1
        self.where.setdefault(reason, set()).add(kiosk)

    def rows(self) -> list[tuple[str, int, str]]:
        return [(r, n, ", ".join(sorted(self.where[r]))) for r, n in self.counts.most_common()]


OVERLAP = 10_000  # journal ids: twenty of the largest deliveries still being committed


def _desk_reason(details: object) -> str:
    """A desk refusal's reason: its first failing check."""
    failed = details.get("failed") if isinstance(details, dict) else None
    return str(failed[0])[:40] if isinstance(failed, list) and failed else "unknown"


def _turned_away_reason(details: object) -> str | None:
    """A post's check that turned a badge away: its reason; any other answer: None."""
    turned = isinstance(details, dict) and details.get("answer") == "not_valid"
    return str(details.get("reason"))[:40] if turned else None


def _tallied(
    s: Session, day: date, known: Refusals, rows: tuple, reason_of: Callable[[object], str | None]
) -> Refusals:
    """The day's journal rows matching `rows` (conditions) counted by `reason_of`: `known`
    brought up to date, or read afresh for another day."""
    start, end = day_bounds(day)
    fresh = known.day != day
    found = Refusals(day) if fresh else known
    query = select(JournalRow.id, JournalRow.kiosk_id, JournalRow.details).where(
        *rows, JournalRow.at >= start, JournalRow.at < end
    )
    if not fresh:
        query = query.where(JournalRow.id > known.newest - OVERLAP)
    for row_id, kiosk, details in s.execute(query):
        found.add(row_id, kiosk, reason_of(details))
    found.newest = max(found.newest, s.scalar(select(func.max(JournalRow.id))) or 0)
    return found


def _refusals(s: Session, day: date, known: Refusals) -> Refusals:
    """The day's refusals at the desks, by first failing check."""
    rows = (JournalRow.verdict.in_(REFUSING), JournalRow.action.in_(DESK_ACTIONS))
    return _tallied(s, day, known, rows, _desk_reason)


def _turned_away(s: Session, day: date, known: Refusals) -> Refusals:
    """The day's badges turned away at the security posts, by reason."""
    return _tallied(s, day, known, (JournalRow.action == POST_CHECK,), _turned_away_reason)


def _group_key(event_id: str | None, year: int | None) -> str:
    return event_id or f"annual-{year}"


def _groups(s: Session, day: date) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for ev in s.scalars(
        select(EventRow).where(EventRow.last_day >= day - RECENT_EVENTS).order_by(EventRow.id)
    ):
        groups[ev.id] = Group(ev.id, ev.name, ev.collection_closes, name_fr=ev.name_fr or "")
    groups[f"annual-{day.year}"] = Group(
        f"annual-{day.year}", f"{day.year}", annual_window(day.year)[1]
    )
    return groups


@dataclass(frozen=True)
class Approvals:
    """Who is approved in each group, by media kind: read again only when accreditations
    or people changed (`version`), since the page is asked for every minute."""

    version: tuple
    members: dict[int, tuple[str, str]]  # accreditation id: (group key, media kind)
    counts: dict[tuple[str, str], int]  # (group key, media kind): approved


def _version(s: Session, day: date) -> tuple:
    return (
        day,
        s.scalar(select(func.max(AccreditationRow.seq))),
        s.scalar(select(func.max(PersonRow.seq))),
        s.scalar(select(func.max(EventRow.seq))),
    )


def _approvals(s: Session, groups: dict[str, Group], day: date, version: tuple) -> Approvals:
    acc = AccreditationRow
    events = [g for g in groups if not g.startswith("annual-")]
    rows = s.execute(
        select(acc.id, acc.event_id, acc.year, PersonRow.media_kind)
        .join(PersonRow, PersonRow.id == acc.person_id)
        .where(
            acc.status == Status.APPROVED.value,
            or_(acc.event_id.in_(events), (acc.flow == Flow.ANNUAL.value) & (acc.year == day.year)),
        )
    ).all()
    members = {
        i: (_group_key(event, None if event else year), kind) for i, event, year, kind in rows
    }
    return Approvals(version, members, Tally(members.values()))


@dataclass
class Collected:
    """The approved accreditations that have a badge issued, counted by group and media
    kind, and the last badge change read: the next ask reads the badges changed since
    (their change numbers only grow)."""

    approvals: Approvals
    last_seq: int
    ids: set[int] = field(default_factory=set)
    counts: Tally[tuple[str, str]] = field(default_factory=Tally)

    def put(self, acc_id: int, collected: bool) -> None:
        """Count `acc_id` as collected, or no longer."""
        if collected == (acc_id in self.ids):
            return
        place = self.approvals.members[acc_id]
        if collected:
            self.ids.add(acc_id)
            self.counts[place] += 1
        else:
            self.ids.discard(acc_id)
            self.counts[place] -= 1


def _collected(s: Session, approvals: Approvals, known: Collected | None) -> Collected:
    issued = select(BadgeRow.accreditation_id).distinct().where(BadgeRow.status.not_in(NOT_ISSUED))
    newest = s.scalar(select(func.max(BadgeRow.seq))) or 0
    if known is None or known.approvals is not approvals:
        found = Collected(approvals, newest)
        for acc_id in s.scalars(issued.where(BadgeRow.seq <= newest)):
            if acc_id in approvals.members:
                found.put(acc_id, True)
        return found
    changed = (
        set(
            s.scalars(
                select(BadgeRow.accreditation_id).where(
                    BadgeRow.seq > known.last_seq, BadgeRow.seq <= newest
                )
            )
        )
        & approvals.members.keys()
    )
    if changed:
        now = set(s.scalars(issued.where(BadgeRow.accreditation_id.in_(changed))))
        for acc_id in changed:
            known.put(acc_id, acc_id in now)
    known.last_seq = newest
    return known


def _tally(groups: dict[str, Group], approvals: Approvals, collected: Collected) -> None:
    """Approved and collected per group and media kind."""
    for (key, kind), n in approvals.counts.items():
        groups[key].approved += n
        groups[key].by_media[kind] = [n, 0]
    for (key, kind), n in (+collected.counts).items():
        groups[key].collected += n
        groups[key].by_media[kind][1] += n


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


class SiteFigures:
    """The site's figures, keeping between asks who is approved, who collected and the
    day's refusals, each brought up to date from what changed since (hub/web/routes.py
    keeps one per hub)."""

    def __init__(self, db: HubDatabase) -> None:
        self.db, self._lock = db, threading.Lock()
        self._approvals: Approvals | None = None
        self._collected: Collected | None = None
        self._refusals = Refusals(date.min)
        self._turned_away = Refusals(date.min)
        self._issued = Issued(date.min)

    def today(self, now: datetime) -> SiteToday:
        """The figures of `now`'s day in Brussels."""
        day = now.astimezone(BRUSSELS).date()
        with self._lock, self.db.reading() as s:
            self._issued = _issued(s, day, self._issued)
            per_hour, per_kiosk = self._issued.figures()
            groups = _groups(s, day)
            version = _version(s, day)
            if self._approvals is None or self._approvals.version != version:
                self._approvals = _approvals(s, groups, day, version)
            self._collected = _collected(s, self._approvals, self._collected)
            _tally(groups, self._approvals, self._collected)
            preprinted = _preprinted(s, groups)
            self._refusals = _refusals(s, day, self._refusals)
            refusals = self._refusals.rows()
            self._turned_away = _turned_away(s, day, self._turned_away)
            turned_away = self._turned_away.rows()
        shown = [g for g in groups.values() if g.approved or not g.key.startswith("annual-")]
        return SiteToday(day, now, per_hour, per_kiosk, preprinted, refusals, shown, turned_away)


def site_today(db: HubDatabase, now: datetime) -> SiteToday:
    """The figures of `now`'s day in Brussels, read afresh."""
    return SiteFigures(db).today(now)
