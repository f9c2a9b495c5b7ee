"""The "waiting to print" strip: badges of earlier applicants not handed over yet.

A badge whose printing failed (or that still sits at a printer) leaves the print panel
when the clerk turns to the next applicant, and waits here with its holder's name, its
serial, what the printer said and its own buttons (Retry, Send to…, Cancel), so that
F12 always means "issue the applicant on screen". A badge printed from here stays, with
the printer it came out of, until the clerk marks it handed over.

The keyboard works it too: one row is chosen (▶, the oldest at first; ↑ and ↓ choose
another), and only that row's buttons name their keys: Ctrl+F12 retries its badge or
marks it handed over, Ctrl+F8 sends it to another printer (the screen asks which),
Ctrl+F10 cancels its printing. A key that does not apply to the row says why.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.language import Retranslating, pick
from ui.plain_label import Label
from ui.presenter import CounterPresenter, PrintPhase, PrintView
from ui.theme import TROUBLE

SHOWN = 3  # rows at most; the rest are counted on the title line


class WaitingStrip(Retranslating, QFrame):
    """The presenter's `waiting` badges, one row each."""

    send_elsewhere = Signal(str)  # the serial of the badge to send to another printer

    def __init__(self, presenter: CounterPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.p = presenter
        self.chosen = ""  # the serial of the row the keys act on
        self.setObjectName("waitingStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"QFrame#waitingStrip {{ border: 3px solid {TROUBLE}; }}")
        self.title = Label()
        self.title.setObjectName("waitingTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.rows: list[StripRow] = []
        self.area = RowsArea(self)
        self.col = self.area.col
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(2)
        outer.addWidget(self.title)
        outer.addWidget(self.area)
        presenter.print_changed.connect(self.render)
        presenter.busy_changed.connect(lambda _busy: self.render())
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setAccessibleName(self.tr("Badges waiting to print"))
        self.render()

    def render(self) -> None:
        """One row per waiting badge (the oldest first), hidden when none waits."""
        views = self.p.waiting
        self.setVisible(bool(views))
        more = len(views) - SHOWN
        shown = [v.serial for v in views[:SHOWN]]
        if self.chosen not in shown:  # its badge left: the oldest row again
            self.chosen = shown[0] if shown else ""
        self.title.setText(
            self.tr("Waiting to print: {n}").format(n=len(views))
            + (self.tr(" ({more} more not shown)").format(more=more) if more > 0 else "")
            + (self.tr(" — ↑ ↓ choose a badge") if len(shown) > 1 else "")
        )
        while len(self.rows) < min(len(views), SHOWN):
            row = StripRow(self.p, self)
            row.send_elsewhere.connect(self.send_elsewhere)
            self.rows.append(row)
            self.col.addWidget(row)
        for i, row in enumerate(self.rows):
            view = views[i] if i < len(views) else None
            row.show_view(view, chosen=bool(view and view.serial == self.chosen))
        self.area.updateGeometry()
        QTimer.singleShot(0, self, self._bring_chosen_into_view)  # once the rows are laid out

    def _bring_chosen_into_view(self) -> None:
        if chosen := self.chosen_row():
            self.area.ensureWidgetVisible(chosen, 0, 0)

    def choose(self, step: int) -> None:
        """Choose the row `step` rows below the chosen one (above when negative)."""
        shown = [v.serial for v in self.p.waiting[:SHOWN]]
        if shown:
            at = shown.index(self.chosen) if self.chosen in shown else 0
            self.chosen = shown[max(0, min(len(shown) - 1, at + step))]
            self.render()

    def chosen_row(self) -> StripRow | None:
        """The row the keys act on (None when the strip is empty)."""
        return next((r for r in self.rows if r.view and r.serial == self.chosen), None)


class RowsArea(QScrollArea):
    """The strip's rows: as tall as all of them where the screen has room, down to the
    first one on a short screen (the rest scroll, ↑ and ↓ bring the chosen one into
    view), so that the window never grows past the screen, its buttons off its edge."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        inner = QWidget()
        self.col = QVBoxLayout(inner)
        self.col.setContentsMargins(0, 0, 0, 0)
        self.col.setSpacing(2)
        self.setWidget(inner)

    def sizeHint(self) -> QSize:
        """Room for every row shown."""
        return QSize(super().sizeHint().width(), self.widget().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        """Room for the first row."""
        first = next((w for w in self.widget().findChildren(StripRow) if w.view), None)
        if first is None:
            return QSize(0, 0)
        width = self.viewport().width()  # a wrapped row's height at the width it has
        return QSize(0, first.heightForWidth(width) if width > 0 else first.sizeHint().height())


class StripRow(QWidget):
    """One waiting badge: who, which serial, where it stands, and what can be done."""

    send_elsewhere = Signal(str)

    def __init__(self, presenter: CounterPresenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.p = presenter
        self.view: PrintView | None = None
        self.text = Label()
        self.text.setObjectName("waitingBadge")
        self.text.setWordWrap(True)
        self.retry_button = QPushButton()
        self.send_button = QPushButton()
        self.cancel_button = QPushButton()
        self.done_button = QPushButton()
        self.retry_button.clicked.connect(lambda: self.p.retry_print(serial=self.serial))
        self.send_button.clicked.connect(lambda: self.send_elsewhere.emit(self.serial))
        self.cancel_button.clicked.connect(lambda: self.p.cancel_print(self.serial))
        self.done_button.clicked.connect(lambda: self.p.done_with(self.serial))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        for b in (self.retry_button, self.send_button, self.cancel_button, self.done_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
            row.addWidget(b)

    @property
    def serial(self) -> str:
        """The serial of the badge this row shows ("" when hidden)."""
        return self.view.serial if self.view else ""

    def show_view(self, view: PrintView | None, chosen: bool = False) -> None:
        """Show `view` (None: hide the row); the chosen row's buttons name their keys."""
        self.view = view
        self.setVisible(view is not None)
        if view is None:
            return
        self.text.setText(("▶ " if chosen else "") + self._words(view))
        sheet = "font-weight: bold;" if chosen else ""
        if self.text.styleSheet() != sheet:
            self.text.setStyleSheet(sheet)
        self.setAccessibleName(self.text.text())
        failed, waiting = view.phase is PrintPhase.FAILED, view.phase.waiting
        self.retry_button.setText(self.tr("Retry [Ctrl+F12]") if chosen else self.tr("Retry"))
        self.send_button.setText(self.tr("Send to… [Ctrl+F8]") if chosen else self.tr("Send to…"))
        self.cancel_button.setText(
            self.tr("Cancel printing [Ctrl+F10]") if chosen else self.tr("Cancel printing")
        )
        self.done_button.setText(
            self.tr("Handed over [Ctrl+F12]") if chosen else self.tr("Handed over")
        )
        for button, shown in (
            (self.retry_button, failed),
            (self.send_button, failed),
            (self.cancel_button, waiting),
            (self.done_button, view.phase in (PrintPhase.PRINTED, PrintPhase.HANDED_OVER)),
        ):
            button.setVisible(shown)
            button.setEnabled(shown and not (self.p.busy and button is not self.cancel_button))
            button.setAccessibleName(f"{button.text()} — {view.serial}")

    def next_step(self) -> None:
        """Ctrl+F12: retry a failed badge, or mark a printed one handed over; over a badge
        still at a printer, say why nothing happens."""
        for button in (self.retry_button, self.done_button):
            if button.isVisibleTo(self) and button.isEnabled():
                button.click()
                return
        self._still_printing()

    def send_key(self) -> None:
        """Ctrl+F8: send a failed badge to another printer (a badge still at a printer:
        say why not)."""
        if self.send_button.isVisibleTo(self) and self.send_button.isEnabled():
            self.send_button.click()
        else:
            self._still_printing()

    def cancel_key(self) -> None:
        """Ctrl+F10: cancel the printing of a badge still at a printer."""
        if self.cancel_button.isVisibleTo(self) and self.cancel_button.isEnabled():
            self.cancel_button.click()

    def _still_printing(self) -> None:
        """A key for a failed or printed badge, pressed over one a printer still has."""
        view = self.view
        if view is None or not view.phase.waiting:
            return
        self.p.say(
            lambda: self.tr(
                "Badge {serial} ({holder}) is still printing: nothing to retry or hand over "
                "yet. Wait for it, or cancel its printing [Ctrl+F10]."
            ).format(serial=view.serial, holder=view.holder)
        )

    def _words(self, view: PrintView) -> str:
        said = pick(view.message_en, view.message_fr) if view.message_en else ""
        if view.phase is PrintPhase.FAILED:
            state = self.tr("print failed")
        elif view.phase.waiting:
            state = self.tr("printing")
        elif view.phase is PrintPhase.HANDED_OVER:
            state = self.tr("pre-printed: take it from the tray and hand it over")
            said = ""
        elif view.on_card:
            state = self.tr("printed on {printer}: hand it over").format(printer=view.printer)
            said = ""
        else:
            state = self.tr("saved as a PDF file, no card printed")
            said = ""
        mark = "⚠" if view.phase is PrintPhase.FAILED or view.phase.waiting else "✔"
        words = f"{mark} {view.holder} — {view.serial} — {state}"
        return self.tr("{words}: {said}").format(words=words, said=said) if said else words
