"""Basic Access Control (Doc 9303 part 11, 9.7): keys from the printed MRZ, mutual
authentication with the chip, and the session keys and send sequence counter after it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import date

from chip import sm_crypto
from kiosk.model import IdReading

_WEIGHTS = (7, 3, 1)


def _check_digit(data: str) -> str:
    """Doc 9303 part 3, 4.9: weights 7, 3, 1; digits, letters A=10.., filler 0."""

    def value(c: str) -> int:
        if c.isdigit():
            return int(c)
        return 0 if c == "<" else ord(c) - ord("A") + 10

    return str(sum(value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


@dataclass(frozen=True)
class AccessKey:
    """What opens the chip: the MRZ's document number, birth date and expiry date."""

    document_number: str
    birth_date: date
    expiry_date: date
    birth_unknown: str = ""  # as IdReading's: the MRZ has fillers for the day or month and day

    @classmethod
    def printed(cls, reading: IdReading) -> AccessKey:
        """The key the printed MRZ `reading` gives."""
        return cls(
            reading.document_number, reading.birth_date, reading.expiry_date, reading.birth_unknown
        )

    def mrz_information(self) -> str:
        """Document number (at least 9 characters, filler-padded), birth and expiry dates,
        each followed by its check digit; a birth date's unknown parts are fillers, as printed."""
        number = self.document_number.upper().ljust(9, "<")
        known = {"day": 4, "month": 2, "year": 0}.get(self.birth_unknown, 6)
        birth = self.birth_date.strftime("%y%m%d")[:known].ljust(6, "<")
        expiry = self.expiry_date.strftime("%y%m%d")
        return "".join(f + _check_digit(f) for f in (number, birth, expiry))

    def seed(self) -> bytes:
        """K_seed: the first 16 bytes of SHA-1 over the MRZ information."""
        return hashlib.sha1(self.mrz_information().encode("ascii")).digest()[:16]


@dataclass(frozen=True)
class Session:
    """Session keys and the send sequence counter after a successful authentication;
    `aes` for PACE's AES secure messaging, else BAC's 3DES."""

    ks_enc: bytes
    ks_mac: bytes
    ssc: int
    aes: bool = False


class AccessDenied(Exception):
    """The chip refused the keys: the MRZ given is not this chip's."""


def authenticate_command(key: AccessKey, rnd_ic: bytes) -> tuple[bytes, bytes, bytes]:
    """The EXTERNAL AUTHENTICATE data for challenge `rnd_ic`, and the reader's RND.IFD and
    K.IFD kept to check the answer."""
    k_enc = sm_crypto.derive_key(key.seed(), sm_crypto.ENC)
    k_mac = sm_crypto.derive_key(key.seed(), sm_crypto.MAC)
    rnd_ifd, k_ifd = os.urandom(8), os.urandom(16)
    e_ifd = sm_crypto.encrypt(k_enc, rnd_ifd + rnd_ic + k_ifd)
    return e_ifd + sm_crypto.mac(k_mac, e_ifd), rnd_ifd, k_ifd


def session_from_answer(
    key: AccessKey, answer: bytes, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes
) -> Session:
    """Check the chip's answer to EXTERNAL AUTHENTICATE and derive the session.

    Raises AccessDenied when the answer's MAC or the echoed challenge is wrong."""
    k_enc = sm_crypto.derive_key(key.seed(), sm_crypto.ENC)
    k_mac = sm_crypto.derive_key(key.seed(), sm_crypto.MAC)
    if len(answer) != 40:
        raise AccessDenied("the chip's answer has the wrong length")
    e_ic, m_ic = answer[:32], answer[32:]
    if not hmac.compare_digest(sm_crypto.mac(k_mac, e_ic), m_ic):
        raise AccessDenied("the chip's answer does not carry the expected MAC")
    plain = sm_crypto.decrypt(k_enc, e_ic)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise AccessDenied("the chip did not echo the challenges")
    seed = bytes(a ^ b for a, b in zip(k_ifd, plain[16:32], strict=True))
    ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
    return Session(
        sm_crypto.derive_key(seed, sm_crypto.ENC), sm_crypto.derive_key(seed, sm_crypto.MAC), ssc
    )
