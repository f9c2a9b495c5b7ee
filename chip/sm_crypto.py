"""The 3DES primitives of BAC secure messaging (Doc 9303 part 11, 9.7 and 9.8).

Keys are two-key 3DES (16 bytes). The MAC is ISO/IEC 9797-1 MAC algorithm 3 with DES
(the "retail MAC"), over data padded with ISO/IEC 9797-1 padding method 2.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

BLOCK = 8
ENC = 1  # key derivation counters (Doc 9303 part 11, 9.7.1)
MAC = 2


def pad(data: bytes) -> bytes:
    """Padding method 2: 0x80 then zeros up to a whole block."""
    data = data + b"\x80"
    return data + b"\x00" * (-len(data) % BLOCK)


def unpad(data: bytes) -> bytes:
    """Undo `pad`; raises ValueError if the padding is not method 2's."""
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise ValueError("bad padding")
    return end[:-1]


def _parity(key: bytes) -> bytes:
    """Each byte's low bit set so the byte has odd parity, as DES keys are written."""
    out = bytearray()
    for b in key:
        high = b & 0xFE
        out.append(high | (bin(high).count("1") + 1) % 2)
    return bytes(out)


def derive_key(seed: bytes, counter: int) -> bytes:
    """A 16-byte 3DES key from a 16-byte seed: SHA-1(seed || counter), first 16 bytes."""
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()
    return _parity(digest[:16])


def _cipher(key: bytes, iv: bytes = bytes(BLOCK)) -> Cipher:
    return Cipher(TripleDES(key + key[:8] if len(key) == 16 else key), modes.CBC(iv))


def encrypt(key: bytes, data: bytes) -> bytes:
    """3DES-CBC with a zero IV over whole blocks."""
    enc = _cipher(key).encryptor()
    return enc.update(data) + enc.finalize()


def decrypt(key: bytes, data: bytes) -> bytes:
    """Inverse of `encrypt`."""
    dec = _cipher(key).decryptor()
    return dec.update(data) + dec.finalize()


def mac(key: bytes, data: bytes) -> bytes:
    """Retail MAC of `pad(data)`: single-DES CBC with the key's first half, then the last
    block decrypted with the second half and encrypted again with the first."""
    ka, kb = key[:8], key[8:16]
    chained = Cipher(TripleDES(ka * 3), modes.CBC(bytes(BLOCK))).encryptor()
    last = (chained.update(pad(data)) + chained.finalize())[-BLOCK:]
    step = Cipher(TripleDES(kb * 3), modes.ECB()).decryptor().update(last)
    return Cipher(TripleDES(ka * 3), modes.ECB()).encryptor().update(step)
