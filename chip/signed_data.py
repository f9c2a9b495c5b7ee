"""CMS SignedData as ICAO uses it (EF.SOD, CSCA master lists): the signed content and the
certificate that signed it, after its signature is checked. asn1crypto reads the
structures; `cryptography` checks the signatures.
"""

from __future__ import annotations

import hashlib
import hmac

from asn1crypto import cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from chip.asn1 import MALFORMED

HASHES = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class SignatureInvalid(Exception):
    """The signed data is malformed or its signature does not verify."""


def load(data: bytes) -> cms.SignedData:
    """The SignedData of a ContentInfo; raises SignatureInvalid if it is not one."""
    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            raise SignatureInvalid("not CMS signed data")
        signed = info["content"]
        signed.native  # noqa: B018 - parse everything now, so a malformed file fails here
    except MALFORMED as exc:
        raise SignatureInvalid(f"malformed signed data: {exc}") from exc
    return signed


def content(signed: cms.SignedData) -> bytes:
    """The encapsulated content's bytes."""
    value = signed["encap_content_info"]["content"]
    raw = value.native if value.native is not None else b""
    return raw if isinstance(raw, bytes) else value.contents


def signer(signed: cms.SignedData) -> tuple[cms.SignerInfo, x509.Certificate]:
    """The one signer and the certificate the SignedData carries for it."""
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise SignatureInvalid(f"{len(infos)} signers where ICAO allows one")
    info = infos[0]
    sid = info["sid"]
    for choice in signed["certificates"] or []:
        cert = choice.chosen
        if not isinstance(cert, cms.Certificate):
            continue
        if sid.name == "issuer_and_serial_number":
            match = (
                cert.issuer == sid.chosen["issuer"]
                and cert.serial_number == sid.chosen["serial_number"].native
            )
        else:
            match = cert.key_identifier == sid.chosen.native
        if match:
            return info, x509.load_der_x509_certificate(cert.dump())
    raise SignatureInvalid("the signer's certificate is not in the signed data")


def _signed_bytes(info: cms.SignerInfo, payload: bytes) -> tuple[bytes, str]:
    """What the signature covers, and the digest algorithm's name."""
    digest_name = info["digest_algorithm"]["algorithm"].native
    if digest_name not in HASHES:
        raise SignatureInvalid(f"unsupported digest {digest_name}")
    attrs = info["signed_attrs"]
    if not attrs:
        return payload, digest_name
    digests = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
    expected = hashlib.new(digest_name, payload).digest()
    if len(digests) != 1 or not hmac.compare_digest(digests[0], expected):
        raise SignatureInvalid("the signed message digest does not match the content")
    # The signature covers the attributes DER-encoded as a SET, not as the [0] they sit in.
    return b"\x31" + attrs.dump()[1:], digest_name


def verify_signature(public_key, signature: bytes, data: bytes, info: cms.SignerInfo) -> None:
    """Check `signature` over `data` as the SignerInfo's algorithm says."""
    sig_algo = info["signature_algorithm"]
    digest_name = info["digest_algorithm"]["algorithm"].native
    algo = HASHES[digest_name]()
    try:
        kind = sig_algo.signature_algo
        if kind == "rsassa_pss":
            params = sig_algo["parameters"]
            pss_hash = HASHES[params["hash_algorithm"]["algorithm"].native]()
            pad = padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native)
            public_key.verify(signature, data, pad, pss_hash)
        elif kind == "rsassa_pkcs1v15" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), algo)
        elif kind == "ecdsa" and isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(algo))
        else:
            raise SignatureInvalid(f"unsupported signature algorithm {kind}")
    except InvalidSignature as exc:
        raise SignatureInvalid("the signature does not verify") from exc
    except (*MALFORMED, UnsupportedAlgorithm) as exc:
        raise SignatureInvalid(f"unusable signature parameters: {exc}") from exc


def verified_content(signed: cms.SignedData) -> tuple[bytes, x509.Certificate]:
    """The content and its signer's certificate, once the signature is checked; any
    malformed part raises SignatureInvalid."""
    try:
        payload = content(signed)
        info, cert = signer(signed)
        data, _ = _signed_bytes(info, payload)
        verify_signature(cert.public_key(), info["signature"].native, data, info)
    except (*MALFORMED, UnsupportedAlgorithm, x509.InvalidVersion) as exc:
        raise SignatureInvalid(f"malformed signed data: {exc}") from exc
    return payload, cert
