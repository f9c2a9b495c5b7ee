"""Start-up of the counter screen and memory of the running kiosk.

Spawns a fresh interpreter that opens a 100,000-accreditation store, builds the counter
screen and reports when its first frame is painted; the parent times spawn-to-ready.
Baseline in the same run: a fresh interpreter showing a bare Qt window. The child also
reports its resident memory when ready and after 300 scans.

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import scaled_store, summary, write_result

CHILD = r"""
import resource, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
if sys.argv[1] == "bare":
    w = QLabel("bare"); w.show()
    QTimer.singleShot(0, lambda: (print("READY", rss(), flush=True), app.quit()))
else:
    sys.path.insert(0, sys.argv[3])
    from app.window import build_window
    from kiosk.model import Counter
    from common import BENCH_NOW, codes_for
    from kiosk.codes import Signer
    w = build_window(Path(sys.argv[1]), Counter.GROUPS, clerk="bench", clock=lambda: BENCH_NOW)
    w.resize(1366, 768); w.show()
    def ready():
        print("READY", rss(), flush=True)
        signer = Signer.from_private_bytes(1, Path(sys.argv[2]).read_bytes())
        for code in codes_for(signer, range(1, 301)):
            w.p.scan(code)
        print("AFTER_SCANS", rss(), flush=True)
        app.quit()
    QTimer.singleShot(0, ready)
app.exec()
"""


def _spawn(args: list[str]) -> tuple[float, dict[str, int]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    ready_ms, marks = 0.0, {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word, value = line.split()
        if word == "READY":
            ready_ms = (time.perf_counter() - t) * 1000
        marks[word] = int(value)
    proc.wait(timeout=120)
    return ready_ms, marks


def main() -> None:
    """Time start-up against the bare-window baseline; report memory."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    data_dir, _ = scaled_store(100_000)
    bench_dir = str(Path(__file__).resolve().parent)
    kiosk_args = [str(data_dir), str(data_dir / "office.key"), bench_dir]
    _spawn(["bare"])  # warm the file cache for both
    _spawn(kiosk_args)
    bare = [_spawn(["bare"])[0] for _ in range(args.runs)]
    runs = [_spawn(kiosk_args) for _ in range(args.runs)]
    kiosk = [ms for ms, _ in runs]
    marks = runs[-1][1]
    result = {
        "counter_screen_ready": summary(kiosk),
        "baseline_bare_qt_window": summary(bare),
        "rss_mb_ready": marks["READY"],
        "rss_mb_after_300_scans": marks["AFTER_SCANS"],
        "accreditations": 100_000,
    }
    result["ratio"] = (
        result["counter_screen_ready"]["median_ms"] / result["baseline_bare_qt_window"]["median_ms"]
    )
    write_result("startup", result)
    print(f"counter screen ready   median {result['counter_screen_ready']['median_ms']:.0f} ms")
    print(
        f"bare Qt window ready   median {result['baseline_bare_qt_window']['median_ms']:.0f} ms"
        f"  ratio {result['ratio']:.1f}x"
    )
    print(f"memory: {marks['READY']} MB ready, {marks['AFTER_SCANS']} MB after 300 scans")


if __name__ == "__main__":
    main()
