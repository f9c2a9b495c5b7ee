"""Chip Authentication (Doc 9303 part 11, 6.2): DG14's key declarations parsed, the key
agreement and the restarted secure messaging against the harness chip in process (its
card side written apart with pycryptodome), and end to end through pcscd: a genuine chip
proves it is no copy, a copied chip (the files, another private key) is a suspected
clone, a DG14 not matching EF.SOD is an altered data group."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from asn1crypto import core, keys
from chip_card import PassportOS
from chip_fixtures import PcscSite
from chip_passports import (
    CA_PROTOCOLS,
    DG1,
    DG2,
    DG14,
    DH_G,
    DH_P,
    DH_Q,
    EF_COM,
    EF_SOD,
    PK_DH,
    PK_ECDH,
    _ef_com,
    _info,
    _SecurityInfos,
    _spki,
    _tlv,
    aa_key,
    dg14,
    dh_ca_key,
    ef_sod,
    make_authority,
    make_passport,
    rsa_aa_key,
)
from cryptography.hazmat.primitives.asymmetric import ec as cec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from chip import chip_auth, ec
from chip.bac import AccessKey
from chip.reading import check_files, read_files, read_passport
from kiosk.chip_check import ChipStatus, check_chip
from kiosk.model import Verdict
from scanning import mrz

TODAY = date(2026, 2, 14)
AUTHORITY = make_authority()


def parse(text: str):
    return mrz.parse(text, today=TODAY).to_id_reading()


def key_of(passport) -> AccessKey:
    h = passport.holder
    return AccessKey(h.document_number, h.birth_date, h.expiry_date)


class InProcess:
    """The harness chip answering in process, as a `Card`."""

    def __init__(self, passport, ca_key=None, files=None, aa_key=None) -> None:
        self.chip = PassportOS(
            files or passport.files,
            passport.holder.mrz().replace("\n", ""),
            b"",
            None,
            aa_key=aa_key or passport.aa_key,
            ca_key=ca_key or passport.ca_key,
        )

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        answer = self.chip.execute(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")


def _ec_spki(explicit: bool, curve: ec.Curve = ec.P256, point: bytes | None = None) -> bytes:
    """A public key (12345·G unless given) with its curve named, or spelled out (as many
    passports do)."""
    point = point or curve.encode(curve.multiply(12345, curve.g))
    if explicit:
        size = curve.size
        params = {
            "specified": {
                "version": "ecdpVer1",
                "field_id": {"field_type": "prime_field", "parameters": core.Integer(curve.p)},
                "curve": {"a": curve.a.to_bytes(size, "big"), "b": curve.b.to_bytes(size, "big")},
                "base": curve.encode(curve.g),
                "order": curve.n,
                "cofactor": 1,
            }
        }
    else:
        params = {"named": "secp256r1"}
    algorithm = {"algorithm": "ec", "parameters": keys.ECDomainParameters(params)}
    return keys.PublicKeyInfo({"algorithm": algorithm, "public_key": point}).dump()


def _dg14_with(*infos) -> bytes:
    return _tlv(0x6E, _SecurityInfos(list(infos)).dump())


@pytest.mark.parametrize("explicit", [False, True])
def test_dg14_key_named_or_explicit_gives_the_curve_and_point(explicit):
    key = _info(PK_ECDH, core.Any.load(_ec_spki(explicit)))
    offer = chip_auth.offered(_dg14_with(key))
    # No ChipAuthenticationInfo: Doc 9303 says 3DES.
    assert offer is not None and (offer.oid, offer.aes) == (chip_auth.CA_3DES, False)
    assert (offer.group.p, offer.group.a, offer.group.b, offer.group.g, offer.group.n) == (
        ec.P256.p,
        ec.P256.a,
        ec.P256.b,
        ec.P256.g,
        ec.P256.n,
    )
    assert offer.public == ec.P256.multiply(12345, ec.P256.g)


def test_dg14_without_a_key_offers_nothing_and_a_bad_group_or_junk_is_not_run():
    assert chip_auth.offered(dg14(ecdsa_aa=True)) is None
    assert chip_auth.offered(None) is None
    offer = chip_auth.offered(dg14(ca_key=aa_key(), ca="AES-256"))
    assert offer is not None and offer.aes and offer.oid.endswith(".4")
    dh_spki = keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "dh", "parameters": {"p": 23, "g": 5, "q": 11}},
            "public_key": core.Integer(8),
        }
    )
    tiny_dh = _info(PK_DH, core.Any.load(dh_spki.dump()))
    with pytest.raises(ValueError, match="implausible size"):
        chip_auth.offered(_dg14_with(tiny_dh))
    # A DH key outside the subgroup of order q (a forger's trick to learn the secret).
    outside = keys.PublicKeyInfo(
        {
            "algorithm": {"algorithm": "dh", "parameters": {"p": DH_P, "g": DH_G, "q": DH_Q}},
            "public_key": core.Integer(DH_P - 2),  # -2 has order 2q
        }
    )
    with pytest.raises(ValueError, match="subgroup"):
        chip_auth.offered(_dg14_with(_info(PK_DH, core.Any.load(outside.dump()))))
    rsa_as_ecdh = _info(PK_ECDH, core.Any.load(_spki(rsa_aa_key())))
    with pytest.raises(chip_auth.NotSupported, match="rsa key"):
        chip_auth.offered(_dg14_with(rsa_as_ecdh))
    off_curve = bytearray(_ec_spki(False))
    off_curve[-1] ^= 1  # the point's last byte: no longer on P-256
    with pytest.raises(ValueError, match="not on the curve"):
        chip_auth.offered(_dg14_with(_info(PK_ECDH, core.Any.load(bytes(off_curve)))))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_dg14_gives_an_offer_none_or_a_named_error(data):
    with contextlib.suppress(ValueError, chip_auth.NotSupported):
        chip_auth.offered(_tlv(0x6E, data))


@pytest.mark.parametrize(
    ("cipher", "pace"),
    [
        ("3DES", False),
        ("AES-128", False),
        ("AES-256", True),
        ("3DES", True),
        ("DH-3DES", False),
        ("DH-AES-128", True),
    ],
)
def test_chip_authentication_restarts_secure_messaging_under_new_keys(cipher, pace):
    passport = make_passport(AUTHORITY, chip_auth=cipher, pace=pace)
    files = read_files(InProcess(passport), key_of(passport))
    assert (files.chip_auth, files.chip_auth_note) == (True, "")
    assert "chip authentication" in files.timings
    chip = check_files(files, [AUTHORITY.csca], parse)
    assert (chip.status, chip.chip_auth, chip.active_auth) == (ChipStatus.VERIFIED, True, None)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.ok and check.reason_en.endswith("and no copy (Chip Authentication).")
    assert check.reason_fr.endswith("et non copiée (authentification de la puce).")


def test_with_active_authentication_too_both_are_named():
    passport = make_passport(AUTHORITY, chip_auth="AES-128", active_auth=True)
    chip = check_files(read_files(InProcess(passport), key_of(passport)), [AUTHORITY.csca], parse)
    assert (chip.chip_auth, chip.active_auth) == (True, True)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.reason_en.endswith("(Chip Authentication, Active Authentication).")


@pytest.mark.parametrize("cipher", ["3DES", "AES-128", "DH-AES-128"])
def test_a_copy_without_the_private_key_is_a_suspected_clone(cipher):
    passport = make_passport(AUTHORITY, chip_auth=cipher, active_auth=True)
    other = dh_ca_key() if cipher.startswith("DH") else aa_key()
    copy = InProcess(passport, ca_key=other)  # every file, another private key
    files = read_files(copy, key_of(passport))
    assert files.chip_auth is False and "Chip Authentication failed" in files.chip_auth_note
    assert not files.aa_signature  # no Active Authentication after a failed one
    chip = check_files(files, [AUTHORITY.csca], parse)
    assert (chip.status, chip.chip_auth) == (ChipStatus.CLONE_SUSPECTED, False)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert (check.ok, check.on_fail) == (False, Verdict.REFUSE)
    assert check.reason_en.startswith("The chip failed Chip Authentication: it may be a copy")
    assert check.reason_fr.startswith("La puce a échoué à l'authentification de la puce")


def test_a_dg14_swapped_for_the_forgers_own_key_is_an_altered_data_group():
    passport = make_passport(AUTHORITY, chip_auth="AES-128")
    forger_key = aa_key()
    forged = passport.with_file(DG14, dg14(ca_key=forger_key))
    files = read_files(InProcess(forged, ca_key=forger_key), key_of(passport))
    assert files.chip_auth is True  # the forger's chip answers for the forger's key...
    chip = check_files(files, [AUTHORITY.csca], parse)
    # ...but EF.SOD signs the issuer's DG14, not this one.
    assert (chip.status, chip.altered_groups) == (ChipStatus.DATA_GROUP_ALTERED, (14,))
    assert not check_chip(chip, parse(passport.holder.mrz())).ok


@pytest.mark.parametrize("proof", ["chip_auth", "active_auth"])
def test_a_copy_that_drops_the_proofs_from_ef_com_is_still_asked_for_them(proof):
    # EF.COM is not signed: a copy listing only DG1 and DG2 would skip DG14 and DG15.
    # EF.SOD's hashes name them, so the kiosk reads them and asks for the proof anyway.
    kw = {"chip_auth": "AES-128"} if proof == "chip_auth" else {"active_auth": True}
    passport = make_passport(AUTHORITY, **kw)
    stripped = passport.with_file(EF_COM, _ef_com(b"\x61\x75"))
    copy = InProcess(stripped, ca_key=aa_key(), aa_key=aa_key())  # other keys for both
    files = read_files(copy, key_of(passport))
    assert {14, 15} & set(files.groups)
    chip = check_files(files, [AUTHORITY.csca], parse)
    assert chip.status is ChipStatus.CLONE_SUSPECTED
    assert getattr(chip, proof) is False


def test_a_chip_that_refuses_the_key_agreement_is_a_suspected_clone():
    passport = make_passport(AUTHORITY, chip_auth="AES-128")
    card = InProcess(passport)
    card.chip.ca_agree = None  # the files declare a key the chip does not use
    files = read_files(card, key_of(passport))
    assert files.chip_auth is False and "refused" in files.chip_auth_note
    chip = check_files(files, [AUTHORITY.csca], parse)
    assert chip.status is ChipStatus.CLONE_SUSPECTED


def test_brainpool_key_given_by_explicit_parameters_as_german_passports_write_it():
    chip_key = cec.generate_private_key(cec.BrainpoolP256R1())
    point = chip_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    spki = _ec_spki(True, ec.BRAINPOOL_P256R1, point)
    group = _dg14_with(
        _info(CA_PROTOCOLS["AES-128"], core.Integer(1)), _info(PK_ECDH, core.Any.load(spki))
    )
    genuine = make_passport(AUTHORITY)
    groups = {1: genuine.files[DG1], 2: genuine.files[DG2], 14: group}
    files = {**genuine.files, DG14: group, EF_COM: _ef_com(b"\x61\x75\x6e")}
    files[EF_SOD] = ef_sod(groups, AUTHORITY)
    pem = chip_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    read = read_files(InProcess(genuine, ca_key=pem, files=files), key_of(genuine))
    assert read.chip_auth is True, read.chip_auth_note
    assert check_files(read, [AUTHORITY.csca], parse).status is ChipStatus.VERIFIED


def _explicit_dg14(p: int, a: int, b: int, g: tuple[int, int], n: int) -> bytes:
    curve = ec.Curve("hostile", p, a, b, g, n)
    spki = _ec_spki(True, curve, curve.encode(g))
    return _dg14_with(_info(PK_ECDH, core.Any.load(spki)))


def test_a_hostile_dg14_curve_ends_in_a_named_outcome_not_a_crash_or_a_hang():
    # Unsigned DG14s (Chip Authentication runs before EF.SOD is checked): a "prime" field
    # that is no prime breaks the arithmetic; a huge one would stall the read.
    no_prime = _explicit_dg14(2**256 - 2, 0, 0, (1, 1), 2**250)  # even: 2y has no inverse
    with pytest.raises(ValueError, match="implausible"):
        chip_auth.offered(_explicit_dg14(2**600 + 1, 0, 0, (1, 1), 2**590))
    passport = make_passport(AUTHORITY, chip_auth="AES-128")
    forged = passport.with_file(DG14, no_prime)
    files = read_files(InProcess(forged), key_of(passport))
    assert files.chip_auth is None and "arithmetic fails" in files.chip_auth_note
    chip = check_files(files, [AUTHORITY.csca], parse)
    assert (chip.status, chip.altered_groups) == (ChipStatus.DATA_GROUP_ALTERED, (14,))


# Through pcscd and vpcd, as a counter reads.


def read(passport):
    return read_passport(key_of(passport), [AUTHORITY.csca], parse, PcscSite.READER)


@pytest.mark.parametrize("protocol", ["AES-128", "DH-3DES"])
def test_genuine_chip_proves_chip_authentication_through_pcscd(reader, protocol):
    passport = make_passport(AUTHORITY, chip_auth=protocol)
    reader.insert(passport.files, passport.holder.mrz(), ca_key=passport.ca_key)
    result = read(passport)
    chip = result.reading
    assert (chip.status, chip.chip_auth) == (ChipStatus.VERIFIED, True), chip.detail
    assert "chip authentication" in result.timings
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.ok and check.reason_en.endswith("and no copy (Chip Authentication).")


def test_copied_chip_is_refused_as_a_clone_through_pcscd(reader):
    passport = make_passport(AUTHORITY, chip_auth="3DES")
    reader.insert(passport.files, passport.holder.mrz(), ca_key=aa_key())
    chip = read(passport).reading
    assert (chip.status, chip.chip_auth) == (ChipStatus.CLONE_SUSPECTED, False)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.on_fail is Verdict.REFUSE and "Chip Authentication" in check.reason_en


def test_forged_dg14_is_an_altered_data_group_through_pcscd(reader):
    passport = make_passport(AUTHORITY, chip_auth="AES-128")
    forger_key = aa_key()
    forged = passport.with_file(DG14, dg14(ca_key=forger_key))
    reader.insert(forged.files, passport.holder.mrz(), ca_key=forger_key)
    chip = read(passport).reading
    assert (chip.status, chip.altered_groups) == (ChipStatus.DATA_GROUP_ALTERED, (14,))
    assert "(DG14)" in check_chip(chip, parse(passport.holder.mrz())).reason_en
