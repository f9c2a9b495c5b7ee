"""A kiosk measures its clock against the hub's at each feed page, over a real hub on
loopback (SQLite and PostgreSQL): a kiosk three hours ahead is told so, its store keeps
the measurement across a restart, the hub's Kiosks page shows the exact drift; a kiosk in
step, or set right again, hears nothing."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from hub import schema as h
from hub.database import utc_now
from hub.web.accounts import WebRole, add_user
from kiosk.clock_check import clock_warning
from kiosk.store.database import Store
from sync.client import HubUnavailable, SyncClient
from sync.state import read_state

AHEAD = timedelta(hours=3)
PASSWORD = "chief password 1"


def ahead() -> object:
    return utc_now() + AHEAD


def hub_offset(db, kiosk_id: str, near: timedelta) -> timedelta:
    """The offset the hub holds for `kiosk_id`, once it is within 10 s of `near` (the
    hub writes it after answering)."""
    deadline = time.monotonic() + 15
    while True:
        with db.reading() as s:
            ms = s.scalar(
                select(h.ClientClockRow.offset_ms).where(h.ClientClockRow.client_id == kiosk_id)
            )
        if ms is not None and abs(timedelta(milliseconds=ms) - near) < timedelta(seconds=10):
            return timedelta(milliseconds=ms)
        assert time.monotonic() < deadline, f"the hub holds {ms} ms for {kiosk_id}"
        time.sleep(0.05)


def kiosk_cell(site, kiosk_id: str) -> str:
    """The clock drift cell of `kiosk_id` on the served console's Kiosks page."""
    add_user(site.db, "chief", WebRole.CHIEF, PASSWORD, utc_now())
    with httpx.Client(base_url=site.server.url, timeout=10) as web:
        csrf = re.search(r'name="csrf" value="([^"]+)"', web.get("/console/sign-in").text)
        form = {"csrf": csrf.group(1), "name": "chief", "password": PASSWORD}
        assert web.post("/console/sign-in", data=form).status_code == 303
        page = web.get("/console/kiosks").text
    row = page[page.index(f"<b>{kiosk_id}</b>") :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="n">(.*?)</td>', row, re.S)[1]


def test_a_kiosk_three_hours_ahead_is_warned_and_the_hub_sees_it(site, tmp_path):
    g1 = site.kiosk("G1")  # synced once, in step (the fixture's clock is the wall's)
    in_step = read_state(g1.store).clock
    assert in_step is not None and not in_step.off
    assert abs(in_step.offset) < timedelta(seconds=5)
    assert clock_warning(in_step, utc_now()) is None
    hub_offset(site.db, "G1", timedelta(0))
    assert "in step" in kiosk_cell(site, "G1")

    wrong = SyncClient(g1.store, ahead, timeout=5.0)
    try:
        wrong.sync_once()
    finally:
        wrong.close()
    reading = read_state(g1.store).clock
    assert reading.off and reading.high >= AHEAD and reading.low <= AHEAD + timedelta(seconds=5)
    warning = clock_warning(reading, ahead())
    assert warning.en.startswith("This kiosk's clock is 3 h 00 min ahead of the hub's")

    # It survives a restart: the store keeps it.
    again = Store(g1.store.path)
    try:
        assert read_state(again).clock == reading
    finally:
        again.close()

    assert hub_offset(site.db, "G1", AHEAD) >= AHEAD - timedelta(seconds=5)
    cell = kiosk_cell(site, "G1")
    assert "3 h 00 min ahead" in cell and 'class="badge warn"' in cell

    g1.sync()  # the clock set right: the next page clears the warning, here and at the hub
    assert clock_warning(read_state(g1.store).clock, utc_now()) is None
    hub_offset(site.db, "G1", timedelta(0))
    cell = kiosk_cell(site, "G1")
    assert "in step" in cell and "warn" not in cell


def test_a_round_without_a_page_keeps_the_last_measurement(sqlite_site):
    g2 = sqlite_site.kiosk("G2")
    kept = read_state(g2.store).clock
    sqlite_site.server.stop()
    wrong = SyncClient(g2.store, ahead, timeout=2.0)
    try:
        with pytest.raises(HubUnavailable):
            wrong.sync_once()
    finally:
        wrong.close()
    assert kept is not None and read_state(g2.store).clock == kept
