"""The keys that seal a kiosk's journal, kept in a file beside the store, never in it.

A journal is sealed in epochs: entries from `first_id` on are sealed with that epoch's
key until the next epoch begins. A kiosk starts with a key of its own (``source``
"local"); enrolment hands it the key its hub holds for it, which seals every entry from
the next one on (see docs/journal.md). The file is JSON in
``DATA_DIR/secrets/journal.key``, owner only (0600, its folder 0700): a copy of the store
alone cannot be re-sealed after an edit.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.private import write_private

KEY_FILE = Path("secrets") / "journal.key"
KEY_SIZE = 32
FORMAT = "pass-office-journal-key/1"
LOCAL = "local"


class JournalKeyError(RuntimeError):
    """The journal key file exists but cannot be used (damaged, unreadable)."""


@dataclass(frozen=True)
class Epoch:
    """Entries from `first_id` on are sealed with `key` (until the next epoch).

    `source` is "local" or the id of the hub that issued the key; `replaced_lost` says the
    key file was missing when this epoch began, so earlier seals cannot be checked."""

    first_id: int
    key: bytes
    source: str = LOCAL
    replaced_lost: bool = False


@dataclass(frozen=True)
class JournalKeys:
    """A kiosk's journal keys, oldest epoch first (never empty)."""

    epochs: tuple[Epoch, ...]

    @property
    def current(self) -> Epoch:
        """The epoch new entries and the head are sealed in."""
        return self.epochs[-1]

    @property
    def sealed_from(self) -> int:
        """The first entry id that must carry a seal (earlier ones predate sealing)."""
        return self.epochs[0].first_id

    def epoch_of(self, entry_id: int) -> Epoch | None:
        """The epoch sealing `entry_id`; None for an entry written before sealing began."""
        found = None
        for epoch in self.epochs:
            if epoch.first_id <= entry_id:
                found = epoch
        return found

    def then(self, epoch: Epoch) -> JournalKeys:
        """These keys with `epoch` begun; an epoch that seals nothing yet is replaced."""
        kept = tuple(e for e in self.epochs if e.first_id < epoch.first_id)
        return JournalKeys((*kept, epoch))


def new_key() -> bytes:
    """32 random bytes."""
    return secrets.token_bytes(KEY_SIZE)


def key_path(data_dir: Path) -> Path:
    """Where a kiosk keeps its journal keys."""
    return data_dir / KEY_FILE


def _epoch(doc: dict) -> Epoch:
    key = base64.b64decode(doc["key"], validate=True)
    if len(key) != KEY_SIZE or int(doc["first_id"]) < 1:
        raise ValueError("not a 32-byte key from a positive entry id")
    return Epoch(int(doc["first_id"]), key, str(doc["source"]), bool(doc.get("replaced_lost")))


def load(path: Path) -> JournalKeys | None:
    """The keys in `path`, or None when there is no file yet."""
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except OSError as err:
        raise JournalKeyError(f"cannot read the journal key {path}: {err.strerror}") from err
    except ValueError as err:
        raise JournalKeyError(f"{path} is damaged: it is not JSON") from err
    try:
        if doc["format"] != FORMAT:
            raise ValueError(f"format {doc['format']!r}")
        epochs = tuple(_epoch(e) for e in doc["epochs"])
    except (KeyError, TypeError, ValueError, binascii.Error) as err:
        raise JournalKeyError(f"{path} is not a journal key file ({err})") from err
    if not epochs or [e.first_id for e in epochs] != sorted({e.first_id for e in epochs}):
        raise JournalKeyError(f"{path} is not a journal key file (epochs out of order)")
    return JournalKeys(epochs)


def save(path: Path, keys: JournalKeys) -> None:
    """Write the keys owner-only, replacing the file atomically (a crash leaves the old
    file or the new one, never half of one)."""
    doc = {
        "format": FORMAT,
        "epochs": [
            {
                "first_id": e.first_id,
                "key": base64.b64encode(e.key).decode("ascii"),
                "source": e.source,
                "replaced_lost": e.replaced_lost,
            }
            for e in keys.epochs
        ],
    }
    write_private(path, json.dumps(doc, indent=1).encode())
