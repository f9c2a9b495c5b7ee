"""Chip Authentication (Doc 9303 part 11, 6.2): an ephemeral-static key agreement with
the key pair whose public half DG14 carries (signed into EF.SOD). The kiosk sends an
ephemeral public key on the chip's domain parameters; both sides derive new session keys
from the shared secret and secure messaging restarts under them. Only the chip holding
the private key can answer under the new keys, so a copied chip fails.

Built: ECDH (id-CA-ECDH-3DES-CBC-CBC with MSE:Set KAT; id-CA-ECDH-AES-CBC-CMAC-128/192/256
with MSE:Set AT and General Authenticate) on NIST P-256 and brainpoolP256r1, named or
given as explicit parameters (any prime curve of cofactor 1 is taken from them). A DG14
with a public key but no ChipAuthenticationInfo means 3DES (Doc 9303's default). Not
built: DH keys.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from asn1crypto import core, keys

from chip import ec, pace, security_info, sm_crypto, tlv
from chip.bac import Session
from chip.secure_messaging import Command

_CA_ECDH = "0.4.0.127.0.7.2.2.3.2."
CA_3DES = _CA_ECDH + "1"
KEY_SIZES = {CA_3DES: 16, _CA_ECDH + "2": 16, _CA_ECDH + "3": 24, _CA_ECDH + "4": 32}
CA_DH = "0.4.0.127.0.7.2.2.3.1."
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
PK_DH = "0.4.0.127.0.7.2.2.1.1"
NAMED_CURVES = {"secp256r1": ec.P256, "brainpoolp256r1": ec.BRAINPOOL_P256R1}
MAX_FIELD_BITS = 521  # the largest curve Doc 9303 names; a larger one would only slow us


class NotSupported(Exception):
    """DG14 declares a Chip Authentication key this kiosk does not use (DH, a curve it
    does not know)."""


class ChipAuthError(Exception):
    """The key agreement cannot be computed (a degenerate shared secret)."""


@dataclass(frozen=True)
class Offer:
    """The Chip Authentication DG14 declares: protocol, the chip's key and its reference."""

    oid: str
    curve: ec.Curve
    public: tuple[int, int]
    key_id: int | None = None

    @property
    def aes(self) -> bool:
        return self.oid != CA_3DES


def _explicit_curve(domain: keys.SpecifiedECDomain) -> ec.Curve:
    """A prime curve from explicit parameters (as many passports write them)."""
    if domain["field_id"]["field_type"].native != "prime_field":
        raise NotSupported("a curve over a binary field")
    if domain["cofactor"].native not in (None, 1):
        raise NotSupported("a curve with a cofactor")
    p = domain["field_id"]["parameters"].native  # asn1crypto types it by the field type
    n = domain["order"].native
    if not isinstance(p, int) or not 3 < p.bit_length() <= MAX_FIELD_BITS:
        raise ValueError("the prime field is missing or of an implausible size")
    if not 2 < n <= 2 * p:
        raise ValueError("the curve's order is implausible")
    size = (p.bit_length() + 7) // 8
    base = domain["base"].native
    if len(base) != 1 + 2 * size or base[0] != 4:
        raise ValueError("the base point is not uncompressed")
    curve = ec.Curve(
        "explicit",
        p,
        int.from_bytes(domain["curve"]["a"].native, "big"),
        int.from_bytes(domain["curve"]["b"].native, "big"),
        (int.from_bytes(base[1 : 1 + size], "big"), int.from_bytes(base[1 + size :], "big")),
        n,
    )
    if not curve.contains(curve.g):
        raise ValueError("the base point is not on the curve")
    return curve


def _curve(parameters: keys.ECDomainParameters) -> ec.Curve:
    if parameters.name == "specified":
        return _explicit_curve(parameters.chosen)
    if parameters.name == "named" and parameters.chosen.native in NAMED_CURVES:
        return NAMED_CURVES[parameters.chosen.native]
    raise NotSupported(f"domain parameters {parameters.chosen.native}")


def _key(info: security_info.SecurityInfo) -> tuple[ec.Curve, tuple[int, int]]:
    """The curve and point of a ChipAuthenticationPublicKeyInfo's SubjectPublicKeyInfo."""
    spki = keys.PublicKeyInfo.load(info["required"].dump())
    if spki["algorithm"]["algorithm"].native != "ec":
        raise NotSupported(f"a {spki['algorithm']['algorithm'].native} key for ECDH")
    curve = _curve(spki["algorithm"]["parameters"])
    return curve, curve.decode(spki["public_key"].native)


def _key_id(info: security_info.SecurityInfo) -> int | None:
    optional = info["optional"]
    return None if optional.native is None else optional.parse(core.Integer).native


def offered(dg14: bytes | None) -> Offer | None:
    """The Chip Authentication DG14 declares; None if it declares none. NotSupported for
    one this kiosk does not run, ValueError for a malformed DG14."""
    infos = security_info.of_dg14(dg14)
    protocols = [i for i in infos if i["protocol"].dotted.startswith((_CA_ECDH, CA_DH))]
    public = [i for i in infos if i["protocol"].dotted in (PK_ECDH, PK_DH)]
    if not public:
        return None
    if not any(i["protocol"].dotted == PK_ECDH for i in public):
        raise NotSupported("Chip Authentication with DH keys")
    for key_info in (i for i in public if i["protocol"].dotted == PK_ECDH):
        key_id = _key_id(key_info)
        named = [p["protocol"].dotted for p in protocols if _key_id(p) in (key_id, None)]
        oid = next((o for o in named if o in KEY_SIZES), None if named else CA_3DES)
        if oid is not None:
            curve, point = _key(key_info)
            return Offer(oid, curve, point, key_id)
    raise NotSupported(f"Chip Authentication protocols {[p['protocol'].dotted for p in protocols]}")


def agree(offer: Offer) -> tuple[bytes, Session]:
    """An ephemeral key pair on the chip's curve: the public key to send (04 || x || y)
    and the session the shared secret gives (secure messaging counter at 0).
    ChipAuthError if the curve's arithmetic fails (explicit parameters that are no
    curve: DG14 is not yet checked against EF.SOD when this runs)."""
    curve = offer.curve
    secret = secrets.randbelow(curve.n - 1) + 1
    try:
        shared = curve.multiply(secret, offer.public)
        mine = curve.multiply(secret, curve.g)
    except ValueError as exc:  # a modular inverse that does not exist: p is no prime
        raise ChipAuthError(f"the curve's arithmetic fails: {exc}") from exc
    if shared is None or mine is None:
        raise ChipAuthError("the key agreement gave the point at infinity")
    k = shared[0].to_bytes(curve.size, "big")
    if offer.aes:
        size = KEY_SIZES[offer.oid]
        return curve.encode(mine), Session(pace.kdf(k, 1, size), pace.kdf(k, 2, size), 0, True)
    keys_3des = sm_crypto.derive_key(k, sm_crypto.ENC), sm_crypto.derive_key(k, sm_crypto.MAC)
    return curve.encode(mine), Session(*keys_3des, 0)


def commands(offer: Offer, ephemeral: bytes) -> list[Command]:
    """The commands that hand the chip the ephemeral key, under the current secure
    messaging: MSE:Set KAT (3DES), or MSE:Set AT then General Authenticate (AES)."""
    reference = b"" if offer.key_id is None else tlv.encode(0x84, _unsigned(offer.key_id))
    if not offer.aes:
        return [Command(0x22, 0x41, 0xA6, tlv.encode(0x91, ephemeral) + reference)]
    oid = core.ObjectIdentifier(offer.oid).dump()[2:]
    return [
        Command(0x22, 0x41, 0xA4, tlv.encode(0x80, oid) + reference),
        Command(0x86, 0x00, 0x00, tlv.encode(0x7C, tlv.encode(0x80, ephemeral)), le=256),
    ]


def _unsigned(n: int) -> bytes:
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
