"""Dialogs that look and behave like dialogs on a kiosk without a window manager.

A kiosk runs its window full screen on a bare X server: nothing draws a dialog's frame or
title, places it, or gives it the keyboard. A `FramedDialog` draws its own frame and
title strip, opens centred over the window it belongs to, is application-modal, and
takes the keyboard when shown, so the supervisor's name typed next lands in it. With a
window manager it looks the same inside the manager's own frame.

Its fields can be chained (`chain`): Enter in one goes on to the next empty one, as at the
sign-in screen (name, Enter, PIN, Enter), and accepts once all are filled; Enter never
presses another button of the dialog behind the person typing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from ui.theme import BAR

TITLE_PX = 36  # the title strip's height
EDGE = 3  # the frame's width


class FramedDialog(QDialog):
    """A modal dialog with a frame and a title strip of its own (its window title)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._margins_set = False
        self._chain: tuple[QLineEdit, ...] = ()

    def chain(self, *fields: QLineEdit) -> None:
        """Enter in one of `fields` goes to the next empty one; with all filled, accepts."""
        self._chain = fields
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a chained field: on to the next empty field, else accept (which says
        what is missing, if anything, and stays open)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and watched in self._chain
            and QKeyEvent(event).key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            at = self._chain.index(watched)
            after = self._chain[at + 1 :] + self._chain[:at]
            empty = next((f for f in after if not f.text().strip()), None)
            if watched.text().strip() and empty is not None:
                empty.setFocus(Qt.FocusReason.TabFocusReason)
            else:
                self.accept()
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        """Room for the title strip, centred over the parent's window, keyboard taken."""
        if not self._margins_set and self.layout() is not None:
            m = self.layout().contentsMargins()
            self.layout().setContentsMargins(
                m.left() + EDGE, m.top() + TITLE_PX, m.right() + EDGE, m.bottom() + EDGE
            )
            self._margins_set = True
            self.resize(self.width(), self.height() + TITLE_PX)
        super().showEvent(event)
        parent = self.parentWidget()
        if parent is not None:
            area = parent.window().frameGeometry()
            frame = self.frameGeometry()
            frame.moveCenter(area.center())
            self.move(frame.topLeft())
        self.raise_()
        self.activateWindow()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The frame and the title strip."""
        super().paintEvent(event)
        p = QPainter(self)
        p.fillRect(QRect(0, 0, self.width(), TITLE_PX - 6), QColor(BAR))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("white"))
        title = QRect(12, 0, self.width() - 24, TITLE_PX - 6)
        p.drawText(
            title, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.windowTitle()
        )
        p.setPen(QPen(QColor(BAR), EDGE * 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(self.rect())
        p.end()
