"""A passport chip read end to end: pcscd, vsmartcard's virtual reader, an emulated
chip (chip_card.py) holding test passports (chip_passports.py), and the kiosk's reader."""

from __future__ import annotations

from datetime import date

import pytest
from chip_fixtures import PcscSite
from chip_passports import (
    DG1,
    DG2,
    Holder,
    dg1_of,
    dg2_of,
    face_jpeg,
    make_authority,
    make_passport,
)

from chip.bac import AccessKey
from chip.reading import read_passport
from kiosk.chip_check import ChipStatus, check_chip
from kiosk.model import Verdict
from scanning import mrz

TODAY = date(2026, 2, 14)


def parse(text: str):
    return mrz.parse(text, today=TODAY).to_id_reading()


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture(scope="module")
def passport(authority):
    return make_passport(authority)


def key_of(holder: Holder) -> AccessKey:
    return AccessKey(holder.document_number, holder.birth_date, holder.expiry_date)


def read(passport, trust, holder: Holder | None = None):
    return read_passport(key_of(holder or passport.holder), trust, parse, PcscSite.READER)


def test_genuine_chip_is_verified_by_its_issuer(reader, passport, authority):
    reader.insert(passport.files, passport.holder.mrz())
    result = read(passport, [authority.csca])
    chip = result.reading
    assert chip.status is ChipStatus.VERIFIED, chip.detail
    assert chip.issuer == "Utopia Test CSCA, UT"
    assert chip.face == passport.face
    assert chip.chip_id == parse(passport.holder.mrz())
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.ok and check.reason_en == "Chip verified by Utopia Test CSCA, UT."
    steps = ("access control", "EF.COM", "DG1", "DG2", "EF.SOD", "passive authentication")
    assert set(result.timings) == set(steps)


def test_swapped_face_is_an_altered_data_group(reader, passport, authority):
    forged = passport.with_file(DG2, dg2_of(face_jpeg(colour=(90, 60, 40))))
    reader.insert(forged.files, passport.holder.mrz())
    chip = read(forged, [authority.csca]).reading
    assert chip.status is ChipStatus.DATA_GROUP_ALTERED
    assert chip.altered_groups == (2,)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert not check.ok and check.on_fail is Verdict.REFUSE
    assert "DG2" in check.reason_en


def test_chip_signed_under_an_unknown_csca_is_a_supervisor_case(reader, authority):
    rogue = make_authority("UT", "Utopia Test CSCA")  # same name, another key
    passport = make_passport(rogue)
    reader.insert(passport.files, passport.holder.mrz())
    # A CSCA of the same name whose key did not sign: the chain fails.
    chip = read(passport, [authority.csca]).reading
    assert chip.status is ChipStatus.SIGNATURE_INVALID
    other = make_authority("XU", "Another State CSCA")
    chip = read(passport, [other.csca]).reading
    assert chip.status is ChipStatus.UNKNOWN_ISSUER
    assert chip.issuer == "Utopia Test CSCA, UT"
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert not check.ok and check.on_fail is Verdict.SUPERVISOR


def test_wrong_mrz_is_access_denied_with_a_clear_message(reader, passport, authority):
    reader.insert(passport.files, passport.holder.mrz())
    wrong = Holder(document_number="X12345678")
    chip = read(passport, [authority.csca], wrong).reading
    assert chip.status is ChipStatus.ACCESS_DENIED
    assert chip.chip_id is None and chip.face == b""
    check = check_chip(chip, parse(wrong.mrz()))
    assert check.on_fail is Verdict.SUPERVISOR
    assert check.reason_en.startswith("The chip refused the printed MRZ")
    # The chip still opens for the right MRZ: a refusal leaves it as it was.
    assert read(passport, [authority.csca]).reading.status is ChipStatus.VERIFIED


@pytest.mark.parametrize("at_command", [5, 14])
def test_card_removed_mid_read_says_so_and_keeps_nothing(reader, passport, authority, at_command):
    reader.insert(passport.files, passport.holder.mrz(), remove_after=at_command)
    result = read(passport, [authority.csca])
    chip = result.reading
    assert chip.status is ChipStatus.INTERRUPTED
    assert (chip.chip_id, chip.face, chip.dg1_mrz, result.timings) == (None, b"", "", {})
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.ok and "put the document back on the reader" in check.reason_en


def test_printed_mrz_unlike_the_chip_is_refused_with_both_shown(reader, authority):
    chip_holder = Holder(given_names="ANNA")
    printed_holder = Holder(given_names="ANNA MARIA")  # same number and dates: BAC opens
    passport = make_passport(authority, chip_holder)
    reader.insert(passport.files, chip_holder.mrz())
    chip = read(passport, [authority.csca], printed_holder).reading
    assert chip.status is ChipStatus.VERIFIED
    check = check_chip(chip, parse(printed_holder.mrz()))
    assert not check.ok and check.on_fail is Verdict.REFUSE
    assert "given names: chip ANNA, printed ANNA MARIA" in check.reason_en
    assert "prénoms : puce ANNA, imprimé ANNA MARIA" in check.reason_fr


def test_dg1_rewritten_on_the_chip_is_an_altered_data_group(reader, passport, authority):
    forged = passport.with_file(DG1, dg1_of(Holder(surname="MALLORY")))
    reader.insert(forged.files, passport.holder.mrz())
    chip = read(forged, [authority.csca]).reading
    assert chip.status is ChipStatus.DATA_GROUP_ALTERED and chip.altered_groups == (1,)


def test_empty_reader_is_no_chip_and_unknown_reader_no_reader(reader, passport, authority):
    assert read(passport, [authority.csca]).reading.status is ChipStatus.NO_CHIP
    missing = read_passport(key_of(passport.holder), [], parse, "No Such Reader 00 00")
    assert missing.reading.status is ChipStatus.NO_READER


def test_chip_with_active_authentication_proves_it_is_no_copy(reader, authority):
    passport = make_passport(authority, active_auth=True)
    reader.insert(passport.files, passport.holder.mrz(), aa_key=passport.aa_key)
    result = read(passport, [authority.csca])
    chip = result.reading
    assert (chip.status, chip.active_auth) == (ChipStatus.VERIFIED, True), chip.detail
    assert "active authentication" in result.timings
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.ok and check.reason_en.endswith("and no copy (Active Authentication).")


def test_a_copied_chip_without_its_key_is_a_suspected_clone(reader, authority):
    passport = make_passport(authority, active_auth=True)
    copy_key = make_passport(authority, active_auth=True).aa_key  # every file, another key
    reader.insert(passport.files, passport.holder.mrz(), aa_key=copy_key)
    chip = read(passport, [authority.csca]).reading
    assert (chip.status, chip.active_auth) == (ChipStatus.CLONE_SUSPECTED, False)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert not check.ok and check.on_fail is Verdict.REFUSE
    assert "copy" in check.reason_en and "copie" in check.reason_fr


def test_a_csca_of_another_state_does_not_vouch_for_its_passport(reader):
    germany = make_authority("DE", "Germany Test CSCA")
    french = Holder(issuing_state="FRA", nationality="FRA")
    passport = make_passport(germany, french)
    reader.insert(passport.files, french.mrz())
    chip = read(passport, [germany.csca]).reading
    assert chip.status is ChipStatus.ISSUER_MISMATCH
    assert chip.detail == "CSCA country DE, document state FRA"
    check = check_chip(chip, parse(french.mrz()))
    assert not check.ok and check.on_fail is Verdict.SUPERVISOR
    assert check.reason_en.startswith("The chip's issuer does not match the document's state")
    assert "Germany Test CSCA, DE" in check.reason_fr


def test_chip_with_rsa_active_authentication_proves_it_is_no_copy(reader, authority):
    passport = make_passport(authority, rsa_aa=True)
    reader.insert(passport.files, passport.holder.mrz(), aa_key=passport.aa_key)
    chip = read(passport, [authority.csca]).reading
    assert (chip.status, chip.active_auth) == (ChipStatus.VERIFIED, True), chip.detail
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.ok and check.reason_en.endswith("and no copy (Active Authentication).")


def test_a_copied_rsa_chip_without_its_key_is_a_suspected_clone(reader, authority):
    passport = make_passport(authority, rsa_aa=True)
    copy_key = make_passport(authority, rsa_aa=True).aa_key
    reader.insert(passport.files, passport.holder.mrz(), aa_key=copy_key)
    chip = read(passport, [authority.csca]).reading
    assert (chip.status, chip.active_auth) == (ChipStatus.CLONE_SUSPECTED, False)
    check = check_chip(chip, parse(passport.holder.mrz()))
    assert check.on_fail is Verdict.REFUSE and "Active Authentication" in check.reason_en
