"""MRZ from a camera picture: the glyph reader beside Tesseract, on the same pictures.

The pictures are `scanning.mrz_testset`'s: TD1 cards and TD3 passports with random data,
rendered in OCR-B and photographed (1280x720) flat, rotated, in perspective, blurred, under
glare, in low light, noisy, as JPEG, small, and all of it mildly at once. Three readers:

- glyphs: `scanning.mrz_glyphs.read_mrz_glyphs`, what the counter camera and `kiosk mrz
  --image` use;
- tesseract + glyphs: `scanning.mrz_image.read_mrz_image`, the reader used before (Tesseract
  with a glyph comparison of each cell, up to three views of the band);
- tesseract alone: the band found and levelled the same way, one Tesseract run (English
  model, MRZ characters only), its lines given to `scanning.mrz.parse`.

A read is correct when it gives the document's data, wrong when it gives other data (the
check digits let it through), refused otherwise. Times are wall-clock medians and 95th
percentiles per picture; the glyph reader's CPU time is given too (the machine is shared).
The glyph reader is warmed up first (templates drawn, look-alike discriminants trained, as
the counter camera does when it starts); the warm-up is timed on its own.

    .venv/bin/python bench/mrz_read.py [--per-condition 12] [--skip-tesseract]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import summary, write_result

from scanning.decoders import gray
from scanning.mrz import MrzError, MrzResult, parse
from scanning.mrz_glyphs import read_mrz_glyphs, warm_up
from scanning.mrz_image import MRZ_CHARS, MrzImageError, locate, read_mrz_image
from scanning.mrz_testset import CONDITIONS, EPOCH, specimen_set


def glyphs(image: np.ndarray, today: date) -> MrzResult:
    return read_mrz_glyphs(image, today).result


def tesseract_and_glyphs(image: np.ndarray, today: date) -> MrzResult:
    return read_mrz_image(image, today).result


def tesseract_alone(image: np.ndarray, today: date) -> MrzResult:
    """One Tesseract run over the levelled band; its MRZ-long lines parsed as they are."""
    g = gray(image)
    bands = locate(g)
    if not bands:
        raise MrzImageError("no band")
    (cx, cy), (w, h) = bands[0].centre, bands[0].size
    m = cv2.getRotationMatrix2D((cx, cy), bands[0].angle, 1.0)
    m[:, 2] += (w * 0.55 - cx, h * 0.85 - cy)
    band = cv2.warpAffine(g, m, (int(w * 1.1), int(h * 1.7)), borderMode=cv2.BORDER_REPLICATE)
    band = cv2.resize(band, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    _, png = cv2.imencode(".png", band)
    options = ["-c", f"tessedit_char_whitelist={MRZ_CHARS}"]
    run = subprocess.run(
        ["tesseract", "stdin", "stdout", "--psm", "6", "-l", "eng", *options],
        input=png.tobytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    lines = [line.replace(" ", "") for line in run.stdout.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if len(line) >= 28]
    try:
        return parse("\n".join(lines[-3:] if len(lines) >= 3 else lines), today)
    except MrzError as err:
        raise MrzImageError(str(err)) from err


READERS: dict[str, Callable[[np.ndarray, date], MrzResult]] = {
    "glyphs": glyphs,
    "tesseract + glyphs": tesseract_and_glyphs,
    "tesseract alone": tesseract_alone,
}


def run(per_condition: int, readers: list[str]) -> dict:
    """Every reader over every picture; counts and times per reader and condition."""
    tally = {
        r: {c: {"correct": 0, "wrong": 0, "refused": 0, "ms": []} for c in CONDITIONS}
        for r in readers
    }
    cpu_ms = []
    for spec in specimen_set(per_condition):
        truth = parse(spec.mrz, EPOCH).to_id_reading()
        for name in readers:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                got = READERS[name](spec.image, EPOCH).to_id_reading()
                outcome = "correct" if got == truth else "wrong"
            except MrzImageError:
                outcome = "refused"
            row = tally[name][spec.condition]
            row["ms"].append((time.perf_counter() - start) * 1000)
            if name == "glyphs":
                cpu_ms.append((time.process_time() - cpu) * 1000)
            row[outcome] += 1
            if outcome == "wrong":
                print(f"WRONG {name}: {spec.condition} seed {spec.seed}")
    return {"tally": tally, "glyphs_cpu_ms": cpu_ms}


def report(found: dict, per_condition: int) -> dict:
    """Per reader: totals, and per condition counts and times."""
    out = {"pictures": per_condition * len(CONDITIONS), "readers": {}}
    for name, conditions in found["tally"].items():
        every = [ms for row in conditions.values() for ms in row["ms"]]
        total = {k: sum(row[k] for row in conditions.values()) for k in ("correct", "wrong")}
        out["readers"][name] = {
            **total,
            "refused": out["pictures"] - total["correct"] - total["wrong"],
            **summary(every),
            "conditions": {
                c: {k: v for k, v in row.items() if k != "ms"} | summary(row["ms"])
                for c, row in conditions.items()
            },
        }
        print(
            f"{name:<20} correct {total['correct']}/{out['pictures']}  wrong {total['wrong']}"
            f"  median {statistics.median(every):7.0f} ms"
        )
    if found["glyphs_cpu_ms"]:
        out["glyphs_cpu"] = summary(found["glyphs_cpu_ms"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-condition", type=int, default=12)
    parser.add_argument("--skip-tesseract", action="store_true")
    args = parser.parse_args()
    readers = ["glyphs"] if args.skip_tesseract else list(READERS)
    start = time.perf_counter()
    warm_up()
    warm_ms = (time.perf_counter() - start) * 1000
    print(f"glyph reader warm-up (templates, look-alike discriminants): {warm_ms:.0f} ms")
    result = report(run(args.per_condition, readers), args.per_condition)
    result["glyphs_warm_up_ms"] = warm_ms
    for name, r in result["readers"].items():
        print(f"\n{name}")
        for c, row in r["conditions"].items():
            print(
                f"  {c:<12} {row['correct']:>3} {row['wrong']:>2} {row['refused']:>3}"
                f"  {row['median_ms']:7.0f} ms (p95 {row['p95_ms']:.0f})"
            )
    print(f"wrote {write_result('mrz_read', result)}")


if __name__ == "__main__":
    main()
