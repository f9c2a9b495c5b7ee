"""The hub's side of air-gapped transfer: bundles out, outbox files in (sync/files.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub.clients import Client, Role, client_digest
from hub.database import HubDatabase
from hub.feed import DEFAULT_LIMIT, build_page, bundle_nonce
from hub.feed_keys import bundle_signer
from hub.receive import MAX_ROWS, Receipt, receive
from hub.schema import ClientRow
from kiosk.private import check_new
from sync.files import read_outbox, write_bundle
from sync.protocol import ProtocolError, split_page


class TransferError(ValueError):
    """A bundle that cannot be made, or an outbox file the hub will not take."""


def export_bundle(
    db: HubDatabase,
    kiosk_id: str,
    path: Path,
    now: datetime,
    since: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> tuple[int, int]:
    """Write the feed for `kiosk_id` from `since` (default: where it last pulled from)
    to a bundle file, at most `limit` changes a page; returns (pages, cursor reached)."""
    with db.reading() as s:
        row = s.get(ClientRow, kiosk_id)
        if row is None or row.role == Role.OFFICE.value:
            raise TransferError(f"no kiosk {kiosk_id} is enrolled at this hub")
        if row.revoked_at is not None:
            raise TransferError(f"{kiosk_id} is revoked ({row.revoked_reason}): no bundle for it")
        client, cursor = Client(row.id, Role(row.role)), row.cursor if since is None else since
    header = {"hub": db.hub_id, "kiosk": kiosk_id, "since": cursor, "created_at": now.isoformat()}
    check_new(path)  # a folder, /dev/null or any file there (the hub's database) is refused
    reached: list[int] = []
    try:
        pages = write_bundle(path, header, _pages(db, client, cursor, now, reached, limit))
    except FileExistsError:  # made meanwhile by another: not ours to remove
        raise
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return pages, reached[-1]


def _pages(
    db: HubDatabase, client: Client, cursor: int, now: datetime, reached: list[int], limit: int
):
    """Signed pages from `cursor` to the end of the feed, each with the feed key the kiosk
    holds when it reaches it (a hand-over in a page: the next ones with the new key);
    appends each cursor reached."""
    nonce = bundle_nonce()
    while True:
        held = bundle_signer(db, client.id, cursor)
        if held.signer is None:
            raise TransferError(
                f"{client.id} holds feed key {held.key_id}, which is retired: enrol it again"
            )
        body = build_page(db, client, cursor, limit, nonce, now, held.starts_at)
        if body is None:
            raise TransferError(f"--since {cursor} is ahead of this hub's changes")
        yield body, held.signer.sign(body)
        page, _ = split_page(body)
        cursor = page["cursor_to"]
        reached.append(cursor)
        if not page["more"]:
            return


def import_outbox(db: HubDatabase, path: Path, now: datetime) -> Receipt:
    """Receive a kiosk's outbox file (checked as a whole first); rows held are skipped.
    TransferError, nothing taken, when the file starts after the last row this hub holds
    (restored from an older backup): the kiosk must export again from there."""
    try:
        outbox = read_outbox(path)
    except ProtocolError as err:
        raise TransferError(str(err)) from err
    if outbox.hub != db.hub_id:
        raise TransferError(f"{path.name} is for hub {outbox.hub}, this is {db.hub_id}")
    digest = client_digest(db, outbox.kiosk)
    if digest is None or not outbox.authentic(digest):
        raise TransferError(
            f"{path.name} is not authentic: not written by kiosk {outbox.kiosk} as enrolled "
            "here, or changed since"
        )
    with db.reading() as s:
        client = Client(outbox.kiosk, Role(s.get(ClientRow, outbox.kiosk).role))
    received = duplicates = 0
    conflicts: tuple[int, ...] = ()
    up_to = 0
    for i in range(0, max(len(outbox.rows), 1), MAX_ROWS):
        more = i + MAX_ROWS < len(outbox.rows)
        rows = outbox.rows[i : i + MAX_ROWS]
        after = outbox.after if i == 0 else None  # the later parts follow the first
        r = receive(db, client, rows, now, "file", outbox.keys, outbox.head, more, after)
        if after is not None and r.up_to < after:
            raise TransferError(_lost_rows(path, outbox.kiosk, after, r.up_to))
        received, duplicates = received + r.received, duplicates + r.duplicates
        conflicts, up_to = conflicts + r.conflicts, r.up_to
    return Receipt(received, duplicates, up_to, conflicts)


def _lost_rows(path: Path, kiosk: str, after: int, held: int) -> str:
    """Why an outbox starting after row `after` is not taken by a hub holding `held`."""
    return (
        f"{path.name} starts after row {after} of {kiosk}'s journal, but this hub holds it "
        f"only up to row {held} (restored from an older backup?): nothing was imported. "
        f"On the kiosk, export again from there: kiosk export-outbox --after {held} FILE"
    )
