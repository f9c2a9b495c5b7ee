"""Confirmation letters: A4, both languages, the right counter, a QR code that scans."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from dataclasses import replace

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode
from reportlab.lib.pagesizes import A4

from kiosk.model import Counter, Flow
from printing.letter_pdf import (
    ConfirmationLetter,
    grouped,
    letter_html,
    letter_pdf_bytes,
    qr_png,
    render_letter,
)

CODE = "BCBDFGHJKLNPRSTVXZ" * 7 + "BCDFGHJKLMNPQR"  # 140 uppercase consonants
DPI = 300

EVENT = ConfirmationLetter(
    registration="A0000123",
    surname="Żółć-Brzęczyszczykiewicz",
    given_names="Łukasz <b>&amp;",
    flow=Flow.EVENT,
    code=CODE,
    event_name="Meeting of NATO Defence Ministers",
    event_days="13–15 February 2026",
    year=None,
    counter=Counter.GROUPS,
)
ANNUAL = ConfirmationLetter(
    registration="A0000124",
    surname="Иванова",
    given_names="Анна",
    flow=Flow.ANNUAL,
    code=CODE[::-1],
    event_name=None,
    event_days=None,
    year=2026,
    counter=Counter.VISITORS,
)


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("letter", [EVENT, ANNUAL], ids=["event", "annual"])
def test_letter_is_one_a4_page(letter):
    reader, _ = pdf_text(letter_pdf_bytes(letter))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4[0], abs=0.5)
    assert float(box.height) == pytest.approx(A4[1], abs=0.5)


def test_event_letter_says_what_where_and_what_to_bring():
    _, text = pdf_text(letter_pdf_bytes(EVENT))
    text = flat(text)
    for expected in [
        "Media Accreditation Office",
        "Bureau d'accréditation des médias",
        "ŻÓŁĆ-BRZĘCZYSZCZYKIEWICZ, Łukasz <b>&amp;",
        "A0000123",
        "Meeting of NATO Defence Ministers, 13–15 February 2026",
        "Groups entrance — designated counter for ministerial badges",
        "Entrée des groupes — guichet désigné pour les badges ministériels",
        "the same identity document you used to apply",
        "the same press card, or your editor's letter",
        "le même document d'identité",
        "la même carte de presse, ou la lettre de votre rédaction",
    ]:
        assert expected in text
    assert text.index("Please bring") < text.index("Veuillez apporter")
    assert CODE in text.replace(" ", "")


def test_annual_letter_names_the_year_and_the_main_pass_office():
    _, text = pdf_text(letter_pdf_bytes(ANNUAL))
    text = flat(text)
    assert "Annual accreditation 2026" in text
    assert "Accréditation annuelle 2026" in text
    assert "Visitors entrance — main pass office" in text
    assert "ИВАНОВА, Анна" in text
    assert "Groups entrance" not in text


@pytest.mark.parametrize("letter", [EVENT, ANNUAL], ids=["event", "annual"])
@pytest.mark.slow
def test_letter_qr_code_scans_and_is_at_least_45_mm(letter, tmp_path):
    pdf = render_letter(letter, tmp_path / "letter.pdf")
    assert pdf == tmp_path / "letter.pdf"
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", "-singlefile", pdf, tmp_path / "p"], check=True
    )
    (symbol,) = decode(Image.open(tmp_path / "p.png"))
    assert symbol.type == "QRCODE"
    assert symbol.data.decode() == letter.code
    assert symbol.rect.width / DPI * 25.4 >= 45


def test_html_has_the_same_content_with_user_data_escaped():
    body = letter_html(EVENT)
    assert "Łukasz &lt;b&gt;&amp;amp;" in body
    assert "<b>&amp;" not in body
    for expected in [
        "A0000123",
        "Meeting of NATO Defence Ministers, 13–15 February 2026",
        "Groups entrance — designated counter for ministerial badges",
        "Entrée des groupes — guichet désigné pour les badges ministériels",
        grouped(CODE),
    ]:
        assert expected in body
    assert body.index('lang="en"') < body.index('lang="fr"')


def test_html_qr_image_scans():
    match = re.search(r'src="data:image/png;base64,([^"]+)"', letter_html(ANNUAL))
    assert match
    (symbol,) = decode(Image.open(io.BytesIO(base64.b64decode(match.group(1)))))
    assert symbol.data.decode() == ANNUAL.code


def test_qr_png_has_a_quiet_zone():
    image = Image.open(io.BytesIO(qr_png(CODE))).convert("L")
    width, height = image.size
    border = [image.getpixel((x, y)) for x in range(width) for y in (0, 10, height - 1)]
    assert min(border) == 255


def test_code_is_grouped_without_losing_characters():
    assert grouped("ABCDEFGHIJKL") == "ABCDE FGHIJ KL"
    assert grouped(CODE).replace(" ", "") == CODE


def test_letter_needs_what_its_flow_needs():
    with pytest.raises(ValueError, match="year"):
        ConfirmationLetter("A1", "X", "Y", Flow.ANNUAL, CODE, None, None, None, Counter.VISITORS)
    with pytest.raises(ValueError, match="event"):
        ConfirmationLetter("A1", "X", "Y", Flow.EVENT, CODE, None, None, None, Counter.GROUPS)


def test_letter_prints_the_collection_address_and_the_counters_hours(demo_master, manifest):
    """The hours come from the demo store's counter hours (kiosk.hours.collection_hours)."""
    from kiosk.hours import collection_hours
    from kiosk.store.database import Store
    from kiosk.store.records import load_case
    from printing.letter_pdf import confirmation_letter

    store = Store.in_dir(demo_master)
    try:
        with store.reading() as s:
            case = load_case(s, 1)  # approved for DEFMIN, valid with UDCG
            hours = collection_hours(s, Counter.GROUPS, case.event)
            annual = collection_hours(s, Counter.VISITORS, None)
    finally:
        store.close()
    assert hours == ("13.02.2026 – 15.02.2026 07:30–18:00",) * 2
    assert annual == ("mon–sun 08:00–17:00", "lun.–dim. 08:00–17:00")
    letter = confirmation_letter(case.accreditation, case.person, case.event, CODE, hours)
    reader, text = pdf_text(letter_pdf_bytes(letter))
    text = flat(text)
    assert len(reader.pages) == 1  # beside the QR code: the letter keeps to one page
    assert "Main Entrance, NATO Headquarters, Boulevard Léopold III, 1110 Brussels" in text
    assert "Entrée principale, siège de l'OTAN, boulevard Léopold III, 1110 Bruxelles" in text
    assert "Opening hours: 13.02.2026 – 15.02.2026 07:30–18:00 / Heures d'ouverture" in text
    assert "Opening hours: 13.02.2026" in letter_html(letter)
    assert "Opening hours" not in flat(pdf_text(letter_pdf_bytes(EVENT))[1])  # none on file


def test_the_french_side_names_the_event_in_french_when_the_office_gave_it():
    french = replace(EVENT, event_name_fr="Réunion des ministres de la Défense")
    text = flat(subprocess.run(
        ["pdftotext", "-", "-"], input=letter_pdf_bytes(french), capture_output=True, check=True
    ).stdout.decode())  # fmt: skip
    english_at, french_at = text.index("Dear "), text.index("Bonjour ")
    assert "Meeting of NATO Defence Ministers, 13–15 February 2026" in text[:french_at]
    assert "Réunion des ministres de la Défense, 13–15 February 2026" in text[french_at:]
    assert "Meeting of NATO" not in text[french_at:] and english_at < french_at
    _, plain = pdf_text(letter_pdf_bytes(EVENT))  # none given: the English on both sides
    assert flat(plain).count("Meeting of NATO Defence Ministers, 13–15 February 2026") == 2
