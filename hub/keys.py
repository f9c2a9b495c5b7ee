"""The office's private keys, kept by the hub: one for confirmation codes, one for the
feed, and the site's document key.

Kiosks receive the confirmation key's public half through the feed (the `keys` entity,
from `public_keys`, with the counters' badge keys), and the feed key's public half once,
in their enrolment file: it is what they trust, until a hand-over signed with it names
the next one (hub/feed_keys.py). The document key (32 random bytes, a
secret) hashes ID document numbers at import (kiosk/documents.py); counters receive it
in their enrolment file, security posts never.

Lifecycle (`kiosk-hub keys`): `rotate confirmation` gives the confirmation key a new
pair under the next free key id; the old public key stays in the feed, so codes already
sent keep working, and the old private half is dropped. `retire KEY_ID` marks a public
key retired: the feed sends the change and every kiosk stops trusting it. Key ids are
never reused.

A badge key a counter reports is held *pending* (not in the feed, so no post trusts it)
until the office runs `approve KEY_ID`; the one exception is the first key of a counter
enrolled with its first key pre-approved (`kiosk-hub enrol --role counter`, the default):
enrolment is the office's act and the first key arrives with the kiosk's first sync. A
stolen counter that makes itself a new key therefore cannot get it trusted, and revoking
a client (hub/clients.py) retires every key it owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase, allocate, lock_changes, utc_now
from hub.purge import journal  # the hub's own chained journal
from hub.schema import ClientRow, FeedKeyRow, HubKeyRow, PublicKeyRow
from kiosk import documents
from kiosk.codes import Signer
from sync.protocol import FeedSigner

CONFIRMATION = "confirmation"
FEED = "feed"
DOCUMENT = "document"
CONFIRMATION_KEY_ID = 1


def _ensure(s: Session, purpose: str, key_id: int) -> HubKeyRow:
    row = s.get(HubKeyRow, purpose)
    if row is None:
        signer = Signer.generate(key_id)
        row = HubKeyRow(
            purpose=purpose,
            key_id=key_id,
            private_key=signer.private_bytes(),
            public_key=signer.public_bytes(),
            created_at=utc_now(),
        )
        s.add(row)
        if purpose == CONFIRMATION:  # every kiosk verifies confirmation codes with it
            s.add(
                PublicKeyRow(
                    key_id=key_id,
                    purpose=purpose,
                    public_key=row.public_key,
                    owner="office",
                    created_at=row.created_at,
                    approved_at=row.created_at,
                    seq=allocate(s),
                )
            )
    return row


def _ensure_document_key(s: Session) -> None:
    if s.get(HubKeyRow, DOCUMENT) is None:
        s.add(
            HubKeyRow(
                purpose=DOCUMENT,
                key_id=0,
                private_key=documents.new_key(),
                public_key=b"",
                created_at=utc_now(),
            )
        )


def _ensure_first_feed_key(s: Session) -> None:
    """Record the hub's first feed key in `feed_keys` (hub/feed_keys.py) if it is not."""
    if s.scalar(select(FeedKeyRow.key_id).limit(1)) is not None:
        return
    row = s.get(HubKeyRow, FEED)
    s.add(
        FeedKeyRow(
            key_id=row.key_id,
            public_key=row.public_key,
            private_key=row.private_key,
            starts_at=0,
            handover=b"",  # kiosks got it in their enrolment file
            created_at=row.created_at,
            seq=0,  # never in a page
        )
    )


def ensure_keys(db: HubDatabase) -> None:
    """Create the office's keys on first use of a hub database."""
    with db.reading() as s:
        present = set(s.scalars(select(HubKeyRow.purpose)))
        feed_listed = s.scalar(select(FeedKeyRow.key_id).limit(1)) is not None
    if {CONFIRMATION, FEED, DOCUMENT} <= present and feed_listed:
        return
    with db.writing() as s:
        _ensure(s, CONFIRMATION, CONFIRMATION_KEY_ID)
        _ensure(s, FEED, 0)
        _ensure_document_key(s)
        s.flush()
        _ensure_first_feed_key(s)


def document_key(s: Session) -> bytes:
    """The site's document key (made on first use), inside a writing unit of work."""
    _ensure_document_key(s)
    s.flush()
    return s.get(HubKeyRow, DOCUMENT).private_key


def site_document_key(db: HubDatabase) -> bytes:
    """The site's document key, for a counter's enrolment."""
    ensure_keys(db)
    with db.reading() as s:
        return s.get(HubKeyRow, DOCUMENT).private_key


def confirmation_signer(db: HubDatabase) -> Signer:
    """The signer of confirmation codes."""
    with db.reading() as s:
        row = s.get(HubKeyRow, CONFIRMATION)
    return Signer.from_private_bytes(row.key_id, row.private_key)


def feed_signer(db: HubDatabase) -> FeedSigner:
    """The newest feed key's signer (which key signs a kiosk's page: hub/feed_keys.py)."""
    with db.reading() as s:
        return FeedSigner(s.get(HubKeyRow, FEED).private_key)


def feed_public_key(db: HubDatabase) -> bytes:
    """What kiosks enrolled now verify the feed with: the newest feed key."""
    with db.reading() as s:
        return s.get(HubKeyRow, FEED).public_key


class KeyChangeRefused(ValueError):
    """A key change the hub refuses; nothing was changed."""


@dataclass(frozen=True)
class KeyInfo:
    """A public key of the site, as `kiosk-hub keys list` shows it."""

    key_id: int
    purpose: str
    owner: str
    created_at: datetime | None
    retired_at: datetime | None
    signing: bool  # the hub signs with it now
    approved_at: datetime | None = None  # None: reported by a counter, waiting for approval

    @property
    def state(self) -> str:
        """retired, pending (not trusted yet) or trusted."""
        if self.retired_at is not None:
            return "retired"
        return "trusted" if self.approved_at is not None else "pending"


def list_keys(db: HubDatabase) -> list[KeyInfo]:
    """Every public key of the site, retired ones included, by key id."""
    ensure_keys(db)
    with db.reading() as s:
        signing = {s.get(HubKeyRow, CONFIRMATION).key_id}
        rows = s.scalars(select(PublicKeyRow).order_by(PublicKeyRow.key_id))
        return [_info(r, r.key_id in signing) for r in rows]


def _info(r: PublicKeyRow, signing: bool = False) -> KeyInfo:
    return KeyInfo(r.key_id, r.purpose, r.owner, r.created_at, r.retired_at, signing, r.approved_at)


def _next_free_id(s: Session, current: int) -> int:
    taken = set(s.scalars(select(PublicKeyRow.key_id)))
    for key_id in (*range(current + 1, 256), *range(1, current)):
        if key_id not in taken:
            return key_id
    raise KeyChangeRefused("every key id (1-255) is taken: no key can be added")


def rotate_confirmation(db: HubDatabase, now: datetime, operator: str = "office") -> int:
    """Sign confirmation codes with a new key from now on; returns its key id. The old
    public key stays trusted until it is retired. Journalled as `operator`'s."""
    ensure_keys(db)
    with db.writing() as s:
        lock_changes(s)
        row = s.get(HubKeyRow, CONFIRMATION)
        signer = Signer.generate(_next_free_id(s, row.key_id))
        row.key_id, row.created_at = signer.key_id, now
        row.private_key, row.public_key = signer.private_bytes(), signer.public_bytes()
        s.add(
            PublicKeyRow(
                key_id=signer.key_id,
                purpose=CONFIRMATION,
                public_key=row.public_key,
                owner="office",
                created_at=now,
                approved_at=now,
                seq=allocate(s),
            )
        )
        details = {"purpose": CONFIRMATION, "key_id": signer.key_id}
        journal(s, "key_rotate", operator, details, now)
        return signer.key_id


def retire(db: HubDatabase, key_id: int, now: datetime, operator: str = "office") -> KeyInfo:
    """Stop trusting a public key everywhere (kiosks drop it at their next sync). The key
    the hub signs confirmation codes with cannot be retired: rotate first. Journalled as
    `operator`'s."""
    ensure_keys(db)
    with db.writing() as s:
        lock_changes(s)
        row = s.get(PublicKeyRow, key_id)
        if row is None:
            raise KeyChangeRefused(f"there is no key {key_id} (kiosk-hub keys list)")
        if row.retired_at is not None:
            raise KeyChangeRefused(f"key {key_id} is retired already ({row.retired_at:%Y-%m-%d})")
        if key_id == s.get(HubKeyRow, CONFIRMATION).key_id:
            raise KeyChangeRefused(
                f"key {key_id} signs confirmation codes now: run "
                "`kiosk-hub keys rotate confirmation` first, then retire it"
            )
        row.retired_at, row.seq = now, allocate(s)
        journal(s, "key_retire", operator, _key_details(row), now)
        return _info(row)


def _key_details(row: PublicKeyRow) -> dict:
    return {"key_id": row.key_id, "purpose": row.purpose, "owner": row.owner}


def approve(db: HubDatabase, key_id: int, now: datetime, operator: str = "office") -> KeyInfo:
    """Trust a counter's pending badge key site-wide: the feed sends it to every kiosk
    from now on. A retired key, or a key of a revoked client, cannot be approved.
    Journalled as `operator`'s."""
    with db.writing() as s:
        lock_changes(s)
        row = s.get(PublicKeyRow, key_id)
        if row is None:
            raise KeyChangeRefused(f"there is no key {key_id} (kiosk-hub keys list)")
        if row.retired_at is not None:
            raise KeyChangeRefused(f"key {key_id} is retired: it cannot be trusted again")
        if row.approved_at is not None:
            raise KeyChangeRefused(f"key {key_id} is trusted already")
        owner = s.get(ClientRow, row.owner)
        if owner is not None and owner.revoked_at is not None:
            raise KeyChangeRefused(f"key {key_id} belongs to {row.owner}, which is revoked")
        row.approved_at, row.seq = now, allocate(s)
        journal(s, "key_approve", operator, _key_details(row), now)
        return _info(row)


def retire_owned(s: Session, owner: str, now: datetime) -> list[int]:
    """Retire every key `owner` reported that is not retired yet (inside a writing unit of
    work that holds the change lock); returns their ids."""
    rows = s.scalars(
        select(PublicKeyRow).where(PublicKeyRow.owner == owner, PublicKeyRow.retired_at.is_(None))
    ).all()
    for row in rows:
        row.retired_at, row.seq = now, allocate(s)
    return sorted(r.key_id for r in rows)
