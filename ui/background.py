"""Run slow work (a search, a day's figures, printing, a badge preview) off the UI thread
and get its result, or its error, back on the UI thread.

    self.background = Background(self)
    self.background.run(lambda: day_overview(store, day), self.show, self.show_error)

Each screen has its own, so a screen's callbacks never outlive it: the pool is the
screen's child and waits for its jobs when the screen goes; a job that ends while the
screen is being deleted has nobody to report to, and its result is dropped.

Work that has news on the way (printing a badge) is given a `report` function: with
`progress=`, `run` calls `work(report)`, and each `report(news)` reaches `progress(news)`
on the UI thread, in order, before `done` or `failed`.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Job(QRunnable):
    def __init__(
        self, owner: Background, ticket: int, work: Callable[..., Any], reports: bool
    ) -> None:
        super().__init__()
        self.owner, self.ticket, self.work, self.reports = owner, ticket, work, reports

    def run(self) -> None:
        try:
            result = self.work(self._report) if self.reports else self.work()
            error = None
        except Exception as exc:  # handed to the screen, which says what went wrong
            result, error = None, exc
        # "Signal source has been deleted": the screen is gone, nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self.owner.finished.emit(self.ticket, result, error)

    def _report(self, news: object) -> None:
        with contextlib.suppress(RuntimeError):
            self.owner.progressed.emit(self.ticket, news)


class Background(QObject):
    """A thread pool whose results come back as calls on the UI thread."""

    finished = Signal(int, object, object)  # ticket, result, error (from a worker thread)
    progressed = Signal(int, object)  # ticket, news (from a worker thread)

    def __init__(self, parent: QObject, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._tickets = itertools.count(1)
        self._waiting: dict[int, tuple[Callable, Callable | None, Callable | None]] = {}
        self.finished.connect(self._deliver)
        self.progressed.connect(self._report)

    def run(
        self,
        work: Callable[..., Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
        progress: Callable[[Any], None] | None = None,
    ) -> int:
        """Start `work` on the pool; `done(result)` or `failed(error)` follows on the UI
        thread (an error with no `failed` is raised there). With `progress`, `work` is
        called with a `report` function whose news reaches `progress` on the UI thread.
        Returns the job's ticket."""
        ticket = next(self._tickets)
        self._waiting[ticket] = (done, failed, progress)
        self.pool.start(_Job(self, ticket, work, reports=progress is not None))
        return ticket

    @property
    def busy(self) -> bool:
        """Whether a job has not reported back yet."""
        return bool(self._waiting)

    def wait(self, ms: int = 30_000) -> bool:
        """Block until every job has run, at most `ms` milliseconds (-1: for as long as it
        takes); their callbacks follow when the event loop next runs."""
        return self.pool.waitForDone(ms)

    @Slot(int, object)
    def _report(self, ticket: int, news: object) -> None:
        progress = self._waiting[ticket][2] if ticket in self._waiting else None
        if progress is not None:
            progress(news)

    @Slot(int, object, object)
    def _deliver(self, ticket: int, result: object, error: object) -> None:
        done, failed, _progress = self._waiting.pop(ticket)
        if error is None:
            done(result)
        elif failed is not None:
            failed(error)
        else:
            raise error
