"""A small picture of the badge just issued, as its template lays it out.

The picture comes from `printing.preview.preview_png` (the badge's PDF rendered by
poppler), which takes a tenth of a second or more: it is made on a worker thread and
shown when ready; a picture for a badge no longer on screen is dropped.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QSizePolicy

from kiosk.services import Kiosk
from ui.background import Background
from ui.language import Retranslating
from ui.plain_label import Label

log = logging.getLogger(__name__)

PREVIEW_DPI = 120  # a landscape card is about 400 pixels wide: sharp once scaled down


def render_preview(kiosk: Kiosk, serial: str) -> bytes:
    """Badge `serial` laid out by its template, as a PNG (slow: run it off the UI thread)."""
    from printing.preview import preview_png

    card = kiosk.desk.cards.card(serial)
    template = kiosk.printing.templates.for_card(card)
    return preview_png(template, card, PREVIEW_DPI)


class BadgePreview(Retranslating, Label):
    """The issued badge, small; empty until a badge is shown."""

    def __init__(self, kiosk: Kiosk, parent=None) -> None:
        super().__init__(parent)
        self.kiosk = kiosk
        self.serial: str | None = None
        self._png = b""
        self.background = Background(self)
        self.setObjectName("badgePreview")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(240, 100)  # a short screen with badges waiting: smaller, not off it
        policy = QSizePolicy.Policy.Ignored  # the picture follows the label, not the reverse
        self.setSizePolicy(policy, policy)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setAccessibleName(self.tr("Badge preview"))
        if self.serial is None:
            self.setText(self.tr("The badge appears here once issued."))
        elif not self._png:
            self.setText(
                self.tr("Preparing the preview of badge {serial}…").format(serial=self.serial)
            )

    def show_badge(self, serial: str) -> None:
        """Lay out badge `serial` on a worker; show it when ready."""
        if serial == self.serial:
            return
        self.serial, self._png = serial, b""
        self.setPixmap(QPixmap())
        self.retranslate()
        kiosk = self.kiosk
        self.background.run(
            lambda: render_preview(kiosk, serial),
            lambda png: self._rendered(serial, png),
            lambda err: self._not_rendered(serial, err),
        )

    def clear_badge(self) -> None:
        """Back to empty (next applicant)."""
        self.serial, self._png = None, b""
        self.setPixmap(QPixmap())
        self.retranslate()

    @property
    def shown(self) -> bool:
        """True when a badge's picture is on screen."""
        return bool(self._png)

    def _not_rendered(self, serial: str, err: Exception) -> None:
        # The print panel tells the clerk about layout problems; the picture stays blank.
        log.warning("no preview for badge %s", serial, exc_info=err)
        self._rendered(serial, b"")

    def _rendered(self, serial: str, png: bytes) -> None:
        if serial != self.serial:
            return
        self._png = bytes(png)
        if not self._png:
            self.setText(self.tr("No preview for badge {serial}.").format(serial=serial))
            return
        self._paint()

    def _paint(self) -> None:
        pix = QPixmap()
        pix.loadFromData(self._png, "PNG")
        self.setPixmap(
            pix.scaled(
                self.contentsRect().size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def resizeEvent(self, event) -> None:
        """Keep the picture fitted to the label."""
        super().resizeEvent(event)
        if self._png:
            self._paint()
