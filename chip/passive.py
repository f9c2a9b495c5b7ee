"""Passive authentication (Doc 9303 part 11, 5.1): EF.SOD's signature by the document
signer certificate it carries, that certificate against the office's CSCA trust list,
and each data group read against the hash EF.SOD signs for it.

It proves the data groups are as the issuing state wrote them. It does not prove the
chip is the one the state put there: a copied chip passes it (Active or Chip
Authentication tell: `chip.active_auth`, `chip.chip_auth`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import ClassVar

from asn1crypto import algos, core
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.x509.oid import NameOID

from chip import signed_data, tlv
from chip.asn1 import MALFORMED
from chip.signed_data import SignatureInvalid
from kiosk.chip_check import ChipStatus

LDS_SECURITY_OBJECT = "2.23.136.1.1.1"


class DataGroupHash(core.Sequence):
    """One data group's number and hash (Doc 9303 part 10, 4.6.2.2)."""

    _fields: ClassVar[list] = [("number", core.Integer), ("hash", core.OctetString)]


class DataGroupHashes(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields: ClassVar[list] = [
        ("lds_version", core.PrintableString),
        ("unicode_version", core.PrintableString),
    ]


class LdsSecurityObject(core.Sequence):
    """The content EF.SOD signs: the hash algorithm and each data group's hash."""

    _fields: ClassVar[list] = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("hashes", DataGroupHashes),
        ("lds_version_info", LdsVersionInfo, {"optional": True}),
    ]


@dataclass(frozen=True)
class PassiveResult:
    """The outcome of passive authentication."""

    status: ChipStatus
    issuer: str
    detail: str = ""
    altered: tuple[int, ...] = ()
    country: str = ""  # the vouching CSCA's subject country (C=), when one vouches


def country_of(cert: x509.Certificate) -> str:
    """A certificate subject's country (C=), or "" if it names none."""
    found = cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(found[0].value) if found else ""


def name_of(name: x509.Name) -> str:
    """A certificate name as a clerk reads it: its common name and country."""
    cn = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    country = name.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    parts = [str(a.value) for a in (*cn, *country)]
    return ", ".join(parts) if parts else name.rfc4514_string()


def _trusted_issuer(ds: x509.Certificate, trust: list[x509.Certificate]) -> PassiveResult:
    """Verified (with the CSCA's country) if a CSCA in `trust` issued `ds`; else why not."""
    named = [c for c in trust if c.subject == ds.issuer]
    if not named:
        return PassiveResult(
            ChipStatus.UNKNOWN_ISSUER, name_of(ds.issuer), "no CSCA of that name is trusted"
        )
    for csca in named:
        try:
            ds.verify_directly_issued_by(csca)
            return PassiveResult(ChipStatus.VERIFIED, name_of(ds.issuer), country=country_of(csca))
        except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
            continue
    return PassiveResult(
        ChipStatus.SIGNATURE_INVALID,
        name_of(ds.issuer),
        "the document signer certificate is not signed by the CSCA it names",
    )


def signed_groups(ef_sod: bytes) -> set[int]:
    """The data-group numbers EF.SOD hashes, its signature not checked yet (that is
    `authenticate`'s job): which groups the issuer put on the chip, whatever EF.COM (which
    nothing signs) says. Empty if EF.SOD cannot be read."""
    try:
        inner = tlv.find(ef_sod, 0x77)
        lso = LdsSecurityObject.load(signed_data.content(signed_data.load(inner or b"")))
        return {h["number"].native for h in lso["hashes"]}
    except (SignatureInvalid, tlv.TlvError, *MALFORMED):
        return set()


def authenticate(
    ef_sod: bytes, groups: dict[int, bytes], trust: list[x509.Certificate]
) -> PassiveResult:
    """Check EF.SOD and the data groups read (number -> the file's bytes as read)."""
    try:
        inner = tlv.find(ef_sod, 0x77)
        if inner is None:
            raise SignatureInvalid("EF.SOD is not wrapped in tag 77")
        signed = signed_data.load(inner)
        if signed["encap_content_info"]["content_type"].dotted != LDS_SECURITY_OBJECT:
            raise SignatureInvalid("EF.SOD does not sign an LDS security object")
        payload, ds = signed_data.verified_content(signed)
        lso = LdsSecurityObject.load(payload)
        algorithm = lso["hash_algorithm"]["algorithm"].native
        signed_hashes = {h["number"].native: h["hash"].native for h in lso["hashes"]}
    except (SignatureInvalid, tlv.TlvError, *MALFORMED) as exc:
        return PassiveResult(ChipStatus.SIGNATURE_INVALID, "", str(exc))
    if algorithm not in signed_data.HASHES:
        return PassiveResult(ChipStatus.SIGNATURE_INVALID, "", f"unsupported hash {algorithm}")
    altered = tuple(
        n
        for n, data in sorted(groups.items())
        if n not in signed_hashes
        or not hmac.compare_digest(hashlib.new(algorithm, data).digest(), signed_hashes[n])
    )
    if altered:
        return PassiveResult(
            ChipStatus.DATA_GROUP_ALTERED, name_of(ds.issuer), "hash mismatch", altered
        )
    return _trusted_issuer(ds, trust)
