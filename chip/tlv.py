"""BER-TLV as the chip's files and secure messaging use it (ISO/IEC 7816-4, 5.2): tags
named by their identifier bytes (0x87, 0x5F1F, ...).

These are 7816-4 data objects, not DER: EF.COM's LDS version tag 5F01 writes a small tag
number in the long form, which ASN.1 libraries rightly refuse. So this small reader
walks tags and lengths itself; X.509 and CMS (EF.SOD, trust lists) go through
asn1crypto and `cryptography` only.
"""

from __future__ import annotations


class TlvError(ValueError):
    """The chip sent bytes that are not well-formed BER-TLV."""


def _header(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, value length, value offset) of the data object starting at `at`."""
    try:
        end = at + 1
        if data[at] & 0x1F == 0x1F:  # more tag bytes follow, bit 8 set on all but the last
            while data[end] & 0x80:
                end += 1
            end += 1
        if end - at > 3:
            raise TlvError("tag longer than three bytes")
        tag = int.from_bytes(data[at:end], "big")
        first = data[end]
        if first < 0x80:
            return tag, first, end + 1
        count = first & 0x7F
        if not 1 <= count <= 3 or end + 1 + count > len(data):
            raise TlvError("bad length field")
        return tag, int.from_bytes(data[end + 1 : end + 1 + count], "big"), end + 1 + count
    except IndexError as exc:
        raise TlvError("truncated header") from exc


def items(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, value) pairs that follow one another in `data`."""
    out = []
    at = 0
    while at < len(data):
        tag, length, start = _header(data, at)
        if start + length > len(data):
            raise TlvError(f"value of tag {tag:X} runs past the end")
        out.append((tag, data[start : start + length]))
        at = start + length
    return out


def find(data: bytes, *path: int) -> bytes | None:
    """The value at `path` (outer tag first) inside `data`, or None where a tag is missing."""
    value = data
    for tag in path:
        found = dict(items(value)).get(tag)
        if found is None:
            return None
        value = found
    return value


def total_length(head: bytes) -> int:
    """The length of the whole TLV whose first bytes are `head` (tag, length, some value)."""
    _, length, start = _header(head, 0)
    return start + length


def encode(tag: int, value: bytes) -> bytes:
    """One TLV with a definite length (short or long form)."""
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return tag_bytes + length + value
