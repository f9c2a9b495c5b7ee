"""Air-gapped transfer: signed bundles (hub to kiosk) and outbox files (kiosk to hub).

A bundle is the feed written to a file: a header line, then each signed page exactly as
the hub serves it, after a line ``SIGNATURE LENGTH`` (pages hold raw bytes, so they are
counted, not cut at new lines); a kiosk checks every signature, that the pages are its
own and follow each other to the end, before applying any.
An outbox file is the kiosk's undelivered journal on one line (and its sealed head, which
the hub checks as it checks a delivery's), with an HMAC-SHA256 keyed
with the SHA-256 of the kiosk's token (which the hub holds), so the hub knows which kiosk
wrote it and that nothing was changed on the way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.private import write_private
from kiosk.regular_file import NotRegularFile, read_regular
from kiosk.store.database import Store
from sync.apply import apply_page
from sync.outbox import badge_keys, journal_head, pending
from sync.protocol import Page, ProtocolError, dumps, follow_handovers, read_page
from sync.state import require_state

BUNDLE_MAGIC = "POK-BUNDLE/2"  # 1: one page per line (JSON pages, protocol 6 and before)
OUTBOX_MAGIC = "POK-OUTBOX/1"
OUTBOX_BATCH = 2000
MAX_JOURNAL_ID = 2**63 - 1  # SQLite's largest row id


def write_bundle(path: Path, header: dict, pages: Iterable[tuple[bytes, str]]) -> int:
    """Write signed pages (body, signature) as they come, after an informative header;
    returns how many."""
    count = 0
    fh = path.open("xb")  # made here, never written over another file or a link
    try:
        with fh:
            fh.write(f"{BUNDLE_MAGIC} ".encode() + dumps(header) + b"\n")
            for body, signature in pages:
                fh.write(b"%s %d\n" % (signature.encode(), len(body)))
                fh.write(body + b"\n")
                count += 1
    except BaseException as err:  # a full disk, a stick pulled out: no half bundle left
        path.unlink(missing_ok=True)
        if isinstance(err, OSError) and err.filename is None:
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise
    return count


def _records(data: bytes, name: str):
    """(page number, signature, body) of each page after a bundle's header line."""
    at, number = data.index(b"\n") + 1, 1
    while at < len(data):
        end = data.find(b"\n", at)
        signature, _, length = data[at : end if end >= 0 else len(data)].partition(b" ")
        if end < 0 or not length.isdigit() or len(length) > 12:
            raise ProtocolError(f"{name} is incomplete (cut short) or damaged: copy it again")
        start, stop = end + 1, end + 1 + int(length)
        if data[stop : stop + 1] != b"\n":
            raise ProtocolError(f"{name} is incomplete (cut short): copy it again")
        yield number, signature.decode("ascii", "replace"), data[start:stop]
        at, number = stop + 1, number + 1


def read_bundle(path: Path, hub_key: bytes, kiosk_id: str, hub: str = "") -> list[Page]:
    """Every page of a bundle, verified, each with the feed key held after the pages
    before it (a hand-over of hub `hub` in a page: the next ones verify with the new key,
    docs/keys.md); ProtocolError when anything is off."""
    try:
        data = read_regular(path)  # a pipe hung the import, /dev/zero filled the memory
    except NotRegularFile as err:
        raise ProtocolError(f"{err}: a bundle is a file `kiosk-hub export-bundle` wrote") from err
    except OSError as err:
        raise ProtocolError(f"cannot read {path}: {err.strerror}") from err
    if data.startswith(b"POK-BUNDLE/1 "):
        raise ProtocolError(f"{path.name} was made by an older hub: export it again")
    if not data.startswith(BUNDLE_MAGIC.encode() + b" ") or b"\n" not in data:
        raise ProtocolError(f"{path.name} is not a bundle (it should start with {BUNDLE_MAGIC})")
    pages: list[Page] = []
    for n, signature, body in _records(data, path.name):
        try:
            page = read_page(body, signature, hub_key)
        except ProtocolError as err:
            raise ProtocolError(f"{path.name} page {n}: {err}") from err
        if page.kiosk != kiosk_id:
            raise ProtocolError(f"{path.name} was made for kiosk {page.kiosk}, not {kiosk_id}")
        if pages and page.cursor_from != pages[-1].cursor_to:
            raise ProtocolError(f"{path.name} page {n}: a page is missing before this one")
        pages.append(page)
        try:
            hub_key = follow_handovers(hub_key, hub, page.entities["feed_keys"])
        except ProtocolError as err:
            raise ProtocolError(f"{path.name} page {n}: {err}") from err
    if not pages or pages[-1].more:
        raise ProtocolError(f"{path.name} is incomplete (cut short): copy it again")
    return pages


@dataclass(frozen=True)
class BundleImport:
    """What importing a bundle did."""

    pages: int
    entities: int
    cursor: int


def import_bundle(store: Store, path: Path) -> BundleImport:
    """Check a whole bundle, then apply its pages (each in one transaction)."""
    state = require_state(store)
    pages = read_bundle(path, state.hub_key, state.kiosk_id, state.hub_id)
    if pages[0].cursor_from > state.cursor:
        raise ProtocolError(
            f"the bundle starts after change {pages[0].cursor_from}, this kiosk holds changes up "
            f"to {state.cursor}: export one with `kiosk-hub export-bundle --since {state.cursor}`"
        )
    entities, cursor = 0, state.cursor
    for page in pages:
        applied = apply_page(store, page, online=False)
        entities, cursor = entities + applied.entities, applied.cursor
    return BundleImport(len(pages), entities, cursor)


def _mac(key: str, body: bytes) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def export_outbox(store: Store, path: Path, now: datetime, after: int | None = None) -> int:
    """Write every journal row after `after` (default: the last the hub acknowledged;
    earlier for a hub restored from an older backup, which says from where); returns how
    many. ValueError, nothing written, for an `after` past the acknowledged row."""
    state = require_state(store)
    if after is None:
        after = state.acked_journal_id
    elif after > state.acked_journal_id:
        raise ValueError(
            f"--after {after} is past the last journal row the hub acknowledged "
            f"({state.acked_journal_id}): rows in between would never reach it"
        )
    head = journal_head(store)  # before the rows: they reach it at least
    rows: list[dict] = []
    while batch := pending(store, OUTBOX_BATCH, rows[-1]["id"] if rows else after):
        rows += batch
    body = dumps(
        {
            "kiosk": state.kiosk_id,
            "hub": state.hub_id,
            "exported_at": now.isoformat(),
            "after": after,
            "rows": rows,
            "keys": badge_keys(store) if state.role == "counter" else [],
            "head": head,
        }
    )
    key = hashlib.sha256(state.token.encode()).hexdigest()
    # owner-only over whatever was there; a full disk leaves the path as it was
    write_private(path, f"{OUTBOX_MAGIC} {_mac(key, body)} ".encode() + body + b"\n")
    return len(rows)


@dataclass(frozen=True)
class OutboxFile:
    """An outbox file as read (its MAC not yet checked)."""

    kiosk: str
    hub: str
    rows: list[dict]
    keys: list[dict]
    mac: str
    body: bytes
    head: dict | None = None  # the journal's sealed head (kiosk/audit.py)
    after: int | None = None  # the kiosk's last row the hub held when it was written

    def authentic(self, token_digest: str) -> bool:
        """Whether the file was written by the holder of the token with this digest."""
        return hmac.compare_digest(self.mac, _mac(token_digest, self.body))


def read_outbox(path: Path) -> OutboxFile:
    """Parse an outbox file; ProtocolError when it is not one."""
    try:
        raw = read_regular(path).rstrip(b"\n")
    except NotRegularFile as err:
        raise ProtocolError(f"{err}: an outbox file is one `kiosk export-outbox` wrote") from err
    except OSError as err:
        raise ProtocolError(f"cannot read {path}: {err.strerror}") from err
    magic, _, rest = raw.partition(b" ")
    mac, _, body = rest.partition(b" ")
    if magic.decode(errors="replace") != OUTBOX_MAGIC:
        raise ProtocolError(f"{path.name} is not an outbox file (expected {OUTBOX_MAGIC})")
    try:
        data = json.loads(body)
        return OutboxFile(
            str(data["kiosk"]),
            str(data["hub"]),
            list(data["rows"]),
            list(data.get("keys", [])),
            mac.decode(),
            body,
            data.get("head"),
            _after(data.get("after")),
        )
    except (ValueError, KeyError, TypeError) as err:
        raise ProtocolError(f"{path.name} is damaged: {err}") from err


def _after(value: object) -> int | None:
    """An outbox's `after`: a journal row id (0: from the start), or None (not said)."""
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= MAX_JOURNAL_ID:
        raise ValueError("its 'after' is not a journal row")
    return value
