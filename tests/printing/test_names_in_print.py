"""Names from everywhere on badges, letters and hand-off slips: every character drawn in a
font that has its glyph, right-to-left names joined and in order, words inside the card."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.handoff import Handoff
from kiosk.model import BRUSSELS, BadgeCard, Counter, Flow, MediaKind
from printing.badge_pdf import badge_pdf_bytes
from printing.handoff_pdf import handoff_pdf_bytes
from printing.letter_pdf import ConfirmationLetter, letter_pdf_bytes
from printing.sample_photo import portrait

# (surname, given names, organisation)
NAMES = {
    "vietnamese": ("Nguyễn", "Thị Minh Khai", "Tuổi Trẻ"),
    "icelandic": ("Ásgeirsdóttir", "Þórunn", "Ríkisútvarpið"),
    "polish": ("Żółkiewski-Brzęczyszczykiewicz", "Łukasz", "Gazeta Wyborcza"),
    "greek": ("Παπαδόπουλος", "Σωκράτης", "ΕΡΤ"),
    "russian": ("Шостакович", "Дмитрий", "Коммерсантъ"),
    "arabic": ("عبد الله", "محمد", "الجزيرة"),
    "chinese": ("李", "小龙", "新华社"),
    "japanese": ("山田", "花子", "朝日新聞"),
    "korean": ("김", "민준", "연합뉴스"),
    "korean_mixed": ("박", "가은", "KBS 한국방송"),
    "long": ("de La Tour d'Auvergne-Lauraguais", "Jean-Baptiste Marie", "Le Monde"),
    "long_cjk": ("欧阳", "娜娜", "中央广播电视总台国际频道驻布鲁塞尔记者站新闻中心"),
    "obrien": ("O'Brien", "J", "The Irish Times"),
    "mononym": ("Suharto", "", "Kompas"),
    "mrz": ("NGUYEN", "THI MINH KHAI", "VnExpress"),
}


def card(surname: str, given: str, organisation: str) -> BadgeCard:
    return BadgeCard(
        serial="G1-000042",
        flow=Flow.EVENT,
        surname=surname,
        given_names=given,
        organisation=organisation,
        media_kind=MediaKind.WRITTEN,
        valid_from=date(2026, 2, 13),
        valid_until=date(2026, 2, 15),
        photo_jpeg=portrait(1),
        event_name="Defence Ministers' Meeting",
        colour="#c62828",
        counter=Counter.GROUPS,
        badge_code="X" * 180,
    )


def letter(surname: str, given: str) -> ConfirmationLetter:
    return ConfirmationLetter(
        registration="R-2026-0042",
        surname=surname,
        given_names=given,
        flow=Flow.ANNUAL,
        code="Y" * 120,
        event_name=None,
        event_days=None,
        year=2026,
        counter=Counter.VISITORS,
    )


def slip(surname: str, given: str, organisation: str) -> Handoff:
    return Handoff(
        "A0000042",
        f"{surname.upper()}, {given}",
        organisation,
        ("pending", "photo"),
        datetime(2026, 2, 14, 10, 5, tzinfo=BRUSSELS),
        "G1",
        Counter.GROUPS,
        "ann",
    )


_cmaps: dict[str, set[int]] = {}


def cmap(base_font: str) -> set[int]:
    """The characters the installed font behind a PDF's (subset) font name has glyphs for."""
    name = base_font.lstrip("/").split("+")[-1]
    if name not in _cmaps:
        stem = {"DroidSansFallback": "DroidSansFallbackFull"}.get(name, name)
        path = next(Path("/usr/share/fonts/truetype").rglob(f"{stem}.ttf"))
        _cmaps[name] = set(TTFont(name, str(path)).face.charToGlyph)
    return _cmaps[name]


def drawn(pdf: bytes) -> list[tuple[str, str]]:
    """(font, text) of every string the PDF's first page shows, as pypdf extracts it."""
    shown: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            shown.append((str(font["/BaseFont"]), text))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return shown


def missing_glyphs(pdf: bytes) -> list[tuple[str, str]]:
    return [
        (font, ch)
        for font, text in drawn(pdf)
        for ch in text
        if not ch.isspace() and ord(ch) not in cmap(font)
    ]


@pytest.mark.parametrize("who", NAMES)
def test_badge_draws_every_character_with_a_font_that_has_it(who):
    assert missing_glyphs(badge_pdf_bytes(card(*NAMES[who]))) == []


@pytest.mark.parametrize("who", NAMES)
def test_letter_draws_every_character_with_a_font_that_has_it(who):
    surname, given, _ = NAMES[who]
    assert missing_glyphs(letter_pdf_bytes(letter(surname, given))) == []


@pytest.mark.parametrize("who", NAMES)
def test_slip_draws_every_character_with_a_font_that_has_it(who):
    """Slips escaped names only: 李小龙 showed as empty boxes (DejaVu has no CJK glyphs)."""
    assert missing_glyphs(handoff_pdf_bytes(slip(*NAMES[who]))) == []


def fonts_of(pdf: bytes, chars: str) -> set[str]:
    """The (subset-stripped) fonts the PDF draws any of `chars` in."""
    return {font.split("+")[-1] for font, text in drawn(pdf) if set(text) & set(chars)}


DOCUMENTS = {
    "badge": lambda who: badge_pdf_bytes(card(*NAMES[who])),
    "letter": lambda who: letter_pdf_bytes(letter(*NAMES[who][:2])),
    "slip": lambda who: handoff_pdf_bytes(slip(*NAMES[who])),
}


@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_korean_name_is_drawn_in_one_font_and_a_chinese_one_in_another(document):
    """Droid Sans Fallback has 가 but no other Hangul syllable, Nanum Gothic has Hanja:
    each script keeps its own font, so no name is set in two styles."""
    korean, chinese = DOCUMENTS[document]("korean_mixed"), DOCUMENTS[document]("chinese")
    assert fonts_of(korean, "박가은") <= {"NanumGothic", "NanumGothicBold"}
    assert fonts_of(korean, "박가은")
    assert fonts_of(chinese, "李小龙") == {"DroidSansFallback"}


def words(pdf: Path) -> list[tuple[str, float, float]]:
    """(word, x min, x max) in points of every word poppler finds on the first page."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', out)
    return [(w, float(a), float(b)) for a, b, w in found]


@pytest.mark.parametrize("who", ["long", "long_cjk", "polish", "arabic"])
def test_long_names_stay_inside_the_card(who, tmp_path):
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(badge_pdf_bytes(card(*NAMES[who])))
    found = words(pdf)
    assert found
    for word, left, right in found:
        assert 2 * mm - 0.5 <= left and right <= (85.6 - 2) * mm + 0.5, word


def test_arabic_is_drawn_joined_right_to_left(tmp_path):
    """عبد الله: its letters joined (initial ain, the ligature of Allah) and its first word
    on the right of its second."""
    pdf = tmp_path / "badge.pdf"
    pdf.write_bytes(badge_pdf_bytes(card(*NAMES["arabic"])))
    found = {word: left for word, left, _ in words(pdf)}
    abd = next(left for word, left in found.items() if "\ufecb" in word)  # initial ain
    allah = next(left for word, left in found.items() if "\ufdf2" in word)
    assert abd > allah


def test_arabic_on_a_slip_is_drawn_joined_right_to_left(tmp_path):
    """A slip drew محمد عبد الله as separate letters, left to right."""
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(handoff_pdf_bytes(slip(*NAMES["arabic"])))
    found = {word: left for word, left, _ in words(pdf)}
    abd = next(left for word, left in found.items() if "\ufecb" in word)  # initial ain
    allah = next(left for word, left in found.items() if "\ufdf2" in word)
    assert abd > allah


def test_a_mononym_letter_has_no_dangling_comma():
    text = PdfReader(io.BytesIO(letter_pdf_bytes(letter("Suharto", "")))).pages[0].extract_text()
    assert "SUHARTO" in text
    dangling = [line for line in text.splitlines() if line.rstrip().endswith("SUHARTO,")]
    assert [line for line in dangling if not line.startswith(("Dear", "Bonjour"))] == []
