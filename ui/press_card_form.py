"""The press card the clerk saw at the counter: number, issuing body and expiry, typed
in and recorded; the rules compare it with the card used to apply
(`kiosk.desk_checks`). A card typed wrong is refused with a sentence and nothing is
recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QPushButton

from kiosk.desk_checks import PressCardError, read_press_card
from kiosk.model import PressCardSeen
from ui.language import Retranslating, pick
from ui.plain_label import Label


class PressCardForm(Retranslating, QFrame):
    """Three fields and Record; `recorded` carries the card (None when cleared)."""

    recorded = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("pressCard")
        self.number, self.issuer, self.expiry = QLineEdit(), QLineEdit(), QLineEdit()
        self.expiry.setMaxLength(10)
        for field, least in ((self.number, 150), (self.issuer, 110), (self.expiry, 130)):
            field.setMinimumWidth(least)
        self.record_button, self.clear_button = QPushButton(), QPushButton()
        self.record_button.clicked.connect(self.record)
        self.clear_button.clicked.connect(self.clear)
        for b in (self.record_button, self.clear_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing goes to the fields, or scans
        for field in (self.number, self.issuer, self.expiry):
            field.returnPressed.connect(self.record)  # Enter in any field records the card
        self.message = Label()
        self.message.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.addWidget(self.number, 0, 0)
        grid.addWidget(self.issuer, 0, 1)
        grid.addWidget(self.expiry, 0, 2)
        grid.addWidget(self.record_button, 0, 3)
        grid.addWidget(self.clear_button, 0, 4)
        grid.addWidget(self.message, 1, 0, 1, 5)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)
        self._error: PressCardError | None = None
        self.card: PressCardSeen | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language."""
        names = (
            (self.number, self.tr("Press card no."), self.tr("Press card seen: number")),
            (self.issuer, self.tr("Issued by"), self.tr("Press card seen: issued by")),
            (self.expiry, self.tr("YYYY-MM-DD"), self.tr("Press card seen: expires")),
        )
        for field, hint, name in names:
            field.setPlaceholderText(hint)
            field.setAccessibleName(name)
        for button, text in (
            (self.record_button, self.tr("Record card")),
            (self.clear_button, self.tr("Clear")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
        self._show()

    def record(self) -> None:
        """Read the three fields; a card typed wrong is said, and nothing recorded."""
        try:
            card = read_press_card(self.number.text(), self.issuer.text(), self.expiry.text())
        except PressCardError as err:
            self._error = err
            self._show()
            return
        self._error, self.card = None, card
        self._show()
        self.recorded.emit(card)

    def clear(self) -> None:
        """Empty the fields and record no card."""
        for field in (self.number, self.issuer, self.expiry):
            field.clear()
        had = self.card is not None
        self._error = self.card = None
        self._show()
        if had:
            self.recorded.emit(None)

    def forget(self) -> None:
        """A new applicant: empty the fields, record nothing (the presenter forgot it)."""
        for field in (self.number, self.issuer, self.expiry):
            field.clear()
        self._error = self.card = None
        self._show()

    def _show(self) -> None:
        if self._error is not None:
            self.message.setText(pick(self._error.message_en, self._error.message_fr))
            self.message.setStyleSheet("color: #b71c1c;")
        elif self.card is not None:
            self.message.setText(
                self.tr("Recorded: card {number} ({issuer}), expires {expiry}.").format(
                    number=self.card.number,
                    issuer=self.card.issuer,
                    expiry=f"{self.card.expiry:%d.%m.%Y}",
                )
            )
            self.message.setStyleSheet("color: #1b5e20;")
        else:
            self.message.clear()
        self.message.setVisible(bool(self.message.text()))
