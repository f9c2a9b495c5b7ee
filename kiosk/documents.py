"""ID document numbers kept as keyed hashes: the counter compares, it never needs to read.

A counter only has to tell whether the document shown is the one used to apply, so
neither a kiosk's store nor the hub keeps the number in clear: they keep
`document_digest(key, number)` and the last three characters (`doc_number_tail`), which
the clerk sees beside the number scanned ("…123").

**Stable**: ``document_digest(key, number)`` is
``HMAC-SHA256(key, normalise(number).encode("ascii"))`` as 64 lower-case hex digits,
where `normalise` writes the number as an MRZ does (upper case, only ``A-Z`` and
``0-9``: spaces, ``<`` and ``-`` dropped). Every digest a store holds depends on it:
changing it (or the key) makes every held digest useless. A search by document number
hashes the query with this same function.

The key (32 random bytes, the site's "document key") is made by the hub, handed to
each counter in its enrolment file, and kept in ``DATA_DIR/keys/document.key`` (owner
only, never in the store). A kiosk without a hub (the demo) makes its own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import replace
from pathlib import Path

from kiosk.model import IdDocument, IdReading
from kiosk.private import write_private

KEY_SIZE = 32
KEY_FILE = Path("keys") / "document.key"
TAIL = 3
_NOT_MRZ = re.compile(r"[^0-9A-Z]")
_DROPPED = re.compile(r"[\s<\-]")


class DocumentKeyError(RuntimeError):
    """The document key file exists but is not a key (wrong size, unreadable)."""


def normalise(number: str) -> str:
    """The number as an MRZ writes it: upper case, letters A-Z and digits only."""
    return _NOT_MRZ.sub("", number.upper())


def problem(number: str) -> str | None:
    """Why `number` is not a document number an MRZ could carry, or None when it is.

    Spaces, '<' and '-' are separators; anything else outside A-Z and 0-9 (an accent, a
    slash) is a typing error the office must correct, not something to drop silently.
    """
    text = _DROPPED.sub("", number.upper())
    if not text:
        return "empty"
    bad = sorted(set(_NOT_MRZ.findall(text)))
    if bad:
        return f"contains {''.join(bad)!r}: only letters A-Z and digits (an MRZ's alphabet)"
    return None


def document_digest(key: bytes, number: str) -> str:
    """The keyed hash of a document number (see the module's docstring: stable)."""
    if len(key) != KEY_SIZE:
        raise DocumentKeyError(f"a document key is {KEY_SIZE} bytes, not {len(key)}")
    return hmac.new(key, normalise(number).encode("ascii"), hashlib.sha256).hexdigest()


def doc_number_tail(number: str) -> str:
    """The last characters of the number, kept in clear for the clerk to see."""
    return normalise(number)[-TAIL:]


def hashed_document(key: bytes, doc: IdDocument) -> IdDocument:
    """`doc` as a store holds it: digest and tail, no number in clear."""
    return replace(
        doc,
        number="",
        number_digest=document_digest(key, doc.number),
        number_tail=doc_number_tail(doc.number),
    )


def hashed_member(key: bytes, member: dict) -> dict:
    """A group letter's member (surname, given names, date of birth, document_number) as
    a store holds it: `document_digest` and `document_tail` instead of the number."""
    number = member["document_number"]
    kept = {k: v for k, v in member.items() if k != "document_number"}
    return {
        **kept,
        "document_digest": document_digest(key, number),
        "document_tail": doc_number_tail(number),
    }


def with_digest(reading: IdReading | None, key: bytes | None) -> IdReading | None:
    """The reading with its number's digest, so the rules can compare it (no key: no
    digest, and the rules say the number cannot be compared)."""
    if reading is None or key is None:
        return reading
    return replace(reading, document_digest=document_digest(key, reading.document_number))


# --- The key file --------------------------------------------------------------------


def key_path(data_dir: Path) -> Path:
    """Where a kiosk keeps its document key."""
    return data_dir / KEY_FILE


_read: dict[Path, tuple[tuple[int, int, int], bytes]] = {}  # path -> (file's identity, key)


def read_key(data_dir: Path) -> bytes | None:
    """The kiosk's document key, or None when it has none yet. Every scan asks: the key
    is read again only when the file changed (an enrolment replaces it)."""
    path = key_path(data_dir)
    try:
        st = path.stat()
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = _read.get(path)
        if cached and cached[0] == seen:
            return cached[1]
        key = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise DocumentKeyError(f"cannot read the document key {path}: {err.strerror}") from err
    if len(key) != KEY_SIZE:
        raise DocumentKeyError(f"{path} is not a document key ({len(key)} bytes, not 32)")
    _read[path] = (seen, key)
    return key


def write_key(data_dir: Path, key: bytes) -> None:
    """Save the document key, owner-only, replacing any earlier one atomically."""
    if len(key) != KEY_SIZE:
        raise DocumentKeyError(f"a document key is {KEY_SIZE} bytes, not {len(key)}")
    write_private(key_path(data_dir), key)


def new_key() -> bytes:
    """32 random bytes."""
    return secrets.token_bytes(KEY_SIZE)


def ensure_key(data_dir: Path) -> bytes:
    """The kiosk's document key, made now if it has none (a kiosk without a hub)."""
    key = read_key(data_dir)
    if key is None:
        key = new_key()
        write_key(data_dir, key)
    return key
