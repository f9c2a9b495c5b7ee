"""Fuzzing the code parsers: whatever is scanned, the answer is a reasoned refusal."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.codes import (
    ALPHABET,
    BadgeClaim,
    CodeError,
    CodeKind,
    CodeProblem,
    Keyring,
    Signer,
    badge_code,
    read_badge,
    read_confirmation,
)
from kiosk.model import Counter, Flow

KIOSK = Signer.from_private_bytes(65, bytes(range(32)))
KEYS = Keyring({65: KIOSK.public_bytes()})


@settings(max_examples=300)
@given(st.binary(max_size=80))
def test_any_signed_body_reads_as_a_claim_or_a_format_error(body):
    # Even a body signed by a trusted key cannot crash the parser.
    text = KIOSK.sign(CodeKind.BADGE, body)
    try:
        claim, key = read_badge(text, KEYS)
    except CodeError as err:
        assert err.problem is CodeProblem.FORMAT
    else:
        assert key == 65 and isinstance(claim, BadgeClaim)


@settings(max_examples=300)
@given(st.text(alphabet=ALPHABET + "AQWZM0123456789 <-", max_size=220))
def test_arbitrary_scanner_text_is_never_a_genuine_badge(text):
    try:
        read_badge(text, KEYS)
    except CodeError:
        return
    raise AssertionError("random text read as a genuine badge")


claims = st.builds(
    BadgeClaim,
    accreditation_id=st.integers(0, 2**32 - 1),
    kiosk_id=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=15),
    sequence=st.integers(0, 2**32 - 1),
    valid_from=st.dates(date(2000, 1, 1), date(2150, 1, 1)),
    valid_until=st.dates(date(2000, 1, 1), date(2150, 1, 1)),
    flow=st.sampled_from(Flow),
    counter=st.sampled_from(Counter),
    event_id=st.one_of(
        st.none(), st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ-", min_size=1, max_size=15)
    ),
)


@settings(max_examples=200)
@given(claims)
def test_badge_claims_round_trip(claim):
    assert read_badge(badge_code(KIOSK, claim), KEYS) == (claim, 65)


@settings(max_examples=200)
@given(claims, st.integers(0, 400), st.integers(1, 15))
def test_any_altered_badge_letter_is_refused(claim, position, shift):
    text = badge_code(KIOSK, claim)
    i = position % len(text)
    altered = text[:i] + ALPHABET[(ALPHABET.index(text[i]) + shift) % 16] + text[i + 1 :]
    try:
        read_badge(altered, KEYS)
    except CodeError:
        return
    raise AssertionError(f"altered letter {i} accepted")


@given(claims)
def test_badge_is_never_read_as_a_confirmation(claim):
    try:
        read_confirmation(badge_code(KIOSK, claim), Keyring({65: KIOSK.public_bytes()}))
    except CodeError as err:
        assert err.problem is CodeProblem.WRONG_KIND
    else:
        raise AssertionError("badge accepted as a confirmation code")
