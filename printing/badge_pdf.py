"""A media badge as a one-page PDF the size of a CR80 card (85.60 x 53.98 mm, landscape).

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
from pathlib import Path

import barcode
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kiosk.model import BadgeCard, Flow, MediaKind
from printing.fonts import SANS, SANS_BOLD, register_fonts

# --- Layout, in points (reportlab's origin is the card's bottom-left corner) ----------

CARD_W = 85.60 * mm
CARD_H = 53.98 * mm
SAFE = 2 * mm  # nothing is printed closer than this to the card's edge
GAP = 1.5 * mm  # between the band, the body and the footer
COLUMN_GAP = 2 * mm  # between the photo and the text column
FIELD_GAP = 0.8  # between text fields

BAND_H = 9 * mm
BAND_RADIUS = 1.2 * mm
BAND_PAD = 1.8 * mm  # band text from the band's left and right ends
POOL_PAD = 1.2 * mm  # around "POOL" inside its marker
POOL_INSET = 1.2 * mm  # marker from the band's top and bottom

PHOTO_ASPECT = 3.5 / 4.5  # width / height
PHOTO_BORDER = 0.4

DOT = inch / 300  # one dot of a 300 dpi card printer
BAR_H = 6 * mm
BAR_QUIET = 10  # white modules each side of the Code128 symbol
BAR_DOTS = (3, 2)  # module widths tried, widest first: 0.25 mm, 0.17 mm
SERIAL_GAP = 0.8  # between the bars and the serial under them
QR_MAX = 10.5 * mm  # side of the QR code, quiet zone included, at most
QR_QUIET = 4  # white modules around the QR code
QR_MIN_DOTS = 2  # smallest module a card printer and a scanner agree on

ASCENT = 0.95  # DejaVu glyphs, accents on capitals included, in ems above the baseline
DESCENT = 0.25  # ... and below it
LINE = ASCENT + DESCENT  # the height of one set line, in ems
SIZE_STEP = 0.25
TONOS = "\u0301"  # the accent Greek capitals drop (NFD form)

ANNUAL_BLUE = HexColor("#1565c0")
INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
PHOTO_GREY = HexColor("#dcdcdc")
PHOTO_EDGE = HexColor("#9e9e9e")

ANNUAL_TITLE = "ANNUAL MEDIA / MÉDIAS ANNUEL"
EVENT_TITLE = "MEDIA / MÉDIAS"
POOL_MARK = "POOL"
NO_PHOTO = ("NO PHOTO", "PAS DE PHOTO")
VALID_LABEL = "VALID / VALABLE"
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


STYLES = {
    "band_title": Style(SANS_BOLD, 11, 6.5, 11 * LINE),
    "band_event": Style(SANS, 7, 5, 7 * LINE),
    "pool": Style(SANS_BOLD, 11, 11, 11 * LINE),
    "no_photo": Style(SANS_BOLD, 6, 6, 6 * LINE),
    "surname": Style(SANS_BOLD, 16, 6.5, 19.2),
    "given_names": Style(SANS, 10, 5.5, 14.4),
    "organisation": Style(SANS_BOLD, 7.5, 5, 12),
    "media_kind": Style(SANS, 6, 5, 6 * LINE),
    "valid_label": Style(SANS, 5, 5, 5 * LINE),
    "valid_dates": Style(SANS_BOLD, 8, 6, 8 * LINE),
    "serial": Style(SANS, 6, 6, 6 * LINE),
}


@dataclass(frozen=True)
class _Set:
    """A field set at a size, in one or two lines."""

    style: Style
    size: float
    parts: tuple[str, ...]
    colour: Color


@dataclass(frozen=True)
class Box:
    """A rectangle on the card: bottom-left corner, width and height."""

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

    @property
    def box(self) -> Box:
        """The space the line's glyphs may take, accents and descenders included."""
        width = stringWidth(self.text, self.font, self.size)
        return Box(self.x, self.baseline - DESCENT * self.size, width, LINE * self.size)


@dataclass(frozen=True)
class BadgeLayout:
    """Where everything goes on the card."""

    band: Box
    band_colour: Color
    band_ink: Color  # white or black, whichever reads better on the band
    band_lines: tuple[TextLine, ...]
    pool: Box | None  # the POOL marker, inside the band
    pool_line: TextLine | None
    photo: Box
    photo_lines: tuple[TextLine, ...]  # "no photo" text, inside the photo box
    barcode: Box  # the Code128 symbol with its quiet zones
    bars: tuple[Box, ...]
    qr: Box | None  # the QR code with its quiet zone
    lines: tuple[TextLine, ...]  # the body text and the serial


def render_badge(card: BadgeCard, out: Path) -> Path:
    """Write the badge for `card` as a one-page CR80 PDF at `out`; return `out`."""
    out.write_bytes(badge_pdf_bytes(card))
    return out


def badge_pdf_bytes(card: BadgeCard) -> bytes:
    """The badge for `card` as a one-page CR80 PDF."""
    layout = layout_badge(card)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(CARD_W, CARD_H))
    canvas.setTitle(f"Media badge {card.serial}")
    canvas.setAuthor("Pass Office Kiosk")
    _draw_band(canvas, layout)
    _draw_photo(canvas, layout, card.photo_jpeg)
    _draw_lines(canvas, layout.lines)
    _draw_bars(canvas, layout.bars)
    if layout.qr and card.badge_code:
        _draw_qr(canvas, card.badge_code, layout.qr)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


# --- Layout -------------------------------------------------------------------------


def layout_badge(card: BadgeCard) -> BadgeLayout:
    """Place every element of `card`'s badge; raises ValueError if a code cannot fit."""
    register_fonts()
    band = Box(SAFE, CARD_H - SAFE - BAND_H, CARD_W - 2 * SAFE, BAND_H)
    colour = ANNUAL_BLUE if card.flow is Flow.ANNUAL else HexColor(card.colour)
    ink = contrasting_ink(colour)
    pool, pool_line = _pool_marker(band, colour) if card.pool else (None, None)
    title_right = pool.x - BAND_PAD if pool else band.right - BAND_PAD

    serial_line, barcode_box, bars = _footer(card.serial)
    bottom = barcode_box.top + GAP
    height = band.y - GAP - bottom
    photo = Box(SAFE, bottom, height * PHOTO_ASPECT, height)
    column = Box(photo.right + COLUMN_GAP, bottom, band.right - photo.right - COLUMN_GAP, height)
    qr = _qr_box(card.badge_code, column) if card.badge_code else None
    lower_width = (qr.x - GAP if qr else column.right) - column.x

    return BadgeLayout(
        band=band,
        band_colour=colour,
        band_ink=ink,
        band_lines=_band_lines(card, band, title_right - band.x - BAND_PAD, ink),
        pool=pool,
        pool_line=pool_line,
        photo=photo,
        photo_lines=() if card.photo_jpeg else _no_photo_lines(photo),
        barcode=barcode_box,
        bars=bars,
        qr=qr,
        lines=(*_upper_lines(card, column), *_lower_lines(card, column, lower_width), serial_line),
    )


def contrasting_ink(colour: Color) -> Color:
    """White or black, whichever contrasts more with `colour` (WCAG relative luminance)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(colour.red) + 0.7152 * linear(colour.green) + 0.0722 * linear(colour.blue)
    return white if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else black


def _band_lines(card: BadgeCard, band: Box, width: float, ink: Color) -> tuple[TextLine, ...]:
    """The band's title and, for an event, the event's name, centred on the band's height."""
    title = ANNUAL_TITLE if card.flow is Flow.ANNUAL else EVENT_TITLE
    fields = [(title, "band_title")]
    if card.flow is Flow.EVENT and card.event_name:
        fields.append((card.event_name, "band_event"))
    sets = [_field(text, name, width, ink) for text, name in fields]
    top = band.y + (band.h + _height(sets, gap=0)) / 2
    return _stack(sets, band.x + BAND_PAD, top, gap=0)


def _pool_marker(band: Box, colour: Color) -> tuple[Box, TextLine]:
    """The POOL marker at the band's right end, in the band's colours reversed."""
    style = STYLES["pool"]
    height = band.h - 2 * POOL_INSET
    width = stringWidth(POOL_MARK, style.font, style.size) + 2 * POOL_PAD
    box = Box(band.right - BAND_PAD - width, band.y + POOL_INSET, width, height)
    # Centre the capitals (cap height 0.73 em) on the marker.
    baseline = box.y + (box.h - 0.73 * style.size) / 2
    return box, TextLine(POOL_MARK, style.font, style.size, box.x + POOL_PAD, baseline, colour)


def _no_photo_lines(photo: Box) -> tuple[TextLine, ...]:
    """The "no photo" text, centred in the photo box."""
    style = STYLES["no_photo"]
    top = photo.y + (photo.h + len(NO_PHOTO) * LINE * style.size) / 2
    lines = []
    for text in NO_PHOTO:
        x = photo.x + (photo.w - stringWidth(text, style.font, style.size)) / 2
        top -= LINE * style.size
        lines.append(TextLine(text, style.font, style.size, x, top + DESCENT * style.size, MUTED))
    return tuple(lines)


def _upper_lines(card: BadgeCard, column: Box) -> tuple[TextLine, ...]:
    """Surname, given names and organisation, from the top of the text column down."""
    fields = [
        (capitals(card.surname), "surname", INK),
        (card.given_names, "given_names", INK),
        (card.organisation, "organisation", MUTED),
    ]
    sets = [_field(text, name, column.w, colour) for text, name, colour in fields if text.strip()]
    return _stack(sets, column.x, column.top, gap=FIELD_GAP)


def _lower_lines(card: BadgeCard, column: Box, width: float) -> tuple[TextLine, ...]:
    """Media kind and validity, at the bottom of the text column, left of the QR code."""
    kind = f"{card.media_kind.value} / {MEDIA_KIND_FR[card.media_kind]}".upper()
    dates = f"{card.valid_from:%d.%m.%Y} – {card.valid_until:%d.%m.%Y}"
    sets = [
        _field(kind, "media_kind", width, MUTED),
        _field(VALID_LABEL, "valid_label", width, MUTED),
        _field(dates, "valid_dates", width, INK),
    ]
    return _stack(sets, column.x, column.y + _height(sets, FIELD_GAP), gap=FIELD_GAP)


def _field(text: str, name: str, width: float, colour: Color) -> _Set:
    """`text` set in the named style within `width`."""
    style = STYLES[name]
    return _Set(style, *_set(text.strip(), style, width), colour)


def _height(sets: list[_Set], gap: float) -> float:
    """Height of `sets` stacked with `gap` between them."""
    return sum(LINE * s.size * len(s.parts) for s in sets) + gap * (len(sets) - 1)


def _stack(sets: list[_Set], x: float, top: float, gap: float) -> tuple[TextLine, ...]:
    """Lines of `sets`, one under the other from `top` down."""
    lines = []
    for s in sets:
        for part in s.parts:
            top -= LINE * s.size
            lines.append(TextLine(part, s.style.font, s.size, x, top + DESCENT * s.size, s.colour))
        top -= gap
    return tuple(lines)


def _footer(serial: str) -> tuple[TextLine, Box, tuple[Box, ...]]:
    """The serial at the bottom, centred, and its Code128 bars above it."""
    style = STYLES["serial"]
    serial_line = TextLine(
        serial,
        style.font,
        style.size,
        (CARD_W - stringWidth(serial, style.font, style.size)) / 2,
        SAFE + DESCENT * style.size,
        INK,
    )
    bottom = SAFE + LINE * style.size + SERIAL_GAP
    box, bars = code128_bars(serial, CARD_W / 2, bottom, CARD_W - 2 * SAFE)
    return serial_line, box, bars


def code128_bars(
    serial: str, centre_x: float, bottom: float, max_width: float
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
            bars.append(Box(x, bottom, width, BAR_H))
        x += width
    return Box(left, bottom, total * module, BAR_H), tuple(bars)


def _qr_box(code: str, column: Box) -> Box:
    """The QR code's square at the bottom-right of the text column, modules snapped to dots."""
    total = qr_widget(code, 1).qr.getModuleCount() + 2 * QR_QUIET
    dots = math.floor(QR_MAX / (total * DOT))
    if dots < QR_MIN_DOTS:
        raise ValueError(f"badge code of {len(code)} characters is too long for the badge QR")
    side = total * dots * DOT
    return Box(_snap(column.right - side), column.y, side, side)


def qr_widget(code: str, side: float) -> QrCodeWidget:
    """A QR code of `code` (error correction M, 4-module quiet zone), `side` points wide."""
    widget = QrCodeWidget(code, barLevel="M", barBorder=QR_QUIET, barWidth=side, barHeight=side)
    widget.qr.make()
    return widget


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


def _set(text: str, style: Style, width: float) -> tuple[float, tuple[str, ...]]:
    """The size and lines (one or two) that set `text` within `width` and the style's slot."""
    wrap_size = style.slot / (2 * LINE)  # two lines of this size fill the slot
    may_wrap = wrap_size >= style.min_size
    largest = min(style.size, style.slot / LINE)
    for size in _sizes(largest, wrap_size if may_wrap else style.min_size):
        if stringWidth(text, style.font, size) <= width:
            return size, (text,)
    if not may_wrap:
        return style.min_size, (_ellipsize(text, style.font, style.min_size, width),)
    for size in _sizes(wrap_size, style.min_size):
        head, tail = _head(text, style.font, size, width)
        if stringWidth(tail, style.font, size) <= width:
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
    while k > 1 and stringWidth(text[:k], font, size) > width:
        k -= 1
    if k == len(text):
        return text, ""
    soft = [i for i in range(1, k + 1) if text[i] == " " or text[i - 1] == "-"]
    cut = max(soft, default=k)
    return text[:cut].rstrip(), text[cut:].lstrip()


def _ellipsize(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut and ended with an ellipsis if it is wider than `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- Drawing -------------------------------------------------------------------------


def _draw_band(canvas: Canvas, layout: BadgeLayout) -> None:
    band = layout.band
    canvas.setFillColor(layout.band_colour)
    canvas.roundRect(band.x, band.y, band.w, band.h, BAND_RADIUS, stroke=0, fill=1)
    _draw_lines(canvas, layout.band_lines)
    if layout.pool and layout.pool_line:
        pool = layout.pool
        canvas.setFillColor(layout.band_ink)
        canvas.roundRect(pool.x, pool.y, pool.w, pool.h, BAND_RADIUS / 2, stroke=0, fill=1)
        _draw_lines(canvas, (layout.pool_line,))


def _draw_photo(canvas: Canvas, layout: BadgeLayout, jpeg: bytes | None) -> None:
    photo = layout.photo
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
    _draw_lines(canvas, layout.photo_lines)


def _draw_lines(canvas: Canvas, lines: tuple[TextLine, ...]) -> None:
    for line in lines:
        canvas.setFillColor(line.colour)
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.baseline, line.text)


def _draw_bars(canvas: Canvas, bars: tuple[Box, ...]) -> None:
    canvas.setFillColor(black)
    for bar in bars:
        canvas.rect(bar.x, bar.y, bar.w, bar.h, stroke=0, fill=1)


def _draw_qr(canvas: Canvas, code: str, box: Box) -> None:
    drawing = Drawing(box.w, box.h)
    drawing.add(qr_widget(code, box.w))
    renderPDF.draw(drawing, canvas, box.x, box.y)
