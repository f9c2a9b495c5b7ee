"""The day overview screen after some counter work on the demo world: figures, chart,
tables, sync and printer lines, export, French."""

from __future__ import annotations

import base64
import csv
import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from app.wiring import open_kiosk, read_mrz
from kiosk.exports import recorded_exports
from kiosk.model import BRUSSELS, Counter
from kiosk.roles import Actor, Role
from printing.printer import Problem, clerk_message
from sync.state import enrol, record_attempt
from sync.worker import SyncStatus
from tests.demo_copy import copy_world
from ui.language import Language, language
from ui.overview_screen import COLOURS, OverviewScreen
from ui.sync_status import SyncView

DAY = date(2026, 2, 14)
CLERK = Actor("clara", Role.CLERK)
SUPERVISOR = Actor("sam", Role.SUPERVISOR)


def at(hh: int, mm: int) -> datetime:
    return datetime.combine(DAY, time(hh, mm), tzinfo=BRUSSELS)


class Clock:
    def __init__(self) -> None:
        self.now = at(12, 0)

    def __call__(self) -> datetime:
        return self.now


def day_of_work(data_dir: Path, manifest: dict) -> dict[str, str]:
    """On the demo day, at the Groups counter: A0000001 and A0000010 handed over (09:10,
    10:20), A0000003 (pending) refused, A0000011's printing failed (10:40), A0000024 and
    A0000025 pre-printed. The demo itself handed A0000009 its badge at 08:30. Returns the
    serials by registration."""
    clock = Clock()
    kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=clock)
    desk, serials = kiosk.desk, {}
    applicants = {a["accreditation_id"]: a for a in manifest["applicants"]}

    def issue(acc_id: int):
        a = applicants[acc_id]
        return desk.issue(a["code"], read_mrz(a["mrz"]), CLERK).badge.serial

    try:
        for acc_id, when in ((1, at(9, 10)), (10, at(10, 20))):
            clock.now = when
            serial = serials[f"A{acc_id:07d}"] = issue(acc_id)
            desk.prints.print_done(desk.prints.print_sent(serial, "folder", "j", CLERK).id, CLERK)
        clock.now = at(10, 30)
        a = applicants[3]
        desk.record(desk.evaluate(a["code"], read_mrz(a["mrz"])), CLERK)
        clock.now = at(10, 40)
        serial = serials["A0000011"] = issue(11)
        reason = clerk_message(Problem.OUT_OF_CARDS, "folder")[0]  # as badge printing keeps it
        desk.prints.print_failed(serial, f"{reason} (media-empty-error)", CLERK, None, "folder")
        clock.now = at(11, 0)
        for acc_id in (24, 25):
            serial = serials[f"A{acc_id:07d}"] = desk.prints.preprint(
                acc_id, SUPERVISOR, "B1"
            ).serial
            desk.prints.print_done(
                desk.prints.print_sent(serial, "folder", "b", SUPERVISOR, "B1").id, SUPERVISOR
            )
    finally:
        kiosk.close()
    return serials


def worked_master(demo_master: Path, manifest: dict, folder: Path) -> dict[str, str]:
    """The demo world after `day_of_work`, in `folder`, made once for a module: each
    test takes a copy (`worked_copy`), as it took a copy of the demo world before (the
    day's work is the same every time: a fixed clock, the same applicants)."""
    copy_world(demo_master, folder)
    return day_of_work(folder, manifest)


def worked_copy(master: Path, tmp_path: Path) -> Path:
    """A private copy of a worked demo world."""
    target = tmp_path / "data"
    shutil.copytree(master, target)
    return target


@pytest.fixture(scope="module")
def worked_once(demo_master: Path, manifest: dict, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("worked") / "data"
    worked_master(demo_master, manifest, folder)
    return folder


@pytest.fixture
def worked(worked_once: Path, tmp_path: Path) -> Path:
    return worked_copy(worked_once, tmp_path)


@pytest.fixture
def kiosk(worked: Path):
    k = open_kiosk(worked, Counter.GROUPS, clock=lambda: at(12, 0))
    yield k
    k.close()


@pytest.fixture
def screen(qtbot, kiosk):
    s = OverviewScreen(kiosk, SUPERVISOR)
    qtbot.addWidget(s)
    s.resize(1366, 700)
    s.show()  # showing it reads the figures
    qtbot.waitUntil(lambda: s.snapshot is not None, timeout=60_000)
    yield s
    s.background.wait()


def _figure(screen: OverviewScreen, name: str) -> tuple[str, str]:
    _caption, value, detail = screen.tiles[name]
    return value.text(), detail.text()


def _cells(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_figures_of_the_day(screen):
    assert screen.title.text() == "Day overview — 14.02.2026"
    assert _figure(screen, "handed_over") == ("3", "Groups 3 · Visitors 0")
    assert _figure(screen, "queue")[0] == "2"
    assert _figure(screen, "refused") == ("1", "incl. supervisor needed: 0")  # said no number
    assert _figure(screen, "applicants")[0] == "1"
    assert _figure(screen, "print_failures") == ("1", "waiting for a reprint: 1")
    assert screen.message.text() == "Figures read at 12:00."
    language().set(Language.FR)
    try:
        QApplication.processEvents()
        assert screen.message.text() == "Chiffres lus à 12:00."  # the line speaks French too
    finally:
        language().set(Language.EN)


def test_chart_draws_a_bar_per_hour_in_the_counter_colour(screen):
    assert screen.chart.bars == {8: {Counter.GROUPS: 1}, 9: {Counter.GROUPS: 1},
                                 10: {Counter.GROUPS: 1}}  # fmt: skip
    assert "09:00 Groups entrance 1" in screen.chart.accessibleDescription()
    image = screen.chart.grab().toImage()
    hours = list(screen.chart.hours())
    slot = (screen.chart.width() - 20) / len(hours)
    x = int(10 + hours.index(9) * slot + slot / 2)
    y = screen.chart.height() - 30  # just above the axis
    assert image.pixelColor(x, y) == COLOURS[Counter.GROUPS]
    x_empty = int(10 + hours.index(14) * slot + slot / 2)
    assert image.pixelColor(x_empty, y).name() == "#ffffff"


def test_tables_list_refusals_queue_and_failures(screen):
    assert _cells(screen.refusals) == [["Not approved (pending, denied, revoked)", "refused", "1"]]
    queue = _cells(screen.queue)
    assert [row[1] for row in queue] == ["PÉREZ, Iñigo", "SØRENSEN, Åse"]  # by surname
    assert [row[2].split(" — ")[0] for row in queue] == ["A0000025", "A0000024"]
    assert all("Meeting of NATO Ministers of Defence" in row[2] for row in queue)
    (failure,) = _cells(screen.failures)
    assert failure[0] == "10:40" and failure[2] == "folder"
    assert "out of cards" in failure[3]
    assert [t.accessibleName() for t in (screen.refusals, screen.queue, screen.failures)] == [
        "Refusals at this kiosk, by reason",
        "Pre-printed badges not handed over",
        "Print failures today at this kiosk",
    ]


def test_sync_and_printer_lines(screen, kiosk, qtbot):
    assert screen.sync_line.text().startswith("Sync: this kiosk is not enrolled")
    assert screen.printer_line.text() == "Printer folder: ready."
    enrol(
        kiosk.store,
        {
            "format": "pass-office-enrolment/1",
            "hub_url": "http://127.0.0.1:9",
            "hub_id": "HUB",
            "kiosk_id": "G1",
            "role": "counter",
            "token": "t",
            "hub_key": base64.b64encode(bytes(32)).decode(),
            "document_key": base64.b64encode(bytes(32)).decode(),
        },
    )
    record_attempt(kiosk.store, at(11, 58), "connection refused")
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "OFFLINE" in screen.sync_line.text(), timeout=60_000)
    assert "(connection refused)" in screen.sync_line.text()
    assert "actions wait to be sent" in screen.sync_line.text()


def test_printer_gone_is_said(screen, kiosk, qtbot):
    (kiosk.data_dir / "printers.json").write_text('{"groups": "CardPrinter9"}')
    screen.refresh()
    qtbot.waitUntil(lambda: "NOT READY" in screen.printer_line.text(), timeout=60_000)
    assert "CardPrinter9" in screen.printer_line.text()


def test_another_day(screen, qtbot):
    # Two days before (the day before holds the demo's lost and returned badges).
    screen.day.setDate(QDate(2026, 2, 12))
    qtbot.waitUntil(lambda: screen.snapshot.overview.day == date(2026, 2, 12), timeout=60_000)
    assert screen.title.text() == "Day overview — 12.02.2026"
    assert _figure(screen, "handed_over")[0] == "0"
    assert screen.chart.bars == {}
    assert screen.failures.rowCount() == 0


def test_export_csv(screen, tmp_path):
    path = tmp_path / "day.csv"
    assert screen.export_csv(path)
    assert screen.message.text() == f"Written: {path}"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert ["total", "3", "0", "3"] in rows
    # noted as `kiosk overview --csv` notes it, so that the purge deletes it (it was left)
    assert [e.path for e in recorded_exports(screen.kiosk.data_dir)][-1] == path.resolve()
    assert not screen.export_csv(path / "x.csv")  # a file where its folder should be
    assert screen.message.text().startswith("The CSV file could not be written:")


def test_in_french(screen, qtbot):
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: screen.title.text() == "Bilan de la journée — 14.02.2026")
        assert _figure(screen, "handed_over")[1] == "Groupes 3 · Visiteurs 0"
        assert _cells(screen.refusals)[0][0] == "Non approuvée (en attente, refusée, révoquée)"
        assert screen.refresh_button.text() == "Actualiser [F5]"
        assert screen.failures.accessibleName() == "Échecs d'impression du jour à ce poste"
        assert _cells(screen.failures)[0][3] == (
            "L'imprimante folder n'a plus de cartes : charger des cartes vierges. "
            "(media-empty-error)"
        )
    finally:
        language().set(Language.EN)


def test_the_day_before_shows_the_demos_lost_and_returned_badges(screen, qtbot):
    screen.day.setDate(QDate(2026, 2, 13))
    qtbot.waitUntil(lambda: screen.snapshot.overview.day == date(2026, 2, 13), timeout=60_000)
    assert _figure(screen, "voided") == ("2", "lost 1, returned 1")


def test_the_tiles_fit_a_1366_screen_in_french(qtbot, kiosk, themed):
    """Seven tiles in one row needed 1,396 pixels in French: the window grew past a
    1366x768 screen. Their words wrap instead."""
    language().set(Language.FR)
    try:
        s = OverviewScreen(kiosk, SUPERVISOR)
        qtbot.addWidget(s)
        s.resize(1366, 700)
        s.show()
        qtbot.waitUntil(lambda: s.snapshot is not None, timeout=60_000)
        caption, _, detail = s.tiles["print_failures"]
        assert detail.text() == "en attente de réimpression : 1"
        for label in (caption, detail):  # narrower than its words on one line: it wraps
            assert label.minimumSizeHint().width() < label.fontMetrics().horizontalAdvance(
                label.text()
            )
        assert s.minimumSizeHint().width() <= 1366 - 20  # the window's margins
        s.background.wait()
    finally:
        language().set(Language.EN)


class Relay(QObject):
    """What the overview takes of the sync relay (ui/sync_status.py): its reports."""

    status = Signal(object)


def report(cursor: int) -> SyncView:
    status = SyncStatus(True, True, at(12, 0), 0, cursor, "", 0)
    return SyncView(status, at=at(12, 0))


def test_new_data_from_a_sync_round_is_read_at_once(qtbot, kiosk):
    relay = Relay()
    s = OverviewScreen(kiosk, SUPERVISOR, sync=relay)
    qtbot.addWidget(s)
    reads = []
    s.refresh = lambda: reads.append(s.chosen_day)  # each read of the figures
    relay.status.emit(report(7))  # hidden: read when it comes to the front
    assert reads == []
    s.show()
    assert len(reads) == 1  # showing it reads the figures
    relay.status.emit(report(7))  # nothing new since
    relay.status.emit(report(9))  # the feed moved on: read again at once
    relay.status.emit(report(9))
    assert len(reads) == 2
