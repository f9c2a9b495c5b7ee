"""One-line values of `kiosk-hub` refuse a line break or a tab: a closure's reason, a
pooled moment's name, a revocation's reason "a\\nb" were kept and printed as lines that
are not there in listings and the journal (exploratory testing; the importer refuses
them already). A settlement's note may run over lines, as the console's text box lets it,
but holds no tab and no carriage return alone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.hub_cli import main
from hub import schema as h
from hub.clients import Role, enrol
from tests.hub.test_web_console import make_conflict
from tests.site_fixtures import fill

MOMENT = [
    "pool",
    "add-moment",
    "DEFMIN-PHOTO",
    "--event",
    "DEFMIN",
    "--starts",
    "2030-02-14T10:00",
    "--opens",
    "2030-02-13T09:00",
    "--closes",
    "2030-02-13T17:00",
]
NAMED = "--name", "Family photo"
PLACE = "--place", "Public Square"
ONE_LINE = "must be one line of text, without a line break, a tab or a control character"
NOTE = "must be text: lines, without a tab, a carriage return alone or a control character"
CLOSE = ["hours", "close", "--counter", "groups", "--day", "2030-02-14"]


def held(db) -> dict[str, int]:
    """How many rows the tables these commands write hold."""
    tables = (
        h.JournalRow,
        h.CounterClosureRow,
        h.PoolMomentRow,
        h.WebUserRow,
        h.StaffAccountRow,
        h.CounterHoursRow,
    )
    with db.reading() as s:
        counts = {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in tables}
        counts["revoked"] = s.scalar(
            select(func.count()).select_from(h.ClientRow).where(h.ClientRow.revoked_at.is_not(None))
        )
        counts["settled"] = s.scalar(
            select(func.count())
            .select_from(h.ConflictRow)
            .where(h.ConflictRow.settled_at.is_not(None))
        )
    return counts


@pytest.mark.parametrize(
    "args, value",
    [
        ([*CLOSE, "--reason", "Public\nholiday"], "'Public\\nholiday'"),
        ([*CLOSE, "--reason", "Holiday", "--reason-fr", "Jour\r\nférié"], "'Jour\\r\\nférié'"),
        ([*MOMENT, "--name", "Family\nphoto", *PLACE], "'Family\\nphoto'"),
        ([*MOMENT, *NAMED, "--place", "Public\tSquare"], "'Public\\tSquare'"),
        ([*MOMENT, *NAMED, *PLACE, "--name-fr", "Photo\nde famille"], "'Photo\\nde famille'"),
        ([*MOMENT, *NAMED, *PLACE, "--place-fr", "Agora\r"], "'Agora\\r'"),
        (
            [
                "hours",
                "add",
                "08:00-17:00",
                "--counter",
                "groups",
                "--weekday",
                "mon",
                "--event",
                "DEF\nMIN",
            ],
            "'DEF\\nMIN'",
        ),
        (["clients", "revoke", "G1", "--reason", "lost\nBcc: x"], "'lost\\nBcc: x'"),
        (["clients", "revoke", "G1", "--stolen", "--reason", "in\tthe night"], "'in\\tthe night'"),
        (["web-user", "add", "anna\nbob", "--role", "office"], "'anna\\nbob'"),
        (["staff", "add", "Anna\nAdmin", "--role", "clerk"], "'Anna\\nAdmin'"),
        (["staff", "disable", "Anna", "--by", "chief\nreally"], "'chief\\nreally'"),
        (
            [
                "hours",
                "reopen",
                "--counter",
                "groups",
                "--day",
                "2030-02-14",
                "--operator",
                "Ana\nBen",
            ],
            "'Ana\\nBen'",
        ),
        (
            ["conflicts", "settle", "1", "--outcome", "handled", "--note", "done\there"],
            "'done\\there'",
        ),
        (
            ["conflicts", "settle", "1", "--outcome", "handled", "--note", "ok\rNOT OK"],
            "'ok\\rNOT OK'",
        ),
    ],
)
def test_a_line_break_or_a_tab_in_a_one_line_value_is_refused(
    sqlite_hub_db, export_and_entries, capsys, args, value
):
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    enrol(db, "G1", Role.COUNTER)
    make_conflict(db)
    before = held(db)
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--db", db.url])
    assert stopped.value.code == 2
    said = capsys.readouterr()
    assert said.out == ""
    refusal = said.err.splitlines()[-1]
    why = ONE_LINE if "--note" not in args else NOTE
    assert refusal.startswith("kiosk-hub ") and refusal.endswith(f": {value} {why}"), said.err
    assert held(db) == before


def test_a_settlement_note_may_run_over_lines(sqlite_hub_db, export_and_entries, capsys):
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    conflict = make_conflict(db)
    note = "Called the holder.\r\nBadge returned at the desk.\nClosed."
    args = ["conflicts", "settle", str(conflict), "--outcome", "handled", "--note", note]
    assert main([*args, "--db", db.url]) == 0
    with db.reading() as s:
        assert s.get(h.ConflictRow, conflict).settle_note == note


def test_a_revocation_reason_has_the_consoles_limit(sqlite_hub_db, export_and_entries, capsys):
    """`clients revoke --reason` took 100,000 characters where the console's Kiosks page
    takes 500 (hub/clients.py REASON_MAX): one limit for both."""
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    enrol(db, "G1", Role.COUNTER)
    before = held(db)
    with pytest.raises(SystemExit) as stopped:
        main(["clients", "revoke", "G1", "--reason", "x" * 501, "--db", db.url])
    assert stopped.value.code == 2
    refusal = capsys.readouterr().err.splitlines()[-1]
    assert refusal.endswith("has 501 characters: a reason has at most 500"), refusal
    assert held(db) == before
    assert main(["clients", "revoke", "G1", "--reason", "x" * 500, "--db", db.url]) == 0
    with db.reading() as s:
        assert s.get(h.ClientRow, "G1").revoked_reason == "x" * 500
