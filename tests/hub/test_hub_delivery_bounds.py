"""What a kiosk's token can do to the office's view: moments outside any sane year, a
security post filing a counter's desk work, refusals varied to flood the conflict list
(exploratory testing against a live hub, session 15). Each is refused or bounded."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from test_hub_owner import _badge, forged, hub_journal, post, refusals

from hub import schema as h
from hub.clients import Role
from hub.handoffs import list_handoffs
from hub.receive import REASON_SHOWN, REFUSALS_OPEN


def test_a_moment_or_day_outside_1970_to_2199_is_refused_and_every_page_still_shows(site):
    """A year 9999 was stored and broke the hand-offs page and `kiosk-hub handoffs` for
    good (Brussels time overflows); a year 1 made a 500 and no conflict."""
    g1 = site.kiosk("G1")
    serial = g1.issue(site.entry("approved_ministerial")).badge.serial
    own = _badge(g1, serial)
    handoff = {"role": "clerk", "counter": "groups", "reasons": ["pending"]}
    far = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)
    attacks = {
        "a hand-off in year 9999": forged(
            g1,
            None,
            action="handoff",
            verdict="refuse",
            accreditation_id=7,
            at=far,
            details=handoff,
        ),
        "a badge issued in year 1": forged(g1, {**own, "issued_at": "0001-01-01T00:10:00+01:00"}),
        "a badge issued at the end of 9999, west of Greenwich": forged(
            g1, {**own, "issued_at": "9999-12-31T23:59:00-10:00"}
        ),
        "a badge valid until 9999": forged(g1, {**own, "valid_until": "9999-12-31"}),
    }
    before, reasons = hub_journal(site.db, "G1"), set()
    for name, row in attacks.items():
        answer = post(g1, {"rows": [row]})
        assert answer.status_code == 422, name
        assert "invalid" in answer.json()["detail"], name
        reasons.add(answer.json()["detail"])
    assert hub_journal(site.db, "G1") == before
    assert len(refusals(site.db, "G1")) == len(reasons) == 3  # both issued_at alike
    with site.db.reading() as s:
        assert all(line.at.year < 2200 for line in list_handoffs(s))
    g1.sync()  # the kiosk's own delivery still goes through
    assert hub_journal(site.db, "G1") > before


def test_a_security_post_cannot_file_a_counters_verdict_hand_off_or_desk_photo(site):
    post_station = site.kiosk("SEC1", Role.SECURITY)
    handoff = {"role": "clerk", "counter": "groups", "reasons": ["pending"]}
    desk_work = {
        "a refusal": {"action": "decision", "verdict": "refuse", "accreditation_id": 6},
        "a hand-off": {"action": "handoff", "verdict": None, "accreditation_id": 7},
        "a desk photo": {"action": "photo_replaced", "verdict": None, "accreditation_id": 7},
    }
    before = hub_journal(site.db, "SEC1")
    for name, fields in desk_work.items():
        row = forged(post_station, None, details=handoff, **fields)
        answer = post(post_station, {"rows": [row]})
        assert answer.status_code == 422, name
        assert "a post checks badges and records none" in answer.json()["detail"], name
    assert hub_journal(site.db, "SEC1") == before
    post_station.sync()  # its own checks still go through


def test_refusals_varied_to_flood_the_office_are_bounded_and_quote_little(site):
    """Each malformed body's error names another column, so each was a new conflict (99
    for 99 tries), sent to every counter; a 60 KB kiosk id was quoted whole."""
    g1 = site.kiosk("G1")
    for spaces in range(REFUSALS_OPEN + 10):
        assert post(g1, b"{" + b" " * spaces + b"x").status_code in (400, 422)
    flood = refusals(site.db, "G1")
    assert len(flood) == REFUSALS_OPEN
    with site.db.writing() as s:  # the office settles them: the next refusal shows again
        for c in s.scalars(select(h.ConflictRow).where(h.ConflictRow.kiosk_id == "G1")):
            c.settled_at, c.settled_by = datetime(2026, 2, 14, 12, tzinfo=UTC), "office"
    long_id = forged(g1, None, kiosk_id="<b>X</b>" + "A" * 60_000)
    assert post(g1, {"rows": [long_id]}).status_code == 422
    newest = max(refusals(site.db, "G1"), key=lambda c: c.id)
    assert newest.settled_at is None and "<b>X</b>AAA" in newest.message_en
    assert len(newest.message_en) < REASON_SHOWN + 100 and newest.message_en.endswith("….")


def test_deliveries_without_their_head_make_one_conflict_until_it_is_settled(site):
    g1 = site.kiosk("G1")
    g1.sync()  # G1's rows are sealed with the hub's key from now on
    for _ in range(5):
        assert post(g1, {"rows": []}).status_code == 200
    with site.db.reading() as s:
        heads = s.scalar(
            select(func.count()).where(
                h.ConflictRow.kiosk_id == "G1", h.ConflictRow.kind == "journal_head_invalid"
            )
        )
    assert heads == 1
