"""One CUPS scheduler shared by every CUPS test of a run, whichever pytest-xdist worker
runs them: the first user starts cupsd if none is running, the last one stops it (a
count of users kept in a file, under a lock, beside cupsd's process id).

Starting and stopping cupsd per module raced: one worker stopped the scheduler another
worker was printing on, and `lpadmin` or a retried print failed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
_STATE = Path(tempfile.gettempdir()) / f"pok-test-cupsd-{os.getuid()}.json"


def scheduler_running() -> bool:
    out = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return "is running" in out.stdout


@contextmanager
def _shared_state() -> Iterator[dict]:
    """The users count and the pid of the cupsd the tests started, read and written under
    an exclusive lock."""
    with open(_STATE.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(_STATE.read_text()) if _STATE.exists() else {"users": 0, "pid": 0}
        yield state
        _STATE.write_text(json.dumps(state))


def _start() -> int:
    started = subprocess.Popen(["cupsd", "-f"], stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60  # bounds a failing start only
    while not scheduler_running():
        if started.poll() is not None or time.monotonic() > deadline:
            started.terminate()
            pytest.fail("cupsd did not start")
        time.sleep(0.1)
    return started.pid


@pytest.fixture(scope="session")
def cups_scheduler() -> Iterator[None]:
    """A running cupsd with cups-pdf while any test of the run needs it (skips when CUPS is
    not installed)."""
    if not (shutil.which("cupsd") and shutil.which("lpadmin") and PPD.exists()):
        pytest.skip("CUPS with cups-pdf is not installed (scripts/setup.sh installs it)")
    with _shared_state() as state:
        if not scheduler_running():  # also after a run that was killed left its count
            state["users"], state["pid"] = 0, _start()
        elif state["users"] == 0:
            state["pid"] = 0  # someone else's cupsd: never stopped by the tests
        state["users"] += 1
    yield
    with _shared_state() as state:
        state["users"] -= 1
        if state["users"] == 0 and state["pid"]:
            _stop(state["pid"])
            state["pid"] = 0


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while scheduler_running() and time.monotonic() < deadline:
        time.sleep(0.1)


def pdf_queues(tag: str, kinds: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """cups-pdf queues named `tag` + kind, for a module fixture to `yield from`: STOPPED is
    stopped (as a technician does), HELD holds every job; the others print. Removed after."""
    names = {k: f"{tag}{k}" for k in kinds}
    run = {"check": True, "capture_output": True}
    for name in names.values():
        subprocess.run(["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(PPD)], **run)
    if "STOPPED" in names:
        subprocess.run(["cupsdisable", names["STOPPED"]], **run)
    if "HELD" in names:
        subprocess.run(
            ["lpadmin", "-p", names["HELD"], "-o", "job-hold-until-default=indefinite"], **run
        )
    yield names
    for name in names.values():
        subprocess.run(["cancel", "-a", name], capture_output=True)
        subprocess.run(["lpadmin", "-x", name], capture_output=True)
