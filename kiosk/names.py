"""Names as applicants write them, as the machine-readable zone writes them, and whether they agree.

Transliteration follows ICAO Doc 9303 Part 3, section 6 ("Transliterations recommended for use
by States") for Latin-based and Cyrillic characters. Doc 9303 has no Greek table; Greek follows
ELOT 743, the scheme Greek passports use.

Standard library only: this module is part of the domain core.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

Renderings = tuple[str, ...]
"""The acceptable MRZ renderings of one piece of a name; the first is the recommended one."""

_SPACE: Renderings = (" ",)

# Doc 9303 Part 3, 6.A: characters that do not simply lose a diacritic. Where the document allows
# a second rendering ("Ä: AE or A") or one is in common use (Ø, Å written without the mark),
# it follows the recommended one. Other accented Latin letters lose the accent (see _pieces).
_LATIN: dict[str, Renderings] = {
    "Ä": ("AE", "A"),
    "Å": ("AA", "A"),
    "Æ": ("AE",),
    "Ð": ("D",),
    "Ö": ("OE", "O"),
    "Ø": ("OE", "O"),
    "Ü": ("UE", "U"),
    "Þ": ("TH",),
    "ẞ": ("SS",),
    "Đ": ("D",),
    "Ħ": ("H",),
    "Ł": ("L",),
    "Ŋ": ("N",),
    "Œ": ("OE",),
    "Ŧ": ("T",),
}

# Doc 9303 Part 3, 6.B. Belarusian and Ukrainian write Г as H; Ukrainian writes И as Y.
_CYRILLIC: dict[str, Renderings] = {
    "А": ("A",),
    "Б": ("B",),
    "В": ("V",),
    "Г": ("G", "H"),
    "Ґ": ("G",),
    "Д": ("D",),
    "Ђ": ("D",),
    "Ѓ": ("G",),
    "Е": ("E",),
    "Ё": ("E",),
    "Є": ("IE",),
    "Ж": ("ZH",),
    "З": ("Z",),
    "Ѕ": ("DZ",),
    "И": ("I", "Y"),
    "І": ("I",),
    "Ї": ("I",),
    "Й": ("I",),
    "Ј": ("J",),
    "К": ("K",),
    "Л": ("L",),
    "Љ": ("LJ",),
    "М": ("M",),
    "Н": ("N",),
    "Њ": ("NJ",),
    "О": ("O",),
    "П": ("P",),
    "Р": ("R",),
    "С": ("S",),
    "Т": ("T",),
    "Ћ": ("C",),
    "Ќ": ("K",),
    "У": ("U",),
    "Ў": ("U",),
    "Ф": ("F",),
    "Х": ("KH",),
    "Ц": ("TS",),
    "Ч": ("CH",),
    "Џ": ("DZ",),
    "Ш": ("SH",),
    "Щ": ("SHCH",),
    "Ъ": ("IE",),
    "Ы": ("Y",),
    "Ь": ("",),
    "Э": ("E",),
    "Ю": ("IU",),
    "Я": ("IA",),
}

# ELOT 743 single letters; accented forms decompose to these. Digraphs: see _greek_digraph.
_GREEK: dict[str, Renderings] = {
    "Α": ("A",),
    "Β": ("V",),
    "Γ": ("G",),
    "Δ": ("D",),
    "Ε": ("E",),
    "Ζ": ("Z",),
    "Η": ("I",),
    "Θ": ("TH",),
    "Ι": ("I",),
    "Κ": ("K",),
    "Λ": ("L",),
    "Μ": ("M",),
    "Ν": ("N",),
    "Ξ": ("X",),
    "Ο": ("O",),
    "Π": ("P",),
    "Ρ": ("R",),
    "Σ": ("S",),
    "Τ": ("T",),
    "Υ": ("Y",),
    "Φ": ("F",),
    "Χ": ("CH",),
    "Ψ": ("PS",),
    "Ω": ("O",),
}
_GREEK_VOICELESS = frozenset("ΘΚΞΠΣΤΦΧΨ")  # ΑΥ, ΕΥ, ΗΥ are AF, EF, IF before these

_TABLE: dict[str, Renderings] = {**_LATIN, **_CYRILLIC, **_GREEK}
_SEPARATORS = frozenset("-‐‑‒–—<")  # with whitespace, these become a single space
_APOSTROPHES = frozenset("'’‘ʼ`´")  # omitted (some are letters to Unicode, so list them)

# Doc 9303 name fields are 30 (TD1), 31 (TD2, MRV-B) or 39 (TD3, MRV-A) characters long.
_NAME_FIELD_WIDTHS = frozenset({30, 31, 39})


@dataclass(frozen=True)
class NameMatch:
    """Whether an applicant's name agrees with an MRZ name, and why not (in English and
    French)."""

    ok: bool
    reason: str
    reason_fr: str


class NoTransliteration(ValueError):
    """A letter with no rendering in the MRZ alphabet (e.g. a Chinese character)."""

    def __init__(self, char: str) -> None:
        self.char = char
        super().__init__(f"{char!r} has no transliteration to the MRZ alphabet")


def to_mrz_name(name: str) -> str:
    """`name` in the MRZ alphabet (A-Z and single spaces), by the recommended transliteration.

    Raises NoTransliteration (a ValueError) for a letter with no transliteration (e.g. a
    Chinese character).
    """
    return _text(_pieces(name))


def name_variants(name: str) -> set[str]:
    """Every acceptable MRZ rendering of `name` ("Müller" -> {"MUELLER", "MULLER"}).

    There are 2**n of them for n letters with two renderings: call it only on a name
    `many_variants` says is small; `rendering_fit` answers the same questions in linear time.
    """
    return {_join(choice) for choice in itertools.product(*_pieces(name))}


def many_variants(name: str, limit: int) -> bool:
    """Whether `name` may have more than `limit` MRZ renderings (counted, not listed).

    Raises NoTransliteration (a ValueError) like `to_mrz_name`.
    """
    count = 1
    for renderings in _pieces(name):
        count *= len(renderings)
        if count > limit:
            return True
    return False


class Fit(IntEnum):
    """How a typed word fits the words of a name's MRZ renderings (search ranks by it)."""

    NONE = 0
    INSIDE = 1  # somewhere inside a word
    START = 2  # the start of a word
    WHOLE = 3  # a whole word


def rendering_fit(name: str, typed: str) -> Fit:
    """The best fit of `typed` (lower case, no spaces) in any word of any MRZ rendering of
    `name`, in lower case: the same answer as looking in `name_variants(name)`, found by
    walking the name's letters once per position in `typed` (no enumeration)."""
    if not typed or any(c.isspace() for c in typed):
        return Fit.NONE
    try:
        pieces = [tuple(r.lower() for r in renderings) for renderings in _pieces(name)]
    except NoTransliteration:
        return Fit.NONE
    words: list[list[Renderings]] = [[]]
    for piece in pieces:
        if piece == _SPACE:
            words.append([])
        else:
            words[-1].append(piece)
    return max((_word_fit(word, typed) for word in words), default=Fit.NONE)


def _word_fit(word: list[Renderings], typed: str) -> Fit:
    if _walk(word, typed, prefix=False):
        return Fit.WHOLE
    if _walk(word, typed, prefix=True):
        return Fit.START
    return Fit.INSIDE if _inside(word, typed) else Fit.NONE


def _inside(pieces: list[Renderings], text: str) -> bool:
    """Whether `text` occurs inside one rendering of `pieces`: like `_walk`, but the match may
    also begin inside any piece's rendering."""
    positions: set[int] = set()
    for renderings in pieces:
        reached = set()
        for r in renderings:
            if text in r:
                return True
            for k in range(len(r)):  # begin here, at r's k-th letter
                if text.startswith(r[k:]):
                    reached.add(len(r) - k)
            for p in positions:
                if r.startswith(text[p:]):
                    return True
                if text.startswith(r, p):
                    reached.add(p + len(r))
        positions = reached
    return False


def names_match(
    app_surname: str,
    app_given: str,
    mrz_surname: str,
    mrz_given: str,
    truncated: bool = False,
) -> NameMatch:
    """Compare the application's names with an MRZ's, allowing transliteration variants.

    The surname must be a rendering of the application's, spaces ignored. The application may
    list fewer given names than the MRZ, but its first must be the MRZ's first and the rest must
    follow in order. When the MRZ name may have been cut (`truncated`, or it fills a whole name
    field) the MRZ side only has to be the start of a rendering.
    """
    try:
        surname = _pieces(app_surname)
        given = _pieces(app_given)
        mrz_surname = to_mrz_name(mrz_surname)
        mrz_given = to_mrz_name(mrz_given)
    except NoTransliteration as exc:
        fr = f"{exc.char!r} n'a pas de translittération dans l'alphabet de la ZLA"
        return NameMatch(False, str(exc), fr)
    if not _text(surname):
        return NameMatch(False, "the application has no surname", "la demande n'a pas de nom")
    if not mrz_surname:
        return NameMatch(False, "the MRZ has no surname", "la ZLA n'a pas de nom")
    cut = truncated or _fills_name_field(mrz_surname, mrz_given)

    # A cut surname leaves no room for given names: with given names present, it is whole.
    surname_cut = cut and not mrz_given
    if not (_renders(surname, mrz_surname) or (surname_cut and _starts(surname, mrz_surname))):
        return NameMatch(
            False,
            f"surname {_text(surname)} on the application, {mrz_surname} on the document",
            f"le nom {_text(surname)} dans la demande, {mrz_surname} sur la pièce",
        )
    if not _given_names_agree(given, mrz_given, cut):
        app_given, id_given = _text(given), mrz_given
        return NameMatch(
            False,
            f"given names {app_given or '(none)'} on the application, {id_given or '(none)'} on "
            "the document",
            f"les prénoms {app_given or '(aucun)'} dans la demande, {id_given or '(aucun)'} sur "
            "la pièce",
        )
    if cut:
        return NameMatch(
            True,
            "names match, allowing for a cut MRZ name",
            "les noms correspondent, compte tenu d'un nom coupé dans la ZLA",
        )
    return NameMatch(True, "names match", "les noms correspondent")


def _pieces(name: str) -> list[Renderings]:
    """`name` as a sequence of pieces, each with its acceptable MRZ renderings."""
    text = unicodedata.normalize("NFC", name).upper()
    pieces: list[Renderings] = []
    i = 0
    while i < len(text):
        digraph = _greek_digraph(text, i)
        if digraph:
            pieces.append(digraph)
            i += 2
        else:
            pieces.extend(_char_pieces(text[i]))
            i += 1
    return pieces


def _char_pieces(char: str) -> list[Renderings]:
    if char.isspace() or char in _SEPARATORS:
        return [_SPACE]
    if char in _APOSTROPHES:
        return []
    if char in _TABLE:
        return [_TABLE[char]]
    pieces: list[Renderings] = []
    for part in unicodedata.normalize("NFKD", char).upper():  # "É" -> "E" + combining acute
        if part in _TABLE:
            pieces.append(_TABLE[part])
        elif "A" <= part <= "Z":
            pieces.append((part,))
        elif unicodedata.category(part).startswith("L"):
            raise NoTransliteration(char)
        # anything else (accents, digits, punctuation) is omitted
    return pieces


def _greek_digraph(text: str, i: int) -> Renderings | None:
    """ELOT 743 renderings of the Greek letter pair at `i`, if it is read as one sound."""
    pair = unicodedata.normalize("NFD", text[i : i + 2]).replace("\u0301", "")  # drop the tonos
    if pair == "ΟΥ":
        return ("OU",)
    if pair in ("ΓΓ", "ΓΞ", "ΓΧ"):
        return ("N" + _GREEK[pair[1]][0],)
    if pair == "ΜΠ" and (i == 0 or not text[i - 1].isalpha()):
        return ("B",)
    if len(pair) == 2 and pair[0] in "ΑΕΗ" and pair[1] == "Υ":
        following = unicodedata.normalize("NFD", text[i + 2 : i + 3])[:1]
        voiceless = not following.isalpha() or following in _GREEK_VOICELESS
        return (_GREEK[pair[0]][0] + ("F" if voiceless else "V"),)
    return None


def _text(pieces: Iterable[Renderings]) -> str:
    """The recommended rendering of `pieces`."""
    return _join(renderings[0] for renderings in pieces)


def _join(chosen: Iterable[str]) -> str:
    """Chosen renderings as one name, spaces single and none at either end."""
    return " ".join("".join(chosen).split())


def _compact(pieces: list[Renderings]) -> list[Renderings]:
    return [piece for piece in pieces if piece != _SPACE]


def _renders(pieces: list[Renderings], mrz: str) -> bool:
    """Whether `mrz` is one rendering of `pieces`, with or without its spaces."""
    return _walk(_tidy(pieces), mrz, prefix=False) or _walk(
        _compact(pieces), mrz.replace(" ", ""), prefix=False
    )


def _starts(pieces: list[Renderings], mrz: str) -> bool:
    """Whether `mrz` is the start of one rendering of `pieces`, with or without its spaces."""
    return _walk(_tidy(pieces), mrz, prefix=True) or _walk(
        _compact(pieces), mrz.replace(" ", ""), prefix=True
    )


def _tidy(pieces: list[Renderings]) -> list[Renderings]:
    """`pieces` with spaces single and none at either end, as `_text` writes them."""
    words = _split_words(pieces)
    return [piece for n, word in enumerate(words) for piece in ([_SPACE] if n else []) + word]


def _split_words(pieces: list[Renderings]) -> list[list[Renderings]]:
    words: list[list[Renderings]] = [[]]
    for piece in pieces:
        if piece == _SPACE:
            words.append([])
        else:
            words[-1].append(piece)
    return [word for word in words if _text(word)]


def _walk(pieces: list[Renderings], mrz: str, *, prefix: bool) -> bool:
    """Match `mrz` against every combination of renderings at once (no enumeration)."""
    positions = {0}
    for renderings in pieces:
        if prefix and any(r.startswith(mrz[p:]) for p in positions for r in renderings):
            return True
        positions = {p + len(r) for p in positions for r in renderings if mrz.startswith(r, p)}
        if not positions:
            return False
    return len(mrz) in positions


def _given_names_agree(given: list[Renderings], mrz_given: str, cut: bool) -> bool:
    if _renders(given, mrz_given) or (cut and mrz_given and _starts(given, mrz_given)):
        return True
    names = _split_words(given)
    mrz_names = mrz_given.split()
    if not names:
        return not mrz_names
    if not mrz_names:
        return cut  # the surname filled the field
    j = 0
    for k, name in enumerate(names):
        while not _name_agrees(name, mrz_names[j], cut and j == len(mrz_names) - 1):
            if k == 0:
                return False  # the first given name on both sides must agree
            j += 1
            if j == len(mrz_names):
                return False
        j += 1
        if j == len(mrz_names) and k < len(names) - 1:
            return cut  # the MRZ ends here: the application's other names may have been cut off
    return True


def _name_agrees(name: list[Renderings], mrz_name: str, may_be_cut: bool) -> bool:
    return _renders(name, mrz_name) or (may_be_cut and _starts(name, mrz_name))


def _fills_name_field(mrz_surname: str, mrz_given: str) -> bool:
    """Whether the MRZ name fills a whole name field, so it may have been cut."""
    length = len(mrz_surname) + (2 + len(mrz_given) if mrz_given else 0)
    return length in _NAME_FIELD_WIDTHS
