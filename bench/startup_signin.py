"""Start-up as the counter staff see it: from `kiosk run` to the sign-in screen painted.

Spawns `kiosk run --data-dir DIR` (app.cli.main) exactly as the `kiosk` command runs it;
the child only adds a watch for the first paint of the sign-in screen (it prints READY
then and quits). The parent times spawn to READY. Baseline in the same run: a fresh
interpreter showing a bare Qt window. The store is a demo world (`kiosk demo`), built
once under /tmp/kiosk-bench/demo.

    .venv/bin/python bench/startup_signin.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DAY, SCALE_ROOT, summary, write_result

# The child: `kiosk --data-dir DIR run`, plus a watch for the sign-in screen's first paint.
CHILD = r"""
import sys
from app.cli import main  # first, as `kiosk` does: the watch must not import Qt earlier
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and type(obj).__name__ == "SignInScreen":
            QTimer.singleShot(0, self.done)  # after the paint itself
            QApplication.instance().removeEventFilter(self)
        return False
    def done(self):
        print("READY", flush=True)
        QApplication.instance().quit()

watch = FirstPaint()
exec_ = QApplication.exec
def exec_watched(self):
    self.installEventFilter(watch)
    return exec_()
QApplication.exec = exec_watched
sys.argv = ["kiosk", "run", "--data-dir", sys.argv[1]]
sys.exit(main())
"""
BARE = r"""
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
w = QLabel("bare"); w.show()
QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
app.exec()
"""


def demo_store() -> Path:
    """The demo world the benchmark starts on (built once)."""
    data_dir = SCALE_ROOT / "demo"
    if not (data_dir / "kiosk.sqlite3").exists():
        from app.demo.build import build

        build(data_dir, today=BENCH_DAY)
    return data_dir


ROOT = Path(__file__).resolve().parent.parent


def spawn(code: str, *args: str, root: Path = ROOT) -> float:
    """Milliseconds from spawning `code` (importing the kiosk from `root`) to READY."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=root
    )
    assert proc.stdout is not None
    ready = None
    for line in proc.stdout:
        if line.strip() == "READY" and ready is None:
            ready = (time.perf_counter() - t) * 1000
    proc.wait(timeout=120)
    if ready is None:
        raise SystemExit(f"the child never painted the sign-in screen (exit {proc.returncode})")
    return ready


def main() -> None:
    """Time `kiosk run` to sign-in painted against the bare-window baseline."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument(
        "--compare", type=Path, metavar="TREE", help="also time another checkout (e.g. main)"
    )
    args = ap.parse_args()
    data_dir = demo_store()
    trees = {"sign_in_painted": ROOT} | ({"compared_tree": args.compare} if args.compare else {})
    spawn(BARE)
    for tree in trees.values():
        spawn(CHILD, str(data_dir), root=tree)  # warm the file cache
    times: dict[str, list[float]] = {name: [] for name in (*trees, "bare_qt_window")}
    for _ in range(args.runs):  # interleaved, so load beside the run hits all alike
        times["bare_qt_window"].append(spawn(BARE))
        for name, tree in trees.items():
            times[name].append(spawn(CHILD, str(data_dir), root=tree))
    result = {name: summary(ms) for name, ms in times.items()}
    if args.compare:
        result["compared_tree"]["tree"] = str(args.compare)
    ratio = result["sign_in_painted"]["median_ms"] / result["bare_qt_window"]["median_ms"]
    result["ratio"] = ratio
    for name in times:
        r = result[name]
        print(f"{name}: median {r['median_ms']:.0f} ms, p5 {r['p5_ms']:.0f}, p95 {r['p95_ms']:.0f}")
    print(f"ratio {ratio:.1f}x; wrote {write_result('startup_signin', result)}")


if __name__ == "__main__":
    main()
