"""The counter screen: scan or search, the applicant beside the ID document, the verdict
and its checks, issue-and-print, the badge and its printing, and the sync state.

A clerk works it with scanners and keys alone: a USB scanner's bursts are recognised
wherever the focus is (ui/scanner_input.py), the camera's codes come from its worker;
the scan field takes what the clerk types by hand, Enter submits it. F12 issues and
prints (or prints again a badge whose printing failed), F9 asks a supervisor to
override (a reprint is the override of "badge already issued"), F7 gives a hand-off slip
for a refusal the office can fix, F8 sends a failed badge to another printer, F6 takes a
new photo when the applicant has none on file or one failing the rules (ui/photo_dialog.py;
the camera's code scanner pauses meanwhile), F3 searches when the printout is missing,
F10 cancels the printing of a badge still at a printer, Esc clears. The waiting strip's
chosen row (↑ ↓) takes Ctrl+F12 (retry, or handed over), Ctrl+F8 (send to another
printer) and Ctrl+F10 (cancel its printing); F9 also asks for an undo of a hand-over.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import Case, Counter, Decision, Verdict
from kiosk.photo_rules import photo_problems
from kiosk.roles import Action, allowed
from kiosk.rules import COUNTER_NAMES, overridable
from scanning.decoders import COUNTER_FORMATS, QR
from ui.badge_preview import BadgePreview
from ui.camera_view import CameraView, CameraWorker
from ui.chip_panel import ChipPanel
from ui.counter_hours import CounterHours
from ui.language import pick
from ui.pictogram import Pictogram, Shape
from ui.plain_label import Label
from ui.presenter import CounterPresenter, PrintPhase
from ui.press_card_form import PressCardForm
from ui.print_panel import PrinterDialog, PrintPanel
from ui.print_strip import WaitingStrip
from ui.supervisor_prompt import SupervisorPrompt
from ui.sync_status import SyncRelay, SyncStatusBar, SyncView
from ui.theme import MUTED, TROUBLE, TROUBLE_INK
from ui.tones import Tone, Tones

VERDICT_COLOUR = {
    Verdict.ISSUE: "#1b5e20",
    Verdict.REDIRECT: "#0d47a1",
    Verdict.NOT_NEEDED: "#0d47a1",
    Verdict.SUPERVISOR: "#e65100",
    Verdict.INCOMPLETE: "#455a64",
    Verdict.REFUSE: "#b71c1c",
}
VERDICT_TONE = {
    Verdict.ISSUE: Tone.ISSUE,
    Verdict.REDIRECT: Tone.REDIRECT,
    Verdict.REFUSE: Tone.REFUSE,
}
VERDICT_SHAPE = {
    Verdict.ISSUE: Shape.TICK,
    Verdict.REDIRECT: Shape.ARROW,
    Verdict.NOT_NEEDED: Shape.ARROW,  # in with the annual badge: sent on, not refused
    Verdict.SUPERVISOR: Shape.HAND,
    Verdict.INCOMPLETE: Shape.SCAN,
    Verdict.REFUSE: Shape.CROSS,
}
# A failed check's mark and colour say what it calls for, as the banner does: a redirect
# is not a refusal (an arrow in blue), a soft refusal is the supervisor's (orange, dark
# enough to read), a step not done yet is no failure at all (a grey circle).
REFUSED = ("✘", "#b71c1c")
FAILED_MARK = {
    Verdict.REFUSE: REFUSED,
    Verdict.REDIRECT: ("→", "#0d47a1"),
    Verdict.NOT_NEEDED: ("→", "#0d47a1"),
    Verdict.SUPERVISOR: ("!", "#b35900"),  # 4.8:1 on white
    Verdict.INCOMPLETE: ("○", MUTED),
}
IDLE_COLOUR = "#37474f"
MISMATCH = " color: #b71c1c; font-weight: bold;"
# Read from 1.5 m: the verdict's words at least 46 px (capitals about 34 px, twice the
# 17 px they had), more on a taller screen; the photo a good third of the screen's height.
VERDICT_PX, VERDICT_SHARE = 46, 0.068
PHOTO_SHARE, PHOTO_MIN = 0.38, 230
BADGE_SHARE, BADGE_MIN = 0.27, 370
SMALL_HEIGHT = 718  # the counter screen's height on a 1366x768 display, under the top bar
FACTS = ("name", "birth", "document", "expiry", "organisation", "accreditation", "pool")
FLAGGED = {"name": "id_names", "birth": "id_birth", "document": "id_number", "expiry": "id_expiry"}


def restyle(widget: QWidget, sheet: str) -> None:
    """Set a widget's style sheet when it changes (setting one costs a re-polish)."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


class CounterScreen(QWidget):
    """The counter screen of one kiosk, for the signed-in person the presenter acts for."""

    def __init__(
        self,
        presenter: CounterPresenter,
        camera: CameraWorker | None = None,
        sync: SyncRelay | None = None,
        tones: Tones | None = None,
    ) -> None:
        super().__init__()
        self.p = presenter
        self.tones = tones or Tones(False)
        self.tones.setParent(self)
        self._sounded: tuple[object, object] = (None, None)  # the decision and print toned
        self.camera = camera
        self.sync = sync
        self.camera_view = CameraView() if camera else None
        self._photo_of: bytes | None = None  # the photo the photo label shows
        self._verdict_px = VERDICT_PX
        self._scale = 1.0  # text grows with a screen taller than the 1366x768 one
        self._cursor: int | None = None  # the sync feed position last seen
        self._form_for: str | int | None = None  # the applicant the press card form is for
        self._build()
        if camera and self.camera_view:
            camera.frame.connect(self.camera_view.show_frame)
            camera.status.connect(self.camera_view.show_status)
            camera.scanned.connect(presenter.scan)
            camera.mrz.connect(presenter.scan_mrz)
        if sync is not None:
            presenter.badge_changed.connect(sync.wake)
            sync.status.connect(self._synced)
        presenter.changed.connect(self.render)
        presenter.busy_changed.connect(lambda _busy: self.render())
        presenter.print_changed.connect(self._print_changed)
        self.print_panel.send_elsewhere.connect(self.send_elsewhere)
        self.print_panel.undo_requested.connect(self.undo_handover)
        self.strip.send_elsewhere.connect(self.send_elsewhere)
        self.retranslate()
        presenter.resume_printing()  # on a worker: a badge a stopped kiosk left printing

    # --- Building -------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 6, 10, 4)
        outer.setSpacing(6)
        self.title = Label()
        self.title.setObjectName("counterTitle")
        self.title.setStyleSheet("font-size: 17px; font-weight: bold; color: #263238;")
        self.scan_field = QLineEdit()
        self.scan_field.setStyleSheet("font-size: 16px; padding: 5px;")
        self.scan_field.returnPressed.connect(self._submit)
        self.search_button = QPushButton()
        self.search_button.setObjectName("search")
        self.search_button.clicked.connect(self.search)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.scan_field, 1)
        top.addWidget(self.search_button)
        self.verdict_box = QFrame()
        self.verdict_box.setObjectName("verdictBox")
        self.pictogram = Pictogram()
        self.banner = Label()
        self.banner.setObjectName("verdict")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        boxed = QHBoxLayout(self.verdict_box)
        boxed.setContentsMargins(16, 6, 16, 6)
        boxed.addWidget(self.pictogram)
        boxed.addWidget(self.banner, 1)
        self.headline = Label()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 16px;")
        self.hours = CounterHours(self.p.kiosk)
        outer.addLayout(top)
        outer.addWidget(self.hours)
        outer.addWidget(self.verdict_box)
        outer.addWidget(self.headline)
        outer.addLayout(self._middle(), 1)
        self.strip = WaitingStrip(self.p)
        outer.addWidget(self.strip)  # full width, under the applicant: never mistaken for them
        self.chip_panel = ChipPanel(self.p)  # shown once a document is scanned, with a reader
        outer.addWidget(self.chip_panel)
        outer.addLayout(self._buttons())
        self.status = Label()
        self.status.setObjectName("message")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 14px;")
        outer.addWidget(self.status)
        self.sync_bar = SyncStatusBar(self.sync) if self.sync is not None else None
        if self.sync_bar is not None:
            outer.addWidget(self.sync_bar)

    def _middle(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.photo = Label("—")
        self.photo.setFixedSize(self._photo_size(768))
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setFrameShape(QFrame.Shape.Box)
        if self.camera_view:  # the preview under the photo, where the clerk looks anyway
            left = QVBoxLayout()
            left.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignHCenter)
            self.camera_view.setFixedSize(320, 180)
            left.addWidget(self.camera_view)
            left.addStretch(1)
            row.addLayout(left)
        else:
            row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        facts = QGridLayout()
        self.app_heading, self.id_heading = self._heading(), self._heading()
        facts.addWidget(self.app_heading, 0, 1)
        facts.addWidget(self.id_heading, 0, 2)
        self.fact_labels: dict[str, QLabel] = {}
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        for i, key in enumerate(FACTS, start=1):
            self.fact_labels[key] = Label()
            facts.addWidget(self.fact_labels[key], i, 0)
            app_value, id_value = Label(), Label()
            for w in (app_value, id_value):
                w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                w.setWordWrap(True)
                w.setStyleSheet("font-size: 15px;")
            facts.addWidget(app_value, i, 1)
            facts.addWidget(id_value, i, 2)
            self.fields[key] = (app_value, id_value)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(2, 1)
        self.checks = QListWidget()
        self.checks.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.checks.setStyleSheet("font-size: 14px;")
        self.checks.setWordWrap(True)
        self.press_card_form = PressCardForm()
        self.press_card_form.recorded.connect(self.p.set_press_card)
        # Recorded: back to the scan field, which must hold the focus for the next scan.
        self.press_card_form.recorded.connect(lambda _card: self.scan_field.setFocus())
        col = QVBoxLayout()
        col.addLayout(facts)
        col.addWidget(self.press_card_form)
        col.addWidget(self.checks, 1)
        row.addLayout(col, 1)
        self.preview = BadgePreview(self.p.kiosk)
        self.print_panel = PrintPanel(self.p)
        badge = QVBoxLayout()
        badge.addWidget(self.preview, 1)
        badge.addWidget(self.print_panel)
        holder = self.badge_column = QWidget()
        holder.setFixedWidth(BADGE_MIN)
        holder.setLayout(badge)
        badge.setContentsMargins(0, 0, 0, 0)
        row.addWidget(holder)
        return row

    @staticmethod
    def _heading() -> QLabel:
        label = Label()
        label.setStyleSheet("font-weight: bold;")
        return label

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.issue_button = QPushButton()
        self.issue_button.setObjectName("issue")
        self.issue_button.setStyleSheet(
            "QPushButton { font-size: 16px; font-weight: bold; padding: 8px; }"
            " QPushButton:enabled { background: #1b5e20; color: white; }"
        )
        self.issue_button.clicked.connect(lambda: self.p.issue())
        self.override_button = QPushButton()
        self.override_button.clicked.connect(self.override)
        self.handoff_button = QPushButton()
        self.handoff_button.setObjectName("handoff")
        self.handoff_button.clicked.connect(self.p.hand_off)
        self.photo_button = QPushButton()
        self.photo_button.setObjectName("newPhoto")
        self.photo_button.clicked.connect(self.new_photo)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.next_applicant)
        buttons = (
            self.issue_button,
            self.override_button,
            self.handoff_button,
            self.photo_button,
            self.clear_button,
        )
        for b in (*buttons, self.search_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        for b in buttons:
            row.addWidget(b)
        return row

    # --- Language -------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text of the screen in the current language."""
        titles = {
            Counter.GROUPS: self.tr("Groups entrance — ministerial badges"),
            Counter.VISITORS: self.tr("Visitors entrance — annual badges"),
        }
        self.title.setText(titles[self.p.counter])
        self.scan_field.setPlaceholderText(
            self.tr("Scan the confirmation code, then the ID document")
        )
        self.scan_field.setAccessibleName(self.tr("Scan field"))
        self.search_button.setText(self.tr("Search [F3]"))
        self.photo.setAccessibleName(self.tr("Applicant's photo"))
        self.checks.setAccessibleName(self.tr("Checks"))
        self.verdict_box.setAccessibleName(self.tr("Verdict"))
        self.headline.setAccessibleName(self.tr("Reason"))
        self.status.setAccessibleName(self.tr("Message"))
        self.issue_button.setAccessibleName(self.tr("Issue and print"))
        self.override_button.setAccessibleName(self.tr("Supervisor override"))
        self.handoff_button.setAccessibleName(self.tr("Hand-off slip for the office"))
        self.photo_button.setAccessibleName(self.tr("Take a new photo"))
        self.clear_button.setAccessibleName(self.tr("Next applicant"))
        self.search_button.setAccessibleName(self.tr("Search"))
        self.app_heading.setText(self.tr("Application"))
        self.id_heading.setText(self.tr("ID document scanned"))
        names = {
            "name": self.tr("Name"),
            "birth": self.tr("Born"),
            "document": self.tr("Document no."),
            "expiry": self.tr("Expires"),
            "organisation": self.tr("Organisation"),
            "accreditation": self.tr("Accreditation"),
            "pool": self.tr("Pool card"),
        }
        for key, label in self.fact_labels.items():
            label.setText(names[key])
        self.issue_button.setText(self.tr("Issue and print [F12]"))
        self.override_button.setText(self.tr("Supervisor override [F9]"))
        self.photo_button.setText(self.tr("New photo [F6]"))
        self.clear_button.setText(self.tr("Next applicant [Esc]"))
        self.render()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on a language change; back to the scan field on activation."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.scan_field.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scale the verdict, the photo and the badge column with the screen."""
        super().resizeEvent(event)
        h, w = event.size().height(), event.size().width()
        self._verdict_px = max(VERDICT_PX, round(h * VERDICT_SHARE))
        self._scale = max(1.0, h / SMALL_HEIGHT)
        for widget, px in (
            (self.headline, 16),
            (self.status, 14),
            (self.checks, 14),
            (self.scan_field, 16),
        ):
            restyle(
                widget, self._font(px) + (" padding: 5px;" if widget is self.scan_field else "")
            )
        for label in self.fact_labels.values():
            restyle(label, self._font(15))
        for heading in (self.app_heading, self.id_heading):
            restyle(heading, self._font(15) + " font-weight: bold;")
        self.photo.setFixedSize(self._photo_size(h))
        self.badge_column.setFixedWidth(max(BADGE_MIN, round(w * BADGE_SHARE)))
        self._photo_of = None  # the photo is scaled again to its new size
        self.render()

    def _font(self, px: int) -> str:
        """A font size of `px` at 1366x768, grown with the screen."""
        return f"font-size: {round(px * self._scale)}px;"

    @staticmethod
    def _photo_size(screen_height: int) -> QSize:
        high = max(PHOTO_MIN, round(screen_height * PHOTO_SHARE))
        return QSize(round(high * 35 / 45), high)  # an identity photo's 3.5 x 4.5 cm

    def showEvent(self, event) -> None:
        """A scanner must find the scan field focused from the first key."""
        super().showEvent(event)
        self.scan_field.setFocus()

    # --- Keys and actions -----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F12 issues (or prints a failed badge again), F9 overrides (or undoes a hand-over),
        F7 gives a hand-off slip for the office, F8 sends a failed badge to another printer,
        F10 cancels printing, F6 takes a new photo, F3 searches, Esc clears; ↑ ↓ choose a
        row of the waiting strip, Ctrl+F12, Ctrl+F8 and Ctrl+F10 act on it. The scan field
        passes these keys up; a dialog open keeps them (keys stop at its window)."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            action = {
                Qt.Key.Key_F12: self._strip_key(lambda row: row.next_step()),
                Qt.Key.Key_F8: self._strip_key(lambda row: row.send_key()),
                Qt.Key.Key_F10: self._strip_key(lambda row: row.cancel_key()),
            }.get(event.key())
        else:
            action = {
                Qt.Key.Key_F12: self._print_key,
                Qt.Key.Key_F9: self._supervisor_key,
                Qt.Key.Key_F7: self.p.hand_off,
                Qt.Key.Key_F8: self.send_elsewhere,
                Qt.Key.Key_F10: self._cancel_key,
                Qt.Key.Key_F6: self.new_photo,
                Qt.Key.Key_F3: self.search,
                Qt.Key.Key_Escape: self.next_applicant,
                **self._strip_arrows(),
            }.get(event.key())
        if action is None:
            super().keyPressEvent(event)
        else:
            action()
            self.scan_field.setFocus()  # whatever the key did, the next scan lands

    def _strip_arrows(self) -> dict:
        """↑ and ↓ choose the waiting strip's row while it shows and the keyboard is in the
        scan field (in the press card form they stay the form's)."""
        if not self.strip.isVisible() or self.window().focusWidget() is not self.scan_field:
            return {}
        return {
            Qt.Key.Key_Up: lambda: self.strip.choose(-1),
            Qt.Key.Key_Down: lambda: self.strip.choose(1),
        }

    def _strip_key(self, act):
        """A key acting on the waiting strip's chosen row, for a role that may print."""

        def run() -> None:
            row = self.strip.chosen_row()
            if row is not None and allowed(self.p.actor.role, Action.ISSUE):
                act(row)

        return run

    def _cancel_key(self) -> None:
        """F10: cancel the printing of the badge on the print panel while a printer has it
        (F10, not F11: a finger slipping off F12 must not cancel a card)."""
        if self.print_panel.cancel_button.isVisibleTo(self.print_panel) and allowed(
            self.p.actor.role, Action.ISSUE
        ):
            self.p.cancel_print()

    def _supervisor_key(self) -> None:
        """F9: undo the hand-over just made when that is offered, else an override; after
        a PDF-only print no card was handed over, and F9 says so."""
        view = self.p.print
        if self.p.can_undo_handover:
            self.undo_handover()
        elif self.p.issued_here and view and view.phase is PrintPhase.PRINTED and not view.on_card:
            serial = view.serial
            self.p.say(
                lambda: self.tr(
                    "No card was printed (badge {serial} is a PDF file only), so no hand-over "
                    "to undo. For a card, the counter needs a card printer; then a supervisor "
                    "reprints the badge."
                ).format(serial=serial)
            )
        else:
            self.override()

    def next_applicant(self) -> None:
        """Esc: start over; what was half typed in the scan field was the last applicant's,
        and the keyboard goes back to the scan field wherever it was (the press card)."""
        self.scan_field.clear()
        self.p.clear()
        self.scan_field.setFocus()

    def _submit(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        self.p.scan(text)

    def _print_key(self) -> None:
        """F12: issue the applicant on screen, or print their own failed badge again; never
        a badge of the waiting strip (its rows have their own Retry)."""
        view = self.p.print
        if self.issue_button.isEnabled():
            self.p.issue()
        elif (
            self.p.issued_here
            and view
            and view.serial == self.p.issued.serial
            and self.print_panel.retry_button.isEnabled()
        ):
            self.p.retry_print()
        elif self._undecided_key():
            self._say_why(lambda why: self.tr("Nothing to issue: {why}").format(why=why))

    def _undecided_key(self) -> bool:
        """A key pressed over a decision it does not apply to (not while busy or issued)."""
        p = self.p
        return p.decision is not None and not (p.busy or p.issued_here or p.chip.pending)

    def _say_why(self, words) -> None:
        """Answer a key that does not apply with `words(the verdict's reason)`, so the clerk
        knows the key was heard and why nothing happened."""
        d = self.p.decision
        self.p.say(lambda: words(pick(d.headline_en, d.headline_fr)))

    def override(self) -> None:
        """Ask a supervisor's name, PIN and reason, then issue under their authority."""
        d = self.p.decision
        if d is not None and not overridable(d) and self._undecided_key():
            self._no_override(d)
            return
        if d is None or not overridable(d) or self.p.busy or self.p.issued_here:
            return
        applicant = (self.p.subject, self.p.reading)
        what = self.tr("Supervisor override: {why}").format(why=pick(d.headline_en, d.headline_fr))
        prompt = SupervisorPrompt(self.p.kiosk.staff, what, Action.OVERRIDE, self)
        if prompt.exec() != QDialog.DialogCode.Accepted or prompt.supervisor is None:
            return
        if (self.p.subject, self.p.reading) != applicant:
            self.p.kiosk.staff.sign_out(prompt.supervisor)
            self.p.say(
                lambda: self.tr("The applicant changed meanwhile: ask the supervisor again.")
            )
            return
        self.p.issue(supervisor=prompt.supervisor, reason=prompt.reason)

    def _no_override(self, d: Decision) -> None:
        """F9 where it does not apply: a step still missing (the ID document) comes first;
        a refusal, a redirect or nothing to print is no supervisor's to lift."""
        step = next((c for c in d.failures if c.on_fail is Verdict.INCOMPLETE), None)
        if d.verdict in (Verdict.SUPERVISOR, Verdict.INCOMPLETE) and step is not None:
            self.p.say(
                lambda: self.tr("Not yet: {step}").format(step=pick(step.reason_en, step.reason_fr))
            )
        elif d.verdict is not Verdict.ISSUE:
            self._say_why(
                lambda why: self.tr("A supervisor cannot override this: {why}").format(why=why)
            )

    def undo_handover(self) -> None:
        """Ask a supervisor's name, PIN and reason, then take the badge back."""
        if not self.p.can_undo_handover or self.p.print is None:
            return
        what = self.tr(
            "Undo the hand-over of badge {serial}: the card goes back to the tray, pre-printed."
        ).format(serial=self.p.print.serial)
        prompt = SupervisorPrompt(self.p.kiosk.staff, what, Action.UNDO_HANDOVER, self)
        if prompt.exec() == QDialog.DialogCode.Accepted and prompt.supervisor is not None:
            self.p.undo_handover(prompt.supervisor, prompt.reason)

    def send_elsewhere(self, serial: str = "") -> None:
        """Choose another printer for a badge whose printing failed, and print it there:
        `serial` (a strip row's Send to…), else the applicant's on the print panel, else,
        with no applicant on screen, the oldest failed badge of the strip (F8)."""
        view = self.p.find_print(serial) if serial else self._f8_badge()
        if view is None or view.phase is not PrintPhase.FAILED or self.p.busy:
            return
        counter = self.p.counter_printer()
        dialog = PrinterDialog(
            self.p.printers(),
            view.printer or counter,
            self,
            counter=counter,
            badge=f"{view.serial} ({view.holder})",
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen:
            self.p.retry_print(dialog.chosen, view.serial)

    def _f8_badge(self):
        if self.p.print is not None:
            return self.p.print
        if self.p.subject is None:
            return next((v for v in self.p.waiting if v.phase is PrintPhase.FAILED), None)
        return None

    def _synced(self, view: SyncView) -> None:
        """A sync report: when new data came in, decide again for the applicant on screen
        (a revocation that names them must show at once)."""
        if view.status.cursor != self._cursor:
            self._cursor = view.status.cursor
            self.p.refresh()

    def search(self) -> None:
        """Find an applicant without a printout; then the ID document confirms who it is."""
        if self.p.busy:
            return
        from ui.search_dialog import SearchDialog  # loaded when first needed

        dialog = SearchDialog(self.p.kiosk, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.scanned is not None:  # a code scanned while searching: as at the counter
            self.p.scan(dialog.scanned)
        elif dialog.chosen is not None:
            self.p.choose(dialog.chosen)

    def photo_wanted(self) -> bool:
        """Whether F6 is offered: the counter has a camera, and the applicant on screen has
        no photo on file or one failing the rules."""
        d = self.p.decision
        if self.camera is None or d is None or d.case is None or self.p.busy:
            return False
        jpeg = self.p.photo()
        return not jpeg or bool(photo_problems(jpeg))

    def new_photo(self) -> None:
        """F6: take a new photo of the applicant on screen with the counter camera, for a
        supervisor to approve; the code scanner lets go of the camera meanwhile."""
        if not self.photo_wanted():
            return
        from ui.photo_dialog import PhotoDialog  # loaded when first needed

        person = self.p.decision.case.person
        name = f"{person.given_names} {person.surname}".strip()
        spec = self.camera.spec if self.camera else ""
        dialog = PhotoDialog(self.p.kiosk, person.id, name, self.p.actor, spec, self)
        if self.camera:
            self.camera.pause()
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            if self.camera:
                self.camera.resume()
        if accepted:
            self.p.photo_replaced()

    def _print_changed(self) -> None:
        view = self.p.print
        if view is None:
            self.preview.clear_badge()
        else:
            self.preview.show_badge(view.serial)
        self.render()

    # --- Rendering ------------------------------------------------------------------------

    def render(self) -> None:
        """Show the presenter's state."""
        d = self.p.decision
        if self.camera:  # a confirmation code's QR first, then whatever the desk reads
            self.camera.expect({QR} if self.p.subject is None else COUNTER_FORMATS)
        colour, ink, shape, words = self._banner()
        self.banner.setText(words)
        self.pictogram.set_shape(shape, ink)
        self.pictogram.set_side(round(self._verdict_px * 1.3))
        box = f"QFrame#verdictBox {{ background: {colour}; border-radius: 6px; }}"
        restyle(self.verdict_box, box)
        restyle(
            self.banner,
            f"color: {ink}; font-size: {self._verdict_px}px; font-weight: bold;",
        )
        self.verdict_box.setAccessibleDescription(words)
        if self.p.issued_here and not self.p.revoked:  # now the badge's news matters
            self.headline.setText(self.p.message)
            self.status.clear()
        else:
            self.headline.setText(self._headline())
            self.status.setText(self.p.message)
        self.status.setVisible(bool(self.status.text()))
        if self.p.subject != self._form_for or (
            self.p.press_card is None and self.press_card_form.card is not None
        ):  # a new applicant: nothing typed or recorded for the last one stays
            self.press_card_form.forget()
            self._form_for = self.p.subject
        self._render_checks()
        self._render_facts()
        self._render_photo()
        fresh = not self.p.busy and not self.p.issued_here and not self.p.chip.pending
        self.issue_button.setEnabled(bool(d and d.verdict is Verdict.ISSUE and fresh))
        self.override_button.setEnabled(bool(d and overridable(d) and fresh))
        self.handoff_button.setEnabled(
            self.p.can_hand_off and not self.p.busy and not self.p.slips.printing
        )
        self.handoff_button.setText(self._handoff_text())
        self.photo_button.setVisible(self.photo_wanted())
        self.search_button.setEnabled(not self.p.busy)
        self._sound()

    def _handoff_text(self) -> str:
        """F7's words: a slip to make, one to print (none printed yet: no slip printer, a
        jam), or one to print again."""
        if not self.p.slip_made:
            return self.tr("Hand-off slip for the office [F7]")
        if self.p.slips.printed:
            return self.tr("Print the slip again [F7]")
        return self.tr("Print the slip [F7]")

    def _headline(self) -> str:
        """The verdict's first reason; for a missing photo, what F6 does about it here."""
        d = self.p.decision
        if d is None:
            return ""
        words = pick(d.headline_en, d.headline_fr)
        if d.failures and d.failures[0].name == "photo" and self.photo_wanted():
            words += " " + self.tr("New photo [F6]: take one here, for a supervisor to approve.")
        return words

    def _sound(self) -> None:
        """A tone once per new decision (issue, redirect, refuse) and per print failure."""
        d, view = self.p.decision, self.p.print
        failed = view if view and view.phase is PrintPhase.FAILED else None
        decided, toned_failure = self._sounded
        if failed is not None and failed is not toned_failure:
            self.tones.play(Tone.PRINTER_FAULT)
        elif d is not None and d is not decided and d.verdict in VERDICT_TONE:
            self.tones.play(VERDICT_TONE[d.verdict])
        self._sounded = (d, failed)

    def _banner(self) -> tuple[str, str, Shape | None, str]:
        """Background, ink, pictogram and words of the verdict banner."""
        view = self.p.print
        if self.p.revoked_without_card:
            return "#b71c1c", "white", Shape.CROSS, self.tr("BADGE REVOKED: NO CARD WAS PRINTED")
        if self.p.revoked:
            return "#b71c1c", "white", Shape.CROSS, self.tr("BADGE REVOKED: TAKE IT BACK")
        if self.p.issued_here and view is not None:
            if view.phase is PrintPhase.FAILED:
                return TROUBLE, TROUBLE_INK, Shape.WARNING, self.tr("PRINT FAILED: SEE THE PANEL")
            if view.phase is PrintPhase.PROBLEM:
                return TROUBLE, TROUBLE_INK, Shape.WARNING, self.tr("THE PRINTER NEEDS ATTENTION")
            if view.phase.waiting:
                return IDLE_COLOUR, "white", Shape.HOURGLASS, self.tr("PRINTING THE BADGE…")
            if view.phase is PrintPhase.PRINTED and not view.on_card:
                return IDLE_COLOUR, "white", Shape.WARNING, self.tr("NO CARD PRINTED: PDF ONLY")
            return "#1b5e20", "white", Shape.TICK, self.tr("HAND THE BADGE OVER")
        d = self.p.decision
        if d is None:
            return IDLE_COLOUR, "white", Shape.SCAN, self.tr("SCAN THE CONFIRMATION CODE")
        words = {
            Verdict.ISSUE: self.tr("ISSUE THE BADGE"),
            Verdict.SUPERVISOR: self.tr("SUPERVISOR NEEDED"),
            Verdict.INCOMPLETE: self.tr("SCAN THE ID DOCUMENT"),
            Verdict.REFUSE: self.tr("REFUSE"),
            Verdict.REDIRECT: self.tr("SEND TO THE OTHER COUNTER"),
            Verdict.NOT_NEEDED: self.tr("NO BADGE NEEDED: THE ANNUAL BADGE COVERS IT"),
        }[d.verdict]
        if d.verdict is Verdict.REDIRECT and d.redirect_to:
            where = pick(*COUNTER_NAMES[d.redirect_to])
            words = self.tr("GO TO {counter}").format(counter=where.upper())
        return VERDICT_COLOUR[d.verdict], "white", VERDICT_SHAPE[d.verdict], words

    def _render_checks(self) -> None:
        self.checks.clear()
        d = self.p.decision
        for c in d.checks if d else ():
            mark, colour = ("✔", "#1b5e20") if c.ok else FAILED_MARK.get(c.on_fail, REFUSED)
            item = QListWidgetItem(f"{mark}  {pick(c.reason_en, c.reason_fr)}")
            item.setForeground(QColor(colour))
            self.checks.addItem(item)

    def _render_facts(self) -> None:
        case = self.p.decision.case if self.p.decision else None
        r = self.p.reading
        doc = case.accreditation.id_document if case else None
        app = {
            "name": f"{doc.surname.upper()}, {doc.given_names}" if doc else "",
            "birth": f"{doc.date_of_birth:%d.%m.%Y}" if doc else "",
            "document": f"…{doc.number_tail}" if doc else "",  # stores keep a keyed hash
            "expiry": f"{doc.expiry:%d.%m.%Y}" if doc else "",
            "organisation": (case.person.organisation or self.tr("freelance")) if case else "",
            "accreditation": self._accreditation_text(case) if case else "",
            "pool": self._pool_text(case) if case else "",
        }
        scanned = {
            "name": f"{r.surname}, {r.given_names}" if r else "",
            "birth": r.birth_text() if r else "",
            "document": r.document_number if r else "",
            "expiry": f"{r.expiry_date:%d.%m.%Y}" if r else "",
        }
        failed = {c.name for c in self.p.decision.failures} if self.p.decision else set()
        for key, (app_label, id_label) in self.fields.items():
            if key != "pool":
                restyle(app_label, self._font(15))
            app_label.setText(app[key])
            id_label.setText(scanned.get(key, ""))
            bad = FLAGGED.get(key) in failed
            restyle(id_label, self._font(15) + (MISMATCH if bad else ""))
        pool = bool(case and case.accreditation.pool)
        restyle(
            self.fields["pool"][0],
            self._font(15) + (" color: #4a148c; font-weight: bold;" if pool else ""),
        )

    def _accreditation_text(self, case: Case) -> str:
        acc = case.accreditation
        if acc.year:
            what = self.tr("annual {year}").format(year=acc.year)
        else:
            what = pick(case.event.name, case.event.french_name) if case.event else "?"
        statuses = {
            "pending": self.tr("pending"),
            "approved": self.tr("approved"),
            "denied": self.tr("denied"),
            "revoked": self.tr("revoked"),
        }
        return f"{acc.registration} — {what} ({statuses[acc.status.value]})"

    def _pool_text(self, case: Case) -> str:
        if case.accreditation.pool:
            return self.tr("Entitled: pool cards are handed out at the pool desk")
        return self.tr("No")

    def _render_photo(self) -> None:
        jpeg = self.p.photo()
        if not jpeg:
            self._photo_of = None
            self.photo.setPixmap(QPixmap())
            self.photo.setText(self.tr("No photo") if self.p.decision else "—")
            return
        if jpeg is self._photo_of:  # the same applicant: already on screen
            return
        self._photo_of = jpeg
        pix = QPixmap()
        pix.loadFromData(jpeg)
        self.photo.setPixmap(
            pix.scaled(
                self.photo.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
