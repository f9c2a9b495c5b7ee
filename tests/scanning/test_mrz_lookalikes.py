"""The look-alike discriminants: they tell OCR-B's O from its 0 (and other pairs) as print
varies, and leave a cell that could be either unsettled."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanning.mrz import character_classes
from scanning.mrz_lookalikes import PAIRS, discriminant, render

CAP, PITCH, MARGIN = 24, 24, 4  # the glyph reader's cell geometry


def printed(char: str, ink: int, blur: float) -> np.ndarray:
    """`char` drawn three times larger, its strokes `ink` fine pixels heavier, reduced and
    blurred: a print and a focus the training did not use exactly."""
    fine = render(char, CAP, PITCH, MARGIN, 3)
    if ink:
        fine = cv2.erode(fine, np.ones((ink + 1, ink + 1), np.uint8))
    small = cv2.resize(fine, (PITCH, CAP + 2 * MARGIN), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small, (0, 0), blur)


@pytest.mark.slow  # trains the O/0 discriminant (about half a second)
@pytest.mark.parametrize(("ink", "blur"), [(0, 0.6), (3, 1.0), (5, 1.1)])
def test_o_and_zero_are_told_apart_as_ink_and_focus_vary(ink, blur):
    judge = discriminant(frozenset("O0"), CAP, PITCH, MARGIN)
    assert judge.decide(printed("O", ink, blur)) == "O"
    assert judge.decide(printed("0", ink, blur)) == "0"


@pytest.mark.slow
def test_a_cell_half_way_between_two_glyphs_stays_unsettled():
    judge = discriminant(frozenset("O0"), CAP, PITCH, MARGIN)
    blend = (printed("O", 0, 1.0) + printed("0", 0, 1.0)) / 2
    assert judge.decide(blend) is None


@pytest.mark.slow
def test_every_pair_settles_its_own_glyphs_and_not_a_blend():
    for pair in PAIRS:
        judge = discriminant(pair, CAP, PITCH, MARGIN)
        for char in pair:
            assert judge.decide(printed(char, 2, 0.9)) == char, (sorted(pair), char)
        a, b = sorted(pair)
        assert judge.decide((printed(a, 2, 0.9) + printed(b, 2, 0.9)) / 2) is None, sorted(pair)


def test_the_document_code_narrows_a_passports_classes():
    merged = character_classes(2, 44)[1]
    passport = character_classes(2, 44, "P")[1]
    assert merged[42] == "X" and passport[42] == "9"  # TD3's personal number check digit
    assert character_classes(2, 44, "Q") == character_classes(2, 44)  # no such code: both
