"""The published photo requirements, read from the JPEG's header without decoding it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.photo_rules import jpeg_size, photo_problems
from printing.sample_photo import portrait


def jpeg(width: int, height: int, quality: int = 80, progressive: bool = False) -> bytes:
    """A JPEG of this size: noise at quality 100 (large), else a smooth gradient."""
    out = io.BytesIO()
    if quality == 100:
        picture = Image.effect_noise((width, height), 60)
    else:
        picture = Image.linear_gradient("L").resize((width, height))
    picture.convert("RGB").save(out, "JPEG", quality=quality, progressive=progressive)
    return out.getvalue()


def test_the_size_is_read_from_baseline_and_progressive_jpegs():
    assert jpeg_size(jpeg(350, 450)) == (350, 450)
    assert jpeg_size(jpeg(351, 449, progressive=True)) == (351, 449)


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a", b"\xff\xd8\xff", b"\xff\xd8\xff\xda\x00\x02", b"\xff\xd8\xff\xe0\x00"]
)
def test_no_frame_header_means_no_size(data):
    assert jpeg_size(data) is None
    assert [p.message_en for p in photo_problems(data)] == ["The photo is not a JPEG image."]


def test_a_photo_as_published_has_no_problem():
    assert photo_problems(portrait(3)) == []
    assert photo_problems(jpeg(354, 450)) == []  # within 3 % of 7:9


@pytest.mark.parametrize(
    ("size", "quality", "words"),
    [
        ((450, 450), 80, ["not in the 3.5 x 4.5 cm proportions"]),
        ((140, 180), 80, ["too small to compare a face"]),
        ((700, 900), 100, ["identity photos must be under 100 KB"]),
        ((100, 200), 80, ["proportions", "too small"]),
    ],
)
def test_each_failed_requirement_is_named_in_english_and_french(size, quality, words):
    problems = photo_problems(jpeg(*size, quality=quality))
    assert len(problems) == len(words)
    for problem, word in zip(problems, words, strict=True):
        assert word in problem.message_en
        assert "photo" in problem.message_fr
