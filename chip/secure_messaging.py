"""Secure messaging (Doc 9303 part 11, 9.8): each command is encrypted and MACed with the
session keys, each answer's MAC is checked before its data is used. 3DES after BAC
(`sm_crypto`), AES after PACE (`sm_aes`).

The send sequence counter (8 bytes for 3DES, 16 for AES) is kept as an integer and
written back with its leading zero bytes: dropping them desynchronises the MACs.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from chip import sm_aes, sm_crypto, tlv
from chip.bac import Session


class SecureMessagingError(Exception):
    """An answer failed its MAC or is not well formed: it cannot be trusted."""


@dataclass(frozen=True)
class Command:
    """A plain ISO 7816-4 command before protection."""

    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None


class SecureChannel:
    """Protects commands and checks answers for one BAC or PACE session."""

    def __init__(self, session: Session) -> None:
        self._enc = session.ks_enc
        self._mac = session.ks_mac
        self._ssc = session.ssc
        self._aes = session.aes
        self._ssc_size = sm_aes.BLOCK if session.aes else sm_crypto.BLOCK

    def _next_ssc(self) -> bytes:
        self._ssc = (self._ssc + 1) % (1 << (8 * self._ssc_size))
        return self._ssc.to_bytes(self._ssc_size, "big")

    def _pad(self, data: bytes) -> bytes:
        return sm_aes.pad(data) if self._aes else sm_crypto.pad(data)

    def _encrypt(self, ssc: bytes, data: bytes) -> bytes:
        if self._aes:
            return sm_aes.encrypt(self._enc, ssc, self._pad(data))
        return sm_crypto.encrypt(self._enc, self._pad(data))

    def _decrypt(self, ssc: bytes, data: bytes) -> bytes:
        if self._aes:
            return sm_crypto.unpad(sm_aes.decrypt(self._enc, ssc, data))
        return sm_crypto.unpad(sm_crypto.decrypt(self._enc, data))

    def _sign(self, data: bytes) -> bytes:
        return sm_aes.mac(self._mac, data) if self._aes else sm_crypto.mac(self._mac, data)

    def wrap(self, cmd: Command) -> bytes:
        """The protected APDU for `cmd` (class byte 0x0C)."""
        ssc = self._next_ssc()
        header = bytes([0x0C, cmd.ins, cmd.p1, cmd.p2])
        body = b""
        if cmd.data:
            body += tlv.encode(0x87, b"\x01" + self._encrypt(ssc, cmd.data))
        if cmd.le is not None:
            body += tlv.encode(0x97, bytes([cmd.le % 256]))
        cc = self._sign(ssc + self._pad(header) + body)
        body += tlv.encode(0x8E, cc)
        return header + bytes([len(body)]) + body + b"\x00"

    def unwrap(self, answer: bytes) -> tuple[bytes, int]:
        """The plain data and status word of a protected answer (data and SW1 SW2)."""
        ssc = self._next_ssc()
        try:
            found = tlv.items(answer)
        except tlv.TlvError as exc:
            raise SecureMessagingError("the answer is not well-formed TLV") from exc
        tags = dict(found)
        if 0x8E not in tags or 0x99 not in tags:
            raise SecureMessagingError("the answer carries no MAC or no protected status")
        covered = b"".join(tlv.encode(t, v) for t, v in found if t in (0x87, 0x99))
        if not hmac.compare_digest(self._sign(ssc + covered), tags[0x8E]):
            raise SecureMessagingError("the answer's MAC is wrong")
        sw = int.from_bytes(tags[0x99], "big")
        data = b""
        if 0x87 in tags:
            encrypted = tags[0x87]
            if encrypted[:1] != b"\x01":
                raise SecureMessagingError("unknown padding indicator")
            try:
                data = self._decrypt(ssc, encrypted[1:])
            except ValueError as exc:
                raise SecureMessagingError("the answer's data is badly padded") from exc
        return data, sw
