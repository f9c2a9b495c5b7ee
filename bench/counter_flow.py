"""The whole counter flow: scan to verdict, issue (one transaction), badge PDF written.

Beside a baseline in the same process: reportlab writing an empty CR80 page with the
same embedded font. Runs on a scratch copy of the 10,000-accreditation bench store.

    .venv/bin/python bench/counter_flow.py [--badges 60]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_NOW, codes_for, scaled_store, summary, timed, write_result
from scale import _readings

from app.wiring import open_kiosk
from kiosk.model import Counter, Verdict
from kiosk.roles import Actor, Role

CLERK = Actor("bench", Role.CLERK)


def _empty_card(out: Path) -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from printing.fonts import SANS, register_fonts

    register_fonts()
    c = Canvas(str(out), pagesize=(85.6 * mm, 53.98 * mm))
    c.setFont(SANS, 10)
    c.drawString(10, 10, "BASELINE")
    c.save()


def main() -> None:
    """Issue `--badges` badges end to end and print medians."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--badges", type=int, default=60)
    args = ap.parse_args()
    source, signer = scaled_store(10_000)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        shutil.copy(source / "kiosk.sqlite3", data_dir / "kiosk.sqlite3")
        if (source / "keys").exists():  # the document key, for the ID number check
            shutil.copytree(source / "keys", data_dir / "keys")
        kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: BENCH_NOW)
        scans = []
        readings = _readings(10_000, list(range(1, 10_000)))
        for acc_id in range(1, 10_000):
            code = codes_for(signer, [acc_id])[0]
            reading = readings[acc_id]
            if kiosk.desk.evaluate(code, reading).verdict is Verdict.ISSUE:
                scans.append((code, reading))
            if len(scans) == args.badges:
                break

        def flow(code, reading):
            kiosk.desk.evaluate(code, reading)
            done = kiosk.desk.issue(code, reading, CLERK)
            kiosk.printing.print_issued(done.badge.serial, CLERK)

        _empty_card(data_dir / "warm.pdf")
        baseline = timed(_empty_card, [(data_dir / f"b{i}.pdf",) for i in range(args.badges)])
        whole = timed(flow, scans)
        kiosk.close()
    result = {"counter_flow": summary(whole), "baseline_empty_card_pdf": summary(baseline)}
    result["ratio"] = (
        result["counter_flow"]["median_ms"] / result["baseline_empty_card_pdf"]["median_ms"]
    )
    write_result("counter_flow", result)
    f, b = result["counter_flow"], result["baseline_empty_card_pdf"]
    print(f"scan -> issue -> badge PDF  median {f['median_ms']:.1f} ms  p95 {f['p95_ms']:.1f} ms")
    print(
        f"baseline empty CR80 PDF     median {b['median_ms']:.1f} ms  ratio {result['ratio']:.1f}x"
    )


if __name__ == "__main__":
    main()
