"""`kiosk run`: open the data directory (building the demo world if it is empty) and show
the counter screen."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.app import has_store, open_kiosk
from kiosk.model import Counter
from ui.counter_window import CounterWindow
from ui.presenter import CounterPresenter


def build_window(data_dir: Path, counter: Counter, clerk: str | None = None, **kw) -> CounterWindow:
    """The counter screen on `data_dir`; keyword arguments go to `open_kiosk`."""
    kiosk = open_kiosk(data_dir, counter, **kw)
    presenter = CounterPresenter(kiosk, clerk or getpass.getuser())
    window = CounterWindow(presenter)
    window.destroyed.connect(kiosk.close)
    return window


def run(data_dir: Path, counter: Counter) -> int:
    """Start the counter screen and run until it is closed."""
    if not has_store(data_dir):
        from kiosk.demo.build import build

        print(f"kiosk: {data_dir} is empty, building the demo world there…", flush=True)
        build(data_dir, progress=lambda m: print(m, flush=True))
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window(data_dir, counter)
    window.resize(1280, 800)
    window.show()
    return app.exec()
