"""The camera preview: what the camera sees, each decoded code outlined.

`CameraWorker` runs `scanning.camera.CameraScanner` on its own QThread and reports through
signals, so the UI thread never waits for a frame; `CameraView` paints the newest frame it
was sent and the outlines of the codes found in it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import cv2
import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QThread, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from scanning.camera import CameraScanner, CameraStatus
from scanning.decoders import Symbol, gray

PREVIEW_WIDTH = 640  # frames are shrunk to this before they cross to the UI thread


class CameraWorker(QObject):
    """Capture and decode off the UI thread; `start()` it, `stop()` it before quitting."""

    frame = Signal(QImage, list)  # preview image, [(QPolygonF, label)] in its pixels
    scanned = Signal(str)  # a code, once
    mrz = Signal(str)  # an MRZ read by the camera and accepted by its check digits, once
    status = Signal(bool, str)  # connected, message

    def __init__(self, spec: str, read_mrz: bool = True) -> None:
        super().__init__()
        self.scanner = CameraScanner(
            spec,
            on_frame=self._on_frame,
            on_scan=lambda s: self.scanned.emit(s.text),
            on_status=self._on_status,
            on_mrz=self.mrz.emit if read_mrz else None,
        )
        self._stop = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("camera")
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)

    def start(self) -> None:
        """Start capturing on the worker thread."""
        self._thread.start()

    def expect(self, formats: Iterable[str]) -> None:
        """Search these code formats first: what the screen waits for next."""
        self.scanner.expect(formats)

    def stop(self) -> None:
        """Stop capturing and wait for the thread to finish."""
        self._stop.set()
        self._thread.quit()
        self._thread.wait(5000)

    @property
    def spec(self) -> str:
        """The camera, video file or folder this worker reads (as in the settings)."""
        return self.scanner.spec

    def pause(self) -> None:
        """Let go of the camera (the photo dialog reads it) until `resume`."""
        self.stop()

    def resume(self) -> None:
        """Capture and decode again after `pause`."""
        self._stop.clear()
        self._thread.start()

    @Slot()
    def _run(self) -> None:
        self.scanner.run(self._stop)

    def _on_status(self, status: CameraStatus) -> None:
        self.status.emit(status.connected, status.message)

    def _on_frame(self, frame: np.ndarray, symbols: list[Symbol]) -> None:
        image = gray(frame)
        f = min(1.0, PREVIEW_WIDTH / image.shape[1])
        small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        h, w = small.shape
        preview = QImage(small.data, w, h, small.strides[0], QImage.Format.Format_Grayscale8).copy()
        outlines = [
            (QPolygonF([QPointF(x * f, y * f) for x, y in s.corners]), f"{s.format} {s.text[:12]}")
            for s in symbols
        ]
        self.frame.emit(preview, outlines)


class CameraView(QWidget):
    """The newest frame, scaled to fit, with green outlines round the codes decoded in it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Camera preview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.image: QImage | None = None
        self.outlines: list[tuple[QPolygonF, str]] = []
        self.message = "Camera starting… / Caméra en cours de démarrage…"
        self.connected = False

    @Slot(QImage, list)
    def show_frame(self, image: QImage, outlines: list) -> None:
        """Paint `image` with `outlines` next."""
        self.image, self.outlines = image, outlines
        self.update()

    @Slot(bool, str)
    def show_status(self, connected: bool, message: str) -> None:
        """Say whether the camera is there."""
        self.connected, self.message = connected, message
        if not connected:
            self.image, self.outlines = None, []
        self.update()

    def paintEvent(self, event) -> None:
        """Frame, outlines, and the camera's state when there is no frame."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#263238"))
        if self.image is None:
            painter.setPen(QColor("#ffcc80" if not self.connected else "white"))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message
            )
            return
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - size.width()) / 2, (self.height() - size.height()) / 2
        painter.drawImage(QRectF(x, y, size.width(), size.height()), self.image)
        f = size.width() / self.image.width()
        painter.setPen(QPen(QColor("#00e676"), 3))
        for polygon, label in self.outlines:
            shown = QPolygonF([QPointF(x + p.x() * f, y + p.y() * f) for p in polygon])
            painter.drawPolygon(shown)
            painter.drawText(shown.boundingRect().bottomLeft() + QPointF(0, 14), label)
