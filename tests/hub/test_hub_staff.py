"""Staff accounts made once at the hub reach every kiosk by the feed, and stop everywhere."""

from __future__ import annotations

import io
import sqlite3

import pytest
from sqlalchemy import select

from app.demo.build import reading_of
from hub import schema as h
from hub.cli import main as hub_main
from hub.clients import Role
from hub.database import HubDatabase, utc_now
from hub.staff import accounts, add_account, changes, set_disabled, set_pin
from kiosk.roles import Actor
from kiosk.roles import Role as StaffRole
from kiosk.staff import AccountStopped, SignInRefused, StaffError
from kiosk.store import schema as k


def _hub_journal(db: HubDatabase, action: str) -> list[tuple]:
    with db.reading() as s:
        rows = s.execute(
            select(h.JournalRow.kiosk_id, h.JournalRow.details).where(h.JournalRow.action == action)
        )
        return [(kiosk, d["account"], d["change"]) for kiosk, d in rows]


def _badges(station) -> int:
    with station.store.reading() as s:
        return len(s.scalars(select(k.BadgeRow)).all())


def test_an_account_made_at_the_hub_reaches_two_kiosks_and_disabling_it_stops_both(sqlite_site):
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    add_account(site.db, "Nadia Bell", StaffRole.CLERK, "482913", "office", utc_now())
    g1.sync(), g2.sync()
    assert g1.kiosk.staff.sign_in("nadia bell", "482913") == Actor("Nadia Bell", StaffRole.CLERK)
    session = g2.kiosk.staff.sign_in("Nadia Bell", "482913")  # stays signed in at G2
    # Changed at the hub only: an enrolled kiosk neither edits it nor adds its own.
    with pytest.raises(StaffError, match="comes from the office's hub"):
        g1.kiosk.staff.disable("Nadia Bell")
    with pytest.raises(StaffError, match="This kiosk is enrolled"):
        g1.kiosk.staff.add("Local Lee", StaffRole.CLERK, "4829")

    set_disabled(site.db, "NADIA BELL", True, "office", utc_now())
    g1.sync(), g2.sync()
    with pytest.raises(SignInRefused):
        g1.kiosk.staff.sign_in("Nadia Bell", "482913")
    before = _badges(g2)
    code = site.code(site.entry("approved_ministerial").accreditation.id)
    with pytest.raises(AccountStopped) as stopped:  # the open session does nothing more
        g2.kiosk.desk.issue(code, reading_of(site.entry("approved_ministerial").presented), session)
    assert "account is disabled" in stopped.value.message_en
    assert "compte de Nadia Bell est désactivé" in stopped.value.message_fr
    assert _badges(g2) == before

    g1.sync(), g2.sync()  # the kiosks' journals tell the hub when each took each change
    assert sorted(_hub_journal(site.db, "staff_from_hub")) == [
        ("G1", "Nadia Bell", "added"),
        ("G1", "Nadia Bell", "disabled"),
        ("G2", "Nadia Bell", "added"),
        ("G2", "Nadia Bell", "disabled"),
    ]
    assert [(c.name, c.change, c.by) for c in changes(site.db)] == [
        ("Nadia Bell", "add", "office"),
        ("Nadia Bell", "disable", "office"),
    ]


def test_a_new_pin_at_the_hub_replaces_the_old_one_at_the_next_sync(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    add_account(site.db, "Ann", StaffRole.SUPERVISOR, "482913", "office", utc_now())
    g1.sync()
    set_pin(site.db, "ann", "739102", "office", utc_now())
    g1.sync()
    with pytest.raises(SignInRefused):
        g1.kiosk.staff.sign_in("Ann", "482913")
    assert g1.kiosk.staff.sign_in("Ann", "739102").role is StaffRole.SUPERVISOR


def test_a_security_post_gets_its_own_accounts_and_no_counter_pin_hashes(sqlite_site):
    site = sqlite_site
    post = site.kiosk("SEC1", Role.SECURITY)
    add_account(site.db, "Clerk Cole", StaffRole.CLERK, "482913", "office", utc_now())
    add_account(site.db, "Guard Gray", StaffRole.SECURITY, "5820", "office", utc_now())
    post.sync()
    assert [(a.name, a.role, a.from_hub) for a in post.kiosk.staff.accounts()] == [
        ("Guard Gray", StaffRole.SECURITY, True)
    ]


def test_the_hub_refuses_bad_accounts_with_a_sentence_and_changes_nothing(sqlite_hub_db):
    db = sqlite_hub_db
    now = utc_now()
    add_account(db, "Ann", StaffRole.CLERK, "4829", "office", now)
    refused = [
        (lambda: add_account(db, "ANN", StaffRole.CLERK, "4829", "office", now), "already"),
        (lambda: add_account(db, "Bo", StaffRole.SUPERVISOR, "4829", "office", now), "6 to 64"),
        (lambda: add_account(db, " ", StaffRole.CLERK, "4829", "office", now), "1 to 80"),
        (lambda: add_account(db, "Cy", StaffRole.CLERK, "4829", "", now), "Who makes"),
        (lambda: set_disabled(db, "Nobody", True, "office", now), "no account named Nobody"),
        (lambda: set_disabled(db, "ann", False, "office", now), "already enabled"),
        (lambda: set_pin(db, "Ann", "12", "office", now), "4 to 64"),
    ]
    with db.reading() as s:
        head_before = s.get(h.SeqRow, 1).value
    for attempt, words in refused:
        with pytest.raises(StaffError, match=words) as err:
            attempt()
        assert err.value.message_fr
    assert [(a.name, a.disabled) for a in accounts(db)] == [("Ann", False)]
    assert len(changes(db)) == 1
    with db.reading() as s:
        assert s.get(h.SeqRow, 1).value == head_before


def test_kiosk_hub_staff_commands_read_the_pin_from_stdin(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("482913\n"))
    assert hub_main(["staff", "add", "Ann", "--role", "supervisor", "--db", url]) == 0
    assert hub_main(["staff", "disable", "Ann", "--by", "Chief Dee", "--db", url]) == 0
    assert hub_main(["staff", "disable", "Ann", "--db", url]) == 1
    assert "Ann is already disabled: nothing was changed." in capsys.readouterr().err
    assert hub_main(["staff", "list", "--db", url]) == 0
    assert hub_main(["staff", "history", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "Ann" in out and "disabled" in out and "by Chief Dee" in out
    with sqlite3.connect(tmp_path / "hub.db") as con:
        [(stored,)] = con.execute("SELECT pin_hash FROM staff").fetchall()
    assert stored.startswith("scrypt$") and "482913" not in stored


def test_a_version_6_hub_database_gains_the_staff_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    HubDatabase(url).close()
    with sqlite3.connect(tmp_path / "hub.db") as con:
        con.execute("DROP TABLE staff")
        con.execute("DROP TABLE staff_changes")
        con.execute("UPDATE hub_meta SET value = '6' WHERE key = 'schema_version'")
    db = HubDatabase(url)
    try:
        assert accounts(db) == []
        with db.reading() as s:
            assert s.get(h.MetaRow, "schema_version").value == h.SCHEMA_VERSION
    finally:
        db.close()


def test_the_sites_last_enabled_administrator_stays_enabled(sqlite_hub_db):
    db, now = sqlite_hub_db, utc_now()
    add_account(db, "Ada", StaffRole.ADMINISTRATOR, "482913", "office", now)
    with pytest.raises(StaffError, match="last enabled administrator") as refused:
        set_disabled(db, "Ada", True, "office", now)  # every kiosk would be left without one
    assert "dernier administrateur actif" in refused.value.message_fr
    assert [(a.name, a.disabled) for a in accounts(db)] == [("Ada", False)]
    add_account(db, "Bea", StaffRole.ADMINISTRATOR, "551234", "office", now)
    set_disabled(db, "Ada", True, "office", now)  # another one first: then it may go
    with pytest.raises(StaffError, match="last enabled administrator"):
        set_disabled(db, "Bea", True, "office", now)
    set_disabled(db, "Ada", False, "office", now)
    set_disabled(db, "Bea", True, "office", now)
    assert [(a.name, a.disabled) for a in accounts(db)] == [("Ada", False), ("Bea", True)]
