"""Rotating the hub's feed key: kiosks follow a signed hand-over, online and by bundle,
without being enrolled again; forged hand-overs and old keys are refused (docs/keys.md)."""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time

import pytest
from sqlalchemy import select

from hub.cli import main
from hub.clients import Role, enrol
from hub.database import HubDatabase, allocate, head, lock_changes, utc_now
from hub.feed_keys import list_feed_keys, retire, rotate
from hub.keys import FEED, KeyChangeRefused, ensure_keys, feed_public_key
from hub.schema import ClientRow, FeedKeyRow, HubKeyRow, JournalRow
from hub.transfer import export_bundle
from kiosk.codes import Signer
from kiosk.store.schema import AccreditationRow, SyncStateRow
from sync.client import FeedKeyRetired, FeedRejected
from sync.files import import_bundle
from sync.protocol import (
    SIGNATURE_HEADER,
    FeedSigner,
    ProtocolError,
    follow_handovers,
    read_answer,
    read_page,
)
from sync.state import enrol as enrol_kiosk
from sync.state import require_state


def _held(station) -> bytes:
    return require_state(station.store).hub_key


def _status(station, accreditation_id: int) -> str:
    with station.store.reading() as s:
        return s.get(AccreditationRow, accreditation_id).status


def _feed(site, station, cursor: int, key: bytes):
    """GET /v1/feed as `station`, naming `key` as the one it holds."""
    token = require_state(station.store).token
    params = {"cursor": cursor, "nonce": secrets.token_hex(8), "key": key.hex()}
    headers = {"Authorization": f"Bearer {token}"}
    return site.http("GET", "/v1/feed", params=params, headers=headers)


def test_a_kiosk_follows_the_hand_over_and_then_trusts_the_new_key_only(site):
    g1 = site.kiosk("G1")
    old = feed_public_key(site.db)
    assert _held(g1) == old
    key_id, start = rotate(site.db, utc_now(), "chief")
    new = feed_public_key(site.db)
    assert (key_id, new != old) == (1, True)
    entry = site.entry("approved_annual")
    site.revoke(entry.accreditation.id)  # a change after the hand-over
    g1.sync()
    assert _held(g1) == new
    assert _status(g1, entry.accreditation.id) == "revoked"
    with site.db.reading() as s:
        logged = s.scalars(select(JournalRow).where(JournalRow.action == "feed_key_rotate"))
        assert [(r.actor, r.details) for r in logged] == [
            ("chief", {"feed_key": 1, "starts_at": start})
        ]
    answer = _feed(site, g1, 0, new)
    assert answer.status_code == 200
    page = read_page(answer.content, answer.headers[SIGNATURE_HEADER], new)
    assert page.entities["feed_keys"] == []  # the hand-over it holds is not sent again
    with pytest.raises(ProtocolError, match="does not verify"):
        read_page(answer.content, answer.headers[SIGNATURE_HEADER], old)
    # A page the old key signs (the hub still signs for kiosks behind) is refused now.
    stale = _feed(site, g1, require_state(g1.store).cursor, old)
    assert stale.status_code == 200
    with pytest.raises(ProtocolError, match="does not verify"):
        read_page(stale.content, stale.headers[SIGNATURE_HEADER], _held(g1))


def test_a_kiosk_offline_across_two_rotations_catches_up_page_by_page(sqlite_site):
    site = sqlite_site
    early = site.kiosk("G1", page_limit=1)  # a change a page: each hand-over its own
    post = site.kiosk("SEC1", Role.SECURITY)
    first = feed_public_key(site.db)
    annual, ministerial = site.entry("approved_annual"), site.entry("approved_ministerial")
    rotate(site.db, utc_now())
    site.revoke(annual.accreditation.id)
    rotate(site.db, utc_now())
    site.revoke(ministerial.accreditation.id)
    assert _held(early) == first
    done = early.sync()
    assert done.pages >= 4
    assert _held(early) == feed_public_key(site.db)
    with site.db.reading() as s:
        assert done.cursor == head(s)
    assert _status(early, annual.accreditation.id) == "revoked"
    assert _status(early, ministerial.accreditation.id) == "revoked"
    post.sync()  # a security post follows the same hand-overs
    assert _held(post) == feed_public_key(site.db)
    late = site.kiosk("G2", page_limit=3)  # enrolled now: it holds the newest key from 0
    assert _held(late) == feed_public_key(site.db)
    assert _status(late, annual.accreditation.id) == "revoked"


def _forge(site, signer: FeedSigner) -> None:
    """A hand-over at the hub signed by `signer` (a hub's database tampered with)."""
    fake = Signer.generate(9)
    with site.db.writing() as s:
        lock_changes(s)
        start = allocate(s)
        public = fake.public_bytes()
        s.add(
            FeedKeyRow(
                key_id=9,
                public_key=public,
                private_key=fake.private_bytes(),
                starts_at=start,
                handover=signer.sign_handover(site.db.hub_id, 9, public, start),
                created_at=utc_now(),
                seq=start,
            )
        )


@pytest.mark.parametrize("forger", ["another key", "the old key after the switch"])
def test_a_forged_hand_over_refuses_the_whole_page(sqlite_site, forger, caplog):
    site = sqlite_site
    g1 = site.kiosk("G1")
    with site.db.reading() as s:
        old = FeedSigner(s.get(HubKeyRow, FEED).private_key)
    if forger == "another key":
        signer = FeedSigner(Signer.generate(1).private_bytes())
    else:
        rotate(site.db, utc_now())
        g1.sync()
        signer = old
    held, cursor = _held(g1), require_state(g1.store).cursor
    entry = site.entry("approved_annual")
    site.revoke(entry.accreditation.id)  # in the same page as the forged hand-over
    _forge(site, signer)
    with caplog.at_level(logging.WARNING), pytest.raises(FeedRejected, match="not signed by"):
        g1.sync()
    assert "feed page refused" in caplog.text
    assert (_held(g1), require_state(g1.store).cursor) == (held, cursor)
    assert _status(g1, entry.accreditation.id) != "revoked"


def test_hand_overs_chain_and_a_broken_link_is_refused():
    a, b, c = (Signer.generate(n) for n in (0, 1, 2))

    def handover(by: Signer, to: Signer, start: int) -> dict:
        sig = FeedSigner(by.private_bytes()).sign_handover(
            "hub-x", to.key_id, to.public_bytes(), start
        )
        return {
            "key_id": to.key_id,
            "public_key": to.public_bytes(),
            "starts_at": start,
            "handover": sig,
        }

    chain = [handover(b, c, 20), handover(a, b, 10)]  # any order: taken by start
    assert follow_handovers(a.public_bytes(), "hub-x", chain) == c.public_bytes()
    with pytest.raises(ProtocolError, match="not signed by"):
        follow_handovers(a.public_bytes(), "hub-y", chain)  # another hub's hand-over
    with pytest.raises(ProtocolError, match="not signed by"):
        follow_handovers(a.public_bytes(), "hub-x", [handover(a, b, 11) | {"starts_at": 12}])
    with pytest.raises(ProtocolError, match="malformed"):
        follow_handovers(a.public_bytes(), "hub-x", [handover(a, b, 10) | {"starts_at": "10"}])


def test_bundles_are_signed_with_the_key_their_kiosk_holds(sqlite_site, tmp_path):
    site = sqlite_site
    g1 = site.kiosk("G1")
    old = _held(g1)
    rotate(site.db, utc_now())
    entry = site.entry("approved_annual")
    site.revoke(entry.accreditation.id)
    across = tmp_path / "across.bundle"
    since = require_state(g1.store).cursor
    pages, _ = export_bundle(site.db, "G1", across, utc_now(), since=since, limit=1)
    assert pages >= 2  # the hand-over's page signed by the old key, the next by the new
    assert import_bundle(g1.store, across).pages == pages
    assert _held(g1) != old and _held(g1) == feed_public_key(site.db)
    assert _status(g1, entry.accreditation.id) == "revoked"
    site.revoke(site.entry("approved_ministerial").accreditation.id)
    after = tmp_path / "after.bundle"
    export_bundle(site.db, "G1", after, utc_now(), since=require_state(g1.store).cursor)
    assert import_bundle(g1.store, after).entities > 0  # signed by the new key
    with pytest.raises(ProtocolError, match="does not verify"):
        import_bundle(g1.store, across)  # the old key's bundle is refused now
    g1.sync()  # and online sync goes on with the new key


def test_a_kiosk_enrolled_again_after_a_rotation_gets_bundles_in_the_new_key(sqlite_site, tmp_path):
    site = sqlite_site
    g2 = site.kiosk("G2")
    rotate(site.db, utc_now())
    token = enrol(site.db, "G2", Role.COUNTER, renew=True)
    enrol_kiosk(g2.store, site.enrolment("G2", Role.COUNTER, token))  # keeps its cursor
    assert _held(g2) == feed_public_key(site.db)
    bundle = tmp_path / "renewed.bundle"
    export_bundle(site.db, "G2", bundle, utc_now(), since=require_state(g2.store).cursor)
    assert import_bundle(g2.store, bundle).pages == 1
    assert _held(g2) == feed_public_key(site.db)


def test_the_cursor_ahead_answer_is_signed_with_the_key_the_kiosk_holds(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    old = _held(g1)
    rotate(site.db, utc_now())
    g1.sync()
    new = _held(g1)
    ahead = _feed(site, g1, 10**6, new)
    assert ahead.status_code == 409
    read_answer(ahead.content, ahead.headers[SIGNATURE_HEADER], new)
    with pytest.raises(ProtocolError):
        read_answer(ahead.content, ahead.headers[SIGNATURE_HEADER], old)
    with g1.store.writing() as s:  # as if the hub were restored from an older backup
        s.get(SyncStateRow, 1).cursor = 10**6
    g1.sync()  # pulls again from 0 with the new key: the old hand-over is not resent
    assert _held(g1) == new
    with site.db.reading() as s:
        assert require_state(g1.store).cursor == head(s)


def _wait_for_the_note(db: HubDatabase, kiosk: str, cursor: int) -> None:
    """Until the hub has noted `kiosk` pulling from `cursor`: it writes that note after
    sending the page, so a quick kiosk's round can end before it (hub/app.py)."""
    deadline = time.monotonic() + 30
    while True:
        with db.reading() as s:
            if s.get(ClientRow, kiosk).cursor >= cursor:
                return
        assert time.monotonic() < deadline, f"the hub never noted {kiosk} at {cursor}"
        time.sleep(0.01)


def test_a_retired_feed_key_signs_nothing_and_its_kiosks_are_named(sqlite_site):
    site = sqlite_site
    ahead, behind = site.kiosk("G1"), site.kiosk("G2")
    old = _held(behind)
    rotate(site.db, utc_now())
    ahead.sync()
    ahead.sync()  # the hub notes the cursor it pulls from: past the hand-over
    _wait_for_the_note(site.db, "G1", require_state(ahead.store).cursor)
    with pytest.raises(KeyChangeRefused, match="signs the feed now"):
        retire(site.db, 1, utc_now())
    assert retire(site.db, 0, utc_now()) == ["G2"]
    with pytest.raises(KeyChangeRefused, match="retired already"):
        retire(site.db, 0, utc_now())
    assert _feed(site, behind, 0, old).status_code == 410
    with pytest.raises(FeedKeyRetired, match="enrol the kiosk again"):
        behind.sync()
    assert require_state(behind.store).last_error_code == "feed_key_retired"
    ahead.sync()
    with site.db.reading() as s:
        assert s.get(FeedKeyRow, 0).private_key == b""
    assert [(k, r is not None, signs) for k, _, r, signs in list_feed_keys(site.db)] == [
        (0, True, False),
        (1, False, True),
    ]


def test_the_feed_key_commands(sqlite_site, capsys):
    site = sqlite_site
    site.kiosk("G1")
    url = str(site.db.engine.url)
    assert main(["keys", "rotate", "feed", "--operator", "chief", "--db", url]) == 0
    assert "signed with key 1" in capsys.readouterr().out
    assert main(["keys", "retire", "feed", "1", "--db", url]) == 1
    assert "rotate feed` first" in capsys.readouterr().err
    assert main(["keys", "retire", "feed", "0", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "feed key 0 retired" in out and "enrol them again" in out and "G1" in out
    assert main(["keys", "list", "--db", url]) == 0
    feed = [line.split() for line in capsys.readouterr().out.splitlines() if " feed " in line]
    assert [(r[0], r[3], r[-1]) for r in feed] == [
        ("0", "retired", feed[0][-1]),
        ("1", "trusted", "yes"),
    ]
    with pytest.raises(SystemExit, match="retire feed KEY_ID"):
        main(["keys", "retire", "feed", "--db", url])


def test_a_version_10_hub_lists_its_feed_key_and_can_rotate_it(tmp_path):
    path = tmp_path / "hub.sqlite3"
    db = HubDatabase(f"sqlite:///{path}")
    ensure_keys(db)
    first = feed_public_key(db)
    db.close()
    with sqlite3.connect(path) as con:  # as a version 10 hub left it
        con.execute("DROP TABLE feed_keys")
        con.execute("UPDATE hub_meta SET value = '10' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    ensure_keys(db)
    with db.reading() as s:
        [row] = s.scalars(select(FeedKeyRow))
        assert (row.key_id, row.public_key, row.starts_at, row.seq) == (0, first, 0, 0)
    assert rotate(db, utc_now())[0] == 1
    assert feed_public_key(db) != first
    db.close()
