"""A text's font runs and drawing order, decided for the whole text at once in the usual
case (one font draws it all; no right-to-left letter), the same as letter by letter."""

from __future__ import annotations

import random
import unicodedata

import pytest

from printing import fonts

TEXTS = [
    "",
    " ",
    "Lefèvre",
    "de La Tour d'Auvergne-Lauraguais",
    "13.02.2026 – 15.02.2026",
    "Nguyễn Thị Minh Khai",
    "Παπαδόπουλος",
    "Шостакович",
    "李小龙",
    "KBS 한국방송",
    "عبد الله",
    "Camille 李",
    "e\u0301te\u0301",  # accents written apart, after their letter
    "\u00a0no-break\u202fspaces\u2009",
    "\u0301",  # an accent with no letter before it
    "tab\tand\nline",
]


@pytest.mark.parametrize("font", [fonts.SANS, fonts.SANS_BOLD, fonts.MONO])
@pytest.mark.parametrize("text", TEXTS)
def test_runs_equal_the_runs_decided_letter_by_letter(text, font):
    assert fonts.font_runs(text, font) == fonts._runs_by_letter(text, font)


def test_runs_of_mixed_generated_texts_equal_those_decided_letter_by_letter():
    letters = "".join(TEXTS) + "ÆØÅßŁżźÇñ한국新华社الجزيرة"
    pick = random.Random(7)
    for _ in range(200):
        text = "".join(pick.choice(letters) for _ in range(pick.randrange(0, 25)))
        for font in (fonts.SANS, fonts.SANS_BOLD):
            assert fonts.font_runs(text, font) == fonts._runs_by_letter(text, font), text


def test_a_latin_name_is_one_run_and_a_chinese_one_is_not_in_the_latin_font():
    assert fonts.font_runs("Lefèvre", fonts.SANS) == [(fonts.SANS, "Lefèvre")]
    runs = fonts.font_runs("Camille 李", fonts.SANS)
    assert runs[0] == (fonts.SANS, "Camille ") and runs[-1] == (fonts.CJK, "李")


def test_no_character_before_the_first_right_to_left_one_is_right_to_left():
    before = [chr(c) for c in range(ord(fonts.FIRST_RTL))]
    assert not [ch for ch in before if unicodedata.bidirectional(ch) in fonts.RTL]
    assert unicodedata.bidirectional(fonts.FIRST_RTL) in fonts.RTL


def test_latin_text_stays_as_it_is_and_arabic_is_set_right_to_left():
    assert fonts.visual("Lefèvre – Παπαδόπουλος") == "Lefèvre – Παπαδόπουλος"
    assert fonts.visual("عبد الله") != "عبد الله"
