"""The wire format between the hub and the kiosks: signed feed pages and journal rows.

A feed page is a compact JSON header and, after it, the page's bytes fields (photos, keys,
certificates) raw, one after another: ``length of the header (4 bytes, big-endian) +
header + bytes`` (docs/sync-protocol.md). In the header a bytes field is ``[offset,
length]`` into what follows it, so photos are neither base64-encoded nor parsed as JSON.
The hub signs the exact bytes of the page with its feed key (Ed25519 over
``b"POKFEED2" + SHA-256(body)``: one pass over the bytes instead of Ed25519's own two
SHA-512 passes) and a kiosk verifies them with the hub's public key before reading
anything. Entities travel with the kiosk store's column names; dates and times
as ISO 8601. Elsewhere (journal deliveries, error answers) bytes travel as base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from operator import add, itemgetter

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync import columns

PROTOCOL = 9  # 2: document numbers as keyed hashes, retention, purge marks, journal chain;
# 3: keys in the feed say whether they are retired; 4: and whose they are;
# 5: staff accounts, and badge events (lost, stolen, damaged, found, returned)
# 6: the office's CSCA trust list (`csca`, to counters)
# 7: reinstatements (a superseded badge valid again, its replacement cancelled)
# 7 (same day): a page is a JSON header and its bytes fields raw after it (no base64)
# 8: counters' opening hours, closures and pooled moments set at the hub (to counters)
# 9: feed key hand-overs (`feed_keys`): a kiosk asks with the key it holds (`key`) and
#    follows a rotation of the hub's feed key (docs/keys.md)
# What is signed: a domain, then the SHA-256 of the body (before protocol 7, the body
# itself, in domains POKFEED1 and POKANSW1: no such signature verifies as one of these).
_FEED_DOMAIN = b"POKFEED2"
_ANSWER_DOMAIN = b"POKANSW2"  # error answers that change a kiosk's state (not pages)
_HANDOVER_DOMAIN = b"POKFKEY1"  # a feed key vouching for the next one (docs/keys.md)
_HEADER_LENGTH = struct.Struct(">I")  # a page starts with its JSON header's length
# What kiosk.typed.CONTROL matches, as it appears in UTF-8 JSON (escaped, in any case, or
# raw): a header without any has plain text throughout, and its rows need no search each
# (0.13 s a first sync of 100,000 people). A match may be none (an escaped backslash).
_CONTROL_IN_JSON = re.compile(
    rb"\\[bf]|\\u(?:00[01089][0-9a-f]|007f|202[a-e]|206[6-9]|d[89a-f][0-9a-f]{2})"
    rb"|[\x00-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]",
    re.IGNORECASE,
)
# The first bytes a match of _CONTROL_IN_JSON can have (a backslash, C0, DEL, and the
# lead bytes of C1 and of the direction controls in UTF-8), and all the others: deleted
# by bytes.translate at C speed, what is left says whether (and where) to try the regex,
# which searched a first sync's header at 30 MB/s (0.7 s a first sync of 100,000).
_MATCH_STARTS = frozenset({*range(0x20), ord("\\"), 0x7F, 0xC2, 0xE2})
_CANNOT_START = bytes(b for b in range(256) if b not in _MATCH_STARTS)
# Trying the regex at one place cost as much as searching 20 bytes: with a place to try
# in fewer bytes than this (a header of typographic quotes), one search of it all.
_BYTES_PER_TRY = 32
CURSOR_AHEAD = "cursor_ahead"
SIGNATURE_HEADER = "X-Hub-Signature"
MAX_COUNT = 2**63 - 1  # change numbers and journal ids: what the store's integers hold

DATE, DATETIME, BYTES, TIME = "date", "datetime", "bytes", "time"

# Per entity kind, the fields on the wire and how each is encoded (None: as JSON).
# Kinds are listed in the order a kiosk applies them (parents before children).
FIELDS: dict[str, dict[str, str | None]] = {
    "events": {
        "id": None,
        "name": None,
        "place": None,
        "at_hq": None,
        "first_day": DATE,
        "last_day": DATE,
        "collection_opens": DATETIME,
        "collection_closes": DATETIME,
        "annual_admitted": None,
        "colour": None,
        "valid_with": None,
        "retention_days": None,
        "name_fr": None,  # the office's French texts (kiosk/office_texts.py), may be absent
        "place_fr": None,
    },
    "letters": {
        "id": None,
        "kind": None,
        "organisation": None,
        "signed": None,
        "members": None,
        "purged_at": DATETIME,
    },
    "people": {
        "id": None,
        "surname": None,
        "given_names": None,
        "date_of_birth": DATE,
        "nationality": None,
        "email": None,
        "organisation": None,
        "media_kind": None,
        "photo": BYTES,
        "purged_at": DATETIME,
    },
    "accreditations": {
        "id": None,
        "person_id": None,
        "flow": None,
        "year": None,
        "event_id": None,
        "status": None,
        "status_reason": None,
        "status_changed_at": DATETIME,
        "pool": None,
        "doc_kind": None,
        "doc_number_digest": None,
        "doc_number_tail": None,
        "doc_state": None,
        "doc_surname": None,
        "doc_given_names": None,
        "doc_birth_date": DATE,
        "doc_expiry": DATE,
        "press_card": None,
        "letter_id": None,
        "purged_at": DATETIME,
        "status_reason_fr": None,
    },
    "badges": {
        "serial": None,
        "accreditation_id": None,
        "counter": None,
        "kiosk_id": None,
        "clerk": None,
        "supervisor": None,
        "reason": None,
        "issued_at": DATETIME,
        "valid_from": DATE,
        "valid_until": DATE,
        "status": None,
        "superseded_by": None,
    },
    "badge_events": {
        "kiosk_id": None,
        "journal_id": None,
        "serial": None,
        "accreditation_id": None,
        "event": None,
        "at": DATETIME,
        "actor": None,
        "note": None,
    },
    "reinstatements": {  # hub/settle.py: `serial` valid again, `cancels` revoked; kept for good
        "serial": None,
        "cancels": None,  # the badge that had superseded it
        "accreditation_id": None,
        "at": DATETIME,
        "actor": None,  # who decided, at the hub (the note stays with the conflict)
    },
    "keys": {
        "key_id": None,
        "public_key": BYTES,
        "purpose": None,
        "owner": None,  # "office" or the kiosk id: the hub records who reported the key
        "retired_at": DATETIME,
    },
    "csca": {
        "fingerprint": None,  # SHA-256 of der, hex: the certificate's name on the wire
        "der": BYTES,
        "removed_at": DATETIME,  # the office removed it: counters stop trusting it
    },
    "conflicts": {
        "id": None,
        "kind": None,
        "accreditation_id": None,
        "badge_serial": None,
        "kiosk_id": None,
        "detected_at": DATETIME,
        "message_en": None,
        "message_fr": None,
        "settled_at": DATETIME,  # set when the office settled it (hub/settle.py)
        "settlement": None,
        "settle_note": None,
    },
    "staff": {  # accounts made at the hub: the PIN's scrypt hash, never the PIN
        "name": None,
        "role": None,
        "pin_hash": None,
        "disabled": None,
    },
    # Set at the hub (hub/site_hours.py): a counter keeps them by the hub's id; removed_at
    # set means drop it (sync/hours_apply.py).
    "counter_hours": {
        "id": None,
        "counter": None,
        "event_id": None,
        "weekday": None,
        "day": DATE,
        "opens": TIME,
        "closes": TIME,
        "removed_at": DATETIME,
    },
    "closures": {
        "id": None,
        "counter": None,
        "day": DATE,
        "reason": None,
        "removed_at": DATETIME,
        "reason_fr": None,
    },
    "pool_moments": {
        "id": None,
        "event_id": None,
        "name": None,
        "starts_at": DATETIME,
        "handout_place": None,
        "handout_opens": DATETIME,
        "handout_closes": DATETIME,
        "removed_at": DATETIME,
        "name_fr": None,
        "handout_place_fr": None,
    },
    # The hub's next feed key, vouched for by the one before it (`handover`, its signature):
    # a kiosk holding that one takes it in the page's transaction (sync/apply.py).
    "feed_keys": {
        "key_id": None,
        "public_key": BYTES,
        "starts_at": None,  # the change number of the hand-over: cursors from it use this key
        "handover": BYTES,
    },
}
# Fields a hub older than the kiosk does not send yet: missing, they read as None. A
# kiosk older than the hub leaves out the fields it does not know (the office's French
# texts: it shows the English ones).
LATER_FIELDS = frozenset(
    {
        "settled_at",
        "settlement",
        "settle_note",
        *("name_fr", "place_fr", "status_reason_fr", "reason_fr", "handout_place_fr"),
    }
)
KINDS = tuple(FIELDS)
# A counter reports its badge keys with these fields (retiring one is the office's call;
# the owner is the client the hub authenticated, never what the kiosk says).
KEY_FIELDS = {
    name: how for name, how in FIELDS["keys"].items() if name not in ("retired_at", "owner")
}

JOURNAL_FIELDS: dict[str, str | None] = {
    "id": None,
    "at": DATETIME,
    "kiosk_id": None,
    "actor": None,
    "action": None,
    "accreditation_id": None,
    "badge_serial": None,
    "verdict": None,
    "details": None,
    "prev_hash": None,  # the hash chain (kiosk/audit.py): the hub checks it on arrival
    "hash": None,
}  # beside these a row carries `mac` (its seal, "" before sealing) and `seen_cursor`


class ProtocolError(ValueError):
    """A page, a bundle or a delivery that is not what the protocol says."""


_ENCODERS = {
    BYTES: lambda value: base64.b64encode(value).decode("ascii"),
    DATE: date.isoformat,
    DATETIME: datetime.isoformat,
    TIME: time.isoformat,
}


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


_DECODERS = {
    BYTES: lambda text: base64.b64decode(text, validate=True),
    DATE: date.fromisoformat,
    DATETIME: _moment,
    TIME: time.fromisoformat,
}


def _decode_value(value: object, how: str, name: str) -> object:
    try:
        return _DECODERS[how](value)
    except (TypeError, ValueError, binascii.Error) as err:
        raise ProtocolError(f"field {name}: {value!r} is not a valid {how} ({err})") from err


class Blobs:
    """The bytes fields of a page being written, kept raw after its JSON header."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, data: bytes) -> list[int]:
        """Keep `data`; returns its [offset, length] for the header."""
        self.parts.append(data)
        self.size += len(data)
        return [self.size - len(data), len(data)]


def encode(fields: dict[str, str | None], row, blobs: Blobs | None = None) -> dict:
    """A row (column name to Python value: a dict or a row mapping) as wire JSON data;
    bytes fields go to `blobs` when given (a page), else they are base64."""
    wire = {name: row[name] for name in fields}
    for name, how in fields.items():
        if how is not None and (value := wire[name]) is not None:
            wire[name] = (
                blobs.add(value) if blobs is not None and how == BYTES else _ENCODERS[how](value)
            )
    return wire


def _blob(ref: object, *, blobs: memoryview, name: str) -> bytes:
    """The bytes that `ref` ([offset, length]) names in a page's bytes section."""
    if not (isinstance(ref, list) and len(ref) == 2 and all(type(n) is int for n in ref)):
        raise ProtocolError(f"field {name}: {ref!r} is not [offset, length]")
    start, length = ref
    if start < 0 or length < 0 or start + length > len(blobs):
        raise ProtocolError(
            f"field {name}: bytes {start} to {start + length} lie outside the page's "
            f"{len(blobs)} bytes"
        )
    return bytes(blobs[start : start + length])


def decode(fields: dict[str, str | None], wire: dict, blobs: memoryview | None = None) -> dict:
    """Wire JSON data back to column values, bytes fields taken from `blobs` when given (a
    page), else from base64; ProtocolError names a missing or bad field."""
    if not isinstance(wire, dict):
        raise ProtocolError(f"expected an object, got {type(wire).__name__}")
    missing = [name for name in fields if name not in wire and name not in LATER_FIELDS]
    if missing:
        raise ProtocolError(f"missing field(s) {', '.join(missing)}")
    row = {}
    for name, how in fields.items():
        value = wire.get(name)
        if how is None or value is None:
            row[name] = value
        elif how == BYTES and blobs is not None:
            row[name] = _blob(value, blobs=blobs, name=name)
        else:
            row[name] = _decode_value(value, how, name)
    return row


def _blobs(refs: list, blobs: memoryview) -> list[bytes]:
    """`_blob` of each of `refs` (none of them None) by C passes over them all (a call
    per photo cost a tenth of reading a first sync's pages); ValueError when one is not
    as `_blob` takes it."""
    if set(map(type, refs)) != {list} or set(map(len, refs)) != {2}:
        raise ValueError("not [offset, length]")
    starts, lengths = zip(*refs, strict=True)
    if {*map(type, starts), *map(type, lengths)} != {int}:
        raise ValueError("not [offset, length]")
    ends = list(map(add, starts, lengths))
    if min(starts) < 0 or min(lengths) < 0 or max(ends) > len(blobs):
        raise ValueError("outside the page's bytes")
    return list(map(bytes, map(blobs.__getitem__, map(slice, starts, ends))))


def _moments(texts: list) -> list[datetime]:
    """`_moment` of each of `texts`, by C passes."""
    moments = list(map(datetime.fromisoformat, texts))
    if columns.any_naive(moments):
        raise ValueError("no time zone")
    return moments


def _column_decoder(how: str, blobs: memoryview) -> Callable[[list], list]:
    """What decodes a column of values encoded as `how` (none of them None)."""
    if how == BYTES:
        return partial(_blobs, blobs=blobs)
    if how == DATETIME:
        return _moments
    return partial(columns.each, _DECODERS[how])


def _decoded_whole(
    fields: dict[str, str | None], wires: object, blobs: memoryview
) -> list[dict] | None:
    """A page's rows of one kind decoded column by column, each parsed object becoming
    its row (a call of `decode` per row cost half of reading a first sync's pages), or
    None when one is not exactly as `decode` would take it: then each row is decoded by
    itself, and a bad one left out with its reason. Nothing is changed before all
    values decode."""
    if type(wires) is not list:
        return None
    if not wires:
        return wires
    names = frozenset(fields)
    if set(map(type, wires)) != {dict} or set(map(len, wires)) != {len(names)}:
        return None
    # Each row has as many fields as `names`: all the same ones if together they have no other.
    if set().union(*map(dict.keys, wires)) != names:
        return None  # the same number of fields, not the same ones
    columns = []
    try:
        for name, how in fields.items():
            if how is None:
                continue
            decoded = _column_decoder(how, blobs)
            values = list(map(itemgetter(name), wires))
            if None not in values:
                values = decoded(values)
            elif present := [v for v in values if v is not None]:
                done = iter(decoded(present))
                values = [None if v is None else next(done) for v in values]
            columns.append((name, values))
    except (TypeError, ValueError, binascii.Error, ProtocolError):
        return None
    for name, values in columns:
        for wire, value in zip(wires, values, strict=True):
            wire[name] = value
    return wires


def dumps(data: object) -> bytes:
    """Compact JSON on one line; ASCII, which Python's encoder writes fastest."""
    return json.dumps(data, separators=(",", ":")).encode()


def _signed(domain: bytes, body: bytes) -> bytes:
    """The message Ed25519 signs for `body`: the domain and the body's SHA-256, as safe as
    signing the body while SHA-256 resists collisions (128 bits, Ed25519's own level)."""
    return domain + hashlib.sha256(body).digest()


def _handover_message(hub: str, key_id: int, public_key: bytes, starts_at: int) -> bytes:
    """What a feed key signs to vouch for the next one: this hub, its id, key and start."""
    text = dumps({"hub": hub, "key_id": key_id, "starts_at": starts_at})
    return _signed(_HANDOVER_DOMAIN, text + b"\n" + public_key)


class FeedSigner:
    """The hub's feed key: signs pages and bundles."""

    def __init__(self, private_key: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(private_key)

    def sign_handover(self, hub: str, key_id: int, public_key: bytes, starts_at: int) -> bytes:
        """This key's signature vouching for the next feed key (raw, 64 bytes)."""
        return self._key.sign(_handover_message(hub, key_id, public_key, starts_at))

    def sign(self, body: bytes) -> str:
        """Base64 Ed25519 signature of a page body."""
        return base64.b64encode(self._key.sign(_signed(_FEED_DOMAIN, body))).decode("ascii")

    def sign_answer(self, body: bytes) -> str:
        """Base64 Ed25519 signature of an error answer's body (never valid for a page)."""
        return base64.b64encode(self._key.sign(_signed(_ANSWER_DOMAIN, body))).decode("ascii")


def check_signature(
    body: bytes, signature: str, hub_key: bytes, domain: bytes = _FEED_DOMAIN
) -> None:
    """Raise ProtocolError unless `signature` is the hub's over exactly `body`."""
    try:
        raw = base64.b64decode(signature, validate=True)
        Ed25519PublicKey.from_public_bytes(hub_key).verify(raw, _signed(domain, body))
    except (InvalidSignature, binascii.Error, ValueError) as err:
        raise ProtocolError(
            "the feed's signature does not verify with the hub's key: "
            "the data was altered or does not come from the hub"
        ) from err


def follow_handovers(hub_key: bytes, hub: str, handovers: Iterable[dict]) -> bytes:
    """The feed key a kiosk holding `hub_key` holds after these hand-overs (in the order
    they were made): each must be signed by the key before it; ProtocolError otherwise."""
    handovers = list(handovers)
    for row in handovers:
        if not all(type(row[k]) is int for k in ("key_id", "starts_at")) or not isinstance(
            row["handover"], bytes
        ):
            raise ProtocolError(f"malformed feed key hand-over: {row.get('key_id')!r}")
    for row in sorted(handovers, key=lambda r: r["starts_at"]):
        message = _handover_message(hub, row["key_id"], row["public_key"], row["starts_at"])
        try:
            Ed25519PublicKey.from_public_bytes(hub_key).verify(row["handover"], message)
            Ed25519PublicKey.from_public_bytes(row["public_key"])
        except (InvalidSignature, ValueError, TypeError) as err:
            raise ProtocolError(
                f"the hand-over to feed key {row['key_id']} is not signed by the feed key "
                "this kiosk holds"
            ) from err
        hub_key = row["public_key"]
    return hub_key


@dataclass(frozen=True)
class Page:
    """One verified page of the feed: the hub's changes in (cursor_from, cursor_to]."""

    kiosk: str
    nonce: str
    at: datetime
    cursor_from: int
    cursor_to: int
    head: int  # the hub's newest change when the page was cut: for progress
    more: bool
    received_up_to: int  # the last journal id of this kiosk the hub holds
    entities: dict[str, list[dict]]  # kind -> decoded rows
    refused: tuple[str, ...] = ()  # rows that could not be decoded, and why (left out)
    signed_by: bytes = b""  # the feed key its signature verified with
    plain_text: bool = False  # its header has no control character (kiosk.typed.CONTROL)

    @property
    def size(self) -> int:
        """Number of entities carried."""
        return sum(len(rows) for rows in self.entities.values())


def page_body(
    *,
    hub: str,
    kiosk: str,
    nonce: str,
    at: datetime,
    cursor_from: int,
    cursor_to: int,
    head: int,
    more: bool,
    received_up_to: int,
    entities: dict[str, Iterable[dict]],
    blobs: Blobs | None = None,
) -> bytes:
    """The bytes of a page; `entities` hold rows encoded with `blobs` (their bytes)."""
    header = {
        "protocol": PROTOCOL,
        "hub": hub,
        "kiosk": kiosk,
        "nonce": nonce,
        "at": at.isoformat(),
        "cursor_from": cursor_from,
        "cursor_to": cursor_to,
        "head": head,
        "more": more,
        "received_up_to": received_up_to,
        **{kind: list(entities.get(kind, ())) for kind in KINDS},
    }
    return join_page(header, *(blobs.parts if blobs else ()))


def join_page(header: dict, *blobs: bytes) -> bytes:
    """A page's bytes: its header's length, the header as compact JSON (UTF-8, by orjson:
    a tenth of the json module's time on a page), then `blobs`."""
    data = orjson.dumps(header)
    return b"".join((_HEADER_LENGTH.pack(len(data)), data, *blobs))


def split_page(body: bytes) -> tuple[dict, memoryview]:
    """A page's header (parsed) and its bytes section; ProtocolError when the framing is
    wrong. Verify the signature first: this trusts what it reads."""
    if body[:1] == b"{":
        raise ProtocolError("unsupported feed protocol: a page of an older hub (JSON only)")
    if len(body) < _HEADER_LENGTH.size:
        raise ProtocolError(f"malformed feed page: {len(body)} bytes, no header")
    (length,) = _HEADER_LENGTH.unpack_from(body)
    end = _HEADER_LENGTH.size + length
    if end > len(body):
        raise ProtocolError(
            f"malformed feed page: its header of {length} bytes runs past its {len(body)} bytes"
        )
    try:
        header = orjson.loads(memoryview(body)[_HEADER_LENGTH.size : end])
    except orjson.JSONDecodeError as err:  # JSON and UTF-8 errors
        raise ProtocolError(f"malformed feed page: the header is not JSON ({err})") from err
    if not isinstance(header, dict):
        raise ProtocolError("malformed feed page: the header is not an object")
    return header, memoryview(body)[end:]


def read_page(body: bytes, signature: str, hub_key: bytes) -> Page:
    """Verify and decode a page; ProtocolError says what is wrong."""
    try:
        check_signature(body, signature, hub_key)
    except ProtocolError as err:
        if body[:1] != b"{":
            raise
        raise ProtocolError(  # a hint only: nothing of the page is taken
            f"{err}; it looks like a page of a hub older than this kiosk (JSON only, "
            f"protocol {PROTOCOL - 1} or before): update the hub"
        ) from err
    data, blobs = split_page(body)
    return decode_page(body, data, blobs, hub_key)


def decode_page(body: bytes, data: dict, blobs: memoryview, hub_key: bytes) -> Page:
    """The page of a verified `body` whose header `data` and bytes section `blobs`
    `split_page` gave; ProtocolError says what is wrong. `read_page` in steps, for
    bench/sync_phases.py to time each."""
    try:
        if data.get("protocol") != PROTOCOL:
            raise ProtocolError(f"unsupported feed protocol {data.get('protocol')!r}")
        entities: dict[str, list[dict]] = {}
        refused: list[str] = []
        for kind, fields in FIELDS.items():
            wires = data.get(kind, [])
            rows = _decoded_whole(fields, wires, blobs)
            if rows is not None:
                entities[kind] = rows
                continue
            entities[kind] = []
            for wire in wires:
                try:  # one malformed row is left out, not the page (sync/apply.py)
                    entities[kind].append(decode(fields, wire, blobs))
                except ProtocolError as err:
                    refused.append(f"{kind}: {err}")
        return _checked_page(
            Page(
                kiosk=str(data["kiosk"]),
                nonce=str(data["nonce"]),
                at=_decode_value(data["at"], DATETIME, "at"),  # type: ignore[arg-type]
                cursor_from=_count(data, "cursor_from"),
                cursor_to=_count(data, "cursor_to"),
                head=_count(data, "head"),
                more=_flag(data, "more"),
                received_up_to=_count(data, "received_up_to"),
                entities=entities,
                refused=tuple(refused),
                signed_by=hub_key,
                plain_text=not _control_in_json(body, _HEADER_LENGTH.size, len(body) - len(blobs)),
            )
        )
    except ProtocolError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise ProtocolError(f"malformed feed page: {err!r}") from err


def _control_in_json(body: bytes, start: int, end: int) -> bool:
    """Whether _CONTROL_IN_JSON matches in `body` from `start` to `end`: its search's own
    verdict, with the regex tried only where a match could start (none, in most headers)."""
    starts = body[start:end].translate(None, _CANNOT_START)
    if not starts:
        return False
    if len(starts) * _BYTES_PER_TRY > end - start:
        return _CONTROL_IN_JSON.search(body, start, end) is not None
    for byte in set(starts):
        at = body.find(byte, start, end)
        while at != -1:
            if _CONTROL_IN_JSON.match(body, at, end):
                return True
            at = body.find(byte, at + 1, end)
    return False


def _count(data: dict, name: str) -> int:
    """A change number or journal id of a page's header: a JSON integer the store holds."""
    value = data[name]
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise ProtocolError(
            f"malformed feed page: {name} {repr(value)[:40]} is not a change number"
        )
    return value


def _flag(data: dict, name: str) -> bool:
    value = data[name]
    if type(value) is not bool:
        raise ProtocolError(f"malformed feed page: {name} {repr(value)[:40]} is not true or false")
    return value


def _checked_page(page: Page) -> Page:
    """`page` if its cursors go forward: one that ends before it starts, or says more
    follows without moving on, would have the kiosk ask for the same pages for ever."""
    if page.cursor_to < page.cursor_from:
        raise ProtocolError(
            f"malformed feed page: it ends at change {page.cursor_to}, before it starts "
            f"({page.cursor_from})"
        )
    if page.more and page.cursor_to == page.cursor_from:
        raise ProtocolError("malformed feed page: more follows, yet its cursor does not move")
    return page


@dataclass(frozen=True)
class Receipt:
    """The hub's answer to a journal delivery (not signed: TLS and the pin protect it)."""

    received: int
    duplicates: int
    up_to: int  # the last journal id of this kiosk the hub holds


def read_receipt(body: bytes) -> Receipt:
    """A delivery's receipt; ProtocolError for anything else (a proxy's or a portal's
    page, numbers the store cannot hold)."""
    try:
        data = orjson.loads(body)
        counts = [data[name] for name in ("received", "duplicates", "up_to")]
    except (orjson.JSONDecodeError, TypeError, KeyError, IndexError) as err:
        raise ProtocolError(f"not a receipt ({type(err).__name__})") from err
    if not all(type(n) is int and 0 <= n <= MAX_COUNT for n in counts):
        raise ProtocolError("not a receipt (its counts are not whole numbers)")
    return Receipt(*counts)


@dataclass(frozen=True)
class Answer:
    """A verified error answer of the hub: what it says, to whom, for which request."""

    answer: str
    kiosk: str
    nonce: str
    cursor: int
    head: int


def answer_body(*, hub: str, kiosk: str, nonce: str, answer: str, cursor: int, head: int) -> bytes:
    """The body of a signed error answer (a 409 `cursor_ahead` to a feed request)."""
    detail = f"{answer}: this hub holds changes up to {head}, not {cursor}; pull from 0"
    return dumps(
        {
            "protocol": PROTOCOL,
            "detail": detail,
            "answer": answer,
            "hub": hub,
            "kiosk": kiosk,
            "nonce": nonce,
            "cursor": cursor,
            "head": head,
        }
    )


def read_answer(body: bytes, signature: str, hub_key: bytes) -> Answer:
    """Verify and decode an error answer; ProtocolError when it is not the hub's."""
    check_signature(body, signature, hub_key, _ANSWER_DOMAIN)
    try:
        data = json.loads(body)
        return Answer(
            answer=str(data["answer"]),
            kiosk=str(data["kiosk"]),
            nonce=str(data["nonce"]),
            cursor=int(data["cursor"]),
            head=int(data["head"]),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise ProtocolError(f"malformed answer: {err!r}") from err
