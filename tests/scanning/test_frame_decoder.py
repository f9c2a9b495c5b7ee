"""The camera's frame decoder: cheap passes first, slower ones in turn, no code lost."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kiosk.model import BadgeCard, Counter, Flow, MediaKind
from printing.badge_pdf import badge_pdf_bytes
from scanning import specimens as sp
from scanning.decoders import CODE128, COUNTER_FORMATS, PDF417, QR, default_decoder
from scanning.frame_decoder import REGION_FRAMES, SLOW_EVERY, FrameDecoder
from scanning.mrz import compose_td1

HELD = 30  # frames: a code held up for a second

CARD = BadgeCard(
    serial="G1-000042",
    flow=Flow.EVENT,
    surname="Lefèvre",
    given_names="Camille",
    organisation="Le Quotidien",
    media_kind=MediaKind.TV,
    valid_from=date(2026, 2, 13),
    valid_until=date(2026, 2, 15),
    counter=Counter.GROUPS,
)


@pytest.fixture(scope="module")
def codes(demo_master, manifest) -> dict[str, tuple[np.ndarray, str]]:
    """A demo letter's QR, a badge's Code128 and an ID card's PDF417, with their texts."""
    first = manifest["applicants"][0]
    mrz = compose_td1(
        "ID", "BEL", "Janssens", "Pieter", "592847163", "BEL", date(1979, 9, 3), "M",
        date(2031, 5, 1),
    ).replace("\n", "")  # fmt: skip
    return {
        QR: (sp.letter_item(demo_master / first["letter"]), first["code"]),
        CODE128: (sp.badge_item(badge_pdf_bytes(CARD)), CARD.serial),
        PDF417: (sp.barcode_image(mrz, PDF417), mrz),
    }


def frame_at(image: np.ndarray, x: float, y: float, scale: float = 1.0) -> np.ndarray:
    return sp.place(sp.desk(sp.FRAME_1080P, 2), image, sp.Placement(x, y, scale))


def first_read(decoder: FrameDecoder, frame: np.ndarray, text: str) -> int | None:
    """The frame (1 = the first) at which the decoder read `text`, the frame held in view."""
    for n in range(1, HELD + 1):
        if text in {s.text for s in decoder.decode(frame)}:
            return n
    return None


@pytest.mark.slow
def test_a_code_is_read_on_the_first_frame_and_outlined_in_frame_pixels(codes):
    image, text = codes[QR]
    (symbol,) = FrameDecoder().decode(frame_at(image, 0.3, 0.6))
    assert (symbol.format, symbol.text) == (QR, text)
    x, y = symbol.centre
    assert abs(x - 0.3 * 1920) < 15 and abs(y - 0.6 * 1080) < 15


def test_a_code_moving_within_its_region_is_still_outlined_where_it_is(codes):
    image, text = codes[QR]
    decoder = FrameDecoder()
    decoder.decode(frame_at(image, 0.5, 0.5))
    (symbol,) = decoder.decode(frame_at(image, 0.52, 0.49))
    assert symbol.text == text
    x, y = symbol.centre
    assert abs(x - 0.52 * 1920) < 15 and abs(y - 0.49 * 1080) < 15


@pytest.mark.slow
def test_the_expected_format_first_and_the_others_a_few_frames_later(codes):
    image, text = codes[CODE128]
    frame = frame_at(image, 0.5, 0.5)
    assert first_read(FrameDecoder([CODE128]), frame, text) == 1
    later = first_read(FrameDecoder([QR]), frame, text)
    assert later is not None and 1 < later <= 2 * SLOW_EVERY


def test_nothing_expected_means_every_counter_format():
    assert FrameDecoder([]).expected == COUNTER_FORMATS
    assert FrameDecoder(["EAN13"]).expected == COUNTER_FORMATS


@pytest.mark.slow
def test_a_frame_without_codes_gives_nothing():
    decoder = FrameDecoder()
    empty = sp.noise(sp.desk(sp.FRAME_1080P, 4), 4)
    assert [decoder.decode(empty) for _ in range(3 * SLOW_EVERY)] == [[]] * (3 * SLOW_EVERY)


@pytest.mark.slow
def test_the_last_region_is_forgotten_when_the_code_is_gone(codes):
    image, text = codes[QR]
    decoder = FrameDecoder()
    decoder.decode(frame_at(image, 0.5, 0.5))
    empty = sp.desk(sp.FRAME_1080P, 2)
    for _ in range(REGION_FRAMES + 1):
        decoder.decode(empty)
    (symbol,) = decoder.decode(frame_at(image, 0.2, 0.3))  # somewhere else entirely
    assert symbol.text == text


@pytest.mark.slow
@pytest.mark.parametrize("condition", list(sp.CONDITIONS))
def test_every_code_the_default_reads_is_read_within_a_second(codes, condition):
    fmts = [QR, PDF417, CODE128]
    if condition == "several codes":
        cases = [([codes[f][0] for f in fmts], {codes[f][1] for f in fmts})]
    else:
        cases = [([codes[f][0]], {codes[f][1]}) for f in fmts]
    for images, texts in cases:
        frame = sp.CONDITIONS[condition](images, sp.FRAME_1080P, 7)
        wanted = {s.text for s in default_decoder().decode(frame)} & texts
        decoder, read = FrameDecoder(), set()
        for _ in range(HELD):
            found = {s.text for s in decoder.decode(frame)}
            assert found <= texts  # never a wrong text
            read |= found
        assert read >= wanted
