"""What `--at`, a mistyped folder, `kiosk demo` and a PIN prompt without a terminal may
do at a kiosk (exploratory testing of the CLI, session 15): a made-up time once purged
everyone's personal data, and on `issue` got round the counter's rules."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import subprocess
import sys

import pytest

from app.cli import main
from kiosk.store.database import DB_NAME


def _journal(data_dir) -> list[str]:
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return [action for (action,) in db.execute("SELECT action FROM journal ORDER BY id")]


def _surnames(data_dir) -> int:
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return db.execute("SELECT count(*) FROM people WHERE surname != ''").fetchone()[0]


def _applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def _at_work(demo_dir):
    """The demo's store as a kiosk at work holds it: no demo manifest beside it."""
    (demo_dir / "scenarios.json").unlink()
    return demo_dir


def test_a_check_at_a_time_years_ahead_purges_nothing(demo_dir, manifest, capsys):
    a = _applicant(manifest, "approved_ministerial")
    before = _journal(demo_dir), _surnames(demo_dir)
    argv = ["check", "--counter", "groups", "--code", a["code"], "--mrz", a["mrz"]]
    assert main([*argv, "--at", "2099-12-06T10:00", "--data-dir", str(demo_dir)]) in (0, 1)
    assert (_journal(demo_dir), _surnames(demo_dir)) == before


def test_at_is_refused_for_what_writes_at_a_kiosk_at_work(demo_dir, manifest, capsys, monkeypatch):
    data_dir = _at_work(demo_dir)
    a = _applicant(manifest, "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"]]
    before = _journal(data_dir)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1111\n"))
    issue = ["issue", *scan, "--clerk", "clerk", "--pin-stdin", "--at", "2026-02-14T10:00"]
    assert main([*issue, "--data-dir", str(data_dir)]) == 2
    assert "--at is for the demo world and tests" in capsys.readouterr().err
    pool = ["pool", "hand-out", "--moment", "X", "--accreditation", "1", "--clerk", "clerk"]
    with pytest.raises(SystemExit, match="--at is for the demo world and tests"):
        main([*pool, "--pin-stdin", "--at", "2026-02-14T10:00", "--data-dir", str(data_dir)])
    assert _journal(data_dir) == before
    check = ["check", *scan, "--at", "2026-02-14T10:00", "--json", "--data-dir", str(data_dir)]
    assert main(check) == 0  # reading at a given time stays possible
    assert '"verdict": "issue"' in capsys.readouterr().out


def test_kiosk_demo_does_not_erase_a_kiosks_store(demo_dir, capsys):
    data_dir = _at_work(demo_dir)
    store = hashlib.sha256((data_dir / DB_NAME).read_bytes()).hexdigest()
    assert main(["demo", "--data-dir", str(data_dir)]) == 2
    assert "holds a kiosk's store, not a demo world" in capsys.readouterr().err
    assert hashlib.sha256((data_dir / DB_NAME).read_bytes()).hexdigest() == store


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--counter", "groups", "--code", "ABC"],
        ["audit", "verify"],
        ["chip", "read", "--can", "123456"],
        ["chip", "trust", "list"],
        ["chip", "trust", "import", "csca.pem", "--admin", "root", "--pin-stdin"],
    ],
)
@pytest.mark.parametrize("made", [False, True], ids=["missing", "empty"])
def test_a_mistyped_folder_is_said_and_no_store_is_made_there(
    tmp_path, capsys, monkeypatch, argv, made
):
    """`chip read` and `chip trust` made an empty store in a mistyped folder."""
    monkeypatch.setenv("PCSCLITE_CSOCK_NAME", str(tmp_path / "no-pcscd"))  # never a reader
    typo = tmp_path / "dta"
    if made:
        typo.mkdir()
    assert main([*argv, "--data-dir", str(typo)]) == 2
    assert f"{typo} holds no kiosk store" in capsys.readouterr().err
    assert typo.exists() is made and not (typo.exists() and any(typo.iterdir()))


@pytest.mark.parametrize("argv", [["staff", "list"], ["overview"], ["audit", "verify"]])
def test_a_store_file_of_no_bytes_is_no_store(tmp_path, capsys, argv):
    """A kiosk.sqlite3 left empty counted as a store: read-only commands built a whole new
    store in it (and secrets/ beside it), exit 0."""
    folder = tmp_path / "kiosk"
    folder.mkdir()
    (folder / DB_NAME).touch()
    assert main([*argv, "--data-dir", str(folder)]) == 2
    assert f"{folder} holds no kiosk store" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == [DB_NAME]
    assert (folder / DB_NAME).stat().st_size == 0


@pytest.mark.slow
def test_a_pin_asked_without_a_terminal_is_a_sentence(demo_dir):
    """No controlling terminal (a new session): getpass would read stdin and warn that it
    may echo, or raise EOFError on an empty one."""
    argv = [sys.executable, "-m", "app.cli", "badge", "history", "A0000001", "--clerk", "clerk"]
    out = subprocess.run(
        [*argv, "--data-dir", str(demo_dir)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert out.returncode != 0
    assert "no terminal to type the PIN at: give --pin-stdin" in out.stderr
    assert "Traceback" not in out.stderr and "echoed" not in out.stderr


@pytest.mark.parametrize(
    "argv",
    [["sync", "--once"], ["import-bundle", "x.bundle"], ["export-outbox", "x.outbox"]],
)
def test_sync_commands_on_a_mistyped_folder_make_no_store(tmp_path, argv):
    typo = tmp_path / "dta"
    with pytest.raises(SystemExit, match="holds no kiosk store"):
        main([*argv, "--data-dir", str(typo)])
    assert not (typo / DB_NAME).exists()


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_sync_status_of_a_mistyped_folder_names_it_and_makes_no_store(tmp_path, json_flag):
    # It said "not enrolled with a hub; 0 journal row(s) waiting", exit 0: an operator who
    # mistyped a kiosk's folder read its outbox as empty.
    typo = tmp_path / "dta"
    with pytest.raises(SystemExit, match=f"{typo} holds no kiosk store"):
        main(["sync", "status", *json_flag, "--data-dir", str(typo)])
    assert not (typo / DB_NAME).exists()
