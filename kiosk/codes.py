"""Signed codes: the confirmation code on the office's e-mail, and the badge code.

Binary form, then text form:

    kind (1 byte) | key id (1 byte) | body | Ed25519 signature (64 bytes)

The signature covers ``b"POK1" + kind + key id + body``, so a code of one kind can
never be replayed as another. A confirmation code's body is the accreditation id as
an unsigned 32-bit big-endian integer: 70 bytes in all. A badge code's body is the
accreditation id and the badge's sequence number (u32 each), its first and last valid
day (u16 days since 2000-01-01), a flags byte (bit 0 event flow, bit 1 Visitors
counter), then the issuing kiosk's id and the event id as length-prefixed ASCII.

Each byte is written as two letters of a 16-letter alphabet of consonants that sit
on the same keys in US QWERTY and Belgian AZERTY (no A, Q, W, Z, M, no digits, no
vowels), so a USB scanner set to either layout types the same text on either
keyboard, the text never spells a word, and a QR code carries it in alphanumeric
mode. A confirmation code is 140 letters.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.model import Counter, Flow

ALPHABET = "BCDFGHJKLNPRSTVX"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_DOMAIN = b"POK1"
_SIGNATURE_LEN = 64


class CodeKind(IntEnum):
    """What a signed code stands for (its first byte)."""

    CONFIRMATION = 0x01
    BADGE = 0x02


class CodeProblem(StrEnum):
    """Why a code was not accepted; the client acts on this, shows the message."""

    FORMAT = "format"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    WRONG_KIND = "wrong_kind"
    CUT_SHORT = "cut_short"  # the start of a confirmation code: a misread, scan it again


_MESSAGES = {
    CodeProblem.FORMAT: (
        "This is not a confirmation code: it is damaged, cut short or of another kind.",
        "Ce n'est pas un code de confirmation : il est abîmé, tronqué ou d'un autre type.",
    ),
    CodeProblem.UNKNOWN_KEY: (
        "The code is signed with a key this counter does not know: it is not genuine.",
        "Le code est signé avec une clé inconnue de ce guichet : il n'est pas authentique.",
    ),
    CodeProblem.BAD_SIGNATURE: (
        "The code's signature does not match its content: misread, mistyped, forged or "
        "altered; scan it again, and if it is refused again, issue nothing on it.",
        "La signature du code ne correspond pas à son contenu : mal lu, mal saisi, falsifié "
        "ou modifié ; le scanner à nouveau, et s'il est encore refusé, ne rien délivrer sur "
        "ce code.",
    ),
    CodeProblem.WRONG_KIND: (
        "This code is not a confirmation code (it may be a badge): scan the e-mail's code.",
        "Ce code n'est pas un code de confirmation (c'est peut-être un badge) : "
        "scanner celui de l'e-mail.",
    ),
    CodeProblem.CUT_SHORT: (
        "The code was read only in part: scan it again.",
        "Le code n'a été lu qu'en partie : le scanner à nouveau.",
    ),
}


class CodeError(ValueError):
    """A code that is not genuine or not readable, with a reason for the clerk."""

    def __init__(self, problem: CodeProblem, detail: str = "") -> None:
        self.problem = problem
        self.detail = detail
        self.message_en, self.message_fr = _MESSAGES[problem]
        super().__init__(f"{problem.value}: {detail or self.message_en}")


@dataclass(frozen=True)
class SignedCode:
    """A code whose signature checked out."""

    kind: CodeKind
    key_id: int
    body: bytes


class Keyring:
    """Public keys by key id, and whose each key is ("office" or a kiosk id, when known):
    what a counter or a security post verifies codes with."""

    def __init__(
        self, keys: dict[int, bytes] | None = None, owners: dict[int, str | None] | None = None
    ) -> None:
        self._keys = {
            kid: Ed25519PublicKey.from_public_bytes(raw) for kid, raw in (keys or {}).items()
        }
        self._owners = {kid: who for kid, who in (owners or {}).items() if who}

    def add(self, key_id: int, public_key: bytes, owner: str | None = None) -> None:
        """Trust a public key (32 raw bytes) under `key_id`, owned by `owner` if known."""
        self._keys[key_id] = Ed25519PublicKey.from_public_bytes(public_key)
        if owner:
            self._owners[key_id] = owner

    def get(self, key_id: int) -> Ed25519PublicKey | None:
        """The key for `key_id`, or None when it is not trusted here."""
        return self._keys.get(key_id)

    def owner(self, key_id: int) -> str | None:
        """Whose key `key_id` is, or None when this keyring does not know."""
        return self._owners.get(key_id)

    def __len__(self) -> int:
        return len(self._keys)


class Signer:
    """A private key and its id: lives with the accreditation office, never on a counter."""

    def __init__(self, key_id: int, private_key: Ed25519PrivateKey) -> None:
        if not 0 <= key_id <= 255:
            raise ValueError("key id must fit in one byte (0-255)")
        self.key_id = key_id
        self._key = private_key

    @classmethod
    def generate(cls, key_id: int) -> Signer:
        """A signer with a fresh key."""
        return cls(key_id, Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, key_id: int, raw: bytes) -> Signer:
        """A signer from 32 raw private-key bytes."""
        return cls(key_id, Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        """The 32 raw private-key bytes, for storing the key."""
        return self._key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    def public_bytes(self) -> bytes:
        """The 32 raw public-key bytes, for a keyring."""
        return self._key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, kind: CodeKind, body: bytes) -> str:
        """The text form of a signed code of `kind` carrying `body`."""
        header = bytes([kind, self.key_id])
        signature = self._key.sign(_DOMAIN + header + body)
        return to_text(header + body + signature)


def to_text(raw: bytes) -> str:
    """Two alphabet letters per byte, high nibble first."""
    return "".join(ALPHABET[b >> 4] + ALPHABET[b & 0x0F] for b in raw)


def from_text(text: str) -> bytes:
    """Inverse of `to_text`; raises CodeError(FORMAT) on anything else."""
    if len(text) % 2:
        raise CodeError(CodeProblem.FORMAT, f"odd length {len(text)}")
    try:
        nibbles = [_INDEX[c] for c in text]
    except KeyError as exc:
        raise CodeError(
            CodeProblem.FORMAT, f"character {exc.args[0]!r} not in the alphabet"
        ) from exc
    return bytes(hi << 4 | lo for hi, lo in zip(nibbles[::2], nibbles[1::2], strict=True))


def normalise(text: str) -> str:
    """What a scanner or a clerk typed, without spaces, line breaks or case."""
    return "".join(text.split()).upper()


def verify(text: str, keyring: Keyring, expect: CodeKind | None = None) -> SignedCode:
    """Check a code's form, kind (when `expect` is given) and signature; raise CodeError
    naming what is wrong."""
    raw = from_text(normalise(text))
    if len(raw) < 2 + _SIGNATURE_LEN:
        raise CodeError(CodeProblem.FORMAT, f"too short ({len(raw)} bytes)")
    try:
        kind = CodeKind(raw[0])
    except ValueError as exc:
        raise CodeError(CodeProblem.FORMAT, f"unknown kind byte {raw[0]:#04x}") from exc
    if expect is not None and kind is not expect:
        raise CodeError(CodeProblem.WRONG_KIND, f"kind {kind.name}, expected {expect.name}")
    key_id = raw[1]
    key = keyring.get(key_id)
    if key is None:
        raise CodeError(CodeProblem.UNKNOWN_KEY, f"key id {key_id}")
    body, signature = raw[2:-_SIGNATURE_LEN], raw[-_SIGNATURE_LEN:]
    try:
        key.verify(signature, _DOMAIN + raw[:2] + body)
    except InvalidSignature as exc:
        raise CodeError(CodeProblem.BAD_SIGNATURE, f"key id {key_id}") from exc
    return SignedCode(kind, key_id, body)


_CONFIRMATION_BODY = struct.Struct(">I")


def confirmation_code(signer: Signer, accreditation_id: int) -> str:
    """The confirmation code the office e-mails for `accreditation_id`."""
    return signer.sign(CodeKind.CONFIRMATION, _CONFIRMATION_BODY.pack(accreditation_id))


CONFIRMATION_LETTERS = 2 * (2 + _CONFIRMATION_BODY.size + _SIGNATURE_LEN)


def cut_short_confirmation(text: str) -> bool:
    """Whether `text` is the start of a confirmation code, shorter than one (its kind's
    letters, then only code letters): what a scanner's burst cut short gives, a misread
    to scan again, not a code to refuse."""
    letters = normalise(text)
    return (
        letters.startswith(to_text(bytes([CodeKind.CONFIRMATION])))
        and len(letters) < CONFIRMATION_LETTERS
        and not set(letters) - set(ALPHABET)
    )


def read_confirmation(text: str, keyring: Keyring) -> int:
    """The accreditation id of a genuine confirmation code; CodeError otherwise, CUT_SHORT
    for the start of one (`cut_short_confirmation`), which names no one to refuse."""
    if cut_short_confirmation(text):
        raise CodeError(CodeProblem.CUT_SHORT, f"{len(normalise(text))} letters")
    signed = verify(text, keyring, CodeKind.CONFIRMATION)
    if len(signed.body) != _CONFIRMATION_BODY.size:
        raise CodeError(CodeProblem.FORMAT, f"body of {len(signed.body)} bytes")
    return _CONFIRMATION_BODY.unpack(signed.body)[0]


_EPOCH = date(2000, 1, 1)
_BADGE_FIXED = struct.Struct(">IIHHB")  # accreditation, sequence, from, until, flags


@dataclass(frozen=True)
class BadgeClaim:
    """What a badge's QR code asserts, signed by the kiosk that issued it."""

    accreditation_id: int
    kiosk_id: str
    sequence: int
    valid_from: date
    valid_until: date
    flow: Flow
    counter: Counter
    event_id: str | None = None

    @property
    def serial(self) -> str:
        """The badge serial printed under its barcode."""
        return f"{self.kiosk_id}-{self.sequence:06d}"


def _short_text(text: str) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > 15:
        raise ValueError(f"{text!r} is too long for a badge code (15 characters at most)")
    return bytes([len(raw)]) + raw


def badge_code(signer: Signer, claim: BadgeClaim) -> str:
    """The signed text a badge's QR code carries (about 180 letters)."""
    flags = (claim.flow is Flow.EVENT) | (claim.counter is Counter.VISITORS) << 1
    body = _BADGE_FIXED.pack(
        claim.accreditation_id,
        claim.sequence,
        (claim.valid_from - _EPOCH).days,
        (claim.valid_until - _EPOCH).days,
        flags,
    )
    body += _short_text(claim.kiosk_id) + _short_text(claim.event_id or "")
    return signer.sign(CodeKind.BADGE, body)


def read_badge(text: str, keyring: Keyring) -> tuple[BadgeClaim, int]:
    """The claim of a genuine badge code and the id of the key that signed it. A badge
    code of another length than its own lengths say (`misread_badge`: a scan that lost
    its end, or ran on into more letters) is a FORMAT problem, not a signature that fails."""
    misread = misread_badge(text)
    if misread:
        raise CodeError(CodeProblem.FORMAT, misread)
    signed = verify(text, keyring, CodeKind.BADGE)
    try:
        return _badge_claim(signed.body), signed.key_id
    except (struct.error, IndexError, UnicodeDecodeError, ValueError) as exc:
        raise CodeError(CodeProblem.FORMAT, f"badge body: {exc}") from exc


_BADGE_PREFIX = to_text(bytes([CodeKind.BADGE]))


def misread_badge(text: str) -> str | None:
    """Whether `text` is a badge code's letters (its kind's, then only code letters), fewer
    ("cut short": a scanner's burst that lost its end) or more ("run on": two scans run
    together, a letter read twice; up to twice as many) than its kiosk and event lengths
    call for. None for anything else, left to `verify`."""
    letters = normalise(text)
    if not letters.startswith(_BADGE_PREFIX):
        return None
    alphabet = set(ALPHABET)
    code_end = next((i for i, c in enumerate(letters) if c not in alphabet), len(letters))
    raw = from_text(letters[: code_end // 2 * 2])
    at = 2 + _BADGE_FIXED.size  # the kiosk id's length, then the event's after the id
    if len(raw) > at:
        at += 1 + raw[at]
    if len(raw) > at:
        at += 1 + raw[at]
    due = 2 * (at + _SIGNATURE_LEN)
    if code_end < len(letters):  # other letters after: a whole code, then another scan
        return "run on" if due <= code_end and len(letters) <= 2 * due else None
    if len(letters) < due:
        return "cut short"
    return "run on" if due < len(letters) <= 2 * due else None  # longer: no scan of a badge


def _badge_claim(body: bytes) -> BadgeClaim:
    acc, seq, start, end, flags = _BADGE_FIXED.unpack_from(body)
    rest = body[_BADGE_FIXED.size :]
    kiosk_len = rest[0]
    kiosk_id = rest[1 : 1 + kiosk_len].decode("ascii")
    rest = rest[1 + kiosk_len :]
    event_len = rest[0]
    if len(rest) != 1 + event_len:
        raise ValueError("trailing bytes")
    event_id = rest[1:].decode("ascii") or None
    return BadgeClaim(
        accreditation_id=acc,
        kiosk_id=kiosk_id,
        sequence=seq,
        valid_from=_EPOCH + timedelta(days=start),
        valid_until=_EPOCH + timedelta(days=end),
        flow=Flow.EVENT if flags & 1 else Flow.ANNUAL,
        counter=Counter.VISITORS if flags & 2 else Counter.GROUPS,
        event_id=event_id,
    )


# A badge serial in the form every kiosk writes it, as the hub takes it in a journal: a
# kiosk id (a capital, then up to 14 capitals or digits), a dash, 6 to 8 digits. Match it
# with `fullmatch` (`$` would let a final newline through).
SERIAL_FORM = re.compile(r"[A-Z][A-Z0-9]{0,14}-[0-9]{6,8}")
KIOSK_ID_MOST = 15  # letters and digits of a kiosk id, as SERIAL_FORM takes it
SERIAL_TYPED_MOST = 3 * (KIOSK_ID_MOST + 1 + 8)  # the longest misread `misread_serial` tells
# A serial's barcode read in part (the kiosk id, its dash, fewer than 6 digits), or twice
# (two or three serials run together, or its digits read over again).
_SERIAL_CUT = re.compile(r"[A-Z][A-Z0-9]{0,14}-[0-9]{0,5}")
_SERIAL_RUN_ON = re.compile(
    r"(?:[A-Z][A-Z0-9]{0,14}-[0-9]{6,8}){2,3}|[A-Z][A-Z0-9]{0,14}-[0-9]{9,24}"
)


def misread_serial(text: str) -> str | None:
    """Whether `text` is a badge serial "cut short" (G1-0000) or "run on" (G1-000001G1-000002),
    as `misread_badge` says of a badge code. None for anything else."""
    typed = text.strip().upper()
    if _SERIAL_CUT.fullmatch(typed):
        return "cut short"
    return "run on" if _SERIAL_RUN_ON.fullmatch(typed) else None


def split_serial(serial: str) -> tuple[str, int]:
    """A badge serial "G1-000042" as the kiosk id and the sequence number."""
    kiosk_id, _, seq = serial.rpartition("-")
    if not kiosk_id or not seq.isdigit():
        raise ValueError(f"not a badge serial: {serial!r}")
    return kiosk_id, int(seq)
