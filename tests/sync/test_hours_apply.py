"""A counter takes hours, closures and pooled moments from the feed only as the kiosk's own
checks allow, and drops what the hub removed unless cards name it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from kiosk.model import BRUSSELS
from kiosk.store.database import Store
from kiosk.store.schema import EventRow, PoolCardRow, PoolMomentRow
from sync.hours_apply import apply_moments, hours_refusal

NOON = datetime(2026, 2, 14, 12, tzinfo=BRUSSELS)


def span(**changes) -> dict:
    row = {
        "id": 3,
        "counter": "groups",
        "event_id": None,
        "weekday": 0,
        "day": None,
        "opens": time(8),
        "closes": time(17),
        "removed_at": None,
    }
    return row | changes


def closure(**changes) -> dict:
    row = {"id": 4, "counter": "visitors", "day": date(2026, 12, 25), "reason": "Christmas"}
    return row | {"removed_at": None} | changes


def moment(**changes) -> dict:
    row = {
        "id": "PHOTO",
        "event_id": "DEFMIN",
        "name": "Official photo",
        "starts_at": NOON + timedelta(days=1),
        "handout_place": "Public Square",
        "handout_opens": NOON,
        "handout_closes": NOON + timedelta(hours=4),
        "removed_at": None,
    }
    return row | changes


@pytest.mark.parametrize(
    ("kind", "row", "why"),
    [
        ("counter_hours", span(), None),
        ("counter_hours", span(event_id="DEFMIN", weekday=None, day=date(2026, 2, 14)), None),
        ("counter_hours", span(opens=time(17), closes=time(8)), "inverted"),
        ("counter_hours", span(opens=time(8), closes=time(8)), "inverted"),
        ("counter_hours", span(counter="annex"), "unknown counter"),
        ("counter_hours", span(weekday=7), "mon to sun"),
        ("counter_hours", span(weekday="mon"), "not a whole number"),
        ("counter_hours", span(weekday=True), "not a whole number"),
        ("counter_hours", span(day=date(2026, 2, 14)), "not both or neither"),
        ("counter_hours", span(weekday=None), "not both or neither"),
        ("counter_hours", span(opens=time(8, tzinfo=UTC)), "not wall-clock times"),
        ("counter_hours", span(counter="visitors", event_id="DEFMIN"), "Only the Groups"),
        ("counter_hours", span(event_id="E" * 41), "at most 40"),
        ("counter_hours", span(id=-1), "not a whole number"),
        ("counter_hours", span(id="1"), "not a whole number"),
        ("counter_hours", span(opens=None, removed_at=NOON), None),  # dropping needs no times
        ("closures", closure(), None),
        ("closures", closure(reason="x" * 201), "at most 200"),
        ("closures", closure(reason="  "), "needs a reason"),
        ("closures", closure(reason=None), "needs a day and a reason"),
        ("closures", closure(counter="annex"), "unknown counter"),
        ("closures", closure(reason=None, removed_at=NOON), None),
        ("pool_moments", moment(), None),
        ("pool_moments", moment(handout_closes=NOON), "must open before it closes"),
        ("pool_moments", moment(name=" "), "needs an id, a name"),
        ("pool_moments", moment(handout_place="P" * 201), "at most 200"),
        ("pool_moments", moment(id="M" * 41), "at most 40"),
        ("pool_moments", moment(starts_at=datetime(2026, 2, 15, 9)), "time zone"),
        ("pool_moments", moment(event_id=7), "event_id is not text"),
        ("pool_moments", moment(id=7), "id is not text"),
    ],
)
def test_a_row_of_the_wrong_form_is_refused_with_its_reason(kind, row, why):
    refusal = hours_refusal(kind, row)
    assert refusal is None if why is None else why in refusal


def test_a_moment_removed_at_the_hub_stays_while_cards_name_it(tmp_path):
    store = Store.in_dir(tmp_path)
    try:
        with store.writing() as s:
            s.add(
                EventRow(
                    id="DEFMIN",
                    name="Defence ministers",
                    place="HQ",
                    at_hq=True,
                    first_day=date(2026, 2, 13),
                    last_day=date(2026, 2, 15),
                    collection_opens=NOON,
                    collection_closes=NOON + timedelta(days=1),
                    annual_admitted=True,
                    colour="#123456",
                    valid_with=[],
                )
            )
            apply_moments(s, [moment(), moment(id="OTHER")])
            s.flush()
            s.add(PoolCardRow(moment_id="PHOTO", accreditation_id=1, kiosk_id="G1",
                              handed_by="clerk", handed_at=NOON))  # fmt: skip
        with store.writing() as s:
            apply_moments(s, [moment(removed_at=NOON), moment(id="OTHER", removed_at=NOON)])
        with store.reading() as s:
            assert list(s.scalars(select(PoolMomentRow.id))) == ["PHOTO"]
    finally:
        store.close()
