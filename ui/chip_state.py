"""The passport chip of the document last scanned at the counter: read off the UI thread
when a reader is plugged in, and its check (kiosk/chip_check.py) for the decision.

Readers come and go while the kiosk runs: the PC/SC reader list is polled off the UI
thread (every `POLL_MS`). A reader plugged in with a document on screen starts that
document's chip read, so the chip panel appears; a reader pulled out before its chip
was read says "no chip reader" on the panel, and the printed document is checked alone
(a chip's verdict already given stands: pulling the reader out undoes no refusal).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.chip_check import ChipLink, ChipReading, ChipStatus, check_chip
from kiosk.model import Check, IdReading
from ui.background import Background

log = logging.getLogger(__name__)
POLL_MS = 2000


class ChipState(QObject):
    """Starts a chip read after each MRZ scan and keeps its result for that document.

    With no chip link (a machine without the PC/SC stack) it never reads. Until a reader
    has been seen, no reader means no result at all, so the panel stays hidden and the
    decision is the printed one; once one has been seen, its absence is shown."""

    changed = Signal()

    def __init__(
        self,
        link: ChipLink | None,
        background: Background,
        parent: QObject | None = None,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(parent)  # the counter's presenter: polling stops when it goes
        self._link = link
        self._background = background
        self.printed: IdReading | None = None  # the MRZ the chip was opened with
        self.result: ChipReading | None = None
        self.pending = False
        self.attached: bool | None = None  # a reader is plugged in (None: not polled yet)
        self.seen = False  # a reader was plugged in at some time since the kiosk started
        self._polling = False
        self._watch = Background(self, threads=1)  # never queued behind reads or prints
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        if link is not None:
            self._timer.start(poll_ms)
            self.poll()

    @property
    def available(self) -> bool:
        """Whether this counter reads chips now (a reader is plugged in)."""
        return self._link is not None and self.attached is not False

    def poll(self) -> None:
        """Ask off the UI thread whether a reader is plugged in (one question at a time)."""
        if self._link is None or self._polling:
            return
        self._polling = True
        self._watch.run(self._link.attached, self._seen, self._poll_failed)

    def _poll_failed(self, exc: Exception) -> None:
        log.error("looking for chip readers failed: %r", exc)
        self._seen(False)

    def _seen(self, attached: bool) -> None:
        self._polling = False
        if attached == self.attached:
            return
        self.attached = attached
        self.seen = self.seen or attached
        if self.printed is None or self.pending:
            return  # a read under way ends on its own (interrupted, or no reader)
        if self.result is not None and self.result.status is not ChipStatus.NO_READER:
            return  # what the chip said stands: pulling the reader out undoes no refusal
        if attached:
            self.start(self.printed)
        else:
            self.result = ChipReading(ChipStatus.NO_READER, detail="the reader was unplugged")
            self.changed.emit()

    def start(self, printed: IdReading) -> None:
        """Read the chip of the document whose printed MRZ is `printed`."""
        if self._link is None:
            return
        self.printed = printed
        if self.attached is False:
            self.result, self.pending = self._no_reader(), False
            self.changed.emit()
            return
        self.result, self.pending = None, True
        read = self._link.read
        self._background.run(
            lambda: read(printed),
            lambda r: self._done(printed, r),
            lambda exc: self._failed(printed, exc),
        )
        self.changed.emit()

    def _no_reader(self) -> ChipReading | None:
        """No reader: said on the panel once a reader was seen, else nothing at all."""
        return ChipReading(ChipStatus.NO_READER) if self.seen else None

    def forget(self) -> None:
        """A new applicant: the last document's chip no longer counts."""
        self.printed, self.result, self.pending = None, None, False

    def _done(self, printed: IdReading, result: ChipReading) -> None:
        if printed is not self.printed:
            return  # another document was scanned meanwhile
        self.pending = False
        self.result = self._no_reader() if result.status is ChipStatus.NO_READER else result
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
        if self.result.status in (ChipStatus.NO_CHIP, ChipStatus.NO_READER):
            return None
        return check_chip(self.result, self.printed)
