"""Undo what a keyboard-layout mismatch does to what a USB scanner types.

A keyboard-wedge scanner sends key positions, not characters: set to a US layout and
plugged into a Belgian AZERTY counter PC, its "1" arrives as "&", "<" as "." and "A" as
"Q". The confirmation-code alphabet (BCDFGHJKLNPRSTVX) sits on the same keys in both
layouts, so codes need nothing; MRZ lines and badge serials do.

Both layouts are described once, as the characters on each physical key (unshifted,
shifted); the mappings either way are derived from that table. `retype` does what the
mismatch does (tests and demos use it), `normalise_mrz` and `normalise_serial` undo it,
choosing the mismatch that explains the text: for an MRZ, the one whose lines parse with
every check digit right.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.codes import SERIAL_FORM

# One row per physical key: (US unshifted, US shifted, Belgian unshifted, Belgian shifted).
_KEYS = (
    ("`", "~", "²", "³"),
    ("1", "!", "&", "1"),
    ("2", "@", "é", "2"),
    ("3", "#", '"', "3"),
    ("4", "$", "'", "4"),
    ("5", "%", "(", "5"),
    ("6", "^", "§", "6"),
    ("7", "&", "è", "7"),
    ("8", "*", "!", "8"),
    ("9", "(", "ç", "9"),
    ("0", ")", "à", "0"),
    ("-", "_", ")", "°"),
    ("=", "+", "-", "_"),
    ("q", "Q", "a", "A"),
    ("w", "W", "z", "Z"),
    *((c, c.upper(), c, c.upper()) for c in "ertyuiop"),
    ("[", "{", "^", "¨"),
    ("]", "}", "$", "*"),
    ("a", "A", "q", "Q"),
    *((c, c.upper(), c, c.upper()) for c in "sdfghjkl"),
    (";", ":", "m", "M"),
    ("'", '"', "ù", "%"),
    ("\\", "|", "µ", "£"),
    ("z", "Z", "w", "W"),
    *((c, c.upper(), c, c.upper()) for c in "xcvbn"),
    ("m", "M", ",", "?"),
    (",", "<", ";", "."),
    (".", ">", ":", "/"),
    ("/", "?", "=", "+"),
    (" ", " ", " ", " "),
    ("<", ">", "<", ">"),  # the extra key of ISO keyboards, left of Z/W; last, so a US
)  # scanner's "<" is Shift+comma, as on the keyboards it was made for
US, BE = "us", "be"
_COLUMN = {US: 0, BE: 2}


@dataclass(frozen=True)
class Mismatch:
    """A scanner set to one layout typing on a computer set to another."""

    scanner: str
    computer: str

    def __str__(self) -> str:
        return f"scanner set to {self.scanner.upper()} on a {self.computer.upper()} keyboard"


MISMATCHES = (Mismatch(US, BE), Mismatch(BE, US))


def _positions(layout: str) -> dict[str, tuple[int, int]]:
    """Character -> (key, shift level) in `layout`; the first key wins where two type it."""
    out: dict[str, tuple[int, int]] = {}
    for key, row in enumerate(_KEYS):
        for level in (0, 1):
            out.setdefault(row[_COLUMN[layout] + level], (key, level))
    return out


def _typed_map(mismatch: Mismatch) -> dict[str, str]:
    """What arrives when the scanner means each character it can type."""
    scanner, computer = _positions(mismatch.scanner), _COLUMN[mismatch.computer]
    return {char: _KEYS[key][computer + level] for char, (key, level) in scanner.items()}


def retype(text: str, mismatch: Mismatch) -> str:
    """`text` as it arrives through `mismatch` (characters the scanner cannot type stay)."""
    typed = _typed_map(mismatch)
    return "".join(typed.get(char, char) for char in text)


def undo(text: str, mismatch: Mismatch) -> str:
    """What the scanner meant, given what arrived through `mismatch`.

    Where two keys of the scanner's layout type the same character on the computer (a
    Belgian "." and "<" both come out as a US "<"), the one codes are made of is meant."""
    meant: dict[str, str] = {}
    for char, typed in _typed_map(mismatch).items():
        if typed not in meant or (_code_char(char) and not _code_char(meant[typed])):
            meant[typed] = char
    return "".join(meant.get(char, char) for char in text)


def _code_char(char: str) -> bool:
    """A character of MRZs, serials or codes: A-Z, 0-9, "<", "-"."""
    return char.isascii() and (char.isalnum() or char in "<-")


def normalise_mrz(lines: Sequence[str]) -> tuple[list[str], Mismatch | None]:
    """The MRZ lines as the document reader meant them, and the mismatch undone (None if
    the lines came through unchanged). Every line of one document went through the same
    mismatch; the check digits pick it. Lines no mismatch explains come back upper-cased."""
    from scanning.mrz import MrzError, parse

    text = [line.strip() for line in lines]
    unchanged: tuple[list[str], Mismatch | None] = ([t.upper() for t in text], None)
    # Made one at a time: lines that came through unchanged, the usual case, parse first.
    candidates = (([undo(t, m).upper() for t in text], m) for m in MISMATCHES)
    first_plausible = None
    for lines_, mismatch in itertools.chain([unchanged], candidates):
        if not all(_mrz_alphabet(line) for line in lines_):
            continue
        first_plausible = first_plausible or (lines_, mismatch)
        try:
            parse("\n".join(lines_))
        except MrzError:
            continue
        return lines_, mismatch
    return first_plausible or unchanged


def normalise_serial(text: str) -> tuple[str, Mismatch | None] | None:
    """A badge serial ("G1-000042") as meant, and the mismatch undone, or None if `text`
    is no serial under any layout."""
    text = text.strip()
    for candidate, mismatch in [(text, None), *((undo(text, m), m) for m in MISMATCHES)]:
        if SERIAL_FORM.fullmatch(candidate.upper()):
            return candidate.upper(), mismatch
    return None


def serial_or_text(text: str) -> str:
    """The badge serial a 1D scanner on another keyboard layout meant, or `text` as
    scanned when it is no serial under any layout (a QR code's text)."""
    serial = normalise_serial(text)
    return serial[0] if serial else text


def could_be_mrz_line(text: str) -> bool:
    """A line an MRZ reader may have typed, through any layout mismatch."""
    text = text.strip()
    if len(text) not in (30, 36, 44):
        return False
    return any(
        _mrz_alphabet(candidate.upper()) and "<" in candidate
        for candidate in [text, *(undo(text, m) for m in MISMATCHES)]
    )


def _mrz_alphabet(line: str) -> bool:
    return bool(line) and all(c.isascii() and (c.isalnum() or c == "<") for c in line)
