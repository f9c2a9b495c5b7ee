"""Barcode decoders compared: which codes each finds, and how long a camera frame takes.

Every decoder of `scanning.decoders.all_decoders()` reads the same frames: a confirmation
letter's QR code, a badge's Code128 and an ID card's PDF417, each sharp, blurred, rotated,
perspective-warped, low-contrast and under phone-screen glare, and the three in one frame,
at 1280x720 and 1920x1080. A code counts as found only when its text is right. Times are
medians of repeated runs with the 5th and 95th percentiles, beside a baseline measured in
the same process: converting the frame to grey (the least any decoder does).

The camera pipeline, before and after `scanning.frame_decoder`, in the same run: time per
1080p frame over a stream of mostly empty frames, and which of the frames above each reads
when the frame is held in view for a second (30 frames), beside the default decoder on
one frame with every fallback.

    .venv/bin/python bench/decoders.py [--repeat 7] [--camera-only]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
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
from scanning.decoders import QR, Decoder, all_decoders, default_decoder, gray
from scanning.frame_decoder import FrameDecoder
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


HELD_FRAMES = 30  # a code held up for a second at 30 fps


def cameras() -> dict[str, Callable[[], Decoder]]:
    """The camera's decoder before (default, fallbacks one codeless frame in fifteen) and
    after (`FrameDecoder`, all counter formats expected, or QR only), each made fresh."""
    return {
        "before: default, fallbacks 1 in 15": lambda: default_decoder(CAMERA_FALLBACK_EVERY),
        "after: frame decoder": FrameDecoder,
        "after: frame decoder, QR expected": lambda: FrameDecoder([QR]),
    }


def camera_rates(size: tuple[int, int], seconds: float = 12.0) -> dict[str, dict]:
    """Time per frame of each camera decoder over a stream where one frame in ten shows a
    code, the decoders taking turns frame by frame (so a change of load hits all alike):
    what decides whether the camera keeps up with 30 fps."""
    empty = [sp.noise(sp.desk(size, seed), 3, seed) for seed in range(9)]
    qr, _ = items()["QR"]
    stream = [*empty, sp.CONDITIONS["sharp"]([qr], size, 1)]
    decoders = {name: make() for name, make in cameras().items()}
    per_frame: dict[str, list[float]] = {name: [] for name in decoders}
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for name, decoder in decoders.items():
            t = time.perf_counter()
            decoder.decode(stream[n % len(stream)])
            per_frame[name].append((time.perf_counter() - t) * 1000)
        n += 1
    return {
        name: {
            "size": list(size),
            "frames": len(ms),
            "fps": 1000 / statistics.fmean(ms),
            "mean_ms": statistics.fmean(ms),
            **_summary(ms),
        }
        for name, ms in per_frame.items()
    }


def held(make: Callable[[], Decoder], frame: np.ndarray, texts: set[str]) -> dict:
    """A fresh camera decoder given the same frame up to HELD_FRAMES times: the codes read
    right, and at which frame the last of them was."""
    decoder, right, at = make(), set(), None
    for n in range(1, HELD_FRAMES + 1):
        new = {s.text for s in decoder.decode(frame)} & texts - right
        if new:
            right |= new
            at = n
        if right == texts:
            break
    return {"found": len(right), "expected": len(texts), "at_frame": at}


def camera_reads(size: tuple[int, int]) -> list[dict]:
    """For every frame of the comparison: read by the default on one frame, and by each
    camera decoder within a second of the frame held in view."""
    rows = []
    single = default_decoder()
    for condition, fmt, frame, texts in frames(size):
        row = {
            "condition": condition,
            "format": fmt,
            "default one frame": len({s.text for s in single.decode(frame)} & texts),
            "expected": len(texts),
        }
        row.update({name: held(make, frame, texts) for name, make in cameras().items()})
        rows.append(row)
    return rows


def camera(size: tuple[int, int]) -> dict:
    """Rates and reads of the camera decoders, before and after, at one frame size."""
    return {
        "size": list(size),
        "rates": camera_rates(size),
        "reads": camera_reads(size),
    }


def print_camera(cam: dict) -> None:
    """The camera's figures, before and after."""
    w, h = cam["size"]
    for name, r in cam["rates"].items():
        print(
            f"camera {w}x{h} {name:<36} {r['fps']:4.0f} fps, median {r['median_ms']:5.1f} ms,"
            f" p95 {r['p95_ms']:5.1f} ms, mean {r['mean_ms']:5.1f} ms"
        )
    names = list(cam["rates"])
    totals = {n: 0 for n in ["default one frame", *names]}
    for row in cam["reads"]:
        totals["default one frame"] += row["default one frame"]
        cells = []
        for n in names:
            totals[n] += row[n]["found"]
            cells.append(f"{row[n]['found']}/{row['expected']}@{row[n]['at_frame']}")
        print(f"  {row['condition']:<14} {row['format']:<9}", *cells)
    print("  codes read:", ", ".join(f"{n} {t}" for n, t in totals.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--camera-only", action="store_true", help="the camera pipeline only")
    args = parser.parse_args()
    sizes = [] if args.camera_only else [sp.FRAME_720P, sp.FRAME_1080P]
    result = {
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "opencv": cv2.__version__,
        "sizes": [compare(size, args.repeat) for size in sizes],
        "camera": [camera(sp.FRAME_1080P)],
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("decoders_camera.json" if args.camera_only else "decoders.json")
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
        print_camera(cam)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
