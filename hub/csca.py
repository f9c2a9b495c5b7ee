"""The office's CSCA trust list, kept by the hub and sent to every counter by the feed.

`kiosk-hub chip-trust import FILE|DIR` takes PEM or DER certificates, folders of them, or
an ICAO CSCA master list (chip/trust.py reads them all); each certificate must be a
certificate authority, in date, naming its country (C=), or it is refused with the
reason. `remove FINGERPRINT` stops every counter trusting one at its next sync (the row
stays, marked removed, so that the feed tells the kiosks). Counters verify passport
chips against the union of this list and their own imports (docs/chip.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from chip import trust
from chip.passive import country_of, name_of
from hub.database import HubDatabase, allocate, lock_changes
from hub.purge import journal  # the hub's own chained journal
from hub.schema import CscaRow


class CscaChangeRefused(ValueError):
    """A trust-list change the hub refuses; nothing was changed."""


@dataclass(frozen=True)
class CscaInfo:
    """One CSCA of the hub's list, as `kiosk-hub chip-trust list` shows it."""

    fingerprint: str
    subject: str
    country: str
    not_after: datetime
    removed_at: datetime | None


def import_path(
    db: HubDatabase, path: Path, now: datetime, operator: str = "office"
) -> trust.ImportReport:
    """Add the CSCA certificates in a file or a folder's files to the hub's list; what
    was added is journalled as `operator`'s in the same transaction."""
    report = trust.ImportReport()
    found = trust.offered(path, now, report)
    added: list[dict] = []
    with db.writing() as s:
        lock_changes(s)
        for label, cert in found:
            der = cert.public_bytes(Encoding.DER)
            fingerprint = hashlib.sha256(der).hexdigest()
            row = s.get(CscaRow, fingerprint)
            if row is not None and row.removed_at is None:
                report.known.append(label)
                continue
            seq = allocate(s)
            if row is None:
                row = CscaRow(fingerprint=fingerprint, der=der, seq=seq)
                s.add(row)
            row.subject, row.country = name_of(cert.subject)[:200], country_of(cert)
            row.not_after, row.added_at, row.removed_at = cert.not_valid_after_utc, now, None
            row.seq = seq
            report.added.append(label)
            added.append({"fingerprint": fingerprint, "country": row.country})
        if added:
            details = {"from": path.name, "added": added, "refused": len(report.refused)}
            journal(s, "csca_import", operator, details, now)
    return report


def remove(db: HubDatabase, fingerprint: str, now: datetime, operator: str = "office") -> CscaInfo:
    """Stop trusting one CSCA everywhere, named by its fingerprint (or a unique start of
    it, at least 8 hex digits); journalled as `operator`'s."""
    prefix = fingerprint.strip().lower()
    if len(prefix) < 8:
        raise CscaChangeRefused("give at least 8 hex digits of the fingerprint")
    with db.writing() as s:
        lock_changes(s)
        rows = s.scalars(select(CscaRow).where(CscaRow.fingerprint.startswith(prefix))).all()
        if len(rows) != 1:
            found = "no CSCA" if not rows else f"{len(rows)} CSCAs"
            raise CscaChangeRefused(f"{found} with a fingerprint starting {prefix}")
        row = rows[0]
        if row.removed_at is not None:
            raise CscaChangeRefused(f"{row.subject} was removed already")
        row.removed_at, row.seq = now, allocate(s)
        details = {"fingerprint": row.fingerprint, "country": row.country, "subject": row.subject}
        journal(s, "csca_remove", operator, details, now)
        return _info(row)


def list_cscas(db: HubDatabase) -> list[CscaInfo]:
    """Every CSCA the hub has held, removed ones included, by country and name."""
    with db.reading() as s:
        rows = s.scalars(select(CscaRow).order_by(CscaRow.country, CscaRow.subject))
        return [_info(r) for r in rows]


def _info(r: CscaRow) -> CscaInfo:
    return CscaInfo(r.fingerprint, r.subject, r.country, r.not_after, r.removed_at)
