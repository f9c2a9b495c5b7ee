"""The feed's per-request reads in one statement (hub/feed_keys.py `caller_and_signer`)
answer what `client_holding` and `signer_on` answer, read one by one, for every token
and every key a request can name."""

from __future__ import annotations

from datetime import timedelta

from hub.clients import Role, client_holding, enrol, revoke
from hub.database import utc_now
from hub.feed_keys import FeedKey, caller_and_signer, list_feed_keys, retire, rotate, signer_on
from hub.keys import ensure_keys, feed_public_key


def _key(held: FeedKey | None) -> tuple | None:
    if held is None:
        return None
    signer = held.signer
    return held.key_id, held.public_key, held.starts_at, signer and signer.sign(b"probe")


def _agree(db, tokens: list[str], keys: list[bytes | None]) -> int:
    """Checks every pair; returns how many named a client."""
    known = 0
    with db.snapshot() as conn:
        for token in tokens:
            for key in keys:
                client, held = caller_and_signer(conn, token, key)
                assert client == client_holding(conn, token), (token, key)
                assert _key(held) == _key(signer_on(conn, key)), (token, key)
                known += client is not None
    return known


def test_one_read_answers_as_the_two(hub_db):
    db = hub_db
    ensure_keys(db)
    tokens = [
        enrol(db, "G1", Role.COUNTER),
        enrol(db, "S1", Role.SECURITY),
        enrol(db, "OF1", Role.OFFICE),
        enrol(db, "G2", Role.COUNTER),
        "not-a-token",
        "",
    ]
    first = feed_public_key(db)
    keys = [None, first, b"\x00" * 32, first[:31]]
    assert _agree(db, tokens, keys) == 4 * len(keys)
    now = utc_now()
    rotate(db, now)
    keys.append(feed_public_key(db))
    assert _agree(db, tokens, keys) == 4 * len(keys)
    revoke(db, "G2", "stolen", now)
    rotate(db, now + timedelta(seconds=1))
    keys.append(feed_public_key(db))
    oldest = list_feed_keys(db)[0][0]
    retire(db, oldest, now + timedelta(seconds=2))  # its kiosks get 410
    assert _agree(db, tokens, keys) == 3 * len(keys)
