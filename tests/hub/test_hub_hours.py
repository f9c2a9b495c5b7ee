"""Opening hours, closures and pooled moments set once at the hub reach every counter by
the feed; the hub's letters state the hours the counters enforce."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.cli import main as hub_main
from hub.clients import Client, Role
from hub.database import HubDatabase, allocate, utc_now
from hub.importer import import_data
from hub.keys import confirmation_signer
from hub.letters import letter_pdf
from hub.site_hours import (
    add_hours,
    add_moment,
    close_day,
    remove_hours,
    remove_moment,
    reopen_day,
)
from hub.staff import add_account
from hub.transfer import export_bundle
from kiosk.hours import HoursError, Span, collection_hours
from kiosk.model import BRUSSELS, Counter, Verdict
from kiosk.pool import PoolError, PoolMoment
from kiosk.roles import Actor
from kiosk.roles import Role as StaffRole
from kiosk.store import schema as k
from sync.files import import_bundle
from tests import cli_process
from tests.hub.test_hub_feed import kiosk_store, pull
from tests.printing.test_letter_pdf import flat, pdf_text
from tests.site_fixtures import DEMO_DAY

ADMIN = Actor("admin", StaffRole.ADMINISTRATOR)
# The office changes the demo day's hours at 07:00, before the counters open (their clock
# says 10:00): a change for a day already gone is refused (kiosk/hours.py check_ahead).
OFFICE_MORNING = datetime(2026, 2, 14, 7, 0, tzinfo=BRUSSELS)


def _hours_check(station, entry):
    decision = station.check(entry)
    return next(c for c in decision.checks if c.name == "hours"), decision


def _hub_journal(db: HubDatabase, action: str) -> list[tuple[str, dict]]:
    with db.reading() as s:
        rows = s.execute(
            select(h.JournalRow.actor, h.JournalRow.details).where(
                h.JournalRow.action == action, h.JournalRow.kiosk_id == "hub"
            )
        )
        return [tuple(r) for r in rows]


def test_a_closure_made_at_the_hub_stops_the_counter_that_day_after_one_sync(site):
    g1 = site.kiosk("G1")
    entry = site.entry("approved_ministerial")
    assert _hours_check(g1, entry)[0].ok
    close_day(site.db, Counter.GROUPS, DEMO_DAY, "Security alert", "Chief Dee", OFFICE_MORNING)
    g1.sync()
    check, decision = _hours_check(g1, entry)
    assert not check.ok and decision.verdict is Verdict.REFUSE
    assert "Closed today: Security alert." in check.reason_en
    assert "Fermé aujourd'hui : Security alert." in check.reason_fr
    g1.sync()  # the kiosk's journal reaches the hub; the hub's own journal names who
    [(actor, details)] = _hub_journal(site.db, "hours_close")
    assert actor == "Chief Dee" and details["day"] == DEMO_DAY.isoformat()


def test_hours_set_at_the_hub_replace_the_counters_own_and_removed_ones_are_gone(site):
    g1, entry = site.kiosk("G1"), site.entry("approved_ministerial")
    with g1.store.writing() as s:  # hours the kiosk kept before it was enrolled
        for counter in ("groups", "visitors"):
            s.add(k.CounterHoursRow(counter=counter, weekday=5, opens=time(6), closes=time(22)))
    span = Span(Counter.GROUPS, time(8), time(9), day=DEMO_DAY)
    made = add_hours(site.db, span, "office", OFFICE_MORNING)
    g1.sync()
    held = g1.kiosk.hours.spans()
    assert [(s.counter, s.opens, s.day) for s in held] == [
        (Counter.GROUPS, time(8), DEMO_DAY),  # the hub's replaced the groups counter's own
        (Counter.VISITORS, time(6), None),  # the hub sent nothing for visitors: kept
    ]
    check, _ = _hours_check(g1, entry)  # 10:00, open 08:00-09:00 only
    assert not check.ok and "Open today 08:00–09:00." in check.reason_en
    with g1.store.reading() as s:
        replaced = s.scalars(select(k.JournalRow).where(k.JournalRow.action == "hours_from_hub"))
        assert [r.details for r in replaced] == [{"counter": "groups", "local_rows_replaced": 1}]

    remove_hours(site.db, made.id, Counter.GROUPS, "office", OFFICE_MORNING)
    g1.sync()
    assert [s.counter for s in g1.kiosk.hours.spans()] == [Counter.VISITORS]
    assert _hours_check(g1, entry)[0].ok  # no groups hours on file: held to none


def test_a_closure_reaches_a_counter_fed_by_bundle_files(sqlite_site, tmp_path):
    site = sqlite_site
    g1 = site.kiosk("G1")  # from now on it takes the feed from files only (air-gapped)
    close_day(site.db, Counter.GROUPS, DEMO_DAY, "Public holiday", "office", OFFICE_MORNING)
    export_bundle(site.db, "G1", tmp_path / "g1.bundle", utc_now())
    import_bundle(g1.store, tmp_path / "g1.bundle")
    assert g1.kiosk.hours.closures() == [(Counter.GROUPS, DEMO_DAY, "Public holiday")]
    assert not _hours_check(g1, site.entry("approved_ministerial"))[0].ok


def _kiosk_cli(station, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    data_dir = station.site.tmp / station.kiosk.desk.kiosk_id
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin=stdin)


def test_an_enrolled_kiosk_says_the_hub_sets_its_hours_and_pool_moments(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    add_account(site.db, "Boss", StaffRole.ADMINISTRATOR, "739102", "office", utc_now())
    made = add_hours(
        site.db, Span(Counter.VISITORS, time(8), time(17), weekday=0), "office", utc_now()
    )
    g1.sync()
    listed = _kiosk_cli(g1, "hours", "list")
    assert listed.returncode == 0
    assert f"visitors\tevery mon\t08:00-17:00  (hub no. {made.id})" in listed.stdout
    added = _kiosk_cli(
        g1, "hours", "add", "09:00-10:00", "--weekday", "tue", "--counter", "groups",
        "--admin", "Boss", "--pin-stdin", stdin="739102\n",
    )  # fmt: skip
    assert added.returncode == 1
    assert "kiosk: This kiosk is enrolled: its opening hours and closures are set at the " in (
        added.stderr
    )
    assert "Nothing was changed." in added.stderr
    span = Span(Counter.GROUPS, time(8), time(17), weekday=0)
    with pytest.raises(HoursError) as refused:
        g1.kiosk.hours.add(span, ADMIN)
    assert "enrolled" in refused.value.message_en and "kiosk-hub hours" in refused.value.message_en
    assert "enrôlé" in refused.value.message_fr
    with pytest.raises(HoursError, match="enrolled"):
        g1.kiosk.hours.close_day(Counter.GROUPS, DEMO_DAY, "Holiday", ADMIN)
    start = datetime(2026, 2, 14, 9, tzinfo=BRUSSELS)
    moment = PoolMoment("M1", "DEFMIN", "Photo", start, "Square", start, start + timedelta(1))
    with pytest.raises(PoolError, match="enrolled") as pool_refused:
        g1.kiosk.pool.add_moment(moment, ADMIN)
    assert "enrôlé" in pool_refused.value.message_fr
    assert [s.hub_id for s in g1.kiosk.hours.spans()] == [made.id]
    assert g1.kiosk.pool.moments() == []


def _event(site) -> str:
    return site.entry("approved_ministerial").accreditation.event_id


def test_pool_moments_reach_counters_not_security_posts_and_leave_when_removed(sqlite_site):
    site = sqlite_site
    g1, post = site.kiosk("G1"), site.kiosk("S1", Role.SECURITY)
    start = datetime(2026, 2, 15, 9, 30, tzinfo=BRUSSELS)
    opens = datetime(2026, 2, 14, 9, tzinfo=BRUSSELS)
    moment = PoolMoment("PHOTO", _event(site), "Photo", start, "Public Square", opens, start)
    add_moment(site.db, moment, "office", OFFICE_MORNING)
    g1.sync(), post.sync()
    assert g1.kiosk.pool.moments() == [moment]
    assert post.kiosk.pool.moments() == []
    remove_moment(site.db, "PHOTO", "office", OFFICE_MORNING)
    g1.sync()
    assert g1.kiosk.pool.moments() == []


def test_event_hours_and_moments_pulled_a_row_a_page_come_with_their_event(
    sqlite_hub_db, export_and_entries, tmp_path
):
    db = sqlite_hub_db
    import_data(db, export_and_entries[0], "demo.json", utc_now())
    event = "PRESS-DAY"  # an event no accreditation names (their pages would bring it)
    with db.writing() as s:
        s.add(_event_row(event, allocate(s)))
    day, start = DEMO_DAY, datetime(2026, 2, 14, 9, tzinfo=BRUSSELS)
    add_hours(
        db, Span(Counter.GROUPS, time(8), time(9), day=day, event_id=event), "x", OFFICE_MORNING
    )
    moment = PoolMoment("M1", event, "Photo", start, "Square", start, start + timedelta(hours=2))
    add_moment(db, moment, "office", OFFICE_MORNING)
    with db.writing() as s:  # the event changes after: its number is above theirs now
        s.get(h.EventRow, event).seq = allocate(s)
    store = kiosk_store(db, tmp_path, "G1", Role.COUNTER)
    try:
        pull(db, store, Client("G1", Role.COUNTER), limit=1)
        with store.reading() as s:
            assert [(r.event_id, r.hub_id) for r in s.scalars(select(k.CounterHoursRow))] == [
                (event, 1)
            ]
            assert list(s.scalars(select(k.PoolMomentRow.id))) == ["M1"]
    finally:
        store.close()


def _forge(db: HubDatabase, table, **row) -> None:
    """A row the hub holds without its checks (written by an older or faulty hub)."""
    with db.writing() as s:
        s.add(table(**row, seq=allocate(s)))


def test_malformed_hours_rows_in_a_page_are_left_out_and_the_rest_applies(sqlite_site, caplog):
    site = sqlite_site
    g1 = site.kiosk("G1")
    day = dict(day=DEMO_DAY, weekday=None, event_id=None)
    _forge(site.db, h.CounterHoursRow, counter="groups", opens=time(17), closes=time(8), **day)
    _forge(site.db, h.CounterHoursRow, counter="annex", opens=time(8), closes=time(9), **day)
    unknown = dict(day, event_id="NO-SUCH-EVENT")
    _forge(site.db, h.CounterHoursRow, counter="groups", opens=time(8), closes=time(9), **unknown)
    _forge(site.db, h.CounterClosureRow, counter="groups", day=DEMO_DAY, reason="x" * 201)
    _forge(site.db, h.CounterClosureRow, counter="groups", day=DEMO_DAY.replace(day=15), reason=" ")
    _forge(site.db, h.CounterHoursRow, counter="visitors", opens=time(7), closes=time(19), **day)
    g1.sync()
    refused = sorted(r.getMessage() for r in caplog.records if "refused" in r.getMessage())
    assert refused == [
        "feed row refused: closures 1: A closure needs a reason of at most 200 characters"
        " (e.g. a public holiday).",
        "feed row refused: closures 2: A closure needs a reason of at most 200 characters"
        " (e.g. a public holiday).",
        "feed row refused: counter_hours 1: Opening hours 17:00–08:00 are inverted: the"
        " counter must open before it closes (a span past midnight is two spans, one each"
        " day).",
        "feed row refused: counter_hours 2: unknown counter 'annex'",
        "feed row refused: counter_hours 3: its event_id 'NO-SUCH-EVENT' was refused or is"
        " unknown here",
    ]
    assert [(s.counter, s.opens) for s in g1.kiosk.hours.spans()] == [(Counter.VISITORS, time(7))]
    assert g1.kiosk.hours.closures() == []


def test_the_letter_from_the_hub_states_the_hours_the_counter_enforces(sqlite_site):
    site = sqlite_site
    g1, entry = site.kiosk("G1"), site.entry("approved_ministerial")
    add_hours(site.db, Span(Counter.GROUPS, time(8), time(18), weekday=5), "office", OFFICE_MORNING)
    add_hours(
        site.db, Span(Counter.GROUPS, time(7, 30), time(19), weekday=6), "office", OFFICE_MORNING
    )
    close_day(site.db, Counter.GROUPS, DEMO_DAY + timedelta(1), "Alert", "office", OFFICE_MORNING)
    g1.sync()
    with g1.store.reading() as s:
        from kiosk.store.records import load_case

        case = load_case(s, entry.accreditation.id)
        at_counter = collection_hours(s, Counter.GROUPS, case.event)
    assert "08:00–18:00" in at_counter[0] and "closed" in at_counter[0]
    _, text = pdf_text(letter_pdf(site.db, confirmation_signer(site.db), entry.accreditation.id))
    assert flat(at_counter[0]) in flat(text) and flat(at_counter[1]) in flat(text)


def _event_row(event_id: str, seq: int) -> h.EventRow:
    return h.EventRow(
        id=event_id,
        name="Defence ministers",
        place="HQ",
        at_hq=True,
        first_day=date(2026, 2, 13),
        last_day=date(2026, 2, 15),
        collection_opens=datetime(2026, 2, 12, 8, tzinfo=BRUSSELS),
        collection_closes=datetime(2026, 2, 15, 18, tzinfo=BRUSSELS),
        annual_admitted=True,
        colour="#123456",
        valid_with=[],
        seq=seq,
    )


@pytest.mark.slow  # a dozen commands, each opening the hub's database
def test_kiosk_hub_hours_and_pool_commands(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    db = HubDatabase(url)
    with db.writing() as s:  # an event to hang event hours and moments on
        s.add(_event_row("DEFMIN", 1))
    db.close()

    def run(*argv: str) -> int:
        return hub_main([*argv, "--db", url])

    # The commands run on the wall clock: their days are a month ahead of it.
    ahead = datetime.now(BRUSSELS).date() + timedelta(days=30)
    day, later = ahead.isoformat(), (ahead + timedelta(days=1)).isoformat()
    shown_day, shown_later = f"{ahead:%d.%m.%Y}", f"{ahead + timedelta(days=1):%d.%m.%Y}"

    assert run("hours", "add", "08:00-17:30", "--weekday", "mon", "--counter", "visitors") == 0
    assert "added hours no. 1: visitors every mon 08:00-17:30" in capsys.readouterr().out
    assert run("hours", "add", "09:00-10:00", "--weekday", "mon", "--counter", "visitors") == 1
    assert "overlaps the Visitors counter's hours 08:00–17:30" in capsys.readouterr().err
    assert run("hours", "add", "17:00-08:00", "--day", day, "--counter", "groups") == 1
    assert "inverted" in capsys.readouterr().err
    args = ("07:30-18:00", "--day", day, "--counter", "groups")
    assert run("hours", "add", *args, "--event", "NOPE") == 1
    assert "There is no event 'NOPE' on the hub." in capsys.readouterr().err
    assert run("hours", "add", *args, "--event", "DEFMIN", "--operator", "Chief Dee") == 0
    typo = ahead - timedelta(days=365)  # "2025" typed for "2026"
    today = f"{datetime.now(BRUSSELS):%d.%m.%Y}"
    for past in (
        ("hours", "add", "07:30-18:00", "--day", typo.isoformat(), "--counter", "groups"),
        ("hours", "close", "--day", typo.isoformat(), "--counter", "visitors", "--reason", "X"),
    ):  # refused, naming the day and today; nothing written (the journal below)
        assert run(*past) == 1
        assert f"{typo:%d.%m.%Y} is already past (today is {today})" in capsys.readouterr().err
    xmas = ("--day", later, "--counter", "visitors")
    assert run("hours", "close", *xmas, "--reason", " ") == 1
    assert "needs a reason" in capsys.readouterr().err
    assert run("hours", "close", *xmas, "--reason", "Xmas") == 0
    assert run("hours", "close", *xmas, "--reason", "Xmas") == 1
    assert (
        f"already closed on {shown_later} (Xmas). Nothing was changed." in capsys.readouterr().err
    )
    assert run("hours", "remove", "1", "--counter", "groups") == 1  # no. 1 is visitors'
    assert run("hours", "list") == 0
    out = capsys.readouterr().out
    assert "1\tvisitors\tevery mon\t08:00-17:30" in out
    assert f"2\tgroups\t{shown_day}\t07:30-18:00  event DEFMIN" in out
    assert f"closed\tvisitors\t{shown_later}\tXmas" in out
    assert run("hours", "reopen", *xmas) == 0
    assert run("hours", "remove", "1", "--counter", "visitors") == 0
    capsys.readouterr()
    assert run("hours", "list", "--counter", "visitors") == 0
    assert capsys.readouterr().out == (  # a sentence, not an empty answer
        "no opening hours and no closure on file: the visitors counter is not held to any "
        "hours (kiosk-hub hours add)\n"
    )

    moment = (
        "--event", "DEFMIN", "--name", "Official photo", "--starts", f"{later}T09:30",
        "--place", "Public Square", "--opens", f"{day}T09:00",
    )  # fmt: skip
    assert run("pool", "add-moment", "PHOTO", *moment, "--closes", f"{day}T08:00") == 1
    assert "must open before it closes" in capsys.readouterr().err
    gone = (*moment[:4], "--starts", f"{typo}T09:30", "--place", "Hall")
    gone += ("--opens", f"{typo}T08:00", "--closes", f"{typo}T09:00")
    assert run("pool", "add-moment", "OLD", *gone) == 1
    assert f"closes on {typo:%d.%m.%Y} 09:00, already past" in capsys.readouterr().err
    assert run("pool", "add-moment", "PHOTO", *moment, "--closes", f"{day}T17:00") == 0
    assert f"cards at Public Square, {shown_day} 09:00–17:00" in capsys.readouterr().out
    assert run("pool", "list") == 0
    assert f"PHOTO\tDEFMIN\t{shown_later} 09:30\tOfficial photo" in capsys.readouterr().out
    assert run("pool", "remove", "PHOTO") == 0
    assert run("pool", "remove", "PHOTO") == 1
    with sqlite3.connect(tmp_path / "hub.db") as con:
        actions = con.execute(
            "SELECT action, actor FROM journal WHERE kiosk_id = 'hub' ORDER BY journal_id"
        ).fetchall()
    assert actions == [
        ("hours_add", "office"),
        ("hours_add", "Chief Dee"),
        ("hours_close", "office"),
        ("hours_reopen", "office"),
        ("hours_remove", "office"),
        ("pool_moment", "office"),
        ("pool_moment_remove", "office"),
    ]


def test_a_version_9_hub_gains_the_hours_tables_in_place(tmp_path):
    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 9 hub left it
        for table in ("counter_hours", "counter_closures", "pool_moments"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE hub_meta SET value = '9' WHERE key = 'schema_version'")
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:
        version = con.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (h.SCHEMA_VERSION,) == ("14",)
        for table in ("counter_hours", "counter_closures", "pool_moments"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_closure_refusals_name_the_counter_and_the_reason_in_each_language(sqlite_hub_db):
    # French pages read "Le guichet visitors est déjà fermé … (Strike)": the counter by its
    # code, the office's English reason where it had given a French one.
    db, day = sqlite_hub_db, DEMO_DAY + timedelta(days=1)
    close_day(db, Counter.VISITORS, day, "Strike", "office", OFFICE_MORNING, "Grève")
    with pytest.raises(HoursError) as twice:
        close_day(db, Counter.VISITORS, day, "Strike", "office", OFFICE_MORNING, "Grève")
    assert (
        twice.value.message_en
        == f"The Visitors counter is already closed on {day:%d.%m.%Y} (Strike)."
    )
    assert (
        twice.value.message_fr == f"Le guichet Visiteurs est déjà fermé le {day:%d.%m.%Y} (Grève)."
    )
    with pytest.raises(HoursError) as open_already:
        reopen_day(db, Counter.GROUPS, day, "office", OFFICE_MORNING)
    assert open_already.value.message_fr == f"Le guichet Groupes n'est pas fermé le {day:%d.%m.%Y}."
