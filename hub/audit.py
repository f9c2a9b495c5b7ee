"""Every kiosk's journal as the hub holds it: the chain, the seals, the heads.

A kiosk seals its journal with a key the hub issued at enrolment (kiosk/audit.py,
`JournalKeyRow`), and reports its sealed head with every delivery. The hub checks each
row as it arrives (hub/receive.py): it must follow the one before, and from the entry
the kiosk's head says it started using the hub's key, carry that key's seal. The head
the hub saw last must stay a prefix of the next one: a head that goes back, or names an
entry with another content, or names entries the delivery does not bring, means the
kiosk's journal was cut short or rewritten. Each is a conflict the office sees;
`verify` walks the chains held and names the first entry of each that does not hold
(`kiosk-hub audit verify`). Rows received before sealing keep their plain chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.delivery_checks import MAX_INT
from hub.schema import JournalHeadRow, JournalKeyRow, JournalRow
from kiosk import audit, journal_keys

BATCH = 2000
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class KioskChain:
    """One kiosk's chain at the hub: entries that hold, and the first that does not."""

    kiosk_id: str
    entries: int
    broken_at: int | None = None  # the kiosk's journal id
    reason: str = ""
    sealed_from: int | None = None  # first entry sealed with the hub's key; None: unsealed


@dataclass(frozen=True)
class JournalProblem:
    """A sign that a kiosk's journal was cut short or rewritten, for a conflict."""

    kind: str
    journal_id: int
    en: str
    fr: str


# --- Keys ------------------------------------------------------------------------------


def issue_key(s: Session, kiosk_id: str, now: datetime) -> bytes:
    """A new journal key for `kiosk_id` (at enrolment, and again at each renewal)."""
    last = s.scalar(
        select(func.max(JournalKeyRow.number)).where(JournalKeyRow.kiosk_id == kiosk_id)
    )
    key = journal_keys.new_key()
    s.add(JournalKeyRow(kiosk_id=kiosk_id, number=(last or 0) + 1, key=key, created_at=now))
    return key


def latest_key(s: Session, kiosk_id: str) -> bytes | None:
    """The key the kiosk's enrolment file carries (the newest issued), or None."""
    return s.scalar(
        select(JournalKeyRow.key)
        .where(JournalKeyRow.kiosk_id == kiosk_id)
        .order_by(JournalKeyRow.number.desc())
        .limit(1)
    )


def parse_head(wire: object) -> audit.Head:
    """A delivery's head; ValueError says what is wrong with it."""
    if not isinstance(wire, dict):
        raise ValueError("the journal head is not an object")
    entry, first = wire.get("id"), wire.get("sealed_from")
    digest, mac = wire.get("hash"), wire.get("mac")
    if not isinstance(entry, int) or isinstance(entry, bool) or not 0 <= entry <= MAX_INT:
        raise ValueError("the journal head's id is not a whole number of a journal id's size")
    if not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= MAX_INT:
        raise ValueError(
            "the journal head's sealed_from is not a positive whole number of a journal id's size"
        )
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise ValueError("the journal head's hash is not 64 hex digits")
    if not isinstance(mac, str) or not (mac == "" or _HEX64.fullmatch(mac)):
        raise ValueError("the journal head's mac is not 64 hex digits")
    return audit.Head(entry, digest, first, mac)


class Seals:
    """A kiosk's journal keys at the hub, checking one delivery's head and rows."""

    def __init__(self, s: Session, kiosk_id: str) -> None:
        self.kiosk_id = kiosk_id
        self.keys = list(
            s.scalars(
                select(JournalKeyRow)
                .where(JournalKeyRow.kiosk_id == kiosk_id)
                .order_by(JournalKeyRow.number)
            )
        )
        self._reported = False
        self.head_problem: JournalProblem | None = None
        self.changed = False  # take_head noted a key's first entry: there is a write

    def take_head(self, head: audit.Head) -> None:
        """Check the head's seal (before the rows: the first head sealed with a key says
        from which entry the kiosk seals with it). A kiosk never given a key (enrolled
        before journals were sealed) is not checked."""
        if not self.keys:
            return
        for key in reversed(self.keys):
            if not head.sealed_by(key.key):
                continue
            before = [k.first_id for k in self.keys if k.number < key.number and k.first_id]
            if key.first_id is None and head.sealed_from > max(before, default=0):
                key.first_id, self.changed = head.sealed_from, True
            if key.first_id == head.sealed_from:
                return
            break
        self.head_problem = _head_invalid(self.kiosk_id, head)

    def _key_of(self, entry_id: int) -> JournalKeyRow | None:
        found = None
        for key in self.keys:
            if key.first_id is not None and key.first_id <= entry_id:
                found = key
        return found

    def problem(self, row) -> str | None:
        """Why a row's seal does not hold (once a delivery: one conflict says it)."""
        key = self._key_of(_get(row, "id"))
        if key is None or self._reported:
            return None
        if audit.seal_holds(key.key, _get(row, "id"), _get(row, "hash"), _get(row, "mac")):
            return None
        self._reported = True
        return audit.BAD_SEAL

    def missing_head(self) -> list[JournalProblem]:
        """A delivery without a head from a kiosk that has sealed with a key of this hub
        (its software sends one every time): whoever sent it avoids the head's checks."""
        if self.sealed_from is None:
            return []
        return [
            JournalProblem(
                "journal_head_invalid",
                0,
                f"A delivery as {self.kiosk_id} came without its journal head: it was not "
                "sent by the kiosk's own software: inspect the kiosk and its token.",
                f"Une livraison au nom de {self.kiosk_id} est arrivée sans tête de journal : "
                "elle n'a pas été envoyée par le logiciel du guichet : inspecter le guichet "
                "et son jeton.",
            )
        ]

    @property
    def sealed_from(self) -> int | None:
        """The first entry sealed with a key of this hub, if the kiosk said so yet."""
        firsts = [k.first_id for k in self.keys if k.first_id]
        return min(firsts) if firsts else None


def _get(row, name: str):
    if isinstance(row, dict):
        return row["journal_id" if name == "id" and "journal_id" in row else name]
    return getattr(row, "journal_id" if name == "id" else name)


# --- Heads -----------------------------------------------------------------------------


def _head_invalid(kiosk: str, head: audit.Head) -> JournalProblem:
    return JournalProblem(
        "journal_head_invalid",
        head.id,
        f"The journal head {kiosk} reported (entry {head.id}) is not sealed with the key "
        "the hub gave it: its head record was removed or forged, and entries may have been "
        "removed or rewritten: inspect the kiosk.",
        f"La tête de journal envoyée par {kiosk} (entrée {head.id}) n'est pas scellée avec "
        "la clé remise par le hub : son enregistrement a été supprimé ou falsifié, des "
        "entrées ont pu être supprimées ou réécrites : inspecter le guichet.",
    )


def _truncated(kiosk: str, ends: int, named: int, why_en: str, why_fr: str) -> JournalProblem:
    return JournalProblem(
        "journal_truncated",
        ends + 1,
        f"The journal of {kiosk} now ends at entry {ends}, but {why_en} entry {named}: "
        f"entries {ends + 1} to {named} were removed (or the store was restored from a "
        "copy): inspect the kiosk.",
        f"Le journal de {kiosk} s'arrête maintenant à l'entrée {ends}, mais {why_fr} "
        f"l'entrée {named} : les entrées {ends + 1} à {named} ont été supprimées (ou le "
        "stockage restauré d'une copie) : inspecter le guichet.",
    )


def _rewritten(kiosk: str, entry: int) -> JournalProblem:
    return JournalProblem(
        "journal_rewritten",
        entry,
        f"Entry {entry} of {kiosk}'s journal is not the one the kiosk reported before: its "
        "journal was rewritten from there: inspect the kiosk.",
        f"L'entrée {entry} du journal de {kiosk} n'est plus celle que le guichet a "
        "annoncée : son journal a été réécrit à partir de là : inspecter le guichet.",
    )


def _held_hash(s: Session, kiosk: str, entry: int) -> str | None:
    if entry == 0:
        return audit.GENESIS
    return s.scalar(
        select(JournalRow.hash).where(JournalRow.kiosk_id == kiosk, JournalRow.journal_id == entry)
    )


def head_problems(
    s: Session, seals: Seals, head: audit.Head, complete: bool, up_to: int, now: datetime
) -> list[JournalProblem]:
    """Check a delivered head (its seal checked by `seals.take_head`) against the one seen
    last and the rows held, after the delivery's rows are stored (`up_to`: the last held;
    `complete`: the delivery brought every row the kiosk has). The head becomes the one
    seen last."""
    seen = s.get(JournalHeadRow, seals.kiosk_id)
    found = _problems(s, seals, head, complete, up_to, seen)
    _remember(s, seen, seals.kiosk_id, head, now, found)
    return found


def head_unchanged(s: Session, seals: Seals, head: audit.Head, complete: bool, up_to: int) -> bool:
    """Whether `head` is the one seen last and shows no problem (checked as `head_problems`
    checks it): taking it again would change nothing, so the hub need not write."""
    seen = s.get(JournalHeadRow, seals.kiosk_id)
    if seen is None or (seen.journal_id, seen.hash) != (head.id, head.hash) or seals.changed:
        return False
    return not _problems(s, seals, head, complete, up_to, seen)


def _problems(
    s: Session,
    seals: Seals,
    head: audit.Head,
    complete: bool,
    up_to: int,
    seen: JournalHeadRow | None,
) -> list[JournalProblem]:
    kiosk = seals.kiosk_id
    found = [seals.head_problem] if seals.head_problem else []
    if seen is not None:
        if head.id < seen.journal_id:
            found.append(
                _truncated(kiosk, head.id, seen.journal_id, "it reported before", "il annonçait")
            )
        elif (held := _held_hash(s, kiosk, seen.journal_id)) is not None and held != seen.hash:
            found.append(_rewritten(kiosk, seen.journal_id))
        elif head.id == seen.journal_id and head.hash != seen.hash:
            found.append(_rewritten(kiosk, head.id))
    if complete and up_to < head.id:
        found.append(_truncated(kiosk, up_to, head.id, "its head names", "sa tête nomme"))
    elif (held := _held_hash(s, kiosk, head.id)) is not None and held != head.hash:
        found.append(_rewritten(kiosk, head.id))
    return list({(p.kind, p.journal_id): p for p in found}.values())  # each said once


def _remember(
    s: Session,
    seen: JournalHeadRow | None,
    kiosk: str,
    head: audit.Head,
    now: datetime,
    found: list[JournalProblem],
) -> None:
    """Keep the head as the one seen last, and the first problem for `verify`."""
    if seen is None:
        seen = JournalHeadRow(kiosk_id=kiosk, problem="")
        s.add(seen)
    seen.journal_id, seen.hash, seen.seen_at = head.id, head.hash, now
    if found and not seen.problem:
        seen.problem, seen.problem_at = found[0].en, found[0].journal_id


# --- Verification ----------------------------------------------------------------------


def _rows(s: Session, kiosk_id: str) -> Iterator[JournalRow]:
    after = 0
    while True:
        batch = s.scalars(
            select(JournalRow)
            .where(JournalRow.kiosk_id == kiosk_id, JournalRow.journal_id > after)
            .order_by(JournalRow.journal_id)
            .limit(BATCH)
        ).all()
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1].journal_id


def verify_kiosk(s: Session, kiosk_id: str) -> KioskChain:
    """Check one kiosk's chain and seals from its start, then what its heads showed."""
    seals = Seals(s, kiosk_id)
    prev, count, last = audit.GENESIS, 0, 0
    try:
        for row in _rows(s, kiosk_id):
            if row.prev_hash != prev:
                why = audit.NOT_FOLLOWING
            elif row.hash != audit.entry_hash(prev, row):
                why = audit.CHANGED
            else:
                why = seals.problem(row)
            if why:
                return KioskChain(kiosk_id, count, row.journal_id, why, seals.sealed_from)
            prev, count, last = row.hash, count + 1, row.journal_id
    except ValueError as err:  # a moment or details edited into something unreadable
        why = f"an entry that cannot be read ({err})"
        return KioskChain(kiosk_id, count, _unreadable(s, kiosk_id, last), why, seals.sealed_from)
    head = s.get(JournalHeadRow, kiosk_id)
    if head is not None and head.problem:
        return KioskChain(kiosk_id, count, head.problem_at, head.problem, seals.sealed_from)
    if head is not None and head.journal_id > last:  # a tail cut off leaves no gap to see
        why = (
            f"its last head names entry {head.journal_id}, and the hub holds none after "
            f"{last} (not delivered yet, or removed)"
        )
        return KioskChain(kiosk_id, count, last + 1, why, seals.sealed_from)
    return KioskChain(kiosk_id, count, sealed_from=seals.sealed_from)


def _unreadable(s: Session, kiosk_id: str, after: int) -> int:
    """The first journal id of `kiosk_id` after `after` whose row cannot be read."""
    ids = select(JournalRow.journal_id).where(
        JournalRow.kiosk_id == kiosk_id, JournalRow.journal_id > after
    )
    for journal_id in s.scalars(ids.order_by(JournalRow.journal_id)).all():
        one = select(JournalRow).where(
            JournalRow.kiosk_id == kiosk_id, JournalRow.journal_id == journal_id
        )
        try:
            s.execute(one).scalar_one()
        except ValueError:
            return journal_id
    return after + 1


def verify(db: HubDatabase, kiosk_id: str | None = None) -> list[KioskChain]:
    """The chains of every kiosk the hub holds a journal of (or of `kiosk_id` only: none
    when the hub holds nothing of it)."""
    with db.reading() as s:  # a kiosk whose head the hub keeps, even with no row left
        held = set(s.scalars(select(JournalRow.kiosk_id).distinct()))
        held |= set(s.scalars(select(JournalHeadRow.kiosk_id)))
        chosen = sorted(k for k in held if kiosk_id in (None, "", k))
        return [verify_kiosk(s, k) for k in chosen]
