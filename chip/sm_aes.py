"""The AES primitives of secure messaging after PACE (Doc 9303 part 11, 9.8 with AES).

The send sequence counter is 16 bytes; each message is encrypted with AES-CBC under the
IV E(KS_enc, SSC); the MAC is AES-CMAC cut to 8 bytes over data padded with ISO/IEC
9797-1 padding method 2 to 16-byte blocks.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

BLOCK = 16


def pad(data: bytes) -> bytes:
    """Padding method 2: 0x80 then zeros up to a whole 16-byte block."""
    data = data + b"\x80"
    return data + b"\x00" * (-len(data) % BLOCK)


def _iv(key: bytes, ssc: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(ssc) + enc.finalize()


def encrypt(key: bytes, ssc: bytes, data: bytes) -> bytes:
    """AES-CBC over whole blocks with the IV E(key, ssc)."""
    enc = Cipher(algorithms.AES(key), modes.CBC(_iv(key, ssc))).encryptor()
    return enc.update(data) + enc.finalize()


def decrypt(key: bytes, ssc: bytes, data: bytes) -> bytes:
    """Inverse of `encrypt`; ValueError if `data` is not whole blocks."""
    if len(data) % BLOCK:
        raise ValueError("not whole AES blocks")
    dec = Cipher(algorithms.AES(key), modes.CBC(_iv(key, ssc))).decryptor()
    return dec.update(data) + dec.finalize()


def cmac(key: bytes, data: bytes) -> bytes:
    """AES-CMAC of `data` as it is, cut to 8 bytes (PACE's authentication token)."""
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()[:8]


def mac(key: bytes, data: bytes) -> bytes:
    """The secure-messaging MAC: `cmac` of `pad(data)`."""
    return cmac(key, pad(data))
