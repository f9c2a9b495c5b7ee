"""Labels that show their text as it is written.

Qt reads a label's text as HTML whenever it looks like HTML (`Qt.AutoText`). Names,
organisations, places and reasons come from applicants and the office: a surname typed
on the accreditation platform as `<b style="color:green">VALID</b>` was shown as a green
VALID beside the security post's verdict. Every label of the kiosk is plain text, the
text dialogs' too, and tooltips (read as HTML the same way) are escaped.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QWidget


class Label(QLabel):
    """A QLabel whose text is never read as HTML."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setTextFormat(Qt.TextFormat.PlainText)


def plain_tip(text: str) -> str:
    """`text` as a tooltip that shows it as written, line breaks kept."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def ask_text(parent: QWidget, title: str, question: str) -> str | None:
    """What the person typed in a modal text dialog, or None if they cancelled; the
    question (which may quote a name) is shown as written."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(question)
    for label in dialog.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
    return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
