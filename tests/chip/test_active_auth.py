"""Active Authentication's signature check, without a reader."""

from __future__ import annotations

import pytest
from chip_passports import DG14, DG15, make_authority, make_passport
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

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


def test_rsa_keys_and_a_missing_algorithm_are_not_supported_not_clones(passport):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    spki = rsa_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    rsa_dg15 = b"\x6f\x81" + bytes([len(spki)]) + spki
    with pytest.raises(active_auth.NotSupported, match="RSA"):
        active_auth.verify(rsa_dg15, passport.files[DG14], CHALLENGE, bytes(128))
    with pytest.raises(active_auth.NotSupported, match="DG14"):
        active_auth.verify(passport.files[DG15], None, CHALLENGE, bytes(64))
