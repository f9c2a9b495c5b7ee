"""A hub restored from an older backup: the kiosk gives it back every journal row it lost
(the badges issued meanwhile included) in its next round, and the hub blames the kiosk
for nothing (no truncated or broken journal)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.database import HubDatabase
from kiosk.model import Counter, Verdict
from kiosk.store import schema as k
from sync.state import require_state, set_hub_url
from tests.site_fixtures import HubServer

pytestmark = pytest.mark.slow


def backup(db: HubDatabase, to: Path) -> None:
    """A copy of the live hub's SQLite file, as its operator's backup takes it."""
    live, copy = sqlite3.connect(db.url.removeprefix("sqlite:///")), sqlite3.connect(to)
    live.backup(copy)
    live.close(), copy.close()


def journal_at(db: HubDatabase, kiosk: str) -> list[int]:
    with db.reading() as s:
        q = select(h.JournalRow.journal_id).where(h.JournalRow.kiosk_id == kiosk)
        return sorted(s.scalars(q))


def journal_of(station) -> list[int]:
    with station.store.reading() as s:
        return list(s.scalars(select(k.JournalRow.id).order_by(k.JournalRow.id)))


def issuable(site, n: int) -> list:
    return [e for e in site.entries if e.expect[Counter.GROUPS] is Verdict.ISSUE][:n]


@pytest.mark.parametrize("meanwhile", ["nothing new", "a badge issued after the restore"])
def test_a_restored_hub_gets_back_what_it_lost_and_blames_no_one(sqlite_site, tmp_path, meanwhile):
    site = sqlite_site
    first, second, third = issuable(site, 3)
    g1 = site.kiosk("G1")
    g1.issue(first)
    g1.sync()
    copy = tmp_path / "backup.sqlite3"
    backup(site.db, copy)  # the backup holds the first badge only
    lost = g1.issue(second).badge.serial
    g1.sync()
    assert journal_at(site.db, "G1") == journal_of(g1)

    restored = HubDatabase(f"sqlite:///{copy}")
    server = HubServer(restored).start()
    try:
        set_hub_url(g1.store, server.url)
        if meanwhile != "nothing new":
            g1.issue(third)
        g1.sync()  # one round
        assert journal_at(restored, "G1") == journal_of(g1)  # every row, none lost
        with restored.reading() as s:
            assert s.get(h.BadgeRow, lost) is not None  # other counters learn of it
            kinds = [c.kind for c in s.scalars(select(h.ConflictRow))]
        assert kinds == []  # the kiosk's journal is whole: nothing to inspect
        assert require_state(g1.store).acked_journal_id == journal_of(g1)[-1]
    finally:
        server.stop()
        restored.close()


def test_a_journal_cut_short_is_still_reported_whatever_the_kiosk_says_the_hub_holds(
    sqlite_site,
):
    """Someone removes the last entries before they were delivered and raises the
    acknowledged id to match: the kiosk goes back to what the hub holds and the hub sees
    the cut."""
    site = sqlite_site
    first, second = issuable(site, 2)
    g1 = site.kiosk("G1")
    g1.issue(first)
    g1.sync()
    g1.issue(second)
    last = journal_of(g1)[-1]
    db = sqlite3.connect(g1.store.path)
    db.execute("delete from journal where id = ?", (last,))
    db.execute("update sync_state set acked_journal_id = ?", (last,))
    db.commit(), db.close()
    g1.sync()
    with site.db.reading() as s:
        kinds = [c.kind for c in s.scalars(select(h.ConflictRow))]
    assert kinds == ["journal_truncated"]


def test_a_restored_hub_reached_by_files_says_from_where_and_gets_back_what_it_lost(
    sqlite_site, tmp_path, capsys
):
    """The file route (docs/air-gapped-transfer.md): an outbox starting after what the
    restored hub holds is refused, nothing taken, with the row to export again from;
    `kiosk export-outbox --after ROW` then gives it back every row it lost."""
    from hub.cli import main as hub_main
    from tests import cli_process

    site = sqlite_site
    first, second, third = issuable(site, 3)
    g1 = site.kiosk("G1")
    g1.issue(first)
    g1.sync()
    copy = tmp_path / "backup.sqlite3"
    backup(site.db, copy)  # the backup holds the first badge only
    held = journal_at(site.db, "G1")[-1]
    lost = g1.issue(second).badge.serial
    g1.sync()
    g1.issue(third)  # after the restore, for the usb stick
    restored = HubDatabase(f"sqlite:///{copy}")
    data_dir = g1.store.path.parent

    def kiosk(*args: str) -> subprocess.CompletedProcess:
        return cli_process.run("app.cli", "export-outbox", *args, "--data-dir", str(data_dir))

    def hub(outbox: Path) -> tuple[int, str]:
        capsys.readouterr()
        code = hub_main(["import-outbox", str(outbox), "--db", restored.url])
        out, err = capsys.readouterr()
        return code, out + err

    try:
        outbox = tmp_path / "G1.outbox"
        assert kiosk(str(outbox)).returncode == 0
        code, said = hub(outbox)
        assert code == 1, said
        assert f"holds it only up to row {held}" in said and "nothing was imported" in said
        assert f"kiosk export-outbox --after {held} FILE" in said
        assert journal_at(restored, "G1")[-1] == held  # nothing taken

        ahead = tmp_path / "ahead.outbox"
        past = kiosk("--after", str(journal_of(g1)[-1] + 1), str(ahead))
        assert past.returncode != 0 and "nothing was written" in past.stderr
        assert not ahead.exists()

        again = tmp_path / "G1-again.outbox"
        assert kiosk("--after", str(held), str(again)).returncode == 0
        code, said = hub(again)
        assert code == 0, said
        assert journal_at(restored, "G1") == journal_of(g1)  # every row, none lost
        with restored.reading() as s:
            assert s.get(h.BadgeRow, lost) is not None
            assert [c.kind for c in s.scalars(select(h.ConflictRow))] == []
    finally:
        restored.close()
