"""A USB scanner set to one layout (US, Belgian AZERTY, German QWERTZ) typing on a computer set
to another."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.codes import ALPHABET
from scanning.keyboard_layout import (
    BE,
    DE,
    MISMATCHES,
    SERIAL_MISMATCHES,
    US,
    Mismatch,
    could_be_mrz_line,
    normalise_mrz,
    normalise_serial,
    retype,
    undo,
)
from scanning.mrz import compose_td1, compose_td3, parse

US_ON_AZERTY, AZERTY_ON_US = Mismatch(US, BE), Mismatch(BE, US)
US_ON_QWERTZ, AZERTY_ON_QWERTZ, QWERTZ_ON_AZERTY = (
    Mismatch(US, DE),
    Mismatch(BE, DE),
    Mismatch(DE, BE),
)
# ICAO Doc 9303 specimens (Part 4 TD3, Part 5 TD1).
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]


def test_what_a_us_scanner_types_on_a_belgian_keyboard():
    assert retype("G1-000042", US_ON_AZERTY) == "G&)àààà'é"
    assert retype("1234567890", US_ON_AZERTY) == "&é\"'(§è!çà"
    assert retype("P<UTOERIKSSON<<ANNA", US_ON_AZERTY) == "P.UTOERIKSSON..QNNQ"
    assert retype("MARIA", US_ON_AZERTY) == "?QRIQ"


def test_what_a_belgian_scanner_types_on_a_us_keyboard():
    assert retype("G1-000042", AZERTY_ON_US) == "G!=))))$@"
    assert retype("P<UTOERIKSSON<<ANNA<MARIA", AZERTY_ON_US) == "P<UTOERIKSSON<<QNNQ<:QRIQ"


def test_what_a_us_scanner_types_on_a_german_keyboard():
    """QWERTZ: Y and Z change places, "<" (Shift+comma) comes out as ";"."""
    assert retype("P<UTOMEYER<<ZOE", US_ON_QWERTZ) == "P;UTOMEZER;;YOE"
    assert retype("1234567890-", US_ON_QWERTZ) == "1234567890ß"


@pytest.mark.parametrize("mismatch", [US_ON_QWERTZ, AZERTY_ON_QWERTZ, QWERTZ_ON_AZERTY], ids=str)
def test_an_mrz_through_a_german_keyboard_is_read_with_its_names(mismatch):
    """A name with Y and Z (no check digit covers it) comes back as printed; before, the
    lines were no MRZ at all for the counter ("Not ... an ID document line")."""
    lines = compose_td3(
        "P", "D", "MEYER", "ZOE", "C01X00T47", "D", date(1980, 5, 17), "F", date(2030, 1, 1)
    ).splitlines()
    typed = [retype(line, mismatch) for line in lines]
    assert all(could_be_mrz_line(t) for t in typed)
    assert normalise_mrz(typed) == (lines, mismatch)
    assert parse("\n".join(lines)).surname == "MEYER"


@pytest.mark.parametrize("mismatch", MISMATCHES, ids=str)
def test_the_confirmation_code_alphabet_is_layout_proof(mismatch):
    assert retype(ALPHABET, mismatch) == ALPHABET
    assert retype(ALPHABET.lower(), mismatch) == ALPHABET.lower()


@pytest.mark.parametrize("mismatch", MISMATCHES, ids=str)
@pytest.mark.parametrize("lines", [TD3, TD1], ids=["TD3", "TD1"])
def test_icao_specimens_survive_a_layout_mismatch(lines, mismatch):
    typed = [retype(line, mismatch) for line in lines]
    assert typed != lines
    assert all(could_be_mrz_line(t) for t in typed)
    assert normalise_mrz(typed) == (lines, mismatch)


def test_clean_lines_are_left_alone():
    assert normalise_mrz(TD3) == (TD3, None)
    assert normalise_mrz([line.lower() for line in TD1]) == (TD1, None)


def test_a_garbled_mrz_is_not_made_valid_by_guessing_a_layout():
    garbled = [TD3[0], TD3[1][:-1] + "9"]  # wrong composite check digit
    lines, mismatch = normalise_mrz(garbled)
    assert (lines, mismatch) == (garbled, None)
    typed = [retype(line, US_ON_AZERTY) for line in garbled]
    lines, mismatch = normalise_mrz(typed)  # undone, and still invalid: parse says why
    assert lines == garbled and mismatch == US_ON_AZERTY


def test_serials():
    assert normalise_serial("G1-000042") == ("G1-000042", None)
    assert normalise_serial("g&)àààà'é") == ("G1-000042", US_ON_AZERTY)
    assert normalise_serial("V!=))))$@") == ("V1-000042", AZERTY_ON_US)
    assert normalise_serial("hello") is None
    assert normalise_serial("G1-00004") is None


def test_undo_is_the_inverse_of_retype_on_code_characters():
    text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<-"
    for mismatch in MISMATCHES:
        assert undo(retype(text, mismatch), mismatch) == text


names = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=1, max_size=12)
numbers = st.text(st.sampled_from("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"), min_size=9, max_size=9)


@settings(max_examples=60, deadline=None)
@given(
    surname=names,
    given=names,
    number=numbers,
    birth=st.dates(date(1940, 1, 1), date(2005, 12, 31)),
    expiry=st.dates(date(2027, 1, 1), date(2040, 12, 31)),
    sex=st.sampled_from("MFX"),
    passport=st.booleans(),
    mismatch=st.sampled_from(MISMATCHES),
)
def test_any_mrz_typed_through_a_mismatch_comes_back_exact(
    surname, given, number, birth, expiry, sex, passport, mismatch
):
    compose = compose_td3 if passport else compose_td1
    code = "P" if passport else "I"
    text = compose(code, "BEL", surname, given, number, "BEL", birth, sex, expiry)
    lines = text.splitlines()
    typed = [retype(line, mismatch) for line in lines]
    restored, found = normalise_mrz(typed)
    assert restored == lines
    assert found == mismatch
    assert parse("\n".join(restored)).document_number == number


@settings(max_examples=100, deadline=None)
@given(
    kiosk=st.from_regex(r"[A-Z][A-Z0-9]{0,3}", fullmatch=True),  # a kiosk id (hub/clients.py)
    number=st.integers(0, 99_999_999),
    mismatch=st.sampled_from([None, *SERIAL_MISMATCHES]),  # German scanner, US PC too
)
def test_any_serial_typed_through_any_layout_comes_back_exact(kiosk, number, mismatch):
    serial = f"{kiosk}-{number:06d}"
    typed = retype(serial, mismatch) if mismatch else serial
    assert normalise_serial(typed) == (serial, mismatch if typed != serial else None)
