"""The composition root: builds the store, the keyring, the counter desk and the badge
renderer for a data directory, and hands them to the CLI or the screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir

from kiosk.counter import CounterDesk, load_keyring
from kiosk.model import BRUSSELS, Counter, IdReading
from kiosk.store.database import DB_NAME, Store


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

    @property
    def badges_dir(self) -> Path:
        """Where badge PDFs are written."""
        return self.data_dir / "badges"

    def render_badge(self, serial: str) -> Path:
        """Write badge `serial`'s PDF and return its path."""
        from printing.badge_pdf import render_badge

        self.badges_dir.mkdir(parents=True, exist_ok=True)
        return render_badge(self.desk.card(serial), self.badges_dir / f"{serial}.pdf")

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def open_kiosk(
    data_dir: Path,
    counter: Counter,
    kiosk_id: str | None = None,
    clock: Callable[[], datetime] = brussels_now,
) -> Kiosk:
    """Open the store in `data_dir` and build a kiosk at `counter`."""
    store = Store.in_dir(data_dir)
    kiosk_id = kiosk_id or os.environ.get("KIOSK_ID") or f"{counter.value[0].upper()}1"
    desk = CounterDesk(store, load_keyring(store), kiosk_id, counter, clock)
    return Kiosk(data_dir, store, desk)
