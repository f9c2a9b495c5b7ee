"""The hand-off slip's PDF: one A6 page with the registration, the holder and each reason
in both languages (read back with poppler's pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime

import pytest

from kiosk.handoff import Handoff
from kiosk.model import BRUSSELS, Counter
from printing.handoff_pdf import write_handoff

SLIP = Handoff(
    "A0000003",
    "KOWALSKI, Tomasz",
    "Meeting of NATO Ministers of Defence",
    ("pending", "photo"),
    datetime(2026, 2, 14, 10, 5, tzinfo=BRUSSELS),
    "G1",
    Counter.GROUPS,
    "ann",
)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_slip_names_the_registration_and_every_reason(tmp_path):
    pdf = write_handoff(SLIP, tmp_path / "handoffs")
    assert pdf.name == "A0000003.pdf" and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("\f") == 1  # one page
    words = " ".join(text.split())
    assert "A0000003" in words and "KOWALSKI, Tomasz" in words
    for en, fr in zip(SLIP.reasons_en, SLIP.reasons_fr, strict=True):
        assert " ".join(en.split()[:6]) in words and " ".join(fr.split()[:5]) in words
    assert "14.02.2026 10:05" in words and "kiosk G1" in words
