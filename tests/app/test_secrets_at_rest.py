"""Secrets at rest: a kiosk's store, the hub's database, enrolment files, keys and the hub
token are owner-only from creation, whatever the umask, and another local account cannot
read them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.wiring import badge_key
from hub.database import HubDatabase
from kiosk.private import hub_token_path
from kiosk.store.database import Store, alembic_config
from sync.state import TokenMissing, enrol, read_state, require_state
from tests import cli_process
from tests.enrolment_file import enrolment

ENROLMENT = enrolment()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_base() -> Iterator[Path]:
    """A folder every local account may enter (tmp_path's parents are root's only, which
    would hide the files whatever their own modes)."""
    base = Path(tempfile.mkdtemp(prefix="secrets-at-rest-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The most permissive umask: what is private below is private by the code itself."""
    before = os.umask(0)
    yield
    os.umask(before)


@contextmanager
def made_secrets(base: Path) -> Iterator[dict[str, Path]]:
    """A kiosk store enrolled with a hub (token file, document key), a badge key and a hub
    database, all written and held open so the -wal and -shm files exist."""
    data = base / "kiosk-data"
    store = Store.in_dir(data)
    enrol(store, ENROLMENT)
    badge_key(data, store, "G1")()  # made at the first badge signed
    hub = HubDatabase(f"sqlite:///{base / 'hub' / 'hub.sqlite3'}")
    with hub.writing() as s:  # a write, so the hub's WAL file exists
        s.execute(text("CREATE TABLE t (x)"))
    files = {
        "store": data / "kiosk.sqlite3",
        "store-wal": data / "kiosk.sqlite3-wal",
        "store-shm": data / "kiosk.sqlite3-shm",
        "hub token": hub_token_path(data),
        "journal key": data / "secrets" / "journal.key",
        "document key": data / "keys" / "document.key",
        "badge key": data / "keys" / "badge-G1.key",
        "hub database": base / "hub" / "hub.sqlite3",
        "hub database wal": base / "hub" / "hub.sqlite3-wal",
    }
    try:
        yield files
    finally:
        store.close()
        hub.close()


def test_stores_keys_and_token_are_owner_only_whatever_the_umask(open_base, loose_umask):
    with made_secrets(open_base) as files:
        for what, path in files.items():
            assert path.is_file(), what
            assert mode(path) == 0o600, f"{what} is {oct(mode(path))}"
    data = open_base / "kiosk-data"
    for folder in (data, data / "keys", data / "secrets", open_base / "hub"):
        assert mode(folder) == 0o700, f"{folder} is {oct(mode(folder))}"


def test_the_hub_token_is_not_in_the_store(open_base, loose_umask):
    with made_secrets(open_base) as files:
        pass
    assert b"t" * 43 not in files["store"].read_bytes()
    assert files["hub token"].read_text() == "t" * 43
    copy = open_base / "copied"
    copy.mkdir()
    shutil.copy(files["store"], copy / "kiosk.sqlite3")  # the store alone, as a thief would
    store = Store.in_dir(copy)
    try:
        assert read_state(store).token == ""
        with pytest.raises(TokenMissing, match="enrol it again"):
            require_state(store)
    finally:
        store.close()


def test_a_damaged_token_file_is_named_as_such_not_a_decoding_error(open_base, loose_umask):
    with made_secrets(open_base) as files:
        pass
    files["hub token"].write_bytes(b"t" * 20 + b"\xff\x00" + b"t" * 21)  # a bad sector
    store = Store.in_dir(files["store"].parent)
    try:
        with pytest.raises(TokenMissing, match="is missing or damaged: enrol it again"):
            require_state(store)
    finally:
        store.close()


def before_0010() -> str:
    """The revision migration 0010 upgrades from."""
    return ScriptDirectory.from_config(alembic_config()).get_revision("0010").down_revision


def test_a_store_enrolled_before_moves_its_token_out(open_base, loose_umask):
    data = open_base / "old"
    Store.in_dir(data).close()
    db = sqlite3.connect(data / "kiosk.sqlite3")
    with db:  # the store as the revision before 0010 left it: the token in a column
        db.execute("DROP TABLE sign_in_pace")
        db.execute("ALTER TABLE keys DROP COLUMN owner")  # added after 0010, by 0011
        db.execute("DROP INDEX ix_photos_head")  # and by 0012
        for column in ("settled_at", "settlement", "settle_note"):  # added by 0013
            db.execute(f"ALTER TABLE sync_conflicts DROP COLUMN {column}")
        for table in ("pool_cards", "pool_moments", "counter_closures", "counter_hours"):
            db.execute(f"DROP TABLE {table}")  # added by 0014
        db.execute("ALTER TABLE staff DROP COLUMN from_hub")  # added by 0015
        db.execute("DROP TABLE badge_events")  # added by 0016
        db.execute("DROP TABLE csca")  # and by 0017
        db.execute("DROP TABLE reinstatements")  # and by 0018
        for table, column in (("events", "name_fr"), ("events", "place_fr")):  # and by 0020
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        db.execute("ALTER TABLE accreditations DROP COLUMN status_reason_fr")
        for column in ("clock_low_ms", "clock_high_ms", "clock_measured_at"):  # and by 0021
            db.execute(f"ALTER TABLE sync_state DROP COLUMN {column}")
        db.execute("ALTER TABLE sync_state ADD COLUMN token VARCHAR(100) DEFAULT ''")
        db.execute(
            "INSERT INTO sync_state (id, hub_url, hub_id, hub_key, kiosk_id, role, token, "
            "cursor, acked_journal_id, last_error) "
            "VALUES (1, 'http://h', 'hub-1', ?, 'G1', 'counter', 'old-token', 0, 0, '')",
            (b"k" * 32,),
        )
        db.execute("UPDATE alembic_version SET version_num = ?", (before_0010(),))
    db.close()
    store = Store.in_dir(data)
    try:
        assert require_state(store).token == "old-token"
    finally:
        store.close()
    assert mode(hub_token_path(data)) == 0o600
    columns = [
        r[1]
        for r in sqlite3.connect(data / "kiosk.sqlite3").execute("PRAGMA table_info(sync_state)")
    ]
    assert "token" not in columns


@pytest.mark.slow
def test_the_hub_writes_enrolment_files_owner_only(open_base):
    out = open_base / "G1.enrolment.json"
    done = cli_process.run(
        "app.hub_cli",
        "enrol",
        "G1",
        "--role",
        "counter",
        "--db",
        f"sqlite:///{open_base / 'hub.sqlite3'}",
        "--url",
        "http://127.0.0.1:8750",
        "--out",
        str(out),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert mode(out) == 0o600 and mode(open_base / "hub.sqlite3") == 0o600
    assert "token" in out.read_text()


def nobody_reads(path: Path) -> subprocess.CompletedProcess:
    """`cat path` as the local account nobody."""
    return subprocess.run(
        ["runuser", "-u", "nobody", "--", "cat", str(path)], capture_output=True, timeout=30
    )


@pytest.mark.skipif(shutil.which("runuser") is None, reason="runuser is not installed")
@pytest.mark.slow
def test_another_local_account_cannot_read_them(open_base, loose_umask):
    enrolment = open_base / "G1.enrolment.json"
    subprocess.run(
        [sys.executable, "-m", "app.hub_cli", "enrol", "G1", "--role", "counter",
         "--db", f"sqlite:///{open_base / 'office' / 'hub.sqlite3'}",
         "--url", "http://127.0.0.1:8750", "--out", str(enrolment)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    readable = open_base / "public.txt"  # the control: nobody can read a 0644 file here
    readable.write_text("public")
    readable.chmod(0o644)
    assert nobody_reads(readable).stdout == b"public"
    with made_secrets(open_base) as files:
        for what, path in [*files.items(), ("enrolment file", enrolment)]:
            attempt = nobody_reads(path)
            assert attempt.returncode != 0 and attempt.stdout == b"", f"nobody read the {what}"
            assert b"Permission denied" in attempt.stderr, what


def test_badge_pdfs_are_owner_only_whatever_the_umask(demo_dir, demo_now, loose_umask):
    from app.wiring import open_kiosk
    from kiosk.model import Counter
    from printing.folder import FolderPrinter

    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now, purge_due=False)
    try:
        with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
            (serial,) = db.execute("select serial from badges limit 1").fetchone()
        pdf, media = kiosk.printing.render(serial)  # the PDF kept in badges/
        printed = Path(FolderPrinter(demo_dir / "printed").submit(pdf, serial, media))
    finally:
        kiosk.close()
    assert pdf.parent == demo_dir / "badges" and printed.parent == demo_dir / "printed"
    assert (mode(pdf), mode(printed)) == (0o600, 0o600)
    assert (mode(pdf.parent), mode(printed.parent), mode(demo_dir)) == (0o700, 0o700, 0o700)
