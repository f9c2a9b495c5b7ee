"""Who may talk to the hub: counter kiosks, security posts and office clients, each with
its own token. The hub keeps only a token's SHA-256; the token itself is in the
enrolment file the operator carries to the kiosk."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from hub.database import HubDatabase, utc_now
from hub.keys import ensure_keys, feed_public_key, site_document_key
from hub.schema import ClientRow

KIOSK_ID = re.compile(r"^[A-Z][A-Z0-9]{0,14}$")  # fits a badge serial and a badge code


class Role(StrEnum):
    """What a client needs, hence what it sees."""

    COUNTER = "counter"  # issues badges: full approvals, photos, documents, proof
    SECURITY = "security"  # checks worn badges: badges, their holders and photos only
    OFFICE = "office"  # the accreditation office's own tools: status changes, conflicts


@dataclass(frozen=True)
class Client:
    """An authenticated caller."""

    id: str
    role: Role


class EnrolmentError(ValueError):
    """An enrolment that cannot be made as asked."""


def token_digest(token: str) -> str:
    """What the hub stores of a token (and keys an outbox file's MAC with)."""
    return hashlib.sha256(token.encode()).hexdigest()


def enrol(db: HubDatabase, client_id: str, role: Role, renew: bool = False) -> str:
    """Register a client (or give it a new token with `renew`); returns the token."""
    if not KIOSK_ID.match(client_id):
        raise EnrolmentError(
            f"{client_id!r} is not a kiosk id: an upper-case letter, then up to 14 upper-case "
            "letters or digits (e.g. G1, V2, SEC1)"
        )
    token = secrets.token_urlsafe(32)
    with db.writing() as s:
        row = s.get(ClientRow, client_id)
        if row is not None and not renew:
            raise EnrolmentError(
                f"{client_id} is enrolled already; --renew gives it a new token (same kiosk, "
                "same journal), a wiped kiosk needs a new id"
            )
        if row is not None and row.role != role.value:
            raise EnrolmentError(f"{client_id} is enrolled as {row.role}, not {role.value}")
        if row is None:
            s.add(
                ClientRow(
                    id=client_id,
                    role=role.value,
                    token_digest=token_digest(token),
                    created_at=utc_now(),
                    cursor=0,
                )
            )
        else:
            row.token_digest = token_digest(token)
    return token


def enrolment(db: HubDatabase, client_id: str, role: Role, token: str, hub_url: str) -> dict:
    """The enrolment file's content: where the hub is, who the kiosk is, what to trust, and
    for a counter the site's document key (it compares ID document numbers as keyed
    hashes; security posts never see document numbers)."""
    ensure_keys(db)
    content = {
        "format": "pass-office-enrolment/1",
        "hub_url": hub_url,
        "hub_id": db.hub_id,
        "kiosk_id": client_id,
        "role": role.value,
        "token": token,
        "hub_key": base64.b64encode(feed_public_key(db)).decode("ascii"),
    }
    if role is Role.COUNTER:
        content["document_key"] = base64.b64encode(site_document_key(db)).decode("ascii")
    return content


def authenticate(db: HubDatabase, token: str) -> Client | None:
    """The client holding `token`, or None."""
    with db.reading() as s:
        row = s.scalar(select(ClientRow).where(ClientRow.token_digest == token_digest(token)))
    return Client(row.id, Role(row.role)) if row else None


def client_digest(db: HubDatabase, client_id: str) -> str | None:
    """The stored token digest of a client (an outbox file's MAC key), or None."""
    with db.reading() as s:
        row = s.get(ClientRow, client_id)
    return row.token_digest if row else None
