"""The window a kiosk shows while it starts and deletes personal data past its retention
(kiosk/purge.py): a big event's purge holds the start for several seconds once
(docs/benchmarks-counter.md), and a kiosk that shows nothing meanwhile looks hung."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.language import pick
from ui.plain_label import Label


def purge_notice() -> Label:
    """Show a small window saying why the kiosk is not up yet, painted before the purge
    holds the thread; the caller closes it once the purge is done."""
    notice = Label(
        pick(
            "Deleting the personal data of past events, as the retention rules require.\n"
            "The kiosk starts in a few seconds.",
            "Suppression des données personnelles des événements passés, comme le veulent "
            "les règles de conservation.\nLe kiosque démarre dans quelques secondes.",
        )
    )
    notice.setObjectName("purgeNotice")
    notice.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.WindowStaysOnTopHint)
    notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
    notice.setWordWrap(True)
    notice.setMinimumWidth(720)
    notice.setStyleSheet(
        "QLabel#purgeNotice { font-size: 20px; padding: 32px; background: #eceff1;"
        " color: #263238; border: 2px solid #37474f; }"
    )
    notice.adjustSize()
    screen = QApplication.primaryScreen()
    if screen is not None:  # in the middle, where the kiosk's window will be
        notice.move(screen.availableGeometry().center() - notice.rect().center())
    notice.show()
    QApplication.processEvents()  # painted now: the purge runs on this thread next
    return notice
