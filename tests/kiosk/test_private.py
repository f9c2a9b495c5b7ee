"""`write_private`: whatever was at the path, the file ends owner-only; a write that fails
says which file and why and leaves the path as it was."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from kiosk.private import write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_an_existing_readable_file_is_replaced_by_a_private_one(tmp_path):
    out = tmp_path / "badge.pdf"
    out.write_bytes(b"old")
    out.chmod(0o644)
    write_private(out, b"new")
    assert (out.read_bytes(), mode(out)) == (b"new", 0o600)
    assert os.listdir(tmp_path) == ["badge.pdf"]


def test_a_link_is_replaced_never_followed(tmp_path):
    other = tmp_path / "someone-elses.txt"
    other.write_bytes(b"theirs")
    other.chmod(0o644)
    link = tmp_path / "out.pdf"
    link.symlink_to(other)
    write_private(link, b"mine")
    assert not link.is_symlink() and (link.read_bytes(), mode(link)) == (b"mine", 0o600)
    assert (other.read_bytes(), mode(other)) == (b"theirs", 0o644)


def test_a_device_is_refused_up_front():
    with pytest.raises(OSError, match="not a regular file") as err:
        write_private(Path("/dev/full"), b"x")
    assert err.value.filename == "/dev/full"


def test_a_failed_write_names_the_file_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "journal.jsonl"
    out.write_bytes(b"before")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError) as err:
        write_private(out, b"after")
    assert (err.value.errno, err.value.filename) == (errno.ENOSPC, str(out))
    assert err.value.strerror == "No space left on device"
    assert out.read_bytes() == b"before" and os.listdir(tmp_path) == ["journal.jsonl"]


def test_a_file_of_the_system_is_named_with_the_reason(tmp_path):
    with pytest.raises(OSError) as err:
        write_private(Path("/proc/version"), b"x")
    assert err.value.filename == "/proc/version"
    assert err.value.strerror.startswith("no file can be made in /proc (")
    assert Path("/proc/version").read_bytes().startswith(b"Linux")
