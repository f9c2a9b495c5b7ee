"""A column of a page's values converted at once, by C methods: a Python call per value
cost a tenth of reading a first sync's pages (sync/protocol.py) and of applying a page of
100 changes (sync/apply.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import repeat
from operator import attrgetter, is_

_TZINFO = attrgetter("tzinfo")


def each(convert: Callable, values: Iterable) -> list:
    """`convert` of each of `values`."""
    return list(map(convert, values))


def any_naive(moments: Iterable) -> bool:
    """Whether one of the datetimes `moments` has no time zone."""
    return any(map(is_, map(_TZINFO, moments), repeat(None)))
