"""How a kiosk reaches its hub: over TLS with the hub's certificate pinned, or over plain
HTTP on loopback only (unless the operator allowed it explicitly).

The pin is the SHA-256 of the hub's leaf certificate (DER), from the enrolment file. It
is checked on the connection itself, inside the TLS handshake and before a byte of the
request (the token) is written: the SSL socket `http.client` gets from our context verifies the
peer certificate as soon as its handshake completes and closes the connection when the
fingerprint differs. No certificate authority is consulted; the pin is stronger.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import ssl
from urllib.parse import urlsplit

from kiosk.hub_address import hub_address
from sync.hub_http import HubTransport

HEX_PIN = re.compile(r"[0-9a-f]{64}")
LOOPBACK_NAMES = ("localhost",)


class TransportRefused(ValueError):
    """A hub address this kiosk will not connect to; the message says why, `code` what
    kind of refusal it is ("bad_url", "no_pin", "plain_http_refused")."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class CertificateMismatch(ssl.SSLCertVerificationError):
    """The hub presented a certificate other than the pinned one."""

    def __init__(self, pinned: str, seen: str) -> None:
        super().__init__(f"certificate fingerprint {seen or 'none'} is not the pinned {pinned}")
        self.pinned, self.seen = pinned, seen


def fingerprint_of(der: bytes) -> str:
    """SHA-256 of a certificate's DER bytes, 64 lower-case hex digits."""
    return hashlib.sha256(der).hexdigest()


def normalise_pin(text: str) -> str:
    """A fingerprint as stored: lower-case hex without separators; ValueError otherwise."""
    pin = text.strip().lower().replace(":", "")
    if not HEX_PIN.fullmatch(pin):
        raise ValueError("a SHA-256 certificate fingerprint is 64 hexadecimal digits")
    return pin


def format_fingerprint(pin: str) -> str:
    """A fingerprint as people compare it: AB:CD:…, as `openssl x509 -fingerprint` shows."""
    return ":".join(pin[i : i + 2] for i in range(0, len(pin), 2)).upper()


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: the connection never leaves the machine."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, pin: str, allow_plain_http: bool) -> None:
    """Refuse, before any connection, a hub address this kiosk must not use: one
    `kiosk-hub enrol --url` would refuse (kiosk/hub_address.py), https without a pinned
    certificate, plain http beyond loopback without the operator's consent."""
    try:
        hub_address(url)
    except ValueError as err:
        raise TransportRefused(str(err), "bad_url") from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and not pin:
        raise TransportRefused(
            f"the hub at {url} uses https but this kiosk holds no fingerprint of its "
            "certificate: enrol it with an enrolment file made with `kiosk-hub enrol --cert`",
            "no_pin",
        )
    if parts.scheme == "http" and not is_loopback(host) and not allow_plain_http:
        raise TransportRefused(
            f"plain http to {host} refused: the token and the feed would travel in clear. "
            "Use the hub's https address, or allow plain http explicitly "
            "(--allow-plain-http) on a network you trust",
            "plain_http_refused",
        )


class _PinnedContext(ssl.SSLContext):
    """A client context whose sockets check the peer certificate against `pin`."""

    pin: str


def _check_peer(context: ssl.SSLContext, der: bytes | None) -> None:
    pin = getattr(context, "pin", "")
    seen = fingerprint_of(der) if der else ""
    if not pin or not hmac.compare_digest(seen, pin):
        raise CertificateMismatch(pin, seen)


class _PinnedSocket(ssl.SSLSocket):
    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        _check_peer(self.context, self.getpeercert(binary_form=True))


class _PinnedObject(ssl.SSLObject):  # TLS over an already-encrypted stream (a proxy)
    def do_handshake(self) -> None:
        super().do_handshake()
        _check_peer(self.context, self.getpeercert(binary_form=True))


def pinned_context(pin: str) -> ssl.SSLContext:
    """A TLS client context that accepts exactly the certificate whose fingerprint is
    `pin` (no certificate authority, no host name: the pin names the hub)."""
    context = _PinnedContext(ssl.PROTOCOL_TLS_CLIENT)
    context.pin = normalise_pin(pin)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # verified by pin in _check_peer instead
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.sslsocket_class = _PinnedSocket
    context.sslobject_class = _PinnedObject
    return context


def hub_transport(pin: str) -> HubTransport:
    """The HTTP transport to a hub: pinned TLS when there is a pin; never through a proxy
    (the loopback rule is about where the bytes go)."""
    return HubTransport(pinned_context(pin) if pin else None)


def certificate_mismatch(err: BaseException) -> CertificateMismatch | None:
    """The pin failure behind a transport error, if that is what it was."""
    seen: set[int] = set()
    cause: BaseException | None = err
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, CertificateMismatch):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None
