"""Passive authentication and the LDS files, on test passports without a reader."""

from __future__ import annotations

import io

import pytest
from chip_passports import (
    DG1,
    DG2,
    EF_COM,
    EF_SOD,
    Holder,
    dg2_of,
    face_jpeg,
    make_authority,
    make_passport,
)
from PIL import Image

from chip import datagroups
from chip.passive import authenticate
from chip.reading import ChipFiles, check_files
from kiosk.chip_check import ChipStatus
from scanning import mrz


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture(scope="module")
def passport(authority):
    return make_passport(authority)


def groups(passport):
    return {1: passport.files[DG1], 2: passport.files[DG2]}


def test_genuine_passport_verifies_against_its_csca(passport, authority):
    result = authenticate(passport.files[EF_SOD], groups(passport), [authority.csca])
    assert (result.status, result.issuer) == (ChipStatus.VERIFIED, "Utopia Test CSCA, UT")


def test_a_changed_data_group_is_named(passport, authority):
    forged = passport.with_file(DG2, dg2_of(face_jpeg(colour=(10, 10, 10))))
    result = authenticate(forged.files[EF_SOD], groups(forged), [authority.csca])
    assert result.status is ChipStatus.DATA_GROUP_ALTERED and result.altered == (2,)


def test_a_data_group_the_sod_does_not_sign_is_altered(passport, authority):
    extra = {**groups(passport), 3: b"\x63\x00"}
    result = authenticate(passport.files[EF_SOD], extra, [authority.csca])
    assert result.altered == (3,)


def test_a_flipped_bit_in_the_signature_is_invalid(passport, authority):
    sod = bytearray(passport.files[EF_SOD])
    sod[-10] ^= 0x01  # inside the ECDSA signature, the SOD's last field
    result = authenticate(bytes(sod), groups(passport), [authority.csca])
    assert result.status is ChipStatus.SIGNATURE_INVALID


def test_a_rehashed_sod_signed_by_a_forger_is_an_unknown_issuer(passport, authority):
    forger = make_authority("XF", "Forger CSCA")
    forged = make_passport(forger, Holder(), passport.face)
    result = authenticate(forged.files[EF_SOD], groups(forged), [authority.csca])
    assert (result.status, result.issuer) == (ChipStatus.UNKNOWN_ISSUER, "Forger CSCA, XF")


@pytest.mark.parametrize("junk", [b"", b"\x77\x03\x30\x01\x00", b"\x60\x00", bytes(40)])
def test_a_malformed_sod_is_invalid_not_a_crash(passport, authority, junk):
    result = authenticate(junk, groups(passport), [authority.csca])
    assert result.status is ChipStatus.SIGNATURE_INVALID


def test_lds_files_give_their_contents(passport):
    assert datagroups.present_groups(passport.files[EF_COM]) == [1, 2]
    assert datagroups.mrz_text(passport.files[DG1]) == passport.holder.mrz().replace("\n", "")
    face = datagroups.face_image(passport.files[DG2])
    assert (face.kind, face.data) == ("jpeg", passport.face)


@pytest.mark.parametrize("junk", [b"", b"\x75\x02\x7f\x61", b"\x75\x00", b"\x75\x81"])
def test_a_malformed_dg2_raises_a_named_error(junk):
    with pytest.raises(ValueError):
        datagroups.face_image(junk)


def test_a_jpeg_2000_face_is_found_and_named(authority):
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 150, 120)).save(out, "JPEG2000")
    passport = make_passport(authority, face=out.getvalue())
    face = datagroups.face_image(passport.files[DG2])
    assert (face.kind, face.data) == ("jp2", out.getvalue())


@pytest.mark.parametrize(
    ("csca_country", "state", "status"),
    [
        ("DE", "D", ChipStatus.VERIFIED),  # ICAO writes Germany "D", ISO "DE"
        ("FR", "FRA", ChipStatus.VERIFIED),
        ("DE", "FRA", ChipStatus.ISSUER_MISMATCH),
        ("FR", "XXA", ChipStatus.ISSUER_MISMATCH),  # a code no CSCA country stands for
    ],
)
def test_the_cscas_country_must_be_the_documents_issuing_state(csca_country, state, status):
    authority = make_authority(csca_country, f"{csca_country} CSCA")
    passport = make_passport(authority, Holder(issuing_state=state, nationality="FRA"))
    files = ChipFiles(
        ef_com=passport.files[EF_COM], groups=groups(passport), ef_sod=passport.files[EF_SOD]
    )
    reading = check_files(files, [authority.csca], lambda text: mrz.parse(text).to_id_reading())
    assert reading.status is status, reading.detail
    assert reading.chip_id.issuing_state == state
