"""Authorisation by owner: a counter's token cannot rewrite another counter's badges or
claim its serials, and no value or size a kiosk sends gets past the hub unchecked
(issue 13's attacks, against a real hub on loopback: 0 accepted, 0 tracebacks)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import httpx
import pytest
from site_fixtures import DEMO_NOON
from sqlalchemy import func, select

from hub import schema as h
from hub.database import allocate, lock_changes
from hub.delivery_checks import MAX_ROW_BYTES
from hub.receive import MAX_ROWS
from kiosk import audit, roles
from kiosk.model import Counter
from kiosk.store import schema as k
from sync.protocol import FIELDS, JOURNAL_FIELDS, encode
from sync.state import require_state


def _chain_end(station) -> tuple[int, str]:
    with station.store.reading() as s:
        last = s.scalars(select(k.JournalRow).order_by(k.JournalRow.id.desc()).limit(1)).first()
    return (last.id, last.hash) if last else (0, audit.GENESIS)


def _badge(station, serial: str) -> dict:
    """A badge as `station`'s store holds it, in wire form."""
    with station.store.reading() as s:
        row = s.get(k.BadgeRow, serial)
        return encode(FIELDS["badges"], {c: getattr(row, c) for c in FIELDS["badges"]})


def forged(station, badge: dict | None = None, **changes) -> dict:
    """A journal row that follows `station`'s own chain (a perfect hash: the forger holds
    the kiosk), naming and carrying `badge`."""
    last_id, last_hash = _chain_end(station)
    row = {
        "id": last_id + 1,
        "at": DEMO_NOON,
        "kiosk_id": station.kiosk.desk.kiosk_id,
        "actor": "mallory",
        "action": "issue",
        "accreditation_id": badge["accreditation_id"] if badge else None,
        "badge_serial": badge["serial"] if badge else None,
        "verdict": "issue",
        "details": {"counter": "groups", "role": "clerk", "superseded": []},
        **changes,
    }
    row["prev_hash"] = last_hash
    row["hash"] = audit.entry_hash(last_hash, SimpleNamespace(**row))
    return {**encode(JOURNAL_FIELDS, row), "seen_cursor": 0, "badge": badge}


def post(station, body: dict | bytes) -> httpx.Response:
    token = require_state(station.store).token
    headers = {"Authorization": f"Bearer {token}"}
    if isinstance(body, bytes):
        headers["Content-Type"] = "application/json"
        return station.site.http("POST", "/v1/journal", content=body, headers=headers, timeout=30)
    return station.site.http("POST", "/v1/journal", json=body, headers=headers, timeout=30)


def hub_badges(db) -> dict[str, tuple]:
    with db.reading() as s:
        return {
            b.serial: (b.status, b.counter, b.kiosk_id, b.clerk, b.accreditation_id)
            for b in s.scalars(select(h.BadgeRow))
        }


def hub_journal(db, kiosk: str) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).where(h.JournalRow.kiosk_id == kiosk))


def refusals(db, kiosk: str) -> list[h.ConflictRow]:
    with db.reading() as s:
        return list(
            s.scalars(
                select(h.ConflictRow).where(
                    h.ConflictRow.kind == "delivery_refused", h.ConflictRow.kiosk_id == kiosk
                )
            )
        )


def _attacks(g1, v1_serial: str, other_acc: int) -> dict[str, tuple[int, dict | bytes]]:
    """Each attack from issue 13 as (expected status, request body)."""
    theirs = _badge(g1, v1_serial)  # G1 holds V1's badge from the feed
    own = {**theirs, "serial": "G1-000777", "kiosk_id": "G1", "counter": "groups"}
    one = lambda badge=None, **kw: {"rows": [forged(g1, badge, **kw)]}  # noqa: E731

    def post_check(**details) -> dict:
        """A security post's check (kiosk/post_journal.py) with `details` changed."""
        good = {"role": "security", "answer": "not_valid", "reason": "forged", "post": "HQ"}
        return one(action="post_check", verdict=None, details=good | details)

    return {
        "rewrite V1's badge": (
            422,
            one({**theirs, "status": "active", "clerk": "mallory", "kiosk_id": "G1"}),
        ),
        "rewrite V1's clerk and counter, status kept": (
            422,
            one({**theirs, "clerk": "mallory", "counter": "groups", "kiosk_id": "G1"}),
        ),
        "revoke V1's badge": (422, one({**theirs, "status": "revoked"})),
        "claim V1's next serial": (
            422,
            one({**theirs, "serial": "V1-000002", "kiosk_id": "G1", "status": "active"}),
        ),
        "move V1's badge to another holder": (
            422,
            one({**theirs, "accreditation_id": other_acc}),
        ),
        "a row in V1's name": (422, one(kiosk_id="V1")),
        "an unknown counter": (422, one({**own, "counter": "roof"})),
        "an unknown badge status": (422, one({**own, "status": "gold"})),
        "an unknown verdict": (422, one(verdict="maybe")),
        "an unknown role": (422, one(details={"role": "god"})),
        "an unknown action": (422, one(action="DROP TABLE")),
        # `$` matches before a final newline: every form is matched whole.
        "a serial ending in a newline": (422, one(badge_serial="G1-000777\n")),
        "a badge's kiosk ending in a newline": (422, one({**own, "kiosk_id": "G1\n"})),
        "a post's check with an answer no post gives": (422, post_check(answer="maybe")),
        "a post's check with a reason that is no code": (422, post_check(reason="<b>x</b>")),
        "a post's check by a role that checks no badge": (422, post_check(role="administrator")),
        "a clerk name of 10 000 letters": (422, one({**own, "clerk": "x" * 10_000})),
        "an id past the database's integers": (422, one({**own, "accreditation_id": 2**40})),
        "a reprint superseding another holder's badge": (
            422,
            one(
                {**own, "accreditation_id": other_acc},
                details={"counter": "groups", "role": "clerk", "superseded": [v1_serial]},
            ),
        ),
        "a 1 MB journal row": (413, one(details={"note": "x" * (1 << 20)})),
        "a 20 MB journal row": (413, one(details={"note": "x" * (20 << 20)})),
        "too many rows": (413, {"rows": [forged(g1)] * (MAX_ROWS + 1)}),
    }


def test_a_counter_cannot_touch_another_counters_badges_or_send_what_is_not_valid(site):
    g1 = site.kiosk("G1")
    v1 = site.kiosk("V1", counter=Counter.VISITORS)
    v1_serial = v1.issue(site.entry("approved_annual")).badge.serial
    v1.sync()
    g1.sync()  # G1 now holds V1's badge, as every counter does
    before = hub_badges(site.db), hub_journal(site.db, "G1")
    other = site.entry("approved_ministerial").accreditation.id
    answers = {}
    for name, (expected, body) in _attacks(g1, v1_serial, other).items():
        response = post(g1, body)
        answers[name] = (response.status_code, expected)
        assert isinstance(response.json()["detail"], str), name  # a sentence, not a trace
    assert {n: a for n, a in answers.items() if a[0] != a[1]} == {}
    assert (hub_badges(site.db), hub_journal(site.db, "G1")) == before  # 0 accepted
    # Every refusal is a conflict the office sees, naming G1.
    assert len(refusals(site.db, "G1")) == len(answers)
    assert any("V1-000002" in c.message_en for c in refusals(site.db, "G1"))
    # V1 goes on as if nothing had been tried: its next serial is its own.
    v1.sync()
    nxt = v1.issue(site.entry("bulk_annual_approved")).badge.serial
    assert nxt == "V1-000002"
    assert v1.kiosk.desk.cards.card(nxt).counter is Counter.VISITORS
    v1.sync()
    assert hub_badges(site.db)["V1-000002"][2] == "V1"


def test_a_refused_delivery_is_one_conflict_however_often_it_is_retried(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    body = {"rows": [forged(g1, verdict="maybe")]}
    assert [post(g1, body).status_code for _ in range(3)] == [422] * 3
    [conflict] = refusals(site.db, "G1")
    assert "verdict" in conflict.message_en and "verdict" in conflict.message_fr
    # An honest delivery from G1 goes through afterwards.
    g1.issue(site.entry("approved_ministerial"))
    assert g1.sync().delivered > 0


def test_a_row_the_size_limit_allows_is_received(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    room = MAX_ROW_BYTES - len(str(forged(g1, details={"note": ""})))
    response = post(g1, {"rows": [forged(g1, details={"note": "x" * (room - 400)})]})
    assert response.status_code == 200, response.text


def test_a_reprint_of_a_badge_pre_printed_elsewhere_is_received(sqlite_site):
    """Hand-overs of another kiosk's pre-printed card stay allowed (kiosk/counter.py)."""
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    entry = site.entry("approved_ministerial")

    chief = roles.Actor("chief", roles.Role.SUPERVISOR)
    badge = g2.kiosk.desk.prints.preprint(entry.accreditation.id, chief, "batch-1")
    g2.kiosk.desk.prints.print_sent(badge.serial, "pdf", "job-1", chief, batch="batch-1")
    [job] = g2.kiosk.desk.prints.jobs(badge.serial)
    g2.kiosk.desk.prints.print_done(job.id, chief)
    g2.sync()
    g1.sync()
    handed = g1.issue(entry)
    assert handed.badge.serial == badge.serial  # G1 hands over G2's card
    g1.sync()
    assert hub_badges(site.db)[badge.serial][:3] == ("active", "groups", "G1")
    assert refusals(site.db, "G1") == []


def test_a_hand_over_taken_back_at_another_counter_is_received(sqlite_site):
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    chief = roles.Actor("chief", roles.Role.SUPERVISOR)
    entry = site.entry("approved_ministerial")
    badge = g2.kiosk.desk.prints.preprint(entry.accreditation.id, chief, "batch-1")
    g2.kiosk.desk.prints.print_sent(badge.serial, "pdf", "job-1", chief, batch="batch-1")
    [job] = g2.kiosk.desk.prints.jobs(badge.serial)
    g2.kiosk.desk.prints.print_done(job.id, chief)
    assert g2.issue(entry).handed_over  # G2 hands its own card over
    g2.sync()
    g1.sync()
    g1.kiosk.desk.undo_handover(badge.serial, chief, "handed to the wrong person")
    g1.sync()
    assert hub_badges(site.db)[badge.serial][:3] == ("preprinted", "groups", "G2")
    assert refusals(site.db, "G1") == []


def test_a_kiosk_leaves_out_feed_rows_it_cannot_trust_and_applies_the_rest(sqlite_site, caplog):
    """A hub that took bad rows before it checked deliveries: V1 neither crashes nor loses
    its next serial, and takes everything else."""
    site = sqlite_site
    v1 = site.kiosk("V1", counter=Counter.VISITORS)
    annual = site.entry("approved_annual").accreditation.id
    with site.db.writing() as s:
        lock_changes(s)
        template = dict(
            accreditation_id=annual,
            kiosk_id="G1",
            clerk="mallory",
            supervisor=None,
            reason="",
            issued_at=DEMO_NOON,
            valid_from=DEMO_NOON.date(),
            valid_until=DEMO_NOON.date(),
            superseded_by=None,
        )
        for serial, counter, status in (
            ("V1-000001", "visitors", "active"),  # V1's next serial, claimed
            ("G1-000050", "roof", "active"),
            ("G1-000051", "groups", "gold"),
            ("G1-000052", "groups", "active"),  # a good one
        ):
            s.add(
                h.BadgeRow(
                    serial=serial, counter=counter, status=status, seq=allocate(s), **template
                )
            )
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        v1.sync()
    with v1.store.reading() as s:
        held = set(s.scalars(select(k.BadgeRow.serial)))
    assert held == {"G1-000052"}  # the one good row applied
    logged = caplog.text
    assert "V1-000001" in logged and "never made" in logged
    assert "unknown counter 'roof'" in logged and "unknown status 'gold'" in logged
    nxt = v1.issue(site.entry("bulk_annual_approved")).badge.serial
    assert nxt == "V1-000001"
    assert v1.kiosk.desk.cards.card(nxt).counter is Counter.VISITORS


@pytest.mark.parametrize("field", ["counter", "status"])
def test_a_badge_with_an_unknown_value_never_reaches_a_kiosk_store(sqlite_site, field):
    site = sqlite_site
    g1 = site.kiosk("G1")
    serial = g1.issue(site.entry("approved_ministerial")).badge.serial
    body = {"rows": [forged(g1, {**_badge(g1, serial), field: "roof"})]}
    assert post(g1, body).status_code == 422
    assert serial not in hub_badges(site.db)


def test_what_a_passer_by_types_at_sign_in_never_stops_a_kiosks_deliveries(sqlite_site):
    """Refused sign-ins are journalled as typed: an empty name, control characters and a
    name at the length limit all reach the hub, or a passer-by could jam a counter's
    outbox."""
    from kiosk.staff import SignInRefused

    site = sqlite_site
    g1 = site.kiosk("G1")
    for typed in ("", "\x07\x1b[2J", "Ü" * 500):
        with pytest.raises(SignInRefused):
            g1.kiosk.staff.sign_in(typed, "000000")
    assert g1.sync().delivered == 3
    assert refusals(site.db, "G1") == []


def test_a_body_past_the_cap_is_refused_before_it_is_read_whole(sqlite_site, monkeypatch):
    import hub.app

    monkeypatch.setattr(hub.app, "MAX_BODY", 4096)
    site = sqlite_site
    g1 = site.kiosk("G1")
    body = b'{"rows":[],"keys":[],"pad":"' + b"x" * 8192 + b'"}'
    response = post(g1, body)
    assert response.status_code == 413
    assert "at most 4096 bytes" in response.json()["detail"]
    [conflict] = refusals(site.db, "G1")
    assert "4096" in conflict.message_fr


def test_a_store_an_older_hub_poisoned_with_this_kiosks_serial_issues_past_it(sqlite_site):
    site = sqlite_site
    v1 = site.kiosk("V1", counter=Counter.VISITORS)
    annual = site.entry("approved_annual").accreditation.id
    with v1.store.writing() as s:  # as a feed from before the hub checked owners left it
        s.add(
            k.BadgeRow(
                serial="V1-000001",
                accreditation_id=annual,
                counter="groups",
                kiosk_id="G1",
                clerk="mallory",
                issued_at=DEMO_NOON,
                valid_from=DEMO_NOON.date(),
                valid_until=DEMO_NOON.date(),
                status="superseded",
            )
        )
    assert v1.issue(site.entry("bulk_annual_approved")).badge.serial == "V1-000002"


def test_a_delivery_of_the_wrong_shape_is_refused_and_recorded(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    for body in ({"rows": [{"id": 0}]}, {"rows": "all"}, b"not json"):
        response = post(g1, body)
        assert response.status_code == 422
        assert response.json()["detail"].startswith("malformed delivery at")
    assert len(refusals(site.db, "G1")) == 3
