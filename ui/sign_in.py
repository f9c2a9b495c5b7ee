"""The sign-in screen: a name, Enter, a PIN, Enter. Nothing else to reach for.

The staff book (kiosk/staff.py) checks the PIN, makes a name wait after repeated wrong PINs
and journals every attempt; this screen only asks and shows its answer. A scanner's
burst never lands in its fields: the application-wide scanner filter takes it, and the
shell has this screen say "Sign in first, then scan again" instead.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.roles import Actor, Role
from ui.language import Retranslating, pick
from ui.plain_label import Label

if TYPE_CHECKING:
    from kiosk.staff import StaffBook


def role_name(role: Role) -> str:
    """A role as the screens name it, in the language they speak now."""
    names = {
        Role.CLERK: QCoreApplication.translate("Role", "Clerk"),
        Role.SUPERVISOR: QCoreApplication.translate("Role", "Supervisor"),
        Role.SECURITY: QCoreApplication.translate("Role", "Security"),
        Role.ADMINISTRATOR: QCoreApplication.translate("Role", "Administrator"),
    }
    return names[role]


class SignInScreen(Retranslating, QWidget):
    """Name and PIN; emits `signed_in` with the Actor the staff book returned."""

    signed_in = Signal(object)

    def __init__(self, staff: StaffBook, roles: Collection[Role] = tuple(Role)) -> None:
        super().__init__()
        self.staff, self.roles = staff, frozenset(roles)
        self._error: Callable[[], str] | None = None  # re-asked after a language switch
        self._no_accounts = not staff.members()
        self._build()
        self.retranslate()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setFixedWidth(640)  # the French title on one line at 26 px
        col = QVBoxLayout(box)
        self.title = Label()
        self.title.setObjectName("screenTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label, self.pin_label = Label(), Label()
        self.name_field = QLineEdit()
        self.pin_field = QLineEdit()
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        for label, field in ((self.name_label, self.name_field), (self.pin_label, self.pin_field)):
            field.setStyleSheet("font-size: 28px;")
            label.setBuddy(field)
        self.name_field.returnPressed.connect(self._name_entered)
        self.pin_field.returnPressed.connect(self.submit)
        self.button = QPushButton()
        self.button.setObjectName("signIn")
        self.button.setStyleSheet("font-size: 22px;")
        self.button.clicked.connect(self.submit)
        self.error = Label()
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = Label()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (self.title, self.name_label, self.name_field, self.pin_label, self.pin_field):
            col.addWidget(w)
        col.addSpacing(12)
        for w in (self.button, self.error, self.hint):
            col.addWidget(w)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def retranslate(self) -> None:
        """Every text in the language the screens speak now."""
        self.title.setText(self.tr("Pass Office Kiosk — sign in"))
        self.name_label.setText(self.tr("Your name"))
        self.pin_label.setText(self.tr("PIN"))
        self.name_field.setAccessibleName(self.tr("Your name"))
        self.pin_field.setAccessibleName(self.tr("PIN"))
        self.button.setText(self.tr("Sign in [Enter]"))
        self.hint.setText(
            self.tr(
                "No one can sign in yet: add an account at the kiosk's shell with "
                "`kiosk staff add NAME --role administrator`."
            )
            if self._no_accounts
            else self.tr("Type your name and press Enter, then your PIN and Enter.")
        )
        self.error.setText(self._error() if self._error else "")

    def showEvent(self, event: QEvent) -> None:
        """Ready for the name as soon as the screen appears."""
        super().showEvent(event)
        self.name_field.setFocus()

    def reset(self) -> None:
        """Empty fields, no message: ready for the next person."""
        self.name_field.clear()
        self.pin_field.clear()
        self._show_error(None)
        self.name_field.setFocus()

    def say(self, en: str, fr: str) -> None:
        """Show the core's sentence (why the last session ended), in the language the
        screens speak, until the next sign-in."""
        self._show_error(partial(pick, en, fr))

    def scan_refused(self) -> None:
        """A scanner fired while nobody is signed in: say so (the scan is not kept)."""
        self._show_error(lambda: self.tr("Sign in first, then scan again."))

    def _name_entered(self) -> None:
        if self.name_field.text().strip():
            self.pin_field.setFocus()

    def submit(self) -> None:
        """Ask the staff book; emit `signed_in`, or show why not."""
        from kiosk.staff import SignInRefused

        name, pin = self.name_field.text().strip(), self.pin_field.text()
        self.pin_field.clear()
        if not name or not pin:
            self._show_error(lambda: self.tr("Type your name and your PIN."))
            (self.pin_field if name else self.name_field).setFocus()
            return
        try:
            actor = self.staff.sign_in(name, pin)
        except SignInRefused as refused:
            self._show_error(partial(pick, refused.message_en, refused.message_fr))
            self.pin_field.setFocus()
            return
        self.name_field.clear()
        if actor.role not in self.roles:
            self.staff.sign_out(actor)
            self._show_error(partial(self._wrong_post, actor))
            self.name_field.setFocus()
            return
        self._show_error(None)
        self.signed_in.emit(actor)

    def _wrong_post(self, actor: Actor) -> str:
        """Who was turned away, and whose account this post takes."""
        taken = " / ".join(role_name(r).lower() for r in Role if r in self.roles)
        return self.tr(
            "{name}: a {role} account has no screen at this post. Sign in with a {taken} account."
        ).format(name=actor.name, role=role_name(actor.role).lower(), taken=taken)

    def _show_error(self, error: Callable[[], str] | None) -> None:
        self._error = error
        self.error.setText(error() if error else "")
