"""Each badge a security post checks, journalled under the guard's name: the post's
answer, the reason's code, the serial and accreditation, and never a name or the text
that was scanned."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk import audit
from kiosk.model import Counter
from kiosk.post_journal import answer
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.store.schema import BadgeRow, JournalRow

GUARD, ANN = Actor("gus", Role.SECURITY), Actor("ann", Role.CLERK)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def last_entry(kiosk) -> JournalRow:
    with kiosk.store.reading() as s:
        row = s.scalars(select(JournalRow).order_by(JournalRow.id.desc()).limit(1)).one()
        s.expunge(row)
        return row


def handed_over(kiosk, a) -> str:
    serial = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge.serial
    with kiosk.store.writing() as s:
        s.get(BadgeRow, serial).status = "active"
    return serial


def test_a_check_is_journalled_with_the_posts_answer_and_no_name(kiosk, manifest):
    a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
    serial = handed_over(kiosk, a)
    code = kiosk.desk.cards.card(serial).badge_code
    verification = kiosk.security_post("DEFMIN").verify(code)
    assert verification.valid
    kiosk.post_journal("DEFMIN").record(verification, GUARD)
    row = last_entry(kiosk)
    assert (row.action, row.actor, row.badge_serial, row.accreditation_id, row.verdict) == (
        "post_check",
        "gus",
        serial,
        a["accreditation_id"],
        None,  # the verdict column holds a counter's verdicts
    )
    assert row.details == {"role": "security", "answer": "valid", "reason": "ok", "post": "DEFMIN"}
    written = audit.canonical(row).decode()
    person = verification.case.person
    assert person.surname not in written and person.given_names not in written
    assert code not in written


def test_answers_in_three_words(kiosk):
    post = kiosk.security_post()
    garbage = post.verify("BCDFGHJKLNPRSTVXBCDF")
    assert answer(garbage) == "not_valid"
    assert answer(post.verify("G1-999999")) == "undecided"  # a serial alone: scan the QR code
    assert answer(replace(garbage, valid=True)) == "valid"


def test_a_serial_the_hub_would_refuse_is_not_written(kiosk):
    garbage = kiosk.security_post().verify("BCDFGHJKLNPRSTVXBCDF")
    for odd in ("G1-1234567890", "g1-000042", "G1-000042\n"):
        kiosk.post_journal().record(replace(garbage, serial=odd), GUARD)
        assert last_entry(kiosk).badge_serial is None, odd


def test_only_a_role_that_checks_badges_journals_a_check(kiosk):
    garbage = kiosk.security_post().verify("BCDFGHJKLNPRSTVXBCDF")
    before = last_entry(kiosk).id
    with pytest.raises(AccessDenied):
        kiosk.post_journal().record(garbage, Actor("ada", Role.ADMINISTRATOR))
    assert last_entry(kiosk).id == before
