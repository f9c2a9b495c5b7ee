"""The kiosk's clock reading in each request (sync/clock_header.py): written to the
millisecond in UTC, read strictly, anything else ignored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.model import BRUSSELS
from sync.clock_header import clock_header, read_clock_header

HUB = datetime(2026, 12, 5, 23, 40, 0, tzinfo=UTC)


def test_written_in_utc_to_the_millisecond_and_read_back():
    kiosk = datetime(2026, 12, 6, 3, 40, 0, 123456, tzinfo=BRUSSELS)  # 02:40 UTC
    value = clock_header(kiosk)
    assert value == "2026-12-06T02:40:00.123Z"
    assert read_clock_header(value, HUB) == timedelta(hours=3, milliseconds=123)
    assert read_clock_header(clock_header(HUB - timedelta(minutes=5)), HUB) == -timedelta(minutes=5)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "2026-12-06T02:40:00Z",  # no milliseconds
        "2026-12-06T02:40:00.123+00:00",  # not the Z form
        "2026-12-06 02:40:00.123Z",
        "2026-12-06T02:40:00.123Z ",
        "2026-12-06T02:40:00.123Z\x00",
        "2026-02-30T02:40:00.123Z",  # no such day
        "2026-12-06T25:40:00.123Z",
        "٢٠٢٦-12-06T02:40:00.123Z",  # digits, but not ASCII ones
        "1969-12-31T23:59:59.999Z",  # before any PC clock
        "2200-01-01T00:00:00.000Z",  # absurd
        "9999-12-31T23:59:59.999Z",
        "x" * 10_000,
        "Mon, 07 Dec 2026 02:40:00 GMT",
    ],
)
def test_anything_else_is_ignored(value):
    assert read_clock_header(value, HUB) is None
