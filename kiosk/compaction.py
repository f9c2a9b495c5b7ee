"""A SQLite file compacted after a purge, so nothing purged stays on disk, readers or not.

`secure_delete` zeroes what a statement frees, but SQLite leaves old bytes in the gap of
a page it rebuilds when rows shrink: VACUUM writes every page afresh, and a TRUNCATE
checkpoint copies the WAL over the file and empties it. A reader still on a snapshot
from before the purge (another process's read: a screen, a sync round, a feed request)
needs the old pages, so SQLite keeps them in the file and its WAL until it ends. The
compaction waits for such readers (`PATIENCE`) and, past that, is owed: a small file
says so, and the next purge (or start) does it whether or not anything new is due.
The kiosk's store (kiosk/purge.py) and the hub's SQLite database (hub/purge.py) share it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.private import write_private

# How long a compaction waits for other connections' reads to end (a screen's decision
# takes milliseconds, a sync round or the warm-up at a start seconds) before it is owed.
PATIENCE = 30.0
# What the owed file holds when only the WAL is left to empty (its VACUUM was done);
# anything else in it means the VACUUM is owed too.
CHECKPOINT = "checkpoint"
VACUUM = "vacuum"


@dataclass(frozen=True)
class SqliteFile:
    """A SQLite database to compact: `connect` opens a DB-API connection outside any
    transaction (VACUUM needs that; it waits for others by its busy timeout), and
    `owed_path` is the file that says a compaction is owed (never personal data)."""

    connect: Callable[[], Any]
    owed_path: Path

    def compact(self, patience: float = PATIENCE, vacuum: bool = True) -> bool:
        """Rewrite the file (`vacuum`) and empty the WAL; False when other connections
        kept reading (or writing) for `patience` seconds: it is then owed (`owed`)."""
        deadline = time.monotonic() + patience
        if vacuum and not _until(deadline, lambda: self._vacuum(deadline)):
            write_private(self.owed_path, VACUUM.encode())
            return False
        if not _until(deadline, lambda: self._checkpoint(deadline)):
            write_private(self.owed_path, CHECKPOINT.encode())
            return False
        self.owed_path.unlink(missing_ok=True)
        return True

    def owed(self) -> str | None:
        """What an earlier compaction left undone: CHECKPOINT, VACUUM (anything but
        CHECKPOINT in the file, which is only a hint: doing more is safe) or None."""
        try:
            text = self.owed_path.read_text("ascii", "replace").strip()
        except FileNotFoundError:
            return None
        return CHECKPOINT if text == CHECKPOINT else VACUUM

    def _run(self, sql: str, deadline: float) -> tuple | None:
        """`sql` on a connection of its own, waiting for other connections (its busy
        timeout) no later than `deadline`: a patience of 0 gave one attempt the whole
        connection's timeout (10 s at the hub), then the pool's connection is as it was."""
        raw = self.connect()
        try:
            cur = raw.cursor()
            (usual,) = cur.execute("PRAGMA busy_timeout").fetchone()
            left = max(0, round((deadline - time.monotonic()) * 1000))
            cur.execute(f"PRAGMA busy_timeout = {min(usual, left)}")
            try:
                return cur.execute(sql).fetchone()
            finally:
                cur.execute(f"PRAGMA busy_timeout = {usual}")
                cur.close()
        finally:
            raw.close()

    def _vacuum(self, deadline: float) -> bool:
        try:
            self._run("VACUUM", deadline)
        except sqlite3.OperationalError:  # another connection is writing: busy
            return False
        return True

    def _checkpoint(self, deadline: float) -> bool:
        busy, _, _ = self._run("PRAGMA wal_checkpoint(TRUNCATE)", deadline)
        return busy == 0


def after_purge(owed: str | None, purged: bool) -> bool | None:
    """What a purge leaves to compact, given what an earlier one left `owed`: True (VACUUM
    and checkpoint) after a purge that `purged` anything or when a VACUUM is owed, False
    (the checkpoint alone) when only that is owed, None when nothing is."""
    if not purged and owed is None:
        return None
    return purged or owed == VACUUM


def _until(deadline: float, attempt: Callable[[], bool]) -> bool:
    """`attempt` again until it succeeds or `deadline` (time.monotonic) has passed; each
    attempt waits for the other connections itself (the connection's busy timeout)."""
    while not attempt():
        if time.monotonic() >= deadline:
            return False
    return True
