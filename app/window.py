"""`kiosk run` and `kiosk security`: open the data directory, read the kiosk's settings,
and show the shell's sign-in screen."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.wiring import chip_reader, open_kiosk
from kiosk.model import Counter
from kiosk.private import private_umask
from kiosk.roles import Actor, Role
from kiosk.services import enrolled_kiosk_id
from kiosk.store.warmup import start_warm_up
from ui.language import Language, language
from ui.purge_notice import purge_notice
from ui.scanner_input import ScannerInput
from ui.settings import SettingsInvalid, load_settings
from ui.shell import Shell
from ui.theme import apply_theme

log = logging.getLogger(__name__)


def open_shell(
    data_dir: Path,
    *,
    counter: Counter | None = None,
    camera: str | None = None,
    kiosk_mode: bool = False,
    roles: Collection[Role] = tuple(Role),
    event_id: str | None = None,
    idle_ms: int | None = None,
    **kw,
) -> Shell:
    """The kiosk's window on `data_dir`, at the sign-in screen in the settings' language.

    `counter` and `camera` override the saved settings (the command line's --counter and
    --camera); keyword arguments go to `open_kiosk`. The store, the camera and sync stop
    when the window is destroyed. SettingsInvalid if settings.json cannot be used.
    """
    settings = load_settings(data_dir)
    language().set(Language(settings.language))
    notices: list[QWidget] = []
    kiosk = open_kiosk(
        data_dir,
        counter or settings.counter,
        purging=lambda: notices.append(purge_notice()),
        **kw,
    )
    for notice in notices:
        notice.close()
    start_warm_up(kiosk.store.path)  # the first scans need not wait for the disk
    worker = _camera(camera or settings.camera)
    relay = _start_sync(kiosk)
    shell = Shell(
        kiosk,
        settings,
        roles=roles,
        camera=worker,
        sync=relay,
        event_id=event_id,
        kiosk_mode=kiosk_mode,
        idle_ms=idle_ms,
        chip_reader=chip_reader(data_dir, kiosk.store),
    )

    stopped: list[bool] = []

    def stop() -> None:
        if stopped:
            return
        stopped.append(True)
        if relay is not None:
            relay.stop()
        if worker is not None:
            worker.stop()
        kiosk.close()

    shell.destroyed.connect(stop)
    QApplication.instance().aboutToQuit.connect(stop)
    if worker is not None:
        worker.start()
    return shell


def _camera(source: str | None):
    """The camera worker for `source`, or None without one. OpenCV and NumPy are
    imported only then: they cost the sign-in screen most of a second otherwise."""
    if not source:
        return None
    from ui.camera_view import CameraWorker

    return CameraWorker(source)


def _start_sync(kiosk):
    """The sync relay when this kiosk is enrolled with a hub (ui/sync_status.py), else None
    (without importing the HTTP client: a store no hub feeds starts faster)."""
    if enrolled_kiosk_id(kiosk.store) is None:
        return None
    try:
        from ui.sync_status import start_sync
    except ImportError as err:
        log.error("sync status is not available on screen: %s", err)
        return None
    return start_sync(kiosk)


def build_window(
    data_dir: Path,
    counter: Counter,
    clerk: str = "clerk",
    camera: str | None = None,
    **kw,
) -> QWidget:
    """A counter screen on `data_dir` for a clerk named `clerk`, without the shell and its
    sign-in (for tests and benchmarks of the counter screen alone), with USB scanners
    recognised application-wide and the camera `camera` if given; keyword arguments go
    to `open_kiosk`."""
    from ui.counter_window import CounterScreen
    from ui.presenter import CounterPresenter

    kiosk = open_kiosk(data_dir, counter, **kw)
    presenter = CounterPresenter(
        kiosk, Actor(clerk, Role.CLERK), chip_reader(data_dir, kiosk.store)
    )
    worker = _camera(camera)
    window = CounterScreen(presenter, worker)
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


def run(
    data_dir: Path,
    counter: Counter | None = None,
    camera: str | None = None,
    *,
    kiosk_mode: bool = False,
    roles: Collection[Role] = tuple(Role),
    event_id: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> int:
    """Start the kiosk's window and run until it is closed (or, in kiosk mode, until the
    administrator quits); on `clock` if given (a demo world's: app/demo/clock.py)."""
    private_umask()  # the store, keys and badge PDFs are owner-only (kiosk/private.py)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    try:
        shell = open_shell(
            data_dir,
            counter=counter,
            camera=camera,
            kiosk_mode=kiosk_mode,
            roles=roles,
            event_id=event_id,
            **({"clock": clock} if clock else {}),
        )
    except SettingsInvalid as err:
        raise SystemExit(f"kiosk: {err.message_en}") from err
    # Fill the counter's screen (1366x768 or larger), with or without a window manager.
    screen = app.primaryScreen()
    if kiosk_mode:
        shell.setGeometry(screen.geometry())
        shell.showFullScreen()
    else:
        shell.setGeometry(screen.availableGeometry())
        shell.show()
    # Once the event loop runs, the window is up: a line for the operator's log (and the
    # tests' readiness signal).
    QTimer.singleShot(0, lambda: log.info("the window is open on %s", data_dir))
    return app.exec()


def run_security(
    data_dir: Path, event_id: str | None = None, clock: Callable[[], datetime] | None = None
) -> int:
    """Open a security post on `data_dir`: security staff sign in and scan worn badges
    (admitting to `event_id`, else to the headquarters)."""
    return run(data_dir, roles={Role.SECURITY}, event_id=event_id, clock=clock)
