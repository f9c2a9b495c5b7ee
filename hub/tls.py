"""The hub's TLS certificate: make a self-signed one, check a certificate and its key
belong together, and say what an enrolment file carries so a kiosk can pin it.

Kiosks do not trust certificate authorities for their hub: each kiosk pins the SHA-256
fingerprint of the hub's leaf certificate (DER) given in its enrolment file
(sync/transport.py), so a self-signed certificate is as good as a bought one, and a
certificate that changes (renewal, or someone in the middle) stops every kiosk until
it is enrolled again with the new fingerprint.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.private import write_private
from sync.transport import TransportRefused, check_url, fingerprint_of

CERT_FILE, KEY_FILE = "hub-cert.pem", "hub-key.pem"
DEFAULT_DAYS = 825  # the longest lifetime browsers accept; kiosks only pin, any would do
RENEW_AHEAD = timedelta(days=30)  # `serve` warns this long before the certificate expires


class TLSFilesInvalid(ValueError):
    """A certificate or key file that cannot serve the hub; the message says why."""


def _names(hosts: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            if not host or any(c.isspace() or c in "/:@" for c in host):
                raise TLSFilesInvalid(
                    f"{host!r} is neither a host name nor an IP address"
                ) from None
            names.append(x509.DNSName(host))
    return names


def make_self_signed(
    out: Path, hosts: list[str], now: datetime, days: int = DEFAULT_DAYS
) -> tuple[Path, Path]:
    """Write a new ECDSA P-256 key (0600) and a self-signed certificate for `hosts` into
    `out`; returns (certificate, key). Existing files are never overwritten."""
    if not hosts:
        raise TLSFilesInvalid("name at least one host (--host) the kiosks use to reach the hub")
    names = _names(hosts)
    cert_path, key_path = out / CERT_FILE, out / KEY_FILE
    taken = [p for p in (cert_path, key_path) if p.exists()]
    if taken:
        raise TLSFilesInvalid(
            f"{', '.join(map(str, taken))} exists already: choose another folder, or move "
            "the old files away (kiosks pin the old certificate until enrolled again)"
        )
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0][:64])])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    out.mkdir(parents=True, exist_ok=True)
    write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def load_certificate(path: Path) -> x509.Certificate:
    """The first (leaf) certificate of a PEM file."""
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except OSError as err:
        raise TLSFilesInvalid(f"cannot read the certificate {path}: {err.strerror}") from err
    except ValueError as err:
        raise TLSFilesInvalid(f"{path} is not a PEM certificate") from err


def certificate_fingerprint(path: Path) -> str:
    """SHA-256 of the leaf certificate's DER bytes, as 64 lower-case hex digits."""
    return fingerprint_of(load_certificate(path).public_bytes(serialization.Encoding.DER))


def check_pair(cert_path: Path, key_path: Path) -> str:
    """Check that the key belongs to the certificate; returns the certificate's
    fingerprint."""
    cert = load_certificate(cert_path)
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except OSError as err:
        raise TLSFilesInvalid(f"cannot read the key {key_path}: {err.strerror}") from err
    except (ValueError, TypeError) as err:
        raise TLSFilesInvalid(f"{key_path} is not an unencrypted PEM private key") from err
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    pem = serialization.Encoding.PEM
    if key.public_key().public_bytes(pem, raw) != cert.public_key().public_bytes(pem, raw):
        raise TLSFilesInvalid(f"the key {key_path} does not belong to the certificate {cert_path}")
    return certificate_fingerprint(cert_path)


def validity_warning(cert_path: Path, now: datetime, ahead: timedelta = RENEW_AHEAD) -> str:
    """What to tell the operator about the certificate's dates ("" when all is well).
    Kiosks pin the certificate and ignore its dates, so an expired one still serves
    them: a warning, not a refusal that would stop every kiosk on the expiry day."""
    cert = load_certificate(cert_path)
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if now < start:
        return f"the certificate {cert_path} is valid only from {start:%Y-%m-%d %H:%M} UTC"
    if now > end:
        return (
            f"the certificate {cert_path} expired on {end:%Y-%m-%d}: kiosks pinning it still "
            "sync, but other clients refuse it; renew it and enrol the kiosks again"
        )
    if end - now < ahead:
        return (
            f"the certificate {cert_path} expires on {end:%Y-%m-%d}: renew it and enrol the "
            "kiosks again before then (docs/operations.md)"
        )
    return ""


def enrolment_transport(
    hub_url: str, cert_path: Path | None, allow_plain_http: bool = False
) -> dict:
    """What an enrolment file adds about the transport: the pinned certificate's
    fingerprint for an https hub, or the operator's explicit consent to plain HTTP
    beyond loopback. Refuses what a kiosk would refuse, so no useless file is written."""
    fields: dict = {}
    if cert_path is not None:
        fields["hub_cert_sha256"] = certificate_fingerprint(cert_path)
    if allow_plain_http:
        fields["allow_plain_http"] = True
    try:
        check_url(hub_url, fields.get("hub_cert_sha256", ""), allow_plain_http)
    except TransportRefused as err:
        raise TLSFilesInvalid(str(err)) from err
    return fields
