"""The supervisor's tools: badges whose printing failed (Retry, Send to another printer),
the pre-printed cards waiting in the drawer, today's hand-overs (Undo hand-over, with a
written reason), and how to reprint a lost or damaged badge. A badge scanned here (its QR
code, or its serial from the barcode) selects its row and says what can be done with it.

Every action is taken in the signed-in supervisor's name and checked by the core
(`kiosk.roles`): what the role may not do is refused there and said here in words.
Printing and the lists' reading run on a worker; the screen stays responsive while a
printer works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.badge_life import LifeRefused
from kiosk.model import BadgeStatus, Counter
from kiosk.overview import BadgeLine, badges_of, failed_prints, handovers, preprinted_queue
from kiosk.roles import Actor
from kiosk.services import Kiosk
from ui.background import Background
from ui.errors import in_words
from ui.language import Retranslating, pick, pick_office
from ui.overview_screen import fill_table, make_table, print_reason
from ui.plain_label import Label, ask_text

# What a badge scanned here can be given, by the list that holds it (English, French).
FAILED_HERE = (
    "{serial}: its printing failed. Retry, or send it to another printer.",
    "{serial} : son impression a échoué. Réessayer, ou l'envoyer à une autre imprimante.",
)
HANDED_OVER_HERE = (
    "{serial}: handed over today and still valid. Undo hand-over… puts it back in the drawer.",
    "{serial} : remis aujourd'hui, encore valable. Annuler la remise… le remet dans le tiroir.",
)
WAITING_HERE = (
    "{serial}: pre-printed, waiting in the drawer to be handed over.",
    "{serial} : pré-imprimé, attend dans le tiroir d'être remis.",
)
IN_NO_LIST = (
    "{serial} is in none of these lists: Badge life shows its history.",
    "{serial} ne figure dans aucune de ces listes : Vie des badges montre son historique.",
)


@dataclass(frozen=True)
class Lists:
    """The badges the supervisor acts on, as read in one go."""

    failed: list[BadgeLine]
    handed_over: list[BadgeLine]
    queue: list[BadgeLine]


class SupervisorScreen(Retranslating, QWidget):
    """Print failures, the pre-printed queue, today's hand-overs, reprint guidance."""

    def __init__(self, kiosk: Kiosk, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk, self.actor = kiosk, actor
        self.lists = Lists([], [], [])
        self.loaded = False
        self.found: list[BadgeLine] | None = None  # the badges of the applicant searched
        self.found_as = ""  # their registration (A0000003), said even when they have none
        self._said: tuple[Callable[[], str], bool] | None = None  # asked again in French
        self.background = Background(self)
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = Label()
        self.title.setObjectName("screenTitle")
        self.refresh_button = self._button(self.refresh)
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        col.addLayout(top)
        grid = QGridLayout()
        self.failed = make_table(5, 4)
        self.retry_button = self._button(self.retry)
        self.send_button = self._button(self.send_elsewhere)
        self.handed_over = make_table(5, 2)
        self.undo_button = self._button(self.undo_handover)
        self.queue = make_table(3, 2)
        self.failed_title, self.handed_title, self.queue_title = Label(), Label(), Label()
        grid.addLayout(
            self._section(self.failed_title, self.failed, [self.retry_button, self.send_button]),
            0,
            0,
        )
        grid.addLayout(self._section(self.handed_title, self.handed_over, [self.undo_button]), 1, 0)
        grid.addLayout(self._section(self.queue_title, self.queue, []), 0, 1)
        grid.addLayout(self._reprint(), 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        col.addLayout(grid, 1)
        self.message = Label()
        self.message.setObjectName("supervisorMessage")
        self.message.setWordWrap(True)
        col.addWidget(self.message)
        for table in (self.failed, self.handed_over):
            table.itemSelectionChanged.connect(self._enable)
        self.retranslate()

    @staticmethod
    def _button(action: Callable[[], object]) -> QPushButton:
        button = QPushButton()
        button.clicked.connect(lambda: action())
        return button

    @staticmethod
    def _section(title: QLabel, table: QTableWidget, buttons: list[QPushButton]) -> QVBoxLayout:
        box = QVBoxLayout()
        title.setStyleSheet("font-weight: bold;")
        box.addWidget(title)
        box.addWidget(table, 1)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)
        return box

    def _reprint(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.reprint_title = Label()
        self.reprint_title.setStyleSheet("font-weight: bold;")
        self.guidance = Label()
        self.guidance.setWordWrap(True)
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.find_button = self._button(self.find_applicant)
        self.applicant = Label()
        self.applicant.setObjectName("applicantBadges")
        self.applicant.setWordWrap(True)
        self.applicant.setAlignment(Qt.AlignmentFlag.AlignTop)
        box.addWidget(self.reprint_title)
        box.addWidget(self.guidance)
        row = QHBoxLayout()
        row.addWidget(self.find_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.applicant, 1)
        return box

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("Supervisor tools — {name}").format(name=self.actor.name))
        self.refresh_button.setText(self.tr("Refresh [F5]"))
        self.failed_title.setText(self.tr("Print failed: retry, or send to another printer"))
        self.retry_button.setText(self.tr("Retry"))
        self.send_button.setText(self.tr("Send to another printer…"))
        self.handed_title.setText(self.tr("Handed over today, still valid"))
        self.undo_button.setText(self.tr("Undo hand-over…"))
        self.queue_title.setText(self.tr("Pre-printed, waiting to be handed over"))
        self.reprint_title.setText(self.tr("Reprint a lost or damaged badge"))
        self.guidance.setText(
            self.tr(
                "At the counter: scan the applicant's confirmation code, or search for the "
                "applicant [F3]; scan the ID document; then press Supervisor override [F9] "
                "and give the reason. The new badge supersedes the old one, which security "
                "then refuses. A soft refusal is overridden the same way."
            )
        )
        self.find_button.setText(self.tr("Find an applicant's badges… [F3]"))
        self.failed.setHorizontalHeaderLabels(
            [
                self.tr("Serial"),
                self.tr("Name"),
                self.tr("Accreditation"),
                self.tr("Printer"),
                self.tr("What happened"),
            ]
        )
        self.handed_over.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Serial"),
                self.tr("Name"),
                self.tr("Counter"),
                self.tr("Clerk"),
            ]
        )
        self.queue.setHorizontalHeaderLabels(
            [self.tr("Serial"), self.tr("Name"), self.tr("Accreditation")]
        )
        self.failed.setAccessibleName(self.failed_title.text())
        self.handed_over.setAccessibleName(self.handed_title.text())
        self.queue.setAccessibleName(self.queue_title.text())
        self.render()

    def showEvent(self, event) -> None:
        """The lists as they are now, whenever the screen comes to the front."""
        super().showEvent(event)
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F5 refreshes, F3 finds an applicant."""
        action = {Qt.Key.Key_F5: self.refresh, Qt.Key.Key_F3: self.find_applicant}.get(event.key())
        if action is None:
            super().keyPressEvent(event)
        else:
            action()

    def scan(self, text: str) -> None:
        """A badge scanned (a card brought to the supervisor): its row selected in the list
        that holds it, and what can be done with it said; or that no list holds it."""
        from scanning.keyboard_layout import serial_or_text

        try:  # a barcode scanner set for another keyboard layout: its serial as meant
            serial = self.kiosk.life.serial_of(serial_or_text(text))
        except LifeRefused as refused:
            self._say(partial(pick, refused.message_en, refused.message_fr), True)
            return
        for table, lines, (en, fr) in (
            (self.failed, self.lists.failed, FAILED_HERE),
            (self.handed_over, self.lists.handed_over, HANDED_OVER_HERE),
            (self.queue, self.lists.queue, WAITING_HERE),
        ):
            row = next((i for i, b in enumerate(lines) if b.serial == serial), None)
            if row is not None:
                table.selectRow(row)
                table.setFocus()
                self._say(lambda en=en, fr=fr: pick(en, fr).format(serial=serial))
                return
        self._say(lambda: pick(*IN_NO_LIST).format(serial=serial), True)

    # --- the lists -----------------------------------------------------------------

    def refresh(self) -> None:
        """Read the three lists again (on the worker)."""
        store, tz = self.kiosk.store, self.kiosk.desk.clock().tzinfo
        day = self.kiosk.desk.clock().date()

        def work() -> Lists:
            return Lists(
                failed_prints(store, tz), handovers(store, day, tz), preprinted_queue(store, tz)
            )

        self.background.run(work, self._loaded, self._failed)

    def _loaded(self, lists: Lists) -> None:
        self.lists, self.loaded = lists, True
        self.render()

    def _failed(self, error: Exception) -> None:
        words = in_words(error)
        self._say(
            lambda: self.tr("Could not read the badges: {error}").format(error=pick(*words)), True
        )

    def render(self) -> None:
        """Show the lists read last."""
        fill_table(
            self.failed,
            [
                [b.serial, b.name, b.registration, b.printer, print_reason(b.message, b.printer)]
                for b in self.lists.failed
            ],
        )
        if self.lists.failed and not self.failed.selectionModel().hasSelection():
            self.failed.selectRow(0)  # Retry at once for the oldest failure
        counters = {Counter.GROUPS: self.tr("Groups"), Counter.VISITORS: self.tr("Visitors")}
        fill_table(
            self.handed_over,
            [
                [f"{b.issued_at:%H:%M}", b.serial, b.name, counters[b.counter], b.clerk]
                for b in self.lists.handed_over
            ],
        )
        fill_table(self.queue, [[b.serial, b.name, self._what(b)] for b in self.lists.queue])
        self._enable()
        if self.found is not None:
            self.applicant.setText(self._badges_text(self.found, self.found_as))
        self._show_said()

    def _what(self, b: BadgeLine) -> str:
        return f"{b.registration} — {self._accreditation(b)}"

    def _accreditation(self, b: BadgeLine) -> str:
        if b.event_name:
            return pick_office(b.event_name, b.event_name_fr)
        return self.tr("Annual {year}").format(year=b.year)

    def _enable(self) -> None:
        idle = not self.background.busy
        for button, table in (
            (self.retry_button, self.failed),
            (self.send_button, self.failed),
            (self.undo_button, self.handed_over),
        ):
            button.setEnabled(idle and self._selected(table) is not None)

    def _selected(self, table: QTableWidget) -> BadgeLine | None:
        rows = table.selectionModel().selectedRows()
        source = self.lists.failed if table is self.failed else self.lists.handed_over
        if not rows or rows[0].row() >= len(source):
            return None
        return source[rows[0].row()]

    def _say(self, text: Callable[[], str], error: bool = False) -> None:
        """Show `text()` (asked again when the language changes), green or, `error`, red."""
        self._said = (text, error)
        self._show_said()

    def _show_said(self) -> None:
        if self._said is None:
            return
        text, error = self._said
        self.message.setText(text())
        colour = "#b71c1c" if error else "#1b5e20"
        self.message.setStyleSheet(f"font-size: 17px; font-weight: bold; color: {colour};")

    # --- actions -------------------------------------------------------------------

    def retry(self) -> None:
        """Print the selected failed badge again, on this counter's printer."""
        badge = self._selected(self.failed)
        if badge is not None:
            self._print(badge, None)

    def send_elsewhere(self) -> None:
        """Choose another printer for the selected failed badge, then print it there."""
        badge = self._selected(self.failed)
        if badge is None:
            return
        from printing.printers import list_printers

        data_dir = self.kiosk.data_dir
        self._run(lambda: list_printers(data_dir), lambda printers: self._choose(badge, printers))

    def _choose(self, badge: BadgeLine, printers: list) -> None:
        from printing.printers import PrinterSettingsInvalid
        from ui.print_panel import PrinterDialog

        try:
            counter_printer = self.kiosk.printing.printer_name
        except PrinterSettingsInvalid:  # none to offer first: the supervisor chooses
            counter_printer = ""
        dialog = PrinterDialog(  # as at the counter: the printer that failed is the badge's
            printers,
            badge.printer or counter_printer,
            self,
            counter=counter_printer,
            badge=f"{badge.serial} ({badge.name})",
        )
        if dialog.exec() and dialog.chosen:
            self._print(badge, dialog.chosen)

    def _print(self, badge: BadgeLine, printer: str | None) -> None:
        printing, actor = self.kiosk.printing, self.actor
        self._say(lambda: self.tr("Printing badge {serial}…").format(serial=badge.serial))

        def work():
            return printing.print_badge(badge.serial, printer, None, badge.batch, actor=actor)

        self._run(work, self._printed)

    def _printed(self, outcome) -> None:
        self._say(partial(pick, outcome.message_en, outcome.message_fr), not outcome.ok)
        self.refresh()

    def undo_handover(self) -> None:
        """Take back the selected hand-over, with the supervisor's written reason."""
        badge = self._selected(self.handed_over)
        if badge is None:
            return
        reason = ask_text(
            self,
            self.tr("Undo hand-over"),
            self.tr("Why is the hand-over of badge {serial} ({name}) undone? (required)").format(
                serial=badge.serial, name=badge.name
            ),
        )
        if reason is None:
            return
        if not reason.strip():
            self._say(lambda: self.tr("Nothing was undone: a written reason is required."), True)
            return
        self.take_back(badge.serial, reason.strip())

    def take_back(self, serial: str, reason: str) -> None:
        """Undo the hand-over of `serial` in the supervisor's name (on the worker)."""
        desk, actor = self.kiosk.desk, self.actor

        def done(_badge) -> None:
            self._say(
                lambda: self.tr(
                    "Hand-over of badge {serial} undone: the card waits, pre-printed, "
                    "until the applicant is checked again."
                ).format(serial=serial)
            )
            self.refresh()

        self._run(lambda: desk.undo_handover(serial, actor, reason), done)

    def find_applicant(self) -> None:
        """Search an applicant and show their badges, with what to do for a reprint."""
        from ui.search_dialog import SearchDialog

        dialog = SearchDialog(self.kiosk, self)
        if not dialog.exec():
            return
        if dialog.scanned is not None:  # a confirmation code scanned or typed into it
            self._show_badges_of_code(dialog.scanned)
        elif dialog.chosen is not None:
            self.show_badges_of(dialog.chosen)

    def _show_badges_of_code(self, code: str) -> None:
        """The badges of the applicant whose confirmation code `code` is; or why not."""
        case = self.kiosk.desk.evaluate(code).case
        if case is None:
            self._say(
                lambda: self.tr(
                    "No applicant of this kiosk has that confirmation code: search by name "
                    "or number [F3]."
                ),
                True,
            )
            return
        self.show_badges_of(case.accreditation.id)

    def show_badges_of(self, accreditation_id: int) -> None:
        """Read and show the badges of one accreditation."""
        store, tz = self.kiosk.store, self.kiosk.desk.clock().tzinfo
        registration = f"A{accreditation_id:07d}"

        def shown(lines: list[BadgeLine]) -> None:
            self.found, self.found_as = lines, registration
            self.applicant.setText(self._badges_text(lines, registration))

        self._run(lambda: badges_of(store, accreditation_id, tz), shown)

    def _badges_text(self, lines: list[BadgeLine], registration: str = "") -> str:
        if not lines:
            return self.tr(
                "{registration}: no badge yet. Nothing to reprint: the counter issues the "
                "first badge after the usual checks."
            ).format(registration=registration or "—")
        first = lines[0]
        text = [f"{first.registration} {first.name} — {self._accreditation(first)}"]
        states = {
            BadgeStatus.PRINTING: self.tr("printing"),
            BadgeStatus.PRINT_FAILED: self.tr("print failed"),
            BadgeStatus.PREPRINTED: self.tr("pre-printed, waiting"),
            BadgeStatus.ACTIVE: self.tr("active (handed over)"),
            BadgeStatus.SUPERSEDED: self.tr("superseded"),
            BadgeStatus.REVOKED: self.tr("revoked"),
            BadgeStatus.LOST: self.tr("reported lost"),
            BadgeStatus.STOLEN: self.tr("reported stolen"),
            BadgeStatus.DAMAGED: self.tr("reported damaged"),
            BadgeStatus.FOUND: self.tr("found, handed in"),
            BadgeStatus.RETURNED: self.tr("returned"),
        }
        for b in lines:
            text.append(
                self.tr("• {serial}: {state}, {when} by {clerk}").format(
                    serial=b.serial,
                    state=states[b.status],
                    when=f"{b.issued_at:%d.%m %H:%M}",
                    clerk=b.clerk,
                )
            )
        if any(b.status is BadgeStatus.ACTIVE for b in lines):
            text.append(
                self.tr(
                    "To reprint: at the counter, F3 or scan the code, scan the ID "
                    "document, then F9 with the reason."
                )
            )
        return "\n".join(text)

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run `work` on the worker, buttons off meanwhile; refusals said in words."""

        def finished(result: object) -> None:
            self._enable()
            done(result)

        def failed(error: Exception) -> None:
            self._enable()
            words = in_words(error)
            self._say(lambda: self.tr("Not done: {reason}").format(reason=pick(*words)), True)
            self.refresh()

        self.background.run(work, finished, failed)
        self._enable()
