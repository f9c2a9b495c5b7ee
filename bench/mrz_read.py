"""MRZ reading: parsing typed text, and reading a photographed document with the camera.

Renders specimen documents (the demo's passports and ID cards, OCR-B MRZ) into 1280x720
camera frames under several conditions and runs `scanning.mrz_image.read_mrz_image` on each:
a read is correct when it gives the document's data, wrong when it gives other data (the
check digits let it through), refused when no reading passed. Times are medians with the 5th
and 95th percentiles; the baseline in the same process is `scanning.mrz.parse` of the same
MRZ as text (what a USB document reader costs), and the band search (`locate`) alone.

    .venv/bin/python bench/mrz_read.py [--documents 24]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from app.demo.build import build
from scanning import specimens as sp
from scanning.mrz import parse
from scanning.mrz_image import MrzImageError, locate, read_mrz_image

RESULTS = Path(__file__).parent / "results"


def _put(doc, seed, fill=0.85, **where):
    return sp.place(sp.desk(seed=seed), doc, sp.Placement(0.5, 0.5, sp.fitting(doc, fill), **where))


CONDITIONS = {
    "sharp": lambda d, s: _put(d, s),
    "rotated 8°": lambda d, s: _put(d, s, angle=8),
    "rotated -15°": lambda d, s: _put(d, s, 0.7, angle=-15),
    "tilted (perspective)": lambda d, s: _put(d, s, angle=5, tilt=0.15),
    "blur σ=1.2 px": lambda d, s: sp.blur(_put(d, s, angle=3), 1.2),
    "blur σ=2 px": lambda d, s: sp.blur(_put(d, s, angle=3), 2.0),
    "noise σ=12": lambda d, s: sp.noise(_put(d, s, angle=-4), 12, s),
}


def _summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return {"median_ms": statistics.median(ms), "p5_ms": pick(0.05), "p95_ms": pick(0.95)}


def specimens(count: int) -> list[str]:
    """MRZs of the demo world's documents, passports and ID cards alike."""
    with tempfile.TemporaryDirectory() as tmp:
        manifest = build(Path(tmp), people=max(count, 30), today=date(2026, 2, 14))
        applicants = json.loads(Path(manifest).read_text())["applicants"]
    return [a["mrz"] for a in applicants][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=24)
    args = parser.parse_args()
    mrzs = specimens(args.documents)
    parse_ms = []
    for mrz in mrzs * 20:
        start = time.perf_counter()
        parse(mrz)
        parse_ms.append((time.perf_counter() - start) * 1000)
    rows = []
    locate_ms = []
    for name, make in CONDITIONS.items():
        correct = wrong = refused = 0
        times = []
        for seed, mrz in enumerate(mrzs):
            frame = make(sp.id_document(mrz), seed)
            start = time.perf_counter()
            locate(frame)
            locate_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            try:
                read = read_mrz_image(frame)
            except MrzImageError:
                refused += 1
            else:
                if read.result.to_id_reading() == parse(mrz).to_id_reading():
                    correct += 1
                else:
                    wrong += 1
            times.append((time.perf_counter() - start) * 1000)
        rows.append(
            {
                "condition": name,
                "documents": len(mrzs),
                "correct": correct,
                "wrong": wrong,
                "refused": refused,
                **_summary(times),
            }
        )
        print(
            f"{name:<22} correct {correct:>2}/{len(mrzs)}  wrong {wrong}  refused {refused:>2}"
            f"  median {statistics.median(times):7.0f} ms"
        )
    result = {
        "baseline_parse_text": _summary(parse_ms),
        "locate_band": _summary(locate_ms),
        "camera_read": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "mrz_read.json"
    out.write_text(json.dumps(result, indent=1))
    print(
        f"parse (text) median {result['baseline_parse_text']['median_ms']:.3f} ms; "
        f"band search median {result['locate_band']['median_ms']:.1f} ms; wrote {out}"
    )


if __name__ == "__main__":
    main()
