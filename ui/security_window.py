"""The security post: scan a worn badge, read VALID or NOT VALID from across a desk.

The scan field is the only widget that takes keyboard focus, so a scanner's burst lands
there; the result stays up until the next scan, then the screen returns to waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from kiosk.codes import Keyring
from kiosk.model import Flow
from kiosk.store.database import Store
from kiosk.store.records import photo
from kiosk.verify import Verification, verify_badge

IDLE_AFTER_MS = 20_000
WAITING = ("#37474f", "SCAN A BADGE / SCANNER UN BADGE")
VALID = "#1b5e20"
NOT_VALID = "#b71c1c"


class SecurityPresenter(QObject):
    """Turns scanned badge codes into verifications; holds the last one."""

    changed = Signal()

    def __init__(
        self,
        store: Store,
        keyring: Keyring,
        clock: Callable[[], datetime],
        event_id: str | None = None,
    ) -> None:
        super().__init__()
        self.store, self.keyring, self.clock, self.event_id = store, keyring, clock, event_id
        self.result: Verification | None = None
        self.photo: bytes | None = None

    def scan(self, text: str) -> None:
        """Verify one scanned badge code."""
        if not text.strip():
            return
        with self.store.reading() as s:
            self.result = verify_badge(text, self.keyring, s, self.clock(), self.event_id)
            case = self.result.case
            self.photo = photo(s, case.person.id) if case else None
        self.changed.emit()

    def clear(self) -> None:
        """Back to waiting for a badge."""
        self.result, self.photo = None, None
        self.changed.emit()


class SecurityWindow(QMainWindow):
    """Big colour verdict, the holder's photo and name, the badge's kind and days."""

    def __init__(self, presenter: SecurityPresenter) -> None:
        super().__init__()
        self.p = presenter
        self.setWindowTitle("Pass Office Kiosk — Security post / Poste de sécurité")
        self.setCentralWidget(self._build())
        self._idle = QTimer(self, singleShot=True, interval=IDLE_AFTER_MS)
        self._idle.timeout.connect(presenter.clear)
        presenter.changed.connect(self.render)
        self.render()

    def _build(self) -> QWidget:
        root = QWidget()
        outer = QVBoxLayout(root)
        self.scan_field = QLineEdit()
        self.scan_field.setPlaceholderText("Scan the badge's QR code / Scanner le code QR du badge")
        self.scan_field.setAccessibleName("Badge scan field")
        self.scan_field.setStyleSheet("font-size: 16px; padding: 6px;")
        self.scan_field.returnPressed.connect(self._submit)
        self.banner = QLabel()
        self.banner.setObjectName("securityVerdict")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(150)
        self.reason = QLabel()
        self.reason.setObjectName("securityReason")
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason.setStyleSheet("font-size: 22px; font-weight: bold;")
        outer.addWidget(self.scan_field)
        outer.addWidget(self.banner)
        outer.addWidget(self.reason)
        outer.addLayout(self._holder(), 1)
        return root

    def _holder(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.photo = QLabel()
        self.photo.setFixedSize(280, 360)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setAccessibleName("Holder photo")
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout()
        self.facts: dict[str, QLabel] = {}
        for i, (key, label) in enumerate(
            [
                ("name", "Name / Nom"),
                ("kind", "Badge"),
                ("days", "Valid / Valable"),
                ("serial", "Serial / N°"),
                ("organisation", "Organisation"),
            ]
        ):
            caption = QLabel(label)
            caption.setStyleSheet("font-size: 18px; color: #546e7a;")
            value = QLabel()
            value.setStyleSheet("font-size: 26px; font-weight: bold;")
            value.setWordWrap(True)
            grid.addWidget(caption, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, i, 1)
            self.facts[key] = value
        grid.setColumnStretch(1, 1)
        row.addLayout(grid, 1)
        return row

    def showEvent(self, event: QEvent) -> None:
        """A scanner must find the scan field focused from the first key."""
        super().showEvent(event)
        self.scan_field.setFocus()

    def _submit(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        self.p.scan(text)
        self._idle.start()

    def render(self) -> None:
        """Show the presenter's last verification (or the waiting screen)."""
        r = self.p.result
        if r is None:
            colour, words = WAITING
        else:
            colour, words = (
                (VALID, "VALID / VALABLE") if r.valid else (NOT_VALID, "NOT VALID / NON VALABLE")
            )
        self.banner.setText(words)
        self.banner.setStyleSheet(
            f"background: {colour}; color: white; font-size: 64px;"
            " font-weight: bold; border-radius: 8px;"
        )
        self.reason.setText(f"{r.reason_en}\n{r.reason_fr}" if r else "")
        self.reason.setStyleSheet(f"font-size: 22px; font-weight: bold; color: {colour};")
        self._render_facts(r)
        self._render_photo()

    def _render_facts(self, r: Verification | None) -> None:
        case = r.case if r else None
        values = {key: "" for key in self.facts}
        if r and case:
            acc, person = case.accreditation, case.person
            kind = (
                f"ANNUAL {acc.year} / ANNUEL"
                if acc.flow is Flow.ANNUAL
                else f"MEDIA — {case.event.name if case.event else acc.event_id}"
            )
            values.update(
                name=f"{person.surname.upper()}, {person.given_names}",
                kind=kind + (" + POOL" if acc.pool else ""),
                organisation=person.organisation or "freelance",
            )
        if r and r.valid_from and r.valid_until:
            values["days"] = f"{r.valid_from:%d.%m.%Y} – {r.valid_until:%d.%m.%Y}"
        if r and r.serial:
            values["serial"] = r.serial
        for key, label in self.facts.items():
            label.setText(values[key])

    def _render_photo(self) -> None:
        if not self.p.photo:
            self.photo.setPixmap(QPixmap())
            self.photo.setText("")
            return
        pix = QPixmap()
        pix.loadFromData(self.p.photo)
        self.photo.setPixmap(
            pix.scaled(
                self.photo.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


def run_security(data_dir: Path, event_id: str | None = None) -> int:
    """Open the security post's screen on `data_dir` and run until it is closed."""
    import sys

    from PySide6.QtWidgets import QApplication

    from kiosk.app import brussels_now
    from kiosk.counter import load_keyring

    app = QApplication.instance() or QApplication(sys.argv)
    store = Store.in_dir(data_dir)
    window = SecurityWindow(
        SecurityPresenter(store, load_keyring(store, "badge"), brussels_now, event_id)
    )
    # Fill the counter's screen (1366x768 or larger), with or without a window manager.
    window.setGeometry(app.primaryScreen().availableGeometry())
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
