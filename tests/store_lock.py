"""Another program holding a kiosk store's write lock, as a backup or a database tool
may: a real second process, so SQLite's own locking decides, not a mock."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_LOCKER = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("LOCKED", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


@contextmanager
def held_by_another_process(database: Path) -> Iterator[None]:
    """`database` locked (BEGIN EXCLUSIVE) by a child process until the block ends."""
    locker = subprocess.Popen(
        [sys.executable, "-c", _LOCKER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout.readline().strip() == "LOCKED"
        yield
    finally:
        locker.communicate("go\n", timeout=30)
