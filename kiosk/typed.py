"""Values people type: times, days and ids within bounds, and text without control
characters, for the command lines, the console, the hub's doors and the kiosk's journal.

Each parser returns the value or raises ValueError with a sentence to show as it is. The
bounds keep a typo from reaching arithmetic or the store that cannot hold it: year 1 or
9999 overflowed the retention arithmetic and the store's UTC conversion, and an id past
64 bits overflowed SQLite's integers.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from kiosk.model import BRUSSELS

YEARS = range(2000, 2100)  # the years a typed date or time may name
MAX_ID = 2**63 - 1  # SQLite's largest integer
T = TypeVar("T")


def cut(text: str, most: int) -> str:
    """`text` cut to `most` characters, an ellipsis marking the cut."""
    return text if len(text) <= most else text[: most - 1] + "…"


def shown(text: str, most: int = 40) -> str:
    """`text` quoted for a message, cut to `most` characters: a refusal of a 5,000
    character entry should still read as a sentence."""
    return repr(cut(text, most))


def brussels_time(text: str) -> datetime:
    """An ISO 8601 date and time, in Brussels when it names no zone (the CLIs' `--at`)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.year not in YEARS:
        raise ValueError(
            f"{shown(text)} is not a date and time from {YEARS[0]} to {YEARS[-1]} "
            "(ISO 8601, such as 2026-12-05T10:30)"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=BRUSSELS)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


COLOUR = re.compile(r"#[0-9A-Fa-f]{6}", re.ASCII)  # an event's badge colour: #RRGGBB


def is_colour(value: object) -> bool:
    """Whether `value` is a colour a badge can be printed in (#RRGGBB)."""
    return isinstance(value, str) and COLOUR.fullmatch(value) is not None


def calendar_day(text: str) -> date:
    """A day typed as YYYY-MM-DD: not the other forms `date.fromisoformat` takes, where
    "2026-W49-5" is a Friday and "20260102" a day an operator may have meant otherwise."""
    try:
        day = date.fromisoformat(text.strip()) if _DAY.fullmatch(text.strip()) else None
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        raise ValueError(
            f"{shown(text)} is not a day from {YEARS[0]} to {YEARS[-1]} "
            "(YYYY-MM-DD, such as 2026-12-05)"
        )
    return day


def row_id(text: str, least: int = 1, most: int = MAX_ID) -> int:
    """A row's id, or any count typed: a whole number from `least` to `most`."""
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or not least <= int(digits) <= most:
        raise ValueError(f"{shown(text)} is not a whole number from {least:,} to {most:,}")
    return int(digits)


# Control characters (an escape sequence replayed on an operator's terminal by a listing),
# the bidirectional overrides that make a name read other than it is kept, and lone
# surrogates (JSON's "\ud800": no UTF-8 file or database can hold one); tab and line
# breaks are text (an MRZ's two lines). The web console refuses the same.
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


BREAKS = re.compile(r"[\n\r\t]")  # text keeps them; a one-line value does not
_NOT_A_LINE_END = re.compile(r"\t|\r(?!\n)")  # a note's lines end in \n or \r\n


def line_refusal(text: str, lines: bool = False) -> tuple[str, str] | None:
    """Why `text` is no one-line value (a name, a reason, a place), or with `lines` no
    note, in English and French; None when it is one. A line break or a tab in a one-line
    value printed lines that are not there in listings and the journal's readings; a
    note's lines end in \\n or \\r\\n (as a form's text box sends them), and a tab or a
    carriage return alone sends a terminal back over the line it printed."""
    if not (CONTROL.search(text) or (_NOT_A_LINE_END if lines else BREAKS).search(text)):
        return None
    if lines:
        return (
            f"{shown(text)} must be text: lines, without a tab, a carriage return alone or a "
            "control character",
            f"{shown(text)} doit être du texte : des lignes, sans tabulation, retour chariot "
            "seul ni caractère de contrôle",
        )
    return (
        f"{shown(text)} must be one line of text, without a line break, a tab or a "
        "control character",
        f"{shown(text)} doit tenir sur une ligne, sans saut de ligne, tabulation ni "
        "caractère de contrôle",
    )


def one_line(text: str) -> str:
    """`text` as a one-line value (a name, a reason, a place); ValueError otherwise."""
    if refused := line_refusal(text):
        raise ValueError(refused[0])
    return text


def note_lines(text: str) -> str:
    """`text` as a note that may run over lines; ValueError otherwise."""
    if refused := line_refusal(text, lines=True):
        raise ValueError(refused[0])
    return text


def as_text(value: T) -> T:
    """`value` with every CONTROL character replaced by U+FFFD, in text and inside
    objects and lists: what the kiosk journals of what people typed or pasted, so that
    the hub, which refuses such characters, takes every delivery."""
    if isinstance(value, str):
        return CONTROL.sub("\ufffd", value)
    if isinstance(value, dict):
        return {as_text(k): as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


def unreadable_argument(argv: list[str]) -> int | None:
    """The 1-based position of the first argument that is not text: bytes that were not
    UTF-8 (Python keeps them as lone surrogates, which the store cannot hold) or one of
    CONTROL; None when all are text."""
    for position, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return position
        if CONTROL.search(arg):
            return position
    return None


def argument(parse: Callable[[str], T]) -> Callable[[str], T]:
    """`parse` as an argparse type: a value it refuses is shown with its sentence."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    convert.__name__ = parse.__name__
    return convert


def argument_refusal(prog: str, argv: list[str]) -> str | None:
    """The sentence `prog` refuses `argv` with when an argument is not text, or None."""
    position = unreadable_argument(argv)
    if position is None:
        return None
    return (
        f"{prog}: argument {position} holds what is not text (control characters, or bytes "
        "that are not UTF-8: check the terminal's encoding); nothing was done."
    )
