"""Barcode decoding on frames made from the demo's letters and badges, degraded as a counter
camera degrades them."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from kiosk.model import BadgeCard, Counter, Flow, MediaKind
from printing.badge_pdf import badge_pdf_bytes
from scanning import specimens as sp
from scanning.decoders import (
    CODE128,
    PDF417,
    QR,
    FallbackDecoder,
    OpenCvQrDecoder,
    RotatedDecoder,
    ScaledDecoder,
    Symbol,
    ZbarDecoder,
    ZxingDecoder,
    default_decoder,
)
from scanning.mrz import compose_td1

CARD = BadgeCard(
    serial="G1-000042",
    flow=Flow.EVENT,
    surname="Lefèvre",
    given_names="Camille",
    organisation="Le Quotidien",
    media_kind=MediaKind.TV,
    valid_from=date(2026, 2, 13),
    valid_until=date(2026, 2, 15),
    event_name="Meeting of NATO Ministers of Defence",
    counter=Counter.GROUPS,
)
ID_CARD_MRZ = compose_td1(
    "ID", "BEL", "Janssens", "Pieter", "592847163", "BEL", date(1979, 9, 3), "M", date(2031, 5, 1)
)


@pytest.fixture(scope="module")
def codes(demo_master, manifest) -> dict[str, tuple[np.ndarray, str]]:
    """The demo's first letter (QR), a badge (Code128) and an ID card's PDF417, as a 720p
    camera sees them, with the text each must decode to."""
    first = manifest["applicants"][0]
    pdf417 = ID_CARD_MRZ.replace("\n", "")
    return {
        QR: (sp.letter_item(demo_master / first["letter"]), first["code"]),
        CODE128: (sp.badge_item(badge_pdf_bytes(CARD)), CARD.serial),
        PDF417: (sp.barcode_image(pdf417, PDF417), pdf417),
    }


# What the default decoder reads at 1280x720, as bench/decoders.py measured it (the table in
# docs/benchmarks-scanning.md); the cases it misses are listed there, and no case may give a
# wrong text.
READ_AT_720P = [
    (QR, "sharp"),
    (QR, "blurred"),
    (QR, "rotated"),
    (QR, "perspective"),
    (QR, "low contrast"),
    (QR, "phone glare"),
    (CODE128, "sharp"),
    (CODE128, "far (small)"),
    (CODE128, "rotated"),
    (CODE128, "perspective"),
    (CODE128, "low contrast"),
    (PDF417, "sharp"),
    (PDF417, "rotated"),
    (PDF417, "low contrast"),
]


@pytest.mark.parametrize(("fmt", "condition"), READ_AT_720P)
@pytest.mark.slow
def test_default_decoder_reads_the_code_right(codes, fmt, condition):
    image, text = codes[fmt]
    frame = sp.CONDITIONS[condition]([image], sp.FRAME_720P, 3)
    found = default_decoder().decode(frame)
    assert [(s.format, s.text) for s in found] == [(fmt, text)]


@pytest.mark.parametrize("condition", [c for c in sp.CONDITIONS if c != "several codes"])
@pytest.mark.slow
def test_no_condition_gives_a_wrong_text(codes, condition):
    decoder = default_decoder()
    for image, text in codes.values():
        found = decoder.decode(sp.CONDITIONS[condition]([image], sp.FRAME_720P, 5))
        assert {s.text for s in found} <= {text}


def test_several_codes_in_one_frame_are_all_read(codes):
    images = [codes[f][0] for f in (QR, PDF417, CODE128)]
    frame = sp.CONDITIONS["several codes"](images, sp.FRAME_720P, 7)
    found = default_decoder().decode(frame)
    assert {(s.format, s.text) for s in found} == {(f, codes[f][1]) for f in codes}


def test_outline_is_where_the_code_is(codes):
    image, _ = codes[QR]
    frame = sp.place(sp.desk(), image, sp.Placement(0.3, 0.6))
    (symbol,) = default_decoder().decode(frame)
    x, y = symbol.centre
    assert abs(x - 0.3 * 1280) < 10 and abs(y - 0.6 * 720) < 10
    assert len(symbol.corners) == 4


@pytest.mark.parametrize("wrapper", [RotatedDecoder, ScaledDecoder])
def test_turned_and_enlarged_searches_outline_the_code_in_the_original_frame(codes, wrapper):
    image, text = codes[PDF417]
    frame = sp.place(sp.desk(), image, sp.Placement(0.45, 0.55, angle=30))
    found = wrapper(ZxingDecoder()).decode(frame)
    if wrapper is ScaledDecoder:  # enlarging does not straighten a turned code
        frame = sp.place(sp.desk(), image, sp.Placement(0.45, 0.55, 0.8))
        found = wrapper(ZxingDecoder()).decode(frame)
    (symbol,) = found
    assert symbol.text == text
    x, y = symbol.centre
    assert abs(x - 0.45 * 1280) < 15 and abs(y - 0.55 * 720) < 15


def test_zbar_reads_qr_and_code128_but_not_pdf417(codes):
    zbar = ZbarDecoder()
    assert zbar.formats == {QR, CODE128}
    for fmt in (QR, CODE128):
        image, text = codes[fmt]
        assert [s.text for s in zbar.decode(sp.CONDITIONS["sharp"]([image], sp.FRAME_720P, 1))] == [
            text
        ]


@pytest.mark.parametrize("aruco", [False, True])
def test_opencv_reads_a_clean_qr_image(aruco):
    # A fixed code of the confirmation code's shape: the demo's codes come from a new key
    # at each build, and OpenCV's detector misses some clean QR codes (docs/benchmarks-scanning.md).
    rng = random.Random(7)
    text = "".join(rng.choice("BCDFGHJKLNPRSTVX") for _ in range(140))
    image = sp.barcode_image(text, QR, module_px=5)
    assert [(s.format, s.text) for s in OpenCvQrDecoder(aruco).decode(image)] == [(QR, text)]


def test_a_frame_without_codes_gives_nothing():
    assert default_decoder().decode(sp.noise(sp.desk(seed=4), 4)) == []


class _Counting:
    name = "counting"

    def __init__(self, result: list[Symbol]):
        self.calls, self.result = 0, result

    def decode(self, image):
        self.calls += 1
        return self.result


def test_fallback_runs_only_when_the_first_finds_nothing():
    hit = Symbol(QR, "X", ((0, 0), (1, 0), (1, 1), (0, 1)), "test")
    first, second = _Counting([]), _Counting([hit])
    chain = FallbackDecoder([first, second])
    assert chain.decode(np.zeros((8, 8), np.uint8)) == [hit]
    first.result = [hit]
    chain.decode(np.zeros((8, 8), np.uint8))
    assert (first.calls, second.calls) == (2, 1)


def test_on_a_camera_fallbacks_run_on_one_empty_frame_in_n():
    first, second = _Counting([]), _Counting([])
    chain = FallbackDecoder([first, second], fallback_every=5)
    for _ in range(20):
        chain.decode(np.zeros((8, 8), np.uint8))
    assert (first.calls, second.calls) == (20, 4)


def test_colour_frames_decode_like_grey_ones(codes):
    image, text = codes[QR]
    grey = sp.CONDITIONS["sharp"]([image], sp.FRAME_720P, 1)
    colour = np.dstack([grey, grey, grey])
    assert [s.text for s in default_decoder().decode(colour)] == [text]
