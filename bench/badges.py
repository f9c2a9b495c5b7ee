"""Badge rendering and batch pre-printing, against a desktop card printer's own speed.

Measured in one process, each with its baseline:

- one badge PDF (each kind, a different 140-letter code in its QR every time) beside raw
  reportlab: an empty CR80 page with the same embedded font and one line of text;
- the QR code drawn as reportlab's widget (thousands of little rectangles, as the badge
  and the letter did before) beside one path of merged dark runs per row (as now);
- a confirmation letter (A4 with a 46 mm QR code);
- a batch pre-printing run end to end (store, rules, PDF, folder printer, journal) on a
  demo world, in badges per second, beside 150-250 cards an hour for a card printer.

    .venv/bin/python bench/badges.py [--samples 200] [--people 300]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.wiring import open_kiosk
from kiosk.codes import ALPHABET
from kiosk.model import BRUSSELS, Counter, Flow
from kiosk.roles import Actor, Role
from printing.badge_pdf import QR_QUIET, badge_pdf_bytes, draw_qr, qr_modules
from printing.badge_template import KINDS
from printing.fonts import SANS, register_fonts
from printing.letter_pdf import ConfirmationLetter, letter_pdf_bytes
from printing.preview import sample_card

CARD = (85.60 * mm, 53.98 * mm)
CARDS_PER_HOUR = (150, 250)  # a desktop card printer, single-sided colour
RESULTS = Path(__file__).resolve().parent / "results"


def _summary(ms: list[float]) -> dict:
    q = statistics.quantiles(ms, n=20)
    return {"median_ms": statistics.median(ms), "p5_ms": q[0], "p95_ms": q[-1], "n": len(ms)}


def _time(fn, args_list: list) -> list[float]:
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _codes(n: int, seed: int = 1) -> list[str]:
    """Distinct codes as long as a signed code (140 letters), so no QR is cached."""
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(140)) for _ in range(n)]


def empty_card() -> bytes:
    """Raw reportlab: a CR80 page, the same embedded font, one line."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=CARD)
    canvas.setFont(SANS, 10)
    canvas.drawString(10, 10, "G1-000123")
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def qr_page(code: str, side: float, widget=None) -> bytes:
    """A page with only the QR code: reportlab's widget (built beforehand, so that both
    sides time the drawing alone), or one path of merged runs."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(side + 20, side + 20))
    if widget is None:
        draw_qr(canvas, code, 10, 10, side)
    else:
        drawing = Drawing(side, side)
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, 10, 10)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def measure_rendering(samples: int) -> dict:
    register_fonts()
    codes = _codes(samples * 6)
    for _ in range(5):  # warm fonts and imports on both sides
        empty_card()
        badge_pdf_bytes(sample_card("event"))
    result = {"baseline_empty_cr80": _summary(_time(empty_card, [()] * samples))}
    for i, kind in enumerate(KINDS):
        cards = [
            (replace(sample_card(kind), badge_code=c),) for c in codes[i * samples :][:samples]
        ]
        result[f"badge_{kind}"] = _summary(_time(badge_pdf_bytes, cards))
    no_qr = replace(sample_card("event"), badge_code=None)
    result["badge_event_without_qr"] = _summary(_time(badge_pdf_bytes, [(no_qr,)] * samples))
    n = max(20, min(50, samples // 4))  # fewer than the 64 codes qr_modules keeps cached
    qr_codes = codes[3 * samples :][:n]
    for c in qr_codes:
        qr_modules(c)  # encode beforehand: time the drawing alone
    side = 46 * mm
    widgets = [(c, side, qr_widget(c, side)) for c in qr_codes]
    result["qr_draw_widget"] = _summary(_time(qr_page, widgets))
    result["qr_draw_merged_runs"] = _summary(_time(qr_page, [(c, side) for c in qr_codes]))
    result["qr_encode"] = _summary(
        _time(lambda c: qr_modules.__wrapped__(c), [(c,) for c in qr_codes])
    )
    result["qr_encode_reportlab"] = _summary(
        _time(lambda c: qr_widget(c, 1), [(c,) for c in qr_codes])
    )
    letters = [
        (ConfirmationLetter("A0000001", "Lefèvre", "Camille", Flow.EVENT, c, "Meeting of NATO "
         "Ministers of Defence", "13–15 February 2026", None, Counter.GROUPS),)
        for c in codes[4 * samples : 4 * samples + n]
    ]  # fmt: skip
    result["letter"] = _summary(_time(letter_pdf_bytes, letters))
    return result


def qr_widget(code: str, side: float) -> QrCodeWidget:
    """reportlab's own QR widget (its pure-Python encoder and one shape per module): the
    way badges drew QR codes before, kept here as the comparison."""
    widget = QrCodeWidget(code, barLevel="M", barBorder=QR_QUIET, barWidth=side, barHeight=side)
    widget.qr.make()
    return widget


def measure_batch(people: int) -> dict:
    """Pre-print every badge of the demo world's ministerial meeting to the folder printer."""
    from app.demo.build import build

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        today = date(2026, 2, 13)  # the day before the meeting
        build(data_dir, people=people, today=today, progress=lambda _m: None)
        now = datetime(2026, 2, 13, 18, tzinfo=BRUSSELS)
        kiosk = open_kiosk(data_dir, Counter.GROUPS, "B1", clock=lambda: now)
        try:
            t = time.perf_counter()
            report = kiosk.printing.preprint_event("DEFMIN", actor=Actor("bench", Role.SUPERVISOR))
            seconds = time.perf_counter() - t
        finally:
            kiosk.close()
    printed = len(report.printed)
    per_second = printed / seconds
    return {
        "badges": printed,
        "failed": len(report.failed),
        "seconds": seconds,
        "badges_per_second": per_second,
        "badges_per_hour": per_second * 3600,
        "card_printer_cards_per_hour": list(CARDS_PER_HOUR),
        "times_faster_than_the_fastest_card_printer": per_second * 3600 / CARDS_PER_HOUR[1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--people", type=int, default=300)
    args = parser.parse_args()
    result = {
        "python": sys.version.split()[0],
        "rendering": measure_rendering(args.samples),
        "batch": measure_batch(args.people),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "badges.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    for name, s in result["rendering"].items():
        spread = f"p5 {s['p5_ms']:.2f}, p95 {s['p95_ms']:.2f}"
        print(f"{name:<26} median {s['median_ms']:7.2f} ms  ({spread})")
    b = result["batch"]
    print(
        f"batch: {b['badges']} badges in {b['seconds']:.1f} s = {b['badges_per_second']:.1f}/s "
        f"({b['badges_per_hour']:.0f}/h, {b['times_faster_than_the_fastest_card_printer']:.0f}x "
        f"a card printer's {CARDS_PER_HOUR[1]}/h)"
    )
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
