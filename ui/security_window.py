"""The security post: scan a worn badge, read VALID or NOT VALID from across a desk
(CHECK, in orange, for a genuine badge the post's list does not hold yet; SCAN THE QR
CODE, in a neutral colour, for a serial read from the badge's barcode alone).

The scan field is the only widget that takes keyboard focus, so a scanner's burst lands
there; the result stays up until the next scan, or 20 seconds, then the screen returns to
waiting. "Read at 10:02:31" moves on with each scan, so the same badge scanned twice
shows that the second scan was taken. A line at the top says whether the post is online
and how old its data is, in amber once older than the limit set in settings.json
(post_data_limit_minutes) or when the post's clock was found off the hub's
(kiosk/clock_check.py). With tones switched on in the settings each scan also sounds:
the rising tone for VALID, the repeated note for CHECK and SCAN THE QR CODE, the low
falling one for NOT VALID (ui/tones.py), so a guard who looks at the person hears the
answer. The shell (ui/shell.py) shows it to the security role.

Each check is journalled under the signed-in guard's name (kiosk/post_journal.py) on a
worker of its own, after the answer is on screen. A guard whose account was disabled
since signing in sees the answer cleared and is signed out. A check the journal could not
take (the disk full) is said in amber on the data line until one is taken again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import BRUSSELS, Flow
from kiosk.post_data_line import data_words
from kiosk.post_journal import PostJournal
from kiosk.roles import Actor
from kiosk.staff import AccountStopped
from kiosk.verify import PostData, SecurityPost, Verification
from ui.background import Background
from ui.language import Retranslating, pick
from ui.plain_label import Label
from ui.tones import Tone, Tones

log = logging.getLogger(__name__)

IDLE_AFTER_MS = 20_000
DATA_EVERY_MS = 30_000  # the data line is brought up to date this often
# Waiting reads as no result at all: dark words on a pale banner, so that any solid
# colour is a result (SCAN THE QR CODE's slate grey was nearly the waiting banner's).
WAITING, WAITING_BACK = "#37474f", "#eceff1"
VALID = "#1b5e20"
NOT_VALID = "#b71c1c"
TO_CONFIRM = "#e65100"  # genuine but not on this post's list yet: radio or sync first
SCAN_QR = "#455a64"  # a serial alone: no verdict either way, scan the QR code
DATA_OK, DATA_STALE = "#37474f", "#ffb300"  # the data line: plain, or amber when too old
FACTS = ("name", "kind", "days", "serial", "organisation", "read")


def tone_of(result: Verification) -> Tone:
    """What a verification sounds like: VALID rises, NOT VALID falls, the rest (check
    first, scan the QR code) repeats one note."""
    if result.valid:
        return Tone.ISSUE
    if result.to_confirm or result.undecided:
        return Tone.REDIRECT
    return Tone.REFUSE


class SecurityPresenter(QObject):
    """Hands scanned badge codes to the security post (kiosk/verify.py) and journals each
    check under `guard`'s name; holds the last verification and the holder's photo for
    the screen."""

    changed = Signal()
    account_stopped = Signal()  # the guard's account was disabled: the shell signs out

    def __init__(self, post: SecurityPost, journal: PostJournal, guard: Actor) -> None:
        super().__init__()
        self.post, self.journal, self.guard = post, journal, guard
        self._journal = Background(self, threads=1)  # one thread: entries keep their order
        self.result: Verification | None = None
        self.photo: bytes | None = None
        self.read_at: datetime | None = None  # the same badge twice: the time moves on
        self.data: PostData = post.data()
        self.unjournalled = 0  # checks the journal could not take since the last it took

    def scan(self, text: str) -> None:
        """Verify one scanned badge code, or a serial from its barcode (undoing a 1D
        scanner's keyboard-layout mismatch)."""
        from scanning.keyboard_layout import serial_or_text

        if not text.strip():
            return
        self.result = result = self.post.verify(serial_or_text(text))
        self.read_at = self.post.clock()
        self.photo = self.post.photo(self.result)
        self.data = self.post.data()
        self.changed.emit()
        journal, guard = self.journal, self.guard
        self._journal.run(lambda: journal.record(result, guard), self._recorded, self._not_recorded)

    def _recorded(self, _: object) -> None:
        if self.unjournalled:
            self.unjournalled = 0
            self.changed.emit()

    def _not_recorded(self, error: Exception) -> None:
        """A check the journal refused: a stopped account's answer leaves the screen; any
        other failure is logged (the guard has the answer and nothing to do about it)."""
        if isinstance(error, AccountStopped):
            self.clear()
            self.account_stopped.emit()
            return
        log.error("a badge check could not be journalled", exc_info=error)
        self.unjournalled += 1
        self.changed.emit()

    def wait(self) -> None:
        """Until every check scanned so far is journalled (tests, closing)."""
        self._journal.wait(-1)

    def refresh_data(self) -> None:
        """Bring the data line up to date (sync may have run since)."""
        self.data = self.post.data()
        self.changed.emit()

    def clear(self) -> None:
        """Back to waiting for a badge."""
        self.result, self.photo, self.read_at = None, None, None
        self.changed.emit()


class SecurityScreen(Retranslating, QWidget):
    """Big colour verdict, the holder's photo and name, the badge's kind and days, in the
    language the screens speak now."""

    def __init__(self, presenter: SecurityPresenter, tones: Tones | None = None) -> None:
        super().__init__()
        self.p = presenter
        self.tones = tones or Tones(False)
        self.tones.setParent(self)
        self._sounded: Verification | None = None  # each scan sounds once
        self._build()
        self._idle = QTimer(self, singleShot=True, interval=IDLE_AFTER_MS)
        self._idle.timeout.connect(presenter.clear)
        self._data_timer = QTimer(self, interval=DATA_EVERY_MS)
        self._data_timer.timeout.connect(presenter.refresh_data)
        self._data_timer.start()
        presenter.changed.connect(self.render)
        self.retranslate()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.data_line = Label()
        self.data_line.setObjectName("securityData")
        self.data_line.setWordWrap(True)
        outer.addWidget(self.data_line)
        self.scan_field = QLineEdit()
        self.scan_field.setStyleSheet("font-size: 18px; padding: 6px;")
        self.scan_field.returnPressed.connect(self._submit)
        self.banner = Label()
        self.banner.setObjectName("securityVerdict")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(150)
        self.reason = Label()
        self.reason.setObjectName("securityReason")
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.scan_field)
        outer.addWidget(self.banner)
        outer.addWidget(self.reason)
        outer.addLayout(self._holder(), 1)

    def _holder(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.photo = Label()
        self.photo.setFixedSize(280, 360)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout()
        self.captions: dict[str, QLabel] = {}
        self.facts: dict[str, QLabel] = {}
        for i, key in enumerate(FACTS):
            caption = Label()
            caption.setStyleSheet("font-size: 20px; color: #37474f;")
            value = Label()
            size = 20 if key == "read" else 28
            value.setStyleSheet(f"font-size: {size}px; font-weight: bold;")
            value.setWordWrap(True)
            grid.addWidget(caption, i, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(value, i, 1, Qt.AlignmentFlag.AlignVCenter)
            self.captions[key], self.facts[key] = caption, value
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(FACTS), 1)  # rows keep their height; the space goes below
        row.addLayout(grid, 1)
        return row

    def retranslate(self) -> None:
        """Every text in the language the screens speak now."""
        self.scan_field.setPlaceholderText(self.tr("Scan the badge's QR code (or its barcode)"))
        self.scan_field.setAccessibleName(self.tr("Badge scan field"))
        self.photo.setAccessibleName(self.tr("Holder photo"))
        captions = {
            "name": self.tr("Name"),
            "kind": self.tr("Badge"),
            "days": self.tr("Valid"),
            "serial": self.tr("Serial no."),
            "organisation": self.tr("Organisation"),
            "read": self.tr("Read at"),
        }
        for key, label in self.captions.items():
            label.setText(captions[key])
        self.render()

    def showEvent(self, event: QEvent) -> None:
        """A scanner must find the scan field focused from the first key."""
        super().showEvent(event)
        self.scan_field.setFocus()

    def _submit(self) -> None:
        text = self.scan_field.text()
        self.scan_field.clear()
        self.p.scan(text)

    def render(self) -> None:
        """Show the presenter's last verification (or the waiting screen)."""
        r = self.p.result
        if r is not None:
            self._idle.start()  # however the scan came: the field, a USB scanner's burst
        if r is not None and r is not self._sounded:
            self._sounded = r
            self.tones.play(tone_of(r))
        if r is None:
            colour, words = WAITING, self.tr("SCAN A BADGE")
        elif r.valid:
            colour, words = VALID, self.tr("VALID")
        elif r.to_confirm:
            colour, words = TO_CONFIRM, self.tr("CHECK")
        elif r.undecided:
            colour, words = SCAN_QR, self.tr("SCAN THE QR CODE")
        else:
            colour, words = NOT_VALID, self.tr("NOT VALID")
        self.banner.setText(words)
        self.banner.setAccessibleName(words)
        back, ink = (WAITING_BACK, WAITING) if r is None else (colour, "white")
        self.banner.setStyleSheet(
            f"background: {back}; color: {ink}; font-size: 72px;"
            " font-weight: bold; border-radius: 8px;"
        )
        self.reason.setText(pick(r.reason_en, r.reason_fr) if r else "")
        self.reason.setStyleSheet(f"font-size: 26px; font-weight: bold; color: {colour};")
        self._render_facts(r)
        self._render_photo()
        self._render_data(self.p.data)

    def _render_data(self, d: PostData) -> None:
        """Online or offline, the data's age, and a warning once it is too old
        (`data_words`, as `kiosk security verify` says it)."""
        text = pick(*data_words(d))
        if self.p.unjournalled:
            text += " — ⚠ " + self.tr(
                "checks the journal could not take: {n} (the kiosk's log says why). Tell the"
                " pass office."
            ).format(n=self.p.unjournalled)
        self.data_line.setText(text)
        self.data_line.setAccessibleName(text)
        style = "font-size: 20px; padding: 4px 8px; border-radius: 4px;"
        if d.stale or d.clock or self.p.unjournalled:
            style += f" background: {DATA_STALE}; color: black; font-weight: bold;"
        else:
            style += f" color: {DATA_OK};"
        self.data_line.setStyleSheet(style)

    def _render_facts(self, r: Verification | None) -> None:
        case = r.case if r else None
        values = {key: "" for key in self.facts}
        if r and case:
            acc, person = case.accreditation, case.person
            if acc.flow is Flow.ANNUAL:
                kind = self.tr("ANNUAL {year}").format(year=acc.year)
            else:
                event = (
                    pick(case.event.name, case.event.french_name) if case.event else acc.event_id
                )
                kind = self.tr("MEDIA — {event}").format(event=event)
            named = bool(person.surname or person.given_names)  # blank once purged
            values.update(
                name=f"{person.surname.upper()}, {person.given_names}"
                if named
                else self.tr("(holder not on file: deleted after the event)"),
                kind=kind,  # never "POOL": pool cards are their own cards (kiosk/pool.py)
                organisation=person.organisation or (self.tr("freelance") if named else ""),
            )
        if r and r.valid_from and r.valid_until:
            values["days"] = f"{r.valid_from:%d.%m.%Y} – {r.valid_until:%d.%m.%Y}"
        if r and r.serial:
            values["serial"] = r.serial
        if r and self.p.read_at:
            values["read"] = f"{self.p.read_at.astimezone(BRUSSELS):%H:%M:%S}"
        for key, label in self.facts.items():
            label.setText(values[key])

    def _render_photo(self) -> None:
        if not self.p.photo:
            self.photo.setPixmap(QPixmap())
            self.photo.setText("")
            return
        pix = QPixmap()
        pix.loadFromData(self.p.photo)
        self.photo.setPixmap(
            pix.scaled(
                self.photo.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
