"""The sealed journal: every entry commits to the one before it, and a key seals both.

``hash = sha256(prev_hash + canonical JSON of the entry)`` chains the entries (anyone can
check it); ``mac = HMAC-SHA256(key, "POKJRNL1" + id + hash)`` seals each one with the
journal key, which lives beside the store (kiosk/journal_keys.py) and at the hub, not in
the store. The head, apart from the entries, names the last entry and is sealed too:
removing the last entries leaves a head naming one that is gone.

The store's own sessions fill these columns as entries are flushed, inside the writer's
transaction (writers hold SQLite's lock from BEGIN IMMEDIATE, so two writers never fork
the chain). `verify_chain` names the first entry that does not hold. Why a key and not
signatures, and what a thief of the key can still do: docs/journal.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk import journal_keys
from kiosk.journal_keys import Epoch, JournalKeys
from kiosk.store.schema import JournalHeadRow, JournalRow

GENESIS = "0" * 64
_ENTRY_DOMAIN, _HEAD_DOMAIN = b"POKJRNL1", b"POKHEAD1"

NOT_FOLLOWING = "does not follow the entry before it (an entry was deleted, inserted or moved)"
CHANGED = "its content was changed after it was written"
BAD_SEAL = "its seal does not verify: it was written or rewritten without the journal key"
LOST_KEY = (
    "the journal key file was missing when this entry was due: the entries before it "
    "cannot be checked against their seals any more"
)


def canonical(row: JournalRow) -> bytes:
    """The bytes an entry's hash covers: every field but its id and its own hashes."""
    at = row.at.astimezone(UTC).isoformat()
    fields = {
        "at": at,
        "kiosk_id": row.kiosk_id,
        "actor": row.actor,
        "action": row.action,
        "accreditation_id": row.accreditation_id,
        "badge_serial": row.badge_serial,
        "verdict": row.verdict,
        "details": row.details or {},
    }
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def entry_hash(prev_hash: str, row: JournalRow) -> str:
    """The hash of an entry that follows `prev_hash`."""
    return hashlib.sha256(prev_hash.encode() + canonical(row)).hexdigest()


def seal(key: bytes, entry_id: int, digest: str) -> str:
    """An entry's seal: its place and its hash (hence everything before it), keyed."""
    return hmac.new(key, _ENTRY_DOMAIN + f"{entry_id}:{digest}".encode(), "sha256").hexdigest()


def head_seal(key: bytes, entry_id: int, digest: str, sealed_from: int) -> str:
    """The head's seal (another domain than an entry's: an entry's seal is no head's)."""
    text = f"{entry_id}:{digest}:{sealed_from}".encode()
    return hmac.new(key, _HEAD_DOMAIN + text, "sha256").hexdigest()


def seal_holds(key: bytes, entry_id: int, digest: str, mac: str) -> bool:
    """Whether `mac` is the seal of entry `entry_id` with hash `digest` under `key`."""
    return hmac.compare_digest(mac or "", seal(key, entry_id, digest))


@dataclass(frozen=True)
class Head:
    """Where a journal ends, as the kiosk reports it to its hub: the last entry's id and
    hash, the first entry sealed with the current key, and the seal over the three
    ("" when the kiosk has no sealed head: a head record removed)."""

    id: int
    hash: str
    sealed_from: int
    mac: str

    def wire(self) -> dict:
        """As a delivery carries it."""
        return {"id": self.id, "hash": self.hash, "sealed_from": self.sealed_from, "mac": self.mac}

    def sealed_by(self, key: bytes) -> bool:
        """Whether `key` sealed this head."""
        expected = head_seal(key, self.id, self.hash, self.sealed_from)
        return hmac.compare_digest(self.mac or "", expected)


class _HeadValues(NamedTuple):
    """A head record's values as read on a SQLite connection (`SealedJournal.head_on`)."""

    journal_id: int
    hash: str
    mac: str


_HEAD_ROW = "SELECT journal_id, hash, mac FROM journal_head WHERE id = 1"
_LAST_ROW = "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1"


def _head_epoch(keys: JournalKeys, row: JournalHeadRow | _HeadValues) -> Epoch | None:
    """The epoch whose key sealed the head record (any known one: a crash between writing
    a new key and re-sealing the head leaves it sealed with the one before)."""
    for epoch in reversed(keys.epochs):
        if hmac.compare_digest(
            row.mac, head_seal(epoch.key, row.journal_id, row.hash, epoch.first_id)
        ):
            return epoch
    return None


def _last(session: Session) -> tuple[int, str | None]:
    last = session.execute(
        select(JournalRow.id, JournalRow.hash).order_by(JournalRow.id.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, None)


class SealedJournal:
    """One store's journal: seals the entries its own sessions flush (and no other
    session's), moves to a hub's key at enrolment, verifies."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = key_file
        self._keys: JournalKeys | None = None
        self._seen: tuple[int, int, int] | None = None

    @classmethod
    def open(cls, key_file: Path, writer: sessionmaker) -> SealedJournal:
        """The journal of a store whose key file is `key_file`: a key is made on first
        start (sealing every entry after those already written); a key file gone from a
        store holding sealed entries is replaced, and verification says so."""
        journal = cls(key_file)
        if journal_keys.load(key_file) is None:
            with writer() as s, s.begin():
                last_id, _ = _last(s)
                head = s.get(JournalHeadRow, 1)
                sealed = head is not None or s.scalar(
                    select(func.count()).select_from(JournalRow).where(JournalRow.mac != "")
                )
                end = max(last_id, head.journal_id if head else 0)
                epoch = Epoch(end + 1, journal_keys.new_key(), replaced_lost=bool(sealed))
                journal._create(JournalKeys((epoch,)))
        _ = journal.keys  # held from now on: a file removed while open is put back
        return journal

    def _create(self, keys: JournalKeys) -> None:
        """Write the first key file, unless another process did so a moment before."""
        tmp = self.key_file.with_suffix(f".{os.getpid()}.new")
        journal_keys.save(tmp, keys)
        try:
            os.link(tmp, self.key_file)  # fails if the file exists: theirs stands
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)

    @property
    def keys(self) -> JournalKeys:
        """The keys as the file holds them now (read again when it changed: an
        enrolment in another process moves the journal to the hub's key)."""
        try:
            st = self.key_file.stat()
        except FileNotFoundError:
            if self._keys is None:
                raise journal_keys.JournalKeyError(
                    f"the journal key {self.key_file} is missing: restore it from this "
                    "kiosk's backup, or open the kiosk again to start a new key"
                ) from None
            journal_keys.save(self.key_file, self._keys)  # removed while open: put it back
            st = self.key_file.stat()
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if self._keys is None or seen != self._seen:
            self._keys, self._seen = journal_keys.load(self.key_file), seen
        return self._keys

    def listen(self, *factories: sessionmaker) -> None:
        """Seal the journal entries flushed by sessions of these factories (the store's
        own), leaving every other session in the process alone."""
        for factory in factories:
            if not event.contains(factory, "before_flush", self._before_flush):
                event.listen(factory, "before_flush", self._before_flush)

    def _end(self, session: Session, keys: JournalKeys) -> tuple[int, str]:
        """The id the next entry follows and the hash it chains from: the sealed head's.
        Without a sound head on a store holding sealed entries the chain starts afresh,
        which every check then reports as a break at that entry."""
        last_id, last_hash = _last(session)
        head = session.get(JournalHeadRow, 1)
        if head is not None:
            end = max(last_id, head.journal_id)  # an id is never used twice
            return end, head.hash if _head_epoch(keys, head) else GENESIS
        if last_hash is None:
            return 0, GENESIS
        return last_id, last_hash if last_id < keys.sealed_from else GENESIS

    def _before_flush(self, session: Session, _context: object, _instances: object) -> None:
        fresh = [o for o in session.new if isinstance(o, JournalRow)]
        if not fresh:
            return
        keys = self.keys
        end, prev = self._end(session, keys)
        for row in fresh:
            end += 1
            epoch = keys.epoch_of(end) or keys.current
            row.id, row.prev_hash = end, prev
            row.hash = prev = entry_hash(prev, row)
            row.mac = seal(epoch.key, end, prev)
        self._set_head(session, keys.current, end, prev)

    @staticmethod
    def _set_head(session: Session, epoch: Epoch, entry_id: int, digest: str) -> None:
        mac = head_seal(epoch.key, entry_id, digest, epoch.first_id)
        head = session.get(JournalHeadRow, 1)
        if head is None:
            session.add(JournalHeadRow(id=1, journal_id=entry_id, hash=digest, mac=mac))
        else:
            head.journal_id, head.hash, head.mac = entry_id, digest, mac

    def adopt(self, session: Session, key: bytes, source: str) -> bool:
        """Seal every entry after the journal's end with `key` (a hub's, at enrolment);
        False when it is the current key already. Run in the store's writer session: the
        key file is written first, then the head is sealed anew and commits with it."""
        keys = self.keys
        if keys.current.key == key:
            return False
        end, prev = self._end(session, keys)
        epoch = Epoch(end + 1, key, source)
        journal_keys.save(self.key_file, keys.then(epoch))
        head = session.get(JournalHeadRow, 1)
        if head is None or _head_epoch(keys, head) is not None:
            self._set_head(session, epoch, end, prev)  # a forged head stays as found
        return True

    def head(self, session: Session) -> Head:
        """The head to report to the hub (unsealed when the record is gone or forged)."""
        row = session.get(JournalHeadRow, 1)
        return self._head(row, _last(session) if row is None else (0, None))

    def head_on(self, db: sqlite3.Connection) -> Head:
        """`head`, read on a SQLite connection itself (in the caller's transaction): a
        sync round with nothing to deliver reads only this, and an ORM session cost
        about as much as the rest of such a round's reading."""
        row = db.execute(_HEAD_ROW).fetchone()
        last = (0, None) if row else db.execute(_LAST_ROW).fetchone() or (0, None)
        return self._head(_HeadValues(*row) if row else None, last)

    def _head(self, row: JournalHeadRow | _HeadValues | None, last: tuple) -> Head:
        """The head from the head record `row`, or from the `last` entry's (id, hash)
        when there is no record."""
        keys = self.keys
        if row is None:
            last_id, last_hash = last
            return Head(last_id, last_hash or GENESIS, keys.current.first_id, "")
        epoch = _head_epoch(keys, row)
        first = epoch.first_id if epoch else keys.current.first_id
        return Head(row.journal_id, row.hash, first, row.mac)

    def verify(self, session: Session) -> tuple[int, ChainBreak | None]:
        """`verify_chain` with this journal's keys."""
        return verify_chain(session, self.keys)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose place in the chain does not hold, and why."""

    entry_id: int
    reason: str


def entries(session: Session) -> Iterator[JournalRow]:
    """The journal in order."""
    yield from session.scalars(select(JournalRow).order_by(JournalRow.id))


def _entry_problem(keys: JournalKeys, prev: str, row: JournalRow) -> str | None:
    epoch = keys.epoch_of(row.id)
    if row.prev_hash != prev:
        return NOT_FOLLOWING
    if row.hash != entry_hash(prev, row):
        return CHANGED
    if epoch is not None and not seal_holds(epoch.key, row.id, row.hash, row.mac):
        return BAD_SEAL
    return None


def _head_problem(
    session: Session, keys: JournalKeys, last_id: int, last_hash: str
) -> ChainBreak | None:
    row = session.get(JournalHeadRow, 1)
    if row is None:
        if last_id >= keys.sealed_from:
            return ChainBreak(
                last_id + 1,
                "the journal's head record is missing: entries after it may have been removed",
            )
        return None
    if _head_epoch(keys, row) is None:
        return ChainBreak(row.journal_id, "the journal's head is not sealed with its key")
    if row.journal_id > last_id:
        return ChainBreak(
            last_id + 1,
            f"the journal ends at entry {last_id} but its head names entry "
            f"{row.journal_id}: the last entries were removed",
        )
    if row.journal_id < last_id:
        return ChainBreak(row.journal_id + 1, "written after the journal's head, not by the kiosk")
    if row.hash != last_hash:
        return ChainBreak(last_id, "the last entry is not the one the journal's head names")
    return None


def verify_chain(session: Session, keys: JournalKeys) -> tuple[int, ChainBreak | None]:
    """Check the whole journal, its seals and its head; return how many entries held and
    the first break."""
    prev, last_id, count = GENESIS, 0, 0
    lost = next((e for e in keys.epochs if e.replaced_lost), None)
    for row in entries(session):
        if lost is not None and row.id >= lost.first_id:
            break
        if why := _entry_problem(keys, prev, row):
            return count, ChainBreak(row.id, why)
        prev, last_id, count = row.hash, row.id, count + 1
    if lost is not None:
        return count, ChainBreak(lost.first_id, LOST_KEY)
    return count, _head_problem(session, keys, last_id, prev)


def export_lines(session: Session) -> Iterator[str]:
    """The journal as JSON lines, hashes and seals included, for the office to verify."""
    for row in entries(session):
        doc = json.loads(canonical(row))
        doc.update(id=row.id, prev_hash=row.prev_hash, hash=row.hash, mac=row.mac)
        yield json.dumps(doc, ensure_ascii=False, sort_keys=True)
