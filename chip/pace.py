"""PACE (Doc 9303 part 11, 4.4): password authenticated connection establishment with
Generic Mapping over ECDH and AES secure messaging after it.

The chip names what it offers in EF.CardAccess (PACEInfo, parsed with asn1crypto). The
password is the MRZ (K = SHA-1 of document number, birth and expiry dates with their
check digits) or the card access number printed on the document. Steps: MSE:Set AT, then
four General Authenticate commands: the chip's encrypted nonce s, the mapping
(G~ = s·G + H, H the ECDH point of two ephemeral keys), the key agreement on G~, and the
exchange of authentication tokens (AES-CMAC over the other side's public key).
Built: id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 on NIST P-256 and brainpoolP256r1.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from asn1crypto import core
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from chip import ec, sm_aes, tlv
from chip.asn1 import MALFORMED
from chip.bac import AccessDenied, AccessKey, Session

CARD_ACCESS = 0x011C
_ECDH_GM_AES = "0.4.0.127.0.7.2.2.4.2."
KEY_SIZES = {_ECDH_GM_AES + "2": 16, _ECDH_GM_AES + "3": 24, _ECDH_GM_AES + "4": 32}
CURVES = {12: ec.P256, 13: ec.BRAINPOOL_P256R1}  # standardized domain parameter ids
MRZ, CAN = 1, 2  # password references in MSE:Set AT
OK = 0x9000

Transmit = Callable[[bytes], tuple[bytes, int]]


class PaceError(Exception):
    """The chip's side of PACE is not well formed: the exchange cannot go on."""


@dataclass(frozen=True)
class Can:
    """A card access number: the six digits printed on the document for PACE."""

    number: str

    def __post_init__(self) -> None:
        if not (len(self.number) == 6 and self.number.isascii() and self.number.isdigit()):
            raise ValueError("a card access number is six digits")


Password = AccessKey | Can


@dataclass(frozen=True)
class PaceInfo:
    """One PACE protocol the chip offers that this kiosk can run."""

    oid: str
    parameter_id: int

    @property
    def curve(self) -> ec.Curve:
        return CURVES[self.parameter_id]

    @property
    def key_size(self) -> int:
        return KEY_SIZES[self.oid]


class _SecurityInfo(core.Sequence):
    _fields: ClassVar[list] = [
        ("protocol", core.ObjectIdentifier),
        ("required", core.Any),
        ("optional", core.Any, {"optional": True}),
    ]


class _SecurityInfos(core.SetOf):
    _child_spec = _SecurityInfo


def offered(card_access: bytes) -> PaceInfo | None:
    """The first PACE protocol in EF.CardAccess that this kiosk runs; None if there is
    none or the file cannot be read as SecurityInfos."""
    try:
        infos = _SecurityInfos.load(card_access, strict=True)
        for info in infos:
            oid = info["protocol"].dotted
            if oid not in KEY_SIZES or info["optional"].native is None:
                continue
            version = info["required"].parse(core.Integer).native
            parameter = info["optional"].parse(core.Integer).native
            if version == 2 and parameter in CURVES:
                return PaceInfo(oid, parameter)
    except MALFORMED:
        return None
    return None


def password(key: Password) -> tuple[bytes, int]:
    """The password bytes π and their reference: SHA-1 of the MRZ information, or the CAN."""
    if isinstance(key, Can):
        return key.number.encode("ascii"), CAN
    return hashlib.sha1(key.mrz_information().encode("ascii")).digest(), MRZ


def kdf(secret: bytes, counter: int, key_size: int) -> bytes:
    """Doc 9303 part 11, 9.7.1: SHA-1 (AES-128) or SHA-256 (AES-192/256) of the secret
    and a 32-bit counter (1 encryption, 2 MAC, 3 password), cut to the key size."""
    digest = hashlib.sha1 if key_size == 16 else hashlib.sha256
    return digest(secret + counter.to_bytes(4, "big")).digest()[:key_size]


def decrypt_nonce(k_pi: bytes, z: bytes) -> int:
    """The nonce s: the chip's z decrypted with AES-CBC under K_pi and a zero IV."""
    if not z or len(z) % 16:
        raise PaceError("the chip's nonce is not whole AES blocks")
    dec = Cipher(algorithms.AES(k_pi), modes.CBC(bytes(16))).decryptor()
    return int.from_bytes(dec.update(z) + dec.finalize(), "big")


def map_generator(curve: ec.Curve, s: int, shared: ec.Point) -> tuple[int, int]:
    """Generic Mapping: G~ = s·G + H."""
    mapped = curve.add(curve.multiply(s, curve.g), shared)
    if mapped is None:
        raise PaceError("the mapping gave the point at infinity")
    return mapped


def public_key_object(oid: str, curve: ec.Curve, point: tuple[int, int]) -> bytes:
    """The public key data object the tokens MAC: 7F49 { 06 OID, 86 point }."""
    oid_bytes = core.ObjectIdentifier(oid).dump()[2:]
    return tlv.encode(0x7F49, tlv.encode(0x06, oid_bytes) + tlv.encode(0x86, curve.encode(point)))


def token(ks_mac: bytes, oid: str, curve: ec.Curve, point: tuple[int, int]) -> bytes:
    """An authentication token: AES-CMAC of the other side's public key object, 8 bytes."""
    return sm_aes.cmac(ks_mac, public_key_object(oid, curve, point))


def mse_set_at(info: PaceInfo, reference: int) -> bytes:
    """MSE:Set AT choosing the protocol, the password and the domain parameters."""
    oid_bytes = core.ObjectIdentifier(info.oid).dump()[2:]
    data = tlv.encode(0x80, oid_bytes) + tlv.encode(0x83, bytes([reference]))
    data += tlv.encode(0x84, bytes([info.parameter_id]))
    return bytes([0x00, 0x22, 0xC1, 0xA4, len(data)]) + data


def _step(transmit: Transmit, tag: int, value: bytes | None, last: bool = False) -> bytes:
    """One General Authenticate: `value` under `tag` inside 7C (empty for step one); the
    chip's answer object (tag + 1). AccessDenied if the chip refuses the last step."""
    inner = b"" if value is None else tlv.encode(tag, value)
    data = tlv.encode(0x7C, inner)
    apdu = bytes([0x00 if last else 0x10, 0x86, 0x00, 0x00, len(data)]) + data + b"\x00"
    answer, sw = transmit(apdu)
    if sw != OK:
        if last:
            raise AccessDenied(f"the chip refused the authentication token (SW {sw:04X})")
        raise PaceError(f"General Authenticate refused (SW {sw:04X})")
    want = 0x80 if value is None else tag + 1
    try:
        found = tlv.find(answer, 0x7C, want)
    except tlv.TlvError as exc:
        raise PaceError(f"General Authenticate answer: {exc}") from exc
    if found is None:
        raise PaceError(f"General Authenticate answer lacks tag {want:02X}")
    return found


def _point(curve: ec.Curve, data: bytes) -> tuple[int, int]:
    try:
        return curve.decode(data)
    except ValueError as exc:
        raise PaceError(f"the chip's public key: {exc}") from exc


def _scalar(curve: ec.Curve) -> int:
    return secrets.randbelow(curve.n - 1) + 1


def establish(transmit: Transmit, info: PaceInfo, key: Password) -> Session:
    """Run PACE with the chip; the AES session it opens. AccessDenied if the chip does
    not take the password, PaceError if it breaks the protocol."""
    curve, size = info.curve, info.key_size
    secret, reference = password(key)
    _, sw = transmit(mse_set_at(info, reference))
    if sw != OK:
        raise PaceError(f"MSE:Set AT refused (SW {sw:04X})")
    s = decrypt_nonce(kdf(secret, 3, size), _step(transmit, 0x80, None))
    sk_map = _scalar(curve)
    pk_map_ic = _point(curve, _step(transmit, 0x81, curve.encode(curve.multiply(sk_map, curve.g))))
    generator = map_generator(curve, s, curve.multiply(sk_map, pk_map_ic))
    sk_eph = _scalar(curve)
    pk_eph_ifd = curve.multiply(sk_eph, generator)
    pk_eph_ic = _point(curve, _step(transmit, 0x83, curve.encode(pk_eph_ifd)))
    if pk_eph_ic == pk_eph_ifd:
        raise PaceError("the chip echoed the kiosk's ephemeral key")
    shared = curve.multiply(sk_eph, pk_eph_ic)
    if shared is None:
        raise PaceError("the key agreement gave the point at infinity")
    k = shared[0].to_bytes(curve.size, "big")
    ks_enc, ks_mac = kdf(k, 1, size), kdf(k, 2, size)
    t_ic = _step(transmit, 0x85, token(ks_mac, info.oid, curve, pk_eph_ic), last=True)
    if not hmac.compare_digest(t_ic, token(ks_mac, info.oid, curve, pk_eph_ifd)):
        raise AccessDenied("the chip's authentication token is wrong")
    return Session(ks_enc, ks_mac, 0, aes=True)
