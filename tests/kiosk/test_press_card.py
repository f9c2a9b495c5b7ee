"""The press card the clerk saw, through the real store: the same card as used to apply
issues, another card or an expired one is a supervisor's case, and the journal keeps it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk.counter import NotIssued
from kiosk.desk_checks import PressCardError, read_press_card
from kiosk.model import Counter, PressCardSeen, Verdict
from kiosk.roles import Actor, Role
from kiosk.store.schema import JournalRow

ANN, SUE = Actor("ann", Role.CLERK), Actor("sue", Role.SUPERVISOR)
CARDS = {
    "same": PressCardSeen("pc fra 40001", "CCIJP", date(2027, 12, 31)),
    "other": PressCardSeen("PC-FRA-99999", "CCIJP", date(2027, 12, 31)),
    "expired": PressCardSeen("PC-FRA-40001", "CCIJP", date(2026, 1, 31)),
}


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def last_entry(k) -> JournalRow:
    with k.store.reading() as s:
        return s.scalar(select(JournalRow).order_by(JournalRow.id.desc()).limit(1))


def test_demo_cases_press_card(kiosk, manifest):
    for case in manifest["desk_cases"]["press_card"]:
        a = applicant(manifest, case["situation"])
        d = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]), press_card=CARDS[case["card"]])
        assert d.verdict.value == case["expect"], (case, d.headline_en)


def test_same_card_is_said_and_journalled_with_the_issue(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    done = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, press_card=CARDS["same"])
    check = next(c for c in done.decision.checks if c.name == "press_card")
    assert check.ok and check.reason_en == "Same press card as used to apply."
    entry = last_entry(kiosk)
    assert entry.action == "issue"
    assert entry.details["press_card"] == {
        "issuer": "CCIJP",
        "expiry": "2027-12-31",
        "number_tail": "0001",
        "same_as_applied": True,
        "accepted": True,
    }


def test_another_card_needs_a_supervisor_who_may_accept_it(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    with pytest.raises(NotIssued):
        kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, press_card=CARDS["other"])
    refusal = last_entry(kiosk)
    assert (refusal.action, refusal.verdict) == ("refusal", "supervisor")
    assert refusal.details["failed"] == ["press_card"]
    assert refusal.details["press_card"]["same_as_applied"] is False
    assert "99999" not in str(refusal.details)  # the journal keeps the number's tail only
    done = kiosk.desk.issue(
        a["code"], read_mrz(a["mrz"]), ANN, SUE, "renewed card, seen", press_card=CARDS["other"]
    )
    entry = last_entry(kiosk)
    assert (entry.action, entry.badge_serial, entry.details["supervisor"]) == (
        "issue",
        done.badge.serial,
        "sue",
    )
    assert entry.details["press_card"]["accepted"] is False


def test_an_expired_card_is_a_supervisor_case(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    d = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]), press_card=CARDS["expired"])
    assert d.verdict is Verdict.SUPERVISOR
    assert d.headline_en == "The press card shown expired on 31.01.2026: a supervisor must decide."


def test_a_card_shown_by_an_applicant_who_applied_with_a_letter_is_only_noted(kiosk, manifest):
    a = applicant(manifest, "editor_letter")
    d = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]), press_card=CARDS["other"])
    assert d.verdict is Verdict.ISSUE
    check = next(c for c in d.checks if c.name == "press_card")
    assert check.reason_en == "Press card recorded; the application's proof is a letter."


@pytest.mark.parametrize(
    ("number", "issuer", "expiry", "message"),
    [
        ("", "CCIJP", "2027-01-01", "Type the press card's number"),
        ("--", "CCIJP", "2027-01-01", "Type the press card's number"),
        ("X" * 61, "CCIJP", "2027-01-01", "Type the press card's number"),
        ("PC1", " ", "2027-01-01", "Type the body that issued the press card"),
        ("PC1", "CCIJP", "31.12.2027", "The press card's expiry '31.12.2027' is not a date"),
        # Python's date.fromisoformat took ISO week and basic dates the form never offers.
        ("PC1", "CCIJP", "2026-W52-1", "The press card's expiry '2026-W52-1' is not a date"),
        ("PC1", "CCIJP", "20271231", "The press card's expiry '20271231' is not a date"),
        # A NUL was recorded into the card's number, the journal and the ledger.
        ("PC\x001", "CCIJP", "2027-01-01", "'PC\\x001' must be one line of text"),
        ("PC1", "CC\x1bIJP", "2027-01-01", "'CC\\x1bIJP' must be one line of text"),
        # "No card" typed as a card was recorded as card N/A seen.
        ("N/A", "CCIJP", "2027-01-01", "'N/A' is no press card number"),
        ("none", "CCIJP", "2027-01-01", "'none' is no press card number"),
        ("n/a", "CCIJP", "2027-01-01", "'n/a' is no press card number"),
    ],
)
def test_a_card_typed_wrong_is_refused_with_a_sentence(number, issuer, expiry, message):
    with pytest.raises(PressCardError) as refused:
        read_press_card(number, issuer, expiry)
    assert refused.value.message_en.startswith(message) and refused.value.message_fr
