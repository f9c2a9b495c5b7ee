"""The hub measures each kiosk's clock from the reading its requests carry
(sync/clock_header.py, hub/clock_seen.py): on the feed and on journal deliveries; a
forged, malformed or absurd reading is ignored, a kiosk sending none keeps the old
estimate."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import schema as h
from hub.app import create_app
from hub.clients import Role, enrol
from hub.database import HubDatabase
from hub.web.accounts import WebRole, add_user
from hub.web.kiosk_status import kiosk_statuses
from kiosk.model import BRUSSELS
from sync.clock_header import CLOCK_HEADER, clock_header

NOON = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)
AHEAD = timedelta(hours=3)


@pytest.fixture
def hub(sqlite_hub_db):
    """The hub's app (its clock at NOON) and a browser on it: background tasks (the
    clock's write) have run when a call returns."""
    return sqlite_hub_db, TestClient(create_app(sqlite_hub_db, lambda: NOON))


def feed(http: TestClient, token: str, reading: str | None):
    headers = {"Authorization": f"Bearer {token}"}
    if reading is not None:
        headers[CLOCK_HEADER] = reading
    r = http.get("/v1/feed", params={"nonce": "n" * 16, "limit": 1}, headers=headers)
    assert r.status_code == 200, r.text
    return r


def held(db) -> dict[str, int]:
    with db.reading() as s:
        return {r.client_id: r.offset_ms for r in s.scalars(select(h.ClientClockRow))}


def test_the_feed_measures_a_kiosk_ahead_and_ignores_what_is_not_a_clock(hub):
    db, http = hub
    token = enrol(db, "G1", Role.COUNTER)
    feed(http, token, clock_header(NOON + AHEAD))
    assert held(db) == {"G1": 3 * 3600 * 1000}
    for forged in (
        clock_header(NOON)[:-1] + "+00:00",
        "2026-02-14T09:00:00Z",
        "1900-01-01T00:00:00.000Z",
        "2300-01-01T00:00:00.000Z",
        "2026-02-31T09:00:00.000Z",
        "' OR 1=1 --",
        "9" * 4000,
    ):
        feed(http, token, forged)  # the page is served: the reading alone is ignored
    assert held(db) == {"G1": 3 * 3600 * 1000}
    (g1,) = kiosk_statuses(db, NOON)
    assert (g1.clock, g1.clock_at, g1.clock_off, g1.drift) == (AHEAD, NOON, True, None)


def test_a_delivery_measures_too_and_a_kiosk_sending_nothing_keeps_the_estimate(hub):
    db, http = hub
    token = enrol(db, "G2", Role.COUNTER)
    feed(http, token, None)
    r = http.post(
        "/v1/journal",
        json={"rows": [], "keys": [], "head": None, "more": False},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    assert held(db) == {}  # no reading: nothing measured, nothing written
    (g2,) = kiosk_statuses(db, NOON)
    assert (g2.clock, g2.clock_off) == (None, False)
    r = http.post(
        "/v1/journal",
        json={"rows": [], "keys": [], "head": None, "more": False},
        headers={"Authorization": f"Bearer {token}", CLOCK_HEADER: clock_header(NOON - AHEAD)},
    )
    assert r.status_code == 200, r.text
    assert held(db) == {"G2": -3 * 3600 * 1000}


def test_an_unknown_token_with_a_reading_measures_nothing(hub):
    db, http = hub
    r = http.get(
        "/v1/feed",
        params={"nonce": "n" * 16},
        headers={"Authorization": "Bearer nope", CLOCK_HEADER: clock_header(NOON)},
    )
    assert r.status_code == 401 and held(db) == {}


def drift_cells(http: TestClient, lang: str) -> dict[str, str]:
    """Each kiosk's clock drift cell on the console's Kiosks page."""
    page = http.get("/console/kiosks", headers={"Accept-Language": lang}).text
    rows = re.findall(r"<b>(\w+)</b>(.*?)</tr>", page, re.S)
    return {k: re.findall(r'<td class="n">(.*?)</td>', row, re.S)[1].strip() for k, row in rows}


def test_the_kiosks_page_says_the_drift_in_words_and_marks_an_estimate(hub):
    db, http = hub
    feed(http, enrol(db, "G1", Role.COUNTER), clock_header(NOON + timedelta(hours=2, minutes=14)))
    feed(http, enrol(db, "G3", Role.COUNTER), clock_header(NOON - timedelta(seconds=40)))
    enrol(db, "G2", Role.COUNTER)  # an older kiosk: no reading, a row received 30 s "early"
    with db.writing() as s:
        s.add(
            h.JournalRow(
                kiosk_id="G2",
                journal_id=1,
                at=NOON + timedelta(seconds=30),
                actor="clerk",
                action="decision",
                accreditation_id=2,
                badge_serial=None,
                verdict="refuse",
                details={"failed": ["id_expiry"]},
                prev_hash="0" * 64,
                hash="0" * 64,
                seen_cursor=0,
                digest="0" * 64,
                received_at=NOON,
                via="http",
            )
        )
    add_user(db, "chief", WebRole.CHIEF, "chief password 1", NOON)
    csrf = re.search(r'name="csrf" value="([^"]+)"', http.get("/console/sign-in").text)
    form = {"csrf": csrf.group(1), "name": "chief", "password": "chief password 1"}
    assert http.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    en, fr = drift_cells(http, "en"), drift_cells(http, "fr")
    assert 'class="badge warn"' in en["G1"] and ">2 h 14 min ahead</span>" in en["G1"]
    assert 'title="measured 14.02.2026 10:00"' in en["G1"]
    assert ">2 h 14 min d&#39;avance</span>" in fr["G1"]
    assert "warn" not in en["G3"] and ">in step</span>" in en["G3"]
    assert ">à l&#39;heure</span>" in fr["G3"]
    assert en["G2"] == '+30 s <span class="muted">(estimated)</span>'
    assert fr["G2"] == '+30 s <span class="muted">(estimé)</span>'


def test_a_version_12_hub_gains_the_clocks_table_in_place(tmp_path):
    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 12 hub left it
        con.execute("DROP TABLE client_clocks")
        con.execute("UPDATE hub_meta SET value = '12' WHERE key = 'schema_version'")
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:
        version = con.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (h.SCHEMA_VERSION,) == ("14",)
        assert con.execute("SELECT count(*) FROM client_clocks").fetchone() == (0,)
