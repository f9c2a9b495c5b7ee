"""Reading a file someone hands the kiosk (an enrolment file, a bundle on a USB stick):
a regular file only, never a pipe or a device.

A pipe hung its reader, a link to /dev/zero filled the memory (24 GB before it was
stopped): such a path is refused before it is opened, and again on the descriptor
opened without blocking, should it have been swapped for one meanwhile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegularFile(ValueError):
    """A path that names a pipe, a device, a folder or a socket, not a file's bytes."""


def read_regular(path: Path, most: int | None = None) -> bytes:
    """The bytes of the regular file at `path` (links followed): at most `most` + 1 of
    them, so that a caller tells a file too large without reading it further, else as
    many as the file held when opened. NotRegularFile for anything but a regular file;
    OSError when it cannot be read."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise NotRegularFile(f"{path} is not a regular file")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # swapped for a pipe since: no hang
    with os.fdopen(fd, "rb") as file:
        held = os.fstat(fd)
        if not stat.S_ISREG(held.st_mode):
            raise NotRegularFile(f"{path} is not a regular file")
        return file.read(held.st_size if most is None else most + 1)
