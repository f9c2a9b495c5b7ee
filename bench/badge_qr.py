"""How often the badge's QR code decodes from a picture of the card: by render
resolution, blur and QR size, with the project's own decoder (`scanning.decoders`).

Each badge is a real signed badge code (a different claim each time) on the shipped
event template, with the QR box of each size tried. The PDF is rendered by poppler at
150, 200 and 300 dpi (a guard's phone or webcam at arm's length sees the card at
roughly 150-200 dpi), then made photograph-like: a Gaussian blur of the given width in
millimetres on the card, sensor noise (sigma 6 grey levels) and JPEG at quality 75.
A decode counts when the decoder finds a QR code whose text is the badge code.

    .venv/bin/python bench/badge_qr.py [--badges 20] [--sizes 10.5,14,20,22.45]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import cv2
import numpy as np

from kiosk.codes import BadgeClaim, Signer, badge_code
from kiosk.model import Counter, Flow
from printing.badge_pdf import badge_pdf_bytes, layout_badge
from printing.badge_template import Rect, default_template
from printing.preview import sample_card
from scanning.decoders import default_decoder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_result

DPIS = (150, 200, 300)
BLUR_MM = (0.0, 0.1, 0.2, 0.3)  # Gaussian sigma on the card, in millimetres
NOISE = 6.0  # sensor noise, grey levels
JPEG_QUALITY = 75


def badge_codes(n: int, seed: int = 14) -> list[str]:
    """`n` genuine badge codes for different claims, signed with one kiosk key."""
    rng = random.Random(seed)
    signer = Signer.generate(3)
    out = []
    for _ in range(n):
        start = date(2026, 2, 13) + timedelta(days=rng.randrange(300))
        claim = BadgeClaim(
            rng.randrange(1, 10**6),
            rng.choice(("G1", "G12", "V3")),
            rng.randrange(1, 10**5),
            start,
            start + timedelta(days=rng.randrange(1, 4)),
            Flow.EVENT,
            Counter.GROUPS,
            rng.choice(("DEFMIN", "UDCG", "NAC-SPECIAL")),
        )
        out.append(badge_code(signer, claim))
    return out


def template_with_qr(side_mm: float):
    """The shipped event template with a square QR box of `side_mm`, bottom-right
    corner where the shipped one has it."""
    t = default_template("event")
    assert t.qr is not None
    right, bottom = t.qr.x + t.qr.w, t.qr.y + t.qr.h
    return replace(t, qr=Rect(right - side_mm, bottom - side_mm, side_mm, side_mm))


def render(pdf: bytes, dpi: int, tmp: Path) -> np.ndarray:
    """The first page of `pdf` as a grey image at `dpi`."""
    src = tmp / "badge.pdf"
    src.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-png", "-r", str(dpi), "-singlefile", "-f", "1", "-l", "1",
         src, tmp / "page"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cv2.imread(str(tmp / "page.png"), cv2.IMREAD_GRAYSCALE)


def photographed(image: np.ndarray, dpi: int, blur_mm: float, rng: np.random.Generator):
    """`image` as a camera would give it: blurred, noisy, JPEG-compressed."""
    out = image.astype(np.float32)
    if blur_mm:
        out = cv2.GaussianBlur(out, (0, 0), blur_mm * dpi / 25.4)
    out += rng.normal(0, NOISE, out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    _, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)


def measure(sizes: list[float], n: int) -> dict:
    decoder = default_decoder()
    codes = badge_codes(n)
    rng = np.random.default_rng(14)
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for side in sizes:
            template = template_with_qr(side)
            printed = sorted(
                round(layout_badge(replace(sample_card("event"), badge_code=c), template).qr.w
                      / 72 * 25.4, 2)
                for c in codes
            )  # fmt: skip
            for dpi in DPIS:
                pages = [
                    render(badge_pdf_bytes(replace(sample_card("event"), badge_code=c), template),
                           dpi, tmp)
                    for c in codes
                ]  # fmt: skip
                for blur in BLUR_MM:
                    read = 0
                    for code, page in zip(codes, pages, strict=True):
                        image = photographed(page, dpi, blur, rng)
                        read += any(s.text == code for s in decoder.decode(image))
                    rows.append(
                        {
                            "qr_box_mm": side,
                            "qr_printed_mm": [printed[0], printed[-1]],
                            "dpi": dpi,
                            "blur_mm": blur,
                            "decoded": read,
                            "of": n,
                        }
                    )
                    print(
                        f"QR {side:>4} mm (printed {printed[0]}-{printed[-1]} mm), {dpi} dpi, "
                        f"blur {blur} mm: {read}/{n}",
                        flush=True,
                    )
    return {"noise": NOISE, "jpeg_quality": JPEG_QUALITY, "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--badges", type=int, default=20, help="badges per condition")
    ap.add_argument("--sizes", default="10.5,14,20,22.45", help="QR box sides to try, in mm")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"wrote {write_result('badge_qr', measure(sizes, args.badges))}")


if __name__ == "__main__":
    main()
