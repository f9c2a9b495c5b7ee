"""A command on a store another program holds locked: a sentence and exit 2, never a
traceback (it was SQLAlchemy's traceback after the store's 5 s wait)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests import cli_process

LOCKER = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("LOCKED", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_a_command_on_a_store_locked_by_another_program_says_so(demo_dir, manifest):
    applicant = next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(demo_dir / "kiosk.sqlite3")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout.readline().strip() == "LOCKED"
        done = cli_process.run(
            "app.cli",
            "issue",
            "--data-dir",
            str(demo_dir),
            "--counter",
            "groups",
            "--code",
            applicant["code"],
            "--mrz",
            applicant["mrz"],
            "--clerk",
            "clerk",
            "--pin-stdin",
            stdin="1111\n",
        )
    finally:
        locker.communicate("go\n", timeout=30)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("kiosk: The kiosk's store is busy in another program")
    assert "(SQLite: database is locked)" in done.stderr
