"""A new identity photo taken at the desk: the clerk takes it with the counter camera,
sees it and what the checks say, and a supervisor approves it with name and PIN.

Taking reads up to ten frames from the counter's camera (a device, a video file or a
folder of images, as in the settings) through scanning/desk_photo.py; approving signs
the supervisor in for this one action and puts the photo on file (kiosk/desk_photos.py),
which journals it and sends it to the hub at the next sync. Every refusal is said in the
dialog, which stays open and changes nothing. A `FramedDialog`: framed, centred and taking
the keyboard on the kiosk's bare X server; Enter in the supervisor's name goes on to the
PIN and approves from there (it never takes another photo behind their back). The checks
find one face, centred and large enough (scanning/face_check.py); whose face it is, the
clerk compares.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.roles import AccessDenied, Action, Actor, require
from ui.framed_dialog import FramedDialog
from ui.language import pick
from ui.plain_label import Label

PREVIEW = (207, 266)  # half of the 413 x 531 photo


class PhotoDialog(FramedDialog):
    """Take a photo of `person_name` (person `person_id`) and have a supervisor approve it."""

    def __init__(
        self,
        kiosk,
        person_id: int,
        person_name: str,
        clerk: Actor,
        camera: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kiosk, self.person_id, self.clerk, self.camera = kiosk, person_id, clerk, camera
        self.photo = None  # scanning.desk_photo.DeskPhoto once taken
        self.setWindowTitle(self.tr("New photo"))
        title = Label(self.tr("New identity photo for {name}").format(name=person_name))
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.preview = Label(self.tr("No photo taken yet"))
        self.preview.setObjectName("photoPreview")
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #888; background: #f4f4f4;")
        self.checks = Label(self.tr("Take the photo with the counter camera."))
        self.checks.setObjectName("photoChecks")
        self.checks.setWordWrap(True)
        self.take_button = QPushButton(self.tr("Take photo"))
        self.take_button.clicked.connect(self.take)
        side = QVBoxLayout()
        side.addWidget(self.checks)
        side.addWidget(self.take_button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.preview)
        top.addLayout(side, 1)
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Supervisor's name"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("Supervisor's PIN"))
        form = QFormLayout()
        form.addRow(self.tr("Supervisor's name"), self.name)
        form.addRow(self.tr("PIN"), self.pin)
        self.error = Label()
        self.error.setObjectName("photoError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        approve = buttons.addButton(
            self.tr("Approve photo"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        approve.setObjectName("approvePhoto")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(title)
        col.addLayout(top)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)
        self.chain(self.name, self.pin)
        self.take_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(640, 500)

    def take(self) -> None:
        """Read frames from the camera until one passes the checks; show it and the checks."""
        from scanning.camera import CameraError, open_source
        from scanning.desk_photo import take_photo

        self.error.clear()
        try:
            source = open_source(self.camera) if self.camera else None
        except CameraError:
            source = None
        if source is None:
            self.error.setText(
                self.tr(
                    "The counter camera cannot be opened: ask an administrator to check it "
                    "in the settings."
                )
            )
            return
        try:
            photo = take_photo(source)
        finally:
            source.close()
        if photo is None:
            self.error.setText(self.tr("The camera gave no picture: take the photo again."))
            return
        self.photo = photo
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)  # next: the supervisor's name
        picture = QPixmap()
        picture.loadFromData(photo.jpeg, "JPEG")
        self.preview.setPixmap(picture.scaled(*PREVIEW, Qt.AspectRatioMode.KeepAspectRatio))
        if photo.accepted:
            self.checks.setText(
                self.tr(
                    "The photo meets the published requirements checked here and shows one"
                    " face, centred: compare it with the person at the desk."
                )
            )
        else:
            self.checks.setText("\n".join(pick(p.message_en, p.message_fr) for p in photo.problems))

    def accept(self) -> None:
        """Sign the supervisor in and put the photo on file; close only when it is done."""
        from kiosk.desk_photos import PhotoRefused, replace_photo
        from kiosk.staff import SignInRefused

        if self.photo is None or not self.photo.accepted:
            self.error.setText(self.tr("Take a photo that meets the requirements first."))
            return
        if not self.name.text().strip() or not self.pin.text():
            self.error.setText(self.tr("Enter the supervisor's name and PIN."))
            return
        staff = self.kiosk.staff
        try:
            chief = staff.sign_in(self.name.text().strip(), self.pin.text())
        except SignInRefused as err:
            return self._refused(err.message_en, err.message_fr)
        try:
            require(chief.role, Action.OVERRIDE)
            desk = self.kiosk.desk
            replace_photo(
                self.kiosk.store,
                desk.clock,
                desk.kiosk_id,
                self.person_id,
                self.photo.jpeg,
                self.clerk,
                chief,
            )
        except (AccessDenied, PhotoRefused) as err:
            return self._refused(err.message_en, err.message_fr)
        finally:
            staff.sign_out(chief)  # signed in for this action only
        super().accept()

    def _refused(self, en: str, fr: str) -> None:
        self.error.setText(pick(en, fr))
        self.pin.clear()
        self.pin.setFocus()
