"""The pool desk: for each pooled moment, the visual journalists entitled to a pool card,
where and when the cards are handed out, and each card's state; Hand out and Take back
record it (`kiosk/pool.py`). Scanning a confirmation code selects its holder. A refusal
(not entitled, outside the hand-out window, already out) is said and changes nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import BRUSSELS, MediaKind
from kiosk.pool import PoolEntry, PoolError, PoolMoment
from kiosk.roles import AccessDenied, Actor
from kiosk.services import Kiosk
from kiosk.staff import AccountStopped
from ui.errors import in_words
from ui.language import Retranslating, pick
from ui.plain_label import Label

COLUMNS = 5


class PoolDeskScreen(Retranslating, QWidget):
    """Pool cards for the signed-in clerk or supervisor."""

    def __init__(self, kiosk: Kiosk, actor: Actor) -> None:
        super().__init__()
        self.kiosk, self.actor = kiosk, actor
        self.moments: list[PoolMoment] = []
        self.entries: list[PoolEntry] = []
        self._note: tuple[str, str, bool] | None = None  # (en, fr, ok)
        self.title = Label()
        self.title.setStyleSheet("font-size: 17px; font-weight: bold; color: #4a148c;")
        self.moment_box = QComboBox()
        self.moment_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.where = Label()
        self.where.setWordWrap(True)
        self.where.setStyleSheet("font-size: 14px;")
        self.table = QTableWidget(0, COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.hand_out_button, self.take_back_button = QPushButton(), QPushButton()
        self.hand_out_button.clicked.connect(self.hand_out)
        self.take_back_button.clicked.connect(self.take_back)
        self.message = Label()
        self.message.setWordWrap(True)
        self._layout()
        self.load_moments()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.moment_box, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hand_out_button)
        buttons.addWidget(self.take_back_button)
        buttons.addStretch(1)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.where)
        col.addWidget(self.table, 1)
        col.addLayout(buttons)
        col.addWidget(self.message)

    def load_moments(self) -> None:
        """Read the pooled moments and show the first one's list."""
        self.moments = self.kiosk.pool.moments()
        self.moment_box.blockSignals(True)
        self.moment_box.clear()
        for m in self.moments:
            self.moment_box.addItem(self._moment_text(m), m.id)
        self.moment_box.blockSignals(False)
        self.refresh()

    @staticmethod
    def _moment_text(m: PoolMoment) -> str:
        """A moment as the list names it, in the screens' language."""
        start = m.starts_at.astimezone(BRUSSELS)
        return f"{start:%d.%m %H:%M} — {pick(m.name, m.french_name)} ({m.event_id})"

    @property
    def moment(self) -> PoolMoment | None:
        """The moment chosen."""
        i = self.moment_box.currentIndex()
        return self.moments[i] if 0 <= i < len(self.moments) else None

    def refresh(self) -> None:
        """Read the chosen moment's list again."""
        moment = self.moment
        self.entries = self.kiosk.pool.roster(moment.id) if moment else []
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language."""
        self.title.setText(self.tr("Pool cards"))
        self.moment_box.setAccessibleName(self.tr("Pooled moment"))
        self.table.setAccessibleName(self.tr("People entitled to a pool card"))
        for button, text in (
            (self.hand_out_button, self.tr("Hand out pool card")),
            (self.take_back_button, self.tr("Take back pool card")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Registration"),
                self.tr("Name"),
                self.tr("Media"),
                self.tr("Pool card"),
                self.tr("Handed out by"),
            ]
        )
        for i, m in enumerate(self.moments):  # the office's names, in the new language
            self.moment_box.setItemText(i, self._moment_text(m))
        moment = self.moment
        if moment is None:
            self.where.setText(self.tr("No pooled moment on file."))
        else:
            where = pick(*moment.handout_text())
            self.where.setText(
                self.tr("Cards handed out at {where}. Entitled: {count}.").format(
                    where=where, count=len(self.entries)
                )
            )
        self._fill()
        self._show_note()

    def _fill(self) -> None:
        states = {
            "waiting": self.tr("not handed out"),
            "out": self.tr("handed out"),
            "returned": self.tr("returned"),
        }
        media = {  # the kind in words, not its code ("tv", "photographer" in French)
            MediaKind.WRITTEN: self.tr("written press"),
            MediaKind.ONLINE: self.tr("online"),
            MediaKind.RADIO: self.tr("radio"),
            MediaKind.TV: self.tr("television"),
            MediaKind.FILM_CREW: self.tr("film crew"),
            MediaKind.PHOTOGRAPHER: self.tr("photographer"),
            MediaKind.TECHNICIAN: self.tr("technician"),
        }
        chosen = self.selected()
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            by = (
                f"{e.handed_by} {e.handed_at.astimezone(BRUSSELS):%d.%m %H:%M}"
                if e.handed_at
                else ""
            )
            values = (e.registration, e.name, media[e.media_kind], states[e.state], by)
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if chosen and e.accreditation_id == chosen.accreditation_id:
                self.table.selectRow(row)

    def selected(self) -> PoolEntry | None:
        """The person selected in the list."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def scan(self, text: str) -> None:
        """A scanned confirmation code selects its holder in the list."""
        decision = self.kiosk.desk.evaluate(text.strip())
        case = decision.case
        row = next(
            (
                i
                for i, e in enumerate(self.entries)
                if case and e.accreditation_id == case.accreditation.id
            ),
            None,
        )
        if row is None:  # the person at the desk is not the one selected before
            self.table.clearSelection()
            self._note = (
                "Not on this moment's pool list: " + decision.headline_en
                if case is None
                else f"{case.accreditation.registration} is not on this moment's pool list.",
                "Absent de la liste du pool de ce moment : " + decision.headline_fr
                if case is None
                else f"{case.accreditation.registration} n'est pas sur la liste du pool de ce "
                "moment.",
                False,
            )
        else:
            self.table.selectRow(row)
            self._note = None
        self._show_note()

    def hand_out(self) -> None:
        """Hand the selected person the moment's card."""
        self._act(self.kiosk.pool.hand_out, ("Pool card handed out to", "Carte de pool remise à"))

    def take_back(self) -> None:
        """Take the selected person's card back."""
        self._act(self.kiosk.pool.take_back, ("Pool card returned by", "Carte de pool rendue par"))

    def _act(self, action, done: tuple[str, str]) -> None:
        entry, moment = self.selected(), self.moment
        if entry is None or moment is None:
            self._note = ("Select a person first.", "Choisir d'abord une personne.", False)
            self._show_note()
            return
        try:
            after = action(moment.id, entry.accreditation_id, self.actor)
        except (PoolError, AccessDenied, AccountStopped) as err:  # e.g. disabled meanwhile
            self._note = (*in_words(err), False)
        else:
            self._note = (
                f"{done[0]} {after.registration} {after.name}.",
                f"{done[1]} {after.registration} {after.name}.",
                True,
            )
        self.refresh()

    def _show_note(self) -> None:
        if self._note is None:
            self.message.clear()
        else:
            en, fr, ok = self._note
            self.message.setText(pick(en, fr))
            self.message.setStyleSheet(
                "font-size: 14px; color: " + ("#1b5e20;" if ok else "#b71c1c;")
            )
        self.message.setVisible(self._note is not None)
