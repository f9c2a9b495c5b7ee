"""Badge templates: the shipped ones, clear errors naming the setting, layouts that follow."""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from test_badge_pdf import make_card

from printing.badge_pdf import badge_pdf_bytes, layout_badge
from printing.badge_template import (
    BUILTIN_DIR,
    KINDS,
    TemplateBook,
    TemplateError,
    default_template,
    kind_of,
    load_template,
)
from printing.preview import preview_png, sample_card

EVENT_TOML = (BUILTIN_DIR / "event.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "custom.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(tmp_path: Path, old: str, new: str, name: str = "custom.toml") -> Path:
    assert old in EVENT_TOML, old
    return write(tmp_path, EVENT_TOML.replace(old, new, 1), name)


def png(pdf: bytes, tmp_path: Path, dpi: int = 300) -> Image.Image:
    src = tmp_path / "t.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", src, tmp_path / "t"], check=True
    )
    return Image.open(tmp_path / "t.png")


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_templates_load_and_lay_out_their_kind(kind):
    template = default_template(kind)
    assert template.kind == kind and template.orientation == "landscape"
    card = sample_card(kind)
    assert kind_of(card) == kind
    layout = layout_badge(card, template)
    assert layout.width == pytest.approx(85.60 * mm) and layout.height == pytest.approx(53.98 * mm)
    assert (layout.pool is not None) == (kind == "pool")


def test_annual_band_is_fixed_blue_event_band_takes_the_event_colour():
    card = make_card("event", "plain")
    assert layout_badge(card, default_template("event")).band_colour == HexColor("#c62828")
    assert layout_badge(card, default_template("annual")).band_colour == HexColor("#1565c0")
    other = replace(card, colour="#2e7d32")
    assert layout_badge(other, default_template("event")).band_colour == HexColor("#2e7d32")


BAD = [
    ('name = "Event badge"\n', "", "custom.toml: name: is missing"),
    (
        'kind = "event" ',
        'kind = "ministerial" ',
        'kind: must be one of annual, event, pool, not "ministerial"',
    ),
    (
        'orientation = "landscape"',
        'orientation = "sideways"',
        "orientation: must be one of landscape, portrait",
    ),
    ("safe_margin = 2.0", "safe_margin = -1", "safe_margin: must be a number above 0, not -1"),
    ('field = "surname"\n', 'field = "surnme"\n', "text[2].field: must be one of text, surname"),
    ("size = 16\n", 'size = 16\ncolur = "#000000"\n', "text[2] (surname).colur: unknown setting"),
    (
        "box = { x = 26.68, y = 12.5, w = 56.92, h = 6.78 }",
        'box = { x = 26.68, y = 12.5, w = "wide", h = 6.78 }',
        'text[2] (surname).box.w: must be a number above 0, not "wide"',
    ),
    (
        "box = { x = 26.68, y = 12.5, w = 56.92, h = 6.78 }",
        "box = { x = 26.68, y = 12.5, w = 56.92 }",
        "text[2] (surname).box.h: is missing",
    ),
    (
        "size = 16\nmin_size = 6.5",
        "size = 16\nmin_size = 18",
        "text[2] (surname).min_size: must not be larger than size (16)",
    ),
    (
        'colour = "#555555"',
        'colour = "grey"',
        'text[4] (organisation).colour: must be a colour "#rrggbb" or "band-ink", not "grey"',
    ),
    (
        'colour = "event" ',
        'colour = "#12345" ',
        'band.colour: must be a colour "#rrggbb" or "event"',
    ),
    (
        "box = { x = 26.68, y = 12.5, w = 56.92, h = 6.78 }",
        "box = { x = 26.68, y = 12.5, w = 60, h = 6.78 }",
        "text[2] (surname): box (x 26.68, y 12.5, w 60, h 6.78) leaves the printable area: "
        "x 2–83.6 mm",
    ),
    (
        "box = { x = 26.68, y = 12.5, w = 56.92, h = 6.78 }",
        "box = { x = 20, y = 12.5, w = 56.92, h = 6.78 }",
        "text[2] (surname): box overlaps photo: move or shrink one of them",
    ),
    ('text = "VALID / VALABLE"\n', "", "text[6] (text).text: is missing"),
    (
        'field = "serial"\n',
        'field = "serial"\ntext = "S"\n',
        'text[8] (serial).text: is only for field = "text"',
    ),
    (
        "[barcode]                 # Code128 of the serial, quiet zones included\n"
        "box = { x = 2.0, y = 43.16, w = 58.0, h = 6.0 }\n",
        "",
        "barcode: is missing: every badge carries its serial",
    ),
    (
        "box = { x = 2.0, y = 43.16, w = 58.0, h = 6.0 }\n",
        "",
        "barcode.box: is missing (a table: { x = …, y = …, w = …, h = … } in mm)",
    ),
    ("[photo]\n", '[photo]\nfile = "x.png"\n', "photo.file: unknown setting (known: box)"),
    ('kind = "event" ', 'kind = "pool" ', "pool: a pool card needs a [pool] marker"),
    (
        '[[text]]\nfield = "surname"',
        '[[logo]]\nfile = "crest.png"\nbox = { x = 3, y = 3, w = 5, h = 5 }\n\n'
        '[[text]]\nfield = "surname"',
        'logo[0].file: "crest.png" not found next to the template',
    ),
    ("[band]\n", "[band]\nbox = 3\n", "not valid TOML"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[b[2][:40] for b in BAD])
def test_mistakes_are_reported_with_the_file_and_the_setting(tmp_path, old, new, message):
    with pytest.raises(TemplateError) as err:
        load_template(edited(tmp_path, old, new))
    assert message in str(err.value)
    assert str(err.value).startswith("custom.toml: ")


def test_a_template_that_moves_fields_moves_them_on_the_badge(tmp_path):
    surname_box = "box = { x = 26.68, y = 12.5, w = 56.92, h = 6.78 }"
    given_box = "box = { x = 26.68, y = 19.56, w = 56.92, h = 5.09 }"
    swapped = EVENT_TOML.replace(surname_box, "@S").replace(given_box, surname_box)
    swapped = swapped.replace("@S", given_box).replace('align = "centre"', 'align = "left"')
    template = load_template(write(tmp_path, swapped))
    card = make_card("event", "plain")
    lines = {line.field: line for line in layout_badge(card, template).lines}
    assert lines["given_names"].baseline > lines["surname"].baseline  # given names on top now
    assert lines["serial"].x == pytest.approx(2.0 * mm)  # left, no longer centred
    shipped = {line.field: line for line in layout_badge(card).lines}
    assert shipped["surname"].baseline > shipped["given_names"].baseline
    assert shipped["serial"].x > 10 * mm  # centred under the barcode, not at its left

    runs = {}
    PdfReader(io.BytesIO(badge_pdf_bytes(card, template))).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, *_: runs.setdefault(text.strip(), tm[5] + cm[5])
    )
    assert runs["Claire"] > runs["MARTIN"]


def test_a_portrait_template_prints_a_portrait_card_whose_codes_scan(tmp_path):
    portrait = """
name = "Portrait pool card"
kind = "pool"
orientation = "portrait"
[band]
box = { x = 2, y = 2, w = 49.98, h = 12 }
[pool]
box = { x = 4, y = 4, w = 16, h = 8 }
[photo]
box = { x = 12, y = 16, w = 29.98, h = 38.5 }
[qr]
box = { x = 16.99, y = 56, w = 20, h = 12 }
[barcode]
box = { x = 2, y = 70, w = 49.98, h = 8 }
[[text]]
field = "surname"
box = { x = 2, y = 16, w = 9, h = 5 }
size = 8
min_size = 4
[[text]]
field = "serial"
box = { x = 2, y = 79, w = 49.98, h = 3 }
size = 6
align = "centre"
"""
    template = load_template(write(tmp_path, portrait))
    card = replace(make_card("pool", "greek"), serial="G1-000042")
    page = PdfReader(io.BytesIO(badge_pdf_bytes(card, template))).pages[0]
    assert float(page.mediabox.width) == pytest.approx(53.98 * mm, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(85.60 * mm, abs=0.5)
    found = {
        (s.type, s.data.decode()) for s in decode(png(badge_pdf_bytes(card, template), tmp_path))
    }
    assert found == {("CODE128", "G1-000042"), ("QRCODE", card.badge_code)}


def test_logo_and_back_side(tmp_path):
    Image.new("RGB", (60, 30), (0, 51, 153)).save(tmp_path / "crest.png")
    text = EVENT_TOML.replace(
        "[photo]",
        '[[logo]]\nfile = "crest.png"\nbox = { x = 70, y = 44, w = 13, h = 5 }\n\n[photo]',
    ).replace(  # a smaller QR leaves the logo room beside the barcode
        "box = { x = 61.15, y = 29.5, w = 22.45, h = 22.45 }",
        "box = { x = 72.6, y = 31.15, w = 11, h = 11 }",
    )
    text += (
        '\n[back]\ntitle = "Rules / Règles"\nlines = ["Wear this pass visibly at all times.", '
        '"Porter ce badge de façon visible en permanence."]\n'
    )
    template = load_template(write(tmp_path, text))
    assert template.logos[0].file == tmp_path / "crest.png"
    pdf = badge_pdf_bytes(make_card("event", "plain"), template)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert len(reader.pages[0].images) == 1  # the logo (the sample has no photo)
    back = reader.pages[1].extract_text()
    assert "Wear this pass visibly" in back and "Règles" in back


def test_back_side_too_long_for_the_card_is_refused(tmp_path):
    text = (
        EVENT_TOML
        + "\n[back]\nlines = ["
        + ", ".join(['"A rule long enough to wrap twice on the card, and then some more."'] * 40)
        + "]\n"
    )
    with pytest.raises(ValueError, match="back side's text does not fit"):
        layout_badge(make_card("event", "plain"), load_template(write(tmp_path, text)))


def test_the_book_prefers_the_event_template_then_the_kind_then_the_shipped_one(tmp_path):
    book = TemplateBook(tmp_path)
    card = replace(make_card("event", "plain"), event_id="DEFMIN")
    assert book.path_for("event", "DEFMIN") == BUILTIN_DIR / "event.toml"
    edited(tmp_path, 'name = "Event badge"', 'name = "Our event badge"', "event.toml")
    assert book.for_card(card).name == "Our event badge"
    own = edited(
        tmp_path, 'name = "Event badge"', 'name = "Defence ministers"', "DEFMIN.event.toml"
    )
    assert book.for_card(card).name == "Defence ministers"
    assert book.for_card(replace(card, event_id="FORMIN")).name == "Our event badge"
    assert book.template_for("annual").name == "Annual badge"

    own.write_text(EVENT_TOML.replace('name = "Event badge"', 'name = "Defence ministers 2"'))
    os.utime(own, (own.stat().st_mtime + 5,) * 2)
    assert book.for_card(card).name == "Defence ministers 2"  # an edited file is read again
    own.write_text("name = ")
    os.utime(own, (own.stat().st_mtime + 10,) * 2)
    with pytest.raises(TemplateError, match=r"DEFMIN\.event\.toml: not valid TOML"):
        book.for_card(card)


def test_preview_png_shows_the_sample_badge():
    image = Image.open(io.BytesIO(preview_png(default_template("pool"), dpi=150)))
    assert image.size == (round(85.60 / 25.4 * 150), round(53.98 / 25.4 * 150))
    found = {s.data.decode() for s in decode(image)}
    assert "G1-000123" in found


def _with_logo(tmp_path: Path, name: str) -> Path:
    return edited(
        tmp_path,
        "[photo]",
        f'[[logo]]\nfile = "{name}"\nbox = {{ x = 70, y = 44, w = 13, h = 5 }}\n\n[photo]',
    )


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` x `height` pixels, with almost no data."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a picture", '"logo.png" is not a readable PNG or JPEG picture'),
        (_png_declaring(60, 30), '"logo.png" is not a readable PNG or JPEG picture'),  # cut short
        (
            _png_declaring(100_000, 100_000),
            '"logo.png" declares too many pixels: a logo may have at most 8,000,000',
        ),
        (_png_declaring(3000, 3000), '"logo.png" is 3000 x 3000 pixels: a logo may have at most'),
        (b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024), '"logo.png" has 3072 KB: a logo may'),
    ],
    ids=["not-an-image", "damaged", "decompression-bomb", "too-many-pixels", "too-large-a-file"],
)
def test_logos_that_are_not_small_pictures_are_refused_at_load(tmp_path, content, message):
    (tmp_path / "logo.png").write_bytes(content)
    with pytest.raises(TemplateError) as err:
        load_template(_with_logo(tmp_path, "logo.png"))
    assert str(err.value).startswith("custom.toml: logo[0].file: ")
    assert message in str(err.value)


def test_a_gif_named_png_is_refused(tmp_path):
    Image.new("RGB", (60, 30)).save(tmp_path / "logo.png", format="GIF")
    with pytest.raises(TemplateError, match=r'"logo.png" is a GIF picture, not PNG or JPEG'):
        load_template(_with_logo(tmp_path, "logo.png"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "x = " + "[" * 30_000 + "]" * 30_000 + "\n",
            "custom.toml: not valid TOML: nested too deep",
        ),
        (EVENT_TOML + "# " + "x" * 1_000_000 + "\n", "custom.toml: larger than 64 KB"),
        (
            EVENT_TOML.replace('field = "surname"', f'field = "text"\ntext = "{"x" * 5000}"', 1),
            "text[2] (text).text: has 5000 characters: at most 300",
        ),
        (
            EVENT_TOML + "\n[back]\nlines = [" + '"rule", ' * 41 + "]\n",
            "back.lines: at most 40 lines of at most 300 characters",
        ),
        (
            EVENT_TOML
            + "\n"
            + '[[text]]\nfield = "serial"\nsize = 7\nbox = { x = 3, y = 3, w = 5, h = 5 }\n' * 41,
            "text: 50 sections: at most 40",
        ),
        (
            EVENT_TOML.replace("safe_margin = 2.0", "safe_margin = nan"),
            "safe_margin: must be a number up to",
        ),
        (
            EVENT_TOML.replace("safe_margin = 2.0", "safe_margin = inf"),
            "safe_margin: must be a number up to",
        ),
    ],
    ids=["nested-arrays", "1-MB-file", "long-text", "many-lines", "many-texts", "nan", "inf"],
)
def test_oversized_templates_are_refused_with_a_named_limit(tmp_path, text, message):
    with pytest.raises(TemplateError) as err:
        load_template(write(tmp_path, text))
    assert message in str(err.value)
