"""The kiosk's outbox: its journal rows after the last one the hub acknowledged.

The journal is written in the same transaction as every action (kiosk/ledger.py), so
the outbox is complete by construction; delivering is reading it in order. Each row goes
with the badge it names, as that badge is now, and with `seen_cursor`, the feed cursor
the store held when the row was written (from `sync_marks`), and with its seal. A
`photo_replaced` row goes with the photo it names (base64), while the store still holds
that photo (kiosk/desk_photos.py). The journal's sealed head goes with every delivery
(`journal_head`).
"""

from __future__ import annotations

import base64
import bisect

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.desk_photos import ACTION as PHOTO_REPLACED
from kiosk.desk_photos import sha256
from kiosk.store.database import Store
from kiosk.store.schema import BadgeRow, JournalRow, KeyRow, PhotoRow, SyncMarkRow, SyncStateRow
from sync.apply import held_acknowledgement, journal_end, sqlite_of
from sync.protocol import FIELDS, JOURNAL_FIELDS, KEY_FIELDS, encode


def _seen(s: Session, below: int) -> tuple[list[int], list[int]]:
    marks = s.execute(
        select(SyncMarkRow.journal_id, SyncMarkRow.cursor)
        .where(SyncMarkRow.journal_id < below)
        .order_by(SyncMarkRow.journal_id)
    ).all()
    return [m[0] for m in marks], [m[1] for m in marks]


def pending(store: Store, limit: int, after: int | None = None) -> list[dict]:
    """Up to `limit` wire rows after the acknowledged one (or after `after`)."""
    with store.reading() as s:
        return _pending(s, limit, after)


def next_delivery(store: Store, limit: int, after: int, keys: bool) -> tuple[dict, list, list]:
    """What a delivery sends, in one snapshot (the head names the rows at least): the
    journal's head (`journal_head`), up to `limit` rows after `after` (`pending`) and,
    with `keys` and rows to send, the badge keys (`badge_keys`)."""
    with store.snapshot() as db:  # most rounds have nothing to send: no ORM session then
        if not db.execute(_ANY_AFTER, (after,)).fetchone():
            return store.journal.head_on(db).wire(), [], []
    with store.reading() as s:
        head = store.journal.head(s).wire()
        rows = _pending(s, limit, after)
        return head, rows, _badge_keys(s) if keys and rows else []


_ANY_AFTER = "SELECT 1 FROM journal WHERE id > ? LIMIT 1"


def _pending(s: Session, limit: int, after: int | None) -> list[dict]:
    if after is None:
        after = s.scalar(select(SyncStateRow.acked_journal_id).where(SyncStateRow.id == 1))
    if not sqlite_of(s).execute(_ANY_AFTER, (after or 0,)).fetchone():
        return []  # most rounds: asked on the connection, the ORM's query cost 0.15 ms
    after_acked = select(JournalRow).where(JournalRow.id > (after or 0))
    rows = list(s.scalars(after_acked.order_by(JournalRow.id).limit(limit)))
    serials = {r.badge_serial for r in rows if r.badge_serial}
    badges = {
        b.serial: encode(FIELDS["badges"], {c: getattr(b, c) for c in FIELDS["badges"]})
        for b in s.scalars(select(BadgeRow).where(BadgeRow.serial.in_(serials)))
    }
    photos = _photos(s, rows)
    ids, cursors = _seen(s, rows[-1].id)
    out = []
    for r in rows:
        wire = encode(JOURNAL_FIELDS, {c: getattr(r, c) for c in JOURNAL_FIELDS})
        i = bisect.bisect_left(ids, r.id)
        wire["seen_cursor"] = cursors[i - 1] if i else 0
        wire["mac"] = r.mac  # the entry's seal (kiosk/audit.py); "" before sealing began
        wire["badge"] = badges.get(r.badge_serial) if r.badge_serial else None
        if r.id in photos:
            wire["photo"] = photos[r.id]
        out.append(wire)
    return out


def _photos(s: Session, rows: list[JournalRow]) -> dict[int, str | None]:
    """For each photo_replaced row, the photo it names in base64, or None when the store
    holds another one since (a later row carries that) or none (purged)."""
    out: dict[int, str | None] = {}
    for r in rows:
        if r.action != PHOTO_REPLACED:
            continue
        held = s.get(PhotoRow, r.details.get("person_id"))
        same = held is not None and sha256(held.jpeg) == r.details.get("new_sha256")
        out[r.id] = base64.b64encode(held.jpeg).decode("ascii") if same else None
    return out


def journal_head(store: Store) -> dict:
    """Where the journal ends, sealed, as every delivery reports it: the hub checks that
    the head it saw last is still a prefix of this one. Read before the rows it goes
    with, so that the rows reach it at least."""
    with store.reading() as s:
        return store.journal.head(s).wire()


def acknowledge(store: Store, up_to: int) -> int:
    """The hub holds the journal up to `up_to`: drop the marks no pending row needs.
    Returns the row kept as acknowledged: `up_to`, or the journal's last row when the hub
    claims more (sync/apply.py `held_acknowledgement`)."""
    with store.writing() as s:
        state = s.get(SyncStateRow, 1)
        up_to = held_acknowledgement(up_to, journal_end(sqlite_of(s)))
        state.acked_journal_id = up_to
        keep = s.scalar(
            select(SyncMarkRow.journal_id)
            .where(SyncMarkRow.journal_id <= up_to)
            .order_by(SyncMarkRow.journal_id.desc())
            .limit(1)
        )
        if keep is not None:
            s.execute(delete(SyncMarkRow).where(SyncMarkRow.journal_id < keep))
    return up_to


def badge_keys(store: Store) -> list[dict]:
    """The badge keys this kiosk trusts, as wire data: the hub spreads a counter's own to
    every security post (keys it holds already are no news to it)."""
    with store.reading() as s:
        return _badge_keys(s)


def _badge_keys(s: Session) -> list[dict]:
    rows = s.scalars(select(KeyRow).where(KeyRow.purpose == "badge"))
    return [encode(KEY_FIELDS, {c: getattr(r, c) for c in KEY_FIELDS}) for r in rows]
