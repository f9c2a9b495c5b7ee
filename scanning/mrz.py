"""Read and write ICAO Doc 9303 machine-readable zones: TD1, TD2, TD3, MRV-A and MRV-B.

Field positions live in one table per format, numbered as Doc 9303 numbers them (line, first
and last character, counting from 1) so each entry can be checked against the specification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from kiosk.model import UNKNOWN_BIRTH, IdReading
from kiosk.names import to_mrz_name

FILLER = "<"
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALPHABET = frozenset(_DIGITS + _LETTERS + FILLER)
_WEIGHTS = (7, 3, 1)

# OCR confusions between letters and digits, letter -> digit, then both ways round.
_LETTER_TO_DIGIT = {"O": "0", "I": "1", "B": "8", "S": "5", "Z": "2", "G": "6"}
_CONFUSIONS = {**_LETTER_TO_DIGIT, **{digit: letter for letter, digit in _LETTER_TO_DIGIT.items()}}

_SEX = {"M": "M", "F": "F", "X": "X", FILLER: "X"}  # Doc 9303: "<" when unspecified

Span = tuple[int, int, int]  # (line, first, last), 1-based and inclusive as in Doc 9303


class MrzError(ValueError):
    """A machine-readable zone that cannot be trusted, and the field at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class _Layout:
    """Where each field of one MRZ format sits."""

    name: str
    lines: int
    width: int
    fields: dict[str, Span]
    composite: tuple[Span, ...] = ()  # what the composite check digit covers; visas have none
    long_number: bool = False  # the document number may continue in the optional data

    def field_slice(self, field: str) -> slice:
        """Where `field` sits in the lines joined together."""
        return self.span_slice(self.fields[field])

    def span_slice(self, span: Span) -> slice:
        line, first, last = span
        offset = (line - 1) * self.width
        return slice(offset + first - 1, offset + last)


# Doc 9303 Part 5: TD1, identity cards.
_TD1 = _Layout(
    "TD1",
    lines=3,
    width=30,
    fields={
        "document code": (1, 1, 2),
        "issuing state": (1, 3, 5),
        "document number": (1, 6, 14),
        "document number check": (1, 15, 15),
        "optional data": (1, 16, 30),
        "birth date": (2, 1, 6),
        "birth date check": (2, 7, 7),
        "sex": (2, 8, 8),
        "expiry date": (2, 9, 14),
        "expiry date check": (2, 15, 15),
        "nationality": (2, 16, 18),
        "optional data 2": (2, 19, 29),
        "composite check": (2, 30, 30),
        "names": (3, 1, 30),
    },
    composite=((1, 6, 30), (2, 1, 7), (2, 9, 15), (2, 19, 29)),
    long_number=True,
)

# Doc 9303 Part 6: TD2.
_TD2 = _Layout(
    "TD2",
    lines=2,
    width=36,
    fields={
        "document code": (1, 1, 2),
        "issuing state": (1, 3, 5),
        "names": (1, 6, 36),
        "document number": (2, 1, 9),
        "document number check": (2, 10, 10),
        "nationality": (2, 11, 13),
        "birth date": (2, 14, 19),
        "birth date check": (2, 20, 20),
        "sex": (2, 21, 21),
        "expiry date": (2, 22, 27),
        "expiry date check": (2, 28, 28),
        "optional data": (2, 29, 35),
        "composite check": (2, 36, 36),
    },
    composite=((2, 1, 10), (2, 14, 20), (2, 22, 35)),
    long_number=True,
)

# Doc 9303 Part 4: TD3, passports; the optional data is the "personal number", with its own
# check digit.
_TD3 = _Layout(
    "TD3",
    lines=2,
    width=44,
    fields={
        "document code": (1, 1, 2),
        "issuing state": (1, 3, 5),
        "names": (1, 6, 44),
        "document number": (2, 1, 9),
        "document number check": (2, 10, 10),
        "nationality": (2, 11, 13),
        "birth date": (2, 14, 19),
        "birth date check": (2, 20, 20),
        "sex": (2, 21, 21),
        "expiry date": (2, 22, 27),
        "expiry date check": (2, 28, 28),
        "optional data": (2, 29, 42),
        "optional data check": (2, 43, 43),
        "composite check": (2, 44, 44),
    },
    composite=((2, 1, 10), (2, 14, 20), (2, 22, 43)),
)

# Doc 9303 Part 7: MRV-A, passport-sized visas.
_MRVA = _Layout(
    "MRVA",
    lines=2,
    width=44,
    fields={
        "document code": (1, 1, 2),
        "issuing state": (1, 3, 5),
        "names": (1, 6, 44),
        "document number": (2, 1, 9),
        "document number check": (2, 10, 10),
        "nationality": (2, 11, 13),
        "birth date": (2, 14, 19),
        "birth date check": (2, 20, 20),
        "sex": (2, 21, 21),
        "expiry date": (2, 22, 27),
        "expiry date check": (2, 28, 28),
        "optional data": (2, 29, 44),
    },
)

# Doc 9303 Part 7: MRV-B, TD2-sized visas.
_MRVB = _Layout(
    "MRVB",
    lines=2,
    width=36,
    fields={
        "document code": (1, 1, 2),
        "issuing state": (1, 3, 5),
        "names": (1, 6, 36),
        "document number": (2, 1, 9),
        "document number check": (2, 10, 10),
        "nationality": (2, 11, 13),
        "birth date": (2, 14, 19),
        "birth date check": (2, 20, 20),
        "sex": (2, 21, 21),
        "expiry date": (2, 22, 27),
        "expiry date check": (2, 28, 28),
        "optional data": (2, 29, 36),
    },
)

# (lines, width) -> first letter of the document code -> format
_SHAPES: dict[tuple[int, int], dict[str, _Layout]] = {
    (3, 30): {"A": _TD1, "C": _TD1, "I": _TD1},
    (2, 36): {"A": _TD2, "C": _TD2, "I": _TD2, "V": _MRVB},
    (2, 44): {"P": _TD3, "V": _MRVA},
}
_WIDTH_OF_SINGLE_LINE = {lines * width: width for lines, width in _SHAPES}


@dataclass(frozen=True)
class MrzResult:
    """What a machine-readable zone says, after its check digits have confirmed it."""

    format: str  # "TD1", "TD2", "TD3", "MRVA" or "MRVB"
    document_code: str  # "P", "I", "ID", "V"...
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date
    sex: str  # "M", "F" or "X"
    expiry_date: date
    optional_data: str  # fillers at the ends dropped; TD1's two fields joined by a space
    names_truncated: bool  # the name field is full, so the name may have been cut
    repairs: tuple[str, ...] = ()  # OCR misreads the check digits confirmed and put right
    # "day", or "month" (and day): fillers there, birth_date on the 1st; "year": the whole
    # date is fillers, birth_date is UNKNOWN_BIRTH and means nothing.
    birth_unknown: str = ""

    def to_id_reading(self) -> IdReading:
        """The reading the rules compare with the document on file."""
        return IdReading(
            document_type=self.document_code,
            issuing_state=self.issuing_state,
            document_number=self.document_number,
            surname=self.surname,
            given_names=self.given_names,
            nationality=self.nationality,
            birth_date=self.birth_date,
            sex=self.sex,
            expiry_date=self.expiry_date,
            names_truncated=self.names_truncated,
            birth_unknown=self.birth_unknown,
        )


_CHECKED_FIELDS = (
    "document number",
    "document number check",
    "birth date",
    "birth date check",
    "expiry date",
    "expiry date check",
    "optional data check",
    "composite check",
)


def unchecked_positions(format_name: str) -> frozenset[tuple[int, int]]:
    """(line, position) pairs, counted from 1, that no check digit covers in MRZs of
    `format_name` ("TD1", "TD3"...): a misread there (the names, the states, the sex) would
    pass every check, so a reader unsure of such a character must not accept the reading."""
    layout = _layout_named(format_name)
    spans = [layout.fields[f] for f in _CHECKED_FIELDS if f in layout.fields]
    spans += list(layout.composite)
    if "optional data check" in layout.fields:
        spans.append(layout.fields["optional data"])
    checked = {(line, pos) for line, first, last in spans for pos in range(first, last + 1)}
    every = {
        (line, pos) for line in range(1, layout.lines + 1) for pos in range(1, layout.width + 1)
    }
    return frozenset(every - checked)


def _layout_named(format_name: str) -> _Layout:
    return next(
        layout
        for formats in _SHAPES.values()
        for layout in formats.values()
        if layout.name == format_name
    )


_LETTER_FIELDS = ("document code", "issuing state", "names", "nationality", "sex")
_DIGIT_FIELDS = (
    "birth date",
    "expiry date",
    "document number check",
    "birth date check",
    "expiry date check",
    "optional data check",
    "composite check",
)


def character_classes(lines: int, width: int, code: str = "") -> tuple[str, ...]:
    """What each position of an MRZ of this shape may hold, one string per line: "A" a
    letter or filler, "9" a digit or filler, "X" any MRZ character. Formats sharing a shape
    (TD3 and MRV-A, TD2 and MRV-B) differ only where this says "X", unless `code`, the
    document code's first letter, names one of them."""
    formats = _SHAPES[(lines, width)]
    shapes = [formats[code]] if code in formats else list(formats.values())
    merged = [["X"] * width for _ in range(lines)]
    for line in range(lines):
        for pos in range(width):
            kinds = {_class_at(layout, line + 1, pos + 1) for layout in shapes}
            merged[line][pos] = kinds.pop() if len(kinds) == 1 else "X"
    return tuple("".join(row) for row in merged)


def _class_at(layout: _Layout, line: int, pos: int) -> str:
    for field, (at_line, first, last) in layout.fields.items():
        if at_line == line and first <= pos <= last:
            if field in _LETTER_FIELDS:
                return "A"
            return "9" if field in _DIGIT_FIELDS else "X"
    return "X"


def check_digit(data: str) -> int:
    """Doc 9303 Part 3, 4.9: weights 7, 3, 1 repeated; "<" counts 0, A-Z count 10-35."""
    return sum(_value(char) * _WEIGHTS[i % 3] for i, char in enumerate(data)) % 10


def _value(char: str) -> int:
    if char in _DIGITS:
        return int(char)
    if char in _LETTERS:
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise MrzError("check digit", f"{char!r} is not an MRZ character")


def parse(text: str, today: date | None = None) -> MrzResult:
    """Read an MRZ, repairing OCR misreads only where check digits confirm the repair.

    `today` settles the century of two-digit years: a birth date is never in the future, an
    expiry date falls within 50 years either side. Raises MrzError for anything invalid.
    """
    today = today or date.today()
    lines = _lines(text)
    layout = _layout(lines)
    reader = _Reader(layout, "".join(lines))
    document_number = reader.document_number()
    birth = reader.date_digits("birth date", partly_unknown=True)
    expiry = reader.date_digits("expiry date")
    optional_data = reader.optional_data()
    reader.composite()
    surname, given_names = _names(reader.read("names"))
    return MrzResult(
        format=layout.name,
        document_code=_document_code(reader.read("document code")),
        issuing_state=_state(reader.read("issuing state"), "issuing state"),
        document_number=document_number,
        surname=surname,
        given_names=given_names,
        nationality=_state(reader.read("nationality"), "nationality"),
        birth_date=_birth_date(birth, today),
        sex=_sex(reader.read("sex")),
        expiry_date=_expiry_date(expiry, today),
        optional_data=optional_data,
        names_truncated=not reader.read("names").endswith(FILLER),
        repairs=tuple(reader.repairs),
        birth_unknown=_UNKNOWN_PARTS[len(birth.rstrip(FILLER))],
    )


def _lines(text: str) -> list[str]:
    """The MRZ lines, upper-cased, from text that may have stray whitespace or one long line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 1 and len(lines[0]) in _WIDTH_OF_SINGLE_LINE:
        width = _WIDTH_OF_SINGLE_LINE[len(lines[0])]
        lines = [lines[0][start : start + width] for start in range(0, len(lines[0]), width)]
    for number, line in enumerate(lines, 1):
        for position, char in enumerate(line, 1):
            if not char.isascii() or char.upper() not in _ALPHABET:
                raise MrzError(
                    "characters", f"{char!r} at line {number}, position {position} is not allowed"
                )
    return [line.upper() for line in lines]


def _layout(lines: list[str]) -> _Layout:
    shape = (len(lines), len(lines[0]) if lines else 0)
    if not lines or any(len(line) != shape[1] for line in lines) or shape not in _SHAPES:
        widths = "+".join(str(len(line)) for line in lines) or "nothing"
        raise MrzError("format", f"lines of {widths} characters are not 3x30, 2x36 or 2x44")
    formats = _SHAPES[shape]
    first = lines[0][0]
    if first not in formats:
        expected = ", ".join(sorted(formats))
        raise MrzError(
            "document code", f"a {shape[0]}x{shape[1]} MRZ starts with {expected}, not {first!r}"
        )
    return formats[first]


class _Reader:
    """Reads check-digit-protected fields, putting right the OCR misreads they confirm.

    Repairs are made in place so the composite check digit is computed over corrected data.
    """

    def __init__(self, layout: _Layout, data: str) -> None:
        self.layout = layout
        self.chars = list(data)
        self.repairs: list[str] = []
        self.optional_skip = 0  # optional data taken up by a long document number
        self.guess: MrzError | None = None  # the failure behind an alphanumeric repair

    def read(self, field: str) -> str:
        return "".join(self.chars[self.layout.field_slice(field)])

    def document_number(self) -> str:
        number = self.layout.field_slice("document number")
        check_at = self.layout.field_slice("document number check").start
        if self.chars[check_at] == FILLER and self.layout.long_number:
            return self._long_document_number(number)
        check = self._check_digit("document number", check_at)
        return self._alphanumeric("document number", range(number.start, number.stop), check)

    def _long_document_number(self, principal: slice) -> str:
        # Doc 9303 Part 5, 4.2.4 (and Part 6): "the 9 principal characters ... followed by a
        # filler character instead of a check digit ... The remaining characters of the document
        # number shall be shown at the beginning of the field reserved for optional data
        # elements ... followed by a check digit and a filler character."
        optional = self.layout.field_slice("optional data")
        rest = "".join(self.chars[optional])
        length = rest.find(FILLER) if FILLER in rest else len(rest)
        if length < 2:
            raise MrzError(
                "document number", "check digit is '<' but the optional data does not continue it"
            )
        self.optional_skip = length + 1
        check_at = optional.start + length - 1
        check = self._check_digit("document number", check_at)
        indices = [*range(principal.start, principal.stop), *range(optional.start, check_at)]
        return self._alphanumeric("document number", indices, check)

    def date_digits(self, field: str, partly_unknown: bool = False) -> str:
        """The field's six characters, digits (OCR letters repaired) but where the day, or
        the month and day, are fillers in a date `partly_unknown` may be (Doc 9303 Part 3)."""
        span = self.layout.field_slice(field)
        stop = span.stop
        if partly_unknown and len(self.read(field).rstrip(FILLER)) in _UNKNOWN_PARTS:
            stop = span.start + len(self.read(field).rstrip(FILLER))
        for i in range(span.start, stop):
            char = self.chars[i]
            if char in _LETTER_TO_DIGIT:
                self._repair(field, i, _LETTER_TO_DIGIT[char])
            elif char not in _DIGITS:
                raise MrzError(field, f"{char!r} is not a digit")
        digits = self.read(field)
        _verify(
            field, digits, self._check_digit(field, self.layout.field_slice(f"{field} check").start)
        )
        return digits

    def optional_data(self) -> str:
        span = self.layout.field_slice("optional data")
        indices = range(span.start + self.optional_skip, span.stop)
        if "optional data check" in self.layout.fields:
            check_at = self.layout.field_slice("optional data check").start
            unused = all(self.chars[i] == FILLER for i in indices)
            # Doc 9303 Part 4: an unused personal number may have a filler as its check digit.
            if not (unused and self.chars[check_at] == FILLER):
                self._alphanumeric(
                    "optional data", indices, self._check_digit("optional data", check_at)
                )
        parts = ["".join(self.chars[i] for i in indices)]
        if "optional data 2" in self.layout.fields:
            parts.append(self.read("optional data 2"))
        return " ".join(part.strip(FILLER) for part in parts if part.strip(FILLER))

    def composite(self) -> None:
        if not self.layout.composite:
            return
        data = "".join(
            "".join(self.chars[self.layout.span_slice(s)]) for s in self.layout.composite
        )
        check = self._check_digit("composite", self.layout.field_slice("composite check").start)
        if check_digit(data) != check and self.guess:
            # The field's own check digit failed as read; blame it, not the composite.
            reason = f"{self.guess.reason}; the one OCR repair that fits fails the composite"
            raise MrzError(self.guess.field, reason)
        _verify("composite", data, check)

    def _check_digit(self, field: str, index: int) -> int:
        char = self.chars[index]
        if char in _LETTER_TO_DIGIT:
            self._repair(f"{field} check digit", index, _LETTER_TO_DIGIT[char])
        elif char not in _DIGITS:
            raise MrzError(field, f"check digit is {char!r}, not a digit")
        return int(self.chars[index])

    def _alphanumeric(self, field: str, indices: range | list[int], check: int) -> str:
        """The field's value; if its check digit fails, the one OCR repair that satisfies it."""
        value = "".join(self.chars[i] for i in indices)
        if check_digit(value) == check:
            return value.rstrip(FILLER)
        fits = []
        for n, i in enumerate(indices):
            alternative = _CONFUSIONS.get(self.chars[i])
            if alternative and check_digit(value[:n] + alternative + value[n + 1 :]) == check:
                fits.append((i, alternative))
        failure = f"check digit is {check} but the data gives {check_digit(value)}"
        if len(fits) != 1:
            doubt = f"; {len(fits)} OCR repairs would fit, so none is trusted" if fits else ""
            raise MrzError(field, failure + doubt)
        self.guess = self.guess or MrzError(field, failure)
        self._repair(field, *fits[0])
        return "".join(self.chars[i] for i in indices).rstrip(FILLER)

    def _repair(self, field: str, index: int, char: str) -> None:
        self.repairs.append(f"{field}: {self.chars[index]} read as {char}")
        self.chars[index] = char


def _verify(field: str, data: str, check: int) -> None:
    if check_digit(data) != check:
        raise MrzError(field, f"check digit is {check} but the data gives {check_digit(data)}")


def _document_code(code: str) -> str:
    if code[1] not in _LETTERS + FILLER:
        raise MrzError("document code", f"{code!r} is not a document code")
    return code.rstrip(FILLER)


def _state(code: str, field: str) -> str:
    """A three-letter state code ("D<<" for Germany is "D")."""
    if any(char not in _LETTERS + FILLER for char in code) or code[0] == FILLER:
        raise MrzError(field, f"{code!r} is not a state code")
    return code.rstrip(FILLER)


def _sex(char: str) -> str:
    if char not in _SEX:
        raise MrzError("sex", f"{char!r} is not M, F, X or <")
    return _SEX[char]


def _names(field: str) -> tuple[str, str]:
    """(surname, given names): the primary identifier ends at the first "<<"."""
    if any(char not in _LETTERS + FILLER for char in field):
        raise MrzError("names", f"{field.rstrip(FILLER)!r} has characters other than letters")
    primary, _, secondary = field.rstrip(FILLER).partition(FILLER * 2)
    if not primary:
        raise MrzError("names", "there is no surname")
    return primary.replace(FILLER, " "), " ".join(secondary.replace(FILLER, " ").split())


# Known characters of a date of birth -> the part unknown (filled with "<"); "year": the
# whole date is unknown (Doc 9303 Part 3: six fillers).
_UNKNOWN_PARTS = {6: "", 4: "day", 2: "month", 0: "year"}


def _birth_date(digits: str, today: date) -> date:
    """The date of birth: the latest one that is not after `today`; an unknown month or
    day (fillers) is taken as the first; a date wholly unknown is `UNKNOWN_BIRTH`."""
    if digits == FILLER * 6:
        return UNKNOWN_BIRTH
    digits = digits[:2] + digits[2:].replace(FILLER * 2, "01")
    year = today.year - (today.year - int(digits[:2])) % 100
    born = _date("birth date", digits, year)
    return born if born <= today else _date("birth date", digits, year - 100)


def _expiry_date(digits: str, today: date) -> date:
    """The expiry date: the one whose year is within [today - 50 years, today + 50 years)."""
    first = today.year - 50
    return _date("expiry date", digits, first + (int(digits[:2]) - first) % 100)


def _date(field: str, digits: str, year: int) -> date:
    try:
        return date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError as exc:
        raise MrzError(field, f"{digits} is not a date ({exc})") from None


def _compose(
    layout: _Layout,
    document_code: str,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
) -> str:
    document_code = document_code.upper()
    if _SHAPES[layout.lines, layout.width].get(document_code[:1]) is not layout:
        raise MrzError("document code", f"{document_code!r} is not a {layout.name} document code")
    writer = _Writer(layout)
    writer.put("document code", document_code)
    writer.put("issuing state", _state_code("issuing state", issuing_state))
    writer.put("names", _name_field(surname, given_names, writer.width("names")))
    writer.document_number(document_number.upper(), optional_data.upper().replace(" ", FILLER))
    writer.put("nationality", _state_code("nationality", nationality))
    writer.put("birth date", birth_date.strftime("%y%m%d"))
    writer.check("birth date")
    if sex not in ("M", "F", "X"):
        raise MrzError("sex", f"{sex!r} is not M, F or X")
    writer.put("sex", sex.replace("X", FILLER))
    writer.put("expiry date", expiry_date.strftime("%y%m%d"))
    writer.check("expiry date")
    if "optional data check" in layout.fields:
        writer.check("optional data")
    if layout.composite:
        data = "".join(writer.text()[layout.span_slice(span)] for span in layout.composite)
        writer.put("composite check", str(check_digit(data)))
    text = writer.text()
    return "\n".join(text[n * layout.width : (n + 1) * layout.width] for n in range(layout.lines))


# The MRZ text of a document, lines joined with "\n", check digits computed. Arguments:
# document_code, issuing_state, surname, given_names, document_number, nationality,
# birth_date, sex, expiry_date, optional_data. A TD1 document number over 9 characters
# continues in the optional data as Doc 9303 says.
compose_td1 = partial(_compose, _TD1)  # identity cards, 3 x 30
compose_td2 = partial(_compose, _TD2)  # 2 x 36
compose_td3 = partial(_compose, _TD3)  # passports, 2 x 44


def _state_code(field: str, code: str) -> str:
    if not (code.isascii() and code.isalpha()):
        raise MrzError(field, f"{code!r} is not a state code")
    return code.upper()


def _name_field(surname: str, given_names: str, width: int) -> str:
    """SURNAME<<GIVEN<NAMES, cut to `width` when it is too long."""
    try:
        primary = to_mrz_name(surname).replace(" ", FILLER)
        secondary = to_mrz_name(given_names).replace(" ", FILLER)
    except ValueError as exc:
        raise MrzError("names", str(exc)) from None
    if not primary:
        raise MrzError("names", f"surname {surname!r} has no letters for the MRZ")
    return (primary + FILLER * 2 + secondary if secondary else primary)[:width]


class _Writer:
    """Fills the fields of one layout, fillers everywhere else."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.chars = [FILLER] * (layout.lines * layout.width)

    def width(self, field: str) -> int:
        span = self.layout.field_slice(field)
        return span.stop - span.start

    def put(self, field: str, value: str) -> None:
        span = self.layout.field_slice(field)
        if len(value) > span.stop - span.start:
            raise MrzError(field, f"{value!r} is longer than {span.stop - span.start} characters")
        _require_alphabet(field, value)
        self.chars[span.start : span.start + len(value)] = value

    def check(self, field: str) -> None:
        self.put(f"{field} check", str(check_digit(self.text()[self.layout.field_slice(field)])))

    def document_number(self, number: str, optional_data: str) -> None:
        if len(number) <= self.width("document number") or not self.layout.long_number:
            self.put("document number", number)
            self.check("document number")
            self.put("optional data", optional_data)
            return
        _require_alphabet("document number", number)
        principal = number[: self.width("document number")]
        continuation = number[len(principal) :] + str(check_digit(number))
        self.put("document number", principal)  # its check digit position keeps the filler
        self.put("optional data", f"{continuation}{FILLER}{optional_data}".rstrip(FILLER))

    def text(self) -> str:
        return "".join(self.chars)


def _require_alphabet(field: str, value: str) -> None:
    if any(char not in _ALPHABET for char in value):
        raise MrzError(field, f"{value!r} has characters outside A-Z, 0-9 and <")
