"""The sign-in screen: a name, Enter, a PIN, Enter. Nothing else to reach for.

The staff book (kiosk/staff.py) checks the PIN, makes a name wait after repeated wrong PINs
and journals every attempt; this screen only asks and shows its answer. A scanner's
burst never lands in its fields: the application-wide scanner filter takes it, and the
shell has this screen say "Sign in first, then scan again" instead.

A PIN set before the minimum for its role rose (kiosk/roles.py PIN_MIN) signs in, then the
screen asks for a new one, twice, before the session opens (`StaffBook.renew_pin`,
journalled as the person's own). Escape, or a minute without a key, cancels: the person
is signed out and no session opens.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.roles import Actor, Role, pin_min
from ui.language import Retranslating, pick
from ui.plain_label import Label

if TYPE_CHECKING:
    from kiosk.staff import StaffBook

RENEW_IDLE_MS = 60_000  # a PIN renewal left half-done is cancelled after this


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
        self._renewing: tuple[Actor, str] | None = None  # signed in, choosing a new PIN
        self._renew_idle = QTimer(self, singleShot=True, interval=RENEW_IDLE_MS)
        self._renew_idle.timeout.connect(self.cancel_renewal)
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
        self.again_label, self.again_field = Label(), QLineEdit()  # a new PIN, twice
        self.again_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_field.setStyleSheet("font-size: 28px;")
        self.again_label.setBuddy(self.again_field)
        self.name_field.returnPressed.connect(self._name_entered)
        self.pin_field.returnPressed.connect(self._pin_entered)
        self.again_field.returnPressed.connect(self.submit)
        for field in (self.pin_field, self.again_field):
            field.textEdited.connect(self._typing)
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
        col.addWidget(self.again_label)
        col.addWidget(self.again_field)
        self.again_label.hide()
        self.again_field.hide()
        col.addSpacing(12)
        for w in (self.button, self.error, self.hint):
            col.addWidget(w)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def retranslate(self) -> None:
        """Every text in the language the screens speak now."""
        self.title.setText(self.tr("Pass Office Kiosk — sign in"))
        self.name_label.setText(self.tr("Your name"))
        pin = self.tr("New PIN") if self._renewing else self.tr("PIN")
        self.pin_label.setText(pin)
        self.again_label.setText(self.tr("New PIN again"))
        self.name_field.setAccessibleName(self.tr("Your name"))
        self.pin_field.setAccessibleName(pin)
        self.again_field.setAccessibleName(self.tr("New PIN again"))
        if self._renewing:
            self.button.setText(self.tr("Save the new PIN and sign in [Enter]"))
            self.hint.setText(
                self.tr("Type the new PIN and Enter, then the same again and Enter. Esc cancels.")
            )
        else:
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
        self._end_renewal()
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

    def _pin_entered(self) -> None:
        if self._renewing is None:
            self.submit()
        elif self.pin_field.text():
            self.again_field.setFocus()

    def submit(self) -> None:
        """Ask the staff book; emit `signed_in`, or show why not."""
        from kiosk.staff import SignInRefused

        if self._renewing is not None:
            self._renew()
            return
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
        if self.staff.pin_renewal_due(actor, pin):
            self._start_renewal(actor, pin)
            return
        self._show_error(None)
        self.signed_in.emit(actor)

    # --- a PIN below its role's minimum: a new one first -----------------------------

    def _start_renewal(self, actor: Actor, pin: str) -> None:
        self._renewing = (actor, pin)
        self.name_field.setText(actor.name)
        self.name_field.setEnabled(False)
        self.again_label.show()
        self.again_field.show()
        self._show_error(partial(self._renewal_asked, actor))
        self.retranslate()
        self.pin_field.setFocus()
        self._renew_idle.start()

    def _renewal_asked(self, actor: Actor) -> str:
        return self.tr(
            "{name}, your PIN is shorter than a {role}'s PIN must now be ({least} characters"
            " at least): choose a new one."
        ).format(name=actor.name, role=role_name(actor.role).lower(), least=pin_min(actor.role))

    def _renew(self) -> None:
        from kiosk.staff import AccountStopped, SignInRefused, StaffError

        assert self._renewing is not None
        actor, old = self._renewing
        new, again = self.pin_field.text(), self.again_field.text()
        self.pin_field.clear()
        self.again_field.clear()
        self.pin_field.setFocus()
        if new != again:
            self._show_error(lambda: self.tr("The two PINs differ: type the new one twice again."))
            return
        try:
            self.staff.renew_pin(actor, old, new)
        except StaffError as refused:
            self._show_error(partial(pick, refused.message_en, refused.message_fr))
            return
        except (SignInRefused, AccountStopped) as refused:  # changed meanwhile: start again
            self.cancel_renewal()
            self._show_error(partial(pick, refused.message_en, refused.message_fr))
            return
        self._end_renewal()
        self._show_error(None)
        self.name_field.clear()
        self.signed_in.emit(actor)

    def cancel_renewal(self) -> None:
        """No new PIN chosen (Escape, or a minute without a key): sign the person out."""
        if self._renewing is None:
            return
        actor = self._renewing[0]
        self._end_renewal()
        self.staff.sign_out(actor, "pin_not_renewed")
        self.name_field.clear()
        self.name_field.setFocus()
        self._show_error(lambda: self.tr("No new PIN was chosen: sign in again to choose one."))

    def _end_renewal(self) -> None:
        self._renewing = None
        self._renew_idle.stop()
        self.name_field.setEnabled(True)
        self.pin_field.clear()
        self.again_field.clear()
        self.again_label.hide()
        self.again_field.hide()
        self.retranslate()

    def _typing(self) -> None:
        if self._renewing is not None:
            self._renew_idle.start()  # a person at work: the minute starts again

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape cancels a PIN renewal."""
        if event.key() == Qt.Key.Key_Escape and self._renewing is not None:
            self.cancel_renewal()
        else:
            super().keyPressEvent(event)

    def _wrong_post(self, actor: Actor) -> str:
        """Who was turned away, and whose account this post takes."""
        taken = " / ".join(role_name(r).lower() for r in Role if r in self.roles)
        return self.tr(
            "{name}: a {role} account has no screen at this post. Sign in with a {taken} account."
        ).format(name=actor.name, role=role_name(actor.role).lower(), taken=taken)

    def _show_error(self, error: Callable[[], str] | None) -> None:
        self._error = error
        self.error.setText(error() if error else "")
