"""Hostile input to the web console's forms behind sign-in: each case a fuzz of every
route found (docs/threat-model.md, "Bad input"), refused with a sentence in English and
French and nothing changed, where it used to answer 500 or keep what it should not."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import func, select

from hub import schema as h
from hub.app import create_app
from hub.clients import Role, enrol
from hub.site_hours import add_hours, add_moment
from hub.web.accounts import WebRole, add_user
from kiosk.hours import Span
from kiosk.model import BRUSSELS, Counter
from kiosk.pool import PoolMoment
from kiosk.typed import brussels_time
from tests.hub.test_web_console import (
    NOON,
    PASSWORDS,
    Clock,
    add_handoff,
    make_conflict,
    signed_in,
)
from tests.site_fixtures import fill

# Sign-ins count, not their cost: scrypt at n=2**10 (tests/conftest.py).
pytestmark = pytest.mark.slow
UNREADABLE = "characters the console does not keep"
MOMENT = {
    "moment": "DEFMIN-TOUR",
    "event": "DEFMIN",
    "name": "Tour",
    "starts": "2026-02-15T11:00",
    "place": "Atrium",
    "opens": "2026-02-14T09:00",
    "closes": "2026-02-14T17:00",
}


@pytest.fixture
def hub(sqlite_hub_db, export_and_entries):
    """A filled hub with an office and a chief account, hours on Mondays, a pooled
    moment, a conflict, a hand-off, two kiosks and the office's own client."""
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    add_user(db, "anna", WebRole.OFFICE, PASSWORDS["anna"], NOON)
    add_user(db, "chief", WebRole.CHIEF, PASSWORDS["chief"], NOON)
    add_hours(db, Span(Counter.GROUPS, time(8), time(12), weekday=0), "x", NOON)
    start = datetime(2026, 2, 15, 9, 30, tzinfo=BRUSSELS)
    photo = PoolMoment("DEFMIN-PHOTO", "DEFMIN", "Family photo", start, "Square", NOON, start)
    add_moment(db, photo, "x", NOON)
    make_conflict(db)
    add_handoff(db)
    for kiosk, role in (("G1", Role.COUNTER), ("OFFICE", Role.OFFICE)):
        enrol(db, kiosk, role)
    return db, create_app(db, Clock())


def state(db) -> dict[str, int]:
    """The change counter and the size of every table the console's forms write."""
    with db.reading() as s:
        sizes = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t))
            for t in (h.JournalRow, h.CounterHoursRow, h.PoolMomentRow, h.HandoffHandledRow)
        }
        revoked = s.scalar(select(func.count()).where(h.ClientRow.revoked_at.is_not(None)))
        settled = s.scalar(select(func.count()).where(h.ConflictRow.settled_at.is_not(None)))
        return sizes | {"revoked": revoked, "settled": settled}


@pytest.mark.parametrize("span", ["08:00+01:00-09:00+01:00", "0001-01-01", "13:00:30-14:00"])
def test_opening_hours_with_a_time_zone_or_seconds_are_refused(hub, span):
    # "08:00+01:00" read as a time with a zone, compared with the Monday span kept: a 500.
    db, app = hub
    office, csrf = signed_in(app, "anna")
    before = state(db)
    form = {"csrf": csrf, "counter": "groups", "span": span, "weekday": "mon"}
    r = office.post("/console/hours/add", data=form)
    assert r.status_code == 400 and "is not opening hours: type them as HH:MM" in r.text
    assert state(db) == before


@pytest.mark.parametrize(
    "field, value",
    [("starts", "0001-01-01T00:00"), ("opens", "0001-01-01"), ("closes", "9999-12-31T23:59-12:00")],
)
def test_a_pooled_moment_at_a_time_utc_cannot_hold_is_refused(hub, field, value):
    # Brussels midnight of 1 January of year 1 is in year 0 in UTC: OverflowError, a 500.
    db, app = hub
    office, csrf = signed_in(app, "anna")
    before = state(db)
    r = office.post("/console/hours/moments/add", data=MOMENT | {"csrf": csrf, field: value})
    assert r.status_code == 400 and "is not a date and time" in r.text
    assert state(db) == before
    with pytest.raises(ValueError, match="from 2000 to 2099"):
        brussels_time(value)
