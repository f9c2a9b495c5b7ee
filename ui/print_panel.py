"""The print panel: where the badge just issued stands, in words, with what to do next.

Printing, printed (hand the badge over), a pre-printed card to take from the tray, or
print failed with the printer's problem (out of cards, jammed, printer gone…) and the
two ways out: **Retry** and **Send to another printer**. A job waiting at a printer
with a problem can be cancelled (F10); a card just handed over in error can be taken
back by a supervisor (**Undo hand-over**, asked for by the screen; never after a PDF-only
print, when no card was handed over).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from printing.printer import PrinterInfo, clerk_message
from printing.printers import FOLDER
from ui.framed_dialog import FramedDialog
from ui.language import Retranslating, pick
from ui.plain_label import Label
from ui.presenter import CounterPresenter, PrintPhase, PrintView
from ui.theme import ERROR, MUTED, TROUBLE, TROUBLE_INK

PHASE_COLOUR = {
    PrintPhase.SENDING: MUTED,
    PrintPhase.WAITING: MUTED,
    PrintPhase.PRINTED: "#1b5e20",
    PrintPhase.HANDED_OVER: "#1b5e20",
    PrintPhase.UNDONE: "#455a64",
}
TROUBLE_PHASES = (PrintPhase.PROBLEM, PrintPhase.FAILED)  # a printer fault, not a verdict


class PrintPanel(Retranslating, QFrame):
    """Shows the presenter's `print` view; its buttons act on that badge."""

    send_elsewhere = Signal()  # the clerk wants to choose another printer
    undo_requested = Signal()  # the clerk asks a supervisor to undo the hand-over

    def __init__(self, presenter: CounterPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.p = presenter
        self.setObjectName("printPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = Label()
        self.headline.setObjectName("printHeadline")
        self.headline.setWordWrap(True)
        self.detail = Label()
        self.detail.setObjectName("printDetail")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("font-size: 14px;")
        self.pool_note = Label()
        self.pool_note.setWordWrap(True)
        self.pool_note.setStyleSheet("font-size: 14px; font-weight: bold; color: #4a148c;")
        self.retry_button = QPushButton()
        self.retry_button.clicked.connect(lambda: self.p.retry_print())
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send_elsewhere)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.p.cancel_print)
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo_requested)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 6, 8, 6)
        col.addWidget(self.headline)
        col.addWidget(self.detail)
        col.addWidget(self.pool_note)
        # One button a line: the panel is the counter screen's narrow right column, where
        # "Envoyer à une autre imprimante… [F8]" beside "Réessayer [F12]" would be cut off.
        for b in (self.retry_button, self.send_button, self.cancel_button, self.undo_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
            col.addWidget(b)
        col.addStretch(1)
        presenter.print_changed.connect(self.render)
        presenter.busy_changed.connect(lambda _busy: self.render())
        presenter.changed.connect(self.render)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.retry_button.setText(self.tr("Retry [F12]"))
        self.send_button.setText(self.tr("Send to another printer… [F8]"))
        self.cancel_button.setText(self.tr("Cancel printing [F10]"))
        self.undo_button.setText(self.tr("Undo hand-over… [F9]"))
        self.setAccessibleName(self.tr("Badge printing"))
        self.render()

    def render(self) -> None:
        """Show where the badge stands and offer what can be done about it."""
        view = self.p.print
        self.headline.setText(self._headline(view) if view else self.tr("No badge printing."))
        if view and self.p.revoked == view.serial:
            sheet = (
                "font-size: 17px; font-weight: bold; color: white;"
                f" background: {ERROR}; padding: 4px; border-radius: 4px;"
            )
        elif view and view.phase in TROUBLE_PHASES:
            sheet = (
                f"font-size: 17px; font-weight: bold; color: {TROUBLE_INK};"
                f" background: {TROUBLE}; padding: 4px; border-radius: 4px;"
            )
        else:
            pdf_only = view and view.phase is PrintPhase.PRINTED and not view.on_card
            colour = PHASE_COLOUR[view.phase] if view and not pdf_only else MUTED
            sheet = f"font-size: 17px; font-weight: bold; color: {colour};"
        if self.headline.styleSheet() != sheet:  # a new style sheet costs a re-polish
            self.headline.setStyleSheet(sheet)
        self.detail.setText(self._detail(view) if view else "")
        self.pool_note.setText(
            self.tr("Pool cards are handed out at the pool desk, not printed on the badge.")
            if view and view.pool
            else ""
        )
        self.pool_note.setVisible(bool(view and view.pool))
        failed = bool(view and view.phase is PrintPhase.FAILED and self.p.revoked != view.serial)
        for b in (self.retry_button, self.send_button):  # never for a badge revoked since
            b.setVisible(failed)
            b.setEnabled(failed and not self.p.busy)
        self.cancel_button.setVisible(bool(view and view.phase.waiting))
        self.undo_button.setVisible(self.p.can_undo_handover)

    def _headline(self, view: PrintView) -> str:
        if self.p.revoked == view.serial and self.p.revoked_without_card:
            return self.tr(
                "Badge {serial} is revoked, and no card of it was printed: do not print it"
            ).format(serial=view.serial)
        if self.p.revoked == view.serial:
            return self.tr("Badge {serial} is revoked: take it back from the holder").format(
                serial=view.serial
            )
        if view.phase is PrintPhase.PRINTED and not view.on_card:
            return self.tr("No card printed: badge {serial} was saved as a PDF file").format(
                serial=view.serial
            )
        texts = {
            PrintPhase.SENDING: self.tr("Printing badge {serial}…"),
            PrintPhase.WAITING: self.tr("Printing badge {serial} on {printer}…"),
            PrintPhase.PROBLEM: self.tr("⚠ {printer} needs attention: badge {serial} waits"),
            PrintPhase.PRINTED: self.tr("Printed on {printer}: hand badge {serial} over"),
            PrintPhase.HANDED_OVER: self.tr(
                "Pre-printed: take card {serial} from the tray and hand it over"
            ),
            PrintPhase.FAILED: self.tr("⚠ Print failed: badge {serial}"),
            PrintPhase.UNDONE: self.tr("Hand-over undone: card {serial} waits, pre-printed"),
        }
        return texts[view.phase].format(serial=view.serial, printer=view.printer)

    def _detail(self, view: PrintView) -> str:
        lines = [view.holder]
        if view.message_en and view.phase in (
            PrintPhase.WAITING,
            PrintPhase.PROBLEM,
            PrintPhase.FAILED,
        ):
            lines.append(pick(view.message_en, view.message_fr))
        elif view.phase is PrintPhase.FAILED:
            lines.append(self.tr("Retry, or send the badge to another printer."))
        if view.phase is PrintPhase.PRINTED and not view.on_card:
            lines.append(
                self.tr("The folder printer only writes a PDF file: no card came out of a printer.")
            )
        return "\n".join(lines)


def preselected(printers: list[PrinterInfo], failed: str, counter: str) -> int | None:
    """The row to pre-select: the counter's own card printer when it is ready (fixed since
    it failed, or the failure was elsewhere), else a ready card printer other than the
    one that failed; never the folder printer (a PDF file is no card, so F8 then Enter
    must not "print" one by default). None when no card printer is ready."""
    cards = [i for i, p in enumerate(printers) if p.ready and p.name != FOLDER]
    own = [i for i in cards if printers[i].name == counter]
    others = [i for i in cards if printers[i].name != failed]
    return (own or others or [None])[0]


class PrinterDialog(FramedDialog):
    """Choose the printer to send a badge to: arrows and Enter, or the mouse."""

    def __init__(
        self,
        printers: list[PrinterInfo],
        current: str,
        parent=None,
        *,
        counter: str = "",
        badge: str = "",
    ) -> None:
        super().__init__(parent)
        self.chosen: str | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Printers"))
        # A printer's state ends its line: wrapped, never hidden past a horizontal scroll.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for info in printers:
            item = QListWidgetItem(self._describe(info, current))
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            if not info.ready:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        row = preselected(printers, current, counter)
        self.list.setCurrentRow(-1 if row is None else row)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        self.prompt = Label(
            self.tr("Send badge {badge} to which printer?").format(badge=badge)
            if badge
            else self.tr("Send the badge to which printer?")
        )
        self.prompt.setWordWrap(True)
        col.addWidget(self.prompt)
        col.addWidget(self.list)
        col.addWidget(buttons)
        self.setWindowTitle(self.tr("Send to another printer"))
        self.resize(760, 320)

    def _describe(self, info: PrinterInfo, current: str) -> str:
        if info.ready:
            state = self.tr("ready")
        elif info.problem:
            state = pick(*clerk_message(info.problem, info.name))
        else:
            state = self.tr("not ready")
        mark = self.tr(" (the printer that failed)") if info.name == current else ""
        if info.kind == "folder":
            what = self.tr("PDF files only, no card is printed")
            return f"{info.name}{mark} — {what} — {state}"
        return f"{info.name}{mark} — {info.description} — {state}"

    def accept(self) -> None:
        """Keep the chosen printer's name."""
        item = self.list.currentItem()
        self.chosen = item.data(Qt.ItemDataRole.UserRole) if item else None
        super().accept()
