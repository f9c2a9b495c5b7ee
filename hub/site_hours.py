"""Opening hours, closures and pooled moments of the whole site, set once at the hub.

The office keeps them here as a kiosk keeps its own (kiosk/hours.py, kiosk/pool.py), and
checks them with the kiosk's own checks (`check_span`, `check_reason`, `check_moment`):
an inverted or overlapping span, an unknown event, a closure without a reason or a
moment's hand-out that closes before it opens is refused with a sentence and nothing is
written. Every change takes a new change number, so each counter takes it at its next
sync (sync/hours_apply.py); a removed span, a lifted closure or a removed moment keeps its
row with `removed_at`, which tells counters to drop theirs. Each change is recorded in
the hub's own chained journal under its operator (hub/purge.py `journal`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase, allocate, lock_changes
from hub.purge import journal
from hub.schema import CounterClosureRow, CounterHoursRow, EventRow, JournalRow, PoolMomentRow
from kiosk.hours import (
    HoursError,
    Span,
    Timetable,
    check_ahead,
    check_day_ahead,
    check_reason,
    check_reason_fr,
    check_span,
    closed_already,
    counter_words,
    french_reasons,
    not_closed,
)
from kiosk.model import Counter, french
from kiosk.pool import PoolError, PoolMoment, check_moment, check_moment_ahead, moment_of
from kiosk.staff import NAME_MAX
from kiosk.typed import shown

AT_HUB = ("the hub", "le hub")


def valid_operator(by: str) -> str:
    """Who makes a change, as the hub's journal keeps it; HoursError if unusable."""
    by = " ".join(by.split())
    if not by or len(by) > NAME_MAX or not by.isprintable():
        raise HoursError(
            f"Who makes the change is named with 1 to {NAME_MAX} printable characters.",
            f"L'auteur du changement est nommé par 1 à {NAME_MAX} caractères imprimables.",
        )
    return by


def _span(row: CounterHoursRow) -> Span:
    return Span(
        Counter(row.counter), row.opens, row.closes, row.weekday, row.day, row.event_id, row.id
    )


def _held(s: Session, counter: Counter | None = None):
    q = select(CounterHoursRow).where(CounterHoursRow.removed_at.is_(None))
    if counter is not None:
        q = q.where(CounterHoursRow.counter == counter.value)
    return s.scalars(q.order_by(CounterHoursRow.id))


def spans(db: HubDatabase, counter: Counter | None = None) -> list[Span]:
    """The spans in force (of `counter`, if given), by counter, event, day."""
    with db.reading() as s:
        found = [_span(r) for r in _held(s, counter)]
    return sorted(
        found,
        key=lambda r: (r.counter, r.event_id or "", r.day or date.min, r.weekday or 0, r.opens),
    )


def closures(
    db: HubDatabase, counter: Counter | None = None
) -> list[tuple[Counter, date, str, str]]:
    """The closures in force: (counter, day, reason, its French or else the English), by
    day."""
    with db.reading() as s:
        q = select(CounterClosureRow).where(CounterClosureRow.removed_at.is_(None))
        if counter is not None:
            q = q.where(CounterClosureRow.counter == counter.value)
        rows = s.scalars(q.order_by(CounterClosureRow.day))
        return [(Counter(r.counter), r.day, r.reason, french(r.reason, r.reason_fr)) for r in rows]


def timetable(s: Session, counter: Counter) -> Timetable:
    """`counter`'s spans and closures in force at the hub (for its letters)."""
    closed = s.execute(
        select(CounterClosureRow.day, CounterClosureRow.reason, CounterClosureRow.reason_fr).where(
            CounterClosureRow.counter == counter.value, CounterClosureRow.removed_at.is_(None)
        )
    ).all()
    reasons = {day: why for day, why, _ in closed}
    return Timetable(counter, tuple(map(_span, _held(s, counter))), reasons, french_reasons(closed))


def _when(span: Span) -> str:
    return f"{span.when()[0]} {span.opens:%H:%M}-{span.closes:%H:%M}"


def add_hours(db: HubDatabase, span: Span, by: str, now: datetime) -> Span:
    """Keep `span` for the whole site; HoursError as a kiosk refuses it (nothing written)."""
    by = valid_operator(by)
    with db.writing() as s:
        lock_changes(s)
        known = span.event_id is None or s.get(EventRow, span.event_id) is not None
        same = [
            other
            for other in map(_span, _held(s, span.counter))
            if (other.event_id, other.day, other.weekday) == (span.event_id, span.day, span.weekday)
        ]
        check_span(span, known, same, AT_HUB)
        check_ahead(span, now)
        row = CounterHoursRow(
            counter=span.counter.value,
            event_id=span.event_id,
            weekday=span.weekday,
            day=span.day,
            opens=span.opens,
            closes=span.closes,
            seq=allocate(s),
        )
        s.add(row)
        s.flush()
        added = _span(row)
        details = {"number": row.id, "counter": span.counter.value, "hours": _when(span)}
        journal(s, "hours_add", by, details | {"event": span.event_id}, now)
    return added


def remove_hours(db: HubDatabase, number: int, counter: Counter, by: str, now: datetime) -> Span:
    """Remove span `number` of `counter` everywhere; HoursError if there is none."""
    by = valid_operator(by)
    with db.writing() as s:
        lock_changes(s)
        row = s.get(CounterHoursRow, number)
        if row is None or row.removed_at is not None or row.counter != counter.value:
            en, fr = counter_words(counter)
            raise HoursError(
                f"{en} has no opening hours numbered {number}: see the hours on file (the "
                "console's Hours page, `kiosk-hub hours list`).",
                f"{fr} n'a pas d'horaire numéro {number} : voir les horaires enregistrés "
                "(page Horaires de la console, `kiosk-hub hours list`).",
            )
        row.removed_at, row.seq = now, allocate(s)
        span = _span(row)
        details = {"number": number, "counter": counter.value, "hours": _when(span)}
        journal(s, "hours_remove", by, details | {"event": span.event_id}, now)
    return span


def close_day(
    db: HubDatabase,
    counter: Counter,
    day: date,
    reason: str,
    by: str,
    now: datetime,
    reason_fr: str = "",
) -> None:
    """Close `counter` all of `day` at every counter, for `reason` (and its optional French
    `reason_fr`); HoursError without a reason, with a bad one, for a day gone, or if it is
    closed that day already."""
    reason, by = check_reason(reason), valid_operator(by)
    reason_fr = check_reason_fr(reason_fr)
    check_day_ahead(day, now)
    with db.writing() as s:
        lock_changes(s)
        row = s.scalar(
            select(CounterClosureRow).where(
                CounterClosureRow.counter == counter.value, CounterClosureRow.day == day
            )
        )
        if row is not None and row.removed_at is None:
            raise closed_already(counter, day, row.reason, row.reason_fr)
        seq = allocate(s)
        if row is None:
            row = CounterClosureRow(counter=counter.value, day=day, reason=reason, seq=seq)
            s.add(row)
        row.reason, row.reason_fr, row.removed_at, row.seq = reason, reason_fr, None, seq
        details = {"counter": counter.value, "day": day.isoformat(), "reason": reason}
        details |= {"reason_fr": reason_fr} if reason_fr else {}
        journal(s, "hours_close", by, details, now)


def reopen_day(db: HubDatabase, counter: Counter, day: date, by: str, now: datetime) -> None:
    """Lift a closure at every counter; HoursError if the counter is not closed that day."""
    by = valid_operator(by)
    with db.writing() as s:
        lock_changes(s)
        row = s.scalar(
            select(CounterClosureRow).where(
                CounterClosureRow.counter == counter.value,
                CounterClosureRow.day == day,
                CounterClosureRow.removed_at.is_(None),
            )
        )
        if row is None:
            raise not_closed(counter, day)
        row.removed_at, row.seq = now, allocate(s)
        journal(s, "hours_reopen", by, {"counter": counter.value, "day": day.isoformat()}, now)


def moments(db: HubDatabase, event_ids: tuple[str, ...] = ()) -> list[PoolMoment]:
    """The pooled moments in force (of `event_ids`, if given), by start."""
    with db.reading() as s:
        q = select(PoolMomentRow).where(PoolMomentRow.removed_at.is_(None))
        if event_ids:
            q = q.where(PoolMomentRow.event_id.in_(event_ids))
        rows = s.scalars(q.order_by(PoolMomentRow.starts_at, PoolMomentRow.id))
        return [moment_of(r) for r in rows]


def add_moment(db: HubDatabase, moment: PoolMoment, by: str, now: datetime) -> None:
    """Put a pooled moment on file for every counter (the same id again replaces it);
    PoolError as a kiosk refuses it."""
    try:
        by = valid_operator(by)
    except HoursError as err:
        raise PoolError(err.message_en, err.message_fr) from None
    with db.writing() as s:
        lock_changes(s)
        check_moment(moment, s.get(EventRow, moment.event_id) is not None, AT_HUB)
        check_moment_ahead(moment, now)
        s.merge(PoolMomentRow(**moment.__dict__, removed_at=None, seq=allocate(s)))
        journal(s, "pool_moment", by, {"moment": moment.id, "event": moment.event_id}, now)


def _handed_out(s: Session, moment_id: str) -> bool:
    """Whether a counter reported a card of `moment_id` handed out (its journal)."""
    rows = s.scalars(select(JournalRow.details).where(JournalRow.action == "pool_handout"))
    return any(isinstance(d, dict) and d.get("moment") == moment_id for d in rows)


def remove_moment(db: HubDatabase, moment_id: str, by: str, now: datetime) -> None:
    """Take a pooled moment off every counter; PoolError if there is none, or if a
    counter has handed out one of its cards (its list stays the record of who holds one)."""
    try:
        by = valid_operator(by)
    except HoursError as err:
        raise PoolError(err.message_en, err.message_fr) from None
    with db.writing() as s:
        lock_changes(s)
        row = s.get(PoolMomentRow, moment_id)
        if row is None or row.removed_at is not None:
            raise PoolError(
                f"There is no pooled moment {shown(moment_id)} at the hub: see the moments on "
                "file (the console's Hours page, `kiosk-hub pool list`).",
                f"Il n'y a pas de moment en pool {shown(moment_id)} au hub : voir les moments "
                "enregistrés (page Horaires de la console, `kiosk-hub pool list`).",
            )
        if _handed_out(s, moment_id):
            raise PoolError(
                f"Pool cards for {row.name} have been handed out: the moment stays on file.",
                f"Des cartes de pool pour {row.name} ont été remises : le moment reste.",
            )
        row.removed_at, row.seq = now, allocate(s)
        journal(s, "pool_moment_remove", by, {"moment": moment_id, "event": row.event_id}, now)
