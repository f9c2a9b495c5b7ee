"""What a feed page leaves in the hub's database after it is sent (hub/app.py `noted`):
the kiosk's cursor and time seen, and its clock's offset, each written when due, both
in one transaction when both are due, and nothing when neither is."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from hub.app import TOUCH_EVERY, create_app
from hub.clients import Role, enrol
from hub.database import HubDatabase, head
from hub.schema import ClientClockRow, ClientRow
from sync.clock_header import CLOCK_HEADER, clock_header

NOON = datetime(2026, 12, 6, 11, 0, tzinfo=UTC)
AHEAD = timedelta(hours=3)


def test_the_cursor_and_the_clock_are_written_when_due(hub_db, monkeypatch):
    db = hub_db
    now = [NOON]
    app = create_app(db, lambda: now[0])
    token = enrol(db, "G1", Role.COUNTER)
    with db.reading() as s:
        top = head(s)
    writes = [0]
    writing = HubDatabase.writing

    @contextmanager
    def counted(self):
        writes[0] += 1
        with writing(self) as s:
            yield s

    monkeypatch.setattr(HubDatabase, "writing", counted)

    def pull(cursor: int, ahead: timedelta | None = AHEAD) -> tuple:
        """A page (its background tasks done), the write transactions it began, and
        what the database holds of the kiosk then."""
        headers = {"Authorization": f"Bearer {token}"}
        if ahead is not None:
            headers[CLOCK_HEADER] = clock_header(now[0] + ahead)
        before = writes[0]
        with TestClient(app) as http:
            r = http.get("/v1/feed", params={"nonce": "n" * 16, "cursor": cursor}, headers=headers)
        assert r.status_code == 200, r.text
        with db.reading() as s:
            row, clock = s.get(ClientRow, "G1"), s.get(ClientClockRow, "G1")
            held = (row.cursor, row.last_seen_at)
            measured = clock and (clock.offset_ms, clock.measured_at)
        return writes[0] - before, held, measured

    three_hours = 3 * 3600 * 1000
    assert pull(0) == (1, (0, NOON), (three_hours, NOON))  # both due: one transaction
    assert pull(0) == (0, (0, NOON), (three_hours, NOON))  # neither
    now[0] = NOON + timedelta(seconds=1)
    assert pull(top) == (1, (top, now[0]), (three_hours, NOON))  # the cursor moved
    assert pull(top, AHEAD + timedelta(seconds=6)) == (
        1,
        (top, now[0]),
        (three_hours + 6000, now[0]),
    )
    assert pull(top, None) == (0, (top, now[0]), (three_hours + 6000, now[0]))
    now[0] += timedelta(seconds=TOUCH_EVERY)
    assert pull(top) == (1, (top, now[0]), (three_hours, now[0]))  # both due again
