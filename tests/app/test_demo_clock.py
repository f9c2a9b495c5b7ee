"""The window on a demo world runs its clock from 10:00 today, whatever the hour."""

from __future__ import annotations

import json
from datetime import datetime, time

from app.demo.clock import demo_clock
from kiosk.model import BRUSSELS


def test_a_demo_world_starts_at_ten_today_and_runs_on(tmp_path):
    (tmp_path / "scenarios.json").write_text(json.dumps({"today": "2020-01-01"}))
    clock = demo_clock(tmp_path)
    first = clock()
    assert first.date() == datetime.now(BRUSSELS).date()  # today, not the built day
    assert first.tzinfo is BRUSSELS and time(10, 0) <= first.time() < time(10, 1)
    later = first
    while later == first:  # the clock runs (a condition, not a sleep of a set length)
        later = clock()
    assert later > first


def test_any_other_folder_keeps_the_real_clock(tmp_path):
    assert demo_clock(tmp_path) is None
    (tmp_path / "kiosk.sqlite3").write_bytes(b"")
    assert demo_clock(tmp_path) is None
