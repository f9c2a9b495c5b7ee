"""Active Authentication's signature check, without a reader: ECDSA, and RSA with
ISO/IEC 9796-2 scheme 1 signatures made by the harness chip (pycryptodome, apart from
the product's check)."""

from __future__ import annotations

import hashlib

import pytest
from asn1crypto import keys
from chip_card import rsa_aa_signature
from chip_passports import DG14, DG15, make_authority, make_passport
from Crypto.PublicKey import RSA
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from chip import active_auth

CHALLENGE = bytes.fromhex("0011223344556677")


@pytest.fixture(scope="module")
def passport():
    return make_passport(make_authority(), active_auth=True)


def plain_signature(key_pem: bytes, message: bytes) -> bytes:
    key = load_pem_private_key(key_pem, None)
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def test_the_chips_key_answers_its_challenge(passport):
    dg14, dg15 = passport.files[DG14], passport.files[DG15]
    signature = plain_signature(passport.aa_key, CHALLENGE)
    assert active_auth.verify(dg15, dg14, CHALLENGE, signature)
    assert not active_auth.verify(dg15, dg14, bytes(8), signature)  # another challenge
    other = make_passport(make_authority(), active_auth=True).aa_key
    assert not active_auth.verify(dg15, dg14, CHALLENGE, plain_signature(other, CHALLENGE))
    assert not active_auth.verify(dg15, dg14, CHALLENGE, b"")


def test_other_keys_and_a_missing_algorithm_are_not_supported_not_clones(passport):
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    spki = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(active_auth.NotSupported, match="Ed25519"):
        active_auth.verify(b"\x6f" + bytes([len(spki)]) + spki, None, CHALLENGE, bytes(64))
    with pytest.raises(active_auth.NotSupported, match="DG14"):
        active_auth.verify(passport.files[DG15], None, CHALLENGE, bytes(64))


@pytest.fixture(scope="module")
def rsa_passport():
    return make_passport(make_authority(), rsa_aa=True)


@pytest.mark.parametrize("hash_id", [None, 0x34])  # trailer BC (SHA-1), 34 CC (SHA-256)
def test_rsa_key_answers_its_challenge_by_iso_9796_2(rsa_passport, hash_id):
    dg15, key = rsa_passport.files[DG15], RSA.import_key(rsa_passport.aa_key)
    assert 14 not in rsa_passport.files  # RSA needs no DG14: the trailer names the hash
    signature = rsa_aa_signature(key, CHALLENGE, hash_id)
    assert active_auth.verify(dg15, None, CHALLENGE, signature)
    # The standard lets the chip send n - s instead of s: the same signature.
    other_half = (key.n - int.from_bytes(signature, "big")).to_bytes(len(signature), "big")
    assert active_auth.verify(dg15, None, CHALLENGE, other_half)
    assert not active_auth.verify(dg15, None, bytes(8), signature)  # another challenge


def test_rsa_signatures_that_do_not_open_right_fail(rsa_passport):
    dg15, key = rsa_passport.files[DG15], RSA.import_key(rsa_passport.aa_key)
    stranger = RSA.import_key(make_passport(make_authority(), rsa_aa=True).aa_key)
    signature = rsa_aa_signature(key, CHALLENGE)
    size = len(signature)

    def signed(f: bytes) -> bytes:  # a representative F signed as it is
        return pow(int.from_bytes(f, "big"), key.d, key.n).to_bytes(size, "big")

    genuine_f = pow(int.from_bytes(signature, "big"), key.e, key.n).to_bytes(size, "big")
    cases = {
        "another key": rsa_aa_signature(stranger, CHALLENGE),
        "cut short": signature[1:],
        "zero": bytes(size),
        "the modulus": key.n.to_bytes(size, "big"),
        "full recovery header 4A": signed(b"\x4a" + genuine_f[1:]),
        "unknown trailer": signed(genuine_f[:-1] + b"\xcc"),
        "hash changed": signed(genuine_f[:-2] + bytes([genuine_f[-2] ^ 1]) + b"\xbc"),
    }
    for what, bad in cases.items():
        assert not active_auth.verify(dg15, None, CHALLENGE, bad), what

    def padded(padding: bytes) -> bytes:  # 6B, padding, M1, SHA-1(M1 || M2), BC
        m1 = bytes(range(size - len(padding) - 22))
        return signed(b"\x6b" + padding + m1 + hashlib.sha1(m1 + CHALLENGE).digest() + b"\xbc")

    assert active_auth.verify(dg15, None, CHALLENGE, padded(b"\xbb\xbb\xba"))
    assert not active_auth.verify(dg15, None, CHALLENGE, padded(b"\xbb\x00\xba"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=140))
def test_any_answer_to_an_rsa_challenge_is_a_yes_or_no(rsa_passport, answer):
    assert active_auth.verify(rsa_passport.files[DG15], None, CHALLENGE, answer) is False


def test_an_rsa_key_too_large_to_be_a_chips_is_not_checked():
    n = (1 << 8191) + 1  # DG15 could claim any size; the kiosk does not compute with it
    spki = keys.PublicKeyInfo(
        {"algorithm": {"algorithm": "rsa"}, "public_key": {"modulus": n, "public_exponent": 3}}
    ).dump()
    dg15 = b"\x6f\x82" + len(spki).to_bytes(2, "big") + spki
    with pytest.raises(active_auth.NotSupported, match="8192 bits"):
        active_auth.verify(dg15, None, CHALLENGE, bytes(1024))
