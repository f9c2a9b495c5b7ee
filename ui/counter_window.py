"""The counter screen: scan field, applicant, verdict and checks, issue-and-print, and the
camera preview when a camera is configured.

A clerk works it with scanners alone: a USB scanner's bursts are recognised wherever the
focus is (ui/scanner_input.py), the camera's codes come from its worker; the scan field
takes what the clerk types by hand, Enter submits it. F12 issues and prints, F9 asks for a
supervisor's override, Esc clears.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import Counter, Verdict
from kiosk.rules import COUNTER_NAMES, overridable
from ui.camera_view import CameraView, CameraWorker
from ui.presenter import CounterPresenter

VERDICT_STYLE = {
    Verdict.ISSUE: ("#1b5e20", "ISSUE THE BADGE / REMETTRE LE BADGE"),
    Verdict.REDIRECT: ("#0d47a1", "SEND TO THE OTHER COUNTER / ENVOYER À L'AUTRE GUICHET"),
    Verdict.SUPERVISOR: ("#e65100", "SUPERVISOR NEEDED / SUPERVISEUR REQUIS"),
    Verdict.INCOMPLETE: ("#455a64", "SCAN THE ID DOCUMENT / SCANNER LA PIÈCE D'IDENTITÉ"),
    Verdict.REFUSE: ("#b71c1c", "REFUSE / REFUSER"),
}
IDLE = ("#37474f", "SCAN THE CONFIRMATION CODE / SCANNER LE CODE DE CONFIRMATION")
COUNTER_TITLE = {
    Counter.GROUPS: "Groups entrance — ministerial badges / Entrée Groupes — badges ministériels",
    Counter.VISITORS: "Visitors entrance — annual badges / Entrée Visiteurs — badges annuels",
}


class CounterWindow(QMainWindow):
    """The counter screen of one kiosk."""

    def __init__(self, presenter: CounterPresenter, camera: CameraWorker | None = None) -> None:
        super().__init__()
        self.p = presenter
        self.camera = camera
        self.camera_view = CameraView() if camera else None
        self.setWindowTitle(f"Pass Office Kiosk — {COUNTER_TITLE[presenter.counter]}")
        self.setCentralWidget(self._build())
        if camera and self.camera_view:
            camera.frame.connect(self.camera_view.show_frame)
            camera.status.connect(self.camera_view.show_status)
            camera.scanned.connect(presenter.scan)
            camera.mrz.connect(presenter.scan_mrz)
        presenter.changed.connect(self.render)
        presenter.busy_changed.connect(lambda _b: self.render())
        self.render()

    def showEvent(self, event) -> None:
        """A scanner must find the scan field focused from the first key."""
        super().showEvent(event)
        self.scan_field.setFocus()

    def changeEvent(self, event) -> None:
        """Back to the scan field whenever the window is activated again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.scan_field.setFocus()

    def _build(self) -> QWidget:
        root = QWidget()
        outer = QVBoxLayout(root)
        title = QLabel(COUNTER_TITLE[self.p.counter])
        title.setObjectName("counterTitle")
        title.setStyleSheet("font-size: 18px; font-weight: bold; color: #263238;")
        self.scan_field = QLineEdit()
        self.scan_field.setPlaceholderText(
            "Scan the confirmation code, then the ID document / "
            "Scanner le code de confirmation, puis la pièce d'identité"
        )
        self.scan_field.setAccessibleName("Scan field")
        self.scan_field.setStyleSheet("font-size: 16px; padding: 6px;")
        self.scan_field.returnPressed.connect(self._submit)
        self.banner = QLabel()
        self.banner.setObjectName("verdict")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.setMinimumHeight(70)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 16px;")
        outer.addWidget(title)
        outer.addWidget(self.scan_field)
        outer.addWidget(self.banner)
        outer.addWidget(self.headline)
        outer.addLayout(self._middle(), 1)
        outer.addLayout(self._buttons())
        self.status = QLabel()
        self.status.setObjectName("message")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 14px;")
        outer.addWidget(self.status)
        return root

    def _middle(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.photo = QLabel("—")
        self.photo.setFixedSize(210, 270)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setFrameShape(QFrame.Shape.Box)
        self.photo.setAccessibleName("Applicant photo")
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
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        facts.addWidget(self._heading("Application / Demande"), 0, 1)
        facts.addWidget(self._heading("ID document scanned / Pièce scannée"), 0, 2)
        for i, (key, label) in enumerate(
            [
                ("name", "Name / Nom"),
                ("birth", "Born / Né(e) le"),
                ("document", "Document no. / N° de pièce"),
                ("expiry", "Expires / Expire le"),
                ("organisation", "Organisation"),
                ("accreditation", "Accreditation"),
            ],
            start=1,
        ):
            facts.addWidget(QLabel(label), i, 0)
            app_value, id_value = QLabel(), QLabel()
            for w in (app_value, id_value):
                w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                w.setStyleSheet("font-size: 15px;")
            facts.addWidget(app_value, i, 1)
            facts.addWidget(id_value, i, 2)
            self.fields[key] = (app_value, id_value)
        self.checks = QListWidget()
        self.checks.setAccessibleName("Checks")
        self.checks.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.checks.setStyleSheet("font-size: 14px;")
        col = QVBoxLayout()
        col.addLayout(facts)
        col.addWidget(self.checks, 1)
        row.addLayout(col, 1)
        return row

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: bold;")
        return label

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.issue_button = QPushButton("Issue and print / Remettre et imprimer  [F12]")
        self.issue_button.setObjectName("issue")
        self.issue_button.setStyleSheet(
            "QPushButton { font-size: 16px; font-weight: bold; padding: 10px; }"
            " QPushButton:enabled { background: #1b5e20; color: white; }"
        )
        self.issue_button.clicked.connect(lambda: self.p.issue())
        self.override_button = QPushButton("Supervisor override / Dérogation  [F9]")
        self.override_button.clicked.connect(self._override)
        self.clear_button = QPushButton("Next applicant / Suivant  [Esc]")
        self.clear_button.clicked.connect(self.p.clear)
        for b in (self.issue_button, self.override_button, self.clear_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        return row

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F12 issues, F9 overrides, Esc clears; the scan field passes these keys up."""
        action = {
            Qt.Key.Key_F12: self._issue_key,
            Qt.Key.Key_F9: self._override,
            Qt.Key.Key_Escape: self.p.clear,
        }.get(event.key())
        if action is None:
            super().keyPressEvent(event)
        else:
            action()

    def _submit(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        self.p.scan(text)

    def _issue_key(self) -> None:
        if self.issue_button.isEnabled():
            self.p.issue()

    def _override(self) -> None:
        d = self.p.decision
        if d is None or not overridable(d) or self.p.busy:
            return
        applicant = (self.p.code, self.p.reading)
        who, ok = QInputDialog.getText(self, "Supervisor", "Supervisor name / Nom du superviseur")
        if not ok or not who.strip():
            return
        why, ok = QInputDialog.getText(self, "Supervisor", "Reason (required) / Motif (requis)")
        if (self.p.code, self.p.reading) != applicant:
            return  # a scan while the dialogs were open changed the applicant: ask again
        if ok and why.strip():
            self.p.issue(supervisor=who.strip(), reason=why.strip())

    def render(self) -> None:
        """Show the presenter's state."""
        d = self.p.decision
        colour, words = VERDICT_STYLE[d.verdict] if d else IDLE
        if d and d.verdict is Verdict.REDIRECT and d.redirect_to:
            en, fr = COUNTER_NAMES[d.redirect_to]
            words = f"GO TO {en.upper()} / ALLER À {fr.upper()}"
        self.banner.setText(words)
        self.banner.setStyleSheet(
            f"background: {colour}; color: white; font-size: 24px; font-weight: bold;"
            " padding: 12px; border-radius: 6px;"
        )
        self.headline.setText(f"{d.headline_en}\n{d.headline_fr}" if d else "")
        self._render_checks()
        self._render_facts()
        self._render_photo()
        self.issue_button.setEnabled(bool(d and d.verdict is Verdict.ISSUE and not self.p.busy))
        self.override_button.setEnabled(bool(d and overridable(d) and not self.p.busy))
        self.status.setText(self.p.message)

    def _render_checks(self) -> None:
        self.checks.clear()
        d = self.p.decision
        for c in d.checks if d else ():
            mark = "✔" if c.ok else "✘"
            item = QListWidgetItem(f"{mark}  {c.reason_en}\n     {c.reason_fr}")
            item.setForeground(Qt.GlobalColor.darkGreen if c.ok else Qt.GlobalColor.darkRed)
            self.checks.addItem(item)

    def _render_facts(self) -> None:
        case = self.p.decision.case if self.p.decision else None
        r = self.p.reading
        doc = case.accreditation.id_document if case else None
        app = {
            "name": f"{doc.surname.upper()}, {doc.given_names}" if doc else "",
            "birth": f"{doc.date_of_birth:%d.%m.%Y}" if doc else "",
            "document": doc.number if doc else "",
            "expiry": f"{doc.expiry:%d.%m.%Y}" if doc else "",
            "organisation": (case.person.organisation or "freelance") if case else "",
            "accreditation": self._accreditation_text(case) if case else "",
        }
        scanned = {
            "name": f"{r.surname}, {r.given_names}" if r else "",
            "birth": f"{r.birth_date:%d.%m.%Y}" if r else "",
            "document": r.document_number if r else "",
            "expiry": f"{r.expiry_date:%d.%m.%Y}" if r else "",
        }
        failed = {c.name for c in self.p.decision.failures} if self.p.decision else set()
        flagged = {
            "name": "id_names",
            "birth": "id_birth",
            "document": "id_number",
            "expiry": "id_expiry",
        }
        for key, (app_label, id_label) in self.fields.items():
            app_label.setText(app[key])
            id_label.setText(scanned.get(key, ""))
            bad = flagged.get(key) in failed
            id_label.setStyleSheet(
                "font-size: 15px;" + (" color: #b71c1c; font-weight: bold;" if bad else "")
            )

    @staticmethod
    def _accreditation_text(case) -> str:
        acc = case.accreditation
        what = f"annual {acc.year}" if acc.year else (case.event.name if case.event else "?")
        pool = " + POOL" if acc.pool else ""
        return f"{acc.registration} — {what}{pool} ({acc.status.value})"

    def _render_photo(self) -> None:
        jpeg = self.p.photo()
        if not jpeg:
            self.photo.setPixmap(QPixmap())
            self.photo.setText("No photo / Pas de photo" if self.p.decision else "—")
            return
        pix = QPixmap()
        pix.loadFromData(jpeg)
        self.photo.setPixmap(
            pix.scaled(
                self.photo.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
