"""The passport chip at the counter: what its check says, its face image beside the
photo on file, and its DG1 beside the printed MRZ and the application.

It renders the presenter's `chip` state (ui/chip_state.py); the rule behind the words is
kiosk/chip_check.py.
"""

from __future__ import annotations

import io

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.chip_check import ChipStatus, check_chip
from kiosk.model import IdDocument, IdReading
from ui.language import Retranslating, pick
from ui.plain_label import Label
from ui.presenter import CounterPresenter

FACE = (96, 124)
MAX_FACE_PIXELS = 4_000_000  # an ICAO face image is far smaller; more is not decoded
ROWS = ("name", "birth", "document", "expiry")
OK_COLOUR, BAD_COLOUR, WAIT_COLOUR = "#1b5e20", "#b71c1c", "#37474f"
MISMATCH = "color: #b71c1c; font-weight: bold;"


def face_pixmap(image: bytes) -> QPixmap:
    """A JPEG or JPEG 2000 face as a pixmap (null if unreadable). Qt reads no JPEG 2000,
    which some passports use, so Pillow turns it into PNG first."""
    pix = QPixmap()
    if pix.loadFromData(image):
        return pix
    try:
        with Image.open(io.BytesIO(image)) as img:
            if img.width * img.height > MAX_FACE_PIXELS:  # a chip's claim, not trusted
                return QPixmap()
            png = io.BytesIO()
            img.convert("RGB").save(png, "PNG")
    except (OSError, ValueError, Image.DecompressionBombError):
        return QPixmap()
    pix.loadFromData(png.getvalue())
    return pix


def _picture(image: bytes | None, label: QLabel, empty: str) -> None:
    pix = face_pixmap(image) if image else QPixmap()
    if not pix.isNull():
        label.setPixmap(
            pix.scaled(
                label.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
    else:
        label.setPixmap(QPixmap())
        label.setText(empty)


def _reading_rows(r: IdReading | None) -> dict[str, str]:
    if r is None:
        return dict.fromkeys(ROWS, "")
    return {
        "name": f"{r.surname}, {r.given_names}",
        "birth": r.birth_text(),
        "document": r.document_number,
        "expiry": f"{r.expiry_date:%d.%m.%Y}",
    }


def _document_rows(doc: IdDocument | None) -> dict[str, str]:
    if doc is None:
        return dict.fromkeys(ROWS, "")
    return {
        "name": f"{doc.surname.upper()}, {doc.given_names}",
        "birth": f"{doc.date_of_birth:%d.%m.%Y}",
        "document": f"…{doc.number_tail}",  # stores keep a keyed hash of the number
        "expiry": f"{doc.expiry:%d.%m.%Y}",
    }


class ChipPanel(Retranslating, QFrame):
    """The chip's verdict, face and data; hidden until a document's chip is read (never
    without a reader)."""

    def __init__(self, presenter: CounterPresenter) -> None:
        super().__init__()
        self.p = presenter
        self.setObjectName("chipPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        self.on_file, self.chip_face = Label(), Label()
        self.on_file_caption, self.chip_caption = Label(), Label()
        for picture, caption in (
            (self.on_file, self.on_file_caption),
            (self.chip_face, self.chip_caption),
        ):
            picture.setFixedSize(*FACE)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setFrameShape(QFrame.Shape.Box)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            col = QVBoxLayout()
            col.addWidget(picture)
            col.addWidget(caption)
            row.addLayout(col)
        right = QVBoxLayout()
        self.headline = Label()
        self.headline.setObjectName("chipHeadline")
        self.headline.setWordWrap(True)
        right.addWidget(self.headline)
        grid = QGridLayout()
        self.column_heads = [Label() for _ in range(3)]
        for i, head in enumerate(self.column_heads, start=1):
            head.setStyleSheet("font-weight: bold;")
            grid.addWidget(head, 0, i)
        self.row_heads = {key: Label() for key in ROWS}
        self.cells: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for r, key in enumerate(ROWS, start=1):
            grid.addWidget(self.row_heads[key], r, 0)
            cells = (Label(), Label(), Label())
            for c, cell in enumerate(cells, start=1):
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(cell, r, c)
            self.cells[key] = cells
        right.addLayout(grid)
        row.addLayout(right, 1)
        presenter.changed.connect(self.render)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.on_file_caption.setText(self.tr("On file"))
        self.chip_caption.setText(self.tr("Chip"))
        heads = (self.tr("Chip (DG1)"), self.tr("Printed MRZ"), self.tr("Application"))
        for label, text in zip(self.column_heads, heads, strict=True):
            label.setText(text)
        names = {
            "name": self.tr("Name"),
            "birth": self.tr("Born"),
            "document": self.tr("Document"),
            "expiry": self.tr("Expires"),
        }
        for key, label in self.row_heads.items():
            label.setText(names[key])
        self.render()

    def render(self) -> None:
        """Show the chip state of the document scanned last."""
        chip = self.p.chip
        shown = chip.printed is not None and (chip.pending or chip.result is not None)
        self.setVisible(shown)
        if not shown:
            return
        result = chip.result
        if chip.pending or result is None:
            words = self.tr("Reading the chip… keep the document on the reader.")
            colour = WAIT_COLOUR
        else:
            check = check_chip(result, chip.printed)
            words = pick(check.reason_en, check.reason_fr)
            verified = check.ok and result.status is ChipStatus.VERIFIED
            colour = OK_COLOUR if verified else (WAIT_COLOUR if check.ok else BAD_COLOUR)
        self.headline.setText(words)
        self.headline.setStyleSheet(f"color: {colour}; font-size: 15px; font-weight: bold;")
        _picture(self.p.photo(), self.on_file, self.tr("No photo"))
        _picture(result.face if result else None, self.chip_face, "—")
        case = self.p.decision.case if self.p.decision else None
        columns = (
            _reading_rows(result.chip_id if result else None),
            _reading_rows(chip.printed),
            _document_rows(case.accreditation.id_document if case else None),
        )
        for key, cells in self.cells.items():
            chip_value, printed_value = columns[0][key], columns[1][key]
            differs = bool(chip_value) and chip_value != printed_value
            for cell, column in zip(cells, columns, strict=True):
                cell.setText(column[key])
            cells[0].setStyleSheet(MISMATCH if differs else "")
