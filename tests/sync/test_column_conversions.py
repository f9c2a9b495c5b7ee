"""The upsert's conversions of whole columns (sync/apply.py `column_conversion`) bind
what SQLAlchemy's own conversion of each value binds, and fail where it fails."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import sqlite

from kiosk.model import BRUSSELS
from kiosk.store import schema as k
from sync.apply import _converted, column_conversion, stored_moment, stored_moments

DIALECT = sqlite.dialect()  # the store's (pysqlite)
ZONES = [UTC, BRUSSELS, timezone(timedelta(hours=-9, minutes=-30)), timezone(timedelta(0))]


def _sqlalchemy(table, name):
    column = table.__table__.c[name]
    return column, column.type.dialect_impl(DIALECT).bind_processor(DIALECT)


def _moments(n: int) -> list[datetime]:
    rng = random.Random(18)
    moments = [
        datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS),
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BRUSSELS),
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),  # no microseconds: written all the same
    ]
    for _ in range(n):
        at = datetime(2000, 1, 1) + timedelta(seconds=rng.randrange(100 * 365 * 86400))
        at += timedelta(microseconds=rng.choice((0, rng.randrange(1_000_000))))
        moments.append(at.replace(tzinfo=rng.choice(ZONES)))
    return moments


def test_moments_of_a_column_are_stored_as_sqlalchemy_stores_each():
    column, sqlalchemy_s = _sqlalchemy(k.AccreditationRow, "status_changed_at")
    moments = _moments(3000)
    ours = column_conversion(column, DIALECT)
    assert ours is stored_moments
    assert ours(moments) == [sqlalchemy_s(m) for m in moments]
    assert ours(tuple(moments)) == list(map(stored_moment, moments))


def test_moments_of_a_column_refuse_one_without_a_zone_as_each_does():
    moments = [*_moments(3), datetime(2026, 3, 1, 12, 0)]
    with pytest.raises(ValueError, match="timezone-aware"):
        stored_moment(moments[-1])
    with pytest.raises(ValueError, match="timezone-aware"):
        stored_moments(moments)
    with pytest.raises(AttributeError):  # a day in a moment's column: as stored_moment
        stored_moments([date(2026, 1, 1)])


@pytest.mark.parametrize(
    "values",
    [[True, False, True], [False], [1, 0, 1.0], [True, 2], [True, "yes"], [True, [1]]],
)
def test_flags_of_a_column_are_bound_as_sqlalchemy_binds_each(values):
    column, sqlalchemy_s = _sqlalchemy(k.AccreditationRow, "pool")
    ours = column_conversion(column, DIALECT)
    try:
        expected = [sqlalchemy_s(v) for v in values]
    except (TypeError, ValueError) as err:
        with pytest.raises(type(err)):
            ours(values)
        return
    assert ours(values) == expected
    assert list(map(type, ours(values))) == list(map(type, expected))


def test_days_and_columns_with_nulls_convert_value_by_value_alike():
    day_column, day_s = _sqlalchemy(k.AccreditationRow, "doc_expiry")
    at_column, at_s = _sqlalchemy(k.AccreditationRow, "status_changed_at")
    flag_column, flag_s = _sqlalchemy(k.AccreditationRow, "pool")
    days = [date(2026, 1, 1) + timedelta(days=i) if i % 3 else None for i in range(300)]
    moments = [m if i % 4 else None for i, m in enumerate(_moments(295))]
    flags = [None if i % 5 == 0 else bool(i % 2) for i in range(300)]
    rows = list(zip(range(300), days, moments, flags, strict=True))
    conversions = tuple(
        (i, column_conversion(c, DIALECT))
        for i, c in ((1, day_column), (2, at_column), (3, flag_column))
    )

    def none(convert):
        return lambda v: None if v is None else convert(v)

    expected = [(n, none(day_s)(d), none(at_s)(m), none(flag_s)(f)) for n, d, m, f in rows]
    assert _converted(rows, conversions) == expected
