"""One kiosk window per data folder, and no badge printed beside it by another program.

A window follows its folder's print jobs (at sign-in it resumes every job the kiosk left
open): a second window, or a command printing from the same folder, would resume or fail
each other's jobs (a card marked failed while the other sent it, then printed twice). A
window holds an exclusive lock on `LOCK_NAME` in the data folder for as long as it runs;
a printing command holds a shared one (several may print side by side: none resumes).

The lock is the operating system's (flock): it dies with the process that holds it, so
a window killed or crashed never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.private import FILE_MODE

LOCK_NAME = "kiosk-window.lock"


class FolderInUse(Exception):
    """The data folder is held by a window (or, for a window, by a printing command)."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        super().__init__(message_en)
        self.message_en, self.message_fr = message_en, message_fr


@contextmanager
def window_lock(data_dir: Path) -> Iterator[None]:
    """Hold `data_dir` for a kiosk window; FolderInUse, touching nothing else, when
    another window or a printing command holds it."""
    refusal = FolderInUse(
        f"Another kiosk window is open on {data_dir}, or a kiosk command is printing badges "
        "from it: a counter PC has one window per data folder. Use the open window, or close "
        "it first. Nothing was started.",
        f"Une autre fenêtre du kiosque est ouverte sur {data_dir}, ou une commande du kiosque "
        "y imprime des badges : un poste de guichet a une seule fenêtre par dossier de "
        "données. Utiliser la fenêtre ouverte, ou la fermer d'abord. Rien n'a été démarré.",
    )
    with _held(data_dir, fcntl.LOCK_EX, refusal):
        yield


@contextmanager
def printing_lock(data_dir: Path) -> Iterator[None]:
    """Hold `data_dir` for a command that prints badges, beside other such commands;
    FolderInUse when a window holds it (its print follow-up would race this command's)."""
    refusal = FolderInUse(
        f"A kiosk window is open on {data_dir}: it follows this folder's print jobs, and a "
        "command printing beside it would race it (a card marked failed while it prints, then "
        "printed twice). Print from the window, or close it first. Nothing was done.",
        f"Une fenêtre du kiosque est ouverte sur {data_dir} : elle suit les impressions de ce "
        "dossier, et une commande qui imprime à côté d'elle se croiserait avec elle (une carte "
        "marquée en échec pendant qu'elle s'imprime, puis imprimée deux fois). Imprimer depuis "
        "la fenêtre, ou la fermer d'abord. Rien n'a été fait.",
    )
    with _held(data_dir, fcntl.LOCK_SH, refusal):
        yield


@contextmanager
def _held(data_dir: Path, mode: int, refusal: FolderInUse) -> Iterator[None]:
    """`mode` (flock) on the folder's lock file, made owner-only; `refusal` if taken."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(data_dir / LOCK_NAME, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise refusal from None
        yield
    finally:
        os.close(fd)  # the lock goes with the descriptor (and with the process)
