"""The confirmation e-mail the accreditation office sends, as an A4 PDF and as HTML.

Both come from the same wording (`_texts`): English first, then French, then the
confirmation code as a QR code and as text. The applicant prints it and brings it to
the counter with the documents they applied with.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.model import Accreditation, Counter, Event, Flow, Person
from kiosk.model import french as in_french
from kiosk.private import write_private
from printing.badge_pdf import QR_QUIET, capitals, draw_qr, qr_modules
from printing.fonts import MONO, SANS, SANS_BOLD, markup, register_fonts

# --- Layout ----------------------------------------------------------------------------

MARGIN = 16 * mm
FRAME_PADDING = 6  # reportlab's default padding inside the page frame, points
QR_SYMBOL = 46 * mm  # the QR symbol without its quiet zone: scannable from a printout
QR_PNG_MODULE = 6  # pixels per module in the HTML e-mail's QR image
CODE_GROUP = 5  # the code is printed in groups of this many characters
ACCENT = HexColor("#1565c0")
INK = HexColor("#1a1a1a")
MUTED = HexColor("#555555")
RULE = HexColor("#c5cae9")

STYLES = {
    "office": ParagraphStyle(
        "office", fontName=SANS_BOLD, fontSize=15, leading=19, textColor=ACCENT
    ),
    "office_fr": ParagraphStyle(
        "office_fr", fontName=SANS, fontSize=11, leading=14, textColor=MUTED
    ),
    "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=12.5, leading=16, textColor=INK),
    "lang": ParagraphStyle("lang", fontName=SANS_BOLD, fontSize=8, leading=10, textColor=MUTED),
    "body": ParagraphStyle("body", fontName=SANS, fontSize=9, leading=12, textColor=INK),
    "label": ParagraphStyle("label", fontName=SANS, fontSize=8, leading=11, textColor=MUTED),
    "value": ParagraphStyle("value", fontName=SANS_BOLD, fontSize=9, leading=11, textColor=INK),
    "code_label": ParagraphStyle("code_label", fontName=SANS_BOLD, fontSize=9.5, leading=13),
    "code": ParagraphStyle("code", fontName=MONO, fontSize=10, leading=14, textColor=INK),
    "hint": ParagraphStyle("hint", fontName=SANS, fontSize=8.5, leading=11, textColor=MUTED),
    "qr_caption": ParagraphStyle(
        "qr_caption", fontName=SANS, fontSize=7.5, leading=9, textColor=MUTED, alignment=TA_CENTER
    ),
}

# --- Wording ---------------------------------------------------------------------------

OFFICE = ("Media Accreditation Office", "Bureau d'accréditation des médias")
TITLE = "Media accreditation confirmed / Accréditation média confirmée"
CODE_LABEL = "Confirmation code / Code de confirmation"
CODE_HINT = (
    "Show this page at the counter: the clerk scans the QR code. "
    "/ Présentez cette page au guichet : l'agent scanne le code QR."
)
# 2024 advisory: passes are collected "at the Main Entrance, NATO Headquarters,
# Boulevard Leopold III 1110 Brussels".
ADDRESS = "Main Entrance, NATO Headquarters, Boulevard Léopold III, 1110 Brussels"
ADDRESS_FR = "Entrée principale, siège de l'OTAN, boulevard Léopold III, 1110 Bruxelles"
COLLECT = {
    Counter.GROUPS: (
        "Groups entrance — designated counter for ministerial badges",
        "Entrée des groupes — guichet désigné pour les badges ministériels",
    ),
    Counter.VISITORS: (
        "Visitors entrance — main pass office",
        "Entrée des visiteurs — bureau principal des laissez-passer",
    ),
}


@dataclass(frozen=True)
class ConfirmationLetter:
    """What the office's confirmation e-mail says to one approved applicant."""

    registration: str
    surname: str
    given_names: str
    flow: Flow
    code: str
    event_name: str | None
    event_days: str | None  # preformatted, e.g. "13–15 February 2026"
    year: int | None
    counter: Counter
    hours_en: str = ""  # when the counter is open (kiosk.hours.collection_hours)
    hours_fr: str = ""
    event_name_fr: str = ""  # the French side's name: event_name when the office gave none

    def __post_init__(self) -> None:
        if self.flow is Flow.ANNUAL and self.year is None:
            raise ValueError("an annual confirmation needs its year")
        if self.flow is Flow.EVENT and not (self.event_name and self.event_days):
            raise ValueError("an event confirmation needs the event's name and days")


def confirmation_letter(
    acc: Accreditation,
    person: Person,
    event: Event | None,
    code: str,
    hours: tuple[str, str] = ("", ""),
) -> ConfirmationLetter:
    """The office's confirmation e-mail for one accreditation, ready to print; `hours`:
    the counter's opening hours in English and French, if on file."""
    days = f"{event.first_day:%d.%m.%Y} – {event.last_day:%d.%m.%Y}" if event else None
    return ConfirmationLetter(
        registration=acc.registration,
        surname=person.surname,
        given_names=person.given_names,
        flow=acc.flow,
        code=code,
        event_name=event.name if event else None,
        event_days=days,
        year=acc.year,
        counter=acc.flow.counter,
        hours_en=hours[0],
        hours_fr=hours[1],
        event_name_fr=event.french_name if event else "",
    )


@dataclass(frozen=True)
class _Texts:
    """The letter's wording in one language; values are plain, unescaped text."""

    lang: str
    heading: str
    greeting: str
    intro: str
    facts: tuple[tuple[str, str], ...]
    bring_heading: str
    bring: tuple[str, ...]
    closing: str


def render_letter(letter: ConfirmationLetter, out: Path) -> Path:
    """Write the confirmation as an A4 PDF at `out`, owner-only whatever was there;
    return `out`. OSError naming `out` if it cannot be written."""
    return write_private(out, letter_pdf_bytes(letter))


def letter_pdf_bytes(letter: ConfirmationLetter) -> bytes:
    """The confirmation as an A4 PDF."""
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Accreditation confirmation {letter.registration}",
        author=OFFICE[0],
    )
    story: list = [
        _para(OFFICE[0], "office"),
        _para(OFFICE[1], "office_fr"),
        HRFlowable(
            width="100%", thickness=1.2, color=ACCENT, spaceBefore=2 * mm, spaceAfter=3 * mm
        ),
        _para(TITLE, "title"),
        Spacer(1, 3 * mm),
    ]
    width = doc.width - 2 * FRAME_PADDING
    for texts in _texts(letter):
        story += [KeepTogether(_section(texts, width)), Spacer(1, 4 * mm)]
    story.append(KeepTogether(_code_block(letter.code, width, where_and_when(letter))))
    doc.build(story)
    return buf.getvalue()


def letter_html(letter: ConfirmationLetter) -> str:
    """The confirmation as an HTML e-mail body, with the same wording as the PDF.

    The QR code is an inline PNG (data URI) drawn with Pillow from reportlab's QR
    encoder: reportlab's own bitmap renderer (renderPM) needs the rlPyCairo backend,
    which the kiosk does not install. Some webmail clients hide data-URI images; the
    code is also given as text.
    """
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">',
        f"<title>{_esc(TITLE)}</title></head>",
        "<body style=\"font-family: 'DejaVu Sans', Arial, sans-serif; color: #1a1a1a; "
        'max-width: 640px; margin: 0 auto; line-height: 1.4;">',
        f'<h1 style="color: #1565c0; font-size: 20px; margin-bottom: 0;">{_esc(OFFICE[0])}</h1>',
        f'<p style="color: #555; margin-top: 2px;">{_esc(OFFICE[1])}</p>',
        f'<h2 style="font-size: 16px; border-top: 2px solid #1565c0; padding-top: 8px;">'
        f"{_esc(TITLE)}</h2>",
    ]
    parts += [_section_html(texts) for texts in _texts(letter)]
    parts += [
        '<div style="border: 1px solid #c5cae9; padding: 12px; margin-top: 16px;">',
        f'<img src="data:image/png;base64,{base64.b64encode(qr_png(letter.code)).decode()}" '
        f'alt="QR code: {_esc(CODE_LABEL)}" width="200" height="200">',
        f"<p><strong>{_esc(CODE_LABEL)}</strong></p>",
        f"<p style=\"font-family: 'DejaVu Sans Mono', monospace; font-size: 15px; "
        f'word-break: break-all;">{_esc(grouped(letter.code))}</p>',
        f'<p style="color: #555; font-size: 13px;">{_esc(CODE_HINT)}</p>',
        *(f"<p>{_esc(line)}</p>" for line in where_and_when(letter)),
        "</div>\n</body>\n</html>\n",
    ]
    return "\n".join(parts)


def grouped(code: str) -> str:
    """`code` in space-separated groups of CODE_GROUP characters, for reading aloud or typing."""
    return " ".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def qr_png(code: str) -> bytes:
    """The QR code of `code` (error correction M, 4-module quiet zone) as a PNG."""
    modules = qr_modules(code)
    side = (len(modules) + 2 * QR_QUIET) * QR_PNG_MODULE
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for row, cells in enumerate(modules):
        for col, dark in enumerate(cells):
            if dark:
                x, y = ((c + QR_QUIET) * QR_PNG_MODULE for c in (col, row))
                draw.rectangle((x, y, x + QR_PNG_MODULE - 1, y + QR_PNG_MODULE - 1), fill=0)
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --- Wording -------------------------------------------------------------------------


def _texts(letter: ConfirmationLetter) -> tuple[_Texts, _Texts]:
    """The letter's wording in English, then in French."""
    surname, given = capitals(letter.surname).strip(), letter.given_names.strip()
    name = " ".join(p for p in (given, surname) if p)  # a mononym has no given names
    filed = ", ".join(p for p in (surname, given) if p)
    collect_en, collect_fr = COLLECT[letter.counter]
    if letter.flow is Flow.ANNUAL:
        what_en = f"Annual accreditation {letter.year}"
        what_fr = f"Accréditation annuelle {letter.year}"
    else:
        what_en = f"{letter.event_name}, {letter.event_days}"
        what_fr = f"{in_french(letter.event_name or '', letter.event_name_fr)}, {letter.event_days}"
    english = _Texts(
        lang="en",
        heading="English",
        greeting=f"Dear {name},",
        intro=(
            "Your media accreditation has been approved. Please print this confirmation "
            "and bring it to collect your badge."
        ),
        facts=(
            ("Name", filed),
            ("Registration number", letter.registration),
            ("Accreditation", what_en),
            ("Where to collect your badge", collect_en),
        ),
        bring_heading="Please bring:",
        bring=(
            "this confirmation, printed, with its QR code;",
            "the same identity document you used to apply;",
            "the same press card, or your editor's letter.",
        ),
        closing=f"Kind regards,\n{OFFICE[0]}",
    )
    french = _Texts(
        lang="fr",
        heading="Français",
        greeting=f"Bonjour {name},",
        intro=(
            "Votre accréditation média a été approuvée. Veuillez imprimer cette confirmation "
            "et l'apporter pour retirer votre badge."
        ),
        facts=(
            ("Nom", filed),
            ("Numéro d'enregistrement", letter.registration),
            ("Accréditation", what_fr),
            ("Lieu de retrait du badge", collect_fr),
        ),
        bring_heading="Veuillez apporter :",
        bring=(
            "cette confirmation imprimée, avec son code QR ;",
            "le même document d'identité que celui utilisé pour votre demande ;",
            "la même carte de presse, ou la lettre de votre rédaction.",
        ),
        closing=f"Cordialement,\n{OFFICE[1]}",
    )
    return english, french


def _esc(text: str) -> str:
    """`text` escaped for HTML and for reportlab's paragraph markup; newlines as <br/>."""
    return html.escape(text).replace("\n", "<br/>")


# --- PDF -----------------------------------------------------------------------------


def _para(text: str, style: str) -> Paragraph:
    """`text` (plain) as a paragraph of `style`: every character in a font that has it,
    right-to-left words in order (`printing.fonts.markup`); newlines as line breaks."""
    font = STYLES[style].fontName
    return Paragraph("<br/>".join(markup(line, font) for line in text.split("\n")), STYLES[style])


def _section(texts: _Texts, width: float) -> list:
    """One language's part of the letter as flowables."""
    facts = Table(
        [[_para(k, "label"), _para(v, "value")] for k, v in texts.facts],
        colWidths=[48 * mm, width - 48 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
            ]
        ),
    )
    bring = ListFlowable(
        [ListItem(_para(item, "body"), leftIndent=12) for item in texts.bring],
        bulletType="bullet",
        start="•",
        leftIndent=12,
        bulletFontName=SANS,
    )
    return [
        _para(texts.heading.upper(), "lang"),
        Spacer(1, 1 * mm),
        _para(texts.greeting, "body"),
        Spacer(1, 1 * mm),
        _para(texts.intro, "body"),
        Spacer(1, 2 * mm),
        facts,
        Spacer(1, 2 * mm),
        _para(texts.bring_heading, "body"),
        bring,
        Spacer(1, 2 * mm),
        _para(texts.closing, "body"),
    ]


def where_and_when(letter: ConfirmationLetter) -> tuple[str, ...]:
    """The collection address and the counter's opening hours, in both languages: they
    sit beside the QR code, where the letter has room on its one page."""
    lines = [f"{ADDRESS} / {ADDRESS_FR}"]
    if letter.hours_en:
        lines.append(f"Opening hours: {letter.hours_en} / Heures d'ouverture : {letter.hours_fr}")
    return tuple(lines)


def _code_block(code: str, width: float, where: tuple[str, ...] = ()) -> list:
    """The QR code beside the code in text (and where and when to come), in a framed box."""
    count = len(qr_modules(code))
    side = QR_SYMBOL * (count + 2 * QR_QUIET) / count
    drawing = _QrFlowable(code, side)
    text = [
        _para(CODE_LABEL, "code_label"),
        Spacer(1, 2 * mm),
        _para(grouped(code), "code"),
        Spacer(1, 3 * mm),
        _para(CODE_HINT, "hint"),
        *(p for line in where for p in (Spacer(1, 2 * mm), _para(line, "hint"))),
    ]
    box = Table(
        [[drawing, text]],
        colWidths=[side + 6 * mm, width - side - 6 * mm],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        ),
    )
    return [box]


class _QrFlowable(Flowable):
    """The QR code of `code`, quiet zone included, as a `side`-wide square flowable."""

    def __init__(self, code: str, side: float) -> None:
        super().__init__()
        self.code, self.width, self.height = code, side, side

    def draw(self) -> None:
        draw_qr(self.canv, self.code, 0, 0, self.width)


# --- HTML ----------------------------------------------------------------------------


def _section_html(texts: _Texts) -> str:
    """One language's part of the letter as HTML."""
    rows = "\n".join(
        f'<tr><td style="color: #555; padding: 3px 12px 3px 0; vertical-align: top;">{_esc(k)}</td>'
        f"<td><strong>{_esc(v)}</strong></td></tr>"
        for k, v in texts.facts
    )
    items = "\n".join(f"<li>{_esc(item)}</li>" for item in texts.bring)
    return (
        f'<div lang="{texts.lang}" style="margin-top: 16px;">\n'
        f'<p style="color: #555; font-size: 11px; font-weight: bold;">'
        f"{_esc(texts.heading.upper())}</p>\n"
        f"<p>{_esc(texts.greeting)}</p>\n<p>{_esc(texts.intro)}</p>\n"
        f'<table style="border-collapse: collapse;">\n{rows}\n</table>\n'
        f"<p>{_esc(texts.bring_heading)}</p>\n<ul>\n{items}\n</ul>\n"
        f"<p>{_esc(texts.closing)}</p>\n</div>"
    )
