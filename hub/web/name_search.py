"""Names at the hub found as a counter finds them (kiosk/search.py): case- and
accent-insensitive, in part, words in any order, and in their machine-readable-zone
renderings, so "lopez" or "LOPEZ" finds López, "inigo lopez" Iñigo López and "mueller"
Müller. The index of folded names is kept between searches and built again when the
people at the hub change (their number, highest id or latest change number)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.schema import PersonRow
from kiosk.search import MIN_NAME_QUERY, NameIndex, fold


class HubNames(NameIndex):
    """The folded names of every person at the hub."""

    def __init__(self, db: HubDatabase) -> None:
        super().__init__(db)  # only its reading() is used

    def _fingerprint(self, s: Session) -> tuple[int, int, int]:
        count, high, seq = s.execute(
            select(func.count(), func.max(PersonRow.id), func.max(PersonRow.seq))
        ).one()
        return count or 0, high or 0, seq or 0

    def _people(self, s: Session) -> Iterable[tuple[int, str, str]]:
        return s.execute(select(PersonRow.id, PersonRow.surname, PersonRow.given_names))

    def matching(self, text: str) -> list[int]:
        """Ids of the persons whose name holds every word of `text`, best first."""
        tokens = fold(text).split()
        if sum(len(t) for t in tokens) < MIN_NAME_QUERY:
            return []
        return self.persons(tokens)
