"""Embedded TrueType fonts with Latin-accented, Greek and Cyrillic glyphs (DejaVu).

The PDF standard fonts (Helvetica, Courier) only cover Latin-1, so every renderer
registers these and embeds them: names such as "Żółć", "Παπαδόπουλος" or "Иванова"
then print correctly.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEBIAN_PACKAGE = "fonts-dejavu-core"

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"

_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
}


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


def font_path(filename: str) -> Path:
    """The installed path of a DejaVu font file, or `FontMissingError`."""
    path = FONT_DIR / filename
    if not path.is_file():
        raise FontMissingError(
            f"font file {path} not found: install the Debian package {DEBIAN_PACKAGE} "
            f"(sudo apt-get install {DEBIAN_PACKAGE})"
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
