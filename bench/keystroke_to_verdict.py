"""Keystroke to verdict: from the Return key that ends a scan to the verdict painted on the
real counter screen, on a store of 100,000 accreditations.

Each scan types a confirmation code into the screen's scan field, then the clock starts
and the Return key event is sent (QTest, through the application's event dispatch): the
screen decides and renders (the decision's journal entry is written on a worker
meanwhile), and the event loop runs until the verdict banner has finished its paint
event. Between scans Esc clears the screen (painted, not timed), as a
clerk does between applicants. Beside it, in the same process and measured the same
way: a bare QLabel given a new text and painted (what any Qt screen pays for a repaint),
the whole counter screen repainted with nothing decided (what this screen costs to paint),
and `CounterDesk.evaluate` alone (the decision without the screen). Offscreen platform,
the kiosk's theme (ui/theme.py).

    .venv/bin/python bench/keystroke_to_verdict.py [--accreditations 100000] [--scans 300]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_NOW, codes_for, scaled_store, summary, timed, write_result
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.theme import apply_theme

WARM_UP = 20


class PaintClock(QObject):
    """Paints a watched widget itself on its Paint event and notes when that paint ended."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget, self.ended = widget, 0.0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            watched.event(event)  # the widget's own paint, then the time
            self.ended = time.perf_counter()
            return True
        return False

    def wait(self, app: QApplication, since: float, limit: float = 10.0) -> float:
        """Run the event loop until a paint ends after `since`; milliseconds since then."""
        while self.ended <= since:
            app.processEvents()
            if time.perf_counter() - since > limit:
                raise RuntimeError("the widget was not painted")
        return (self.ended - since) * 1000


def measure(app: QApplication, data_dir: Path, codes: list[str]) -> tuple[dict, int]:
    """Per code, interleaved so that load on the machine weighs on all alike: the scan
    (Return to verdict painted), the same screen repainted, a bare QLabel repainted, and
    `evaluate` alone. Milliseconds by figure, and how many different verdicts were seen."""
    from ui.counter_window import CounterScreen
    from ui.presenter import CounterPresenter

    kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: BENCH_NOW)
    screen = CounterScreen(CounterPresenter(kiosk, Actor("bench", Role.CLERK)))
    screen.resize(1366, 768)
    screen.show()
    screen.p.background.wait()  # the start-up look for unfinished prints
    label = QLabel("SCAN THE CONFIRMATION CODE")
    label.setStyleSheet("font-size: 24px; font-weight: bold; padding: 10px;")
    label.resize(1346, 64)
    label.show()
    app.processEvents()
    banner, bare = PaintClock(screen.banner), PaintClock(label)
    ms: dict[str, list[float]] = {"scan": [], "screen": [], "label": [], "evaluate": []}
    verdicts = set()
    try:
        for i, code in enumerate(codes):
            since, shown = time.perf_counter(), screen.banner.text()
            QTest.keyClick(screen.scan_field, Qt.Key.Key_Escape)  # the next applicant
            if screen.banner.text() != shown:
                banner.wait(app, since)
            screen.scan_field.setText(code)  # the scanner typed it…
            since = time.perf_counter()
            QTest.keyClick(screen.scan_field, Qt.Key.Key_Return)  # …and ends with Return
            ms["scan"].append(banner.wait(app, since))
            verdicts.add(screen.banner.text())
            screen.p.journalled()  # the journal entry, written meanwhile
            since = time.perf_counter()
            screen.update()  # the same verdict painted again, nothing decided
            ms["screen"].append(banner.wait(app, since))
            since = time.perf_counter()
            label.setText(f"VERDICT {i}")
            ms["label"].append(bare.wait(app, since))
            ms["evaluate"] += timed(kiosk.desk.evaluate, [(code,)])
    finally:
        screen.close()
        label.close()
        kiosk.close()
    return ms, len(verdicts)


def main() -> None:
    """Measure and write bench/results/keystroke_to_verdict.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accreditations", type=int, default=100_000)
    ap.add_argument("--scans", type=int, default=300)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    apply_theme(app)  # the kiosk's font and stylesheet, as a counter runs it
    data_dir, signer = scaled_store(args.accreditations)
    ids = random.Random(7).sample(range(1, args.accreditations + 1), WARM_UP + args.scans)
    codes = codes_for(signer, ids)
    ms, verdicts = measure(app, data_dir, codes)
    result = {
        "accreditations": args.accreditations,
        "scans": args.scans,
        "verdicts_seen": verdicts,
        "keystroke_to_verdict_painted": summary(ms["scan"][WARM_UP:]),
        "baseline_qlabel_settext_painted": summary(ms["label"][WARM_UP:]),
        "baseline_screen_repainted": summary(ms["screen"][WARM_UP:]),
        "evaluate_alone": summary(ms["evaluate"][WARM_UP:]),
    }
    out = write_result("keystroke_to_verdict", result)
    for name in (
        "keystroke_to_verdict_painted",
        "baseline_qlabel_settext_painted",
        "baseline_screen_repainted",
        "evaluate_alone",
    ):
        s = result[name]
        print(f"{name:34} median {s['median_ms']:7.2f} ms  p95 {s['p95_ms']:7.2f} ms")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
