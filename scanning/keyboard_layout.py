"""Undo what a keyboard-layout mismatch does to what a USB scanner types.

A keyboard-wedge scanner sends key positions, not characters: set to a US layout and
plugged into a Belgian AZERTY counter PC, its "1" arrives as "&", "<" as "." and "A" as
"Q"; on a German QWERTZ PC, "<" arrives as ";" and Y and Z change places. The
confirmation-code alphabet (BCDFGHJKLNPRSTVX) sits on the same keys in all three
layouts, so codes need nothing; MRZ lines and badge serials do.

The layouts are described once, as the characters on each physical key (unshifted,
shifted); the mappings either way are derived from that table. `retype` does what the
mismatch does (tests and demos use it), `normalise_mrz` and `normalise_serial` undo it,
choosing the mismatch that explains the text: for an MRZ, one that could have typed it
(retyping what it meant gives back what arrived) and under which the lines parse with
every check digit right.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.codes import SERIAL_FORM

# One row per physical key: (US unshifted, US shifted, Belgian unshifted, Belgian shifted,
# German unshifted, German shifted).
_KEYS = (
    ("`", "~", "²", "³", "^", "°"),
    ("1", "!", "&", "1", "1", "!"),
    ("2", "@", "é", "2", "2", '"'),
    ("3", "#", '"', "3", "3", "§"),
    ("4", "$", "'", "4", "4", "$"),
    ("5", "%", "(", "5", "5", "%"),
    ("6", "^", "§", "6", "6", "&"),
    ("7", "&", "è", "7", "7", "/"),
    ("8", "*", "!", "8", "8", "("),
    ("9", "(", "ç", "9", "9", ")"),
    ("0", ")", "à", "0", "0", "="),
    ("-", "_", ")", "°", "ß", "?"),
    ("=", "+", "-", "_", "´", "`"),
    ("q", "Q", "a", "A", "q", "Q"),
    ("w", "W", "z", "Z", "w", "W"),
    *((c, c.upper(), c, c.upper(), c, c.upper()) for c in "ert"),
    ("y", "Y", "y", "Y", "z", "Z"),
    *((c, c.upper(), c, c.upper(), c, c.upper()) for c in "uiop"),
    ("[", "{", "^", "¨", "ü", "Ü"),
    ("]", "}", "$", "*", "+", "*"),
    ("a", "A", "q", "Q", "a", "A"),
    *((c, c.upper(), c, c.upper(), c, c.upper()) for c in "sdfghjkl"),
    (";", ":", "m", "M", "ö", "Ö"),
    ("'", '"', "ù", "%", "ä", "Ä"),
    ("\\", "|", "µ", "£", "#", "'"),
    ("z", "Z", "w", "W", "y", "Y"),
    *((c, c.upper(), c, c.upper(), c, c.upper()) for c in "xcvbn"),
    ("m", "M", ",", "?", "m", "M"),
    (",", "<", ";", ".", ",", ";"),
    (".", ">", ":", "/", ".", ":"),
    ("/", "?", "=", "+", "-", "_"),
    (" ", " ", " ", " ", " ", " "),
    ("<", ">", "<", ">", "<", ">"),  # the extra key of ISO keyboards, left of Z/W/Y; last,
)  # so a US scanner's "<" is Shift+comma, as on the keyboards it was made for
US, BE, DE = "us", "be", "de"
_COLUMN = {US: 0, BE: 2, DE: 4}


@dataclass(frozen=True)
class Mismatch:
    """A scanner set to one layout typing on a computer set to another."""

    scanner: str
    computer: str

    def __str__(self) -> str:
        return f"scanner set to {self.scanner.upper()} on a {self.computer.upper()} keyboard"


# A German-set scanner on a US computer is left out: only Y and Z change, so where they
# stand in the names alone (no check digit) nothing tells it from a US scanner's MRZ.
MISMATCHES = (
    Mismatch(US, BE),
    Mismatch(BE, US),
    Mismatch(US, DE),
    Mismatch(BE, DE),
    Mismatch(DE, BE),
)
# A serial has no Y or Z, but its hyphen comes through a German scanner on a US computer
# as "/": for serials that mismatch is told.
SERIAL_MISMATCHES = (*MISMATCHES, Mismatch(DE, US))


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
    candidates = ((_meant(text, m), m) for m in MISMATCHES)
    first_plausible = None
    for lines_, mismatch in itertools.chain([unchanged], candidates):
        if lines_ is None or not all(_mrz_alphabet(line) for line in lines_):
            continue
        first_plausible = first_plausible or (lines_, mismatch)
        try:
            parse("\n".join(lines_))
        except MrzError:
            continue
        return lines_, mismatch
    return first_plausible or unchanged


def _meant(lines: list[str], mismatch: Mismatch) -> list[str] | None:
    """The lines as meant through `mismatch`, upper-cased; None when it cannot have typed
    them: retyping what it meant must give back what arrived (a US scanner on a Belgian
    keyboard types "<" as ".", so lines with "<" and AZERTY digits came from another one)."""
    meant = [undo(line, mismatch) for line in lines]
    if any(retype(m, mismatch) != line for m, line in zip(meant, lines, strict=True)):
        return None
    return [m.upper() for m in meant]


def normalise_serial(text: str) -> tuple[str, Mismatch | None] | None:
    """A badge serial ("G1-000042") as meant, and the mismatch undone, or None if `text`
    is no serial under any layout."""
    text = text.strip()
    for candidate, mismatch in [(text, None), *((undo(text, m), m) for m in SERIAL_MISMATCHES)]:
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
