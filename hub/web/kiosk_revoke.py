"""Revoking a kiosk or security post from the web console (hub/clients.py `revoke`), with
the console's own checks and sentences in English and French: a reason on one line of at
most `REASON_MAX` characters (hub/clients.py: the command line's limit too), and only a
kiosk or post the Kiosks page lists, never the office's own client. `check` reads what
the revocation would do, for the page that asks the chief to confirm it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from hub import clients
from hub.clients import REASON_MAX
from hub.database import HubDatabase
from hub.schema import BadgeRow, ClientRow, PublicKeyRow
from hub.statuses import LIVE
from kiosk.typed import line_refusal


class KioskRevokeRefused(ValueError):
    """A kiosk revocation the console refuses, nothing changed: English and French."""

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en)
        self.en, self.fr = en, fr


@dataclass(frozen=True)
class KioskRevocation:
    """What revoking a kiosk would do, read before it is done."""

    kiosk_id: str
    role: str
    reason: str  # as kept ("stolen: …")
    typed: str  # as typed in the form
    stolen: bool
    keys: tuple[int, ...]  # badge keys it reported, not retired yet
    live_badges: int  # badges it issued that are still valid at the hub


def check(db: HubDatabase, kiosk_id: str, reason: str, stolen: bool) -> KioskRevocation:
    """What revoking `kiosk_id` for `reason` would do; KioskRevokeRefused when it cannot
    be done."""
    if refused := line_refusal(reason):  # one line, as `clients list` prints it in a row
        raise KioskRevokeRefused(*refused)
    reason = reason.strip()
    if len(reason) > REASON_MAX or not (reason or stolen):
        raise KioskRevokeRefused(
            f"Say why the kiosk is revoked (at most {REASON_MAX} characters), or tick stolen.",
            f"Indiquez pourquoi le guichet est révoqué ({REASON_MAX} caractères au plus), ou "
            "cochez volé.",
        )
    with db.reading() as s:
        row = s.get(ClientRow, kiosk_id) if clients.KIOSK_ID.fullmatch(kiosk_id) else None
        if row is None or row.role == clients.Role.OFFICE.value:
            raise KioskRevokeRefused(
                f"There is no kiosk or post {kiosk_id[:20]!r}.",
                f"Il n'y a pas de guichet ou de poste {kiosk_id[:20]!r}.",
            )
        if row.revoked_at is not None:
            raise _revoked_already(kiosk_id)
        keys = s.scalars(
            select(PublicKeyRow.key_id)
            .where(PublicKeyRow.owner == kiosk_id, PublicKeyRow.retired_at.is_(None))
            .order_by(PublicKeyRow.key_id)
        ).all()
        live = s.scalar(
            select(func.count())
            .select_from(BadgeRow)
            .where(BadgeRow.kiosk_id == kiosk_id, BadgeRow.status.in_(LIVE))
        )
    kept = clients.revocation_reason(reason, stolen)
    return KioskRevocation(kiosk_id, row.role, kept, reason, stolen, tuple(keys), live or 0)


def revoke_kiosk(
    db: HubDatabase, kiosk_id: str, reason: str, stolen: bool, by: str, now: datetime
) -> clients.Revocation:
    """Revoke kiosk `kiosk_id` for `reason` (marked stolen if `stolen`), as `by`;
    KioskRevokeRefused when it cannot be."""
    found = check(db, kiosk_id, reason, stolen)
    try:
        return clients.revoke(db, kiosk_id, found.reason, now, by)
    except clients.RevocationRefused:  # revoked meanwhile (the check above read before)
        raise _revoked_already(kiosk_id) from None


def _revoked_already(kiosk_id: str) -> KioskRevokeRefused:
    return KioskRevokeRefused(f"{kiosk_id} is revoked already.", f"{kiosk_id} est déjà révoqué.")
