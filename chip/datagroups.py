"""The LDS files the kiosk reads (Doc 9303 part 10): where they are and what is inside.

EF.COM lists the data groups present; DG1 holds the MRZ; DG2 the face image inside an
ISO/IEC 19794-5 record (JPEG or JPEG 2000).
"""

from __future__ import annotations

from dataclasses import dataclass

from chip import tlv

# File identifiers and the data-group tags EF.COM lists (Doc 9303 part 10, 4.6.1).
EF_COM = 0x011E
EF_SOD = 0x011D
DG_FILES = {1: 0x0101, 2: 0x0102, 14: 0x010E, 15: 0x010F}
DG_TAGS = {0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8}
DG_TAGS.update({0x69: 9, 0x6A: 10, 0x6B: 11, 0x6C: 12, 0x6D: 13, 0x6E: 14, 0x6F: 15, 0x70: 16})

_IMAGE_STARTS = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jp2"),
    (b"\xff\x4f\xff\x51", "j2k"),
)


class LdsError(ValueError):
    """A file from the chip is not what Doc 9303 says it must be."""


def present_groups(ef_com: bytes) -> list[int]:
    """The data-group numbers EF.COM says the chip holds."""
    tags = tlv.find(ef_com, 0x60, 0x5C)
    if tags is None:
        raise LdsError("EF.COM has no tag list")
    return sorted(DG_TAGS[t] for t in tags if t in DG_TAGS)


def mrz_text(dg1: bytes) -> str:
    """DG1's MRZ as one line of text (88 characters for a passport, 90 for a card)."""
    value = tlv.find(dg1, 0x61, 0x5F1F)
    if value is None:
        raise LdsError("DG1 holds no MRZ")
    try:
        return value.decode("ascii")
    except UnicodeDecodeError as exc:
        raise LdsError("DG1's MRZ is not ASCII") from exc


@dataclass(frozen=True)
class FaceImage:
    """The face image of DG2 and its encoding ("jpeg", "jp2" or "j2k")."""

    data: bytes
    kind: str


def face_image(dg2: bytes) -> FaceImage:
    """The first face image of DG2 (biometric data block 5F2E or 7F2E)."""
    group = tlv.find(dg2, 0x75, 0x7F61)
    if group is None:
        raise LdsError("DG2 has no biometric group")
    blocks = [v for t, v in tlv.items(group) if t == 0x7F60]
    if not blocks:
        raise LdsError("DG2 holds no face")
    inner = dict(tlv.items(blocks[0]))
    record = inner.get(0x5F2E) or inner.get(0x7F2E)
    if record is None:
        raise LdsError("DG2's face has no data block")
    # The ISO/IEC 19794-5 record's header is of variable length; the image starts
    # with its own signature.
    for magic, kind in _IMAGE_STARTS:
        at = record.find(magic)
        if at >= 0:
            return FaceImage(record[at:], kind)
    raise LdsError("DG2's face is neither JPEG nor JPEG 2000")
