"""Embedded TrueType fonts: DejaVu for Latin, Greek, Cyrillic, Vietnamese, Hebrew and
Arabic; Noto Sans Arabic, Nanum Gothic (Korean Hangul) and Droid Sans Fallback (Chinese,
Japanese) behind it.

The PDF standard fonts (Helvetica, Courier) only cover Latin-1, so every renderer
registers these and embeds them. A text is set in runs (`font_runs`): each character in
the asked font when it has the glyph, else in the first fallback that has it, so "李小龙"
prints in Droid Sans Fallback and "김민준" in Nanum Gothic instead of empty boxes.
Right-to-left text is shaped and put in visual order first (`visual`), since reportlab
draws characters as given.
"""

from __future__ import annotations

import html
import threading
import unicodedata
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEBIAN_PACKAGE = "fonts-dejavu-core"
FALLBACK_DIR = Path("/usr/share/fonts/truetype")

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
CJK = "DroidSansFallback"
HANGUL = "NanumGothic"
HANGUL_BOLD = "NanumGothicBold"
# Tried in order for a character the asked font lacks: (name, file under FALLBACK_DIR,
# Debian package). Loaded at first need (the CJK font's 28 000 glyphs take 0.3 s;
# Nanum Gothic loads in 0.04 s, Droid in 0.07 s measured the same way).
_FALLBACK_FILES = {
    ARABIC: ("noto/NotoSansArabic-Regular.ttf", "fonts-noto-core"),
    ARABIC_BOLD: ("noto/NotoSansArabic-Bold.ttf", "fonts-noto-core"),
    HANGUL: ("nanum/NanumGothic.ttf", "fonts-nanum"),
    HANGUL_BOLD: ("nanum/NanumGothicBold.ttf", "fonts-nanum"),
    CJK: ("droid/DroidSansFallbackFull.ttf", "fonts-droid-fallback"),
}
_FALLBACKS = {
    SANS: (ARABIC, HANGUL, CJK),
    SANS_BOLD: (ARABIC_BOLD, HANGUL_BOLD, CJK),
    MONO: (ARABIC, HANGUL, CJK),
}
# Nanum draws Hangul only: its 4 620 Hanja would set Chinese names in two styles, and
# Droid's three Hangul syllables (가, 힢, 힣) one Korean name in two.
_HANGUL_ONLY = frozenset({HANGUL, HANGUL_BOLD})
# Hangul Jamo, Compatibility Jamo, Jamo Extended-A, Syllables and Jamo Extended-B.
_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
RTL = frozenset({"R", "AL"})  # bidirectional classes of right-to-left letters
FIRST_RTL = "\u05be"  # the first character of those classes (Hebrew maqaf)


class SharedTTFont(TTFont):
    """A TrueType font that PDFs drawn in several threads at once may embed.

    reportlab's font reader keeps one read position per font file ("you cannot use the same
    TTFont object for different documents at the same time"): two documents saved at once
    cut their glyph subsets from each other's positions and ended in IndexError or
    KeyError. Cutting a subset happens when a document is saved, here, under one lock per
    font; drawing, measuring and the rest of saving still run side by side.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._subsetting = threading.Lock()

    def addObjects(self, doc: PDFDocument) -> None:
        """Embed this document's subsets of the font, one document at a time."""
        with self._subsetting:
            super().addObjects(doc)


class FontMissingError(FileNotFoundError):
    """A font file is not installed; the message names the Debian package to install."""


def font_path(filename: str, folder: Path = FONT_DIR, package: str = DEBIAN_PACKAGE) -> Path:
    """The installed path of a font file, or `FontMissingError` naming its package."""
    path = folder / filename
    if not path.is_file():
        raise FontMissingError(
            f"font file {path} not found: install the Debian package {package} "
            f"(sudo apt-get install {package})"
        )
    return path


@cache
def register_fonts() -> None:
    """Register SANS, SANS_BOLD and MONO with reportlab; later calls do nothing."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(SharedTTFont(name, str(font_path(filename))))
    # Let <b> in platypus paragraphs pick the bold face.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)


_fallback_lock = threading.Lock()


def _fallback(name: str) -> TTFont:
    """The fallback font `name`, registered with reportlab at first use."""
    with _fallback_lock:
        try:
            return pdfmetrics.getFont(name)
        except KeyError:
            filename, package = _FALLBACK_FILES[name]
            font = SharedTTFont(name, str(font_path(filename, FALLBACK_DIR, package)))
            pdfmetrics.registerFont(font)
            return font


def _glyphs(font: str) -> dict[int, int]:
    """The registered `font`'s glyphs by code point."""
    register_fonts()
    face = _fallback(font) if font in _FALLBACK_FILES else pdfmetrics.getFont(font)
    return face.face.charToGlyph


def has_glyph(font: str, ch: str) -> bool:
    """True if the registered `font` has a glyph for the character `ch`."""
    return ord(ch) in _glyphs(font)


def is_hangul(ch: str) -> bool:
    """True if `ch` is a Korean Hangul syllable or jamo."""
    return any(low <= ord(ch) <= high for low, high in _HANGUL_RANGES)


def _draws(font: str, ch: str) -> bool:
    """True if the fallback `font` is to draw `ch` (a Hangul font only Hangul)."""
    return (font not in _HANGUL_ONLY or is_hangul(ch)) and has_glyph(font, ch)


def _font_for(ch: str, font: str) -> str:
    """`font` if it draws `ch`, else its first fallback that does (else `font`)."""
    if has_glyph(font, ch) or ch.isspace():
        return font
    return next((f for f in _FALLBACKS.get(font, ()) if _draws(f, ch)), font)


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """`text` as (font, part) runs, each character in a font that has its glyph; an
    accent stays with the letter it sits on."""
    if _glyphs(font).keys() >= set(map(ord, text)):  # most texts: one run, no per-letter look
        return [(font, text)] if text else []
    return _runs_by_letter(text, font)


def _runs_by_letter(text: str, font: str) -> list[tuple[str, str]]:
    """`font_runs`, deciding the font of each character in turn."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        if runs and unicodedata.combining(ch):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
            continue
        use = _font_for(ch, font)
        if runs and runs[-1][0] == use:
            runs[-1] = (use, runs[-1][1] + ch)
        else:
            runs.append((use, ch))
    return runs


def visual(text: str) -> str:
    """`text` as drawn left to right: right-to-left parts shaped (Arabic letters joined)
    and reversed; other text unchanged."""
    if not text or max(text) < FIRST_RTL:  # most texts: no letter to look at one by one
        return text
    if not any(unicodedata.bidirectional(ch) in RTL for ch in text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def text_width(text: str, font: str, size: float) -> float:
    """The width of `text` (logical order) as `draw_text` draws it."""
    return sum(pdfmetrics.stringWidth(part, f, size) for f, part in font_runs(visual(text), font))


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw `text` (logical order) from (x, y) on its baseline, run by run."""
    for f, part in font_runs(visual(text), font):
        canvas.setFont(f, size)
        canvas.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, f, size)


def markup(text: str, font: str) -> str:
    """`text` as reportlab paragraph markup for a paragraph set in `font`: escaped, in
    visual order, with <font> around the runs a fallback font draws."""
    return "".join(
        html.escape(part) if f == font else f'<font face="{f}">{html.escape(part)}</font>'
        for f, part in font_runs(visual(text), font)
    )
