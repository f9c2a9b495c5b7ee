"""Keyboard-wedge scanners: tell their bursts from a person typing, and route what they typed.

A USB barcode scanner or MRZ document reader is a keyboard: it types what it read, then
Enter. It types far faster and more evenly than anyone can: a few milliseconds between keys,
where a fast typist needs 60 to 150 and manages under 40 only for the odd pair of keys.
`WedgeDetector` watches keystrokes with their times and holds each one back for at most
`Timing.max_gap`: if the next comes sooner it may be a scanner, so it is held too; when
the keys stop, or slow down, or a key no scanner types (Backspace, an arrow, an auto-repeat)
comes, the held keys are handed back to go where they were typed, a little late. Only a run
of at least `Timing.min_length` quick keys ended by Enter (or Tab, for a scanner set up
to send it: the caller passes either to `enter`) is a burst, and it goes to the scanner's
handler instead of the focused field. Pure logic: times are passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from kiosk.codes import ALPHABET
from scanning.keyboard_layout import could_be_mrz_line, normalise_serial

K = TypeVar("K")


@dataclass(frozen=True)
class Timing:
    """What separates a scanner from a person."""

    max_gap: float = 0.040  # seconds between a scanner's keys, at most
    min_length: int = 6  # characters before Enter for a burst
    enter_wait: float = 0.150  # how long a burst long enough may wait for its Enter


@dataclass(frozen=True)
class Step(Generic[K]):
    """What to do after one keystroke: give `release` back, in order, to where they were
    typed; hand `burst` to the scanner's handler; swallow the current key if `hold`."""

    release: tuple[K, ...] = ()
    burst: str | None = None
    hold: bool = False


@dataclass
class _Held(Generic[K]):
    keys: list[K] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    first: float = 0.0
    last: float = 0.0


class WedgeDetector(Generic[K]):
    """Keystrokes in, scanner bursts and keys to pass on out. `K` is whatever the caller
    needs to replay a key (a copy of the key event)."""

    def __init__(self, timing: Timing | None = None) -> None:
        self.timing = timing or Timing()
        self._held: _Held[K] = _Held()

    def press(self, key: K, char: str, now: float, auto_repeat: bool = False) -> Step[K]:
        """A key that types `char`. Held back, unless it is a key held down (auto-repeat)."""
        late = self._held.keys and now - self._held.last > self.timing.max_gap
        release = self._flush() if late else ()
        if auto_repeat:
            return Step((*release, *self._flush()))
        if not self._held.keys:
            self._held.first = now
        self._held.keys.append(key)
        self._held.text.append(char)
        self._held.last = now
        return Step(release, hold=True)

    def enter(self, now: float) -> Step[K]:
        """Enter (or a scanner's Tab): ends a burst (swallowed, its text handed over), or
        passes through."""
        held = self._held
        quick = held.keys and now - held.last <= self.timing.enter_wait
        if quick and len(held.keys) >= self.timing.min_length:
            text = "".join(held.text)
            self._held = _Held()
            return Step(burst=text, hold=True)
        return Step(self._flush())

    def other(self) -> Step[K]:
        """A key no scanner types (Backspace, an arrow, a function key): passes through,
        after whatever was held."""
        return Step(self._flush())

    def tick(self, now: float) -> Step[K]:
        """Time passes: keys held past their wait go back to where they were typed."""
        deadline = self.deadline()
        return Step(self._flush() if deadline is not None and now >= deadline else ())

    def deadline(self) -> float | None:
        """When `tick` must be called next, if anything is held."""
        return self._held.last + self._wait() if self._held.keys else None

    def _wait(self) -> float:
        # Between two keys a scanner never waits more than max_gap; a burst long enough
        # may wait longer for the Enter that ends it.
        long_enough = len(self._held.keys) >= self.timing.min_length
        return self.timing.enter_wait if long_enough else self.timing.max_gap

    def _flush(self) -> tuple[K, ...]:
        keys = tuple(self._held.keys)
        self._held = _Held()
        return keys


class ScanKind(StrEnum):
    """What a scanned line is."""

    CODE = "code"  # a confirmation code (or a badge code) in the code alphabet
    MRZ_LINE = "mrz_line"  # one line of an ID document's machine-readable zone
    BADGE = "badge"  # a badge serial from its Code128 barcode
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Scan:
    """A scanned line and what it is; `text` is normalised for badges (layout undone)."""

    kind: ScanKind
    text: str


_CODE = re.compile(f"[{ALPHABET}]{{40,}}")


def route(text: str) -> Scan:
    """Which handler a scanned line goes to. Codes use a layout-proof alphabet; MRZ lines
    are kept as typed (the document's check digits later pick the layout, across lines)."""
    line = text.strip()
    compact = re.sub(r"\s+", "", line).upper()
    if _CODE.fullmatch(compact):
        return Scan(ScanKind.CODE, compact)
    if could_be_mrz_line(line):
        return Scan(ScanKind.MRZ_LINE, line)
    serial = normalise_serial(line)
    if serial:
        return Scan(ScanKind.BADGE, serial[0])
    return Scan(ScanKind.UNKNOWN, line)
