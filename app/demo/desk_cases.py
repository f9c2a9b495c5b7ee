"""The demo world's counter hours, pooled moments, and the desk's cases with the outcome
each one calls for (written by hand from ../shared/DOMAIN.md and the seeds, not computed
by the rules: tests/kiosk/test_hours.py, test_pool.py and test_verify.py compare).

The seeds give no counter hours; the demo's are chosen: the Groups counter keeps the
hours of each event's collection days (07:30–18:00), the Visitors pass office 08:00–17:00
every day (the demo runs on any day of the week). Pool cards for the official photo are
handed out the day before, on the first floor of the Public Square (2023 advisory).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from kiosk.model import BRUSSELS, Counter
from kiosk.store.schema import CounterHoursRow, PoolMomentRow

PUBLIC_SQUARE = "Public Square, first floor, NATO HQ"
PUBLIC_SQUARE_FR = "Place publique, premier étage, siège de l'OTAN"


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=BRUSSELS)


def insert_hours_and_pool(s: Session, today: date) -> None:
    """The demo's counter hours and pooled moments, into a store being built."""
    for offset in (-1, 0, 1):  # DEFMIN's collection days; UDCG's is today
        s.add(
            CounterHoursRow(
                counter=Counter.GROUPS.value,
                event_id="DEFMIN",
                day=today + timedelta(days=offset),
                opens=time(7, 30),
                closes=time(18, 0),
            )
        )
    s.add(
        CounterHoursRow(
            counter=Counter.GROUPS.value,
            event_id="UDCG",
            day=today,
            opens=time(7, 30),
            closes=time(18, 0),
        )
    )
    for weekday in range(7):
        for counter in (Counter.GROUPS, Counter.VISITORS):  # Groups: its own, between events
            s.add(
                CounterHoursRow(
                    counter=counter.value, weekday=weekday, opens=time(8), closes=time(17)
                )
            )
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    s.add(
        PoolMomentRow(
            id="DEFMIN-PHOTO",
            event_id="DEFMIN",
            name="Official photo of the Defence Ministers",
            name_fr="Photo officielle des ministres de la Défense",
            starts_at=_at(tomorrow, 9, 30),
            handout_place=PUBLIC_SQUARE,
            handout_place_fr=PUBLIC_SQUARE_FR,
            handout_opens=_at(today, 9),
            handout_closes=_at(today, 17),
        )
    )
    s.add(
        PoolMomentRow(
            id="DEFMIN-SESSION",
            event_id="DEFMIN",
            name="Start of the first ministerial session",
            name_fr="Ouverture de la première séance ministérielle",
            starts_at=_at(today, 9, 30),
            handout_place=PUBLIC_SQUARE,
            handout_place_fr=PUBLIC_SQUARE_FR,
            handout_opens=_at(yesterday, 9),
            handout_closes=_at(yesterday, 17),
        )
    )


def desk_cases(today: date) -> dict:
    """What the desk must decide for the demo's hours, press cards, pool cards and posts
    (situations name applicants of scenarios.json)."""
    night = _at(today, 3).isoformat()
    return {
        "hours": [
            {
                "situation": "approved_ministerial",
                "counter": "groups",
                "at": night,
                "expect": "refuse",
                "failed": "hours",
            },
            {
                "situation": "approved_ministerial",
                "counter": "groups",
                "at": _at(today, 17, 30).isoformat(),
                "expect": "issue",
            },
            {
                "situation": "approved_annual",
                "counter": "visitors",
                "at": _at(today, 17, 30).isoformat(),
                "expect": "refuse",
                "failed": "hours",
            },
        ],
        "press_card": [
            {"situation": "approved_ministerial", "card": "same", "expect": "issue"},
            {"situation": "approved_ministerial", "card": "other", "expect": "supervisor"},
            {"situation": "approved_ministerial", "card": "expired", "expect": "supervisor"},
        ],
        "pool": {
            "moment": "DEFMIN-PHOTO",
            "closed_moment": "DEFMIN-SESSION",
            "entitled": {
                "pool_photographer": True,
                "pool_annual_photographer": True,
                "pool_written_press": False,
                "pool_technician": False,
                "approved_ministerial": False,
            },
        },
        "posts": [
            {"situation": "approved_ministerial", "events": ["DEFMIN", "UDCG"], "valid": True},
            {"situation": "approved_ministerial", "events": ["NAC-SPECIAL", "UDCG"], "valid": True},
            {
                "situation": "approved_ministerial",
                "events": ["NAC-SPECIAL", "FORMIN"],
                "valid": False,
            },
        ],
    }
