"""The signed confirmation code: genuine codes read back, anything else gets its reason."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.codes import (
    ALPHABET,
    CodeError,
    CodeKind,
    CodeProblem,
    Keyring,
    Signer,
    confirmation_code,
    cut_short_confirmation,
    from_text,
    read_confirmation,
    to_text,
)

OFFICE = Signer.from_private_bytes(1, bytes(range(32)))
KEYRING = Keyring({1: OFFICE.public_bytes()})


def problem_of(text: str, keyring: Keyring = KEYRING) -> CodeProblem:
    with pytest.raises(CodeError) as err:
        read_confirmation(text, keyring)
    return err.value.problem


def test_genuine_code_reads_back_its_accreditation():
    code = confirmation_code(OFFICE, 123456)
    assert read_confirmation(code, KEYRING) == 123456
    assert len(code) == 140
    assert set(code) <= set(ALPHABET)


def test_code_survives_case_spaces_and_line_breaks():
    code = confirmation_code(OFFICE, 7)
    mangled = " ".join(code[i : i + 20] for i in range(0, len(code), 20)).lower() + "\n"
    assert read_confirmation(mangled, KEYRING) == 7


def test_alphabet_types_the_same_on_qwerty_and_azerty():
    # Keys that move between US QWERTY and Belgian AZERTY, and the digit row (shifted
    # on AZERTY), must not be in the alphabet.
    assert not set(ALPHABET) & set("AQWZM0123456789")


@pytest.mark.parametrize("position", range(0, 140, 1))
def test_every_altered_letter_is_refused(position):
    code = confirmation_code(OFFICE, 42)
    replacement = ALPHABET[(ALPHABET.index(code[position]) + 1) % 16]
    altered = code[:position] + replacement + code[position + 1 :]
    # Altering the kind byte gives an unknown format or a wrong kind; the key id, an
    # unknown key or a bad signature; anything else breaks the signature.
    assert problem_of(altered) in {
        CodeProblem.BAD_SIGNATURE,
        CodeProblem.UNKNOWN_KEY,
        CodeProblem.FORMAT,
        CodeProblem.WRONG_KIND,
    }
    if position >= 4:
        assert problem_of(altered) is CodeProblem.BAD_SIGNATURE


def test_a_code_with_one_letter_changed_is_not_called_forged_alone():
    """One letter changed is as often a misread or a typo (the letter prints the code as
    text) as a forgery: the clerk is told to scan again before refusing for good."""
    code = confirmation_code(OFFICE, 42)
    changed = code[:60] + ALPHABET[(ALPHABET.index(code[60]) + 1) % 16] + code[61:]
    with pytest.raises(CodeError) as caught:
        read_confirmation(changed, KEYRING)
    assert "misread" in caught.value.message_en and "scan it again" in caught.value.message_en
    assert "mal lu" in caught.value.message_fr and "à nouveau" in caught.value.message_fr


@pytest.mark.parametrize("cut", [1, 2, 10, 70, 138])
def test_truncated_code_is_read_as_cut_short_never_as_genuine(cut):
    code = confirmation_code(OFFICE, 42)
    assert problem_of(code[:-cut]) is CodeProblem.CUT_SHORT


def test_a_code_cut_short_and_forged_is_never_genuine_and_a_lone_letter_is_noise():
    forged = confirmation_code(Signer.generate(1), 42)
    assert problem_of(forged) is CodeProblem.BAD_SIGNATURE
    assert problem_of(forged[:100]) is CodeProblem.CUT_SHORT  # no one named: scan again
    assert problem_of(forged[:1]) is CodeProblem.FORMAT


def test_code_re_signed_with_another_key_under_the_same_id_is_forged():
    forger = Signer.generate(1)
    assert problem_of(confirmation_code(forger, 42)) is CodeProblem.BAD_SIGNATURE


def test_code_signed_with_an_unknown_key_id():
    stranger = Signer.generate(9)
    assert problem_of(confirmation_code(stranger, 42)) is CodeProblem.UNKNOWN_KEY


def test_rotated_keys_both_verify():
    new = Signer.generate(2)
    ring = Keyring({1: OFFICE.public_bytes(), 2: new.public_bytes()})
    assert read_confirmation(confirmation_code(OFFICE, 5), ring) == 5
    assert read_confirmation(confirmation_code(new, 6), ring) == 6


def test_badge_code_is_not_a_confirmation_code():
    badge = OFFICE.sign(CodeKind.BADGE, b"\x00\x01")
    assert problem_of(badge) is CodeProblem.WRONG_KIND


@pytest.mark.parametrize("text", ["", "HELLO", "BDF", "0123456789" * 14, "ÉÈ" * 70])
def test_garbage_is_an_unknown_format(text):
    assert problem_of(text) is CodeProblem.FORMAT


def test_every_problem_has_a_message_in_both_languages():
    for problem in CodeProblem:
        err = CodeError(problem)
        assert err.message_en and err.message_fr and err.message_en != err.message_fr


@given(st.binary(max_size=120))
def test_text_form_round_trips(raw):
    assert from_text(to_text(raw)) == raw


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_arbitrary_text_never_reads_as_genuine(text):
    with pytest.raises(CodeError):
        read_confirmation(text, KEYRING)


def test_a_confirmation_code_cut_short_is_told_from_noise_and_from_a_whole_code():
    code = confirmation_code(Signer.generate(7), 42)
    assert all(cut_short_confirmation(code[:n]) for n in (2, 40, len(code) - 1))
    assert cut_short_confirmation(code[:60].lower())  # as a scanner on caps lock types it
    assert not cut_short_confirmation(code)  # whole: read, and refused or not on its merits
    assert not cut_short_confirmation("hello world")
    assert not cut_short_confirmation(to_text(bytes([CodeKind.BADGE, 7])))  # a badge's start
