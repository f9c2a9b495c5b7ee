"""Key presses delivered to a window as the platform delivers them, with timestamps of
their own: a scanner's keys 4 ms apart, a person's `pause_ms` apart, however busy the
machine running the test is (`ui.scanner_input` times keys by their timestamps, as X11's
are, so a test's keys must carry the spacing they stand for)."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent

SCANNER_MS = 4
KEYS = {
    "<": Qt.Key.Key_Less,
    " ": Qt.Key.Key_Space,
    "-": Qt.Key.Key_Minus,
    "\r": Qt.Key.Key_Return,
    "\t": Qt.Key.Key_Tab,
    "\b": Qt.Key.Key_Backspace,
}
_last_ms = int(time.monotonic() * 1000)


def key_of(char: str) -> Qt.Key:
    if char in KEYS:
        return KEYS[char]
    if char.isascii() and char.isalnum():
        return Qt.Key(ord(char.upper()))
    return Qt.Key.Key_unknown


def press(widget, char: str, after_ms: int = SCANNER_MS) -> None:
    """One keystroke `after_ms` after the previous one, sent to the widget's window."""
    global _last_ms
    _last_ms += after_ms
    text = "" if char in "\r\b" else char
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key_of(char), Qt.KeyboardModifier.NoModifier, text)
        event.setTimestamp(_last_ms)
        QCoreApplication.sendEvent(widget.windowHandle(), event)


def scanner_types(widget, text: str, suffix: str = "\r") -> None:
    """A keyboard-wedge scanner: a pause, every character at machine speed, then Enter (or
    the `suffix` it is set up to send: "\t" for Tab)."""
    press(widget, text[0], after_ms=1000)
    for char in text[1:] + suffix:
        press(widget, char)


def clerk_types(qtbot, widget, text: str, pause_ms: int = 90) -> None:
    """A person: a key every `pause_ms` milliseconds (a fast typist manages 100)."""
    for char in text:
        press(widget, char, after_ms=pause_ms)
        qtbot.wait(pause_ms)


def clerk_presses(widget, char: str) -> None:
    """One key a person presses after a pause (Enter is "\\r", Backspace "\\b")."""
    press(widget, char, after_ms=1000)
