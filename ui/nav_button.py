"""A top bar button that names its screen and, when the bar has room, its key.

A supervisor's five screens with their keys ("Bilan de la journée [Ctrl+3]") need 1,666
pixels in French, more than a 1366x768 counter screen: the window grew past the screen
and Sign out fell off its right edge. The shell shows every key beside its title while
the window is wide enough for all of them (ui/shell.py); the tooltip always names it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy


class NavButton(QPushButton):
    """A checkable, never-focused screen button: "Title [Ctrl+N]", or "Title" when the
    shell finds the bar too narrow for every key (`compact`)."""

    def __init__(self) -> None:
        super().__init__()
        self.full, self.short, self.compact = "", "", False
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # May shrink to its title (minimumSizeHint): a window once wide enough for the
        # keys can be made narrow again.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_label(self, title: str, key: str) -> None:
        """The screen's title and its key (Ctrl+3)."""
        self.full, self.short = f"{title} [{key}]", title
        self.setToolTip(key)
        self.setAccessibleName(title)
        self.set_compact(self.compact)

    def set_compact(self, compact: bool) -> None:
        """The title alone (True) or with its key."""
        self.compact = compact
        self.setText(self.short if compact else self.full)

    def extra_for_keys(self) -> int:
        """The pixels its key adds to its title's width."""
        fm = self.fontMetrics()
        return fm.horizontalAdvance(self.full) - fm.horizontalAdvance(self.short)

    def minimumSizeHint(self) -> QSize:
        """Room for its title alone, whichever text it shows."""
        hint = self.sizeHint()
        if not self.compact:
            hint.setWidth(hint.width() - self.extra_for_keys())
        return hint
