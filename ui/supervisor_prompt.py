"""A supervisor's approval at a clerk's counter: name, PIN and a written reason.

The supervisor signs in for this one action (`kiosk.staff.sign_in`, which journals it);
a refused sign-in, a role that may not take the action, or a missing reason is said in
the dialog, which stays open and changes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.roles import AccessDenied, Action, Actor, require
from ui.framed_dialog import FramedDialog
from ui.language import pick
from ui.plain_label import Label


class SupervisorPrompt(FramedDialog):
    """Asks who approves `what` (a sentence in the current language), and why."""

    def __init__(self, staff, what: str, action: Action, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.staff, self.action = staff, action
        self.supervisor: Actor | None = None
        self.reason = ""
        self.setWindowTitle(self.tr("Supervisor"))
        self.what = Label(what)
        self.what.setWordWrap(True)
        self.what.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Supervisor's name"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("Supervisor's PIN"))
        self.why = QLineEdit()
        self.why.setAccessibleName(self.tr("Reason"))
        self.why.setPlaceholderText(self.tr("Required: it goes into the journal"))
        self.error = Label()
        self.error.setObjectName("supervisorError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        form = QFormLayout()
        form.addRow(self.tr("Supervisor's name"), self.name)
        form.addRow(self.tr("PIN"), self.pin)
        form.addRow(self.tr("Reason"), self.why)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(self.what)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)
        self.chain(self.name, self.pin, self.why)  # name, Enter, PIN, Enter, reason, Enter
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(520, 260)

    def accept(self) -> None:
        """Sign the supervisor in and check the role; close only when all is in order."""
        reason = self.why.text().strip()
        if not self.name.text().strip() or not self.pin.text():
            self._say(self.tr("Enter the supervisor's name and PIN."))
            return
        if not reason:
            self._say(self.tr("Write the reason: it goes into the journal."))
            self.why.setFocus()
            return
        from kiosk.staff import SignInRefused

        try:
            actor = self.staff.sign_in(self.name.text().strip(), self.pin.text())
        except SignInRefused as err:
            self._refused(err.message_en, err.message_fr)
            return
        try:
            require(actor.role, self.action)
        except AccessDenied as err:
            self.staff.sign_out(actor)  # signed in for this action only
            self._refused(err.message_en, err.message_fr)
            return
        self.supervisor, self.reason = actor, reason
        super().accept()

    def _say(self, text: str) -> None:
        """Show why under the fields, the dialog growing to hold it: at its first size a
        three-line refusal squeezed the fields to a sliver and overlapped them."""
        self.error.setText(text)
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _refused(self, en: str, fr: str) -> None:
        self._say(pick(en, fr))
        self.pin.clear()
        self.pin.setFocus()
