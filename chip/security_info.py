"""DG14's SecurityInfos (Doc 9303 part 11, 9.2): a set of (protocol, required, optional)
sequences naming what the chip can do (Active Authentication's hash, Chip
Authentication's protocol and public key). Parsed with asn1crypto.
"""

from __future__ import annotations

from typing import ClassVar

from asn1crypto import core

from chip import tlv


class SecurityInfo(core.Sequence):
    """One entry of DG14's SecurityInfos."""

    _fields: ClassVar[list] = [
        ("protocol", core.ObjectIdentifier),
        ("required", core.Any),
        ("optional", core.Any, {"optional": True}),
    ]


class SecurityInfos(core.SetOf):
    _child_spec = SecurityInfo


def of_dg14(dg14: bytes | None) -> list[SecurityInfo]:
    """DG14's SecurityInfos (empty without DG14); ValueError if DG14 is malformed."""
    if not dg14:
        return []
    infos = SecurityInfos.load(tlv.find(dg14, 0x6E) or b"")
    return list(infos)
