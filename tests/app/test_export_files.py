"""The files `kiosk` commands export (a badge, a letter, a day's overview, a preview): each
ends owner-only whatever was at the path (a readable file, a link: replaced, never
followed), and one that cannot be written is named with the reason, exit status 2, the
path as it was, nothing half-written left."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from app import cli
from printing.badge_template import BUILTIN_DIR

EXPORTS = {  # what each command is given after its output file's option
    "badge": ("badge", "render", "--serial", "{serial}", "--out"),
    "letter": ("letter", "--accreditation", "1", "--out"),
    "overview": ("overview", "--day", "2026-02-14", "--csv"),
    "preview": ("badge", "template", str(BUILTIN_DIR / "event.toml"), "--preview"),
    "journal": ("audit", "export", "--out"),
}


def export(capsys, data_dir: Path, what: str, out: Path) -> tuple[object, str]:
    """Run the command exporting `what` to `out` in this process: (status, stderr)."""
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        (serial,) = db.execute("select serial from badges limit 1").fetchone()
    args = [a.format(serial=serial) for a in EXPORTS[what]]
    try:
        status = cli.main(["--data-dir", str(data_dir), *args, str(out)])
    except SystemExit as exited:
        status = exited.code
    return status, capsys.readouterr().err


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.mark.parametrize("what", EXPORTS)
def test_an_export_over_a_readable_file_or_a_link_ends_owner_only(demo_dir, capsys, what):
    out = demo_dir.parent / f"{what}.out"
    out.write_bytes(b"someone's old file")
    out.chmod(0o644)
    assert export(capsys, demo_dir, what, out) == (0, "")
    assert mode(out) == 0o600 and out.read_bytes() != b"someone's old file"

    other = demo_dir.parent / f"{what}.other"
    other.write_bytes(b"another file")
    other.chmod(0o644)
    link = demo_dir.parent / f"{what}.link"
    link.symlink_to(other)
    assert export(capsys, demo_dir, what, link) == (0, "")
    assert not link.is_symlink() and mode(link) == 0o600
    assert (other.read_bytes(), mode(other)) == (b"another file", 0o644)


@pytest.mark.parametrize("what", EXPORTS)
def test_an_export_that_cannot_be_written_is_named_with_the_reason(
    demo_dir, capsys, monkeypatch, what
):
    status, err = export(capsys, demo_dir, what, Path("/dev/full"))
    assert (status, err) == (2, "kiosk: /dev/full: not a regular file: left as it is\n")

    out = demo_dir.parent / f"{what}.out"
    out.write_bytes(b"before")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    status, err = export(capsys, demo_dir, what, out)
    assert (status, err) == (2, f"kiosk: {out}: No space left on device\n")
    assert out.read_bytes() == b"before"
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]
