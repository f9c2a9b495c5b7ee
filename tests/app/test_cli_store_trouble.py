"""A command on a store another program holds locked: a sentence and exit 2, never a
traceback (it was SQLAlchemy's traceback after the store's 5 s wait)."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest

from tests import cli_process
from tests.store_lock import held_by_another_process


@pytest.mark.slow
def test_a_command_on_a_store_locked_by_another_program_says_so(demo_dir, manifest):
    applicant = next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")
    with held_by_another_process(demo_dir / "kiosk.sqlite3"):
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
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("kiosk: The kiosk's store is busy in another program")
    assert "(SQLite: database is locked)" in done.stderr


def kiosk(data_dir, *args: str) -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin="1111\n")


@pytest.mark.slow
def test_a_badge_issued_then_not_printed_for_the_stores_trouble_says_it_was_issued(
    demo_dir, manifest
):
    """The issuance committed, then the store refused the print step (a disk filling up
    does that): the clerk read only that the step was not saved, not that the badge was
    issued and how to print it. The store refuses here as SQLite does on a full disk, from
    a trigger (a real full disk needs a file system mounted for the test)."""
    applicant = next(a for a in manifest["applicants"] if a["expect"]["groups"] == "issue")
    db = sqlite3.connect(demo_dir / "kiosk.sqlite3")
    db.execute(
        "CREATE TRIGGER full BEFORE INSERT ON print_jobs "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    db.commit()
    at = ("--at", "2026-02-14T10:00", "--counter", "groups", "--clerk", "clerk", "--pin-stdin")
    done = kiosk(demo_dir, "issue", "--code", applicant["code"], "--mrz", applicant["mrz"], *at)
    assert done.returncode == 1, done.stderr
    first, *rest = done.stdout.splitlines()
    serial = first.split()[2].rstrip(",")
    assert first == (
        f"ISSUED badge {serial}, but NOT PRINTED: The kiosk's store cannot be written: its "
        "disk is full or failing. This step was not saved: call a technician to free space "
        "on the disk, then try again."
    )
    assert rest[-1] == f"  retry: kiosk badge print --serial {serial} [--printer NAME]"
    db.execute("DROP TRIGGER full")  # space freed
    db.commit(), db.close()
    again = kiosk(demo_dir, "badge", "print", "--serial", serial, "--clerk", "clerk", "--pin-stdin")
    assert f"\nPRINTED badge {serial}\n" in again.stdout, again.stdout + again.stderr
