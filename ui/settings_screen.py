"""The administrator's settings: counter, printers, camera, hub, language, idle sign-out,
and the staff accounts (ui/staff_accounts.py, changed at once, each change journalled).

Everything is checked before anything is written: a bad value is named in a message and
changes nothing. The checks and the writes are ui/settings_form.py's, without Qt; this
screen reads its fields and shows the outcome. The counter and the camera take effect at
the kiosk's next start, the language at the next sign-in, the idle time at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import Counter
from kiosk.roles import Action, Actor, require
from kiosk.staff import AccountStopped
from ui.language import Retranslating, pick
from ui.plain_label import Label
from ui.settings import IDLE_RANGE, KioskSettings, SettingsInvalid, load_settings
from ui.settings_form import SettingsForm, enrol_from_file, save_form
from ui.staff_accounts import StaffAccountsBox

if TYPE_CHECKING:
    from kiosk.services import Kiosk


class SettingsScreen(Retranslating, QWidget):
    """The form; `saved` carries the new KioskSettings after a successful save."""

    saved = Signal(object)

    def __init__(self, kiosk: Kiosk, actor: Actor, data_dir: Path) -> None:
        super().__init__()
        require(actor.role, Action.SETTINGS)
        self.kiosk, self.actor, self.data_dir = kiosk, actor, data_dir
        self._message: tuple[str, str, bool] | None = None  # en, fr, is an error
        self._build()
        self._load()
        self.retranslate()

    # --- building and filling ------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.title = Label()
        self.title.setObjectName("screenTitle")
        outer.addWidget(self.title)
        row = QHBoxLayout()
        row.addWidget(self._kiosk_box(), 3)
        right = QVBoxLayout()  # the tones beside the form: the screen stays within 768 px
        right.addWidget(self._hub_box())
        right.addWidget(self._tones_box())
        right.addStretch(1)
        row.addLayout(right, 2)
        outer.addLayout(row)
        self.staff_box = StaffAccountsBox(self.kiosk.staff, self.actor)
        self.staff_box.said.connect(self._say)
        outer.addWidget(self.staff_box)
        self.note = Label()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        outer.addWidget(self.note)
        buttons = QHBoxLayout()
        self.save_button = QPushButton()
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        self.message = Label()  # beside Save: on screen at 1366x768 with the accounts
        self.message.setWordWrap(True)
        buttons.addWidget(self.message, 1)
        outer.addLayout(buttons)
        outer.addStretch(1)

    def _kiosk_box(self) -> QGroupBox:
        self.kiosk_box = QGroupBox()
        form = QFormLayout(self.kiosk_box)
        self.counter = QComboBox()
        self.printers = {c: QComboBox() for c in Counter}
        self.camera = QLineEdit()
        self.language = QComboBox()
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.idle = QSpinBox()
        self.idle.setRange(IDLE_RANGE.start, IDLE_RANGE.stop - 1)
        self.rows: dict[str, QLabel] = {}
        for key, field in (
            ("counter", self.counter),
            ("printer_groups", self.printers[Counter.GROUPS]),
            ("printer_visitors", self.printers[Counter.VISITORS]),
            ("camera", self.camera),
            ("language", self.language),
            ("idle", self.idle),
        ):
            self.rows[key] = Label()
            self.rows[key].setBuddy(field)
            form.addRow(self.rows[key], field)
        return self.kiosk_box

    def _tones_box(self) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(10, 0, 0, 0)
        self.tones = QCheckBox()
        self.tones_hint = Label()
        self.tones_hint.setObjectName("hint")
        self.tones_hint.setWordWrap(True)
        col.addWidget(self.tones)
        col.addWidget(self.tones_hint)
        return box

    def _hub_box(self) -> QGroupBox:
        self.hub_box = QGroupBox()
        form = QFormLayout(self.hub_box)
        self.sync_state = Label()
        self.sync_state.setWordWrap(True)
        self.hub_url = QLineEdit()
        self.enrolment = QLineEdit()
        self.enrol_button = QPushButton()
        self.enrol_button.clicked.connect(self.enrol)
        for key, field in (
            ("sync", self.sync_state),
            ("hub_url", self.hub_url),
            ("enrolment", self.enrolment),
        ):
            self.rows[key] = Label()
            form.addRow(self.rows[key], field)
        form.addRow("", self.enrol_button)
        return self.hub_box

    def _load(self) -> None:
        """Fill the form from what is saved."""
        from printing.printers import FOLDER, PrinterSettingsInvalid, chosen_printer, list_printers

        try:
            current = load_settings(self.data_dir)
        except SettingsInvalid as err:
            self._say(err.message_en, err.message_fr, error=True)
            current = KioskSettings()
        self._settings = current
        self.camera.setText(current.camera)
        self.language.setCurrentIndex(self.language.findData(current.language))
        self.idle.setValue(current.idle_minutes)
        self.tones.setChecked(current.tones)
        names = [p.name for p in list_printers(self.data_dir)]
        for counter, combo in self.printers.items():
            try:
                chosen = chosen_printer(self.data_dir, counter)
            except PrinterSettingsInvalid:  # Save writes the printers chosen here instead
                self._say(
                    "The printer choices of this kiosk cannot be read: choose the printers "
                    "and Save.",
                    "Les choix d'imprimantes de ce kiosque sont illisibles : choisir les "
                    "imprimantes et enregistrer.",
                    error=True,
                )
                chosen = FOLDER
            combo.clear()
            combo.addItems(names if chosen in names else [*names, chosen])
            combo.setCurrentText(chosen)
        self._load_sync()

    def _load_sync(self) -> None:
        from sync.state import read_state

        state = read_state(self.kiosk.store)
        self._enrolled = state
        self.hub_url.setText(state.hub_url if state else "")
        self.hub_url.setEnabled(state is not None)

    # --- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the language the screens speak now."""
        self.title.setText(self.tr("Settings of this kiosk"))
        self.kiosk_box.setTitle(self.tr("This kiosk"))
        self.hub_box.setTitle(self.tr("Hub (sync)"))
        labels = {
            "counter": self.tr("Counter"),
            "printer_groups": self.tr("Printer, Groups counter"),
            "printer_visitors": self.tr("Printer, Visitors counter"),
            "camera": self.tr("Camera"),
            "language": self.tr("Language at sign-in"),
            "idle": self.tr("Sign out after (minutes idle)"),
            "sync": self.tr("State"),
            "hub_url": self.tr("Hub address"),
            "enrolment": self.tr("Enrolment file"),
        }
        for key, label in self.rows.items():
            label.setText(labels[key])
        for field, key in (
            (self.counter, "counter"),
            (self.printers[Counter.GROUPS], "printer_groups"),
            (self.printers[Counter.VISITORS], "printer_visitors"),
            (self.camera, "camera"),
            (self.language, "language"),
            (self.idle, "idle"),
            (self.hub_url, "hub_url"),
            (self.enrolment, "enrolment"),
        ):
            field.setAccessibleName(labels[key])
        chosen = self.counter.currentData() or self._settings.counter.value
        self.counter.clear()
        self.counter.addItem(self.tr("Groups entrance (ministerial badges)"), "groups")
        self.counter.addItem(self.tr("Visitors entrance (annual badges)"), "visitors")
        self.counter.setCurrentIndex(self.counter.findData(chosen))
        self.camera.setPlaceholderText(self.tr("none (0, 1…, video file, image folder)"))
        self.enrolment.setPlaceholderText(self.tr("file from `kiosk-hub enrol`"))
        self.enrol_button.setText(self.tr("Enrol with this file"))
        self.tones.setText(self.tr("Tones (counter, security post)"))
        self.tones.setAccessibleName(self.tr("Tones (counter, security post)"))
        self.tones_hint.setText(
            self.tr(
                "Counter: issue, redirect, refuse, printer fault. Security post: valid, "
                "check, not valid. From the next sign-in."
            )
        )
        self.save_button.setText(self.tr("Save [Ctrl+S]"))
        self.note.setText(
            self.tr(
                "The counter and the camera take effect at the kiosk's next start, the "
                "language at the next sign-in, the idle time at once."
            )
        )
        self._render_sync()
        self._render_message()

    def _render_sync(self) -> None:
        from sync.state import outbox_length

        state = self._enrolled
        if state is None:
            self.sync_state.setText(self.tr("Not enrolled with a hub: this kiosk works alone."))
            return
        last = f"{state.last_sync_at:%d.%m.%Y %H:%M}" if state.last_sync_at else self.tr("never")
        text = self.tr("Kiosk {kiosk} of hub {hub}; last sync: {last}; outbox: {n}.").format(
            kiosk=state.kiosk_id, hub=state.hub_id, last=last, n=outbox_length(self.kiosk.store)
        )
        if state.last_error:
            text += " " + self.tr("Last error: {error}").format(error=state.last_error)
        self.sync_state.setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+S saves."""
        if event.key() == Qt.Key.Key_S and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.save()
        else:
            super().keyPressEvent(event)

    # --- saving --------------------------------------------------------------------

    def save(self) -> None:
        """Check every field, then write them all; or say what is wrong and write nothing."""
        require(self.actor.role, Action.SETTINGS)
        form = SettingsForm(
            counter=self.counter.currentData(),
            camera=self.camera.text(),
            language=self.language.currentData(),
            idle_minutes=self.idle.value(),
            tones=self.tones.isChecked(),
            printers={c: combo.currentText() for c, combo in self.printers.items()},
            hub_url=self.hub_url.text(),
        )
        try:
            journal = self.kiosk.settings_journal
            settings = save_form(self.data_dir, self.kiosk.store, form, journal, self.actor)
        except (SettingsInvalid, AccountStopped) as err:
            self._say(err.message_en, err.message_fr, error=True)
            return
        self._load_sync()
        self._settings = settings
        self._say("Settings saved.", "Paramètres enregistrés.", error=False)
        self.saved.emit(settings)

    def enrol(self) -> None:
        """Enrol this kiosk with a hub from the enrolment file `kiosk-hub enrol` wrote."""
        require(self.actor.role, Action.SETTINGS)
        path = Path(self.enrolment.text().strip()).expanduser()
        try:
            state = enrol_from_file(self.kiosk.store, path)
        except SettingsInvalid as err:
            self._say(err.message_en, err.message_fr, error=True)
            return
        self._load_sync()
        self._render_sync()
        self._say(
            f"Enrolled as {state.kiosk_id} with hub {state.hub_id}: restart the kiosk to sync.",
            f"Inscrit comme {state.kiosk_id} auprès du hub {state.hub_id} : redémarrer le"
            " kiosque pour synchroniser.",
            error=False,
        )

    def _say(self, en: str, fr: str, error: bool) -> None:
        self._message = (en, fr, error)
        self._render_message()

    def _render_message(self) -> None:
        if self._message is None:
            self.message.setText("")
            return
        en, fr, error = self._message
        self.message.setObjectName("settingsError" if error else "settingsSaved")
        self.message.setText(pick(en, fr))
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
