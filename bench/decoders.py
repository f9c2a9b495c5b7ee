"""Barcode decoders compared: which codes each finds, and how long a camera frame takes.

Every decoder of `scanning.decoders.all_decoders()` reads the same frames: a confirmation
letter's QR code, a badge's Code128 and an ID card's PDF417, each sharp, blurred, rotated,
perspective-warped, low-contrast and under phone-screen glare, and the three in one frame,
at 1280x720 and 1920x1080. A code counts as found only when its text is right. Times are
medians of repeated runs with the 5th and 95th percentiles, beside a baseline measured in
the same process: converting the frame to grey (the least any decoder does). The camera
pipeline's sustained rate is measured too: the default decoder as the camera runs it
(fallbacks on one codeless frame in fifteen) over a stream of mostly empty frames.

    .venv/bin/python bench/decoders.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import cv2
import numpy as np

from kiosk.codes import Signer, confirmation_code
from kiosk.model import BadgeCard, Counter, Flow, MediaKind
from printing.badge_pdf import badge_pdf_bytes
from printing.letter_pdf import ConfirmationLetter, render_letter
from scanning import specimens as sp
from scanning.camera import CAMERA_FALLBACK_EVERY
from scanning.decoders import Decoder, all_decoders, default_decoder, gray
from scanning.mrz import compose_td1

RESULTS = Path(__file__).parent / "results"


def items() -> dict[str, tuple[np.ndarray, str]]:
    """The three codes a counter meets, as a camera sees them, with their true text."""
    code = confirmation_code(Signer.generate(1), 4242)
    letter = ConfirmationLetter(
        registration="A0004242",
        surname="Lefèvre",
        given_names="Camille",
        flow=Flow.EVENT,
        code=code,
        event_name="Meeting of NATO Ministers of Defence",
        event_days="13.02.2026 – 15.02.2026",
        year=None,
        counter=Counter.GROUPS,
    )
    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_letter(letter, Path(tmp) / "letter.pdf").read_bytes()
    card = BadgeCard(
        serial="G1-000042",
        flow=Flow.EVENT,
        surname="Lefèvre",
        given_names="Camille",
        organisation="Le Quotidien",
        media_kind=MediaKind.TV,
        valid_from=date(2026, 2, 13),
        valid_until=date(2026, 2, 15),
        event_name="Meeting of NATO Ministers of Defence",
    )
    mrz = compose_td1(
        "ID",
        "BEL",
        "Janssens",
        "Pieter",
        "592847163",
        "BEL",
        date(1979, 9, 3),
        "M",
        date(2031, 5, 1),
    )
    pdf417 = mrz.replace("\n", "")
    return {
        "QR": (sp.letter_item(pdf), code),
        "CODE128": (sp.badge_item(badge_pdf_bytes(card)), card.serial),
        "PDF417": (sp.barcode_image(pdf417, "PDF417"), pdf417),
    }


def frames(size: tuple[int, int]) -> list[tuple[str, str, np.ndarray, set[str]]]:
    """(condition, format, frame, true texts) for every condition and format."""
    codes = items()
    out = []
    for condition, make in sp.CONDITIONS.items():
        if condition == "several codes":
            images = [codes[f][0] for f in ("QR", "PDF417", "CODE128")]
            texts = {codes[f][1] for f in codes}
            out.append((condition, "all three", make(images, size, 7), texts))
            continue
        for fmt, (image, text) in codes.items():
            out.append((condition, fmt, make([image], size, 7), {text}))
    return out


def _ms(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return {"median_ms": statistics.median(ms), "p5_ms": pick(0.05), "p95_ms": pick(0.95)}


def compare(size: tuple[int, int], repeat: int) -> dict:
    """Found/correct and time per decoder, condition and format at one frame size."""
    rows = []
    cases = frames(size)
    for decoder in all_decoders():
        for condition, fmt, frame, texts in cases:
            found = decoder.decode(frame)
            right = {s.text for s in found} & texts
            wrong = [s.text for s in found if s.text not in texts]
            timed = _summary(_ms(lambda d=decoder, f=frame: d.decode(f), repeat))
            rows.append(
                {
                    "decoder": decoder.name,
                    "condition": condition,
                    "format": fmt,
                    "found": len(right),
                    "expected": len(texts),
                    "wrong": len(wrong),
                    **timed,
                }
            )
    baseline = _summary(_ms(lambda: gray(cv2.cvtColor(cases[0][2], cv2.COLOR_GRAY2BGR)), 50))
    return {"size": list(size), "baseline_gray_conversion": baseline, "rows": rows}


def camera_rate(size: tuple[int, int], seconds: float = 4.0) -> dict:
    """Frames per second the camera's decoder sustains over a stream where one frame in
    ten shows a code: what decides whether it keeps up with a 30 fps camera."""
    empty = [sp.noise(sp.desk(size, seed), 3, seed) for seed in range(9)]
    qr, _ = items()["QR"]
    stream = [*empty, sp.CONDITIONS["sharp"]([qr], size, 1)]
    decoder: Decoder = default_decoder(fallback_every=CAMERA_FALLBACK_EVERY)
    per_frame, n, start = [], 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        decoder.decode(stream[n % len(stream)])
        per_frame.append((time.perf_counter() - t) * 1000)
        n += 1
    elapsed = time.perf_counter() - start
    return {"size": list(size), "frames": n, "fps": n / elapsed, **_summary(per_frame)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    result = {
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "opencv": cv2.__version__,
        "sizes": [compare(size, args.repeat) for size in (sp.FRAME_720P, sp.FRAME_1080P)],
        "camera": [camera_rate(size) for size in (sp.FRAME_720P, sp.FRAME_1080P)],
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "decoders.json"
    out.write_text(json.dumps(result, indent=1))
    for block in result["sizes"]:
        print(
            f"\n{block['size'][0]}x{block['size'][1]}  (baseline grey conversion "
            f"{block['baseline_gray_conversion']['median_ms']:.2f} ms)"
        )
        for row in block["rows"]:
            mark = f"{row['found']}/{row['expected']}" + (
                f" WRONG {row['wrong']}" if row["wrong"] else ""
            )
            print(
                f"  {row['decoder']:<58} {row['condition']:<14} {row['format']:<9} {mark:<8}"
                f" {row['median_ms']:7.1f} ms  [{row['p5_ms']:.1f}-{row['p95_ms']:.1f}]"
            )
    for cam in result["camera"]:
        print(
            f"camera pipeline {cam['size'][0]}x{cam['size'][1]}: {cam['fps']:.0f} fps, "
            f"median {cam['median_ms']:.1f} ms, p95 {cam['p95_ms']:.1f} ms"
        )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
