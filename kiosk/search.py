"""Finding an accreditation when the applicant has no printout: by name, registration
number, e-mail or ID document number.

Names are matched accent- and case-insensitively, in part, surname and given names in
any order: every word the clerk types must occur in the person's name ("mul jur" finds
Jürgen Müller). A name is also matched in its machine-readable-zone renderings
(`kiosk.names`), so "mueller" finds Müller, "sorensen" finds Sørensen and "papadopoulos"
finds Παπαδόπουλος.

Bounded cost: a word's renderings double with each letter that has two (Ü: UE or U), so
the key lists them only for words with at most ENUMERATED_RENDERINGS; a longer word
("Ü" forty times) is matched by `kiosk.names.rendering_fit`, in time linear in the word,
for the few people who have one. Either way the answer is the same.

Speed: folding 100,000 names takes a third of a second, far too slow for every
keystroke, so each store gets a name index in memory (a folded key per person), built
on first use and built again when the people on file change (their number, the highest
id, or the sync cursor moved). The persons found are read again from the store and
checked against the words, so a stale index can miss a person renamed since (until the
next sync), never show a wrong one. Measured by bench/search.py.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.documents import document_digest, normalise, read_key
from kiosk.model import Flow, Status
from kiosk.names import Fit, many_variants, name_variants, rendering_fit
from kiosk.store.database import Store
from kiosk.store.schema import AccreditationRow, EventRow, PersonRow, SyncStateRow

MIN_NAME_QUERY = 2  # letters; one letter would match most of the file
ENUMERATED_RENDERINGS = 16  # per word in a name key; beyond, matched by automaton
_REGISTRATION = re.compile(r"a?0*(\d{1,9})")
# Letters Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                          "æ": "ae", "œ": "oe", "ħ": "h", "ŧ": "t", "ŋ": "n"})  # fmt: skip
_SEPARATORS = str.maketrans({c: " " for c in "-‐‑‒–—<,;./_()"} | {c: "" for c in "'’‘ʼ`´"})


class Match(StrEnum):
    """What the query matched."""

    REGISTRATION = "registration"
    EMAIL = "email"
    DOCUMENT = "document"
    NAME = "name"


@dataclass(frozen=True)
class Found:
    """One accreditation found, with what the clerk needs to pick the right one."""

    accreditation_id: int
    registration: str
    person_id: int
    surname: str
    given_names: str
    organisation: str
    birth_date: date
    flow: Flow
    status: Status
    event_id: str | None
    event_name: str | None
    year: int | None
    matched: Match
    event_name_fr: str | None = None  # the office's French name, when it gave one

    @property
    def name(self) -> str:
        """SURNAME, Given names."""
        return f"{self.surname.upper()}, {self.given_names}"


def fold(text: str) -> str:
    """`text` lower-case, without accents, separators as single spaces, no apostrophes."""
    text = text.casefold().translate(_SEPARATORS)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def _renderings(word: str) -> tuple[str, ...]:
    """The MRZ renderings of a non-ASCII word, lower-case ("müller": mueller, muller);
    none for a word with more than ENUMERATED_RENDERINGS (see `wide_words`)."""
    try:
        if many_variants(word, ENUMERATED_RENDERINGS):
            return ()
        return tuple(sorted(v.lower() for v in name_variants(word)))
    except ValueError:  # a script with no transliteration: the folded word must do
        return ()


@lru_cache(maxsize=4096)
def _is_wide(word: str) -> bool:
    try:
        return not word.isascii() and many_variants(word, ENUMERATED_RENDERINGS)
    except ValueError:
        return False


def name_key(surname: str, given_names: str) -> str:
    """The text a name query is matched in: the folded name and its MRZ renderings
    (those of its `wide_words` aside)."""
    words = f"{surname} {given_names}".split()
    folded = fold(" ".join(words))
    extra = {part for w in words if not w.isascii() for r in _renderings(w) for part in r.split()}
    extra -= set(folded.split())
    return " ".join([folded, *sorted(extra)])


def wide_words(surname: str, given_names: str) -> tuple[str, ...]:
    """The words of a name with too many renderings to list in its key."""
    return tuple(w for w in f"{surname} {given_names}".split() if _is_wide(w))


def token_fit(key: str, wide: tuple[str, ...], token: str) -> Fit:
    """How a typed word fits a name: its key's words, or a rendering of its wide words."""
    padded = f" {key} "
    if f" {token} " in padded:
        return Fit.WHOLE
    best = Fit.START if f" {token}" in padded else Fit.INSIDE if token in key else Fit.NONE
    for word in wide:
        if best is Fit.WHOLE:
            break
        best = max(best, rendering_fit(word, token))
    return best


def _score(tokens: list[str], key: str, wide: tuple[str, ...] = ()) -> int:
    """3 a word typed whole, 2 the start of a word, 1 inside a word; summed over words
    (each found already: the common case, no wide word, is kept to plain string tests)."""
    if wide:
        return sum(token_fit(key, wide, t) for t in tokens)
    padded = f" {key} "
    return sum(3 if f" {t} " in padded else 2 if f" {t}" in padded else 1 for t in tokens)


def _fits(wide: tuple[str, ...], token: str) -> bool:
    return any(rendering_fit(word, token) for word in wide)


def name_holds(surname: str, given_names: str, tokens: list[str]) -> bool:
    """Whether every typed word occurs in the name (or one of its MRZ renderings)."""
    key, wide = name_key(surname, given_names), wide_words(surname, given_names)
    return all(token_fit(key, wide, t) for t in tokens)


class NameIndex:
    """Folded name keys of every person in one store, in one text searched with `find`:
    a key per line, so a word typed is looked for once over all names, in C."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._mark: tuple[int, int, int] | None = None
        self._keys: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}  # name -> key, wide
        self._ids: list[int] = []  # person id of each line
        self._wide: dict[int, tuple[str, ...]] = {}  # line -> wide words, for the few that have
        self._starts: list[int] = []  # where each line starts in _text
        self._text = ""

    def _fingerprint(self, s: Session) -> tuple[int, int, int]:
        count = s.scalar(select(func.count()).select_from(PersonRow)) or 0
        high = s.scalar(select(func.max(PersonRow.id))) or 0
        cursor = s.scalar(select(SyncStateRow.cursor).where(SyncStateRow.id == 1)) or 0
        return count, high, cursor

    def _people(self, s: Session) -> Iterable[tuple[int, str, str]]:
        """(id, surname, given names) of every person on file (the hub's index reads its
        own table)."""
        return s.execute(select(PersonRow.id, PersonRow.surname, PersonRow.given_names))

    def refresh(self) -> None:
        """Build the index again if the people on file may have changed since it was
        built: their number or highest id differs, or sync brought changes. Keys of
        names seen before are reused, so only new names are folded again."""
        with self._lock, self.store.reading() as s:
            mark = self._fingerprint(s)
            if mark == self._mark:
                return
            rows = self._people(s)
            old, keys, ids, lines, wide = self._keys, {}, [], [], {}
            for pid, surname, given in rows:
                name = (surname, given)
                entry = keys.get(name) or old.get(name)
                if entry is None:
                    entry = (name_key(surname, given), wide_words(surname, given))
                keys[name] = entry
                if entry[1]:
                    wide[len(lines)] = entry[1]
                ids.append(pid)
                lines.append(entry[0])
            starts, at = [], 0
            for line in lines:
                starts.append(at)
                at += len(line) + 1
            self._keys, self._ids, self._starts, self._wide = keys, ids, starts, wide
            self._text, self._mark = "\n".join(lines) + "\n", mark

    def invalidate(self) -> None:
        """Build it again at the next search (a person found no longer matched)."""
        self._mark = None

    def persons(self, tokens: list[str]) -> list[int]:
        """Ids of the persons whose key holds every token, best match first."""
        self.refresh()
        text, starts, ids, wide = self._text, self._starts, self._ids, self._wide
        first, *others = sorted(tokens, key=len, reverse=True)  # the longest narrows most
        lines = {i for i, words in wide.items() if _fits(words, first)}
        at = text.find(first)
        while at != -1:
            line = bisect_right(starts, at) - 1
            lines.add(line)
            at = text.find(first, text.index("\n", at) + 1)
        found = [
            (ids[i], text[starts[i] : text.index("\n", starts[i])], wide.get(i, ()))
            for i in sorted(lines)
        ]
        for token in others:
            found = [item for item in found if token in item[1] or _fits(item[2], token)]
        found.sort(key=lambda item: (-_score(tokens, item[1], item[2]), item[1], item[0]))
        return [pid for pid, _key, _wide in found]


_indexes: weakref.WeakKeyDictionary[Store, NameIndex] = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def name_index(store: Store) -> NameIndex:
    """The name index of `store` (one per open store, kept while the store is)."""
    with _indexes_lock:
        index = _indexes.get(store)
        if index is None:
            index = _indexes[store] = NameIndex(store)
        return index


def search(
    store: Store, text: str, limit: int = 20, document_key: bytes | None = None
) -> list[Found]:
    """Accreditations matching `text`: exact registration, e-mail and document number
    matches first, then names, best first; at most `limit`. Document numbers are hashed
    with `document_key`, else with the key in the store's data directory (without one,
    nothing is found by document number). Purged accreditations are never found."""
    text = " ".join(text.split())
    key = document_key or read_key(store.path.parent)
    found: dict[int, Found] = {}
    with store.reading() as s:
        for match, ids in _exact(s, text, key):
            for f in _load(s, AccreditationRow.id.in_(ids), match):
                found.setdefault(f.accreditation_id, f)
    if not any(ch.isdigit() or ch == "@" for ch in text):
        for f in _by_name(store, text, limit):
            found.setdefault(f.accreditation_id, f)
    return list(found.values())[:limit]


def _exact(s: Session, text: str, key: bytes | None) -> Iterable[tuple[Match, list[int]]]:
    """(what matched, accreditation ids) for a registration number ("A0000123", "123"),
    an e-mail (or its start), an ID document number."""
    compact = text.replace(" ", "").lower()
    registration = _REGISTRATION.fullmatch(compact)
    if registration:
        acc_id = int(registration.group(1))
        if s.get(AccreditationRow, acc_id) is not None:
            yield Match.REGISTRATION, [acc_id]
    if "@" in compact or ("." in compact and " " not in text):
        yield Match.EMAIL, _by_email(s, text.replace(" ", ""))
    elif not compact.startswith("a") or not registration:  # "A0000123" is a registration
        number = normalise(text)
        if len(number) >= 5 and any(ch.isdigit() for ch in number):
            yield Match.DOCUMENT, _by_document(s, number, key)


def _by_email(s: Session, text: str) -> list[int]:
    """Accreditations of the people whose e-mail starts with `text` (as typed, or in
    lower case: the unique index on e-mails serves both)."""
    starts = [PersonRow.email.between(t, t + "\U0010ffff") for t in {text, text.lower()}]
    people = select(PersonRow.id).where(or_(*starts)).limit(50)
    return list(
        s.scalars(select(AccreditationRow.id).where(AccreditationRow.person_id.in_(people)))
    )


def _by_document(s: Session, number: str, key: bytes | None) -> list[int]:
    """Accreditations applied for with document `number`. The store keeps numbers only as
    keyed hashes (kiosk/documents.py): the query is hashed the same way and looked up in
    the digests' index, so only the exact number (case, spaces, '<' and '-' aside) finds."""
    if key is None:
        return []
    digest = document_digest(key, number)
    return list(
        s.scalars(select(AccreditationRow.id).where(AccreditationRow.doc_number_digest == digest))
    )


def _by_name(store: Store, text: str, limit: int) -> list[Found]:
    tokens = fold(text).split()
    if sum(len(t) for t in tokens) < MIN_NAME_QUERY:
        return []
    index = name_index(store)
    ranked = index.persons(tokens)[:limit]
    if not ranked:
        return []
    with store.reading() as s:
        found = _load(s, AccreditationRow.person_id.in_(ranked), Match.NAME)
    fresh = [f for f in found if name_holds(f.surname, f.given_names, tokens)]
    if len(fresh) < len(found):
        index.invalidate()  # someone was renamed or purged since the index was built
    rank = {pid: i for i, pid in enumerate(ranked)}
    return sorted(fresh, key=lambda f: (rank[f.person_id], -f.accreditation_id))


def _load(s: Session, where, match: Match) -> list[Found]:
    rows = s.execute(
        select(AccreditationRow, PersonRow, EventRow.name, EventRow.name_fr)
        .join(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .outerjoin(EventRow, EventRow.id == AccreditationRow.event_id)
        .where(where, AccreditationRow.purged_at.is_(None))
        .order_by(AccreditationRow.id)
    )
    return [
        Found(
            accreditation_id=acc.id,
            registration=f"A{acc.id:07d}",
            person_id=person.id,
            surname=person.surname,
            given_names=person.given_names,
            organisation=person.organisation,
            birth_date=person.date_of_birth,
            flow=Flow(acc.flow),
            status=Status(acc.status),
            event_id=acc.event_id,
            event_name=event_name,
            year=acc.year,
            matched=match,
            event_name_fr=event_name_fr,
        )
        for acc, person, event_name, event_name_fr in rows
    ]
