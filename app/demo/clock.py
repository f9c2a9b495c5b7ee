"""The demo world's clock: the counters' hours hold whatever the hour the demo is run.

A demo world's counters open 08:00–17:00 (its events' counters 07:30–18:00), so a window
opened on it in the evening would refuse everyone as closed. The window on a demo world
(the folder holds the demo's `scenarios.json`; `kiosk run` and `kiosk security` ask)
runs its clock from 10:00 today instead, Brussels time, and on from there; any other
folder has the real clock.
"""

from __future__ import annotations

import time as timer
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from app.wiring import is_demo_world
from kiosk.model import BRUSSELS

DEMO_START = time(10, 0)


def demo_clock(data_dir: Path) -> Callable[[], datetime] | None:
    """For a demo world, a clock that starts at 10:00 today and runs; else None."""
    if not is_demo_world(data_dir):
        return None
    start = datetime.combine(datetime.now(BRUSSELS).date(), DEMO_START, tzinfo=BRUSSELS)
    began = timer.monotonic()
    return lambda: start + timedelta(seconds=timer.monotonic() - began)
