"""Badge PDFs: CR80 size, text inside the safe margin, no overlaps, codes that scan."""

from __future__ import annotations

import io
import itertools
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from pyzbar.pyzbar import decode
from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from kiosk.model import BadgeCard, Counter, Flow, MediaKind
from printing import fonts
from printing.badge_pdf import (
    BAR_QUIET,
    DOT,
    badge_pdf_bytes,
    capitals,
    code128_bars,
    contrasting_ink,
    layout_badge,
    render_badge,
)
from printing.badge_template import BUILTIN_DIR, default_template, load_template

TOL = 0.01  # points
CARD_W = 85.60 * mm
CARD_H = 53.98 * mm
SAFE = 2 * mm  # the shipped templates' safe margin
ANNUAL_BLUE = HexColor("#1565c0")


def jpeg_photo(width: int = 350, height: int = 450) -> bytes:
    """A small passport-style JPEG: a face on a pale background."""
    image = Image.new("RGB", (width, height), (185, 205, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.27, height * 0.15, width * 0.73, height * 0.6), fill=(225, 185, 155))
    draw.rectangle((width * 0.15, height * 0.68, width * 0.85, height), fill=(40, 60, 110))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


PHOTO = jpeg_photo()

PEOPLE = {
    "long": dict(
        surname="Żółć-Brzęczyszczykiewicz de la Santísima Trinidad y Ruiz Picasso",
        given_names="Łukasz Jean-Baptiste Maximilien Alexandre Christophe Emmanuel",
        organisation="Rzeczpospolita — Redakcja Zagraniczna i Dział Bezpieczeństwa "
        "Międzynarodowego",
        photo_jpeg=PHOTO,
    ),
    "polish": dict(
        surname="Żółć-Brzęczyszczykiewicz",
        given_names="Łukasz",
        organisation="Gazeta Wyborcza",
        photo_jpeg=PHOTO,
    ),
    "greek": dict(
        surname="Παπαδόπουλος",
        given_names="Γεώργιος",
        organisation="ΕΡΤ",
        photo_jpeg=PHOTO,
    ),
    "cyrillic": dict(
        surname="Иванова",
        given_names="Анна Сергеевна",
        organisation="",
        photo_jpeg=None,
    ),
    "plain": dict(
        surname="Martin",
        given_names="Claire",
        organisation="",
        photo_jpeg=None,
    ),
}

KINDS = {
    "annual": dict(
        flow=Flow.ANNUAL,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        colour="#c62828",  # ignored: annual badges are always blue
        counter=Counter.VISITORS,
        badge_code="K1.B2026-000123.MFRGGZDFMZTWQ2LKNNWG23TPOBYXE4TTOR2XMZDBMJRWGZBTGQ",
    ),
    "event": dict(
        flow=Flow.EVENT,
        valid_from=date(2026, 2, 13),
        valid_until=date(2026, 2, 15),
        event_name="Meeting of NATO Defence Ministers",
        colour="#c62828",
        counter=Counter.GROUPS,
    ),
    "pool": dict(
        flow=Flow.EVENT,
        valid_from=date(2026, 2, 13),
        valid_until=date(2026, 2, 15),
        event_name="Meeting of NATO Defence Ministers",
        colour="#f9a825",
        counter=Counter.GROUPS,
        pool=True,
        badge_code="K1.E2026-004568.ZXVTSRQPNMLKJHGFDCB",
    ),
}

CASES = list(itertools.product(KINDS, PEOPLE))


def make_card(kind: str, person: str, serial: str = "E2026-004567") -> BadgeCard:
    return BadgeCard(
        serial=serial, media_kind=MediaKind.PHOTOGRAPHER, **KINDS[kind], **PEOPLE[person]
    )


def pdf_page(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def text_runs(page) -> list[tuple[str, float, float, str, float]]:
    """(text, x, baseline, font name, size) of every text run on the page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            runs.append((text.strip(), tm[4] + cm[4], tm[5] + cm[5], name, size * tm[0]))

    page.extract_text(visitor_text=visit)
    return runs


def png_at_300dpi(pdf: bytes, tmp_path: Path) -> Image.Image:
    src = tmp_path / "badge.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", src, tmp_path / "badge"], check=True
    )
    return Image.open(tmp_path / "badge.png")


@pytest.mark.parametrize(("kind", "person"), CASES)
def test_page_is_a_cr80_card(kind, person):
    box = pdf_page(badge_pdf_bytes(make_card(kind, person))).mediabox
    assert float(box.width) == pytest.approx(85.60 * mm, abs=0.5)
    assert float(box.height) == pytest.approx(53.98 * mm, abs=0.5)


@pytest.mark.parametrize(("kind", "person"), CASES)
def test_all_text_lies_inside_the_safe_margin(kind, person):
    runs = text_runs(pdf_page(badge_pdf_bytes(make_card(kind, person))))
    assert runs
    for text, x, baseline, font, size in runs:
        assert x >= SAFE - TOL, text
        assert x + stringWidth(text, font, size) <= CARD_W - SAFE + TOL, text
        assert baseline - 0.25 * size >= SAFE - TOL, text
        assert baseline + 0.95 * size <= CARD_H - SAFE + TOL, text


@pytest.mark.parametrize(("kind", "person"), CASES)
def test_names_and_validity_are_printed(kind, person):
    card = make_card(kind, person)
    text = "".join(pdf_page(badge_pdf_bytes(card)).extract_text().split())
    assert "".join(capitals(card.surname).split()) in text
    assert "".join(card.given_names.split()) in text
    assert f"{card.valid_from:%d.%m.%Y}–{card.valid_until:%d.%m.%Y}" in text
    assert card.serial in text
    assert ("POOL" in text) == card.pool
    assert ("NOPHOTO" in text) == (card.photo_jpeg is None)
    assert ("PASDEPHOTO" in text) == (card.photo_jpeg is None)


@pytest.mark.parametrize(("kind", "person"), CASES)
def test_nothing_overlaps_and_everything_is_inside_the_safe_area(kind, person):
    layout = layout_badge(make_card(kind, person))
    safe = layout.safe
    assert safe.contains(layout.safe) and safe.w == pytest.approx(CARD_W - 2 * SAFE)
    blocks = [layout.band, layout.photo, layout.barcode] + ([layout.qr] if layout.qr else [])
    for block in blocks:
        assert safe.contains(block)
    for a, b in itertools.combinations(blocks, 2):
        assert not a.overlaps(b)
    for a, b in itertools.combinations([line.box for line in layout.lines], 2):
        assert not a.overlaps(b)
    for line in layout.lines:
        assert safe.contains(line.box), line.text
        assert not any(line.box.overlaps(block) for block in blocks), line.text
    for line in layout.band_lines:
        assert layout.band.contains(line.box), line.text
        assert not (layout.pool and line.box.overlaps(layout.pool)), line.text
    for line in layout.photo_lines:
        assert layout.photo.contains(line.box), line.text
    assert (layout.pool is not None) == (kind == "pool")
    if layout.pool and layout.pool_line:
        assert layout.band.contains(layout.pool)
        assert layout.pool.contains(layout.pool_line.box)


@pytest.mark.parametrize(("kind", "person"), CASES)
@pytest.mark.slow
def test_barcode_and_qr_code_scan(kind, person, tmp_path):
    card = make_card(kind, person)
    found = {
        (s.type, s.data.decode()) for s in decode(png_at_300dpi(badge_pdf_bytes(card), tmp_path))
    }
    expected = {("CODE128", card.serial)}
    if card.badge_code:
        expected.add(("QRCODE", card.badge_code))
    assert found == expected


def _field(kind: str, name: str):
    return next(t for t in default_template(kind).texts if t.field == name)


def test_long_names_shrink_then_wrap_short_names_stay_large():
    surname = _field("event", "surname")
    short = layout_badge(make_card("event", "plain")).lines
    assert (short[0].text, short[0].size) == ("MARTIN", surname.size)
    medium = layout_badge(make_card("event", "polish")).lines
    assert medium[0].text == "ŻÓŁĆ-BRZĘCZYSZCZYKIEWICZ"
    assert surname.min_size < medium[0].size < surname.size
    first, second = layout_badge(make_card("event", "long")).lines[:2]
    assert first.size == second.size >= surname.min_size
    assert f"{first.text} {second.text}" == capitals(PEOPLE["long"]["surname"])


def test_a_single_overlong_word_is_cut_with_an_ellipsis_not_overflowing():
    card = replace(make_card("event", "plain"), surname="X" * 200, organisation="Y" * 300)
    layout = layout_badge(card)
    assert any(line.text.endswith("…") for line in layout.lines)
    assert all(layout.safe.contains(line.box) for line in layout.lines)


def test_band_colour_and_ink():
    assert layout_badge(make_card("annual", "plain")).band_colour == ANNUAL_BLUE
    event = layout_badge(make_card("event", "plain"))
    assert event.band_colour == HexColor("#c62828")
    assert event.band_ink == white
    assert contrasting_ink(ANNUAL_BLUE) == white
    assert contrasting_ink(HexColor("#f9a825")) == black
    assert contrasting_ink(HexColor("#ffffff")) == black
    assert contrasting_ink(HexColor("#000000")) == white


def test_band_says_what_the_badge_is():
    annual = pdf_page(badge_pdf_bytes(make_card("annual", "plain"))).extract_text()
    assert "ANNUAL MEDIA / MÉDIAS ANNUEL" in annual
    event = pdf_page(badge_pdf_bytes(make_card("event", "plain"))).extract_text()
    assert "MEDIA / MÉDIAS" in event
    assert "ANNUAL" not in event
    assert "Meeting of NATO Defence Ministers" in event


def test_code128_has_quiet_zones_and_bars_on_printer_dots():
    box, bars = code128_bars("E2026-004567", CARD_W / 2, SAFE, CARD_W - 2 * SAFE)
    module = min(bar.w for bar in bars)
    assert module >= 2 * DOT - TOL
    assert bars[0].x - box.x >= BAR_QUIET * module - TOL
    assert box.right - bars[-1].right >= BAR_QUIET * module - TOL
    for bar in bars:
        assert (bar.x / DOT) == pytest.approx(round(bar.x / DOT), abs=1e-6)
        assert (bar.w / DOT) == pytest.approx(round(bar.w / DOT), abs=1e-6)


def test_codes_too_long_to_scan_are_refused():
    with pytest.raises(ValueError, match="serial"):
        layout_badge(make_card("event", "plain", serial="E" + "x9" * 60))
    with pytest.raises(ValueError, match="badge code"):
        layout_badge(replace(make_card("event", "plain"), badge_code="k" * 1800))


def test_photo_of_another_aspect_is_cropped_into_the_box(tmp_path):
    card = replace(make_card("event", "plain"), photo_jpeg=jpeg_photo(640, 480))
    found = decode(png_at_300dpi(badge_pdf_bytes(card), tmp_path))
    assert [s.data.decode() for s in found] == [card.serial]


def test_render_badge_writes_the_file(tmp_path):
    out = render_badge(make_card("pool", "greek"), tmp_path / "badge.pdf")
    assert out == tmp_path / "badge.pdf"
    assert out.read_bytes().startswith(b"%PDF")


def test_greek_capitals_drop_the_tonos_other_accents_stay():
    assert capitals("Παπαδόπουλος") == "ΠΑΠΑΔΟΠΟΥΛΟΣ"
    assert capitals("Żółć") == "ŻÓŁĆ"
    assert capitals("Иванова") == "ИВАНОВА"
    assert capitals("Đorđević") == "ĐORĐEVIĆ"


def test_fonts_register_once_and_missing_files_name_the_package():
    fonts.register_fonts()
    fonts.register_fonts()
    with pytest.raises(fonts.FontMissingError, match=fonts.DEBIAN_PACKAGE):
        fonts.font_path("NoSuchFont.ttf")


@pytest.mark.parametrize("kind", ["event", "annual", "pool"])
def test_the_badge_qr_reads_from_a_blurred_picture_at_arms_length(kind, tmp_path):
    """The QR's size was chosen by bench/badge_qr.py: a real signed code gets modules of
    5 printer dots (0.42 mm) and reads from a 150 dpi picture blurred by 0.1 mm, as a
    guard's camera sees the card; the 10.5 mm QR it replaced read from none."""
    import cv2
    import numpy as np

    from kiosk.codes import BadgeClaim, Signer, badge_code
    from scanning.decoders import default_decoder

    claim = BadgeClaim(4321, "G1", 42, date(2026, 2, 13), date(2026, 2, 15), Flow.EVENT,
                       Counter.GROUPS, "DEFMIN")  # fmt: skip
    code = badge_code(Signer.generate(1), claim)
    card = replace(make_card(kind, "plain"), badge_code=code)
    assert layout_badge(card).qr.w >= 22 * mm
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(badge_pdf_bytes(card))
    subprocess.run(
        ["pdftoppm", "-gray", "-png", "-r", "150", "-singlefile", "-f", "1", "-l", "1", pdf,
         tmp_path / "page"],
        check=True,
    )  # fmt: skip
    page = cv2.imread(str(tmp_path / "page.png"), cv2.IMREAD_GRAYSCALE).astype(np.float32)
    blurred = cv2.GaussianBlur(page, (0, 0), 0.1 * 150 / 25.4)
    picture = np.clip(blurred + np.random.default_rng(1).normal(0, 6, page.shape), 0, 255)
    assert code in {s.text for s in default_decoder().decode(picture.astype(np.uint8))}


def pdftotext(pdf: bytes) -> str:
    """The badge's text as poppler reads it, spaces run together."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def test_the_event_line_gives_both_names_when_they_fit_and_the_english_whole_otherwise():
    short = replace(
        make_card("event", "plain"), event_name="NATO Summit", event_name_fr="Sommet de l'OTAN"
    )
    assert "NATO Summit / Sommet de l'OTAN" in pdftotext(badge_pdf_bytes(short))
    long = replace(
        short,
        event_name="Meeting of NATO Ministers of Defence",
        event_name_fr="Réunion des ministres de la Défense des pays de l'OTAN",
    )
    text = pdftotext(badge_pdf_bytes(long))
    assert "Meeting of NATO Ministers of Defence" in text  # whole, never cut by the French
    assert "Réunion" not in text and "…" not in text
    plain = replace(short, event_name_fr=None)  # no French given: the English alone
    assert "NATO Summit" in pdftotext(badge_pdf_bytes(plain))
    assert "NATO Summit /" not in pdftotext(badge_pdf_bytes(plain))


def test_a_template_may_print_the_french_event_name_on_a_line_of_its_own(tmp_path):
    source = (BUILTIN_DIR / "event.toml").read_text()
    own = source + (
        '\n[[text]]\nfield = "event_name_fr"\nbox = { x = 26.68, y = 29.5, w = 33.0, h = 3.2 }\n'
        "size = 6\nmin_size = 4\n"
    )
    (tmp_path / "event.toml").write_text(own)
    template = load_template(tmp_path / "event.toml")
    card = replace(
        make_card("event", "plain"), event_name="Summit", event_name_fr="Sommet de l'OTAN"
    )
    assert "Sommet de l'OTAN" in pdftotext(badge_pdf_bytes(card, template))
    english_only = replace(card, event_name_fr=None)  # none given: the English, not a blank
    runs = [r[0] for r in text_runs(pdf_page(badge_pdf_bytes(english_only, template)))]
    assert runs.count("Summit") == 2
