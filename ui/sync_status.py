"""Sync on screen: the background sync of an enrolled kiosk, and a bar that shows it.

`start_sync(kiosk)` starts a `sync.worker.SyncWorker` when the kiosk is enrolled with a
hub and returns the `SyncRelay` that owns it (None otherwise). The worker calls
`on_status` from its own thread; the relay reads the conflicts there too and hands a
`SyncView` to the UI thread through a queued Qt signal, so the screen never waits for
the network or the store. `wake()` syncs at once (after an issuance), `stop()` ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.clock_check import clock_warning
from kiosk.model import BRUSSELS
from kiosk.post_data_line import age_text
from kiosk.services import Kiosk
from sync.client import SyncClient
from sync.state import Conflict, conflicts, read_state, unreported_badges
from sync.worker import DEFAULT_INTERVAL, MAX_BACKOFF, SyncStatus, SyncWorker
from ui.language import Retranslating, pick
from ui.plain_label import Label, plain_tip
from ui.theme import TROUBLE, TROUBLE_INK


@dataclass(frozen=True)
class SyncView:
    """One report of the sync worker, with the conflicts naming this kiosk."""

    status: SyncStatus
    conflicts: tuple[Conflict, ...] = ()
    badges: int = 0  # badges the hub has not heard of yet (issued, printed, handed over)
    at: datetime | None = None  # when the report was made (the kiosk's clock)

    @property
    def offline_minutes(self) -> int | None:
        """Whole minutes since the last sync that got through (None: never synced)."""
        last = self.status.last_sync_at
        if last is None or self.at is None:
            return None
        return max(0, int((self.at - last).total_seconds() // 60))


class SyncRelay(QObject):
    """Owns the sync worker of one kiosk and relays its reports as a Qt signal."""

    status = Signal(object)  # SyncView, delivered on the UI thread

    def __init__(
        self,
        client: SyncClient,
        kiosk_id: str,
        interval: float = DEFAULT_INTERVAL,
        max_backoff: float = MAX_BACKOFF,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.client, self.kiosk_id, self.clock = client, kiosk_id, clock
        self.worker = SyncWorker(client, interval, max_backoff, on_status=self._relay)
        self.last: SyncView | None = None
        self.status.connect(self._keep)

    def start(self) -> None:
        """Sync in the background from now on."""
        self.worker.start()

    @Slot()
    def wake(self) -> None:
        """Sync now (something was issued or printed) instead of at the next tick."""
        self.worker.wake()

    def stop(self) -> None:
        """Stop after the round under way and release the connections."""
        self.worker.stop()
        self.client.close()

    def _relay(self, status: SyncStatus) -> None:
        """Called on the worker's thread."""
        store = self.client.store
        found = tuple(conflicts(store, self.kiosk_id, open_only=True)) if status.conflicts else ()
        badges = unreported_badges(store) if status.outbox else 0
        at = self.clock() if self.clock else None
        self.status.emit(SyncView(status, found, badges, at))

    @Slot(object)
    def _keep(self, view: SyncView) -> None:
        self.last = view


def start_sync(
    kiosk: Kiosk, interval: float = DEFAULT_INTERVAL, max_backoff: float = MAX_BACKOFF
) -> SyncRelay | None:
    """The running sync relay of `kiosk`, or None when it is not enrolled with a hub."""
    state = read_state(kiosk.store)
    if state is None:
        return None
    client = SyncClient(kiosk.store, kiosk.desk.clock)
    relay = SyncRelay(client, state.kiosk_id, interval, max_backoff, kiosk.desk.clock)
    relay.start()
    return relay


def clock_time(moment: datetime) -> str:
    """A time of day in Brussels, as the counter reads it."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(BRUSSELS)
    return f"{moment:%H:%M:%S}"


class SyncStatusBar(Retranslating, QFrame):
    """Online or offline, the last sync, what waits to be sent, a first sync's progress,
    and the conflicts the hub reported about this kiosk's badges."""

    def __init__(self, relay: SyncRelay | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: SyncView | None = None
        self.setObjectName("syncStatus")
        self.state = Label()
        self.state.setObjectName("syncState")
        self.last = Label()
        self.outbox = Label()
        self.receiving = Label()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.conflicts = Label()
        self.conflicts.setObjectName("syncConflicts")
        self.conflicts.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.conflicts.setWordWrap(True)
        self.clock = Label()  # the kiosk's clock off the hub's: amber, a warning
        self.clock.setObjectName("syncClock")
        self.clock.setWordWrap(True)
        self.clock.setStyleSheet(
            f"font-weight: bold; color: {TROUBLE_INK}; background: {TROUBLE}; padding: 2px 6px;"
        )
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 2, 6, 2)
        col.setSpacing(2)
        row = QHBoxLayout()
        for label in (self.state, self.last, self.outbox, self.receiving):
            row.addWidget(label)
            row.addSpacing(12)
        row.addWidget(self.progress)
        row.addStretch(1)
        col.addLayout(row)
        col.addWidget(self.clock)
        col.addWidget(self.conflicts)  # its own line: a conflict's message is long
        if relay is not None:
            relay.status.connect(self.show_status)
            self.view = relay.last
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setAccessibleName(self.tr("Sync with the accreditation office"))
        self.render()

    @Slot(object)
    def show_status(self, view: SyncView) -> None:
        """A new report from the sync worker."""
        self.view = view
        self.render()

    def render(self) -> None:
        """Show the last report."""
        s = self.view.status if self.view else None
        if s is None:
            self._state(self.tr("Connecting to the accreditation office…"), "#455a64")
        elif s.online:
            self._state(self.tr("● Online"), "#1b5e20")
        elif refused := self._refusal(s.error_code):
            self._state(refused, "#b71c1c")  # a hub refused for safety: call the office
        else:
            self._offline(self.view.offline_minutes)
        when = s.last_sync_at if s else None
        self.last.setText(
            self.tr("Last sync {time}").format(time=clock_time(when))
            if when
            else self.tr("Not synced yet")
        )
        self.last.setVisible(s is not None)
        self.outbox.setText(self._waiting(s.outbox if s else 0, self.view.badges if s else 0))
        self.outbox.setVisible(s is not None)
        self._progress(s.progress if s else None)
        self._clock(self.view)
        self._conflicts(self.view.conflicts if self.view else ())

    def _refusal(self, code: str) -> str:
        """The sentence for a hub this kiosk refuses to talk to (sync/transport.py)."""
        if code == "certificate_mismatch":
            return self.tr(
                "● Not syncing: the hub's certificate is not the trusted one. Call the office."
            )
        if code in ("plain_http_refused", "no_pin", "bad_url"):
            return self.tr(
                "● Not syncing: unprotected connection to the hub refused. Call the office."
            )
        if code == "feed_key_retired":
            return self.tr("● Not syncing: this kiosk must be enrolled again. Call the office.")
        return ""

    def _offline(self, minutes: int | None) -> None:
        """Offline is system trouble, not a verdict: black on amber, with its age."""
        if minutes is None:
            text = self.tr("⚠ Offline, never synced: working on the approvals loaded")
        else:  # the age as the security post says it: 12 min, 2 h 05 min
            text = self.tr("⚠ Offline {age}: working on the last approvals received").format(
                age=age_text(timedelta(minutes=minutes))
            )
        self.state.setText(text)
        self.state.setStyleSheet(
            f"font-weight: bold; color: {TROUBLE_INK}; background: {TROUBLE}; padding: 2px 6px;"
        )

    def _waiting(self, rows: int, badges: int) -> str:
        """What the hub has not heard of yet, counted in badges (a badge's issue, print
        and hand-over are several journal rows but one badge to a clerk)."""
        if rows == 0:
            return self.tr("Everything sent")
        if badges == 1:
            return self.tr("1 badge not yet reported")
        if badges:
            return self.tr("{n} badges not yet reported").format(n=badges)
        return self.tr("Journal entries not yet reported: {n}").format(n=rows)

    def _state(self, text: str, colour: str) -> None:
        self.state.setText(text)
        self.state.setStyleSheet(f"font-weight: bold; color: {colour};")

    def _progress(self, progress: tuple[int, int] | None) -> None:
        shown = progress is not None and progress[1] > 0
        self.receiving.setVisible(shown)
        self.progress.setVisible(shown)
        if not shown:
            return
        cursor, head = progress
        self.progress.setRange(0, head)
        self.progress.setValue(min(cursor, head))
        percent = min(100, cursor * 100 // head)
        self.receiving.setText(self.tr("Receiving approvals: {percent}%").format(percent=percent))

    def _clock(self, view: SyncView | None) -> None:
        """The warning when the last measurement found this kiosk's clock off the hub's."""
        reading = view.status.clock if view else None
        now = view.at if view and view.at else reading.measured_at if reading else None
        warning = clock_warning(reading, now) if now else None
        self.clock.setVisible(warning is not None)
        self.clock.setText("⚠ " + pick(warning.en, warning.fr) if warning else "")

    def _conflicts(self, found: tuple[Conflict, ...]) -> None:
        self.conflicts.setVisible(bool(found))
        if not found:
            self.conflicts.clear()
            return
        first = pick(found[0].message_en, found[0].message_fr)
        if len(found) == 1:
            text = self.tr("A conflict about this kiosk's badge: {first}").format(first=first)
        else:
            text = self.tr("{n} conflicts about this kiosk's badges; the latest: {first}").format(
                n=len(found), first=first
            )
        self.conflicts.setText(text)
        tip = "\n".join(pick(c.message_en, c.message_fr) for c in found)
        self.conflicts.setToolTip(plain_tip(tip))
