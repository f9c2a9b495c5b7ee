"""What the console's Hours page shows: each counter's hours day by day as the counters
enforce them (kiosk/hours.py's rule over the hub's spans and closures), the spans and
closures in force, and the pooled moments to come."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from hub import site_hours
from hub.database import HubDatabase
from hub.schema import EventRow
from kiosk.hours import Span, Timetable
from kiosk.model import BRUSSELS, Counter, CounterDay, french
from kiosk.pool import PoolMoment

DAYS = 8  # today and the seven days after


@dataclass(frozen=True)
class Column:
    """One counter's hours, or the Groups counter's for one event's badges."""

    counter: Counter
    event_id: str | None = None
    event_name: str = ""
    event_ids: tuple[str, ...] = ()  # the event and those it is valid with, as a counter asks
    event_name_fr: str = ""  # its French name (the English one when none was given)


@dataclass(frozen=True)
class HoursPage:
    """The Hours page's content."""

    columns: list[Column]
    days: list[tuple[date, list[CounterDay]]]  # a day and each column's hours that day
    spans: list[Span]
    closures: list[tuple[Counter, date, str, str]]  # from today on: reason, in French
    moments: list[PoolMoment]  # starting today or later
    events: list[tuple[str, str, str]]  # (id, name, French name) of the events forms may name


def enforced(table: Timetable, day: date, event_ids: tuple[str, ...]) -> CounterDay:
    """`table`'s counter on `day` for badges of `event_ids`, as a counter holding the same
    rows computes it (kiosk/hours.py `counter_day`): held to no hours when it keeps none."""
    return replace(table.day(day, event_ids), configured=bool(table.spans))


def _columns(tables: dict[Counter, Timetable], events: dict[str, EventRow]) -> list[Column]:
    columns = [Column(Counter.VISITORS), Column(Counter.GROUPS)]
    with_hours = sorted({s.event_id for s in tables[Counter.GROUPS].spans if s.event_id})
    for event_id in with_hours:
        row = events.get(event_id)
        name = row.name if row else event_id
        ids = (event_id, *(row.valid_with if row else ()))
        french_name = french(name, row.name_fr if row else "")
        columns.append(Column(Counter.GROUPS, event_id, name, ids, french_name))
    return columns


def hours_page(db: HubDatabase, now: datetime) -> HoursPage:
    """The site's hours from `now`'s day (Brussels) for DAYS days."""
    today = now.astimezone(BRUSSELS).date()
    with db.reading() as s:
        tables = {c: site_hours.timetable(s, c) for c in Counter}
        events = {e.id: e for e in s.scalars(select(EventRow).order_by(EventRow.first_day))}
        columns = _columns(tables, events)
        choices = [
            (e.id, e.name, french(e.name, e.name_fr))
            for e in events.values()
            if e.last_day >= today
        ]
    days = [today + timedelta(days=n) for n in range(DAYS)]
    rows = [(d, [enforced(tables[c.counter], d, c.event_ids) for c in columns]) for d in days]
    spans = site_hours.spans(db)
    closures = [c for c in site_hours.closures(db) if c[1] >= today]
    moments = [
        m for m in site_hours.moments(db) if m.starts_at.astimezone(BRUSSELS).date() >= today
    ]
    return HoursPage(columns, rows, spans, closures, moments, choices)
