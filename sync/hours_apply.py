"""Opening hours, closures and pooled moments from the hub's feed, checked and written.

The office sets them at the hub (hub/site_hours.py) and they are the site's: on an
enrolled kiosk they replace the kiosk's own. Rule chosen: the first time the hub sends
hours or a closure of a counter, the hours and closures this kiosk kept for that counter
itself (set before it was enrolled) are deleted and the count journalled; a counter the
hub has sent nothing for keeps what it had. Each hub row is kept by the hub's id: a row
with `removed_at` drops it. A pooled moment is kept by its id (the hub's replaces a
local one of the same id); a removed one is dropped unless this kiosk has handed out
cards for it (they stay the record of who holds one; logged). A row is refused (logged,
the rest of the page applies) when the kiosk's own checks refuse it (kiosk/hours.py
`check_span`, `check_reason`, kiosk/pool.py `check_moment`): bad times, opening after
closing, an unknown counter, a reason blank or too long.
"""

from __future__ import annotations

import logging
from collections import Counter as Tally
from dataclasses import replace
from datetime import date, datetime, time

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from kiosk.hours import HoursError, Span, check_reason, check_reason_fr, check_span
from kiosk.model import Counter
from kiosk.pool import PoolError, PoolMoment, check_moment
from kiosk.store.schema import (
    CounterClosureRow,
    CounterHoursRow,
    JournalRow,
    PoolCardRow,
    PoolMomentRow,
)
from sync.staff_apply import HUB_ACTOR

log = logging.getLogger(__name__)
_COUNTERS = frozenset(c.value for c in Counter)
_FROM_HUB = ("the hub", "le hub")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _clock(value: object) -> bool:
    return isinstance(value, time) and value.tzinfo is None


def hours_refusal(kind: str, row: dict) -> str | None:
    """Why a kiosk does not take this `counter_hours`, `closures` or `pool_moments` row
    from a page, or None."""
    if kind == "pool_moments":
        return _moment_refusal(row)
    if not _whole(row["id"]):
        return f"id {row['id']!r} is not a whole number"
    if row["counter"] not in _COUNTERS:
        return f"unknown counter {row['counter']!r}"
    if row["removed_at"] is not None:
        return None  # dropping needs nothing more
    try:
        if kind == "closures":
            if not isinstance(row["day"], date) or not isinstance(row["reason"], str):
                return "a closure needs a day and a reason"
            check_reason(row["reason"])
            check_reason_fr(row.get("reason_fr"))
            return None
        if not (_clock(row["opens"]) and _clock(row["closes"])):
            return "opens and closes are not wall-clock times"
        weekday = row["weekday"]
        if weekday is not None and (not isinstance(weekday, int) or isinstance(weekday, bool)):
            return f"weekday {row['weekday']!r} is not a whole number"
        if row["event_id"] is not None and not (
            isinstance(row["event_id"], str) and len(row["event_id"]) <= 40
        ):
            return "event_id is not text of at most 40 characters"
        span = Span(
            Counter(row["counter"]),
            row["opens"],
            row["closes"],
            row["weekday"],
            row["day"],
            row["event_id"],
        )
        check_span(span, True, (), _FROM_HUB)
    except HoursError as err:
        return err.message_en
    return None


def _moment_refusal(row: dict) -> str | None:
    if not isinstance(row["id"], str) or not row["id"]:
        return "id is not text"
    if row["removed_at"] is not None:
        return None
    fields = ("event_id", "name", "starts_at", "handout_place", "handout_opens")
    moment = PoolMoment(*(row[f] for f in ("id", *fields, "handout_closes")))
    moment = replace(
        moment, name_fr=row.get("name_fr") or "", handout_place_fr=row.get("handout_place_fr") or ""
    )
    if not isinstance(moment.event_id, str) or len(moment.event_id) > 40:
        return "event_id is not text of at most 40 characters"
    try:
        check_moment(moment, True, _FROM_HUB)
    except PoolError as err:
        return err.message_en
    return None


def _local_replaced(s: Session, counters: set[str]) -> Tally:
    """Delete the hours and closures this kiosk set itself for `counters`; how many."""
    gone: Tally = Tally()
    for table in (CounterHoursRow, CounterClosureRow):
        for counter in counters:
            done = s.execute(delete(table).where(table.counter == counter, table.hub_id.is_(None)))
            gone[counter] += done.rowcount or 0
    return gone


def apply_hours(
    s: Session, hours: list[dict], closures: list[dict], at: datetime, kiosk_id: str
) -> None:
    """Write the hub's hours and closures (checked already) in place of this kiosk's own."""
    kept = {r["counter"] for r in (*hours, *closures) if r["removed_at"] is None}
    for counter, count in _local_replaced(s, kept).items():
        if count:
            details = {"counter": counter, "local_rows_replaced": count}
            s.add(
                JournalRow(
                    at=at,
                    kiosk_id=kiosk_id,
                    actor=HUB_ACTOR,
                    action="hours_from_hub",
                    details=details,
                )
            )
    for r in hours:
        s.execute(delete(CounterHoursRow).where(CounterHoursRow.hub_id == r["id"]))
        if r["removed_at"] is None:
            fields = ("counter", "event_id", "weekday", "day", "opens", "closes")
            s.add(CounterHoursRow(hub_id=r["id"], **{f: r[f] for f in fields}))
    for r in closures:
        s.execute(
            delete(CounterClosureRow).where(
                or_(
                    CounterClosureRow.hub_id == r["id"],
                    (CounterClosureRow.counter == r["counter"])
                    & (CounterClosureRow.day == r["day"]),
                )
            )
        )
        if r["removed_at"] is None:
            s.add(
                CounterClosureRow(
                    hub_id=r["id"],
                    counter=r["counter"],
                    day=r["day"],
                    reason=r["reason"],
                    reason_fr=r.get("reason_fr") or "",
                )
            )
    s.flush()


def apply_moments(s: Session, moments: list[dict]) -> None:
    """Write the hub's pooled moments (checked already); drop removed ones no card names."""
    for r in moments:
        if r["removed_at"] is None:
            s.merge(PoolMomentRow(**{k: v for k, v in r.items() if k != "removed_at"}))
            continue
        if s.scalar(select(exists().where(PoolCardRow.moment_id == r["id"]))):
            log.warning("pooled moment %r removed at the hub kept: cards were handed out", r["id"])
            continue
        s.execute(delete(PoolMomentRow).where(PoolMomentRow.id == r["id"]))
