"""Pictograms drawn beside a verdict, so a clerk reads its kind from across the desk
before its words: a tick, an arrow, a raised-hand bar, a cross, a scan frame, a printer
fault's warning triangle, an hourglass.

Drawn with QPainter in the banner's text colour rather than taken from a font: a
kiosk's fonts vary, and a missing glyph would leave an empty box where the verdict's
shape should be.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget


class Shape(StrEnum):
    """What the pictogram shows."""

    TICK = "tick"  # issue, hand over
    ARROW = "arrow"  # go to the other counter
    HAND = "hand"  # a supervisor is needed
    CROSS = "cross"  # refuse; a revoked badge to take back
    SCAN = "scan"  # a scan is missing
    WARNING = "warning"  # system trouble: a printer fault, offline
    HOURGLASS = "hourglass"  # printing


class Pictogram(QWidget):
    """A square pictogram of `shape`, in `colour`, as tall as the banner's words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shape: Shape | None = None
        self.colour = QColor("white")
        self._side = 64
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_shape(self, shape: Shape | None, colour: str = "white") -> None:
        """Show `shape` (None: nothing) in `colour`."""
        if (shape, QColor(colour)) != (self.shape, self.colour):
            self.shape, self.colour = shape, QColor(colour)
            self.update()

    def set_side(self, side: int) -> None:
        """The pictogram's height and width in pixels."""
        if side != self._side:
            self._side = side
            self.setFixedSize(side, side)
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        """A square of the side set."""
        return QSize(self._side, self._side)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Draw the shape inside a ring."""
        if self.shape is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(min(self.width(), self.height()))
        pen = QPen(self.colour, max(3.0, s / 11))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        inset = pen.widthF()
        if self.shape is not Shape.WARNING:
            p.drawEllipse(QRectF(inset, inset, s - 2 * inset, s - 2 * inset))
        DRAW[self.shape](p, s)
        p.end()


def _points(s: float, *xy: float) -> QPolygonF:
    """Points given as fractions of the side `s`."""
    return QPolygonF([QPointF(xy[i] * s, xy[i + 1] * s) for i in range(0, len(xy), 2)])


def _tick(p: QPainter, s: float) -> None:
    p.drawPolyline(_points(s, 0.28, 0.52, 0.44, 0.68, 0.73, 0.34))


def _arrow(p: QPainter, s: float) -> None:
    p.drawLine(QPointF(0.26 * s, 0.5 * s), QPointF(0.72 * s, 0.5 * s))
    p.drawPolyline(_points(s, 0.52, 0.3, 0.74, 0.5, 0.52, 0.7))


def _hand(p: QPainter, s: float) -> None:  # a bar across: stop, wait for a supervisor
    p.drawLine(QPointF(0.5 * s, 0.25 * s), QPointF(0.5 * s, 0.58 * s))
    p.drawPoint(QPointF(0.5 * s, 0.74 * s))


def _cross(p: QPainter, s: float) -> None:
    p.drawLine(QPointF(0.33 * s, 0.33 * s), QPointF(0.67 * s, 0.67 * s))
    p.drawLine(QPointF(0.67 * s, 0.33 * s), QPointF(0.33 * s, 0.67 * s))


def _scan(p: QPainter, s: float) -> None:  # the corners of a scanner's frame, a line across
    corners = ((0.3, 0.3, 1, 1), (0.7, 0.3, -1, 1), (0.3, 0.7, 1, -1), (0.7, 0.7, -1, -1))
    for x, y, dx, dy in corners:
        p.drawPolyline(_points(s, x, y + 0.12 * dy, x, y, x + 0.12 * dx, y))
    p.drawLine(QPointF(0.28 * s, 0.5 * s), QPointF(0.72 * s, 0.5 * s))


def _warning(p: QPainter, s: float) -> None:
    p.drawPolygon(_points(s, 0.5, 0.08, 0.94, 0.88, 0.06, 0.88))
    p.drawLine(QPointF(0.5 * s, 0.36 * s), QPointF(0.5 * s, 0.6 * s))
    p.drawPoint(QPointF(0.5 * s, 0.74 * s))


def _hourglass(p: QPainter, s: float) -> None:
    path = QPainterPath()
    path.addPolygon(_points(s, 0.34, 0.28, 0.66, 0.28, 0.34, 0.72, 0.66, 0.72, 0.34, 0.28))
    p.drawPath(path)


DRAW = {
    Shape.TICK: _tick,
    Shape.ARROW: _arrow,
    Shape.HAND: _hand,
    Shape.CROSS: _cross,
    Shape.SCAN: _scan,
    Shape.WARNING: _warning,
    Shape.HOURGLASS: _hourglass,
}
