"""The supervisor's badge life screen: report a badge lost, stolen or damaged (voided,
nothing printed), record one found or returned, and read a person's badge history. A
badge's QR code scanned here (a card handed in) fills in its serial.

The core decides (kiosk/badge_life.py): what the role may not do, or a serial that does
not fit, is refused there and said here in a sentence, in the screen's language. The
store is read and written on a worker; the screen only shows what came back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.badge_life import History, LifeEvent
from kiosk.model import BRUSSELS, Badge
from kiosk.roles import Actor
from kiosk.services import Kiosk
from ui.background import Background
from ui.errors import in_words
from ui.language import Retranslating, pick
from ui.overview_screen import fill_table, make_table
from ui.plain_label import Label

OK, REFUSED = "#1b5e20", "#b71c1c"


class BadgeLifeScreen(Retranslating, QWidget):
    """A serial (or registration) field, one button per event, a note, the history."""

    def __init__(self, kiosk: Kiosk, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk, self.actor = kiosk, actor
        self.history: History | None = None
        self.outcome: tuple[str, str, bool] | None = None  # en, fr, refused
        self.background = Background(self)
        col = QVBoxLayout(self)
        self.title = Label()
        self.title.setObjectName("screenTitle")
        col.addWidget(self.title)
        grid = QGridLayout()
        self.serial_label, self.note_label = Label(), Label()
        self.serial = QLineEdit()
        self.serial.setObjectName("lifeSerial")
        self.serial.returnPressed.connect(self.show_history)
        self.note = QLineEdit()
        self.note.setObjectName("lifeNote")
        grid.addWidget(self.serial_label, 0, 0)
        grid.addWidget(self.serial, 0, 1)
        grid.addWidget(self.note_label, 1, 0)
        grid.addWidget(self.note, 1, 1)
        col.addLayout(grid)
        row = QHBoxLayout()
        self.buttons: dict[LifeEvent, QPushButton] = {}
        for event in LifeEvent:
            self.buttons[event] = self._button(lambda e=event: self.record(e))
            self.buttons[event].setObjectName(f"life_{event.value}")
            row.addWidget(self.buttons[event])
        self.history_button = self._button(self.show_history)
        row.addStretch(1)
        row.addWidget(self.history_button)
        col.addLayout(row)
        self.message = Label()
        self.message.setObjectName("lifeMessage")
        self.message.setWordWrap(True)
        col.addWidget(self.message)
        self.person = Label()
        self.person.setStyleSheet("font-weight: bold;")
        col.addWidget(self.person)
        self.table = make_table(6, 5)
        col.addWidget(self.table, 1)
        self.retranslate()

    @staticmethod
    def _button(action: Callable[[], object]) -> QPushButton:
        button = QPushButton()
        button.clicked.connect(lambda: action())
        return button

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("Badge life — {name}").format(name=self.actor.name))
        self.serial_label.setText(self.tr("Badge serial or registration"))
        self.serial.setPlaceholderText(self.tr("G1-000042 or A0000123"))
        self.note_label.setText(self.tr("Note (what happened)"))
        self.note.setPlaceholderText(self.tr("optional; goes into the journal"))
        names = {
            LifeEvent.LOST: self.tr("Lost"),
            LifeEvent.STOLEN: self.tr("Stolen"),
            LifeEvent.DAMAGED: self.tr("Damaged"),
            LifeEvent.FOUND: self.tr("Found, handed in"),
            LifeEvent.RETURNED: self.tr("Returned"),
        }
        for event, button in self.buttons.items():
            button.setText(names[event])
        self.history_button.setText(self.tr("History"))
        self.serial.setAccessibleName(self.serial_label.text())
        self.note.setAccessibleName(self.note_label.text())
        self.table.setAccessibleName(self.tr("Badge history"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Serial"),
                self.tr("What"),
                self.tr("Who"),
                self.tr("Kiosk"),
                self.tr("Note"),
            ]
        )
        self.render()

    def _what(self, what: str) -> str:
        return {
            "issued": self.tr("issued"),
            "reprinted": self.tr("reprinted (supervisor)"),
            "lost": self.tr("reported lost"),
            "stolen": self.tr("reported stolen"),
            "damaged": self.tr("reported damaged"),
            "found": self.tr("found, handed in"),
            "returned": self.tr("returned"),
        }.get(what, what)

    # --- actions -----------------------------------------------------------------------

    def record(self, event: LifeEvent) -> None:
        """Record `event` for the badge typed in, then show its holder's history."""
        serial, note, life = self.serial.text(), self.note.text(), self.kiosk.life

        def work() -> tuple[Badge, History]:
            badge = life.record(serial, event, self.actor, note)
            return badge, life.history(badge.serial, self.actor)

        self._busy(True)
        self.background.run(work, lambda done: self._recorded(event, *done), self._refused)

    def scan(self, text: str) -> None:
        """A badge's QR code scanned (a card handed in): its serial, then its history."""
        life, actor = self.kiosk.life, self.actor

        def work() -> tuple[str, History]:
            serial = life.serial_of(text)
            return serial, life.history(serial, actor)

        self.outcome = None
        self._busy(True)
        self.background.run(work, self._scanned, self._refused)

    def _scanned(self, done: tuple[str, History]) -> None:
        self.serial.setText(done[0])
        self._history_read(done[1])

    def show_history(self) -> None:
        """Show the badge history of the person the serial or registration names."""
        query, life = self.serial.text(), self.kiosk.life
        self.outcome = None
        self._busy(True)
        self.background.run(
            lambda: life.history(query, self.actor), self._history_read, self._refused
        )

    def _recorded(self, event: LifeEvent, badge: Badge, history: History) -> None:
        en = {
            LifeEvent.LOST: "Badge {s} reported lost: void at every post from the next sync. "
            "A new badge needs a supervisor at the counter.",
            LifeEvent.STOLEN: "Badge {s} reported stolen: void at every post from the next "
            "sync. A new badge needs a supervisor at the counter.",
            LifeEvent.DAMAGED: "Badge {s} reported damaged: void at every post from the next "
            "sync. A new badge needs a supervisor at the counter.",
            LifeEvent.FOUND: "Badge {s} recorded found and handed in. It stays void.",
            LifeEvent.RETURNED: "Badge {s} recorded returned: void from now on.",
        }[event]
        fr = {
            LifeEvent.LOST: "Badge {s} déclaré perdu : refusé à chaque poste dès la prochaine "
            "synchronisation. Un nouveau badge exige un superviseur au guichet.",
            LifeEvent.STOLEN: "Badge {s} déclaré volé : refusé à chaque poste dès la "
            "prochaine synchronisation. Un nouveau badge exige un superviseur au guichet.",
            LifeEvent.DAMAGED: "Badge {s} déclaré endommagé : refusé à chaque poste dès la "
            "prochaine synchronisation. Un nouveau badge exige un superviseur au guichet.",
            LifeEvent.FOUND: "Badge {s} enregistré retrouvé et rapporté. Il reste annulé.",
            LifeEvent.RETURNED: "Badge {s} enregistré rendu : annulé dès maintenant.",
        }[event]
        self.note.clear()
        self.outcome = (en.format(s=badge.serial), fr.format(s=badge.serial), False)
        self._history_read(history)

    def _history_read(self, history: History) -> None:
        self.history = history
        self._busy(False)
        self.render()

    def _refused(self, error: Exception) -> None:
        en, fr = in_words(error)
        self.outcome = (en, fr, True)
        if not self._history_of(self.serial.text()):
            self.history = None  # never another badge's history under the one typed now
        self._busy(False)
        self.render()

    def _history_of(self, typed: str) -> bool:
        """Whether the history on screen is that of the badge or applicant `typed`."""
        h, typed = self.history, typed.strip().upper()
        return h is not None and (
            typed in h.registrations or any(line.serial == typed for line in h.lines)
        )

    def _busy(self, busy: bool) -> None:
        for button in (*self.buttons.values(), self.history_button):
            button.setEnabled(not busy)

    def render(self) -> None:
        """Show the last outcome and history in the screen's language."""
        if self.outcome is None:
            self.message.setText("")
        else:
            en, fr, refused = self.outcome
            self.message.setText(pick(en, fr))
            colour = REFUSED if refused else OK
            self.message.setStyleSheet(f"font-size: 16px; font-weight: bold; color: {colour};")
        h = self.history
        if h is None:
            self.person.setText("")
            fill_table(self.table, [])
            return
        person = h.person or self.tr("(holder not on file: deleted after the event)")
        self.person.setText(f"{person} ({', '.join(h.registrations)})")
        fill_table(
            self.table,
            [
                [
                    line.at.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M"),
                    line.serial,
                    self._what(line.what),
                    line.who,
                    line.kiosk_id,
                    line.note,
                ]
                for line in h.lines
            ],
        )
