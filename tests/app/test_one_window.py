"""One kiosk window per data folder (kiosk/folder_lock.py), with real processes: a second
`kiosk run` or `kiosk security` is refused in a sentence while a first runs, and so is a
command printing badges beside it; a first window killed leaves no stale lock."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.folder_lock import LOCK_NAME
from tests import cli_process

pytestmark = pytest.mark.slow
OFFSCREEN = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _holder(data_dir: Path) -> int | None:
    """The pid holding the folder's lock exclusively, read from /proc/locks (a probe that
    took the lock itself could refuse the very window it waits for)."""
    lock = data_dir / LOCK_NAME
    if not lock.exists():
        return None
    inode = lock.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and "WRITE" in fields:
            pid, where = fields[-4], fields[-3]
            if where.endswith(f":{inode}"):
                return int(pid)
    return None


def _wait_for_holder(data_dir: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while _holder(data_dir) != proc.pid:
        if proc.poll() is not None:
            pytest.fail(f"the window ended ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"{proc.pid} never held {data_dir / LOCK_NAME}")
        time.sleep(0.05)


def _window(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "run", "--data-dir", str(data_dir)],
        env=OFFSCREEN,
        stderr=subprocess.PIPE,
        text=True,
    )


def _files(data_dir: Path) -> dict[str, str]:
    """Every file under `data_dir` and a digest of its bytes."""
    return {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def test_a_second_window_is_refused_while_one_runs_and_allowed_once_it_is_killed(demo_dir):
    first = _window(demo_dir)
    try:
        _wait_for_holder(demo_dir, first)
        for command in (["run"], ["security"]):
            args = (*command, "--data-dir", str(demo_dir))
            second = cli_process.run("app.cli", *args, env=OFFSCREEN)
            assert second.returncode == 2, second.stderr
            assert "Another kiosk window is open on" in second.stderr
            assert "Une autre fenêtre du kiosque est ouverte sur" in second.stderr
            assert "Traceback" not in second.stderr
        printing = cli_process.run(
            "app.cli", "badge", "print", "--serial", "G1-000001", "--clerk", "anna",
            "--data-dir", str(demo_dir),
        )  # fmt: skip
        assert printing.returncode == 2, printing.stderr
        assert "it follows this folder's print jobs" in printing.stderr
        assert "Une fenêtre du kiosque est ouverte sur" in printing.stderr
        assert _holder(demo_dir) == first.pid
        lock = demo_dir / LOCK_NAME
        assert lock.stat().st_mode & 0o777 == 0o600
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    again = _window(demo_dir)  # the killed window's lock died with it
    try:
        _wait_for_holder(demo_dir, again)
    finally:
        again.terminate()
        again.communicate(timeout=30)


def test_a_refused_start_touches_nothing_in_the_folder(demo_dir):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from kiosk.folder_lock import window_lock\n"
            f"with window_lock(Path({str(demo_dir)!r})):\n"
            "    print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        before = _files(demo_dir)
        refused = cli_process.run("app.cli", "run", "--data-dir", str(demo_dir), env=OFFSCREEN)
        assert refused.returncode == 2, refused.stderr
        assert "Nothing was started." in refused.stderr
        assert _files(demo_dir) == before
    finally:
        holder.communicate("", timeout=30)
