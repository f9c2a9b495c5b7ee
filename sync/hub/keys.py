"""The office's private keys, kept by the hub: one for confirmation codes, one for the
feed, and the site's document key.

Kiosks receive the confirmation key's public half through the feed (the `keys` entity,
from `public_keys`, with the counters' badge keys), and the feed key's public half once,
in their enrolment file: it is what they trust. The document key (32 random bytes, a
secret) hashes ID document numbers at import (kiosk/documents.py); counters receive it
in their enrolment file, security posts never.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import documents
from kiosk.codes import Signer
from sync.hub.database import HubDatabase, allocate, utc_now
from sync.hub.schema import HubKeyRow, PublicKeyRow
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


def ensure_keys(db: HubDatabase) -> None:
    """Create the office's keys on first use of a hub database."""
    with db.reading() as s:
        present = set(s.scalars(select(HubKeyRow.purpose)))
    if {CONFIRMATION, FEED, DOCUMENT} <= present:
        return
    with db.writing() as s:
        _ensure(s, CONFIRMATION, CONFIRMATION_KEY_ID)
        _ensure(s, FEED, 0)
        _ensure_document_key(s)


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
    """The signer of feed pages and bundles."""
    with db.reading() as s:
        return FeedSigner(s.get(HubKeyRow, FEED).private_key)


def feed_public_key(db: HubDatabase) -> bytes:
    """What kiosks verify the feed with."""
    with db.reading() as s:
        return s.get(HubKeyRow, FEED).public_key
