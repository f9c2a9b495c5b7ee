"""One look for every screen: large type, high contrast, a focus that can be seen.

Counter screens are read at arm's length under office light by clerks who look up and
down all day, and security posts from across a desk: black on white, 16-pixel type at
least, text pairs with a contrast ratio of 7:1 or more (WCAG AAA; the error red, bold,
6.6:1), and a thick blue frame on whatever has the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

BASE_PX = 16
INK = "#000000"
PAPER = "#ffffff"
BAR = "#263238"  # the top bar: white on blue-grey, 13.2:1
FOCUS = "#0d47a1"
MUTED = "#37474f"  # secondary text on white, 9.6:1
ERROR = "#b71c1c"  # on white, 6.6:1
# System trouble (a printer fault, no contact with the office) is not a verdict about the
# applicant: black on amber with a warning triangle, never the REFUSE red.
TROUBLE = "#ffb300"  # black on it, 11.6:1
TROUBLE_INK = INK
ARROWS = ":/qt-project.org/styles/commonstyle/images"  # shipped inside Qt itself

STYLESHEET = f"""
QWidget {{ color: {INK}; background: {PAPER}; }}
QLabel {{ background: transparent; }}
QLineEdit, QSpinBox, QComboBox {{
    border: 2px solid {MUTED}; border-radius: 4px; padding: 6px; min-height: 24px;
}}
QLineEdit:focus, QSpinBox:focus, QComboBox:focus {{ border: 3px solid {FOCUS}; }}
QComboBox::drop-down {{ width: 30px; border-left: 2px solid {MUTED}; }}
QComboBox::down-arrow {{ image: url({ARROWS}/arrow-down-16.png); width: 16px; height: 16px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: 30px; border-left: 2px solid {MUTED}; }}
QSpinBox::up-arrow {{ image: url({ARROWS}/arrow-up-16.png); width: 12px; height: 12px; }}
QSpinBox::down-arrow {{ image: url({ARROWS}/arrow-down-16.png); width: 12px; height: 12px; }}
QPushButton {{
    border: 2px solid {MUTED}; border-radius: 6px; padding: 8px 14px;
    background: #eceff1; font-weight: bold;
}}
QPushButton:focus {{ border: 3px solid {FOCUS}; }}
QPushButton:disabled {{ color: #757575; border-color: #bdbdbd; }}
QCheckBox::indicator {{
    width: 20px; height: 20px; border: 2px solid {MUTED}; border-radius: 3px; background: {PAPER};
}}
QCheckBox::indicator:checked {{ background: {FOCUS}; border-color: {FOCUS}; }}
QCheckBox:focus {{ color: {FOCUS}; }}
QListWidget, QTableWidget, QTableView {{ border: 1px solid {MUTED}; }}
QWidget#topBar {{ background: {BAR}; }}
QWidget#topBar QLabel {{ color: white; font-weight: bold; }}
QWidget#topBar QPushButton {{
    background: {BAR}; color: white; border: 2px solid white; padding: 6px 12px;
}}
QWidget#topBar QPushButton:checked {{ background: white; color: {BAR}; }}
QLabel#signInError, QLabel#settingsError {{ color: {ERROR}; font-weight: bold; }}
QLabel#settingsSaved {{ color: #1b5e20; font-weight: bold; }}
QLabel#screenTitle {{ font-size: 26px; font-weight: bold; }}
QLabel#hint {{ color: {MUTED}; }}
"""


def apply_theme(app: QApplication) -> None:
    """Give the whole application its font and stylesheet."""
    font = QFont(app.font())
    font.setPixelSize(BASE_PX)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
