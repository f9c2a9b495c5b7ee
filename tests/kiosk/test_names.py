"""kiosk.names: Doc 9303 transliteration and comparing application names with MRZ names."""

from __future__ import annotations

import ast
import string
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import kiosk.names
from kiosk.names import (
    Fit,
    NameMatch,
    many_variants,
    name_variants,
    names_match,
    rendering_fit,
    to_mrz_name,
)

MODEST = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        ("Müller", "MUELLER"),
        ("MÜLLER", "MUELLER"),
        ("Jürgen Hans", "JUERGEN HANS"),
        ("Björk", "BJOERK"),
        ("Gärtner", "GAERTNER"),
        ("Weiß", "WEISS"),
        ("WEIẞ", "WEISS"),
        ("Ørsted", "OERSTED"),
        ("Åsa", "AASA"),
        ("Ærø", "AEROE"),
        ("Œuvray", "OEUVRAY"),
        ("Þórðarson", "THORDARSON"),
        ("Guðrún", "GUDRUN"),
        ("François", "FRANCOIS"),
        ("José Núñez", "JOSE NUNEZ"),
        ("Łukasz Żółć", "LUKASZ ZOLC"),
        ("Dvořák", "DVORAK"),
        ("Đoković", "DOKOVIC"),
        ("İlkay Gündoğan", "ILKAY GUENDOGAN"),
        ("Ĳsselmeer", "IJSSELMEER"),
        ("Müller-Lüdenscheidt", "MUELLER LUEDENSCHEIDT"),
        ("Jean--Pierre", "JEAN PIERRE"),
        ("O'Brien", "OBRIEN"),
        ("D’Arcy", "DARCY"),
        ("  van   der Berg ", "VAN DER BERG"),
        ("Smith Jr.", "SMITH JR"),
        ("Παπαδόπουλος", "PAPADOPOULOS"),
        ("Γεώργιος", "GEORGIOS"),
        ("Ευάγγελος", "EVANGELOS"),
        ("Ευθυμίου", "EFTHYMIOU"),
        ("Μπακογιάννη", "BAKOGIANNI"),
        ("Χατζηδάκης", "CHATZIDAKIS"),
        ("Ψαράς", "PSARAS"),
        ("Иванов", "IVANOV"),
        ("Пётр Ильич", "PETR ILICH"),
        ("Щербаков", "SHCHERBAKOV"),
        ("Юлия Цой", "IULIIA TSOI"),
        ("Объедков", "OBIEEDKOV"),
        ("Хрущёв", "KHRUSHCHEV"),
        ("Євгенія", "IEVGENIIA"),
        ("", ""),
    ],
)
def test_to_mrz_name(name: str, mrz: str) -> None:
    assert to_mrz_name(name) == mrz


@pytest.mark.parametrize("name", ["李小龍", "محمد", "Ab李"])
def test_letters_without_transliteration_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="no transliteration"):
        to_mrz_name(name)


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Müller", {"MUELLER", "MULLER"}),
        ("Ørsted", {"OERSTED", "ORSTED"}),
        ("Åsa", {"AASA", "ASA"}),
        ("Weiß", {"WEISS"}),
        ("Æbeltoft", {"AEBELTOFT"}),
        ("Jöns Müller", {"JOENS MUELLER", "JONS MUELLER", "JOENS MULLER", "JONS MULLER"}),
        ("Smith", {"SMITH"}),
        ("Гриша", {"GRISHA", "HRISHA", "GRYSHA", "HRYSHA"}),
    ],
)
def test_name_variants(name: str, variants: set[str]) -> None:
    assert name_variants(name) == variants


# Doc 9303 Part 3's truncation example: 16 + 2 + 21 characters fill a 39-character TD3 field.
THAI, THAI_GIVEN = "Nilavadhanananda", "Chayapa Dejthamrong Krasuang"
THAI_MRZ_GIVEN = "CHAYAPA DEJTHAMRONG K"
LONG_SURNAME = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"

MATCHES = [
    # umlauts, both renderings, both ways round
    ("Müller", "Hans", "MUELLER", "HANS", False),
    ("Müller", "Hans", "MULLER", "HANS", False),
    ("MÜLLER", "hans", "mueller", "hans", False),
    ("Jürgen", "Björn", "JURGEN", "BJOERN", False),
    # ß, Ø, Å, Æ
    ("Weiß", "Anna", "WEISS", "ANNA", False),
    ("Ørsted", "Søren", "ORSTED", "SOEREN", False),
    ("Ångström", "Åse", "AANGSTROEM", "ASE", False),
    ("Æbeltoft", "Mette", "AEBELTOFT", "METTE", False),
    # accents and case
    ("José", "María Dolores", "JOSE", "MARIA DOLORES", False),
    ("núñez", "josé", "NUNEZ", "JOSE", False),
    ("NUNEZ", "JOSE", "Núñez", "José", False),
    # hyphenated, double-barrelled and particle surnames, apostrophes
    ("Müller-Lüdenscheidt", "Karl", "MUELLER LUEDENSCHEIDT", "KARL", False),
    ("Müller-Lüdenscheidt", "Karl", "MUELLERLUEDENSCHEIDT", "KARL", False),
    ("Bonham Carter", "Helena", "BONHAM CARTER", "HELENA", False),
    ("van der Berg", "Anna", "VANDERBERG", "ANNA", False),
    ("Van Der Berg", "Anna", "VAN DER BERG", "ANNA", False),
    ("O'Brien", "Seán", "OBRIEN", "SEAN", False),
    ("D’Arcy", "Anne", "DARCY", "ANNE", False),
    # given names: several, fewer on the application, hyphenated
    ("Eriksson", "Anna Maria", "ERIKSSON", "ANNA MARIA", False),
    ("Eriksson", "Anna", "ERIKSSON", "ANNA MARIA", False),
    ("Eriksson", "Anna Lena", "ERIKSSON", "ANNA MARIA LENA", False),
    ("Eriksson", "", "ERIKSSON", "", False),
    ("Dupont", "Jean-Pierre", "DUPONT", "JEAN PIERRE", False),
    ("Dupont", "Jean-Pierre", "DUPONT", "JEANPIERRE", False),
    ("Dupont", "Jean Pierre", "DUPONT", "JEAN PIERRE MARIE", False),
    # Greek and Cyrillic applications against their MRZ
    ("Παπαδόπουλος", "Γεώργιος", "PAPADOPOULOS", "GEORGIOS", False),
    ("Иванов", "Иван Петрович", "IVANOV", "IVAN PETROVICH", False),
    ("Шевченко", "Григорій", "SHEVCHENKO", "HRYHORII", False),
    # truncated: a full 39-character TD3 name field, flagged by the caller ...
    (THAI, THAI_GIVEN, THAI.upper(), THAI_MRZ_GIVEN, True),
    (THAI, "Chayapa Krasuang", THAI.upper(), THAI_MRZ_GIVEN, True),
    (THAI, "Chayapa", THAI.upper(), THAI_MRZ_GIVEN, True),
    (THAI, "Chayapa Dejthamrong Krasuang Somchai", THAI.upper(), THAI_MRZ_GIVEN, True),
    # ... or noticed because the name fills the whole field
    (THAI, THAI_GIVEN, THAI.upper(), THAI_MRZ_GIVEN, False),
    # a surname alone filling the field, the given names cut off entirely
    (LONG_SURNAME, "Hubert", LONG_SURNAME[:39].upper(), "", True),
    (LONG_SURNAME[:35], "Hubert", LONG_SURNAME[:35].upper(), "", True),
]


@pytest.mark.parametrize(("surname", "given", "mrz_surname", "mrz_given", "cut"), MATCHES)
def test_names_that_match(surname: str, given: str, mrz_surname: str, mrz_given: str, cut: bool):
    match = names_match(surname, given, mrz_surname, mrz_given, truncated=cut)
    assert match.ok, match.reason


# The application's spelling first, then the document's: a clerk must not read them swapped.
GIVEN_MISMATCH = "given names {} on the application, {} on the document"
SURNAME_MISMATCH = "surname {} on the application, {} on the document"

MISMATCHES = [
    ("Müller", "Hans", "MEIER", "HANS", False, SURNAME_MISMATCH.format("MUELLER", "MEIER")),
    ("Muller", "Hans", "MUELLER", "HANS", False, SURNAME_MISMATCH.format("MULLER", "MUELLER")),
    ("Ørsted", "Søren", "ORSTED", "SORAN", False, GIVEN_MISMATCH.format("SOEREN", "SORAN")),
    ("Eriksson", "Maria", "ERIKSSON", "ANNA MARIA", False,
     GIVEN_MISMATCH.format("MARIA", "ANNA MARIA")),
    ("Eriksson", "Anna Maria", "ERIKSSON", "ANNA", False,
     GIVEN_MISMATCH.format("ANNA MARIA", "ANNA")),
    ("Eriksson", "Maria Anna", "ERIKSSON", "ANNA MARIA", False,
     GIVEN_MISMATCH.format("MARIA ANNA", "ANNA MARIA")),
    ("Eriksson", "", "ERIKSSON", "ANNA", False, GIVEN_MISMATCH.format("(none)", "ANNA")),
    ("Eriksson", "Anna", "ERIKSSON", "", False, GIVEN_MISMATCH.format("ANNA", "(none)")),
    ("Eriksen", "Anna", "ERIKSSON", "ANNA", False, SURNAME_MISMATCH.format("ERIKSEN", "ERIKSSON")),
    ("Smith", "John", "SMITHSON", "JOHN", False, SURNAME_MISMATCH.format("SMITH", "SMITHSON")),
    # a cut field forgives a cut end, not a different name
    (THAI, THAI_GIVEN, THAI.upper(), "CHAYAPA DEJTHAMRONG X", True,
     GIVEN_MISMATCH.format(THAI_GIVEN.upper(), "CHAYAPA DEJTHAMRONG X")),
    (THAI, "Chayapa Somchai", THAI.upper(), THAI_MRZ_GIVEN, True,
     GIVEN_MISMATCH.format("CHAYAPA SOMCHAI", THAI_MRZ_GIVEN)),
    (THAI, "Somchai", THAI.upper(), THAI_MRZ_GIVEN, True,
     GIVEN_MISMATCH.format("SOMCHAI", THAI_MRZ_GIVEN)),
    # with given names in the MRZ the surname was not cut, so it must be whole
    ("Smithson", "John", "SMITH", "JOHN", True, SURNAME_MISMATCH.format("SMITHSON", "SMITH")),
    ("Παπαδόπουλος", "Γεώργιος", "PAPADOPOULOU", "GEORGIOS", False,
     SURNAME_MISMATCH.format("PAPADOPOULOS", "PAPADOPOULOU")),
    ("Иванов", "Иван", "IVANOVA", "IVAN", False, SURNAME_MISMATCH.format("IVANOV", "IVANOVA")),
    ("", "Anna", "ERIKSSON", "ANNA", False, "the application has no surname"),
    ("Eriksson", "Anna", "", "ANNA", False, "the MRZ has no surname"),
    ("李", "小龍", "LI", "XIAOLONG", False, "'李' has no transliteration to the MRZ alphabet"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("surname", "given", "mrz_surname", "mrz_given", "cut", "reason"), MISMATCHES
)
def test_names_that_do_not_match(
    surname: str, given: str, mrz_surname: str, mrz_given: str, cut: bool, reason: str
) -> None:
    match = names_match(surname, given, mrz_surname, mrz_given, cut)
    assert (match.ok, match.reason) == (False, reason)


def test_a_match_says_when_it_allowed_for_a_cut_name() -> None:
    plain = names_match("Eriksson", "Anna", "ERIKSSON", "ANNA")
    cut = names_match("Eriksson", "Anna Maria", "ERIKSSON", "ANNA MA", truncated=True)
    assert plain == NameMatch(True, "names match", "les noms correspondent")
    assert cut == NameMatch(
        True,
        "names match, allowing for a cut MRZ name",
        "les noms correspondent, compte tenu d'un nom coupé dans la ZLA",
    )


def test_a_mismatch_is_told_in_french_too() -> None:
    assert names_match("Dupont", "Anne", "DUBOIS", "ANNE").reason_fr == (
        "le nom DUPONT dans la demande, DUBOIS sur la pièce"
    )
    assert names_match("Dupont", "", "DUPONT", "ANNE").reason_fr == (
        "les prénoms (aucun) dans la demande, ANNE sur la pièce"
    )
    assert names_match("李", "小龍", "LI", "XIAOLONG").reason_fr == (
        "'李' n'a pas de translittération dans l'alphabet de la ZLA"
    )


def test_names_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(kiosk.names.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {name.split(".")[0] for name in imported} <= sys.stdlib_module_names


written_names = st.text(
    alphabet=st.characters(categories=["L", "Zs"], codec="latin-1")
    | st.sampled_from("-'ÅØßŁΑΥΟΓЖЯ"),
    max_size=12,
)


@MODEST
@given(written_names)
def test_to_mrz_name_writes_only_the_mrz_alphabet(name: str) -> None:
    mrz = to_mrz_name(name)
    assert set(mrz) <= set(string.ascii_uppercase + " ")
    assert mrz == " ".join(mrz.split())
    assert to_mrz_name(mrz) == mrz
    assert mrz in name_variants(name)


@MODEST
@given(surname=written_names, given_names=written_names)
def test_every_variant_matches(surname: str, given_names: str) -> None:
    assume(to_mrz_name(surname))
    for variant in name_variants(surname):
        match = names_match(surname, given_names, variant, to_mrz_name(given_names))
        assert match.ok, match.reason


# Letters with two renderings, letters with one, separators: the cases where the automaton
# and the enumeration could part ways.
ambiguous_names = st.text(alphabet=st.sampled_from("ÜÄÖØÅГИЬÆEUAOGHIYS -'"), max_size=8)
typed_words = st.text(alphabet=st.sampled_from("ueaoghiysth"), min_size=1, max_size=6)


def _enumerated_fit(name: str, typed: str) -> Fit:
    """The answer by listing every rendering, as search did before the automaton."""
    words = {w.lower() for v in name_variants(name) for w in v.split()}
    if typed in words:
        return Fit.WHOLE
    if any(w.startswith(typed) for w in words):
        return Fit.START
    return Fit.INSIDE if any(typed in w for w in words) else Fit.NONE


@MODEST
@given(ambiguous_names, typed_words)
def test_rendering_fit_agrees_with_the_enumeration(name: str, typed: str) -> None:
    assert rendering_fit(name, typed) == _enumerated_fit(name, typed)


@pytest.mark.slow  # over a second: out of the fast lane
@MODEST
@given(written_names, st.data())
def test_rendering_fit_finds_every_part_of_every_variant(name: str, data) -> None:
    variants = sorted(name_variants(name))
    assume(variants and variants[0])
    word = data.draw(st.sampled_from(variants[0].lower().split()))
    start = data.draw(st.integers(0, len(word) - 1))
    end = data.draw(st.integers(start + 1, len(word)))
    assert rendering_fit(name, word[start:end]) == _enumerated_fit(name, word[start:end])


@pytest.mark.parametrize(
    ("name", "typed", "fit"),
    [
        ("Müller", "mueller", Fit.WHOLE),
        ("Müller", "mul", Fit.START),
        ("Müller", "ell", Fit.INSIDE),
        ("Müller", "muel ler", Fit.NONE),
        ("Müller", "meuller", Fit.NONE),
        ("Jöns-Müller", "muller", Fit.WHOLE),
        ("李", "li", Fit.NONE),
    ],
)
def test_rendering_fit(name: str, typed: str, fit: Fit) -> None:
    assert rendering_fit(name, typed) == fit


def test_forty_letter_umlaut_surname_is_matched_without_enumeration() -> None:
    surname = "Ü" * 40  # 2**40 renderings: listing them would never end
    assert many_variants(surname, 1_000_000)
    assert rendering_fit(surname, "ue" * 40) == Fit.WHOLE
    assert rendering_fit(surname, "u" * 25 + "ue" * 15) == Fit.WHOLE
    assert rendering_fit(surname, "ueuuue") == Fit.START
    assert rendering_fit(surname, "u" * 81) == Fit.NONE
    assert names_match(surname, "Anna", "UE" * 15, "", truncated=True).ok
    assert names_match(surname, "Anna", "U" * 20 + "UE" * 20, "ANNA").ok
    assert not names_match(surname, "Anna", "U" * 39, "ANNA").ok
