"""A kiosk's badge key: made when the first badge is signed, under the id it was given at
start ($KIOSK_BADGE_KEY_ID), the demo's ids on the demo world only, a new id honoured."""

from __future__ import annotations

import os
import threading
from unittest.mock import patch

import pytest
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk.codes import read_badge
from kiosk.counter import load_keyring
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from kiosk.services import KeyConflict
from kiosk.store.database import Store
from kiosk.store.schema import KeyRow
from printing.printer import Problem

ANN = Actor("ann", Role.CLERK)


def opened(data_dir, key_id: int | None = None, **kw):
    """A kiosk at the Groups counter, started with KIOSK_BADGE_KEY_ID=`key_id` if given."""
    env = {"KIOSK_BADGE_KEY_ID": str(key_id)} if key_id else {}
    with patch.dict(os.environ, env):
        if key_id is None:
            os.environ.pop("KIOSK_BADGE_KEY_ID", None)
        return open_kiosk(data_dir, Counter.GROUPS, purge_due=False, **kw)


def badge_keys(store: Store) -> dict[int, str | None]:
    with store.reading() as s:
        rows = s.scalars(select(KeyRow).where(KeyRow.purpose == "badge"))
        return {row.key_id: row.owner for row in rows}


@pytest.fixture
def bare_dir(tmp_path):
    """A kiosk store that is not the demo world: no manifest, no keys."""
    data_dir = tmp_path / "kiosk"
    Store.in_dir(data_dir).close()
    return data_dir


def test_a_kiosk_that_signs_nothing_makes_no_key(bare_dir):
    kiosk = opened(bare_dir, key_id=120)
    try:
        assert kiosk.desk.evaluate("not-a-code").failures[0].name == "code"
        assert badge_keys(kiosk.store) == {}
    finally:
        kiosk.close()
    assert not (bare_dir / "keys" / "badge-G1.key").exists()


def test_the_key_is_made_at_the_first_badge_under_the_id_given_at_start(bare_dir):
    kiosk = opened(bare_dir, key_id=120)
    try:
        signer = kiosk.desk.cards.signer()  # what the first badge's card asks for
        assert signer.key_id == 120 and kiosk.desk.cards.signer() is signer
        assert badge_keys(kiosk.store) == {120: "G1"}
    finally:
        kiosk.close()
    key_file = bare_dir / "keys" / "badge-G1.key"
    assert key_file.read_bytes()[0] == 120 and key_file.stat().st_mode & 0o077 == 0
    again = opened(bare_dir)  # held from now on, without the variable
    try:
        assert again.desk.cards.signer().public_bytes() == signer.public_bytes()
    finally:
        again.close()


def test_a_kiosk_named_g1_outside_the_demo_world_takes_no_demo_id(bare_dir):
    kiosk = opened(bare_dir)
    try:
        assert kiosk.desk.kiosk_id == "G1"
        assert kiosk.desk.cards.signer().key_id == 100  # not the demo's 65
    finally:
        kiosk.close()


def test_an_id_the_store_knows_is_refused_at_start_and_nothing_is_made(bare_dir):
    kiosk = opened(bare_dir, key_id=120)
    kiosk.desk.cards.signer()
    kiosk.close()
    (bare_dir / "keys" / "badge-G1.key").unlink()  # as if another kiosk held 120
    with pytest.raises(KeyConflict, match="key id 120 is already used"):
        opened(bare_dir, key_id=120)
    assert not (bare_dir / "keys" / "badge-G1.key").exists()


def test_a_new_id_gives_the_kiosk_a_new_key_and_old_badges_stay_valid(demo_dir, manifest, demo_now):
    a, b = (
        next(x for x in manifest["applicants"] if x["situation"] == situation)
        for situation in ("approved_ministerial", "pool_photographer")
    )
    kiosk = opened(demo_dir, clock=lambda: demo_now)
    try:
        old = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge.serial
        old_code = kiosk.desk.cards.card(old).badge_code
    finally:
        kiosk.close()
    kiosk = opened(demo_dir, key_id=121, clock=lambda: demo_now)
    try:
        new = kiosk.desk.issue(b["code"], read_mrz(b["mrz"]), ANN).badge.serial
        new_code = kiosk.desk.cards.card(new).badge_code
        keyring = load_keyring(kiosk.store, "badge")
        assert read_badge(old_code, keyring)[1] == 65  # the demo's G1 key, still trusted
        assert read_badge(new_code, keyring)[1] == 121
        assert badge_keys(kiosk.store)[121] == "G1"
    finally:
        kiosk.close()
    assert (demo_dir / "keys" / "badge-G1.key").read_bytes()[0] == 121


def test_the_print_and_the_preview_asking_at_once_get_one_key(bare_dir):
    # Both made a key under the same id: the second was refused, and the print failed.
    kiosk = opened(bare_dir)
    start = threading.Barrier(6)
    got: list = []

    def ask() -> None:
        start.wait()
        got.append(kiosk.desk.cards.signer().public_bytes())

    try:
        askers = [threading.Thread(target=ask) for _ in range(6)]
        for t in askers:
            t.start()
        for t in askers:
            t.join()
        assert len(got) == 6 and len(set(got)) == 1
        assert badge_keys(kiosk.store) == {100: "G1"}
    finally:
        kiosk.close()


def test_an_id_taken_after_start_fails_the_print_with_its_reason(demo_dir, manifest, demo_now):
    # Sync brought another kiosk's key under the id given at start before the first badge:
    # the key could not be made, and the print ended in an error with no message.
    kiosk = opened(demo_dir, key_id=121, clock=lambda: demo_now)
    try:
        with kiosk.store.writing() as s:  # what a sync page brings
            s.add(KeyRow(key_id=121, public_key=b"k" * 32, purpose="badge", owner="G9"))
        a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
        serial = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge.serial
        outcome = kiosk.printing.print_badge(serial, actor=ANN)
        assert (outcome.ok, outcome.problem) == (False, Problem.BADGE_KEY)
        assert outcome.message_en.startswith("This kiosk cannot sign badges")
        assert kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED
    finally:
        kiosk.close()
