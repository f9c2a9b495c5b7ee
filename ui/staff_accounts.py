"""Staff accounts on the administrator's settings screen: the list (with a name waiting
after wrong PINs, and until when), add, set a PIN, disable and enable, lift a wait.

The staff book (kiosk/staff.py) checks the role, the PIN and the last administrator and
journals each change; this box only asks. A dialog that is refused says why and stays
open, having changed nothing; Enter confirms, Escape cancels. Results and refusals of
the box itself go out through `said` (English, French, is an error) to the screen's
message line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import BRUSSELS
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.staff import StaffAccount, StaffError
from ui.framed_dialog import FramedDialog
from ui.language import Retranslating, pick
from ui.plain_label import Label
from ui.sign_in import role_name

if TYPE_CHECKING:
    from kiosk.staff import StaffBook


class AccountDialog(FramedDialog):
    """A new account (name, role, PIN twice), or a new PIN for `name` (PIN twice)."""

    def __init__(
        self, staff: StaffBook, actor: Actor, name: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.staff, self.actor, self.name = staff, actor, name
        self.setWindowTitle(self.tr("New account") if name is None else self.tr("New PIN"))
        form = QFormLayout()
        self.name_field = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role_name(role), role.value)
        if name is None:
            form.addRow(self.tr("Name"), self.name_field)
            form.addRow(self.tr("Role"), self.role)
        else:
            form.addRow(self.tr("Account"), Label(name))
        self.pin, self.again = QLineEdit(), QLineEdit()
        for field, label in ((self.pin, self.tr("PIN")), (self.again, self.tr("PIN again"))):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(label)
            form.addRow(label, field)
        self.name_field.setAccessibleName(self.tr("Name"))
        self.role.setAccessibleName(self.tr("Role"))
        self.error = Label()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)
        first = self.name_field if name is None else self.pin
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(460, 0)

    def accept(self) -> None:
        """Make the change; on a refusal say why, keep the dialog open, change nothing."""
        if self.pin.text() != self.again.text():
            self.error.setText(self.tr("The two PINs differ: type the same PIN twice."))
            self.again.clear()
            self.again.setFocus()
            return
        try:
            if self.name is None:
                added = self.staff.add(
                    self.name_field.text(),
                    Role(self.role.currentData()),
                    self.pin.text(),
                    self.actor,
                )
                self.name = added.name
            else:
                self.staff.set_pin(self.name, self.pin.text(), self.actor)
        except (StaffError, AccessDenied) as err:
            self.error.setText(pick(err.message_en, err.message_fr))
            return
        super().accept()


class StaffAccountsBox(Retranslating, QGroupBox):
    """Every account with its role and state, and the buttons that change them."""

    said = Signal(str, str, bool)  # English, French, is an error

    def __init__(self, staff: StaffBook, actor: Actor) -> None:
        super().__init__()
        self.staff, self.actor = staff, actor
        self._accounts: list[StaffAccount] = []
        self.table = QTableWidget(0, 3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.table.itemSelectionChanged.connect(self._render_buttons)
        self.add_button, self.pin_button, self.toggle_button, self.unlock_button = (
            QPushButton() for _ in range(4)
        )
        self.add_button.clicked.connect(self.add_account)
        self.pin_button.clicked.connect(self.set_pin)
        self.toggle_button.clicked.connect(self.toggle)
        self.unlock_button.clicked.connect(self.unlock)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.pin_button, self.toggle_button, self.unlock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        col = QVBoxLayout(self)
        col.addWidget(self.table)
        col.addLayout(buttons)
        self.refresh()
        self.retranslate()

    def selected(self) -> StaffAccount | None:
        """The account of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self._accounts[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        """Select the row of `name`."""
        for row, account in enumerate(self._accounts):
            if account.name == name:
                self.table.selectRow(row)

    def refresh(self) -> None:
        """Read the accounts again, keeping the selected one selected."""
        chosen = self.selected()
        self._accounts = self.staff.accounts()
        self.table.setRowCount(len(self._accounts))
        self._render_rows()
        if chosen is not None:
            self.select(chosen.name)
        self._render_buttons()

    # --- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the language the screens speak now."""
        self.setTitle(self.tr("Staff accounts"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("State")])
        self.table.setAccessibleName(self.tr("Staff accounts"))
        self.add_button.setText(self.tr("Add an account…"))
        self.pin_button.setText(self.tr("Set a new PIN…"))
        self.unlock_button.setText(self.tr("Lift the wait"))
        self._render_rows()
        self._render_buttons()

    def _render_rows(self) -> None:
        for row, account in enumerate(self._accounts):
            state = self.tr("disabled") if account.disabled else self.tr("enabled")
            if account.waiting_until and not account.disabled:
                until = account.waiting_until.astimezone(BRUSSELS)
                state = self.tr("waiting after wrong PINs, until {time}").format(
                    time=f"{until:%H:%M}"
                )
            for column, text in enumerate((account.name, role_name(account.role), state)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _render_buttons(self) -> None:
        account = self.selected()
        self.pin_button.setEnabled(account is not None)
        self.toggle_button.setEnabled(account is not None)
        self.unlock_button.setEnabled(account is not None and account.waiting_until is not None)
        enabling = account is not None and account.disabled
        self.toggle_button.setText(self.tr("Enable") if enabling else self.tr("Disable"))

    # --- changes -------------------------------------------------------------------

    def add_account(self) -> None:
        """Ask for a new account's name, role and PIN."""
        dialog = AccountDialog(self.staff, self.actor, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.name is not None:
            self.refresh()
            self.select(dialog.name)
            self.said.emit(f"Added {dialog.name}.", f"Compte {dialog.name} ajouté.", False)

    def set_pin(self) -> None:
        """Ask for the selected account's new PIN."""
        account = self.selected()
        if account is None:
            return
        dialog = AccountDialog(self.staff, self.actor, account.name, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.said.emit(
                f"New PIN set for {account.name}.",
                f"Nouveau code PIN enregistré pour {account.name}.",
                False,
            )

    def unlock(self) -> None:
        """Lift the selected account's wait after wrong PINs, its PIN unchanged."""
        account = self.selected()
        if account is None:
            return
        try:
            self.staff.unlock(account.name, self.actor)
        except (StaffError, AccessDenied) as err:
            self.said.emit(err.message_en, err.message_fr, True)
            return
        self.refresh()
        self.said.emit(
            f"{account.name} may sign in again at once, with the same PIN.",
            f"{account.name} peut de nouveau se connecter tout de suite, avec le même code PIN.",
            False,
        )

    def toggle(self) -> None:
        """Disable the selected account, or enable it if it is disabled."""
        account = self.selected()
        if account is None:
            return
        try:
            if account.disabled:
                self.staff.enable(account.name, self.actor)
            else:
                self.staff.disable(account.name, self.actor)
        except (StaffError, AccessDenied) as err:
            self.said.emit(err.message_en, err.message_fr, True)
            return
        self.refresh()
        if account.disabled:
            self.said.emit(
                f"{account.name} may sign in again.",
                f"{account.name} peut de nouveau se connecter.",
                False,
            )
        else:
            self.said.emit(
                f"{account.name} is disabled: refused at sign-in.",
                f"{account.name} est désactivé : refusé à la connexion.",
                False,
            )
