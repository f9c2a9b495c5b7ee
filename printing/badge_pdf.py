"""A media badge as a PDF the size of a CR80 card (85.60 x 53.98 mm), laid out by a template.

The shipped templates (printing/templates/*.toml) give this design, landscape:

    +--------------------------------------------------------------+
    | MEDIA / MÉDIAS (or ANNUAL MEDIA / MÉDIAS ANNUEL)      [POOL] |
    | event name            band in the event's colour, or blue    |
    +--------------------------------------------------------------+
    | photo   | SURNAME                                            |
    | 3.5:4.5 | Given names                                        |
    |         | Organisation                                       |
    |         | MEDIA KIND                                  +----+ |
    |         | VALID / VALABLE                             | QR | |
    |         | 13.02.2026 – 15.02.2026                     +----+ |
    |             ||||||| Code128 of the serial |||||||            |
    |                          serial                              |
    +--------------------------------------------------------------+

`layout_badge` places everything (pure geometry, easy to test); `badge_pdf_bytes`
draws that layout with reportlab. Bars and QR modules snap to the dots of a
300 dpi card printer so they print crisp.
"""

from __future__ import annotations

import io
import itertools
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import barcode
import numpy as np
import zxingcpp
from PIL import Image
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kiosk.model import BadgeCard, MediaKind, french
from kiosk.private import write_private
from printing.badge_template import (
    BAND_INK,
    EVENT_COLOUR,
    BadgeTemplate,
    Rect,
    TextField,
    default_template,
    kind_of,
)
from printing.fonts import MONO, SANS, SANS_BOLD, draw_text, register_fonts, text_width

DOT = inch / 300  # one dot of a 300 dpi card printer
BAR_QUIET = 10  # white modules each side of the Code128 symbol
BAR_DOTS = (3, 2)  # module widths tried, widest first: 0.25 mm, 0.17 mm
QR_QUIET = 4  # white modules around the QR code
QR_MIN_DOTS = 2  # smallest module a card printer and a scanner agree on

ASCENT = 0.95  # DejaVu glyphs, accents on capitals included, in ems above the baseline
DESCENT = 0.25  # ... and below it
LINE = ASCENT + DESCENT  # the height of one set line, in ems
SIZE_STEP = 0.25
TONOS = "\u0301"  # the accent Greek capitals drop (NFD form)
CAP_HEIGHT = 0.73  # DejaVu capitals, in ems

PHOTO_BORDER = 0.4
BACK_PAD = 3 * mm
INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
PHOTO_GREY = HexColor("#dcdcdc")
PHOTO_EDGE = HexColor("#9e9e9e")
FONT_NAMES = {"regular": SANS, "bold": SANS_BOLD, "mono": MONO}

NO_PHOTO = ("NO PHOTO", "PAS DE PHOTO")
NO_PHOTO_SIZE = 6
MEDIA_KIND_FR = {
    MediaKind.WRITTEN: "presse écrite",
    MediaKind.ONLINE: "en ligne",
    MediaKind.RADIO: "radio",
    MediaKind.TV: "télévision",
    MediaKind.FILM_CREW: "équipe de tournage",
    MediaKind.PHOTOGRAPHER: "photographe",
    MediaKind.TECHNICIAN: "technicien",
}


@dataclass(frozen=True)
class Style:
    """How a text field is set.

    `slot` is the height the field may take. The field shrinks on one line down to the
    size at which two lines fill the slot, then wraps to two lines and shrinks down to
    `min_size`; past that it is cut with an ellipsis. A slot too low for two lines at
    `min_size` keeps the field on one line.
    """

    font: str
    size: float
    min_size: float
    slot: float


@dataclass(frozen=True)
class Box:
    """A rectangle on the card in points: bottom-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def contains(self, other: Box, tol: float = 1e-6) -> bool:
        """True if `other` lies entirely inside this box."""
        return (
            other.x >= self.x - tol
            and other.y >= self.y - tol
            and other.right <= self.right + tol
            and other.top <= self.top + tol
        )

    def overlaps(self, other: Box) -> bool:
        """True if the two boxes share some area."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.top
            and other.y < self.top
        )


@dataclass(frozen=True)
class TextLine:
    """One line of text set at a baseline."""

    text: str
    font: str
    size: float
    x: float
    baseline: float
    colour: Color
    field: str = ""

    @property
    def box(self) -> Box:
        """The space the line's glyphs may take, accents and descenders included."""
        width = text_width(self.text, self.font, self.size)
        return Box(self.x, self.baseline - DESCENT * self.size, width, LINE * self.size)


@dataclass(frozen=True)
class BadgeLayout:
    """Where everything goes on the card, in points from its bottom-left corner."""

    width: float
    height: float
    safe: Box  # inside the template's safe margin
    band: Box | None
    band_colour: Color
    band_ink: Color  # white or black, whichever reads better on the band
    band_radius: float
    band_lines: tuple[TextLine, ...]  # texts placed on the band
    pool: Box | None  # the POOL marker (pool cards only)
    pool_line: TextLine | None
    photo: Box | None
    photo_lines: tuple[TextLine, ...]  # "no photo" text, inside the photo box
    logos: tuple[tuple[Box, Path], ...]
    barcode: Box  # the Code128 symbol with its quiet zones
    bars: tuple[Box, ...]
    qr: Box | None  # the QR code with its quiet zone
    lines: tuple[TextLine, ...]  # every other text
    back_lines: tuple[TextLine, ...] = ()  # the back side, when the template has one


class PhotoUnreadable(ValueError):
    """The photo on file for a badge cannot be decoded: a badge is not printed without it."""


def readable_photo(jpeg: bytes) -> None:
    """PhotoUnreadable unless `jpeg` decodes whole (damaged or cut-short data would
    otherwise stop the PDF half-way, or print a broken face)."""
    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        raise PhotoUnreadable(f"the photo on file cannot be read ({err})") from err


def render_badge(card: BadgeCard, out: Path, template: BadgeTemplate | None = None) -> Path:
    """Write the badge for `card` as a CR80 PDF at `out`, owner-only whatever was there
    (a name and a photo); return `out`. OSError naming `out` if it cannot be written."""
    return write_private(out, badge_pdf_bytes(card, template))


def badge_pdf_bytes(card: BadgeCard, template: BadgeTemplate | None = None) -> bytes:
    """The badge for `card` as a CR80 PDF (a second page when the template has a back).

    Without `template`, the shipped template for the card's kind is used.
    """
    if card.photo_jpeg:
        readable_photo(card.photo_jpeg)
    layout = layout_badge(card, template)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(layout.width, layout.height))
    canvas.setTitle(f"Media badge {card.serial}")
    canvas.setAuthor("Pass Office Kiosk")
    _draw_band(canvas, layout)
    if layout.photo:
        _draw_photo(canvas, layout.photo, layout.photo_lines, card.photo_jpeg)
    for box, path in layout.logos:
        _draw_logo(canvas, box, path)
    _draw_lines(canvas, layout.lines)
    _draw_bars(canvas, layout.bars)
    if layout.qr and card.badge_code:
        draw_qr(canvas, card.badge_code, layout.qr.x, layout.qr.y, layout.qr.w)
    canvas.showPage()
    if layout.back_lines:
        _draw_lines(canvas, layout.back_lines)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


# --- Layout -------------------------------------------------------------------------


def layout_badge(card: BadgeCard, template: BadgeTemplate | None = None) -> BadgeLayout:
    """Place every element of `card`'s badge; ValueError if a code cannot fit its box."""
    register_fonts()
    t = template or default_template(kind_of(card))
    width, height = (v * mm for v in t.size_mm)
    box = _boxes(height)
    band = box(t.band.box) if t.band else None
    colour = _band_colour(t, card)
    ink = contrasting_ink(colour)
    pool, pool_line = (None, None)
    if t.pool and card.pool:
        pool, pool_line = _pool_marker(box(t.pool.box), t.pool.text, t.pool.size, colour)
    photo = box(t.photo) if t.photo else None
    assert t.barcode is not None  # checked when the template was loaded
    bar_area = box(t.barcode)
    barcode_box, bars = code128_bars(
        card.serial, bar_area.x + bar_area.w / 2, bar_area.y, bar_area.w, bar_area.h
    )
    on_band, other = [], []
    for field in t.texts:
        lines = _text_lines(field, card, box(field.box), ink)
        (on_band if band and band.contains(box(field.box)) else other).extend(lines)
    return BadgeLayout(
        width=width,
        height=height,
        safe=box(t.safe),
        band=band,
        band_colour=colour,
        band_ink=ink,
        band_radius=t.band.radius * mm if t.band else 0,
        band_lines=tuple(on_band),
        pool=pool,
        pool_line=pool_line,
        photo=photo,
        photo_lines=() if card.photo_jpeg or photo is None else _no_photo_lines(photo),
        logos=tuple((box(logo.box), logo.file) for logo in t.logos),
        barcode=barcode_box,
        bars=bars,
        qr=_qr_box(card.badge_code, box(t.qr)) if t.qr and card.badge_code else None,
        lines=tuple(other),
        back_lines=_back_lines(t, width, height),
    )


def _boxes(card_height: float):
    """A function turning a template's mm box (from the top-left) into a point Box."""

    def box(r: Rect) -> Box:
        return Box(r.x * mm, card_height - (r.y + r.h) * mm, r.w * mm, r.h * mm)

    return box


def _band_colour(t: BadgeTemplate, card: BadgeCard) -> Color:
    if t.band is None or t.band.colour == EVENT_COLOUR:
        return HexColor(card.colour)
    return HexColor(t.band.colour)


def contrasting_ink(colour: Color) -> Color:
    """White or black, whichever contrasts more with `colour` (WCAG relative luminance)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(colour.red) + 0.7152 * linear(colour.green) + 0.0722 * linear(colour.blue)
    return white if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else black


def both_languages(en: str, fr: str) -> str:
    """An office text as a bilingual badge prints it: "English / French", or the English
    alone when the office gave no French (or the same words). Set in a box too narrow
    for both whole, the English alone is printed (`_text_lines`)."""
    return f"{en} / {fr}" if fr and fr != en else en


def field_text(field: TextField, card: BadgeCard) -> str:
    """What a template text prints for `card` (empty: nothing to print)."""
    match field.field:
        case "text":
            return field.text
        case "surname":
            return capitals(card.surname)
        case "given_names":
            return card.given_names
        case "organisation":
            return card.organisation
        case "media_kind":
            return f"{card.media_kind.value} / {MEDIA_KIND_FR[card.media_kind]}".upper()
        case "valid_dates":
            return f"{card.valid_from:%d.%m.%Y} – {card.valid_until:%d.%m.%Y}"
        case "event_name":  # "English / French", as the badge's other words
            return both_languages(card.event_name or "", card.event_name_fr or "")
        case "event_name_fr":
            return french(card.event_name or "", card.event_name_fr)
        case "serial":
            return card.serial
    raise ValueError(f"unknown field {field.field!r}")


def _text_lines(field: TextField, card: BadgeCard, box: Box, ink: Color) -> list[TextLine]:
    """`field`'s text set within `box`, aligned as the template says."""
    text = field_text(field, card).strip()
    if not text:
        return []
    style = Style(FONT_NAMES[field.font], field.size, field.min_size, box.h)
    size, parts = set_text(text, style, box.w)
    if field.field == "event_name" and parts[-1].endswith("…") and card.event_name:
        # Both names do not fit its box whole: the English one alone, as before (a
        # template places `event_name_fr` on a line of its own for the French).
        size, parts = set_text(card.event_name.strip(), style, box.w)
    colour = ink if field.colour == BAND_INK else HexColor(field.colour)
    block = LINE * size * len(parts)
    top = {
        "top": box.top,
        "middle": box.top - (box.h - block) / 2,
        "bottom": box.y + block,
    }[field.valign]
    lines = []
    for part in parts:
        top -= LINE * size
        free = box.w - text_width(part, style.font, size)
        x = box.x + {"left": 0, "centre": free / 2, "right": free}[field.align]
        lines.append(TextLine(part, style.font, size, x, top + DESCENT * size, colour, field.field))
    return lines


def _pool_marker(box: Box, text: str, size: float, colour: Color) -> tuple[Box, TextLine]:
    """The marker's text centred in its box, in the band's colour (the box takes the ink)."""
    width = stringWidth(text, SANS_BOLD, size)
    while size > 4 and (width > box.w or LINE * size > box.h):
        size -= SIZE_STEP
        width = stringWidth(text, SANS_BOLD, size)
    baseline = box.y + (box.h - CAP_HEIGHT * size) / 2
    return box, TextLine(text, SANS_BOLD, size, box.x + (box.w - width) / 2, baseline, colour)


def _no_photo_lines(photo: Box) -> tuple[TextLine, ...]:
    """The "no photo" text, centred in the photo box."""
    top = photo.y + (photo.h + len(NO_PHOTO) * LINE * NO_PHOTO_SIZE) / 2
    lines = []
    for text in NO_PHOTO:
        x = photo.x + (photo.w - stringWidth(text, SANS_BOLD, NO_PHOTO_SIZE)) / 2
        top -= LINE * NO_PHOTO_SIZE
        lines.append(
            TextLine(text, SANS_BOLD, NO_PHOTO_SIZE, x, top + DESCENT * NO_PHOTO_SIZE, MUTED)
        )
    return tuple(lines)


def _back_lines(t: BadgeTemplate, width: float, height: float) -> tuple[TextLine, ...]:
    """The back side's title and rules, wrapped within the safe area from the top down."""
    if t.back is None:
        return ()
    size, inner = t.back.size, width - 2 * BACK_PAD
    top = height - BACK_PAD
    lines: list[TextLine] = []
    blocks = ([(t.back.title, SANS_BOLD)] if t.back.title else []) + [
        (f"• {line}", SANS) for line in t.back.lines
    ]
    for text, font in blocks:
        for part in simpleSplit(text, font, size, inner):
            top -= LINE * size
            if top < BACK_PAD:
                raise ValueError(f"{t.source}: the back side's text does not fit the card")
            lines.append(TextLine(part, font, size, BACK_PAD, top + DESCENT * size, INK, "back"))
        top -= size * 0.3
    return tuple(lines)


def code128_bars(
    serial: str, centre_x: float, bottom: float, max_width: float, height: float = 6 * mm
) -> tuple[Box, tuple[Box, ...]]:
    """Bars of `serial` as Code128, centred on `centre_x`, quiet zones within `max_width`.

    Returns the symbol's box (quiet zones included) and one box per bar. Modules are a
    whole number of printer dots, the widest that fits; ValueError if none fits.
    """
    pattern = barcode.get_barcode_class("code128")(serial, writer=None).build()[0]
    total = len(pattern) + 2 * BAR_QUIET
    dots = next((d for d in BAR_DOTS if (total * d + 1) * DOT <= max_width), None)
    if dots is None:
        raise ValueError(f"serial {serial!r} is too long for a scannable barcode on the badge")
    module = dots * DOT
    left = _snap(centre_x - total * module / 2)
    bars = []
    x = left + BAR_QUIET * module
    for bit, run in itertools.groupby(pattern):
        width = len(list(run)) * module
        if bit == "1":
            bars.append(Box(x, bottom, width, height))
        x += width
    return Box(left, bottom, total * module, height), tuple(bars)


def _qr_box(code: str, box: Box) -> Box:
    """The QR code's square, as large as whole printer dots allow, centred in `box`."""
    total = len(qr_modules(code)) + 2 * QR_QUIET
    dots = math.floor(min(box.w, box.h) / (total * DOT))
    if dots < QR_MIN_DOTS:
        raise ValueError(f"badge code of {len(code)} characters is too long for the badge QR")
    side = total * dots * DOT
    return Box(_snap(box.x + (box.w - side) / 2), box.y + (box.h - side) / 2, side, side)


@lru_cache(maxsize=64)
def qr_modules(code: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules (error correction M), row by row from the top, True = dark.

    Encoded with zxing-cpp (C++): under a millisecond, where reportlab's pure-Python
    encoder took 20 to 80 ms a code (bench/badges.py measures both). Cached: layout and
    drawing both need it.
    """
    symbol = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    return tuple(tuple(px == 0 for px in row) for row in np.asarray(image))


def dark_runs(modules: tuple[tuple[bool, ...], ...]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each run of dark modules, row by row."""
    for r, row in enumerate(modules):
        col = 0
        for dark, run in itertools.groupby(row):
            n = len(list(run))
            if dark:
                yield r, col, n
            col += n


def draw_qr(canvas: Canvas, code: str, x: float, y: float, side: float) -> None:
    """Draw the QR code of `code` with its quiet zone in the square at (x, y), `side` wide.

    Each run of dark modules in a row is one rectangle, and all of them make a single
    filled path written in whole module units under one transform: a few hundred short
    PDF operators instead of reportlab's thousands of shapes, several times cheaper to
    draw (bench/badges.py measures both).
    """
    modules = qr_modules(code)
    module = side / (len(modules) + 2 * QR_QUIET)
    canvas.saveState()
    canvas.setFillColor(black)
    # One unit per module, rows counted down from the top-left module.
    canvas.transform(module, 0, 0, -module, x + QR_QUIET * module, y + side - QR_QUIET * module)
    runs = " ".join(f"{col} {row} {n} 1 re" for row, col, n in dark_runs(modules))
    canvas.addLiteral(f"{runs} f")
    canvas.restoreState()


def _snap(x: float) -> float:
    """`x` moved left onto a printer dot."""
    return math.floor(x / DOT + 1e-9) * DOT


# --- Text setting --------------------------------------------------------------------


def capitals(name: str) -> str:
    """`name` in capitals; Greek capitals drop their tonos, as Greek typesetting does."""
    kept, base = [], ""
    for ch in unicodedata.normalize("NFD", name.upper()):
        if not unicodedata.combining(ch):
            base = ch
        elif ch == TONOS and unicodedata.name(base, "").startswith("GREEK"):
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def set_text(text: str, style: Style, width: float) -> tuple[float, tuple[str, ...]]:
    """The size and lines (one or two) that set `text` within `width` and the style's slot."""
    wrap_size = style.slot / (2 * LINE)  # two lines of this size fill the slot
    may_wrap = wrap_size >= style.min_size
    largest = min(style.size, style.slot / LINE)
    for size in _sizes(largest, wrap_size if may_wrap else style.min_size):
        if text_width(text, style.font, size) <= width:
            return size, (text,)
    if not may_wrap:
        return style.min_size, (_ellipsize(text, style.font, style.min_size, width),)
    for size in _sizes(wrap_size, style.min_size):
        head, tail = _head(text, style.font, size, width)
        if text_width(tail, style.font, size) <= width:
            return size, (head, tail)
    return style.min_size, (head, _ellipsize(tail, style.font, style.min_size, width))


def _sizes(largest: float, smallest: float) -> Iterator[float]:
    """Font sizes from `largest` down to `smallest`, both included."""
    size = largest
    while size > smallest:
        yield size
        size -= SIZE_STEP
    yield smallest


def _head(text: str, font: str, size: float, width: float) -> tuple[str, str]:
    """Split `text` after the longest head that fits `width`, at a space or hyphen if any."""
    k = len(text)
    while k > 1 and text_width(text[:k], font, size) > width:
        k -= 1
    if k == len(text):
        return text, ""
    soft = [i for i in range(1, k + 1) if text[i] == " " or text[i - 1] == "-"]
    cut = max(soft, default=k)
    return text[:cut].rstrip(), text[cut:].lstrip()


def _ellipsize(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut and ended with an ellipsis if it is wider than `width`."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- Drawing -------------------------------------------------------------------------


def _draw_band(canvas: Canvas, layout: BadgeLayout) -> None:
    band = layout.band
    if band:
        canvas.setFillColor(layout.band_colour)
        canvas.roundRect(band.x, band.y, band.w, band.h, layout.band_radius, stroke=0, fill=1)
    _draw_lines(canvas, layout.band_lines)
    if layout.pool and layout.pool_line:
        pool = layout.pool
        canvas.setFillColor(layout.band_ink)
        canvas.roundRect(pool.x, pool.y, pool.w, pool.h, layout.band_radius / 2, stroke=0, fill=1)
        _draw_lines(canvas, (layout.pool_line,))


def _draw_photo(
    canvas: Canvas, photo: Box, lines: tuple[TextLine, ...], jpeg: bytes | None
) -> None:
    canvas.saveState()
    if jpeg:
        image = ImageReader(io.BytesIO(jpeg))
        width, height = image.getSize()
        scale = max(photo.w / width, photo.h / height)  # cover the box, crop the overflow
        w, h = width * scale, height * scale
        clip = canvas.beginPath()
        clip.rect(photo.x, photo.y, photo.w, photo.h)
        canvas.clipPath(clip, stroke=0, fill=0)
        canvas.drawImage(image, photo.x + (photo.w - w) / 2, photo.y + (photo.h - h) / 2, w, h)
    else:
        canvas.setFillColor(PHOTO_GREY)
        canvas.rect(photo.x, photo.y, photo.w, photo.h, stroke=0, fill=1)
    canvas.restoreState()
    canvas.setStrokeColor(PHOTO_EDGE)
    canvas.setLineWidth(PHOTO_BORDER)
    inset = PHOTO_BORDER / 2
    canvas.rect(photo.x + inset, photo.y + inset, photo.w - 2 * inset, photo.h - 2 * inset)
    _draw_lines(canvas, lines)


def _draw_logo(canvas: Canvas, box: Box, path: Path) -> None:
    """The picture fitted in its box (aspect kept), centred."""
    image = ImageReader(str(path))
    width, height = image.getSize()
    scale = min(box.w / width, box.h / height)
    w, h = width * scale, height * scale
    canvas.drawImage(image, box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h, mask="auto")


def _draw_lines(canvas: Canvas, lines: tuple[TextLine, ...]) -> None:
    for line in lines:
        canvas.setFillColor(line.colour)
        draw_text(canvas, line.x, line.baseline, line.text, line.font, line.size)


def _draw_bars(canvas: Canvas, bars: tuple[Box, ...]) -> None:
    canvas.setFillColor(black)
    path = canvas.beginPath()
    for bar in bars:
        path.rect(bar.x, bar.y, bar.w, bar.h)
    canvas.drawPath(path, stroke=0, fill=1)
