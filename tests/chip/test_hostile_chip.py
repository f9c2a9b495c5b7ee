"""Whatever bytes a chip sends, the kiosk answers with one of its named outcomes, never
with a crash: the TLV walker, the LDS parsers, secure messaging and passive
authentication on arbitrary input (Hypothesis)."""

from __future__ import annotations

import contextlib

import pytest
from chip_passports import DG1, DG2, DG14, DG15, EF_COM, EF_SOD, make_authority, make_passport
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chip import datagroups, ec, pace, tlv
from chip.bac import AccessDenied, Session
from chip.passive import authenticate, signed_groups
from chip.reading import ChipFiles, check_files
from chip.secure_messaging import SecureChannel, SecureMessagingError
from kiosk.chip_check import ChipStatus
from scanning import mrz

PASSPORT = make_passport(make_authority())
TRUST = [make_authority().csca]
AUTHORITY = make_authority()
ACTIVE = make_passport(AUTHORITY, active_auth=True)
FAST = settings(max_examples=100, deadline=None)


@FAST
@given(st.binary(max_size=300))
def test_tlv_walker_raises_only_its_own_error(data):
    try:
        for _tag, value in tlv.items(data):
            assert len(value) <= len(data)
    except tlv.TlvError:
        pass


@FAST
@given(st.binary(max_size=300))
def test_lds_parsers_raise_only_value_errors(data):
    for parse in (datagroups.present_groups, datagroups.mrz_text, datagroups.face_image):
        with contextlib.suppress(ValueError):  # LdsError and TlvError are ValueErrors
            parse(data)


@FAST
@given(st.binary(max_size=120))
def test_secure_messaging_refuses_any_unauthentic_answer(answer):
    channel = SecureChannel(Session(bytes(16), bytes(range(16)), 0))
    with pytest.raises(SecureMessagingError):
        channel.unwrap(answer)


@pytest.mark.slow  # a signature check per example
@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(PASSPORT.files[EF_SOD]) - 1), st.integers(1, 255))
# Changes asn1crypto answered with AttributeError or IndexError (54 of the 200,940 one-byte
# changes, so a run of 300 examples met one now and then): chip/asn1.py.
@example(35, 11)
@example(50, 6)
@example(57, 9)
@example(466, 201)
def test_any_changed_byte_of_the_sod_fails_or_is_harmless(at, flip):
    sod = bytearray(PASSPORT.files[EF_SOD])
    sod[at] ^= flip
    groups = {1: PASSPORT.files[DG1], 2: PASSPORT.files[DG2]}
    assert all(type(n) is int for n in signed_groups(bytes(sod)))  # unsigned, never a crash
    result = authenticate(bytes(sod), groups, TRUST)
    # Never verified against a trust list that does not hold its CSCA; never a crash.
    assert result.status in {
        ChipStatus.SIGNATURE_INVALID,
        ChipStatus.DATA_GROUP_ALTERED,
        ChipStatus.UNKNOWN_ISSUER,
    }


@FAST
@given(st.binary(max_size=300))
def test_card_access_parser_never_raises(data):
    assert pace.offered(data) in (
        None,
        *[pace.PaceInfo(o, p) for o in pace.KEY_SIZES for p in pace.CURVES],
    )


_POINTS = st.integers(1, ec.P256.n - 1).map(
    lambda k: ec.P256.encode(ec.P256.multiply(k, ec.P256.g))
)


@pytest.mark.slow  # over a second: out of the fast lane
@settings(max_examples=25, deadline=None)  # each full exchange costs five multiplications
@given(
    st.one_of(st.binary(max_size=40), st.binary(min_size=16, max_size=16)),
    st.one_of(st.binary(max_size=70), _POINTS),
    st.one_of(st.binary(max_size=70), _POINTS),
    st.binary(max_size=10),
    st.sampled_from([0x9000, 0x6300, 0x6A80]),
)
def test_pace_with_a_chip_sending_junk_ends_in_a_named_refusal(nonce, pk_map, pk_eph, tok, sw):
    """Well-formed General Authenticate answers carrying junk (or valid but unrelated
    points): the exchange ends in PaceError or AccessDenied, never another exception."""
    objects = [tlv.encode(0x7C, tlv.encode(t, v)) for t, v in
               ((0x80, nonce), (0x82, pk_map), (0x84, pk_eph), (0x86, tok))]  # fmt: skip
    replies = iter([(b"", 0x9000), *[(o, 0x9000) for o in objects[:-1]], (objects[-1], sw)])
    info = pace.PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 12)
    with pytest.raises((pace.PaceError, AccessDenied)):
        pace.establish(lambda _apdu: next(replies), info, pace.Can("123456"))


@pytest.mark.slow  # a signature check per example
@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(ACTIVE.files[DG14]) - 1), st.integers(1, 255))
# Changes asn1crypto answered with AttributeError or TypeError, which escaped the
# Active Authentication check before chip/asn1.py.
@example(15, 6)
@example(17, 1)
@example(17, 12)
def test_any_changed_byte_of_dg14_is_a_verdict_never_a_crash(at, flip):
    """DG14 is parsed for Active Authentication before anything says it is genuine."""
    dg14 = bytearray(ACTIVE.files[DG14])
    dg14[at] ^= flip
    groups = {1: ACTIVE.files[DG1], 2: ACTIVE.files[DG2], 14: bytes(dg14), 15: ACTIVE.files[DG15]}
    files = ChipFiles(ACTIVE.files[EF_COM], groups, ACTIVE.files[EF_SOD], bytes(8), bytes(64))
    reading = check_files(files, [AUTHORITY.csca], lambda t: mrz.parse(t).to_id_reading())
    assert reading.status is ChipStatus.DATA_GROUP_ALTERED and reading.altered_groups == (14,)
