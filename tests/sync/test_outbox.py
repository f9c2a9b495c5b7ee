"""The outbox: the journal after the acknowledged row, each with what the kiosk knew."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk import audit, journal_keys
from kiosk.store import schema as k
from sync.outbox import journal_head, pending


def test_rows_carry_the_cursor_the_kiosk_held_when_they_were_written(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    first_cursor = g1.sync().cursor
    g1.issue(site.entry("approved_ministerial"))
    site.revoke(site.entry("pool_photographer").accreditation.id)
    g1.client.pull()  # learns the revocation, delivers nothing
    g1.issue(site.entry("editor_letter"))
    rows = pending(g1.store, 100)
    by_serial = {r["badge_serial"]: r["seen_cursor"] for r in rows if r["action"] == "issue"}
    early, late = sorted(by_serial.values())
    assert early == first_cursor and late > first_cursor
    issued = [r for r in rows if r["action"] == "issue"]
    assert all(r["badge"]["serial"] == r["badge_serial"] for r in issued)


def test_delivered_rows_leave_the_outbox_and_their_marks_are_dropped(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    for situation in ("approved_ministerial", "editor_letter", "pool_photographer"):
        g1.issue(site.entry(situation))
        g1.client.pull()
    assert len(pending(g1.store, 100)) > 0
    g1.sync()
    assert pending(g1.store, 100) == []
    with g1.store.reading() as s:
        assert s.scalar(select(func.count()).select_from(k.SyncMarkRow)) <= 2


def test_rows_carry_their_seal_and_the_head_names_the_last_one_sealed(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.issue(site.entry("editor_letter"))
    head, rows = journal_head(g1.store), pending(g1.store, 100)
    key = journal_keys.load(journal_keys.key_path(g1.kiosk.data_dir)).current.key
    assert len(rows) >= 2
    assert all(r["mac"] == audit.seal(key, r["id"], r["hash"]) for r in rows)
    assert (head["id"], head["hash"], head["sealed_from"]) == (rows[-1]["id"], rows[-1]["hash"], 1)
    assert audit.Head(**head).sealed_by(key)
    assert not audit.Head(**head).sealed_by(journal_keys.new_key())
