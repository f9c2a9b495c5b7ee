"""Text with control characters (a NUL PostgreSQL cannot keep, an escape, a direction
override) at the hub's doors: the office API and kiosks' deliveries answered 500 on
PostgreSQL and kept it on SQLite. Now 422 with nothing kept; and a kiosk journals what
people type without such characters, so its deliveries always go through."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from hub import schema as h
from kiosk.store.schema import JournalRow
from sync.outbox import pending
from sync.state import require_state


def deliver(site, station, rows):
    token = require_state(station.store).token
    body = {"rows": rows, "keys": [], "head": None, "more": False}
    return site.http("POST", "/v1/journal", json=body, headers={"Authorization": f"Bearer {token}"})


def journal_size(site) -> int:
    with site.db.reading() as s:
        return s.scalar(select(func.count()).select_from(h.JournalRow))


def test_control_characters_are_refused_at_the_office_api_and_in_deliveries(site):
    change = {"accreditation_id": 3, "status": "revoked", "reason": "bad\x00reason"}
    refused = site.office("POST", "/v1/office/status", json=change)
    assert refused.status_code == 422 and "control character" in refused.text
    with site.db.reading() as s:
        assert s.get(h.AccreditationRow, 3).status != "revoked"

    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    rows = pending(g1.store, 100, 0)
    before = journal_size(site)
    for where, value in (("actor", "clerk\x00"), ("details", {"note": "a\x1b[2J"})):
        bad = copy.deepcopy(rows)
        bad[-1][where] = value
        answer = deliver(site, g1, bad)
        assert answer.status_code == 422 and f"invalid {where}" in answer.text
    assert journal_size(site) == before
    assert deliver(site, g1, rows).status_code == 200  # the rows as the kiosk wrote them


def test_a_kiosk_keeps_typed_text_without_control_characters_and_its_delivery_goes(site):
    g1 = site.kiosk("G1")
    done = g1.issue(site.entry("approved_ministerial"), "chief\x1b", "pasted\x00reason \u202eok")
    assert done.badge.reason == "pasted\ufffdreason \ufffdok"
    with g1.store.reading() as s:
        journalled = s.scalars(select(JournalRow).order_by(JournalRow.id.desc())).first()
        assert journalled.badge_serial == done.badge.serial
        said = (journalled.details["supervisor"], journalled.details["reason"])
        assert said == ("chief\ufffd", "pasted\ufffdreason \ufffdok")
    conflicts = len(hub_conflicts(site))
    g1.sync()
    assert len(hub_conflicts(site)) == conflicts
    with site.db.reading() as s:
        held = s.get(h.BadgeRow, done.badge.serial)
        assert (held.supervisor, held.reason) == ("chief\ufffd", "pasted\ufffdreason \ufffdok")


def hub_conflicts(site) -> list:
    with site.db.reading() as s:
        return list(s.scalars(select(h.ConflictRow)))
