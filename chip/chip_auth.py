"""Chip Authentication (Doc 9303 part 11, 6.2): an ephemeral-static key agreement with
the key pair whose public half DG14 carries (signed into EF.SOD). The kiosk sends an
ephemeral public key on the chip's domain parameters; both sides derive new session keys
from the shared secret and secure messaging restarts under them. Only the chip holding
the private key can answer under the new keys, so a copied chip fails.

Built: ECDH and DH, each with 3DES (id-CA-ECDH-3DES-CBC-CBC, id-CA-DH-3DES-CBC-CBC: MSE:Set
KAT) and AES (…-AES-CBC-CMAC-128/192/256: MSE:Set AT, then General Authenticate). ECDH on
NIST P-256 and brainpoolP256r1, named or given as explicit parameters (any prime curve of
cofactor 1 is taken from them); DH on the group DG14's X9.42 parameters give (p, g, q),
the chip's key checked to lie in the subgroup of order q. A DG14 with a public key but no
ChipAuthenticationInfo means 3DES (Doc 9303's default).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from asn1crypto import core, keys

from chip import ec, pace, security_info, sm_crypto, tlv
from chip.bac import Session
from chip.secure_messaging import Command

PK_DH = "0.4.0.127.0.7.2.2.1.1"
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
# The protocols by public key: id-CA-DH-… and id-CA-ECDH-…, suffix 1 3DES, 2-4 AES.
FAMILIES = {PK_DH: "0.4.0.127.0.7.2.2.3.1.", PK_ECDH: "0.4.0.127.0.7.2.2.3.2."}
_SUFFIXES = {"1": 16, "2": 16, "3": 24, "4": 32}  # key bytes: 3DES, AES-128, -192, -256
KEY_SIZES = {family + s: n for family in FAMILIES.values() for s, n in _SUFFIXES.items()}
CA_3DES = FAMILIES[PK_ECDH] + "1"
NAMED_CURVES = {"secp256r1": ec.P256, "brainpoolp256r1": ec.BRAINPOOL_P256R1}
MAX_FIELD_BITS = 521  # the largest curve Doc 9303 names; a larger one would only slow us
MAX_DH_BITS = 4096  # DH groups on chips are 1024 or 2048 bits


class NotSupported(Exception):
    """DG14 declares a Chip Authentication key this kiosk does not use (a curve it does
    not know, another key type)."""


class ChipAuthError(Exception):
    """The key agreement cannot be computed (a degenerate shared secret)."""


@dataclass(frozen=True)
class DhGroup:
    """A DH group from X9.42 domain parameters: prime p, generator g, subgroup order q."""

    p: int
    g: int
    q: int

    @property
    def size(self) -> int:
        """Bytes of p: public values and the shared secret are written to this length."""
        return (self.p.bit_length() + 7) // 8


@dataclass(frozen=True)
class Offer:
    """The Chip Authentication DG14 declares: protocol, the chip's group (a curve or a DH
    group) and public key (a point or an integer), and its reference."""

    oid: str
    group: ec.Curve | DhGroup
    public: tuple[int, int] | int
    key_id: int | None = None

    @property
    def aes(self) -> bool:
        return not self.oid.endswith(".1")


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


def _dh_key(spki: keys.PublicKeyInfo) -> tuple[DhGroup, int]:
    """The group and public value of a DH key; ValueError unless the value lies in the
    subgroup of order q (as a genuine key does)."""
    params = spki["algorithm"]["parameters"]
    group = DhGroup(params["p"].native, params["g"].native, params["q"].native)
    y = spki["public_key"].native
    if not 512 <= group.p.bit_length() <= MAX_DH_BITS or not 1 < group.q < group.p:
        raise ValueError("the DH group is of an implausible size")
    if not (1 < group.g < group.p - 1 and 1 < y < group.p - 1) or pow(y, group.q, group.p) != 1:
        raise ValueError("the chip's DH key is not in the group's subgroup")
    return group, y


def _key(info: security_info.SecurityInfo) -> tuple[ec.Curve | DhGroup, tuple[int, int] | int]:
    """The group and public key of a ChipAuthenticationPublicKeyInfo's key."""
    spki = keys.PublicKeyInfo.load(info["required"].dump())
    algorithm = spki["algorithm"]["algorithm"].native
    if info["protocol"].dotted == PK_DH and algorithm == "dh":
        return _dh_key(spki)
    if info["protocol"].dotted == PK_ECDH and algorithm == "ec":
        curve = _curve(spki["algorithm"]["parameters"])
        return curve, curve.decode(spki["public_key"].native)
    raise NotSupported(f"a {algorithm} key for {info['protocol'].dotted}")


def _key_id(info: security_info.SecurityInfo) -> int | None:
    optional = info["optional"]
    return None if optional.native is None else optional.parse(core.Integer).native


def offered(dg14: bytes | None) -> Offer | None:
    """The Chip Authentication DG14 declares; None if it declares none. NotSupported for
    one this kiosk does not run, ValueError for a malformed DG14."""
    infos = security_info.of_dg14(dg14)
    protocols = [i for i in infos if i["protocol"].dotted.startswith(tuple(FAMILIES.values()))]
    for key_info in (i for i in infos if i["protocol"].dotted in FAMILIES):
        family, key_id = FAMILIES[key_info["protocol"].dotted], _key_id(key_info)
        named = [
            p["protocol"].dotted
            for p in protocols
            if p["protocol"].dotted.startswith(family) and _key_id(p) in (key_id, None)
        ]
        oid = next((o for o in named if o in KEY_SIZES), None if named else family + "1")
        if oid is not None:
            group, public = _key(key_info)
            return Offer(oid, group, public, key_id)
    if protocols:
        names = [p["protocol"].dotted for p in protocols]
        raise NotSupported(f"Chip Authentication protocols {names} without a key it runs")
    return None


def agree(offer: Offer) -> tuple[bytes, Session]:
    """An ephemeral key pair in the chip's group: the public key to send (04 || x || y on
    a curve, the value on p's length for DH) and the session the shared secret gives
    (secure messaging counter at 0).
    ChipAuthError if the curve's arithmetic fails (explicit parameters that are no
    curve: DG14 is not yet checked against EF.SOD when this runs)."""
    if isinstance(offer.group, DhGroup):
        ephemeral, k = _dh_agree(offer.group, offer.public)
    else:
        ephemeral, k = _ecdh_agree(offer.group, offer.public)
    if offer.aes:
        size = KEY_SIZES[offer.oid]
        return ephemeral, Session(pace.kdf(k, 1, size), pace.kdf(k, 2, size), 0, True)
    keys_3des = sm_crypto.derive_key(k, sm_crypto.ENC), sm_crypto.derive_key(k, sm_crypto.MAC)
    return ephemeral, Session(*keys_3des, 0)


def _ecdh_agree(curve: ec.Curve, public: tuple[int, int]) -> tuple[bytes, bytes]:
    """Our ephemeral public point (04 || x || y) and the shared secret (x)."""
    secret = secrets.randbelow(curve.n - 1) + 1
    try:
        shared = curve.multiply(secret, public)
        mine = curve.multiply(secret, curve.g)
    except ValueError as exc:  # a modular inverse that does not exist: p is no prime
        raise ChipAuthError(f"the curve's arithmetic fails: {exc}") from exc
    if shared is None or mine is None:
        raise ChipAuthError("the key agreement gave the point at infinity")
    return curve.encode(mine), shared[0].to_bytes(curve.size, "big")


def _dh_agree(group: DhGroup, public: int) -> tuple[bytes, bytes]:
    """Our ephemeral public value and the shared secret, each written to p's length."""
    secret = secrets.randbelow(group.q - 1) + 1
    shared = pow(public, secret, group.p)
    if shared in (0, 1, group.p - 1):
        raise ChipAuthError("the key agreement gave a degenerate secret")
    mine = pow(group.g, secret, group.p)
    return mine.to_bytes(group.size, "big"), shared.to_bytes(group.size, "big")


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
