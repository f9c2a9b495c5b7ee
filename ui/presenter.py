"""The counter screen's state: what was scanned, what was decided, what was issued.

The window renders this object and calls its methods; only this object talks to the
counter desk, and long work (issuing and writing the badge PDF) runs off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from kiosk.app import Kiosk
from kiosk.counter import Issuance, NotIssued
from kiosk.model import Decision, IdReading
from scanning.wedge import ScanKind, route


@dataclass(frozen=True)
class Issued:
    """What the window shows after a badge was issued."""

    serial: str
    pdf: Path
    superseded: tuple[str, ...]


class _IssueJob(QRunnable):
    """Issue and write the PDF on a pool thread; report through the presenter's signals."""

    def __init__(
        self,
        presenter: CounterPresenter,
        code: str,
        reading: IdReading | None,
        clerk: str,
        supervisor: str | None,
        reason: str,
    ) -> None:
        super().__init__()
        self.p, self.args = presenter, (code, reading, clerk, supervisor, reason)

    def run(self) -> None:
        try:
            done: Issuance = self.p.kiosk.desk.issue(*self.args)
            pdf = self.p.kiosk.render_badge(done.badge.serial)
        except NotIssued as refused:
            self.p._refused.emit(str(refused), refused.decision)
            return
        except Exception as exc:
            self.p._failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.p._issued.emit(Issued(done.badge.serial, pdf, done.superseded))


class CounterPresenter(QObject):
    """Holds the scan in progress and turns scans into decisions and badges."""

    changed = Signal()  # decision, reading or message changed
    busy_changed = Signal(bool)
    _issued = Signal(object)
    _refused = Signal(str, object)
    _failed = Signal(str)

    def __init__(self, kiosk: Kiosk, clerk: str) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.clerk = clerk
        self.code: str | None = None
        self.reading: IdReading | None = None
        self.decision: Decision | None = None
        self.message = ""
        self.issued: Issued | None = None
        self.busy = False
        self._photo: tuple[int | None, bytes | None] = (None, None)
        self._mrz_lines: list[str] = []
        self._issued.connect(self._on_issued)
        self._refused.connect(self._on_refused)
        self._failed.connect(self._on_failed)

    @property
    def counter(self):
        """The counter this kiosk stands at."""
        return self.kiosk.desk.counter

    def photo(self) -> bytes | None:
        """The current applicant's photo (read once per applicant, not at every repaint)."""
        case = self.decision.case if self.decision else None
        if case is None:
            return None
        if self._photo[0] != case.person.id:
            self._photo = (case.person.id, self.kiosk.desk.photo(case.person.id))
        return self._photo[1]

    @Slot(str)
    def scan(self, text: str) -> None:
        """Route one scanned line: a confirmation code, a line of an MRZ, a badge, or noise."""
        if not text.strip():
            return
        scan = route(text)
        if scan.kind is ScanKind.CODE:
            self._mrz_lines.clear()
            self.code, self.reading, self.issued = scan.text, None, None
            self.message = ""
            self._evaluate()
        elif scan.kind is ScanKind.MRZ_LINE:
            self._mrz_line(scan.text)
        elif scan.kind is ScanKind.BADGE:
            self.message = (
                f"That is badge {scan.text}, not a confirmation code: scan the confirmation "
                f"e-mail's code. / C'est le badge {scan.text}, pas un code de confirmation."
            )
            self.changed.emit()
        else:
            self.message = (
                "Not a confirmation code or an ID document line — scan again. / "
                "Ni un code de confirmation ni une ligne de pièce d'identité — rescanner."
            )
            self.changed.emit()

    def _mrz_line(self, line: str) -> None:
        from scanning.keyboard_layout import normalise_mrz
        from scanning.mrz import MrzError, parse

        self._mrz_lines.append(line)
        lines = self._mrz_lines[-3:]
        for n in (3, 2):  # TD1 has three lines, the others two
            if len(lines) < n:
                continue
            try:
                as_meant, _layout = normalise_mrz(lines[-n:])  # a scanner on the wrong layout
                self.reading = parse("\n".join(as_meant)).to_id_reading()
            except MrzError as err:
                self.message = f"ID document not read: {err} / Pièce non lue."
                continue
            self._mrz_lines.clear()
            self.message = ""
            if self.code:
                self._evaluate()
            else:
                self.message = "ID document read: now scan the confirmation code. / Pièce lue."
                self.changed.emit()
            return
        self.changed.emit()

    def _evaluate(self) -> None:
        assert self.code is not None
        self.decision = self.kiosk.desk.evaluate(self.code, self.reading)
        self.changed.emit()
        self.kiosk.desk.record(self.decision, self.clerk)

    @Slot(str)
    def scan_mrz(self, text: str) -> None:
        """A whole MRZ at once (the camera reads all its lines together)."""
        self._mrz_lines.clear()
        for line in text.splitlines():
            self._mrz_line(line)

    def clear(self) -> None:
        """Start over for the next applicant."""
        self.code = self.reading = self.decision = self.issued = None
        self._mrz_lines.clear()
        self.message = ""
        self.changed.emit()

    def issue(self, supervisor: str | None = None, reason: str = "") -> None:
        """Issue (or reprint, with a supervisor and reason) and write the badge PDF."""
        if self.busy or not self.code:
            return
        self._set_busy(True)
        job = _IssueJob(self, self.code, self.reading, self.clerk, supervisor, reason)
        QThreadPool.globalInstance().start(job)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    @Slot(object)
    def _on_issued(self, issued: Issued) -> None:
        self._set_busy(False)
        self.issued = issued
        self.message = f"Badge {issued.serial} issued and sent to print. / Badge remis."
        if self.code:
            self.decision = self.kiosk.desk.evaluate(self.code, self.reading)
        self.changed.emit()

    @Slot(str, object)
    def _on_refused(self, why: str, decision: Decision) -> None:
        self._set_busy(False)
        self.decision = decision
        self.message = f"Not issued: {why}"
        self.changed.emit()

    @Slot(str)
    def _on_failed(self, why: str) -> None:
        self._set_busy(False)
        self.message = f"Something went wrong, nothing was lost — try again. ({why})"
        self.changed.emit()
