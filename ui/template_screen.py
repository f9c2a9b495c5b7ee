"""Badge templates on screen: choose a badge kind (and an event with its own design), see
which file lays it out, the sample badge it makes, big enough to read, and every template
file's mistakes with the file and the setting named. The pass office edits the TOML in a
text editor, saves, and presses Reload [F5].

The sample holder has a long, accented name and organisation (printing/preview.py), so a
box too small for real names shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.model import Event
from kiosk.overview import list_events
from kiosk.roles import Actor
from kiosk.services import Kiosk
from ui.background import Background
from ui.errors import in_words
from ui.language import Retranslating, pick
from ui.overview_screen import fill_table, make_table
from ui.plain_label import Label

KINDS = ("annual", "event", "pool")
PREVIEW_DPI = 250  # sharp when shown about 800 pixels wide
SAMPLE_PHOTO_SEED = 7


@dataclass(frozen=True)
class Problem:
    """A template's mistake, split as the loader names it: file, setting, what is wrong."""

    file: str
    setting: str
    problem: str


@dataclass(frozen=True)
class TemplateFile:
    """One template file found, and whether it can be used."""

    path: Path
    own: bool  # the pass office's, not shipped with the kiosk
    name: str  # the template's own name, when it loads
    problem: Problem | None


@dataclass(frozen=True)
class Look:
    """What the screen shows for one kind and event."""

    path: Path | None
    own: bool
    png: bytes
    problem: Problem | None
    files: list[TemplateFile]


def split_problem(message: str) -> Problem:
    """A TemplateError's message ("event.toml: text[2] (surname).box.w: must be …") as
    file, setting and problem."""
    parts = message.split(": ", 2)
    if len(parts) == 3 and parts[1] in ("not valid TOML", "cannot be read"):
        return Problem(parts[0], "", f"{parts[1]}: {parts[2]}")  # the whole file
    if len(parts) == 3:
        return Problem(*parts)
    if len(parts) == 2:
        return Problem(parts[0], "", parts[1])
    return Problem("", "", message)


def look_at(kiosk: Kiosk, kind: str, event: Event | None) -> Look:
    """Find, check and lay out the template a badge of `kind` (for `event`) would use."""
    from printing.badge_template import TemplateError, load_template
    from printing.preview import preview_png, sample_card
    from printing.sample_photo import portrait

    book = kiosk.printing.templates
    own_dir = book.folders[0]
    files = _files(book.folders, own_dir)
    try:
        path = book.path_for(kind, event.id if event else None)
    except TemplateError as err:
        return Look(None, False, b"", split_problem(str(err)), files)
    own = path.parent == own_dir
    try:
        template = load_template(path)
    except TemplateError as err:
        return Look(path, own, b"", split_problem(str(err)), files)
    card = sample_card(kind, portrait(SAMPLE_PHOTO_SEED))
    if event is not None and kind != "annual":
        card = replace(
            card,
            event_name=event.name,
            event_name_fr=event.french_name,
            colour=event.colour,
            event_id=event.id,
        )
    try:
        png = preview_png(template, card, PREVIEW_DPI)
    except ValueError as err:  # a layout the sample cannot fit
        return Look(path, own, b"", Problem(path.name, "", str(err)), files)
    return Look(path, own, png, None, files)


def _files(folders: tuple[Path, ...], own_dir: Path) -> list[TemplateFile]:
    from printing.badge_template import TemplateError, load_template

    out = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                name, problem = load_template(path).name, None
            except TemplateError as err:
                name, problem = "", split_problem(str(err))
            out.append(TemplateFile(path, folder == own_dir, name, problem))
    return out


class TemplateScreen(Retranslating, QWidget):
    """Preview and check the badge templates."""

    def __init__(self, kiosk: Kiosk, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk, self.actor = kiosk, actor
        self.look: Look | None = None
        self.preview_png = b""
        self.events: list[Event] = []
        self.background = Background(self)
        col = QVBoxLayout(self)
        col.addLayout(self._top())
        self.path = Label()
        self.path.setObjectName("templatePath")
        self.path.setWordWrap(True)
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.path)
        middle = QHBoxLayout()
        left = QVBoxLayout()
        self.preview = Label()
        self.preview.setObjectName("templatePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setMinimumSize(480, 300)
        policy = QSizePolicy.Policy.Ignored  # the picture follows the label, not the reverse
        self.preview.setSizePolicy(policy, policy)
        self.error = Label()
        self.error.setObjectName("templateError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold; font-size: 17px;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.preview, 1)
        left.addWidget(self.error)
        middle.addLayout(left, 3)
        right = QVBoxLayout()
        self.files_title = Label()
        self.files_title.setStyleSheet("font-weight: bold;")
        self.files = make_table(3, 2)
        self.files.setWordWrap(True)
        right.addWidget(self.files_title)
        right.addWidget(self.files, 1)
        middle.addLayout(right, 2)
        col.addLayout(middle, 1)
        self.hint = Label()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        # Nested layouts do not pass a wrapped label's height for its width up to the
        # stack: keep room for three lines (the path in it varies with the data folder).
        self.hint.setMinimumHeight(3 * self.hint.fontMetrics().lineSpacing())
        col.addWidget(self.hint)
        self.retranslate()
        self._load_events()

    def _top(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title = Label()
        self.title.setObjectName("screenTitle")
        self.kind_label, self.event_label = Label(), Label()
        self.kind = QComboBox()
        self.kind.addItems(["", "", ""])
        self.kind.setCurrentIndex(KINDS.index("event"))
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.event = QComboBox()
        self.event.addItem("")
        self.event.setMinimumWidth(320)
        for box in (self.kind, self.event):  # long event names must not push the row wider
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(14)
        self.event.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind_label.setBuddy(self.kind)
        self.event_label.setBuddy(self.event)
        self.reload_button = QPushButton()
        self.reload_button.clicked.connect(self.reload)
        row.addWidget(self.title, 1)
        for w in (self.kind_label, self.kind, self.event_label, self.event, self.reload_button):
            row.addWidget(w)
        return row

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.title.setText(self.tr("Badge templates"))
        self.kind_label.setText(self.tr("&Badge:"))
        self.event_label.setText(self.tr("&Event:"))
        for i, text in enumerate(
            [self.tr("Annual badge"), self.tr("Event badge"), self.tr("Pool card")]
        ):
            self.kind.setItemText(i, text)
        self.event.setItemText(0, self.tr("Any event (the kind's template)"))
        self.kind.setAccessibleName(self.tr("Badge kind"))
        self.event.setAccessibleName(self.tr("Event"))
        self.reload_button.setText(self.tr("Reload [F5]"))
        self.files_title.setText(self.tr("Template files"))
        self.files.setAccessibleName(self.files_title.text())
        self.files.setHorizontalHeaderLabels([self.tr("File"), self.tr("Where"), self.tr("State")])
        self.preview.setAccessibleName(self.tr("Sample badge"))
        self.hint.setText(
            self.tr(
                "To change a design, copy the file into {folder}, edit it in a text editor, "
                "save it, then press Reload [F5]. A file named <event id>.<kind>.toml (e.g. "
                "DEFMIN.event.toml) is used for that event only."
            ).format(folder=self.kiosk.data_dir / "templates")
        )
        self.render()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F5 reloads."""
        if event.key() == Qt.Key.Key_F5:
            self.reload()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        """The picture follows the screen's size."""
        super().resizeEvent(event)
        self._show_picture()

    # --- reading -------------------------------------------------------------------

    def _load_events(self) -> None:
        store = self.kiosk.store
        self.background.run(lambda: list_events(store), self._events_loaded, self._failed)

    def _events_loaded(self, events: list[Event]) -> None:
        self.events = events
        self.event.blockSignals(True)
        for e in events:
            self.event.addItem(f"{e.id} — {e.name}", e.id)
        self.event.blockSignals(False)
        self.reload()

    @property
    def chosen_kind(self) -> str:
        return KINDS[self.kind.currentIndex()]

    @property
    def chosen_event(self) -> Event | None:
        index = self.event.currentIndex()
        return self.events[index - 1] if index > 0 and self.chosen_kind != "annual" else None

    def reload(self) -> None:
        """Read the template file again, check it and lay out the sample (on the worker)."""
        self.event.setEnabled(self.chosen_kind != "annual")  # annual badges have no event
        kiosk, kind, event = self.kiosk, self.chosen_kind, self.chosen_event
        self.background.run(lambda: look_at(kiosk, kind, event), self._looked, self._failed)

    def _looked(self, look: Look) -> None:
        self.look = look
        self.preview_png = look.png
        self.render()

    def _failed(self, error: Exception) -> None:
        reason = pick(*in_words(error))
        self.error.setText(self.tr("The template could not be shown: {error}").format(error=reason))

    # --- showing -------------------------------------------------------------------

    def render(self) -> None:
        """Show the last look: file, picture, mistakes."""
        look = self.look
        if look is None:
            return
        if look.path is None:
            self.path.setText(self.tr("No template file for this badge."))
        else:
            where = (
                self.tr("the pass office's own")
                if look.own
                else self.tr("shipped with the kiosk; copy it to change it")
            )
            self.path.setText(
                self.tr("Template file: {path} ({where})").format(path=look.path, where=where)
            )
        self.error.setText(self._problem_text(look.problem) if look.problem else "")
        self.error.setVisible(look.problem is not None)
        self._show_picture()
        fill_table(
            self.files,
            [
                [
                    f.path.name,
                    self.tr("pass office") if f.own else self.tr("shipped"),
                    self._state(f),
                ]
                for f in look.files
            ],
        )
        self.files.resizeRowsToContents()

    def _problem_text(self, p: Problem) -> str:
        lines = [
            self.tr(
                "This template cannot be used: badges it lays out are not printed until "
                "it is fixed."
            ),
            self.tr("File: {file}").format(file=p.file),
        ]
        if p.setting:
            lines.append(self.tr("Setting: {setting}").format(setting=p.setting))
        lines.append(self.tr("Problem: {problem}").format(problem=p.problem))
        return "\n".join(lines)

    def _state(self, f: TemplateFile) -> str:
        if f.problem is None:
            kinds = (self.tr("Annual badge"), self.tr("Event badge"), self.tr("Pool card"))
            shipped = dict(zip(KINDS, kinds, strict=True))  # named in the screen's language
            name = f.name if f.own else shipped.get(f.path.stem, f.name)
            return self.tr("OK — {name}").format(name=name)
        setting = f"{f.problem.setting}: " if f.problem.setting else ""
        return f"✘ {setting}{f.problem.problem}"

    def _show_picture(self) -> None:
        if not self.preview_png:
            self.preview.setPixmap(QPixmap())
            broken = self.look is not None and self.look.problem is not None
            self.preview.setText(
                self.tr("No preview until the template is fixed.") if broken else ""
            )
            return
        pix = QPixmap()
        pix.loadFromData(self.preview_png)
        self.preview.setPixmap(
            pix.scaled(
                self.preview.size().shrunkBy(self.preview.contentsMargins()),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
