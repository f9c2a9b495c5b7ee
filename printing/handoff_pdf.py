"""The hand-off slip (kiosk/handoff.py) as an A6 PDF: the registration number in large
type, who and for what, what the accreditation office must fix (English, then French),
and where and when the counter handed it off. The applicant takes it to the office."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from kiosk.handoff import Handoff
from kiosk.model import BRUSSELS
from kiosk.private import write_private
from printing.fonts import SANS, SANS_BOLD, markup, register_fonts

MARGIN = 7 * mm
ACCENT, INK, MUTED = HexColor("#e65100"), HexColor("#1a1a1a"), HexColor("#555555")
STYLES = {
    "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=10, leading=12, textColor=ACCENT),
    "title_fr": ParagraphStyle("title_fr", fontName=SANS, fontSize=8, leading=10, textColor=MUTED),
    "reg": ParagraphStyle("reg", fontName=SANS_BOLD, fontSize=20, leading=24, textColor=INK),
    "body": ParagraphStyle("body", fontName=SANS, fontSize=8, leading=10, textColor=INK),
    "fr": ParagraphStyle("fr", fontName=SANS, fontSize=7, leading=9, textColor=MUTED),
    "foot": ParagraphStyle("foot", fontName=SANS, fontSize=6.5, leading=8, textColor=MUTED),
}


def _para(text: str, style: str) -> Paragraph:
    """`text` as a paragraph: escaped, each character in a font that has it, right-to-left
    names joined and in order (printing/fonts.py, as on badges and letters)."""
    return Paragraph(markup(text, STYLES[style].fontName), STYLES[style])


def handoff_pdf_bytes(slip: Handoff) -> bytes:
    """The slip as an A6 PDF."""
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A6,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Hand-off {slip.registration}",
    )
    at = slip.at.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M")
    story: list = [
        Paragraph("Hand-off to the accreditation office", STYLES["title"]),
        Paragraph("Transmission au bureau des accréditations", STYLES["title_fr"]),
        HRFlowable(width="100%", thickness=1, color=ACCENT, spaceBefore=2 * mm, spaceAfter=2 * mm),
        _para(slip.registration, "reg"),
        _para(slip.name, "body"),
        _para(slip.what, "body"),
        Spacer(1, 3 * mm),
    ]
    for en, fr in zip(slip.reasons_en, slip.reasons_fr, strict=True):
        story += [_para(f"• {en}", "body"), _para(fr, "fr")]
        story.append(Spacer(1, 1.5 * mm))
    story.append(
        _para(
            f"Counter {slip.counter.value}, kiosk {slip.kiosk_id}, {slip.clerk}, {at}. "
            "Bring this slip and your documents back once the office has answered. / "
            "Rapporter cette fiche et vos documents après la réponse du bureau.",
            "foot",
        )
    )
    doc.build(story)
    return buf.getvalue()


def write_handoff(slip: Handoff, folder: Path) -> Path:
    """Write the slip's PDF into `folder` as A0000123.pdf (the latest slip of that
    registration: the purge deletes it with the applicant's data) and return it."""
    return write_private(folder / f"{slip.registration}.pdf", handoff_pdf_bytes(slip))
