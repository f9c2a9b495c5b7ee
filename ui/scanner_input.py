"""USB keyboard-wedge scanners, recognised wherever the keyboard focus is.

An application-wide event filter watches every key press on its way to a window (the scan
field, another widget, a dialog) and feeds it to `scanning.wedge.WedgeDetector`. A scanner's
burst never reaches the focused widget: its text goes out through `scanned`. Keys a person
types are held back for a few tens of milliseconds at most, then delivered unchanged to the
window they were typed into, so the clerk's typing passes through untouched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from shiboken6 import isValid

from scanning.wedge import Step, Timing, WedgeDetector

log = logging.getLogger(__name__)

# What a scanner types after its text: Enter, or Tab when it is set up so (a common
# choice for scanners that fill forms). A person's Enter or Tab passes through.
_SUFFIX = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
_MODIFIERS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}


@dataclass(frozen=True)
class _Key:
    """Enough of a key press to deliver it again later."""

    window: QWindow
    key: int
    modifiers: Qt.KeyboardModifier
    text: str

    def event(self) -> QKeyEvent:
        return QKeyEvent(QEvent.Type.KeyPress, self.key, self.modifiers, self.text)


class ScannerInput(QObject):
    """Install with `QApplication.installEventFilter`; connect `scanned` to the presenter."""

    scanned = Signal(str)
    _replaying = False  # class-wide: a key one filter gives back, no filter takes again

    def __init__(
        self,
        timing: Timing | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.detector: WedgeDetector[_Key] = WedgeDetector(timing)
        self.clock = clock
        self._seen_at = self._event_at = clock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Take key presses sent to windows; let everything else through."""
        if (
            self._replaying
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(watched, QWindow)
        ):
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key in _MODIFIERS:
            return False  # Shift comes with a scanner's capitals: neither sign nor key
        now = self._event_time(event)
        if key in _SUFFIX and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            step = self.detector.enter(now)
        elif event.text() and event.text().isprintable():
            typed = _Key(watched, key, event.modifiers(), event.text())
            step = self.detector.press(typed, event.text(), now, event.isAutoRepeat())
        else:
            step = self.detector.other()
        return self._apply(step)

    def _event_time(self, event: QKeyEvent) -> float:
        """When the key was pressed, in seconds: the platform's timestamp (the X server's
        for real keys), so keys queued while the screen was busy keep their true spacing."""
        self._seen_at = self.clock()
        self._event_at = event.timestamp() / 1000 if event.timestamp() else self._seen_at
        return self._event_at

    def _now(self) -> float:
        """The present on the keys' clock: the last key's time plus what has passed since."""
        return self._event_at + self.clock() - self._seen_at

    def _apply(self, step: Step[_Key]) -> bool:
        self._deliver(step.release)
        if step.burst is not None:
            log.info("scanner burst of %d characters", len(step.burst))
            self.scanned.emit(step.burst)
        deadline = self.detector.deadline()
        if deadline is None:
            self._timer.stop()
        else:
            self._timer.start(max(1, round((deadline - self._now()) * 1000) + 1))
        return step.hold

    def _tick(self) -> None:
        self._apply(self.detector.tick(self._now()))

    def _deliver(self, keys: tuple[_Key, ...]) -> None:
        """Send held keys to the windows they were typed into, as typed."""
        ScannerInput._replaying = True
        try:
            for k in keys:
                if isValid(k.window):
                    QCoreApplication.sendEvent(k.window, k.event())
        finally:
            ScannerInput._replaying = False
