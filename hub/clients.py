"""Who may talk to the hub: counter kiosks, security posts and office clients, each with
its own token. The hub keeps only a token's SHA-256; the token itself is in the
enrolment file the operator carries to the kiosk.

A client is revoked for good (`kiosk-hub clients revoke ID`): from that transaction on
its token opens no route, a delivery or outbox file from it is refused, and every badge
key it reported is retired, so kiosks stop trusting what it signed at their next sync.
Its id is not given out again: its journal and its badge serials stay its own; a
replacement kiosk is enrolled under a new id."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, bindparam, func, select

from hub.audit import issue_key, latest_key
from hub.database import HubDatabase, lock_changes, utc_now
from hub.keys import ensure_keys, feed_public_key, retire_owned, site_document_key
from hub.purge import journal  # the hub's own chained journal
from hub.schema import BadgeRow, ClientRow, PublicKeyRow
from hub.statuses import LIVE
from kiosk.model import BRUSSELS

KIOSK_ID = re.compile(r"[A-Z][A-Z0-9]{0,14}")  # fits a badge serial and a badge code
REASON_MAX = 500  # a revocation's reason as typed: the console's field, `clients revoke`


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


def enrol(
    db: HubDatabase,
    client_id: str,
    role: Role,
    renew: bool = False,
    trust_first_key: bool = True,
    operator: str = "office",
) -> str:
    """Register a client (or give it a new token with `renew`); returns the token. A new
    counter's first badge key is trusted at once with `trust_first_key`; any other key
    waits for `kiosk-hub keys approve`. A revoked client cannot be renewed. Journalled as
    `operator`'s in the same transaction (never the token)."""
    if not KIOSK_ID.fullmatch(client_id):
        raise EnrolmentError(
            f"{client_id!r} is not a kiosk id: an upper-case letter, then up to 14 upper-case "
            "letters or digits (e.g. G1, V2, SEC1)"
        )
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with db.writing() as s:
        row = s.get(ClientRow, client_id)
        if row is not None and not renew:
            raise EnrolmentError(
                f"{client_id} is enrolled already; --renew gives it a new token (same kiosk, "
                "same journal), a wiped kiosk needs a new id"
            )
        if row is None and renew:  # a mistyped id would silently be a new client
            raise EnrolmentError(
                f"{client_id} is not enrolled: there is no token to renew (enrol it without "
                "--renew, or check the id with `kiosk-hub clients list`)"
            )
        if row is not None and row.role != role.value:
            raise EnrolmentError(f"{client_id} is enrolled as {row.role}, not {role.value}")
        if row is not None and row.revoked_at is not None:
            raise EnrolmentError(
                f"{client_id} was revoked on {_brussels(row.revoked_at)} "
                f"({row.revoked_reason}): enrol the replacement under a new kiosk id"
            )
        if row is None:
            s.add(
                ClientRow(
                    id=client_id,
                    role=role.value,
                    token_digest=token_digest(token),
                    created_at=now,
                    cursor=0,
                    keys_preapproved=int(trust_first_key and role is Role.COUNTER),
                )
            )
        else:
            row.token_digest = token_digest(token)
        if role is not Role.OFFICE:
            issue_key(s, client_id, now)  # a renewal re-keys the journal too
        details = {"client": client_id, "role": role.value}
        if row is None and role is Role.COUNTER:
            details["first_key_trusted"] = trust_first_key
        journal(s, "client_renew" if renew else "client_enrol", operator, details, now)
    return token


def enrolment(db: HubDatabase, client_id: str, role: Role, token: str, hub_url: str) -> dict:
    """The enrolment file's content: where the hub is, who the kiosk is, what to trust,
    the key that seals the kiosk's journal (hub/audit.py), and for a counter the site's
    document key (it compares ID document numbers as keyed hashes; security posts never
    see document numbers)."""
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
    with db.reading() as s:
        key = latest_key(s, client_id)
    if key is not None:
        content["journal_key"] = base64.b64encode(key).decode("ascii")
    return content


_BY_TOKEN = select(ClientRow.id, ClientRow.role).where(
    ClientRow.token_digest == bindparam("digest"), ClientRow.revoked_at.is_(None)
)


def client_holding(conn: Connection, token: str) -> Client | None:
    """The client holding `token` as `conn` sees it (revoked: None), or None: one Core
    statement, read at every request (no cache: a revocation counts at once)."""
    row = conn.execute(_BY_TOKEN, {"digest": token_digest(token)}).first()
    return Client(row.id, Role(row.role)) if row else None


def authenticate(db: HubDatabase, token: str) -> Client | None:
    """The client holding `token`, or None."""
    with db.snapshot() as conn:
        return client_holding(conn, token)


def client_digest(db: HubDatabase, client_id: str) -> str | None:
    """The stored token digest of a client (an outbox file's MAC key), or None."""
    with db.reading() as s:
        row = s.get(ClientRow, client_id)
    return row.token_digest if row else None


class RevocationRefused(ValueError):
    """A revocation that cannot be made as asked; nothing was changed."""


@dataclass(frozen=True)
class ClientInfo:
    """A client as `kiosk-hub clients list` shows it."""

    id: str
    role: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    keys: tuple[int, ...]  # the badge keys it reported that are not retired
    pending_keys: tuple[int, ...]  # of those, the ones waiting for approval


def list_clients(db: HubDatabase) -> list[ClientInfo]:
    """Every client ever enrolled, revoked ones included, by id."""
    with db.reading() as s:
        keys: dict[str, list] = {}
        for key in s.scalars(
            select(PublicKeyRow)
            .where(PublicKeyRow.retired_at.is_(None))
            .order_by(PublicKeyRow.key_id)
        ):
            keys.setdefault(key.owner, []).append(key)
        return [
            ClientInfo(
                r.id,
                r.role,
                r.created_at,
                r.last_seen_at,
                r.revoked_at,
                r.revoked_reason,
                tuple(k.key_id for k in keys.get(r.id, ())),
                tuple(k.key_id for k in keys.get(r.id, ()) if k.approved_at is None),
            )
            for r in s.scalars(select(ClientRow).order_by(ClientRow.id))
        ]


@dataclass(frozen=True)
class Revocation:
    """What revoking a client did."""

    client_id: str
    reason: str
    keys_retired: tuple[int, ...]
    live_badges: int  # badges it issued still valid at the hub: posts refuse them now


STOLEN = "stolen"


def revocation_reason(reason: str, stolen: bool) -> str:
    """A revocation's reason as kept: "stolen: …" when the kiosk was stolen."""
    return ": ".join(p for p in (STOLEN if stolen else "", reason.strip()) if p)


def revoke(
    db: HubDatabase, client_id: str, reason: str, now: datetime, operator: str = "office"
) -> Revocation:
    """Revoke a client in one transaction: its token stops, every badge key it reported
    is retired (the feed tells every kiosk), and the hub's journal records who and why."""
    reason = reason.strip()
    if not reason:
        raise RevocationRefused("say why the client is revoked (--reason, or --stolen)")
    with db.writing() as s:
        # The client's row first, then the change counter: the order a delivery takes
        # them (hub/receive.py), so the two wait for each other and never deadlock.
        row = s.get(ClientRow, client_id, with_for_update=True)
        lock_changes(s)
        if row is None:
            raise RevocationRefused(f"there is no client {client_id} (kiosk-hub clients list)")
        if row.revoked_at is not None:
            raise RevocationRefused(
                f"{client_id} is revoked already ({_brussels(row.revoked_at)}: "
                f"{row.revoked_reason})"
            )
        row.revoked_at, row.revoked_reason, row.keys_preapproved = now, reason, 0
        retired = retire_owned(s, client_id, now)
        live = s.scalar(
            select(func.count())
            .select_from(BadgeRow)
            .where(BadgeRow.kiosk_id == client_id, BadgeRow.status.in_(LIVE))
        )
        journal(
            s,
            "client_revoke",
            operator,
            {"client": client_id, "reason": reason, "keys_retired": retired},
            now,
        )
    return Revocation(client_id, reason, tuple(retired), live or 0)


def _brussels(moment: datetime) -> str:
    """A moment as every listing of the hub says it: Brussels time."""
    return f"{moment.astimezone(BRUSSELS):%Y-%m-%d %H:%M}"
