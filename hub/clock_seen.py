"""Each kiosk's clock as the hub measures it: the reading a kiosk sends with its requests
(sync/clock_header.py) minus the hub's clock on receipt, kept per kiosk in
`client_clocks`. The network's delay makes a kiosk look behind by that delay
(milliseconds on a site's network), never ahead.

Written like a kiosk's "last seen" (hub/app.py): after the answer is sent, and only when
the offset moved by STEP or EVERY has passed, so a kiosk syncing every 3 seconds costs
one write every half minute.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.schema import ClientClockRow

STEP = timedelta(seconds=5)  # a clock set meanwhile shows at once; jitter does not write
EVERY = timedelta(seconds=30)


class ClockSeen:
    """Keeps the offset last measured for each kiosk."""

    def __init__(self, db: HubDatabase) -> None:
        self.db, self.lock, self.write_lock = db, threading.Lock(), threading.Lock()
        self.written: dict[str, tuple[timedelta, datetime]] = {}

    def due(self, client_id: str, offset: timedelta, now: datetime) -> bool:
        """Note `client_id`'s clock `offset` measured at `now`; whether to write it now."""
        with self.lock:
            last = self.written.get(client_id)
            if last and abs(offset - last[0]) < STEP and now - last[1] < EVERY:
                return False
            self.written[client_id] = (offset, now)
            return True

    async def note(self, client_id: str, offset: timedelta, now: datetime) -> None:
        """Note `client_id`'s clock `offset` measured at `now`, writing only when due."""
        if self.due(client_id, offset, now):
            await run_in_threadpool(self._write, client_id)

    def _write(self, client_id: str) -> None:
        with self.write_lock, self.db.writing() as s:
            self.write_on(s, client_id)

    def write_on(self, s: Session, client_id: str) -> None:
        """Write the offset noted last for `client_id` in `s`, holding `write_lock`."""
        with self.lock:  # the newest: a later note may have overtaken this one
            offset, at = self.written[client_id]
        row = s.get(ClientClockRow, client_id)
        if row is None:
            row = ClientClockRow(client_id=client_id)
            s.add(row)
        row.offset_ms, row.measured_at = round(offset.total_seconds() * 1000), at


def clock_offsets(s: Session) -> dict[str, tuple[timedelta, datetime]]:
    """Every kiosk's last measured offset and when it was measured (the hub's clock)."""
    rows = s.execute(
        select(ClientClockRow.client_id, ClientClockRow.offset_ms, ClientClockRow.measured_at)
    )
    return {c: (timedelta(milliseconds=ms), at) for c, ms, at in rows}
