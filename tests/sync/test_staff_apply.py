"""A kiosk takes staff accounts from the feed only as the hub writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kiosk.roles import Role, hash_pin
from kiosk.staff import SignInRefused, StaffBook
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow
from sync.staff_apply import apply_staff, staff_refusal

HASH = "scrypt$65536$8$1$c2FsdA==$ZGlnZXN0"
NOON = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def row(**changes) -> dict:
    return {"name": "Ann", "role": "clerk", "pin_hash": HASH, "disabled": False} | changes


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({}, None),
        ({"role": "root"}, "unknown role"),
        ({"name": "  Ann"}, "not as a kiosk keeps it"),
        ({"name": "A" * 81}, "at most 80"),
        ({"name": "Ann\x00"}, "not printable"),
        ({"name": 7}, "not text"),
        ({"disabled": "no"}, "not true or false"),
        ({"pin_hash": "482913"}, "not a scrypt hash"),
        ({"pin_hash": "scrypt$1073741824$8$1$c2FsdA==$ZA=="}, "out of bounds"),
        ({"pin_hash": None}, "not text"),
    ],
)
def test_a_staff_row_of_the_wrong_form_is_refused_with_its_reason(changes, why):
    refusal = staff_refusal(row(**changes))
    assert refusal is None if why is None else why in refusal


@pytest.mark.slow
@pytest.mark.parametrize(("local", "hub"), [("ann", "Ann"), ("élise", "Élise")])
def test_the_hubs_account_replaces_a_local_one_of_the_same_name_and_is_journalled(
    tmp_path, local, hub
):
    store = Store.in_dir(tmp_path)
    try:
        staff = StaffBook(store, lambda: NOON, "G1")
        staff.add(local, Role.SUPERVISOR, "111111")  # made here before enrolment
        hub_row = row(name=hub, pin_hash=hash_pin("482913"))
        for _ in range(2):  # the same page twice (a bundle applied again) changes once
            with store.writing() as s:
                apply_staff(s, [hub_row], NOON, "G1")
        with pytest.raises(SignInRefused):
            staff.sign_in(local, "111111")
        assert staff.sign_in(hub.upper(), "482913").role is Role.CLERK
        [account] = staff.accounts()
        assert account.from_hub and not account.disabled
        with store.reading() as s:
            taken = s.scalars(select(JournalRow).where(JournalRow.action == "staff_from_hub"))
            assert [(j.actor, j.details["change"]) for j in taken] == [("hub", "replaced")]
    finally:
        store.close()
