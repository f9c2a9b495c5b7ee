"""Files only this machine's owning account may read: data folders 0700, stores, keys,
tokens, enrolment files and badge PDFs 0600, from the moment they exist.

The programs also set a private umask at their entry points (`private_umask`); the
helpers here do not rely on it, so a file is private even when a library or a test
opens the store with the user's own umask.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
NAME_MAX = 255  # bytes in one file name (Linux)


def private_umask() -> int:
    """Make every file and folder this process creates owner-only; the previous umask."""
    return os.umask(UMASK)


def _make_dirs(path: Path) -> None:
    """Create `path` and its missing parents owner-only; existing ones are left alone."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)  # mkdir's mode passes through the umask


def private_dir(path: Path) -> Path:
    """Create `path` (missing parents owner-only too) and make it owner-only."""
    _make_dirs(path)
    os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty and owner-only if it does not exist; tighten it if it does.
    Missing parent folders are made owner-only; an existing parent is left as it is."""
    _make_dirs(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)
    return path


def check_writable(path: Path) -> None:
    """OSError naming `path` when a file could not be written there: a folder, a device
    or a pipe (replacing /dev/null with a file would break the machine), a name too long,
    a folder that cannot be written. Checked before anything a failed write would leave
    half done."""
    if path.name in ("", "..") or path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if _special(path):
        raise OSError(errno.EINVAL, "not a regular file: left as it is", str(path))
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), str(path))
    folder = path.absolute().parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def check_new(path: Path) -> None:
    """As `check_writable`, and FileExistsError when anything is at `path` already (a
    file, a link): for files that hold a secret a command makes, which must never take
    the place of another (`kiosk-hub enrol --out hub.db` once replaced the hub's database)."""
    check_writable(path)
    if os.path.lexists(path):
        raise FileExistsError(
            errno.EEXIST, "is there already: left as it is (give another name)", str(path)
        )


def _special(path: Path) -> bool:
    """Whether `path` is a device, a pipe or a socket (not a file, a link or nothing)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISLNK(mode))


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` owner-only, atomically: into a new private file beside it,
    flushed to disk, then renamed over it. A reader sees the old file or the new one, never
    a half or a readable one; what was there (a file of another mode, a link) is replaced,
    never followed. OSError naming `path` if it cannot be written, `path` then as it was.
    Parents as for `private_file`."""
    check_writable(path)
    _make_dirs(path.parent)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:  # a full disk, a folder that takes no files: nothing left behind
        why = err.strerror or str(err)
        if tmp is None:  # the folder's fault, not the file's (/proc: "No such file")
            why = f"no file can be made in {path.parent} ({why})"
        else:
            Path(tmp).unlink(missing_ok=True)
        raise OSError(err.errno, why, str(path)) from err
    return path


def hub_token_path(data_dir: Path) -> Path:
    """Where a kiosk keeps its hub token: beside the store, never inside it, so a copy of
    the store file alone cannot talk to the hub as this kiosk."""
    return data_dir / "secrets" / "hub-token"
