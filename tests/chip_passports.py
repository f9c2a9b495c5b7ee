"""Test passports built from scratch: a test CSCA, a document signer under it, and the
LDS files (EF.COM, DG1, DG2 with a face JPEG, EF.SOD) as Doc 9303 part 10 lays them out.

The CMS structures are built with asn1crypto and signed with `cryptography`; the LDS
security object's schema is declared here again, apart from the product's.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar

from asn1crypto import algos, cms, core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw

from scanning.mrz import compose_td3

EF_COM, EF_SOD, DG1, DG2 = 0x011E, 0x011D, 0x0101, 0x0102
DG14, DG15 = 0x010E, 0x010F
CARD_ACCESS = 0x011C
PACE_ECDH_GM_AES_128 = "0.4.0.127.0.7.2.2.4.2.2"
AA_PROTOCOL = "2.23.136.1.1.5"
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"
# Chip Authentication (Doc 9303 part 11, 9.2.5 and 9.2.6): the protocols by cipher, and
# the public key's protocol
CA_PROTOCOLS = {
    "3DES": "0.4.0.127.0.7.2.2.3.2.1",  # id-CA-ECDH-3DES-CBC-CBC
    "AES-128": "0.4.0.127.0.7.2.2.3.2.2",  # id-CA-ECDH-AES-CBC-CMAC-128
    "AES-256": "0.4.0.127.0.7.2.2.3.2.4",
    "DH-3DES": "0.4.0.127.0.7.2.2.3.1.1",  # id-CA-DH-3DES-CBC-CBC
    "DH-AES-128": "0.4.0.127.0.7.2.2.3.1.2",  # id-CA-DH-AES-CBC-CMAC-128
}
PK_ECDH = "0.4.0.127.0.7.2.2.1.2"
PK_DH = "0.4.0.127.0.7.2.2.1.1"
# A 1024-bit safe prime p = 2q + 1 made for these tests (OpenSSL); g = 4 generates the
# subgroup of prime order q.
DH_P = int(
    "e08ab7c88b44cf49694585d47fc76ba963bf1a9925f651d7722fa853c20f1400cebc87e4347e54e63edce3ef"
    "5bc62247cc3d2d024be9aa05c70b9c9096641f6276272581f100d03e10bc89cd17b3759b23dd8840aeb08a0d"
    "0a8cf167e94ade54b4e47c402c95294512fbf7fa1b1331000f177f5d70ea5889bd31fe079eaf332f",
    16,
)
DH_G, DH_Q = 4, (DH_P - 1) // 2


class _SecurityInfo(core.Sequence):
    _fields: ClassVar[list] = [
        ("protocol", core.ObjectIdentifier),
        ("required", core.Any),
        ("optional", core.Any, {"optional": True}),
    ]


class _SecurityInfos(core.SetOf):
    _child_spec = _SecurityInfo


class _PaceInfo(core.Sequence):
    _fields: ClassVar[list] = [
        ("protocol", core.ObjectIdentifier),
        ("version", core.Integer),
        ("parameter_id", core.Integer),
    ]


class _PaceInfos(core.SetOf):
    _child_spec = _PaceInfo


def card_access(parameter_id: int = 12, protocol: str = PACE_ECDH_GM_AES_128) -> bytes:
    """EF.CardAccess offering one PACE protocol (PACEInfo, version 2) on standardized
    domain parameters (12: NIST P-256)."""
    info = {"protocol": protocol, "version": 2, "parameter_id": parameter_id}
    return _PaceInfos([info]).dump()


class _Hash(core.Sequence):
    _fields: ClassVar[list] = [("n", core.Integer), ("value", core.OctetString)]


class _Hashes(core.SequenceOf):
    _child_spec = _Hash


class _Lso(core.Sequence):
    _fields: ClassVar[list] = [
        ("version", core.Integer),
        ("algorithm", algos.DigestAlgorithm),
        ("hashes", _Hashes),
    ]


def _tlv(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8, "big")
    n = len(value)
    if n < 0x80:
        return tag_bytes + bytes([n]) + value
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return tag_bytes + bytes([0x80 | len(raw)]) + raw + value


@dataclass(frozen=True)
class Authority:
    """A test country's CSCA and one document signer under it."""

    csca_key: ec.EllipticCurvePrivateKey
    csca: x509.Certificate
    ds_key: ec.EllipticCurvePrivateKey
    ds: x509.Certificate

    def csca_pem(self) -> bytes:
        return self.csca.public_bytes(Encoding.PEM)


def _name(cn: str, country: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def make_authority(country: str = "UT", name: str = "Utopia Test CSCA") -> Authority:
    """A self-signed CSCA (a CA) and a document signer certificate it issued."""
    now = datetime(2024, 1, 1, tzinfo=UTC)
    csca_key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(name, country)
    csca = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(csca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=15 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(csca_key, hashes.SHA256())
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{name} document signer", country))
        .issuer_name(subject)
        .public_key(ds_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=11 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(csca_key, hashes.SHA256())
    )
    return Authority(csca_key, csca, ds_key, ds)


def face_jpeg(colour: tuple[int, int, int] = (180, 140, 110), size: int = 5000) -> bytes:
    """A portrait-shaped JPEG of at least about `size` bytes (noise keeps it from
    shrinking; larger sizes get more pixels)."""
    scale = 1.0
    while True:
        w, h = int(120 * scale), int(160 * scale)
        img = Image.new("RGB", (w, h), (230, 230, 235))
        draw = ImageDraw.Draw(img)
        draw.ellipse((w * 0.2, h * 0.12, w * 0.8, h * 0.7), fill=colour)
        draw.rectangle((w * 0.12, h * 0.7, w * 0.88, h), fill=(40, 60, 120))
        noise = Image.effect_noise((w, h), 40).convert("RGB")
        out = io.BytesIO()
        Image.blend(img, noise, 0.15).save(out, "JPEG", quality=60)
        if out.tell() >= size * 0.9 or scale > 8:
            return out.getvalue()
        scale *= 1.25


@dataclass(frozen=True)
class Holder:
    """Whose passport it is: the MRZ fields."""

    surname: str = "ERIKSSON"
    given_names: str = "ANNA MARIA"
    document_number: str = "L898902C3"
    issuing_state: str = "UTO"
    nationality: str = "UTO"
    birth_date: date = date(1974, 8, 12)
    sex: str = "F"
    expiry_date: date = date(2032, 4, 15)

    @classmethod
    def of(cls, r) -> Holder:
        """The holder an MRZ reading (kiosk.model.IdReading) describes."""
        return cls(
            r.surname, r.given_names, r.document_number, r.issuing_state, r.nationality,
            r.birth_date, r.sex, r.expiry_date,
        )  # fmt: skip

    def mrz(self) -> str:
        return compose_td3(
            document_code="P",
            issuing_state=self.issuing_state,
            surname=self.surname,
            given_names=self.given_names,
            document_number=self.document_number,
            nationality=self.nationality,
            birth_date=self.birth_date,
            sex=self.sex,
            expiry_date=self.expiry_date,
        )


def _dg1(mrz: str) -> bytes:
    return _tlv(0x61, _tlv(0x5F1F, mrz.replace("\n", "").encode("ascii")))


def _dg2(jpeg: bytes) -> bytes:
    # ISO/IEC 19794-5 record: general header (14 bytes), facial header and image info
    # (20 + 12 bytes), then the image.
    record_length = 14 + 20 + 12 + len(jpeg)
    header = b"FAC\x00010\x00" + record_length.to_bytes(4, "big") + (1).to_bytes(2, "big")
    facial = (20 + 12 + len(jpeg)).to_bytes(4, "big") + bytes(16)
    image_info = bytes([1, 0]) + (120).to_bytes(2, "big") + (160).to_bytes(2, "big") + bytes(6)
    record = header + facial + image_info + jpeg
    bht = _tlv(0xA1, _tlv(0x80, b"\x01\x01") + _tlv(0x87, b"\x01\x01") + _tlv(0x88, b"\x00\x08"))
    block = _tlv(0x7F60, bht + _tlv(0x5F2E, record))
    return _tlv(0x75, _tlv(0x7F61, _tlv(0x02, b"\x01") + block))


def _ef_com(tags: bytes = b"\x61\x75") -> bytes:
    return _tlv(0x60, _tlv(0x5F01, b"0107") + _tlv(0x5F36, b"040000") + _tlv(0x5C, tags))


def aa_key() -> bytes:
    """A chip's Active Authentication key (P-256), PEM, for the emulator to sign with."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def dh_ca_key() -> bytes:
    """A Chip Authentication DH key in the test group, as the harness chip reads it:
    "DH <p> <x>" in hex (no PEM: `cryptography` deprecates finite-field DH, asn1crypto
    writes no DH private key)."""
    x = secrets.randbelow(DH_Q - 2) + 2
    return f"DH {DH_P:x} {x:x}".encode()


def _dh_spki(key: bytes) -> bytes:
    """The X9.42 SubjectPublicKeyInfo (p, g, q; y = g^x) of a `dh_ca_key`."""
    y = pow(DH_G, int(key.split()[2], 16), DH_P)
    algorithm = {"algorithm": "dh", "parameters": {"p": DH_P, "g": DH_G, "q": DH_Q}}
    return asn1_keys.PublicKeyInfo({"algorithm": algorithm, "public_key": core.Integer(y)}).dump()


def rsa_aa_key(bits: int = 1024) -> bytes:
    """An RSA Active Authentication key, PEM (ISO/IEC 9796-2 signatures)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def _spki(key_pem: bytes) -> bytes:
    if key_pem.startswith(b"DH "):
        return _dh_spki(key_pem)
    public = load_pem_private_key(key_pem, None).public_key()
    return public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _dg15(key_pem: bytes) -> bytes:
    return _tlv(0x6F, _spki(key_pem))


def _info(protocol: str, required: core.Asn1Value, optional: core.Asn1Value | None = None):
    info = {"protocol": protocol, "required": core.Any.load(required.dump())}
    if optional is not None:
        info["optional"] = core.Any.load(optional.dump())
    return info


def dg14(ecdsa_aa: bool = False, ca_key: bytes | None = None, ca: str = "AES-128") -> bytes:
    """DG14: ActiveAuthenticationInfo (ECDSA, SHA-256) with `ecdsa_aa`; with `ca_key`,
    ChipAuthenticationInfo (version 1, the `ca` protocol) and the key's
    ChipAuthenticationPublicKeyInfo (id-PK-ECDH, or id-PK-DH for "DH-…")."""
    infos = []
    if ecdsa_aa:
        aa = _info(AA_PROTOCOL, core.Integer(1), core.ObjectIdentifier(ECDSA_PLAIN_SHA256))
        infos.append(aa)
    if ca_key is not None:
        infos.append(_info(CA_PROTOCOLS[ca], core.Integer(1)))
        public_key = PK_DH if ca.startswith("DH") else PK_ECDH
        infos.append(_info(public_key, core.Any.load(_spki(ca_key))))
    return _tlv(0x6E, _SecurityInfos(infos).dump())


def signed_data(content_type: str, payload: bytes, key, cert: x509.Certificate) -> bytes:
    """A CMS ContentInfo: `payload` signed (ECDSA, SHA-256, signed attributes) by `key`,
    carrying `cert`."""
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": [content_type]},
            {"type": "message_digest", "values": [hashlib.sha256(payload).digest()]},
        ]
    )
    signature = key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    signer = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": content_type,
                "content": core.ParsableOctetString(payload),
            },
            "certificates": [signer],
            "signer_infos": [
                {
                    "version": "v1",
                    "sid": {
                        "issuer_and_serial_number": {
                            "issuer": signer.issuer,
                            "serial_number": signer.serial_number,
                        }
                    },
                    "digest_algorithm": {"algorithm": "sha256"},
                    "signed_attrs": attrs,
                    "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                    "signature": signature,
                }
            ],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def ef_sod(groups: dict[int, bytes], signer: Authority) -> bytes:
    """EF.SOD: the data groups' SHA-256 hashes, signed by `signer`'s document signer."""
    lso = _Lso(
        {
            "version": 0,
            "algorithm": {"algorithm": "sha256"},
            "hashes": [
                {"n": n, "value": hashlib.sha256(data).digest()} for n, data in groups.items()
            ],
        }
    ).dump()
    return _tlv(0x77, signed_data("2.23.136.1.1.1", lso, signer.ds_key, signer.ds))


class _CertSet(core.SetOf):
    _child_spec = asn1_x509.Certificate


class _MasterList(core.Sequence):
    _fields: ClassVar[list] = [("version", core.Integer), ("certs", _CertSet)]


def master_list(cscas: list[x509.Certificate], signer: Authority) -> bytes:
    """An ICAO CSCA master list holding `cscas`, signed by `signer`'s document signer key."""
    certs = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in cscas]
    payload = _MasterList({"version": 0, "certs": certs}).dump()
    return signed_data("2.23.136.1.1.2", payload, signer.ds_key, signer.ds)


@dataclass(frozen=True)
class Passport:
    """A test passport: its holder, its chip's files by file identifier."""

    holder: Holder
    files: dict[int, bytes] = field(default_factory=dict)
    face: bytes = b""
    aa_key: bytes | None = None  # the chip's Active Authentication private key (PEM)
    ca_key: bytes | None = None  # the chip's Chip Authentication private key (PEM)

    def with_file(self, fid: int, data: bytes) -> Passport:
        """The same passport with one file replaced (the SOD left as signed)."""
        return replace(self, files={**self.files, fid: data})


def make_passport(
    authority: Authority,
    holder: Holder | None = None,
    face: bytes | None = None,
    active_auth: bool = False,
    pace: bool = False,
    rsa_aa: bool = False,
    chip_auth: str | None = None,
) -> Passport:
    """A genuine test passport signed under `authority`; with `active_auth`, its chip
    holds an Active Authentication key (DG15, DG14 naming ECDSA with SHA-256), with
    `rsa_aa` an RSA one (DG15 alone); with `chip_auth` (a key of `CA_PROTOCOLS`) a Chip
    Authentication key (P-256, or DH in the test group, declared in DG14); with `pace`,
    its EF.CardAccess offers PACE (ECDH Generic Mapping, AES-128, P-256)."""
    holder = holder or Holder()
    face = face if face is not None else face_jpeg()
    dg1, dg2 = _dg1(holder.mrz()), _dg2(face)
    groups = {1: dg1, 2: dg2}
    key = rsa_aa_key() if rsa_aa else aa_key() if active_auth else None
    ca = (dh_ca_key() if chip_auth.startswith("DH") else aa_key()) if chip_auth else None
    if active_auth or chip_auth:
        groups[14] = dg14(active_auth and not rsa_aa, ca, chip_auth or "AES-128")
    if key is not None:
        groups[15] = _dg15(key)
    files = {DG_FIDS[n]: data for n, data in groups.items()}
    files[EF_COM] = _ef_com(bytes(_LDS_TAGS[n] for n in groups))
    files[EF_SOD] = ef_sod(groups, authority)
    if pace:
        files[CARD_ACCESS] = card_access()
    return Passport(holder, files, face, key, ca)


DG_FIDS = {1: DG1, 2: DG2, 14: DG14, 15: DG15}
_LDS_TAGS = {1: 0x61, 2: 0x75, 14: 0x6E, 15: 0x6F}


def dg2_of(face: bytes) -> bytes:
    """A DG2 holding `face` (to swap into a passport)."""
    return _dg2(face)


def dg1_of(holder: Holder) -> bytes:
    """A DG1 holding `holder`'s MRZ."""
    return _dg1(holder.mrz())
