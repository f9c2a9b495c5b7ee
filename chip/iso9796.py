"""ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery, as RSA
Active Authentication uses it (Doc 9303 part 11, 6.1): the chip signs M = M1 || M2, M1 a
nonce of its own (recovered from the signature), M2 the kiosk's challenge.

The signature opens (s^e mod n, or n minus it: the standard lets a signer send the
smaller of the two) to F = header || M1 || H || trailer. The header's top bits are 01,
the next bit says part of the message is not recoverable; the header nibble A ends any
padding (nibbles B). The trailer BC means SHA-1; two bytes XX CC name the hash by its
ISO/IEC 10118-3 identifier XX.
"""

from __future__ import annotations

import hashlib
import hmac

SHA1_TRAILER = 0xBC
HASH_IDS = {
    0x33: "sha1",
    0x34: "sha256",
    0x35: "sha512",
    0x36: "sha384",
    0x38: "sha224",
}


def _representative(n: int, e: int, signature: bytes) -> bytes | None:
    """F recovered from the signature, as many bytes as the modulus; None if it is not
    a scheme 1 representative."""
    size = (n.bit_length() + 7) // 8
    s = int.from_bytes(signature, "big")
    if len(signature) != size or not 0 < s < n:
        return None
    f = pow(s, e, n)
    if f & 0xF != 0xC:
        f = n - f
    if f & 0xF != 0xC:
        return None
    return f.to_bytes(size, "big")


def _hash_and_trailer(f: bytes) -> tuple[str, int] | None:
    """The hash the trailer names and the trailer's length."""
    if f[-1] == SHA1_TRAILER:
        return "sha1", 1
    if f[-1] == 0xCC and f[-2] in HASH_IDS:
        return HASH_IDS[f[-2]], 2
    return None


def _padding_ok(head: bytes) -> bool:
    """The header and padding before M1: 6A alone, or 6B, then BB..., then BA."""
    if len(head) == 1:
        return True
    return head[0] & 0x0F == 0x0B and set(head[1:-1]) <= {0xBB} and head[-1] == 0xBA


def verify(n: int, e: int, m2: bytes, signature: bytes) -> bool:
    """Whether `signature` signs M1 || `m2` under the RSA key (n, e) by scheme 1 with
    partial recovery (M1 recovered from the signature)."""
    f = _representative(n, e, signature)
    if f is None or f[0] & 0xE0 != 0x60:  # 01, then "M2 not recoverable"
        return False
    found = _hash_and_trailer(f)
    if found is None:
        return False
    name, trailer = found
    end = len(f) - trailer - hashlib.new(name).digest_size
    start = next((i + 1 for i, b in enumerate(f) if b & 0x0F == 0x0A), len(f))
    if start > end or not _padding_ok(f[:start]):
        return False
    digest = hashlib.new(name, f[start:end] + m2).digest()
    return hmac.compare_digest(digest, f[end : end + len(digest)])
