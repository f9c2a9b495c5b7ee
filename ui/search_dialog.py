"""Find an applicant who has no printout: type a name (any order, accents or not, part of
it), a registration number, an e-mail or an ID document number; the list follows as you
type. Up and Down move in it, Enter chooses, Esc cancels: the keyboard alone does it.
Enter typed before the list caught up takes the applicant found only if there is just
one; several are shown for the clerk to choose from, never picked unseen.

The dialog only finds the accreditation (`chosen`); the counter then asks for the ID
document, which must match before a badge is issued.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import Status
from kiosk.search import Found, name_index, search
from kiosk.services import Kiosk
from kiosk.typed import cut
from scanning.wedge import ScanKind, route
from ui.background import Background
from ui.errors import in_words
from ui.framed_dialog import FramedDialog
from ui.language import Retranslating, pick, pick_office
from ui.plain_label import Label

DEBOUNCE_MS = 200  # a search starts when the typing pauses this long
SHOWN = 40  # characters of the query the summary repeats (a scanned code has no space)
THUMB = QSize(42, 54)  # 3.5 x 4.5
NAVIGATION = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


def _thumbnails(kiosk: Kiosk, found: list[Found]) -> dict[int, QImage]:
    """Small photos of the persons found (made on the worker: QImage is thread-safe)."""
    images: dict[int, QImage] = {}
    for person_id in dict.fromkeys(f.person_id for f in found):
        jpeg = kiosk.desk.photo(person_id)
        image = QImage.fromData(jpeg) if jpeg else QImage()
        if not image.isNull():
            images[person_id] = image.scaled(
                THUMB,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
    return images


class SearchDialog(Retranslating, FramedDialog):
    """Search the accreditations on file; `chosen` is the accreditation id picked."""

    def __init__(self, kiosk: Kiosk, parent: QWidget | None = None, limit: int = 20) -> None:
        super().__init__(parent)
        self.kiosk, self.limit = kiosk, limit
        self.chosen: int | None = None
        self.scanned: str | None = None  # a confirmation code scanned into the field
        self.found: list[Found] = []
        self._asked = ""  # the query the list shows results of
        self._latest = 0  # ticket of the newest search; older answers are dropped
        self._choose_when_ready = False
        self.background = Background(self)
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self._start_search)
        self.title = Label()
        self.title.setObjectName("screenTitle")
        self.query = QLineEdit()
        self.query.textChanged.connect(lambda _text: self.timer.start())
        self.query.installEventFilter(self)
        self.results = QListWidget()
        self.results.setIconSize(THUMB)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keys
        self.results.itemDoubleClicked.connect(lambda _item: self._choose())
        self.state = Label()
        self.state.setObjectName("searchState")
        self.state.setWordWrap(True)
        self.keys = Label()
        self.keys.setObjectName("hint")
        col = QVBoxLayout(self)
        col.addWidget(self.title)
        col.addWidget(self.query)
        col.addWidget(self.state)
        col.addWidget(self.results, 1)
        col.addWidget(self.keys)
        self.resize(900, 600)
        self.retranslate()
        # The names' index is made while the clerk starts typing; if that fails, the first
        # search (which makes it again) says why.
        store = kiosk.store
        self.background.run(lambda: name_index(store).refresh(), lambda _r: None, lambda _e: None)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(self.tr("Search"))
        self.title.setText(self.tr("Find an applicant"))
        self.query.setPlaceholderText(
            self.tr("Name, registration number, e-mail or ID document number")
        )
        self.query.setAccessibleName(self.tr("Search"))
        self.results.setAccessibleName(self.tr("Accreditations found"))
        self.keys.setText(
            self.tr("↑ ↓ choose in the list — Enter: take this applicant — Esc: cancel")
        )
        self._show(self.found, self._asked)

    # --- searching -----------------------------------------------------------------

    @property
    def searching(self) -> bool:
        """Whether the list does not show the field's text yet."""
        return self.timer.isActive() or self.background.busy

    def _start_search(self) -> None:
        text = self.query.text().strip()
        if not text:
            self._latest = 0
            self._show([], "")
            return
        kiosk, limit = self.kiosk, self.limit

        def work() -> tuple[str, list[Found], dict[int, QImage]]:
            found = search(kiosk.store, text, limit)
            return text, found, _thumbnails(kiosk, found)

        self.state.setText(self.tr("Searching…"))
        ticket = self.background.run(work, lambda r: self._answer(ticket, r), self._failed)
        self._latest = ticket

    def _answer(self, ticket: int, result: tuple[str, list[Found], dict[int, QImage]]) -> None:
        if ticket != self._latest:
            return  # the clerk typed on since
        text, found, images = result
        self._show(found, text, images)
        if self._choose_when_ready and not self.searching:
            self._choose_when_ready = False
            if len(found) == 1:  # with several, the clerk sees them and picks one
                self._choose()

    def _failed(self, error: Exception) -> None:
        self._choose_when_ready = False
        reason = pick(*in_words(error))
        self.state.setText(self.tr("The search failed: {error}").format(error=reason))

    def _show(self, found: list[Found], text: str, images: dict | None = None) -> None:
        self.found, self._asked = found, text
        self.results.clear()
        for f in found:
            item = QListWidgetItem(self._describe(f))
            item.setData(Qt.ItemDataRole.UserRole, f.accreditation_id)
            image = (images or {}).get(f.person_id)
            if image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))
            if f.status is not Status.APPROVED:
                item.setForeground(QColor("#b71c1c"))
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        self.state.setText(self._summary(found, text))

    def _summary(self, found: list[Found], query: str) -> str:
        text = cut(query, SHOWN)  # a scanned code has no space to wrap at
        if not query:
            return self.tr(
                "Type a name (surname or given names, in any order), a registration "
                "number, an e-mail or an ID document number."
            )
        if not found:
            return self.tr("Nothing found for “{text}”.").format(text=text)
        if len(found) >= self.limit:
            return self.tr("The first {n} found for “{text}”: type more to narrow it.").format(
                n=len(found), text=text
            )
        return self.tr("{n} found for “{text}”.").format(n=len(found), text=text)

    def _describe(self, f: Found) -> str:
        what = (
            pick_office(f.event_name, f.event_name_fr)
            if f.event_name
            else self.tr("Annual {year}").format(year=f.year)
        )
        status = {
            Status.APPROVED: self.tr("approved"),
            Status.PENDING: self.tr("pending"),
            Status.DENIED: self.tr("denied"),
            Status.REVOKED: self.tr("revoked"),
        }[f.status]
        born = self.tr("born {date}").format(date=f"{f.birth_date:%d.%m.%Y}")
        organisation = f.organisation or self.tr("freelance")
        return f"{f.name}  —  {born}  —  {organisation}\n{f.registration}  —  {what}  —  {status}"

    # --- keys ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows and page keys typed in the field move in the list."""
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            key = QKeyEvent(event).key()
            if key in NAVIGATION and self.results.count():
                self._move(key)
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: Qt.Key) -> None:
        row = self.results.currentRow()
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5}.get(key, 5)
        self.results.setCurrentRow(max(0, min(self.results.count() - 1, row + step)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter takes the applicant picked (once the list shows what was typed, and then
        only a sole one), or a confirmation code scanned into the field (`scanned`: the
        printout turned up); Esc cancels."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            scan = route(self.query.text())
            if scan.kind is ScanKind.CODE:  # the printout turned up: the scan takes it
                self.scanned = scan.text
                self.accept()
            elif self.searching:
                self._choose_when_ready = True
                if self.timer.isActive():
                    self.timer.stop()
                    self._start_search()
            else:
                self._choose()
            return
        super().keyPressEvent(event)

    def _choose(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        self.accept()

    def done(self, result: int) -> None:
        """Closing: no answer of a search still running reaches a closed dialog."""
        self.timer.stop()
        self._latest = -1
        super().done(result)
