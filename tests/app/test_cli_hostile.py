"""`kiosk` and `kiosk-hub` given hostile arguments, as a mutation of 4,300 real
invocations found them (bytes that were not UTF-8, ids past 64 bits, year 1 and 9999,
folders and devices as output files): each ended in a traceback, and `kiosk-hub enrol
--out /dev/null` replaced the device with a file. Now a sentence, exit status 2, and
nothing changed."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest

from app import cli
from hub import cli as hub_cli

ADMIN_PIN = "444444\n"


def kiosk(capsys, monkeypatch, data_dir: Path, *args: str, stdin: str = "") -> tuple[object, str]:
    """Run `kiosk` in this process: (exit status or SystemExit's message, stderr)."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        status = cli.main(["--data-dir", str(data_dir), *args])
    except SystemExit as exited:
        status = exited.code
    return status, capsys.readouterr().err


def hub(capsys, db_url: str, *args: str) -> tuple[object, str]:
    try:
        status = hub_cli.main(["--db", db_url, *args])
    except SystemExit as exited:
        status = exited.code
    return status, capsys.readouterr().err


def counts(data_dir: Path) -> tuple[int, ...]:
    """Rows the fuzzed commands could add (a sign-in is journalled, rightly: not counted)."""
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        return tuple(
            db.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("staff", "counter_hours", "badges", "pool_moments")
        )


HOSTILE = [  # (arguments, what the refusal says)
    ("staff add --role clerk --admin \udcff\udcfe x", "argument 8 holds what is not text"),
    ("staff add --role clerk --admin admin --pin-stdin x\x1b[2J", "argument 10 holds what is"),
    ("check --counter visitors --accreditation 99999999999999999999999", "whole number from 1"),
    ("overview --day 0001-01-01", "'0001-01-01' is not a day from 2000 to 2099"),
    ("pool list --at 9999-12-31T23:59", "is not a date and time from 2000 to 2099"),
    ("letter --accreditation 1 --out /", "/: Is a directory"),
    (
        "hours add --day 2026-12-07 --counter groups --admin admin --pin-stdin 0001-01-01",
        "is not opening hours",
    ),
]


@pytest.mark.parametrize(
    "args",
    [
        "hours add --day 2026-02-30 --counter groups --admin admin --pin-stdin 08:00-17:00",
        "hours add --day 2026-12-07 --counter groups --admin admin --pin-stdin 8-5",
        "hours close --day tomorrow --reason x --counter groups --admin admin --pin-stdin",
        "hours reopen --day 2026-00-01 --counter groups --admin admin --pin-stdin",
    ],
)
def test_hours_are_read_before_any_pin_is_asked(demo_dir, capsys, monkeypatch, args):
    # A day or hours that could not be read were refused after the sign-in, journalled.
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        (journal,) = db.execute("select count(*) from journal").fetchone()
    status, err = kiosk(capsys, monkeypatch, demo_dir, *args.split(" "), stdin=ADMIN_PIN)
    assert status == 2 and ("is not a day" in err or "is not opening hours" in err)
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        assert db.execute("select count(*) from journal").fetchone() == (journal,)


@pytest.mark.parametrize(("args", "said"), HOSTILE)
def test_kiosk_refuses_hostile_arguments_with_a_sentence(demo_dir, capsys, monkeypatch, args, said):
    before = counts(demo_dir)
    status, err = kiosk(capsys, monkeypatch, demo_dir, *args.split(" "), stdin=ADMIN_PIN)
    assert status == 2 or said in str(status)
    assert said in err + str(status) and "Traceback" not in err
    assert counts(demo_dir) == before


def test_hub_refuses_ids_past_its_integers_and_unreadable_arguments(sqlite_hub_db, capsys):
    status, err = hub(capsys, sqlite_hub_db.url, "keys", "approve", "99999999999999999999999")
    assert status == 2 and "is not a whole number from 0 to 2,147,483,647" in err
    status, err = hub(capsys, sqlite_hub_db.url, "staff", "pin", "\udcff")
    assert status == 2 and "argument 5 holds what is not text" in err  # after --db URL


def test_an_enrolment_file_is_never_written_over_a_device_and_then_nothing_is_enrolled(
    sqlite_hub_db, capsys, tmp_path
):
    device = tmp_path / "pipe"
    os.mkfifo(device)
    args = ("enrol", "G2", "--role", "counter", "--out")
    status, err = hub(capsys, sqlite_hub_db.url, *args, str(device))
    assert status == 2 and f"{device}: not a regular file" in err and device.is_fifo()
    status, err = hub(capsys, sqlite_hub_db.url, *args, str(tmp_path))
    assert status == 2 and "Is a directory" in err
    assert hub(capsys, sqlite_hub_db.url, "clients", "list")[0] == 0
    assert "G2" not in capsys.readouterr().out
