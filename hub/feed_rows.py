"""A feed page's rows as the wire carries them, converted a column at a time.

The feed (hub/feed.py) reads dates and datetimes as the database holds them, without
SQLAlchemy parsing each one: SQLite's text as SQLAlchemy wrote it (``2026-02-14``,
``2026-02-14 09:30:00.000000``, UTC), PostgreSQL's naive objects (UTC). Each becomes the
text `sync.protocol.encode` writes for the parsed, aware value, on both databases: a
day SQLite holds is that text already, a moment is rewritten as text; a value of another
length (stored in another form) is parsed as SQLAlchemy parses it, then written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from operator import itemgetter

from sync.protocol import BYTES, DATE, DATETIME, Blobs

READ_AS_STORED = (DATE, DATETIME)  # the kinds of field hub/feed.py reads untyped


def _sqlite_day(text: str) -> str:
    return text if len(text) == 10 else date.fromisoformat(text).isoformat()


def _sqlite_moment(text: str) -> str:
    """``2026-02-14 09:30:00.000000`` (naive, UTC) as ``2026-02-14T09:30:00+00:00``."""
    if len(text) == 26 and text[10] == " " and text[19] == ".":
        if text.endswith(".000000"):  # isoformat leaves out a zero fraction
            return f"{text[:10]}T{text[11:19]}+00:00"
        return f"{text[:10]}T{text[11:]}+00:00"
    return _moment(datetime.fromisoformat(text))


def _moment(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat()  # as kiosk/store/schema.AwareDateTime


def _each(convert: Callable, column: Sequence) -> list:
    if None in column:
        return [None if v is None else convert(v) for v in column]
    return list(map(convert, column))


def _column(how: str, column: Sequence, sqlite: bool) -> Sequence:
    """One column of dates or times as the wire carries them."""
    if how == DATE and sqlite:
        if set(map(len, filter(None, column))) <= {10}:  # all as SQLAlchemy writes them
            return column
        return _each(_sqlite_day, column)
    if how == DATE:
        return _each(date.isoformat, column)
    if how == DATETIME:
        return _each(_sqlite_moment if sqlite else _moment, column)
    return _each(time.isoformat, column)  # times of day, read typed


def wire_rows(
    fields: dict[str, str | None], rows: Sequence[Sequence], blobs: Blobs, sqlite: bool
) -> list[dict]:
    """`rows` (values in the order of `fields`; values after them are left out) as wire
    objects, bytes fields kept in `blobs` row after row; `sqlite` says where the rows
    were read. A dict per row as read, then the columns that need it converted."""
    if not rows:  # most kinds, on most pages
        return []
    names = tuple(fields)
    wire = [dict(zip(names, row, strict=False)) for row in rows]
    stored = [(i, name) for i, (name, how) in enumerate(fields.items()) if how == BYTES]
    if stored:  # in the order the rows and their fields come, as `encode` keeps them
        for row, values in zip(wire, rows, strict=True):
            for i, name in stored:
                if values[i] is not None:
                    row[name] = blobs.add(values[i])
    for i, (name, how) in enumerate(fields.items()):
        if how is None or how == BYTES:
            continue
        column = list(map(itemgetter(i), rows))
        if column.count(None) == len(column):
            continue
        converted = _column(how, column, sqlite)
        if converted is not column:
            for row, value in zip(wire, converted, strict=True):
                row[name] = value
    return wire
