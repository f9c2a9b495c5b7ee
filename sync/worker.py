"""Sync in the background: a thread that runs rounds every few seconds, backs off while
the hub is away, and reports a status the screen can show.

Plain Python (a thread and an event), so the CLI and the tests drive it as it is; the
counter screen wraps it in a QObject that turns `on_status` calls into a Qt signal.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kiosk.clock_check import ClockReading
from kiosk.store.trouble import store_trouble
from sync.client import SyncClient, SyncError
from sync.state import NotEnrolled, conflicts, outbox_length, read_state, record_attempt

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 3.0  # seconds: a revocation reaches an online kiosk within this
MAX_BACKOFF = 60.0
MAX_DOUBLINGS = 64  # past any ceiling from any interval a kiosk would be given


@dataclass(frozen=True)
class SyncStatus:
    """What the screen shows: online or not, since when, and what waits to be sent."""

    enrolled: bool
    online: bool
    last_sync_at: datetime | None
    outbox: int  # journal rows the hub does not hold yet
    cursor: int
    last_error: str
    conflicts: int  # conflicts the hub reported about this kiosk's badges, not yet settled
    progress: tuple[int, int] | None = None  # (cursor, head) while a pull runs
    error_code: str = ""  # the kind of the last error, e.g. "certificate_mismatch"
    clock: ClockReading | None = None  # the latest measurement of the kiosk's clock


def backoff(failures: int, interval: float, ceiling: float, rng: random.Random) -> float:
    """Seconds to wait after `failures` failed rounds in a row: doubling from the interval
    up to the ceiling, with jitter so kiosks do not all retry at the same instant. The
    exponent is capped: 2**1024 as a float overflowed after 12.9 hours offline."""
    if failures == 0:
        return interval
    return min(ceiling, interval * 2.0 ** min(failures, MAX_DOUBLINGS)) * rng.uniform(0.5, 1.0)


class SyncWorker:
    """Runs `client.sync_once` in a thread until stopped."""

    def __init__(
        self,
        client: SyncClient,
        interval: float = DEFAULT_INTERVAL,
        max_backoff: float = MAX_BACKOFF,
        on_status: Callable[[SyncStatus], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.client, self.interval, self.max_backoff = client, interval, max_backoff
        self.on_status = on_status
        self._rng = rng or random.Random()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._online = False
        self._failures = 0
        self._progress: tuple[int, int] | None = None
        self._unsaved = ""  # why the last round failed, when the store could not take it

    def start(self) -> None:
        """Start syncing in the background."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop after the round under way (each page is applied whole or not at all)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the background thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        """Sync now (after an issuance, say) instead of at the next tick."""
        self._wake.set()

    def status(self) -> SyncStatus:
        """The status now (safe from any thread)."""
        store = self.client.store
        state = read_state(store)
        if state is None:
            return SyncStatus(False, False, None, outbox_length(store), 0, "not enrolled", 0)
        return SyncStatus(
            enrolled=True,
            online=self._online,
            last_sync_at=state.last_sync_at,
            outbox=outbox_length(store),
            cursor=state.cursor,
            last_error=self._unsaved or state.last_error,
            conflicts=len(conflicts(store, state.kiosk_id, open_only=True)),
            progress=self._progress,
            error_code=state.last_error_code,
            clock=state.clock,
        )

    def _report(self) -> None:
        if not self.on_status:
            return
        try:
            status = self.status()
        except Exception:  # the store unreadable for now: the next round reports again
            log.exception("the sync status could not be read")
            return
        self.on_status(status)

    def _failed(self, why: str) -> None:
        """Count a failed round and record why. A store that cannot take even that (locked
        by another program, a full disk) keeps the thread going: the reason is shown from
        memory, and the next rounds try again (a thread that died there never synced
        again until the kiosk was restarted)."""
        self._online, self._failures = False, self._failures + 1
        try:
            record_attempt(self.client.store, self.client.clock(), why)
            self._unsaved = ""
        except Exception:
            log.exception("a failed sync round could not be recorded in the store")
            self._unsaved = why

    def _on_progress(self, cursor: int, head: int) -> None:
        self._online, self._progress = True, (cursor, head)  # a page came: the hub is there
        self._report()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.client.sync_once(self._on_progress)
                self._online, self._failures, self._unsaved = True, 0, ""
            except SyncError:  # recorded by the round itself
                self._online, self._failures, self._unsaved = False, self._failures + 1, ""
            except NotEnrolled as err:  # e.g. the token file is gone: say what to do
                self._failed(str(err))
            except Exception as err:  # the store's trouble, or a bug: keep syncing, say it
                log.exception("sync round failed")
                trouble = store_trouble(err)
                self._failed(trouble[0] if trouble else f"internal error: {err!r}")
            finally:
                self._progress = None
                self._report()
            self._wake.wait(backoff(self._failures, self.interval, self.max_backoff, self._rng))
            self._wake.clear()
