"""Active Authentication (Doc 9303 part 11, 6.1): the chip signs a fresh challenge with a
private key that never leaves it; DG15 carries the public key, signed into EF.SOD. A copied
chip has the files but not the key, so it cannot answer.

Built for ECDSA keys (plain r||s signatures, BSI TR-03111, the hash named in DG14's
ActiveAuthenticationInfo) and RSA keys (ISO/IEC 9796-2 scheme 1, `chip.iso9796`: the hash
named by the signature's own trailer). Other keys are reported as not actively
authenticated, not as a clone.
"""

from __future__ import annotations

from asn1crypto import core
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from chip import iso9796, security_info, tlv

AA_PROTOCOL = "2.23.136.1.1.5"  # id-icao-mrtd-security-aaProtocolObject
_PLAIN_ECDSA = "0.4.0.127.0.7.1.1.4.1."  # ecdsa-plain-signatures (BSI TR-03111)
# Chips' RSA keys are 1024 to 3072 bits; a larger one (from an unsigned DG15, checked
# whatever EF.SOD says) would only make the kiosk compute for long.
MAX_RSA_BITS = 4096
PLAIN_ECDSA_HASHES = {
    _PLAIN_ECDSA + "1": hashes.SHA1,
    _PLAIN_ECDSA + "2": hashes.SHA224,
    _PLAIN_ECDSA + "3": hashes.SHA256,
    _PLAIN_ECDSA + "4": hashes.SHA384,
    _PLAIN_ECDSA + "5": hashes.SHA512,
}


class NotSupported(Exception):
    """The chip's Active Authentication uses what this kiosk does not check."""


def _ecdsa_hash(dg14: bytes | None) -> hashes.HashAlgorithm:
    """The hash DG14's ActiveAuthenticationInfo names for an ECDSA key."""
    for info in security_info.of_dg14(dg14):
        if info["protocol"].dotted == AA_PROTOCOL and info["optional"].native is not None:
            oid = core.ObjectIdentifier.load(info["optional"].dump()).dotted
            if oid in PLAIN_ECDSA_HASHES:
                return PLAIN_ECDSA_HASHES[oid]()
            raise NotSupported(f"signature algorithm {oid}")
    raise NotSupported("DG14 names no Active Authentication algorithm for an ECDSA key")


def verify(dg15: bytes, dg14: bytes | None, challenge: bytes, signature: bytes) -> bool:
    """Whether `signature` is the chip's answer to `challenge` under DG15's key.

    Raises NotSupported for keys or algorithms this kiosk does not check, ValueError for
    a malformed DG15 or DG14."""
    spki = tlv.find(dg15, 0x6F)
    if spki is None:
        raise ValueError("DG15 holds no public key")
    try:
        key = serialization.load_der_public_key(spki)
    except UnsupportedAlgorithm as exc:
        raise NotSupported(str(exc)) from exc
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()
        if numbers.n.bit_length() > MAX_RSA_BITS or numbers.e.bit_length() > MAX_RSA_BITS:
            raise NotSupported(f"an RSA key of {numbers.n.bit_length()} bits")
        return iso9796.verify(numbers.n, numbers.e, challenge, signature)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise NotSupported(f"{type(key).__name__} keys")
    algorithm = _ecdsa_hash(dg14)
    half = len(signature) // 2
    if len(signature) % 2 or half == 0:
        return False
    r, s = int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    try:
        key.verify(encode_dss_signature(r, s), challenge, ec.ECDSA(algorithm))
    except InvalidSignature:
        return False
    return True
