"""A virtual X server of a test's own (Xvfb), for tests that drive real X11 windows."""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def start_xvfb(screen: str) -> tuple[subprocess.Popen, str] | None:
    """Xvfb on a random free display number, answering; None if that number was taken.

    Xvfb stamps a key played by xdotool with the time it handles it, where a PC's input
    stack stamps a key when it is pressed; starved by a busy run, it would handle a
    person's slow keys together and stamp them as one quick run (a scanner's, to the
    kiosk). So it runs ahead of the run's other work (`nice -n -10`; without the right
    to, GNU nice runs it as it is)."""
    name = f":{random.randrange(1000, 30000)}"
    if Path(f"/tmp/.X{name[1:]}-lock").exists():
        return None
    server = subprocess.Popen(
        ["nice", "-n", "-10", "Xvfb", name, "-screen", "0", screen, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not _ours_answers(server, name):
        if server.poll() is not None:
            return None  # another run's server got there first
        assert time.monotonic() < deadline, "Xvfb does not answer"
        time.sleep(0.1)
    return server, name


def _ours_answers(server: subprocess.Popen, name: str) -> bool:
    """Whether the display answers and is our server's: its lock file names our process
    (`nice` runs Xvfb in its own process). Another run's server that took the number between
    the look at the lock and our start answers too; driving it, two runs would type into
    each other's windows."""
    if subprocess.run(["xdpyinfo", "-display", name], capture_output=True).returncode:
        return False
    try:
        owner = Path(f"/tmp/.X{name[1:]}-lock").read_text().strip()
    except OSError:
        return False
    if owner != str(server.pid):
        server.terminate()  # the number is another's: ours stops, the caller tries another
        server.wait(10)
        return False
    return True


def virtual_display(screen: str) -> Iterator[str]:
    """Yield the name of a display of our own (`screen` as Xvfb takes it, e.g. 1366x768x24)
    on a random number, so that test runs at the same time never share one; stop it after."""
    started = next(filter(None, (start_xvfb(screen) for _ in range(10))), None)
    assert started, "no free display for Xvfb"
    server, name = started
    yield name
    server.terminate()
    server.wait(10)
