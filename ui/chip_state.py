"""The passport chip of the document last scanned at the counter: read off the UI thread
when a reader is attached, and its check (kiosk/chip_check.py) for the decision."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.chip_check import ChipReading, ChipStatus, check_chip
from kiosk.model import Check, IdReading
from ui.background import Background

log = logging.getLogger(__name__)
ChipReader = Callable[[IdReading], ChipReading]  # opens the chip with the printed MRZ


class ChipState(QObject):
    """Starts a chip read after each MRZ scan and keeps its result for that document.

    With no reader function (a kiosk without the chip stack) it never reads; a read that
    finds no reader is kept as no result at all, so the decision is the printed one."""

    changed = Signal()

    def __init__(self, reader: ChipReader | None, background: Background) -> None:
        super().__init__()
        self._reader = reader
        self._background = background
        self.printed: IdReading | None = None  # the MRZ the chip was opened with
        self.result: ChipReading | None = None
        self.pending = False

    @property
    def available(self) -> bool:
        """Whether this counter reads chips at all."""
        return self._reader is not None

    def start(self, printed: IdReading) -> None:
        """Read the chip of the document whose printed MRZ is `printed`."""
        if self._reader is None:
            return
        self.printed, self.result, self.pending = printed, None, True
        reader = self._reader
        self._background.run(
            lambda: reader(printed),
            lambda r: self._done(printed, r),
            lambda exc: self._failed(printed, exc),
        )
        self.changed.emit()

    def forget(self) -> None:
        """A new applicant: the last document's chip no longer counts."""
        self.printed, self.result, self.pending = None, None, False

    def _done(self, printed: IdReading, result: ChipReading) -> None:
        if printed is not self.printed:
            return  # another document was scanned meanwhile
        self.pending = False
        self.result = None if result.status is ChipStatus.NO_READER else result
        self.changed.emit()

    def _failed(self, printed: IdReading, exc: Exception) -> None:
        """A fault in the reading itself (not the chip's answer): logged, and taken as a
        chip that could not be read, which refuses nothing."""
        log.error("chip read failed: %r", exc)
        self._done(printed, ChipReading(ChipStatus.UNREADABLE, detail=repr(exc)))

    def check(self) -> Check | None:
        """The chip's check for the decision, or None when no chip was read (no reader, no
        chip: the panel says so, the decision is the printed document's)."""
        if self.result is None or self.printed is None:
            return None
        if self.result.status is ChipStatus.NO_CHIP:
            return None
        return check_chip(self.result, self.printed)
