"""Rotating the hub's feed key without re-enrolling the kiosks (docs/keys.md).

`rotate` makes a new feed key and a hand-over: its public half, id and start (the change
number the hand-over takes in the feed), signed by the key before it. The hand-over
travels in the feed (`feed_keys`) in a page the old key signs; a kiosk takes it in that
page's transaction. The hub signs each answer with the key the kiosk says it holds
(`signer_for`), so a kiosk offline for a week still catches up with the old key, and
each page of a bundle with the key its kiosk holds when it reaches it (`bundle_signer`).
`retire`
drops an old key's private half: kiosks still holding it must be enrolled again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, func, select
from sqlalchemy.orm import Session

from hub.clients import Client, Role, client_holding, token_digest
from hub.database import HubDatabase, allocate, lock_changes
from hub.keys import FEED, KeyChangeRefused, ensure_keys
from hub.purge import journal
from hub.schema import ClientRow, FeedKeyRow, HubKeyRow, JournalKeyRow
from kiosk.codes import Signer
from sync.protocol import FeedSigner


@dataclass(frozen=True)
class FeedKey:
    """A feed key as the hub signs with it: None for a retired one's signer."""

    key_id: int
    public_key: bytes
    starts_at: int
    signer: FeedSigner | None


_ALL_KEYS = select(FeedKeyRow.__table__).order_by(FeedKeyRow.starts_at)


def _keys(db: HubDatabase) -> list:
    """The feed keys as Core rows, oldest first."""
    with db.snapshot() as conn:
        return list(conn.execute(_ALL_KEYS))


_SIGNERS: dict[int, tuple[bytes, FeedSigner]] = {}  # by key id: each key parsed once


def _feed_key(row) -> FeedKey:
    """The row's key and signer; a retired key has none (and leaves the cache)."""
    return _key_of(row, retired=row.retired_at is not None)


def _key_of(row, retired: bool) -> FeedKey:
    """`_feed_key` for a row whose retirement is read apart (`retired`)."""
    if retired:
        _SIGNERS.pop(row.key_id, None)
        return FeedKey(row.key_id, row.public_key, row.starts_at, None)
    cached = _SIGNERS.get(row.key_id)
    if cached is None or cached[0] != row.private_key:
        cached = _SIGNERS[row.key_id] = (row.private_key, FeedSigner(row.private_key))
    return FeedKey(row.key_id, row.public_key, row.starts_at, cached[1])


def signer_for(db: HubDatabase, public_key: bytes | None) -> FeedKey | None:
    """The feed key a kiosk holding `public_key` verifies (the newest when None), or None
    when the hub has no such key."""
    with db.snapshot() as conn:
        return signer_on(conn, public_key)


def signer_on(conn: Connection, public_key: bytes | None) -> FeedKey | None:
    """`signer_for` as `conn` sees the keys (read at every feed request, not cached: a
    retired key signs nothing from that transaction on)."""
    rows = list(conn.execute(_ALL_KEYS))
    if public_key is None:
        return _feed_key(rows[-1])
    return next((_feed_key(r) for r in rows if r.public_key == public_key), None)


# The feed keys, oldest first, each beside the client holding the token (NULLs: none, or
# revoked): what `client_holding` and `signer_on` read, in one statement.
_CALLER_AND_KEYS = (
    select(
        ClientRow.id.label("client_id"),
        ClientRow.role.label("client_role"),
        FeedKeyRow.key_id,
        FeedKeyRow.public_key,
        FeedKeyRow.private_key,
        FeedKeyRow.starts_at,
        FeedKeyRow.retired_at.is_not(None).label("retired"),  # no time to parse
    )
    .select_from(FeedKeyRow)
    .outerjoin(
        ClientRow,
        and_(ClientRow.token_digest == bindparam("digest"), ClientRow.revoked_at.is_(None)),
    )
    .order_by(FeedKeyRow.starts_at)
)


def caller_and_signer(
    conn: Connection, token: str, public_key: bytes | None
) -> tuple[Client | None, FeedKey | None]:
    """`client_holding(conn, token)` and `signer_on(conn, public_key)` read by one
    statement: the feed's reads at every request (nothing cached, as theirs)."""
    rows = conn.execute(_CALLER_AND_KEYS, {"digest": token_digest(token)}).all()
    if not rows:  # no feed key at all (ensure_keys makes one): as the two reads answer
        return client_holding(conn, token), signer_on(conn, public_key)
    first = rows[0]
    client = None if first.client_id is None else Client(first.client_id, Role(first.client_role))
    if public_key is None:
        return client, _key_of(rows[-1], bool(rows[-1].retired))
    row = next((r for r in rows if r.public_key == public_key), None)
    return client, None if row is None else _key_of(row, bool(row.retired))


def bundle_signer(db: HubDatabase, client_id: str, cursor: int) -> FeedKey:
    """The feed key a kiosk holds when it has applied the feed up to `cursor`: the one it
    was enrolled with, or a later one whose hand-over it applied."""
    ensure_keys(db)
    rows = _keys(db)
    with db.reading() as s:
        enrolled = _enrolled_at(s, client_id)
    return _feed_key([r for r in rows if r.starts_at <= cursor or r.created_at <= enrolled][-1])


def _enrolled_at(s: Session, client_id: str) -> datetime:
    """When the kiosk's enrolment file was last made (a renewal carries the newest feed
    key): its newest journal key, issued with each enrolment file."""
    issued = s.scalar(
        select(func.max(JournalKeyRow.created_at)).where(JournalKeyRow.kiosk_id == client_id)
    )
    return issued or s.get(ClientRow, client_id).created_at


def rotate(db: HubDatabase, now: datetime, operator: str = "office") -> tuple[int, int]:
    """Sign the feed with a new key for every kiosk that takes its hand-over; the old key
    keeps signing for kiosks behind it until it is retired. Returns (key id, start)."""
    ensure_keys(db)
    with db.writing() as s:
        lock_changes(s)
        current = s.get(HubKeyRow, FEED)
        old = FeedSigner(current.private_key)
        new = Signer.generate(current.key_id + 1)
        start = allocate(s)
        public = new.public_bytes()
        s.add(
            FeedKeyRow(
                key_id=new.key_id,
                public_key=public,
                private_key=new.private_bytes(),
                starts_at=start,
                handover=old.sign_handover(db.hub_id, new.key_id, public, start),
                created_at=now,
                seq=start,
            )
        )
        current.key_id, current.created_at = new.key_id, now
        current.private_key, current.public_key = new.private_bytes(), public
        details = {"feed_key": new.key_id, "starts_at": start}
        journal(s, "feed_key_rotate", operator, details, now)
        return new.key_id, start


def retire(db: HubDatabase, key_id: int, now: datetime, operator: str = "office") -> list[str]:
    """Stop signing with an old feed key (its private half is dropped); returns the kiosks
    still behind its hand-over, which must be enrolled again."""
    ensure_keys(db)
    with db.writing() as s:
        lock_changes(s)
        row = s.get(FeedKeyRow, key_id)
        if row is None:
            raise KeyChangeRefused(f"there is no feed key {key_id} (kiosk-hub keys list)")
        if row.retired_at is not None:
            raise KeyChangeRefused(f"feed key {key_id} is retired already")
        if key_id == s.get(HubKeyRow, FEED).key_id:
            raise KeyChangeRefused(
                f"feed key {key_id} signs the feed now: run `kiosk-hub keys rotate feed` "
                "first, then retire it"
            )
        after = s.scalar(
            select(func.min(FeedKeyRow.starts_at)).where(FeedKeyRow.starts_at > row.starts_at)
        )
        handed_over = s.scalar(select(FeedKeyRow.created_at).where(FeedKeyRow.starts_at == after))
        behind = [
            client
            for client in s.scalars(
                select(ClientRow.id).where(
                    ClientRow.role != "office",
                    ClientRow.revoked_at.is_(None),
                    ClientRow.cursor < after,
                )
            )
            if _enrolled_at(s, client) < handed_over
        ]
        row.retired_at, row.private_key = now, b""
        journal(s, "feed_key_retire", operator, {"feed_key": key_id, "behind": behind}, now)
        return sorted(behind)


def list_feed_keys(db: HubDatabase) -> list[tuple[int, datetime, datetime | None, bool]]:
    """(key id, created, retired, signs new pages) of every feed key, oldest first."""
    ensure_keys(db)
    rows = _keys(db)
    return [(r.key_id, r.created_at, r.retired_at, r is rows[-1]) for r in rows]
