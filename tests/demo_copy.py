"""Copying a demo world that other test workers may be reading at the same moment."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_world(source: Path, target: Path) -> Path:
    """`source` copied to `target`, but for SQLite's -wal and -shm files: a worker reading
    the store in place makes and removes them, and they hold nothing (nothing writes to a
    shared world); copying one as it vanished failed a test."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return target
