"""The office's CSCA trust list: the country signing certificates a chip's document
signer must chain to. A kiosk trusts the union of two lists: the hub's (imported with
`kiosk-hub chip-trust import`, arriving by the signed feed into the store's `csca`
table, removable only by the hub) and its own (imported with `kiosk chip trust import`,
kept privately in the data folder, one DER file per certificate).

Imports take PEM or DER certificates, or an ICAO CSCA master list (CMS signed data).
A master list's signature is checked against the signer certificate it carries: that
shows the file is intact, not who made it; the office vouches for the file it imports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from chip import signed_data
from chip.asn1 import MALFORMED
from chip.signed_data import SignatureInvalid
from kiosk.private import private_dir, write_private
from kiosk.store.database import Store
from kiosk.store.schema import CscaRow

MASTER_LIST = "2.23.136.1.1.2"


class CertificateSet(core.SetOf):
    _child_spec = asn1_x509.Certificate


class CscaMasterList(core.Sequence):
    """ICAO Doc 9303 part 12, 9: the certificates a master list carries."""

    _fields: ClassVar[list] = [("version", core.Integer), ("certificates", CertificateSet)]


class TrustImportError(ValueError):
    """A file offered as a trust list holds no usable CSCA certificate."""


def trust_dir(data_dir: Path) -> Path:
    """Where this kiosk keeps its trusted CSCA certificates."""
    return data_dir / "secrets" / "csca"


def sources(data_dir: Path, store: Store | None = None) -> list[tuple[str, x509.Certificate]]:
    """("kiosk" or "hub", certificate) for every trusted CSCA; one held by both is
    listed once, as the hub's."""
    folder = trust_dir(data_dir)
    ders = [p.read_bytes() for p in sorted(folder.glob("*.der"))] if folder.is_dir() else []
    held = {hashlib.sha256(der).digest(): ("kiosk", der) for der in ders}
    if store is not None:
        with store.reading() as s:
            for der in s.scalars(select(CscaRow.der).order_by(CscaRow.fingerprint)):
                held[hashlib.sha256(der).digest()] = ("hub", der)
    return [(source, x509.load_der_x509_certificate(der)) for source, der in held.values()]


def load(data_dir: Path, store: Store | None = None) -> list[x509.Certificate]:
    """The trusted CSCA certificates: this kiosk's own, and the hub's in `store`."""
    return [cert for _, cert in sources(data_dir, store)]


def certificates_in(data: bytes) -> list[x509.Certificate]:
    """The certificates in one file: PEM (one or many), DER, or a CSCA master list."""
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    try:
        return [x509.load_der_x509_certificate(data)]
    except (ValueError, x509.InvalidVersion):
        pass
    try:
        signed = signed_data.load(data)
    except SignatureInvalid as exc:
        raise TrustImportError("neither a certificate nor a CSCA master list") from exc
    if signed["encap_content_info"]["content_type"].dotted != MASTER_LIST:
        raise TrustImportError("signed data, but not a CSCA master list")
    try:
        payload, _ = signed_data.verified_content(signed)
        certs = CscaMasterList.load(payload)["certificates"]
        return [x509.load_der_x509_certificate(c.dump()) for c in certs]
    except SignatureInvalid as exc:
        raise TrustImportError(f"the master list's signature fails: {exc}") from exc
    except (*MALFORMED, x509.InvalidVersion) as exc:
        raise TrustImportError(f"the master list is malformed: {exc}") from exc


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def refusal(cert: x509.Certificate, now: datetime) -> str | None:
    """Why `cert` cannot be a CSCA of the trust list at `now`, or None."""
    from chip.passive import country_of

    if not _is_ca(cert):
        return "not a certificate authority"
    if cert.not_valid_after_utc < now:
        return f"expired on {cert.not_valid_after_utc:%Y-%m-%d}"
    if len(country_of(cert)) != 2:
        return "its subject names no country (C=), so it cannot vouch for a state"
    return None


@dataclass
class ImportReport:
    """What an import added, what it already had and what it turned away (and why)."""

    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def offered(path: Path, now: datetime, report: ImportReport) -> list[tuple[str, x509.Certificate]]:
    """(label, certificate) for each CSCA in a file or a folder's files that may join a
    trust list at `now`; what may not is added to `report.refused`, with why."""
    from chip.passive import name_of

    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    found = []
    for file in files:
        try:
            certs = certificates_in(file.read_bytes())
        except (TrustImportError, ValueError, x509.InvalidVersion) as exc:
            report.refused.append(f"{file.name}: {exc}")
            continue
        for cert in certs:
            label = f"{name_of(cert.subject)} (from {file.name})"
            if why := refusal(cert, now):
                report.refused.append(f"{label}: {why}")
            else:
                found.append((label, cert))
    return found


def import_path(data_dir: Path, path: Path, now: datetime | None = None) -> ImportReport:
    """Add the CSCA certificates in a file or a folder's files to this kiosk's list."""
    report = ImportReport()
    folder = private_dir(trust_dir(data_dir))
    for label, cert in offered(path, now or datetime.now(UTC), report):
        der = cert.public_bytes(Encoding.DER)
        target = folder / f"{hashlib.sha256(der).hexdigest()[:32]}.der"
        if target.exists():
            report.known.append(label)
        else:
            write_private(target, der)
            report.added.append(label)
    return report
