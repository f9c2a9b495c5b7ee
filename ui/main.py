"""`kiosk run`: open the data directory (building the demo world if it is empty) and show
the counter screen."""

from __future__ import annotations

import getpass
import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.app import has_store, open_kiosk
from kiosk.model import Counter
from ui.camera_view import CameraWorker
from ui.counter_window import CounterWindow
from ui.presenter import CounterPresenter
from ui.scanner_input import ScannerInput


def build_window(
    data_dir: Path,
    counter: Counter,
    clerk: str | None = None,
    camera: str | None = None,
    **kw,
) -> CounterWindow:
    """The counter screen on `data_dir`, with USB scanners recognised application-wide and
    the camera `camera` (a device index, video file or image folder) if given; keyword
    arguments go to `open_kiosk`."""
    kiosk = open_kiosk(data_dir, counter, **kw)
    presenter = CounterPresenter(kiosk, clerk or getpass.getuser())
    worker = CameraWorker(camera) if camera else None
    window = CounterWindow(presenter, worker)
    scanners = ScannerInput(parent=window)
    scanners.scanned.connect(presenter.scan)
    app = QApplication.instance()
    app.installEventFilter(scanners)
    window.destroyed.connect(kiosk.close)
    if worker:
        app.aboutToQuit.connect(worker.stop)
        window.destroyed.connect(worker.stop)
        worker.start()
    return window


def run(data_dir: Path, counter: Counter, camera: str | None = None) -> int:
    """Start the counter screen and run until it is closed."""
    if not has_store(data_dir):
        from kiosk.demo.build import build

        print(f"kiosk: {data_dir} is empty, building the demo world there…", flush=True)
        build(data_dir, progress=lambda m: print(m, flush=True))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window(data_dir, counter, camera=camera)
    # Fill the counter's screen (1366x768 or larger), with or without a window manager.
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    return app.exec()
