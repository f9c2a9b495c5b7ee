"""A badge's life after the counter, through the real store: lost, stolen, damaged, found,
returned; the journal entry of each; bad input refused with a sentence, nothing changed;
the post's reason; the counter's replacement needing a supervisor; the person's history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk.badge_life import LifeEvent, LifeRefused
from kiosk.codes import Keyring, Signer, badge_code
from kiosk.counter import NotIssued
from kiosk.model import BadgeStatus, Counter, Verdict
from kiosk.overview import day_overview
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.store.schema import BadgeEventRow, BadgeRow, JournalRow
from kiosk.verify import verify_badge
from tests.kiosk.test_verify import claim_of

ANN, SUE = Actor("ann", Role.CLERK), Actor("sue", Role.SUPERVISOR)
SAM = Actor("sam", Role.SECURITY)
KEY = Signer.from_private_bytes(70, bytes(range(3, 35)))


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def applicant(manifest, situation):
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def hand_over(kiosk, a):
    """Issue and print `a`'s badge: active, as the applicant leaves with it."""
    done = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN)
    with kiosk.store.writing() as s:
        s.get(BadgeRow, done.badge.serial).status = BadgeStatus.ACTIVE.value
    return done.badge


def snapshot(kiosk):
    with kiosk.store.reading() as s:
        return (
            s.execute(select(BadgeRow.serial, BadgeRow.status)).all(),
            s.execute(select(JournalRow.id)).all(),
            s.execute(select(BadgeEventRow.journal_id)).all(),
        )


def test_lost_badge_is_voided_journalled_and_refused_at_the_post(kiosk, manifest, demo_now):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    text = badge_code(KEY, claim_of(badge, a))
    # The claim names the kiosk that issued it: the key must be that kiosk's.
    keys = Keyring({KEY.key_id: KEY.public_bytes()}, {KEY.key_id: badge.kiosk_id})
    with kiosk.store.reading() as s:
        assert verify_badge(text, keys, s, demo_now).valid

    lost = kiosk.life.record(badge.serial, LifeEvent.LOST, SUE, "lost in the press centre")
    assert lost.status is BadgeStatus.LOST
    with kiosk.store.reading() as s:
        entry = s.scalar(select(JournalRow).order_by(JournalRow.id.desc()).limit(1))
        event = s.scalar(select(BadgeEventRow).where(BadgeEventRow.serial == badge.serial))
        v = verify_badge(text, keys, s, demo_now)
    assert (entry.action, entry.actor, entry.badge_serial) == ("badge_lost", "sue", badge.serial)
    assert entry.details["before"] == "active" and entry.details["role"] == "supervisor"
    assert (event.journal_id, event.event, event.actor) == (entry.id, "lost", "sue")
    assert not v.valid and v.reason == "lost"
    assert v.reason_en.startswith("REPORTED LOST") and "DÉCLARÉ PERDU" in v.reason_fr
    assert kiosk.desk.kiosk_id in v.reason_en  # where it was reported


@pytest.mark.parametrize(
    ("event", "reason"),
    [(LifeEvent.STOLEN, "REPORTED STOLEN"), (LifeEvent.DAMAGED, "REPORTED DAMAGED")],
)
def test_stolen_and_damaged_badges_say_so_at_the_post(kiosk, manifest, demo_now, event, reason):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    kiosk.life.record(badge.serial, event, SUE)
    keys = Keyring({KEY.key_id: KEY.public_bytes()}, {KEY.key_id: badge.kiosk_id})
    with kiosk.store.reading() as s:
        v = verify_badge(badge_code(KEY, claim_of(badge, a)), keys, s, demo_now)
    assert v.reason == event.value and v.reason_en.startswith(reason)


def test_a_replacement_after_a_loss_needs_a_supervisor(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    kiosk.life.record(badge.serial, LifeEvent.LOST, SUE)
    decision = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]))
    assert decision.verdict is Verdict.SUPERVISOR
    assert "reported lost" in decision.headline_en and "déclaré perdu" in decision.headline_fr
    with pytest.raises(NotIssued):
        kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN)
    new = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, SUE, "lost, reported by phone")
    assert new.badge.serial != badge.serial
    assert kiosk.desk.prints.badge(badge.serial).status is BadgeStatus.LOST  # stays lost


def test_found_follows_a_loss_only_and_the_history_tells_it_all(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    before = snapshot(kiosk)
    with pytest.raises(LifeRefused) as never_lost:
        kiosk.life.record(badge.serial, LifeEvent.FOUND, ANN)
    assert "never reported lost" in never_lost.value.message_en
    assert "jamais été déclaré perdu" in never_lost.value.message_fr
    assert snapshot(kiosk) == before

    kiosk.life.record(badge.serial, LifeEvent.STOLEN, SUE)
    found = kiosk.life.record(badge.serial, LifeEvent.FOUND, ANN, "handed in by a guard")
    assert found.status is BadgeStatus.FOUND
    history = kiosk.life.history(a["registration"], ANN)
    assert [(line.what, line.who) for line in history.lines] == [
        ("issued", "ann"),
        ("stolen", "sue"),
        ("found", "ann"),
    ]
    assert history.lines[-1].note == "handed in by a guard"
    assert kiosk.life.history(badge.serial, ANN) == history


def test_bad_input_is_refused_with_a_sentence_and_changes_nothing(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    kiosk.life.record(badge.serial, LifeEvent.LOST, SUE)
    before = snapshot(kiosk)
    cases = [
        ("G7-999999", LifeEvent.LOST, SUE, "There is no badge G7-999999"),
        ("not a serial", LifeEvent.RETURNED, ANN, "There is no badge"),
        ("", LifeEvent.RETURNED, ANN, "(blank)"),
        (badge.serial, LifeEvent.LOST, SUE, "was already reported lost on"),
        (badge.serial, LifeEvent.RETURNED, ANN, "was already reported lost"),
    ]
    for serial, event, who, expected in cases:
        with pytest.raises(LifeRefused) as err:
            kiosk.life.record(serial, event, who)
        assert expected in err.value.message_en, err.value.message_en
        assert err.value.message_fr and "Error" not in err.value.message_en
    with pytest.raises(LifeRefused, match="at most"):
        kiosk.life.record(badge.serial, LifeEvent.FOUND, ANN, "x" * 4001)
    with pytest.raises(LifeRefused, match="Neither a badge nor an accreditation"):
        kiosk.life.history("Z-1", ANN)
    assert snapshot(kiosk) == before


def test_a_returned_badge_cannot_be_returned_again(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    kiosk.life.record(badge.serial, LifeEvent.RETURNED, ANN)
    before = snapshot(kiosk)
    with pytest.raises(LifeRefused) as err:
        kiosk.life.record(badge.serial, LifeEvent.RETURNED, ANN)
    assert f"Badge {badge.serial} was already returned on" in err.value.message_en
    assert "a déjà été rendu" in err.value.message_fr
    assert snapshot(kiosk) == before


def test_roles_a_clerk_takes_cards_back_but_cannot_void_one(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    before = snapshot(kiosk)
    for event in (LifeEvent.LOST, LifeEvent.STOLEN, LifeEvent.DAMAGED):
        with pytest.raises(AccessDenied):
            kiosk.life.record(badge.serial, event, ANN)
    with pytest.raises(AccessDenied):
        kiosk.life.record(badge.serial, LifeEvent.RETURNED, SAM)
    with pytest.raises(AccessDenied):
        kiosk.life.history(badge.serial, SAM)
    assert snapshot(kiosk) == before


def test_a_returned_annual_badge_is_void_and_counted_in_the_day(demo_dir, manifest, demo_now):
    k = open_kiosk(demo_dir, Counter.VISITORS, clock=lambda: demo_now)
    try:
        a = applicant(manifest, "approved_annual")
        badge = hand_over(k, a)
        k.life.record(badge.serial, LifeEvent.RETURNED, ANN, "leaves the Brussels office")
        day = day_overview(k.store, demo_now.date())
        assert day.life == {"returned": 1}
        assert day.issued_total >= 1  # it was handed over that day all the same
        assert k.desk.prints.badge(badge.serial).status is BadgeStatus.RETURNED
    finally:
        k.close()


def test_a_scanned_badge_names_its_serial_and_a_forged_one_is_refused(kiosk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = hand_over(kiosk, a)
    code = kiosk.desk.cards.card(badge.serial).badge_code
    assert kiosk.life.serial_of(code) == badge.serial
    assert kiosk.life.serial_of(f" {badge.serial.lower()} ") == badge.serial
    forged = code[:-3] + ("B" if code[-3] != "B" else "C") + code[-2:]
    with pytest.raises(LifeRefused, match="Not a badge of this site"):
        kiosk.life.serial_of(forged)
