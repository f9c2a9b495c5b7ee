"""The composition root: builds the store, the keyring, the counter desk, the staff book
and the badge printing for a data directory, and hands them to the CLI or the screen.
It is the one place that reads environment variables."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import select

from kiosk.chip_check import ChipLink, ChipReading
from kiosk.codes import Signer
from kiosk.counter import CounterDesk, load_keyring
from kiosk.handoff import slips_dir
from kiosk.model import Counter, IdReading
from kiosk.private import write_private
from kiosk.purge import PersonalFiles, purge_if_due
from kiosk.services import (
    Kiosk,
    brussels_now,
    check_badge_key_id,
    enrolled_kiosk_id,
    has_store,
    trust_badge_key,
)
from kiosk.staff import StaffBook
from kiosk.store.database import Store
from kiosk.store.schema import KeyRow
from kiosk.typed import brussels_time
from kiosk.verify import DATA_LIMIT, SecurityPost


class SetupError(Exception):
    """The kiosk cannot be built as configured; the message says what to change."""


def resolve_data_dir(given: str | Path | None) -> Path:
    """`--data-dir`, else $KIOSK_DATA_DIR, else the platform's user data directory."""
    if given:
        return Path(given).expanduser().resolve()
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(user_data_dir("pass-office-kiosk", appauthor=False))


def read_mrz(text: str) -> IdReading:
    """Parse MRZ text as a scanner or a shell gives it (lines split by any white space),
    undoing a keyboard-layout mismatch as the screen and `kiosk mrz` do."""
    from scanning.keyboard_layout import normalise_mrz
    from scanning.mrz import parse

    lines, _mismatch = normalise_mrz(text.split())
    return parse("\n".join(lines)).to_id_reading()


def open_kiosk(
    data_dir: Path,
    counter: Counter,
    kiosk_id: str | None = None,
    clock: Callable[[], datetime] = brussels_now,
    purge_due: bool = True,
    purging: Callable[[], None] | None = None,
) -> Kiosk:
    """Open the store in `data_dir` and build a kiosk at `counter`. Personal data past its
    retention is purged first (kiosk/purge.py), at most once a day, unless `purge_due`
    is False (`kiosk purge` itself); `purging` is called when one is about to run."""
    store = Store.in_dir(data_dir)
    kiosk_id = kiosk_id or default_kiosk_id(store, counter)
    signer = badge_key(data_dir, store, kiosk_id)
    desk = CounterDesk(store, load_keyring(store), kiosk_id, counter, clock, signer)
    if purge_due:
        purge_if_due(store, clock(), kiosk_id, lambda: personal_files(data_dir), purging)

    def make_printing():
        from printing.badge_printing import for_kiosk

        return for_kiosk(desk, data_dir)

    return Kiosk(data_dir, store, desk, StaffBook(store, clock, kiosk_id), make_printing)


def is_demo_world(data_dir: Path) -> bool:
    """Whether `data_dir` holds the demo world: app/demo/build.py writes its manifest."""
    return (data_dir / "scenarios.json").is_file()


def stopped_clock(data_dir: Path, at: str, writes: bool) -> Callable[[], datetime]:
    """A clock stopped at a command's --at (ISO 8601, Brussels unless it names a zone).
    A command that `writes` takes one on a demo world only: at a kiosk at work it would
    date journal entries as it pleased and judge the counter's hours, a code's first day
    and PIN waits at that time. ValueError says what is wrong, as a sentence. (Whoever
    opens a kiosk on it passes purge_due=False: a made-up time never purges.)"""
    try:
        moment = brussels_time(at)
    except ValueError as err:
        raise ValueError(f"--at: {err}. Nothing was done.") from None
    if writes and not is_demo_world(data_dir):
        raise ValueError(
            "--at is for the demo world and tests: a kiosk at work records what is done at "
            "the time it is done. Nothing was done."
        )
    return lambda: moment


def require_store(data_dir: Path) -> Path:
    """`data_dir` if it holds a kiosk store; SetupError saying what to do otherwise (a
    mistyped folder is named, never made into an empty store)."""
    if not has_store(data_dir):
        raise SetupError(
            f"{data_dir} holds no kiosk store. Enrol this kiosk with the hub "
            "(kiosk sync enrol FILE; then sync, or import a bundle from the office), "
            "or start the demo (kiosk run --demo)."
        )
    return data_dir


@contextmanager
def store_or_nothing(data_dir: Path) -> Iterator[Store]:
    """The store of `data_dir`, made if it holds none (for a command that sets a kiosk
    up: enrolment, its first accounts), closed at the end. If the block fails on a folder
    that held no store, what was made is removed: the folder never looks like a kiosk's."""
    fresh = not has_store(data_dir)
    before = _present(data_dir) if fresh else set()
    missing = [p for p in (data_dir, *data_dir.parents) if not p.exists()]
    try:
        store = Store.in_dir(data_dir)
        try:
            yield store
        finally:
            store.close()
    except BaseException:
        if fresh:
            _remove_new(data_dir, before, missing)
        raise


def _present(folder: Path) -> set[Path]:
    """Every file and folder under `folder` (links not followed; none if it is missing)."""
    return {Path(top) / name for top, dirs, files in os.walk(folder) for name in dirs + files}


def _remove_new(folder: Path, before: set[Path], missing: list[Path]) -> None:
    """Remove what appeared under `folder` since `before`, then the folders in `missing`
    (from `folder` up) left empty: only what this command created, deepest first."""
    for path in sorted(_present(folder) - before, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink()
    for path in missing:
        with contextlib.suppress(OSError):
            path.rmdir()


def personal_files(data_dir: Path) -> PersonalFiles:
    """The folders where this kiosk writes files with applicants' personal data, for the
    purge: badge PDFs (kept, and the folder printer's), letters (the demo's) and hand-off
    slips (kiosk/handoff.py)."""
    from printing.printers import printed_dir

    return PersonalFiles(
        data_dir,
        by_serial=(data_dir / "badges", printed_dir(data_dir)),
        by_registration=(data_dir / "letters", slips_dir(data_dir)),
    )


def open_security_post(
    data_dir: Path,
    event_id: str | None = None,
    clock: Callable[[], datetime] = brussels_now,
    data_limit: timedelta = DATA_LIMIT,
) -> SecurityPost:
    """A security post on the store in `data_dir` alone (no counter, no key made, nothing
    purged), for `kiosk security verify`; close it with `post.store.close()`."""
    return SecurityPost(Store.in_dir(data_dir), clock, event_id, data_limit)


def default_kiosk_id(store: Store, counter: Counter) -> str:
    """The id this kiosk's journal is written under: the enrolled one, else $KIOSK_ID,
    else the counter's first (G1, V1)."""
    return enrolled_kiosk_id(store) or os.environ.get("KIOSK_ID") or f"{counter.value[0].upper()}1"


# Badge keys are one per kiosk, so that a stolen kiosk's key can be withdrawn alone.
# Their one-byte ids must be unique on a site: the demo world's counters use these,
# another kiosk takes $KIOSK_BADGE_KEY_ID (the site's administrator hands them out).
DEMO_BADGE_KEY_IDS = {"G1": 65, "V1": 66}


def badge_key(data_dir: Path, store: Store, kiosk_id: str) -> Callable[[], Signer]:
    """This kiosk's badge-signing key, for the badges it signs. A key held is loaded and
    trusted now. A key still to make (none held, or $KIOSK_BADGE_KEY_ID names another id
    than the one held) is made when the first badge is signed, so that a command that
    signs nothing (`kiosk check`, `kiosk staff list`) writes no key: under the id given
    at start (KeyConflict now if the store knows it as another key's), else the lowest
    free one then."""
    held = _held_key(_badge_key_path(data_dir, kiosk_id))
    wanted = _wanted_key_id(data_dir, kiosk_id)
    if held is not None and wanted in (None, held.key_id):
        trust_badge_key(store, held, kiosk_id)
        return lambda: held
    if wanted is not None:
        check_badge_key_id(store, wanted)
    made: list[Signer] = []
    lock = threading.Lock()  # the print and the preview may ask at the same moment

    def signer() -> Signer:  # a free id is looked for then: sync may have brought keys since
        with lock:
            if not made:
                key_id = wanted if wanted is not None else _free_key_id(store)
                made.append(make_badge_key(data_dir, store, kiosk_id, key_id))
            return made[0]

    return signer


def _badge_key_path(data_dir: Path, kiosk_id: str) -> Path:
    return data_dir / "keys" / f"badge-{kiosk_id}.key"


def _held_key(path: Path) -> Signer | None:
    """The key saved at `path` (its id byte, then its 32 private bytes), if any."""
    if not path.exists():
        return None
    saved = path.read_bytes()
    return Signer.from_private_bytes(saved[0], saved[1:])


def make_badge_key(data_dir: Path, store: Store, kiosk_id: str, key_id: int) -> Signer:
    """A new badge key for `kiosk_id` under `key_id`: its public half trusted in the
    store, then its private half saved over any held before (DATA_DIR/keys, owner-only)."""
    signer = Signer.generate(key_id)
    trust_badge_key(store, signer, kiosk_id)
    path = _badge_key_path(data_dir, kiosk_id)
    write_private(path, bytes([signer.key_id]) + signer.private_bytes())
    return signer


def _wanted_key_id(data_dir: Path, kiosk_id: str) -> int | None:
    """$KIOSK_BADGE_KEY_ID, else a demo counter's id on the demo world, else None."""
    given = os.environ.get("KIOSK_BADGE_KEY_ID")
    if given:
        if not given.isdigit() or not 1 <= int(given) <= 255:
            raise SetupError("KIOSK_BADGE_KEY_ID must be a number from 1 to 255")
        return int(given)
    if is_demo_world(data_dir):
        return DEMO_BADGE_KEY_IDS.get(kiosk_id)
    return None


def _free_key_id(store: Store) -> int:
    """The lowest id from 100 up that this store does not use yet (the site's
    administrator should set ids explicitly: another kiosk may hold it)."""
    with store.reading() as s:
        used = set(s.scalars(select(KeyRow.key_id)))
    return next(i for i in range(100, 256) if i not in used)


def chip_reader(data_dir: Path, store: Store) -> ChipLink | None:
    """What reads the chip of the document on the PC/SC reader, checked against the trust
    list (this kiosk's in `data_dir` and the hub's in `store`, chip/trust.py), and says
    whether a reader is plugged in (readers come and go while the kiosk runs); None when
    this machine has no PC/SC stack (pyscard) at all."""
    from chip import pcsc

    if not pcsc.available():
        return None
    from chip import trust
    from chip.bac import AccessKey
    from chip.reading import read_passport

    def read(printed: IdReading) -> ChipReading:
        key = AccessKey.printed(printed)
        return read_passport(key, trust.load(data_dir, store), read_mrz).reading

    return ChipLink(read, lambda: bool(pcsc.reader_names()))
