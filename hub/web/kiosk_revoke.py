"""Revoking a kiosk or security post from the web console (hub/clients.py `revoke`), with
the console's own checks and sentences in English and French: a reason of at most
`REASON_MAX` characters (the form's limit), and only a kiosk or post the Kiosks page
lists, never the office's own client."""

from __future__ import annotations

from datetime import datetime

from hub import clients
from hub.database import HubDatabase
from hub.schema import ClientRow

REASON_MAX = 500


class KioskRevokeRefused(ValueError):
    """A kiosk revocation the console refuses, nothing changed: English and French."""

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en)
        self.en, self.fr = en, fr


def revoke_kiosk(
    db: HubDatabase, kiosk_id: str, reason: str, stolen: bool, by: str, now: datetime
) -> None:
    """Revoke kiosk `kiosk_id` for `reason` (marked stolen if `stolen`), as `by`;
    KioskRevokeRefused when it cannot be."""
    reason = reason.strip()
    if len(reason) > REASON_MAX or not (reason or stolen):
        raise KioskRevokeRefused(
            f"Say why the kiosk is revoked (at most {REASON_MAX} characters), or tick stolen.",
            f"Indiquez pourquoi le guichet est révoqué ({REASON_MAX} caractères au plus), ou "
            "cochez volé.",
        )
    reason = clients.revocation_reason(reason, stolen)
    with db.reading() as s:
        row = s.get(ClientRow, kiosk_id) if clients.KIOSK_ID.match(kiosk_id) else None
    if row is None or row.role == clients.Role.OFFICE.value:
        raise KioskRevokeRefused(
            f"There is no kiosk or post {kiosk_id[:20]!r}.",
            f"Il n'y a pas de guichet ou de poste {kiosk_id[:20]!r}.",
        )
    try:
        clients.revoke(db, kiosk_id, reason, now, by)
    except clients.RevocationRefused:  # revoked meanwhile (the check above read before)
        raise KioskRevokeRefused(
            f"{kiosk_id} is revoked already.", f"{kiosk_id} est déjà révoqué."
        ) from None
