"""The day overview for supervisors and administrators: badges handed over per hour and
per counter (a bar chart), the pre-printed cards still waiting, refusals by reason, print
failures, and where sync and the printer stand; Refresh [F5] and Export CSV.

The figures come from `kiosk.overview.day_overview` (see there what each one counts),
read on a worker so the screen never waits on the store; they refresh by themselves
every minute while the screen is shown, and at once when a sync round brings new data
(the sync relay, when the kiosk is enrolled): a badge another counter handed over counts
in the site's figures as soon as it arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.exports import record_export
from kiosk.model import Counter, Verdict
from kiosk.overview import DayOverview, day_overview, write_csv
from kiosk.roles import Actor
from kiosk.services import Kiosk
from printing.printer import Problem, clerk_message
from ui.background import Background
from ui.errors import in_words
from ui.language import Retranslating, pick, pick_office
from ui.plain_label import Label

if TYPE_CHECKING:
    from ui.sync_status import SyncRelay, SyncView

REFRESH_MS = 60_000
COLOURS = {Counter.GROUPS: QColor("#c62828"), Counter.VISITORS: QColor("#1565c0")}  # as badges
FIRST_HOUR, LAST_HOUR = 8, 18  # the chart shows at least the office's hours


@dataclass(frozen=True)
class SyncLine:
    """Where sync stands, as the overview shows it."""

    enrolled: bool
    hub_url: str = ""
    last_sync_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_error: str = ""
    outbox: int = 0


@dataclass(frozen=True)
class PrinterLine:
    """This counter's printer and its state."""

    name: str
    ready: bool
    message_en: str = ""
    message_fr: str = ""


@dataclass(frozen=True)
class Snapshot:
    """Everything one refresh read."""

    overview: DayOverview
    sync: SyncLine
    printer: PrinterLine


def read_sync(kiosk: Kiosk) -> SyncLine:
    """The sync state of the kiosk's store (not enrolled: no hub)."""
    from sync.state import outbox_length, read_state

    state = read_state(kiosk.store)
    if state is None:
        return SyncLine(enrolled=False)
    return SyncLine(
        True,
        state.hub_url,
        state.last_sync_at,
        state.last_attempt_at,
        state.last_error,
        outbox_length(kiosk.store),
    )


def read_printer(kiosk: Kiosk) -> PrinterLine:
    """This counter's printer, as the print system reports it now."""
    from printing.printer import clerk_message
    from printing.printers import chosen_printer, list_printers

    name = chosen_printer(kiosk.data_dir, kiosk.desk.counter)
    info = next((p for p in list_printers(kiosk.data_dir) if p.name == name), None)
    if info is None:
        return PrinterLine(name, False, *_gone(name))
    if info.ready:
        return PrinterLine(name, True)
    if info.problem:
        return PrinterLine(name, False, *clerk_message(info.problem, name))
    return PrinterLine(name, False, info.detail, info.detail)


def _gone(name: str) -> tuple[str, str]:
    from printing.printer import Problem, clerk_message

    return clerk_message(Problem.GONE, name)


class HourChart(QWidget):
    """Badges handed over per hour, a stacked bar per hour, one colour per counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: dict[int, dict[Counter, int]] = {}
        self.legend = {c: c.value for c in Counter}
        self.empty_text = ""
        self.setMinimumSize(420, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_hours(self, per_hour: dict[int, dict[Counter, int]]) -> None:
        """Draw these counts; the accessible description says them in words."""
        self.bars = per_hour
        self.setAccessibleDescription(
            "; ".join(
                f"{h:02d}:00 " + ", ".join(f"{self.legend[c]} {n}" for c, n in counts.items())
                for h, counts in sorted(per_hour.items())
            )
        )
        self.update()

    def hours(self) -> range:
        """The hours on the axis: the office's, widened to any hour with badges."""
        first = min([FIRST_HOUR, *self.bars])
        last = max([LAST_HOUR, *self.bars])
        return range(first, last + 1)

    def paintEvent(self, _event) -> None:
        """Axis, bars with their totals, hour labels and the legend."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), Qt.GlobalColor.white)
        hours = self.hours()
        top, bottom, left, right = 34, self.height() - 26, 10, self.width() - 10
        slot = (right - left) / len(hours)
        highest = max([sum(c.values()) for c in self.bars.values()] + [1])
        scale = (bottom - top - 18) / highest
        p.setPen(QPen(QColor("#37474f"), 2))
        p.drawLine(left, bottom, right, bottom)
        for i, hour in enumerate(hours):
            x = left + i * slot
            counts = self.bars.get(hour, {})
            y = bottom
            for counter in Counter:
                height = counts.get(counter, 0) * scale
                if height:
                    p.fillRect(
                        QRectF(x + slot * 0.15, y - height, slot * 0.7, height), COLOURS[counter]
                    )
                    y -= height
            p.setPen(QColor("#000000"))
            total = sum(counts.values())
            if total:
                p.drawText(QRectF(x, y - 20, slot, 18), Qt.AlignmentFlag.AlignCenter, str(total))
            p.drawText(QRectF(x, bottom + 4, slot, 20), Qt.AlignmentFlag.AlignCenter, f"{hour:02d}")
        self._legend(p, left)
        if not self.bars and self.empty_text:
            p.setPen(QColor("#37474f"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
        p.end()

    def _legend(self, p: QPainter, x: float) -> None:
        for counter in Counter:
            p.fillRect(QRectF(x, 8, 16, 16), COLOURS[counter])
            p.setPen(QColor("#000000"))
            text = self.legend[counter]
            width = p.fontMetrics().horizontalAdvance(text)
            p.drawText(QRectF(x + 22, 6, width + 4, 20), Qt.AlignmentFlag.AlignVCenter, text)
            x += width + 48


def make_table(columns: int, stretch: int) -> QTableWidget:
    """A read-only table of whole rows; column `stretch` takes the room left (its text is
    cut with "…" rather than the table scrolling sideways)."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    """Replace the table's rows."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def print_reason(reason: str, printer: str) -> str:
    """A print failure's reason in the screen's language. The store keeps only the English
    sentence the clerk was told (with the printer's detail in brackets); the French one is
    found again from the printer message it came from, else the English one is shown."""
    for problem in Problem:
        en, fr = clerk_message(problem, printer)
        if reason.startswith(en):
            return pick(reason, fr + reason[len(en) :])
    return reason


class OverviewScreen(Retranslating, QWidget):
    """A day's figures at the pass office; read-only."""

    def __init__(
        self,
        kiosk: Kiosk,
        actor: Actor,
        parent: QWidget | None = None,
        sync: SyncRelay | None = None,
    ) -> None:
        super().__init__(parent)
        self.kiosk, self.actor = kiosk, actor  # who is looking: the screen changes nothing
        self.snapshot: Snapshot | None = None
        self._cursor: int | None = None  # the sync feed position last seen
        if sync is not None:
            sync.status.connect(self._synced)
        self.background = Background(self)
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        col = QVBoxLayout(self)
        col.addLayout(self._top())
        col.addLayout(self._tiles())
        middle = QHBoxLayout()
        self.chart = HourChart()
        self.refusals = make_table(3, 0)
        middle.addLayout(self._boxed("chartTitle", self.chart), 3)
        middle.addLayout(self._boxed("refusalsTitle", self.refusals), 2)
        col.addLayout(middle, 3)
        lower = QHBoxLayout()
        self.queue = make_table(4, 2)
        self.failures = make_table(4, 3)
        lower.addLayout(self._boxed("queueTitle", self.queue), 1)
        lower.addLayout(self._boxed("failuresTitle", self.failures), 1)
        col.addLayout(lower, 2)
        self.sync_line = Label()
        self.sync_line.setObjectName("syncLine")
        self.printer_line = Label()
        self.printer_line.setObjectName("printerLine")
        self.message = Label()
        self.message.setObjectName("hint")
        for label in (self.sync_line, self.printer_line, self.message):
            label.setWordWrap(True)
            col.addWidget(label)
        self.retranslate()

    def _top(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title = Label()
        self.title.setObjectName("screenTitle")
        self.day = QDateEdit(QDate(self.kiosk.desk.clock().date()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._ask_export)
        row.addWidget(self.title, 1)
        for w in (self.day, self.refresh_button, self.export_button):
            row.addWidget(w)
        return row

    def _tiles(self) -> QGridLayout:
        grid = QGridLayout()
        self.tiles: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        names = [
            "handed_over",
            "queue",
            "applicants",
            "refused",
            "redirected",
            "print_failures",
            "voided",
        ]
        for i, name in enumerate(names):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(frame)
            box.setContentsMargins(8, 4, 8, 4)
            caption, value, detail = Label(), Label("—"), Label()
            value.setObjectName(f"figure_{name}")
            value.setStyleSheet("font-size: 28px; font-weight: bold;")
            detail.setObjectName("hint")
            # Words wrap: seven tiles in a row needed 1,396 pixels in French, past a
            # 1366x768 screen ("Envoyés à l'autre guichet", "en attente de réimpression").
            caption.setWordWrap(True)
            detail.setWordWrap(True)
            for w in (caption, value, detail):
                box.addWidget(w)
            grid.addWidget(frame, 0, i)
            self.tiles[name] = (caption, value, detail)
        return grid

    def _boxed(self, name: str, widget: QWidget) -> QVBoxLayout:
        box = QVBoxLayout()
        title = Label()
        title.setObjectName(name)
        title.setStyleSheet("font-weight: bold;")
        setattr(self, name, title)
        box.addWidget(title)
        box.addWidget(widget, 1)
        return box

    def _say(self, message: Callable[[], str]) -> None:
        """Show `message` on the message line, again in the new language after a switch."""
        self._message = message
        self.message.setText(message())

    def retranslate(self) -> None:
        """Texts in the current language."""
        if getattr(self, "_message", None) is not None:
            self.message.setText(self._message())
        self.refresh_button.setText(self.tr("Refresh [F5]"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.day.setAccessibleName(self.tr("Day"))
        captions = {
            "handed_over": self.tr("Badges handed over"),
            "queue": self.tr("Pre-printed, waiting"),
            "applicants": self.tr("Applicants seen here"),
            "refused": self.tr("Refused here"),
            "redirected": self.tr("Sent to the other counter"),
            "print_failures": self.tr("Print failures"),
            "voided": self.tr("Voided, handed back"),
        }
        for name, (caption, value, _detail) in self.tiles.items():
            caption.setText(captions[name])
            value.setAccessibleName(captions[name])
        self.chartTitle.setText(self.tr("Badges handed over per hour"))
        for title, table, text in (
            (self.refusalsTitle, self.refusals, self.tr("Refusals at this kiosk, by reason")),
            (self.queueTitle, self.queue, self.tr("Pre-printed badges not handed over")),
            (self.failuresTitle, self.failures, self.tr("Print failures today at this kiosk")),
        ):
            title.setText(text)
            table.setAccessibleName(text)  # a screen reader names the table by its title
        self.refusals.setHorizontalHeaderLabels(
            [self.tr("Reason"), self.tr("Verdict"), self.tr("Applicants")]
        )
        self.queue.setHorizontalHeaderLabels(
            [self.tr("Serial"), self.tr("Name"), self.tr("Accreditation"), self.tr("Printed")]
        )
        self.failures.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Serial"), self.tr("Printer"), self.tr("Reason")]
        )
        self.chart.legend = {
            Counter.GROUPS: self.tr("Groups entrance"),
            Counter.VISITORS: self.tr("Visitors entrance"),
        }
        self.chart.empty_text = self.tr("No badge handed over this day.")
        self.render()

    def showEvent(self, event) -> None:
        """Fresh figures whenever the screen comes to the front, then every minute."""
        super().showEvent(event)
        self.refresh()
        self.timer.start()

    def hideEvent(self, event) -> None:
        """No refreshing behind another screen."""
        super().hideEvent(event)
        self.timer.stop()

    def _synced(self, view: SyncView) -> None:
        """A sync report: new data from the hub (the feed moved on) is read at once while
        the screen is shown."""
        if view.status.cursor == self._cursor:
            return
        self._cursor = view.status.cursor
        if self.isVisible():
            self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F5 refreshes."""
        if event.key() == Qt.Key.Key_F5:
            self.refresh()
        else:
            super().keyPressEvent(event)

    # --- reading -------------------------------------------------------------------

    @property
    def chosen_day(self) -> date:
        """The day shown."""
        return self.day.date().toPython()

    def refresh(self) -> None:
        """Read the day's figures, sync and printer state again (on the worker)."""
        if self.background.busy:
            return
        kiosk, day = self.kiosk, self.chosen_day
        self._say(lambda: self.tr("Reading the figures…"))

        def work() -> Snapshot:
            return Snapshot(day_overview(kiosk.store, day), read_sync(kiosk), read_printer(kiosk))

        self.background.run(work, self._loaded, self._failed)

    def _loaded(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        at = f"{self.kiosk.desk.clock():%H:%M}"
        self._say(lambda: self.tr("Figures read at {time}.").format(time=at))
        if snapshot.overview.day != self.chosen_day:
            self.refresh()  # the day was changed while reading
        self.render()

    def _failed(self, error: Exception) -> None:
        reason = pick(*in_words(error))
        self._say(lambda: self.tr("The figures could not be read: {error}").format(error=reason))

    # --- showing -------------------------------------------------------------------

    def _life(self, life: dict[str, int]) -> str:
        """ "lost 1, returned 1": the day's badge events (kiosk/badge_life.py) by kind."""
        words = {
            "lost": self.tr("lost"),
            "stolen": self.tr("stolen"),
            "damaged": self.tr("damaged"),
            "found": self.tr("found"),
            "returned": self.tr("returned"),
        }
        return ", ".join(f"{words.get(e, e)} {n}" for e, n in sorted(life.items()))

    def render(self) -> None:
        """Show the last figures read."""
        day = self.chosen_day
        self.title.setText(self.tr("Day overview — {day}").format(day=f"{day:%d.%m.%Y}"))
        if self.snapshot is None:
            return
        o = self.snapshot.overview
        self._tile("handed_over", o.issued_total, self._per_counter(o))
        self._tile("queue", len(o.queue), self.tr("cards in the drawer"))
        self._tile("applicants", o.applicants, self.tr("scanned or found"))
        supervisor = sum(r.count for r in o.refusals if r.verdict is Verdict.SUPERVISOR)
        self._tile(
            "refused",
            o.refused_total,
            self.tr("incl. supervisor needed: {n}").format(n=supervisor),
        )
        self._tile("redirected", o.redirects, "")
        self._tile(
            "print_failures",
            len(o.print_failures),
            self.tr("waiting for a reprint: {n}").format(n=len(o.failed_now)),
        )
        self._tile("voided", sum(o.life.values()), self._life(o.life))
        self.chart.show_hours(o.per_hour())
        verdicts = {Verdict.REFUSE: self.tr("refused"), Verdict.SUPERVISOR: self.tr("supervisor")}
        fill_table(
            self.refusals,
            [[pick(r.label_en, r.label_fr), verdicts[r.verdict], str(r.count)] for r in o.refusals],
        )
        fill_table(
            self.queue,
            [[b.serial, b.name, self._what(b), f"{b.issued_at:%d.%m %H:%M}"] for b in o.queue],
        )
        fill_table(
            self.failures,
            [
                [f"{f.at:%H:%M}", f.serial, f.printer, print_reason(f.reason, f.printer)]
                for f in o.print_failures
            ],
        )
        self.sync_line.setText(self._sync_text(self.snapshot.sync))
        self.printer_line.setText(self._printer_text(self.snapshot.printer))

    def _tile(self, name: str, value: int, detail: str) -> None:
        _caption, number, below = self.tiles[name]
        number.setText(str(value))
        below.setText(detail)

    def _per_counter(self, o: DayOverview) -> str:
        return self.tr("Groups {g} · Visitors {v}").format(
            g=o.issued_at(Counter.GROUPS), v=o.issued_at(Counter.VISITORS)
        )

    def _what(self, b) -> str:
        what = (
            pick_office(b.event_name, b.event_name_fr)
            if b.event_name
            else self.tr("Annual {year}").format(year=b.year)
        )
        return f"{b.registration} — {what}"

    def _sync_text(self, s: SyncLine) -> str:
        if not s.enrolled:
            return self.tr(
                "Sync: this kiosk is not enrolled with a hub; it works on the approvals on file."
            )
        last = f"{s.last_sync_at.astimezone(self._tz()):%d.%m %H:%M}" if s.last_sync_at else "—"
        if s.last_error:
            return self.tr(
                "Sync: OFFLINE — the hub {hub} did not answer ({error}); last synced {last}; "
                "{n} actions wait to be sent."
            ).format(hub=s.hub_url, error=s.last_error, last=last, n=s.outbox)
        return self.tr(
            "Sync: online with {hub}; last synced {last}; {n} actions wait to be sent."
        ).format(hub=s.hub_url, last=last, n=s.outbox)

    def _tz(self):
        return self.kiosk.desk.clock().tzinfo

    def _printer_text(self, p: PrinterLine) -> str:
        if p.ready:
            return self.tr("Printer {name}: ready.").format(name=p.name)
        return self.tr("Printer {name}: NOT READY — {problem}").format(
            name=p.name, problem=pick(p.message_en, p.message_fr)
        )

    # --- export --------------------------------------------------------------------

    def _ask_export(self) -> None:
        suggested = self.kiosk.data_dir / f"overview-{self.chosen_day.isoformat()}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the day's figures"), str(suggested), self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> bool:
        """Write the figures shown to `path`; the message line says where, or why not."""
        if self.snapshot is None:
            self._say(lambda: self.tr("Nothing to export yet: refresh first."))
            return False
        try:
            written = write_csv(self.snapshot.overview, path)
            # noted, as `kiosk overview --csv` notes it: the purge deletes it (its names)
            record_export(self.kiosk.data_dir, written, "overview", self.kiosk.desk.clock())
        except OSError as err:
            why = err.strerror
            self._say(
                lambda: self.tr("The CSV file could not be written: {error}").format(error=why)
            )
            return False
        self._say(lambda: self.tr("Written: {path}").format(path=path))
        return True
