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

from kiosk.counter import CounterDesk, load_keyring
from kiosk.model import BRUSSELS, BadgeStatus, Counter, IdReading
from kiosk.store.database import DB_NAME, Store

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

    def render_badge(self, serial: str) -> Path:
        """Print badge `serial` (just issued) on this counter's printer, the folder printer
        unless one was chosen, and return its PDF; BadgeNotPrinted if printing failed (the
        badge then waits in `print failed` for a retry). A pre-printed card just handed
        over (active) is not printed again: its PDF is only written for the record."""
        from printing.badge_printing import BadgeNotPrinted

        if self.desk.badge(serial).status is BadgeStatus.ACTIVE:
            return self.printing.render(serial)[0]
        outcome = self.printing.print_badge(serial)
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
) -> Kiosk:
    """Open the store in `data_dir` and build a kiosk at `counter`."""
    store = Store.in_dir(data_dir)
    kiosk_id = kiosk_id or os.environ.get("KIOSK_ID") or f"{counter.value[0].upper()}1"
    desk = CounterDesk(store, load_keyring(store), kiosk_id, counter, clock)
    return Kiosk(data_dir, store, desk)
