"""MRZ read from pictures of rendered specimen documents: OpenCV finds it, Tesseract reads
it, and only a reading every check digit accepts comes back."""

from __future__ import annotations

import cv2
import pytest

from scanning import specimens as sp
from scanning.mrz import parse
from scanning.mrz_image import MrzImageError, locate, read_mrz_image

pytestmark = [
    pytest.mark.slow,  # Tesseract reads every picture
    pytest.mark.skipif(
        not __import__("shutil").which("tesseract"), reason="needs Debian tesseract-ocr"
    ),
]

# ICAO Doc 9303 specimens: Part 4 (TD3) and Part 6 (TD2).
ICAO_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
ICAO_TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


def photo(mrz: str, **where) -> cv2.Mat:
    """The document with this MRZ held up to a 720p camera."""
    doc = sp.id_document(mrz)
    return sp.place(sp.desk(seed=1), doc, sp.Placement(0.5, 0.5, sp.fitting(doc, 0.75), **where))


def demo_mrz(manifest, lines: int) -> str:
    return next(a["mrz"] for a in manifest["applicants"] if len(a["mrz"].splitlines()) == lines)


@pytest.mark.parametrize(
    ("which", "where"),
    [
        ("icao td3", {}),
        ("icao td2", {"angle": 10}),
        ("demo passport", {"angle": -10}),
        ("demo passport", {"angle": 4, "tilt": 0.15}),
        ("demo id card", {}),
    ],
)
def test_reads_the_mrz_of_a_photographed_document(manifest, which, where):
    mrz = {
        "icao td3": ICAO_TD3,
        "icao td2": ICAO_TD2,
        "demo passport": demo_mrz(manifest, 2),
        "demo id card": demo_mrz(manifest, 3),
    }[which]
    read = read_mrz_image(photo(mrz, **where))
    assert read.result.to_id_reading() == parse(mrz).to_id_reading()
    assert parse(read.text).to_id_reading() == read.result.to_id_reading()


def test_the_band_is_found_where_the_mrz_is(manifest):
    frame = photo(demo_mrz(manifest, 2), angle=12)
    band = locate(frame)[0]
    assert abs(band.angle - (-12)) < 2 or abs(band.angle - 12) < 2
    assert band.size[0] > 5 * band.size[1]
    xs = [x for x, _ in band.corners]
    assert min(xs) > 0 and max(xs) < 1280


def test_a_picture_without_an_mrz_says_so():
    with pytest.raises(MrzImageError, match="no machine-readable zone found"):
        read_mrz_image(sp.noise(sp.desk(seed=2), 4))


def test_a_document_whose_check_digits_fail_is_never_accepted(manifest):
    lines = demo_mrz(manifest, 2).splitlines()
    forged = lines[1][:13] + ("1" if lines[1][13] != "1" else "2") + lines[1][14:]  # birth date
    with pytest.raises(MrzImageError, match="not read"):
        read_mrz_image(photo(f"{lines[0]}\n{forged}"))


def test_a_badly_blurred_document_is_refused_not_misread(manifest):
    mrz = demo_mrz(manifest, 2)
    try:
        read = read_mrz_image(sp.blur(photo(mrz), 2.5))
    except MrzImageError:
        return
    assert read.result.to_id_reading() == parse(mrz).to_id_reading()
