"""Previews of a badge template: a sample badge as PDF, or as PNG for a screen.

The sample holder has a long, accented name and organisation, so a template that only
works for short names shows it at once.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from kiosk.model import BadgeCard, Flow, MediaKind
from printing.badge_pdf import badge_pdf_bytes
from printing.badge_template import BadgeTemplate

SAMPLE_CODE = "BCDFGHJKLNPRSTVX" * 8 + "BCDFGHJKLNPR"  # as long as a signed code


def sample_card(kind: str, photo_jpeg: bytes | None = None) -> BadgeCard:
    """A made-up badge of `kind` (annual, event or pool)."""
    card = BadgeCard(
        serial="G1-000123",
        flow=Flow.ANNUAL if kind == "annual" else Flow.EVENT,
        surname="Żółć-Brzęczyszczykiewicz de la Santísima",
        given_names="Łukasz Jean-Baptiste",
        organisation="Rzeczpospolita — Redakcja Zagraniczna",
        media_kind=MediaKind.PHOTOGRAPHER,
        valid_from=date(2026, 2, 13),
        valid_until=date(2026, 2, 15),
        photo_jpeg=photo_jpeg,
        event_name=None if kind == "annual" else "Meeting of NATO Ministers of Defence",
        colour="#c62828",
        pool=kind == "pool",
        badge_code=SAMPLE_CODE,
    )
    if kind == "annual":
        card = replace(card, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    return card


def preview_pdf(template: BadgeTemplate, card: BadgeCard | None = None) -> bytes:
    """The badge `template` makes of `card` (else a sample of the template's kind)."""
    return badge_pdf_bytes(card or sample_card(template.kind), template)


def preview_png(template: BadgeTemplate, card: BadgeCard | None = None, dpi: int = 200) -> bytes:
    """The preview's front side as a PNG (rendered by poppler's pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "preview.pdf"
        pdf.write_bytes(preview_pdf(template, card))
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1", pdf,
             Path(tmp) / "preview"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return (Path(tmp) / "preview.png").read_bytes()
