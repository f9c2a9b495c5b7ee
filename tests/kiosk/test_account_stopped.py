"""A session whose account was disabled, or given another role, since it signed in does
nothing more: every action it starts is refused inside its own transaction, changing
nothing, while work already under way (a print's outcome) still lands."""

from __future__ import annotations

import sqlite3
from datetime import time

import pytest
from sqlalchemy import func, select

from app.wiring import open_kiosk, read_mrz
from kiosk.badge_life import LifeEvent
from kiosk.hours import Span
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from kiosk.staff import AccountStopped
from kiosk.store.schema import BadgeRow, JournalRow

# The demo's accounts (app/demo): the names the staff book holds.
CLERK, SUPERVISOR = Actor("clerk", Role.CLERK), Actor("supervisor", Role.SUPERVISOR)
GUARD, ADMIN = Actor("security", Role.SECURITY), Actor("admin", Role.ADMINISTRATOR)
ANN = Actor("ann", Role.CLERK)  # no account here: as the tests' other actors


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def applicant(manifest, situation):
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def issued(kiosk, manifest, situation="approved_ministerial", status=BadgeStatus.ACTIVE):
    a = applicant(manifest, situation)
    serial = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge.serial
    with kiosk.store.writing() as s:
        s.get(BadgeRow, serial).status = status.value
    return serial


def journal_length(kiosk) -> int:
    with kiosk.store.reading() as s:
        return s.scalar(select(func.count()).select_from(JournalRow))


def life(kiosk, manifest):
    serial = issued(kiosk, manifest)
    return SUPERVISOR, lambda: kiosk.life.record(serial, LifeEvent.LOST, SUPERVISOR)


def handoff(kiosk, manifest):
    a = applicant(manifest, "pending")
    decision = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]))
    return CLERK, lambda: kiosk.handoffs.hand_off(decision, CLERK)


def pool(kiosk, manifest):
    who = applicant(manifest, "pool_photographer")["accreditation_id"]
    return CLERK, lambda: kiosk.pool.hand_out("DEFMIN-PHOTO", who, CLERK)


def retry(kiosk, manifest):
    serial = issued(kiosk, manifest, status=BadgeStatus.PRINT_FAILED)
    return CLERK, lambda: kiosk.desk.prints.retry_print(serial, CLERK)


def preprint(kiosk, manifest):
    acc = applicant(manifest, "approved_ministerial")["accreditation_id"]
    return SUPERVISOR, lambda: kiosk.desk.prints.preprint(acc, SUPERVISOR, "DEFMIN@1")


def hours(kiosk, manifest):
    span = Span(Counter.VISITORS, time(7), time(8), weekday=6)
    return ADMIN, lambda: kiosk.hours.add(span, ADMIN)


def staff(kiosk, manifest):
    return ADMIN, lambda: kiosk.staff.unlock("clerk", by=ADMIN)


def post_check(kiosk, manifest):
    verification = kiosk.security_post().verify("BCDFGHJKLNPRSTVXBCDF")
    return GUARD, lambda: kiosk.post_journal().record(verification, GUARD)


ACTIONS = (life, handoff, pool, retry, preprint, hours, staff, post_check)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.__name__)
def test_an_action_of_a_disabled_account_is_refused_and_changes_nothing(kiosk, manifest, action):
    actor, act = action(kiosk, manifest)
    if actor is ADMIN:  # the last administrator cannot be disabled: a second one first
        kiosk.staff.add("admin2", Role.ADMINISTRATOR, "987654")
    before = journal_length(kiosk)
    kiosk.staff.disable(actor.name)  # by the operator at the shell (or a sync round)
    after_disabling = journal_length(kiosk)
    with pytest.raises(AccountStopped) as stopped:
        act()
    assert stopped.value.message_en == (
        f"{actor.name}'s account is disabled: sign in with another account."
    )
    assert journal_length(kiosk) == after_disabling == before + 1  # the disabling only
    kiosk.staff.enable(actor.name)
    act()  # enabled again: the same action goes through
    assert journal_length(kiosk) > after_disabling + 1


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.__name__)
def test_an_action_of_an_account_whose_role_changed_is_refused(kiosk, demo_dir, manifest, action):
    actor, act = action(kiosk, manifest)
    other = "clerk" if actor.role is not Role.CLERK else "supervisor"
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # as the hub's staff feed
        db.execute("update staff set role = ? where name = ?", (other, actor.name))
    before = journal_length(kiosk)
    with pytest.raises(AccountStopped, match="role has changed: sign in again"):
        act()
    assert journal_length(kiosk) == before


def test_a_print_under_way_still_lands_after_its_clerk_was_disabled(kiosk, manifest):
    serial = issued(kiosk, manifest, status=BadgeStatus.PRINTING)
    job = kiosk.desk.prints.print_sent(serial, "CardPrinter1", "CardPrinter1-7", CLERK)
    kiosk.staff.disable("clerk")
    assert kiosk.desk.prints.print_done(job.id, CLERK).status is BadgeStatus.ACTIVE


def test_a_session_asks_whether_it_must_end(kiosk):
    assert kiosk.staff.session_stopped(CLERK) is None
    assert kiosk.staff.session_stopped(ANN) is None  # no account here: the feed, the shell
    kiosk.staff.disable("clerk")
    assert "disabled" in kiosk.staff.session_stopped(CLERK).message_en
