"""One running kiosk's services, as the composition root (app/wiring.py) hands them to
the screens and the command line: the store, the counter desk, the staff book and the
badge printing. The core names what it is handed, never the adapter behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Protocol

from kiosk.badge_life import BadgeLife
from kiosk.codes import Signer
from kiosk.counter import CounterDesk
from kiosk.handoff import HandoffDesk
from kiosk.hours import HoursBook
from kiosk.model import BRUSSELS
from kiosk.pool import PoolDesk
from kiosk.post_journal import PostJournal
from kiosk.roles import Actor
from kiosk.settings_journal import SettingsJournal
from kiosk.staff import StaffBook
from kiosk.store.database import DB_NAME, Store
from kiosk.store.schema import KeyRow, SyncStateRow
from kiosk.verify import DATA_LIMIT, SecurityPost


class KeyConflict(Exception):
    """A badge key id is already taken by another key in this store."""


class BadgeOutput(Protocol):
    """What the kiosk prints badges with (printing.badge_printing.BadgePrinting)."""

    def print_issued(self, serial: str, actor: Actor) -> Path:
        """Print badge `serial`, just issued or handed over, and return its PDF."""
        ...


def has_store(data_dir: Path) -> bool:
    """Whether the data directory holds a kiosk store already (a file of no bytes, a store
    never begun, is none: opening it would make a new store there)."""
    path = data_dir / DB_NAME
    return path.is_file() and path.stat().st_size > 0


def brussels_now() -> datetime:
    """The wall clock, in Brussels."""
    return datetime.now(BRUSSELS)


@dataclass
class Kiosk:
    """Everything one running kiosk is made of. The badge printing is built on first use
    (`make_printing`), so that commands which print nothing never load the PDF
    libraries."""

    data_dir: Path
    store: Store
    desk: CounterDesk
    staff: StaffBook
    make_printing: Callable[[], BadgeOutput]

    @property
    def badges_dir(self) -> Path:
        """Where badge PDFs are written."""
        return self.data_dir / "badges"

    @cached_property
    def printing(self):  # -> BadgeOutput, the adapter's own type for the screens
        """The kiosk's badge printing."""
        return self.make_printing()

    @cached_property
    def hours(self) -> HoursBook:
        """The counters' opening hours and closures in this kiosk's store."""
        return HoursBook(self.store, lambda: self.desk.clock(), self.desk.kiosk_id)

    @cached_property
    def pool(self) -> PoolDesk:
        """This kiosk's pool desk: who is entitled per pooled moment, cards out and back."""
        return PoolDesk(
            self.store, lambda: self.desk.clock(), self.desk.kiosk_id, self.desk.counter
        )

    @cached_property
    def life(self) -> BadgeLife:
        """Badges reported lost, stolen, damaged, found or returned at this kiosk."""
        desk = self.desk
        return BadgeLife(self.store, desk.kiosk_id, desk.counter, lambda: desk.clock())

    @cached_property
    def handoffs(self) -> HandoffDesk:
        """Hand-offs to the accreditation office from this kiosk's counter."""
        desk = self.desk
        return HandoffDesk(self.store, desk.kiosk_id, desk.counter, lambda: desk.clock())

    @cached_property
    def settings_journal(self) -> SettingsJournal:
        """Where this kiosk's setting changes are journalled."""
        return SettingsJournal(self.store, self.desk.kiosk_id, lambda: self.desk.clock())

    def security_post(
        self, event_id: str | None = None, data_limit: timedelta = DATA_LIMIT
    ) -> SecurityPost:
        """A security post on this kiosk's store and clock, admitting to `event_id` (None:
        the headquarters), warning once its data is older than `data_limit`."""
        return SecurityPost(self.store, self.desk.clock, event_id, data_limit)

    def post_journal(self, event_id: str | None = None) -> PostJournal:
        """The journal of this kiosk's security post admitting to `event_id`: each badge
        a guard checks there."""
        return PostJournal(self.store, self.desk.kiosk_id, lambda: self.desk.clock(), event_id)

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def enrolled_kiosk_id(store: Store) -> str | None:
    """The id the hub enrolled this kiosk under, if it was enrolled (the hub refuses a
    journal written under any other id)."""
    with store.reading() as s:
        row = s.get(SyncStateRow, 1)
        return row.kiosk_id if row else None


def check_badge_key_id(store: Store, key_id: int) -> None:
    """KeyConflict if the store knows `key_id` already: a key still to make cannot take it."""
    with store.reading() as s:
        taken = s.get(KeyRow, key_id) is not None
    if taken:
        raise KeyConflict(_taken(key_id))


def trust_badge_key(store: Store, signer: Signer, owner: str) -> None:
    """Put a badge key's public half in the store's keyring (once), as kiosk `owner`'s;
    KeyConflict if its id is already another key's. A key trusted already is only read."""
    with store.reading() as s:
        row = s.get(KeyRow, signer.key_id)
        if row is not None and row.public_key == signer.public_bytes() and row.owner:
            return
    with store.writing() as s:
        row = s.get(KeyRow, signer.key_id)
        if row is None:
            s.add(
                KeyRow(
                    key_id=signer.key_id,
                    public_key=signer.public_bytes(),
                    purpose="badge",
                    owner=owner,
                )
            )
        elif row.public_key != signer.public_bytes():
            raise KeyConflict(_taken(signer.key_id))
        elif row.owner is None:  # held before keys had owners (migration 0011)
            row.owner = owner


def _taken(key_id: int) -> str:
    """Why a badge key cannot take `key_id`, and what to do."""
    return (
        f"key id {key_id} is already used by another key; "
        "give this kiosk another KIOSK_BADGE_KEY_ID"
    )
