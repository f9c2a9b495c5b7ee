"""Reading a passport's chip end to end: access control (PACE when EF.CardAccess offers it,
else BAC), the files under secure messaging, Chip Authentication when DG14 declares a key
for it, Active Authentication when DG15 is there, passive authentication, and a
`ChipReading` for the rule.

Each step is timed (`ChipResult.timings`) for the benchmark and the log.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from cryptography import x509

from chip import active_auth, chip_auth, datagroups, pace, pcsc, tlv
from chip.asn1 import MALFORMED
from chip.bac import AccessDenied, authenticate_command, session_from_answer
from chip.countries import same_state
from chip.passive import authenticate, signed_groups
from chip.secure_messaging import Command, SecureChannel, SecureMessagingError
from kiosk.chip_check import ChipReading, ChipStatus
from kiosk.model import IdReading

EMRTD_AID = bytes.fromhex("A0000002471001")
CHUNK = 0xDF  # bytes per READ BINARY: the protected answer then fits a short APDU
MAX_FILE = 0x7FFF  # READ BINARY's offset is 15 bits
MAX_CARD_ACCESS = 0x400  # EF.CardAccess holds a few SecurityInfos
OK = 0x9000
NO_PACE_FOR_CAN = "the chip offers no PACE, and a CAN opens only PACE"


class Card(Protocol):
    """What the reading needs of a card: one command in, data and status word out."""

    def transmit(self, apdu: bytes) -> tuple[bytes, int]: ...


class ChipReadError(Exception):
    """The read stopped; `status` says how the rule should take it."""

    def __init__(self, status: ChipStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status


@dataclass
class ChipFiles:
    """The raw files read, by data-group number, and how long each step took."""

    ef_com: bytes = b""
    groups: dict[int, bytes] = field(default_factory=dict)
    ef_sod: bytes = b""
    aa_challenge: bytes = b""  # Active Authentication: the challenge sent, the answer
    aa_signature: bytes = b""
    chip_auth: bool | None = None  # Chip Authentication: None if not offered or not run
    chip_auth_note: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    access: str = ""  # "PACE" or "BAC"


def _select_application(card: Card) -> None:
    _, sw = card.transmit(bytes([0x00, 0xA4, 0x04, 0x0C, len(EMRTD_AID)]) + EMRTD_AID)
    if sw != OK:
        raise ChipReadError(ChipStatus.NO_CHIP, f"no passport application (SW {sw:04X})")


def _bac(card: Card, key: pace.Password) -> SecureChannel:
    """Select the application and run BAC; the secure channel it opens."""
    if isinstance(key, pace.Can):
        raise ChipReadError(ChipStatus.ACCESS_DENIED, NO_PACE_FOR_CAN)
    _select_application(card)
    rnd_ic, sw = card.transmit(bytes.fromhex("0084000008"))
    if sw != OK or len(rnd_ic) != 8:
        raise ChipReadError(ChipStatus.UNREADABLE, f"GET CHALLENGE failed (SW {sw:04X})")
    data, rnd_ifd, k_ifd = authenticate_command(key, rnd_ic)
    answer, sw = card.transmit(bytes([0x00, 0x82, 0x00, 0x00, len(data)]) + data + b"\x28")
    if sw != OK:
        raise ChipReadError(ChipStatus.ACCESS_DENIED, f"EXTERNAL AUTHENTICATE: SW {sw:04X}")
    try:
        return SecureChannel(session_from_answer(key, answer, rnd_ic, rnd_ifd, k_ifd))
    except AccessDenied as exc:
        raise ChipReadError(ChipStatus.ACCESS_DENIED, str(exc)) from exc


def _card_access(card: Card) -> bytes:
    """EF.CardAccess read in the clear before access control; empty if the chip has none."""
    fid = pace.CARD_ACCESS.to_bytes(2, "big")
    _, sw = card.transmit(bytes([0x00, 0xA4, 0x02, 0x0C, 2]) + fid)
    if sw != OK:
        return b""
    data = b""
    while len(data) < MAX_CARD_ACCESS:
        offset = len(data)
        chunk, sw = card.transmit(bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, CHUNK]))
        data += chunk if sw in (OK, 0x6282) else b""
        if sw != OK or len(chunk) < CHUNK:
            break
    return data


def _pace(card: Card, info: pace.PaceInfo, key: pace.Password) -> SecureChannel:
    """Run PACE, then select the application under the secure channel it opens."""
    try:
        channel = SecureChannel(pace.establish(card.transmit, info, key))
    except AccessDenied as exc:
        raise ChipReadError(ChipStatus.ACCESS_DENIED, f"PACE: {exc}") from exc
    except pace.PaceError as exc:
        raise ChipReadError(ChipStatus.UNREADABLE, f"PACE: {exc}") from exc
    cmd = Command(0xA4, 0x04, 0x0C, EMRTD_AID)
    _, sw = _protected(card, channel, cmd)
    if sw != OK:
        raise ChipReadError(ChipStatus.NO_CHIP, f"no passport application (SW {sw:04X})")
    return channel


def _open(card: Card, key: pace.Password) -> tuple[SecureChannel, str]:
    """Access control: PACE when EF.CardAccess offers a protocol this kiosk runs, else
    BAC; the secure channel and which of the two opened it."""
    info = pace.offered(_card_access(card))
    if info is not None:
        return _pace(card, info, key), "PACE"
    return _bac(card, key), "BAC"


def _protected(card: Card, channel: SecureChannel, cmd: Command) -> tuple[bytes, int]:
    answer, sw = card.transmit(channel.wrap(cmd))
    if not answer:
        raise ChipReadError(ChipStatus.UNREADABLE, f"unprotected answer SW {sw:04X}")
    try:
        return channel.unwrap(answer)
    except SecureMessagingError as exc:
        raise ChipReadError(ChipStatus.UNREADABLE, str(exc)) from exc


def read_file(card: Card, channel: SecureChannel, fid: int) -> bytes:
    """One elementary file, whole, under secure messaging; ChipReadError if it cannot be
    selected or read to its end."""
    _, sw = _protected(card, channel, Command(0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
    if sw != OK:
        raise ChipReadError(ChipStatus.UNREADABLE, f"file {fid:04X} not selectable ({sw:04X})")
    data, sw = _protected(card, channel, Command(0xB0, 0, 0, le=4))
    if sw != OK or len(data) < 2:
        raise ChipReadError(ChipStatus.UNREADABLE, f"file {fid:04X} unreadable ({sw:04X})")
    try:
        total = tlv.total_length(data)
    except tlv.TlvError as exc:
        raise ChipReadError(ChipStatus.UNREADABLE, f"file {fid:04X}: {exc}") from exc
    if total > MAX_FILE:
        raise ChipReadError(ChipStatus.UNREADABLE, f"file {fid:04X} is {total} bytes long")
    while len(data) < total:
        offset = len(data)
        cmd = Command(0xB0, offset >> 8, offset & 0xFF, le=min(CHUNK, total - offset))
        chunk, sw = _protected(card, channel, cmd)
        if sw != OK or not chunk:
            raise ChipReadError(ChipStatus.UNREADABLE, f"file {fid:04X} stops at {offset}")
        data += chunk
    return data[:total]


def read_files(
    card: Card, key: pace.Password, clock: Callable[[], float] = time.perf_counter
) -> ChipFiles:
    """EF.COM, DG1, DG2, DG14 and DG15 (those the chip holds) and EF.SOD, then Chip
    Authentication when DG14 declares a key for it and Active Authentication when DG15 is
    there (not after a failed Chip Authentication); timed step by step."""
    files = ChipFiles()
    start = clock()
    channel, files.access = _open(card, key)
    files.timings["access control"] = clock() - start

    def timed(name: str, fid: int) -> bytes:
        begin = clock()
        data = read_file(card, channel, fid)
        files.timings[name] = clock() - begin
        return data

    files.ef_com = timed("EF.COM", datagroups.EF_COM)
    try:
        present = datagroups.present_groups(files.ef_com)
    except (datagroups.LdsError, tlv.TlvError) as exc:
        raise ChipReadError(ChipStatus.UNREADABLE, str(exc)) from exc
    for number in (1, 2, 14, 15):
        if number in present:
            files.groups[number] = timed(f"DG{number}", datagroups.DG_FILES[number])
    files.ef_sod = timed("EF.SOD", datagroups.EF_SOD)
    # EF.COM is not signed: a copy could drop DG14 and DG15 from its list to skip the
    # proofs. EF.SOD's hashes say what the issuer put on the chip; read what it lists.
    for number in sorted(
        (signed_groups(files.ef_sod) & set(datagroups.DG_FILES)) - set(files.groups)
    ):
        files.groups[number] = timed(f"DG{number}", datagroups.DG_FILES[number])
    present = sorted(set(present) | set(files.groups))
    if 14 in present:
        begin = clock()
        channel = _chip_authentication(card, channel, files)
        if files.chip_auth is not None:
            files.timings["chip authentication"] = clock() - begin
    if 15 in present and files.chip_auth is not False:
        begin = clock()
        files.aa_challenge = os.urandom(8)
        cmd = Command(0x88, 0x00, 0x00, files.aa_challenge, le=256)
        answer, sw = _protected(card, channel, cmd)
        files.aa_signature = answer if sw == OK else b""
        files.timings["active authentication"] = clock() - begin
    return files


def _chip_authentication(card: Card, channel: SecureChannel, files: ChipFiles) -> SecureChannel:
    """Chip Authentication with the key DG14 declares, proved by reading EF.COM again
    under the new session keys: it must come back as first read. Sets `files.chip_auth`
    (False when the chip cannot answer under the keys only its private key gives) and
    returns the channel to go on with."""
    try:
        offer = chip_auth.offered(files.groups[14])
    except (chip_auth.NotSupported, *MALFORMED) as exc:
        files.chip_auth_note = f"Chip Authentication not run: {exc}"
        return channel
    if offer is None:
        return channel
    try:
        ephemeral, session = chip_auth.agree(offer)
    except chip_auth.ChipAuthError as exc:
        files.chip_auth_note = f"Chip Authentication not run: {exc}"
        return channel
    try:
        for cmd in chip_auth.commands(offer, ephemeral):
            _, sw = _protected(card, channel, cmd)
            if sw != OK:
                raise ChipReadError(ChipStatus.UNREADABLE, f"the chip refused it (SW {sw:04X})")
        renewed = SecureChannel(session)
        files.chip_auth = read_file(card, renewed, datagroups.EF_COM) == files.ef_com
    except ChipReadError as exc:
        files.chip_auth, files.chip_auth_note = False, f"Chip Authentication failed: {exc}"
        return channel
    if not files.chip_auth:
        files.chip_auth_note = "Chip Authentication failed: EF.COM differs under the new keys"
    return renewed


def _actively_authenticated(files: ChipFiles) -> bool | None:
    """Whether the chip proved it holds DG15's private key; None if it offers no Active
    Authentication or one this kiosk does not check."""
    if 15 not in files.groups:
        return None
    try:
        return active_auth.verify(
            files.groups[15], files.groups.get(14), files.aa_challenge, files.aa_signature
        )
    except active_auth.NotSupported:
        return None
    except (*MALFORMED, tlv.TlvError):
        return False


@dataclass(frozen=True)
class ChipResult:
    """A chip read's reading for the rule, its step timings in seconds, and the access
    control that opened it ("PACE", "BAC", or empty if none did)."""

    reading: ChipReading
    timings: dict[str, float]
    access: str = ""


def check_files(
    files: ChipFiles,
    trust: list[x509.Certificate],
    parse_mrz: Callable[[str], IdReading],
) -> ChipReading:
    """Passive and Active Authentication of the files read (Chip Authentication ran during
    the read), then DG1 and DG2 taken apart. A chip whose signed data checks out but that
    fails Active or Chip Authentication is a suspected clone; one whose CSCA speaks for
    another state than DG1's issuing state (or whose DG1 is absent) is an issuer
    mismatch."""
    passive = authenticate(files.ef_sod, files.groups, trust)
    active = _actively_authenticated(files)
    status = passive.status
    copied = False in (active, files.chip_auth)
    if copied and status in (ChipStatus.VERIFIED, ChipStatus.UNKNOWN_ISSUER):
        status = ChipStatus.CLONE_SUSPECTED
    try:
        mrz = datagroups.mrz_text(files.groups[1]) if 1 in files.groups else ""
        face = datagroups.face_image(files.groups[2]).data if 2 in files.groups else b""
        chip_id = parse_mrz(mrz) if mrz else None
    except (datagroups.LdsError, tlv.TlvError, ValueError) as exc:
        if status is not ChipStatus.VERIFIED:
            return ChipReading(status, passive.issuer, detail=passive.detail)
        return ChipReading(ChipStatus.UNREADABLE, passive.issuer, detail=str(exc))
    detail = "; ".join(d for d in (passive.detail, files.chip_auth_note) if d)
    if status is ChipStatus.VERIFIED and not (
        chip_id and same_state(passive.country, chip_id.issuing_state)
    ):
        status = ChipStatus.ISSUER_MISMATCH
        state = chip_id.issuing_state if chip_id else "none"
        detail = f"CSCA country {passive.country or 'none'}, document state {state}"
    return ChipReading(
        status, passive.issuer, chip_id, mrz, face, passive.altered, detail, active, files.chip_auth
    )


def read_passport(
    key: pace.Password,
    trust: list[x509.Certificate],
    parse_mrz: Callable[[str], IdReading],
    reader_name: str | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> ChipResult:
    """Connect, read and check the passport on the reader; never raises for the chip's
    sake: every outcome is a `ChipReading` status."""
    try:
        card = pcsc.connect(reader_name)
    except pcsc.NoReader as exc:
        return ChipResult(ChipReading(ChipStatus.NO_READER, detail=str(exc)), {})
    except pcsc.NoCard as exc:
        return ChipResult(ChipReading(ChipStatus.NO_CHIP, detail=str(exc)), {})
    try:
        files = read_files(card, key, clock)
    except pcsc.CardGone as exc:
        return ChipResult(ChipReading(ChipStatus.INTERRUPTED, detail=str(exc)), {})
    except ChipReadError as exc:
        return ChipResult(ChipReading(exc.status, detail=str(exc)), {})
    finally:
        card.close()
    begin = clock()
    reading = check_files(files, trust, parse_mrz)
    files.timings["passive authentication"] = clock() - begin
    return ChipResult(reading, files.timings, files.access)
