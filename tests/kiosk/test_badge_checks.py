"""The security post's rules, one pure function each, over cases read from the demo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from kiosk.badge_checks import (
    STALE_AFTER,
    BadgeList,
    check_dates,
    check_event,
    check_key_owner,
    check_listed,
    check_status,
    check_today,
)
from kiosk.codes import BadgeClaim
from kiosk.model import BRUSSELS, Counter, Flow, Status
from kiosk.store.database import Store
from kiosk.store.records import load_case


@pytest.fixture(scope="module")
def cases(demo_master, manifest):
    """A ministerial case (DEFMIN, valid with UDCG) and an annual one, as the post reads them."""
    ids = {
        a["situation"]: a["accreditation_id"]
        for a in manifest["applicants"]
        if a["situation"] in ("approved_ministerial", "approved_annual")
    }
    store = Store.in_dir(demo_master)
    try:
        with store.reading() as s:
            return {situation: load_case(s, acc_id) for situation, acc_id in ids.items()}
    finally:
        store.close()


def claim(first: date, last: date, flow=Flow.EVENT, kiosk="G1", seq=7) -> BadgeClaim:
    event = "DEFMIN" if flow is Flow.EVENT else None
    return BadgeClaim(1, kiosk, seq, first, last, flow, Counter.GROUPS, event)


DAY = date(2026, 2, 14)  # the demo's day: DEFMIN runs 13-15.02, UDCG on the 14th
NOW = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)


def test_the_signing_key_must_be_the_named_kiosks():
    badge = claim(DAY, DAY)
    assert check_key_owner(badge, 65, "G1").ok
    other = check_key_owner(badge, 66, "V1")
    assert (other.ok, other.code) == (False, "wrong_kiosk")
    assert "names kiosk G1" in other.reason_en and "clé de V1" in other.reason_fr
    unknown = check_key_owner(badge, 66, None)
    assert (unknown.ok, unknown.code) == (False, "key_owner_unknown")
    assert "Sync" in unknown.reason_en and "Synchroniser" in unknown.reason_fr


@pytest.mark.parametrize(
    ("first", "last", "ok"),
    [
        (DAY - timedelta(days=1), DAY + timedelta(days=1), True),  # the counter's own days
        (DAY, DAY, True),  # fewer days is no harm
        (DAY - timedelta(days=2), DAY + timedelta(days=1), False),  # starts before
        (DAY - timedelta(days=1), DAY + timedelta(days=30), False),  # ends after
    ],
)
def test_an_event_badges_days_must_fit_its_media_days(cases, first, last, ok):
    found = check_dates(claim(first, last), cases["approved_ministerial"])
    assert found.ok is ok
    if not ok:
        assert found.code == "bad_dates"
        assert "13.02.2026–15.02.2026" in found.reason_en
        assert "dépassent" in found.reason_fr


def test_an_annual_badges_days_must_fit_its_year(cases):
    annual = cases["approved_annual"]
    year = annual.accreditation.year
    assert check_dates(claim(date(year, 1, 1), date(year, 12, 31), Flow.ANNUAL), annual).ok
    later = check_dates(claim(date(year, 1, 1), date(year + 1, 12, 31), Flow.ANNUAL), annual)
    assert (later.ok, later.code) == (False, "bad_dates")
    assert f"the year {year}" in later.reason_en


def test_an_event_the_post_does_not_know_is_no_licence(cases):
    case = replace(cases["approved_ministerial"], event=None)
    found = check_dates(claim(DAY, DAY), case)
    assert (found.ok, found.code) == (False, "unknown")


def test_a_listed_badge_passes_whatever_the_list():
    assert check_listed(claim(DAY, DAY), True, BadgeList(True), NOW).ok


def test_a_store_no_hub_feeds_is_the_whole_list():
    found = check_listed(claim(DAY, DAY), False, BadgeList(enrolled=False), NOW)
    assert (found.ok, found.code) == (False, "unknown_serial")
    assert "NEVER ISSUED" in found.reason_en and "JAMAIS DÉLIVRÉ" in found.reason_fr


def test_a_gap_below_the_kiosks_highest_serial_was_never_issued():
    found = check_listed(claim(DAY, DAY, seq=7), False, BadgeList(True, NOW, 9), NOW)
    assert (found.ok, found.code) == (False, "unknown_serial")
    assert "later badges of G1" in found.reason_en


def test_a_gap_in_a_list_a_failed_sync_left_may_be_filled_yet():
    partial = BadgeList(True, NOW, 9, complete=False)
    found = check_listed(claim(DAY, DAY, seq=7), False, partial, NOW)
    assert (found.ok, found.code) == (False, "unlisted")


def test_a_serial_above_the_list_may_be_newer_than_the_last_sync():
    synced = NOW - timedelta(seconds=20)
    found = check_listed(claim(DAY, DAY, seq=10), False, BadgeList(True, synced, 9), NOW)
    assert (found.ok, found.code) == (False, "unlisted")
    assert "issued after this post's last sync (14.02.2026 09:59)" in found.reason_en
    assert "radio" in found.reason_en and "par radio" in found.reason_fr
    assert "old" not in found.reason_en  # fresh: no age to worry about


def test_a_stale_list_says_how_old_it_is():
    synced = NOW - STALE_AFTER - timedelta(hours=2)
    found = check_listed(claim(DAY, DAY, seq=1), False, BadgeList(True, synced, None), NOW)
    assert found.code == "unlisted"
    assert "list 2\u00a0h\u00a005\u00a0min old" in found.reason_en
    assert "liste vieille de 2\u00a0h\u00a005\u00a0min" in found.reason_fr
    never = check_listed(claim(DAY, DAY, seq=1), False, BadgeList(True, None, None), NOW)
    assert "never synced" in never.reason_en and "jamais synchronisé" in never.reason_fr


@pytest.mark.parametrize(
    ("acc", "badge", "code"),
    [
        (Status.APPROVED, "active", "ok"),
        (Status.APPROVED, None, "ok"),  # not held: the list check speaks for it
        (Status.REVOKED, "active", "revoked"),
        (Status.APPROVED, "revoked", "revoked"),
        (Status.APPROVED, "preprinted", "not_handed_over"),
        (Status.APPROVED, "print_failed", "not_handed_over"),
        (Status.APPROVED, "superseded", "superseded"),
    ],
)
def test_status(acc, badge, code):
    found = check_status(acc, "G1-000007", badge, "G1-000009")
    assert (found.ok, found.code) == (code == "ok", code)


@pytest.mark.parametrize(
    ("today", "code"),
    [(DAY, "ok"), (DAY - timedelta(days=2), "not_yet_valid"), (DAY + timedelta(days=2), "expired")],
)
def test_today(today, code):
    found = check_today(claim(DAY - timedelta(days=1), DAY + timedelta(days=1)), today)
    assert found.code == code


def test_event_of_the_post(cases):
    ministerial = cases["approved_ministerial"]
    assert check_event(ministerial, None, None).ok  # HQ access
    udcg = replace(ministerial.event, id="UDCG", name="UDCG meeting", name_fr="")
    assert check_event(ministerial, "UDCG", udcg).ok  # declared valid with it
    nac = replace(udcg, id="NAC-SPECIAL", name="NAC")  # no French name: the English
    other = check_event(ministerial, "NAC-SPECIAL", nac)
    assert (other.ok, other.code, other.reason_fr) == (
        False,
        "wrong_event",
        "PAS VALABLE pour NAC : ne pas y laisser entrer son porteur.",
    )
    french = check_event(ministerial, "NAC-SPECIAL", replace(nac, name_fr="Session du CAN"))
    assert french.reason_en == "NOT VALID for NAC: do not let the holder in to it."
    assert (
        french.reason_fr == "PAS VALABLE pour Session du CAN : ne pas y laisser entrer son porteur."
    )
