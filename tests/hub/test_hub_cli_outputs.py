"""The files `kiosk-hub` makes with a secret or personal data (an enrolment, a bundle, the
demo's export) are new files: `--out` naming the hub's own database once replaced it
with an enrolment, and a refused bundle deleted it (exploratory testing, session 15)."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from app.hub_cli import main
from hub.clients import Role, enrol
from hub.database import utc_now
from hub.schema import ClientRow
from hub.tls import make_self_signed
from tests.site_fixtures import fill


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def hub_file(sqlite_hub_db, export_and_entries):
    """The hub's SQLite file, filled, with kiosk G1 enrolled and a certificate to enrol with."""
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    enrol(db, "G1", Role.COUNTER)
    return db


def test_no_output_takes_the_place_of_an_existing_file(hub_file, tmp_path, capsys):
    db = hub_file
    path = db.url.removeprefix("sqlite:///")
    database = tmp_path / "hub.db"
    database.symlink_to(path)  # the hub's database under the name an operator might type
    before = _digest(database)
    cert, _ = make_self_signed(tmp_path / "tls", "127.0.0.1", utc_now(), 30)
    url = ["--url", "https://127.0.0.1:8750", "--cert", str(cert)]
    runs = {
        "enrol": ["enrol", "G2", "--role", "counter", *url, "--out", str(database)],
        "export-bundle": ["export-bundle", "--kiosk", "G1", "--out", str(database)],
        "demo-export": ["demo-export", "--out", str(database)],
    }
    for name, argv in runs.items():
        extra = [] if name == "demo-export" else ["--db", db.url]
        assert main([*argv, *extra]) == 2, name
        assert "is there already: left as it is" in capsys.readouterr().err, name
        assert database.is_symlink() and _digest(database) == before, name
    with db.reading() as s:
        assert s.get(ClientRow, "G2") is None  # no token went to a file it could not write


def test_an_enrolment_file_that_cannot_be_written_says_how_to_get_another(
    hub_file, tmp_path, capsys, monkeypatch
):
    # A full USB stick: the kiosk was enrolled, the message said only "No space left on
    # device", and the retry was refused as "enrolled already".
    db = hub_file
    out = tmp_path / "V1.json"

    def full(path, _data):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr("hub.cli.write_private", full)
    argv = ["enrol", "V1", "--role", "counter", "--url", "http://127.0.0.1:8750", "--out"]
    with pytest.raises(SystemExit) as refused:
        main([*argv, str(out), "--db", db.url])
    said = str(refused.value.code)
    assert said.startswith(f"kiosk-hub: {out}: No space left on device. V1 is enrolled")
    assert "run `kiosk-hub enrol V1 --role counter --renew`" in said
    monkeypatch.undo()
    assert main([*argv, str(out), "--renew", "--db", db.url]) == 0  # as it said
    assert out.exists()


@pytest.mark.parametrize(
    "column, value, why",
    [("at", "not a date", "Invalid isoformat"), ("details", "not json", "Expecting value")],
)
def test_audit_verify_names_an_entry_edited_into_nonsense(hub_file, capsys, column, value, why):
    """It ended in a traceback; an edited hash or detail was reported already."""
    db = hub_file
    revoke = ["clients", "revoke", "G1", "--reason", "test", "--operator", "bob"]
    assert main([*revoke, "--db", db.url]) == 0
    path = db.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        raw.execute(f"UPDATE journal SET {column} = ? WHERE kiosk_id = 'hub'", (value,))
    capsys.readouterr()
    assert main(["audit", "verify", "--db", db.url]) == 1
    out = capsys.readouterr().out
    assert f"hub: BROKEN at entry 1: an entry that cannot be read ({why}" in out


@pytest.mark.parametrize("operator", ["", "   ", "x" * 100_000])
def test_an_operator_no_journal_can_name_is_refused(hub_file, capsys, operator):
    """clients revoke, conflicts settle, keys, purge stored "" or 100,000 characters."""
    db = hub_file
    revoke = ["clients", "revoke", "G1", "--reason", "test", "--operator", operator]
    with pytest.raises(SystemExit) as refused:
        main([*revoke, "--db", db.url])
    assert refused.value.code == 2
    assert "named with 1 to 80 printable characters" in capsys.readouterr().err
    with db.reading() as s:
        assert s.get(ClientRow, "G1").revoked_at is None


@pytest.mark.parametrize("since", ["-5", "2147483648", "99999999999999999999", "1e3"])
def test_export_bundle_since_is_a_cursor_a_feed_can_have(tmp_path, capsys, since):
    """--since -5 was written into the bundle's header ("since": -5) and a number past any
    the hub keeps reached the feed's queries: refused now, before the database is opened."""
    out, db = tmp_path / "G1.bundle", tmp_path / "hub.sqlite3"
    argv = ["export-bundle", "--kiosk", "G1", "--out", str(out), "--since", since]
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--db", f"sqlite:///{db}"])
    assert stopped.value.code == 2
    refusal = capsys.readouterr().err.splitlines()[-1]
    assert refusal.endswith("is not a whole number from 0 to 2,147,483,647"), refusal
    assert "argument --since" in refusal and not out.exists() and not db.exists()


def test_export_bundle_since_0_writes_the_whole_feed(hub_file, tmp_path, capsys):
    out = tmp_path / "G1.bundle"
    argv = ["export-bundle", "--kiosk", "G1", "--out", str(out), "--since", "0"]
    assert main([*argv, "--db", hub_file.url]) == 0
    assert out.exists() and "page(s) for G1" in capsys.readouterr().out


def test_a_log_level_uvicorn_does_not_know_is_refused_before_serving(tmp_path, capsys):
    # It printed that the hub was listening, then ended in uvicorn's KeyError.
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--log-level", "bogus", "--port", "0", "--db", db])
    assert refused.value.code == 2
    err = capsys.readouterr()
    assert "invalid choice: 'bogus'" in err.err and "listening" not in err.out + err.err


def test_an_empty_chip_trust_list_says_so(tmp_path, capsys):
    # It printed nothing at all, where operations.md says an empty list says so.
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    assert main(["chip-trust", "list", "--db", db]) == 0
    assert capsys.readouterr().out == (
        "No CSCA certificate on file: import one with `kiosk-hub chip-trust import`.\n"
    )
