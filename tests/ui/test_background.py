"""Background jobs: results come back on the UI thread, and a job that ends after its
screen is gone is dropped quietly instead of raising from the worker thread."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from ui.background import Background


def test_result_and_error_come_back_to_the_callbacks(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    background = Background(owner)
    results, errors = [], []
    background.run(lambda: 6 * 7, results.append)
    background.run(lambda: 1 / 0, results.append, errors.append)
    qtbot.waitUntil(lambda: not background.busy, timeout=60_000)
    assert results == [42]
    assert [type(e) for e in errors] == [ZeroDivisionError]


def test_news_comes_back_in_order_before_the_result(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    background = Background(owner)
    seen = []

    def work(report) -> str:
        for step in ("sent", "printing"):
            report(step)
        return "printed"

    background.run(work, seen.append, progress=seen.append)
    qtbot.waitUntil(lambda: not background.busy, timeout=5_000)
    assert seen == ["sent", "printing", "printed"]


def test_a_job_ending_after_its_screen_is_deleted_is_dropped(qtbot, capfd):
    owner = QWidget()
    background = Background(owner)
    gate, ran, results = threading.Event(), threading.Event(), []

    def work() -> str:
        gate.wait(5)
        ran.set()
        return "late"

    background.run(work, results.append)
    threading.Timer(0.2, gate.set).start()
    shiboken6.delete(owner)  # the screen closes while the job still runs
    assert ran.is_set()  # deleting waited for the job, which reached its end
    qtbot.wait(50)  # any late delivery would come now
    assert results == []
    assert "Signal source has been deleted" not in capfd.readouterr().err
