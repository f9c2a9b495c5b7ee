"""The composition root: builds the store, the keyring, the counter desk and the badge
renderer for a data directory, and hands them to the CLI or the screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from sqlalchemy import select

from kiosk.codes import Signer
from kiosk.counter import CounterDesk, load_keyring
from kiosk.model import BRUSSELS, BadgeStatus, Counter, IdReading
from kiosk.purge import purge_if_due
from kiosk.roles import Actor
from kiosk.staff import StaffBook
from kiosk.store.database import DB_NAME, Store
from kiosk.store.schema import KeyRow, SyncStateRow

if TYPE_CHECKING:
    from printing.badge_printing import BadgePrinting


def resolve_data_dir(given: str | Path | None) -> Path:
    """`--data-dir`, else $KIOSK_DATA_DIR, else the platform's user data directory."""
    if given:
        return Path(given).expanduser().resolve()
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(user_data_dir("pass-office-kiosk", appauthor=False))


def has_store(data_dir: Path) -> bool:
    """Whether the data directory holds a kiosk store already."""
    return (data_dir / DB_NAME).exists()


def brussels_now() -> datetime:
    """The wall clock, in Brussels."""
    return datetime.now(BRUSSELS)


def read_mrz(text: str) -> IdReading:
    """Parse MRZ text as a scanner or a shell gives it (lines split by any white space)."""
    from scanning.mrz import parse

    return parse("\n".join(text.split())).to_id_reading()


@dataclass
class Kiosk:
    """Everything one running kiosk is made of."""

    data_dir: Path
    store: Store
    desk: CounterDesk
    staff: StaffBook

    @property
    def badges_dir(self) -> Path:
        """Where badge PDFs are written."""
        return self.data_dir / "badges"

    @cached_property
    def printing(self) -> BadgePrinting:
        """The kiosk's badge printing, built on first use so that commands which print
        nothing never load the PDF libraries."""
        from printing.badge_printing import for_kiosk

        return for_kiosk(self.desk, self.data_dir)

    def render_badge(self, serial: str, actor: Actor) -> Path:
        """Print badge `serial` (just issued) on this counter's printer, the folder printer
        unless one was chosen, and return its PDF; BadgeNotPrinted if printing failed (the
        badge then waits in `print failed` for a retry). A pre-printed card just handed
        over (active) is not printed again: its PDF is only written for the record."""
        from printing.badge_printing import BadgeNotPrinted

        if self.desk.badge(serial).status is BadgeStatus.ACTIVE:
            return self.printing.render(serial)[0]
        outcome = self.printing.print_badge(serial, actor=actor)
        if not outcome.ok:
            raise BadgeNotPrinted(outcome)
        assert outcome.pdf is not None
        return outcome.pdf

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def open_kiosk(
    data_dir: Path,
    counter: Counter,
    kiosk_id: str | None = None,
    clock: Callable[[], datetime] = brussels_now,
    purge_due: bool = True,
) -> Kiosk:
    """Open the store in `data_dir` and build a kiosk at `counter`. Personal data past its
    retention is purged first (kiosk/purge.py), at most once a day, unless `purge_due`
    is False (`kiosk purge` itself)."""
    store = Store.in_dir(data_dir)
    kiosk_id = kiosk_id or default_kiosk_id(store, counter)
    signer = badge_signer(data_dir, store, kiosk_id)
    desk = CounterDesk(store, load_keyring(store), kiosk_id, counter, clock, signer)
    if purge_due:
        purge_if_due(store, clock(), kiosk_id, data_dir / "badges")
    return Kiosk(data_dir, store, desk, StaffBook(store, clock, kiosk_id))


def default_kiosk_id(store: Store, counter: Counter) -> str:
    """The id this kiosk's journal is written under: the enrolled one, else $KIOSK_ID,
    else the counter's first (G1, V1)."""
    return enrolled_kiosk_id(store) or os.environ.get("KIOSK_ID") or f"{counter.value[0].upper()}1"


def enrolled_kiosk_id(store: Store) -> str | None:
    """The id the hub enrolled this kiosk under, if it was enrolled (the hub refuses a
    journal written under any other id)."""
    with store.reading() as s:
        row = s.get(SyncStateRow, 1)
        return row.kiosk_id if row else None


# Badge keys are one per kiosk, so that a stolen kiosk's key can be withdrawn alone.
# Their one-byte ids must be unique on a site: the demo's counters use these, another
# kiosk takes $KIOSK_BADGE_KEY_ID (the site's administrator hands them out).
DEMO_BADGE_KEY_IDS = {"G1": 65, "V1": 66}


def badge_signer(data_dir: Path, store: Store, kiosk_id: str) -> Signer:
    """This kiosk's badge-signing key (created on first start, in DATA_DIR/keys with
    owner-only permissions), its public half trusted in the store."""
    path = data_dir / "keys" / f"badge-{kiosk_id}.key"
    if path.exists():
        saved = path.read_bytes()
        signer = Signer.from_private_bytes(saved[0], saved[1:])
    else:
        signer = Signer.generate(_badge_key_id(store, kiosk_id))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_bytes(bytes([signer.key_id]) + signer.private_bytes())
    trust_badge_key(store, signer)
    return signer


def _badge_key_id(store: Store, kiosk_id: str) -> int:
    """$KIOSK_BADGE_KEY_ID, the demo counters' ids, else the lowest id from 100 up that
    this store does not use yet (the site's administrator should set ids explicitly)."""
    given = os.environ.get("KIOSK_BADGE_KEY_ID")
    if given:
        if not given.isdigit() or not 1 <= int(given) <= 255:
            raise SystemExit("kiosk: KIOSK_BADGE_KEY_ID must be a number from 1 to 255")
        return int(given)
    if kiosk_id in DEMO_BADGE_KEY_IDS:
        return DEMO_BADGE_KEY_IDS[kiosk_id]
    with store.reading() as s:
        used = set(s.scalars(select(KeyRow.key_id)))
    return next(i for i in range(100, 256) if i not in used)


def trust_badge_key(store: Store, signer: Signer) -> None:
    """Put a badge key's public half in the store's keyring (once)."""
    with store.writing() as s:
        row = s.get(KeyRow, signer.key_id)
        if row is None:
            s.add(KeyRow(key_id=signer.key_id, public_key=signer.public_bytes(), purpose="badge"))
        elif row.public_key != signer.public_bytes():
            raise SystemExit(
                f"kiosk: key id {signer.key_id} is already used by another key; "
                "give this kiosk another KIOSK_BADGE_KEY_ID"
            )
