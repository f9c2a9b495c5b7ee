"""A day's figures from the badges and the journal, after a morning of real counter work
on the demo world (issues, a reprint, refusals, a redirect, a failed print, a batch)."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from app.cli import main
from app.wiring import open_kiosk, read_mrz
from kiosk.model import BRUSSELS, BadgeStatus, Counter, Verdict
from kiosk.overview import (
    day_overview,
    failed_prints,
    handovers,
    list_events,
    preprinted_queue,
    summary_text,
    write_csv,
)
from kiosk.roles import Actor, Role
from kiosk.store.database import Store

DAY = date(2026, 2, 14)
CLERK = Actor("clara", Role.CLERK)
SUPERVISOR = Actor("sam", Role.SUPERVISOR)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime.combine(DAY, time(9, 0), tzinfo=BRUSSELS)

    def at(self, hh: int, mm: int) -> None:
        self.now = datetime.combine(DAY, time(hh, mm), tzinfo=BRUSSELS)

    def __call__(self) -> datetime:
        return self.now


def _applicant(manifest: dict, acc_id: int) -> tuple[str, object]:
    a = next(a for a in manifest["applicants"] if a["accreditation_id"] == acc_id)
    return a["code"], read_mrz(a["mrz"])


def _handed_over(kiosk, manifest, acc_id, clerk=CLERK, supervisor=None, reason="") -> str:
    code, reading = _applicant(manifest, acc_id)
    done = kiosk.desk.issue(code, reading, clerk, supervisor, reason)
    job = kiosk.desk.prints.print_sent(done.badge.serial, "folder", f"job-{acc_id}", clerk)
    kiosk.desk.prints.print_done(job.id, clerk)
    return done.badge.serial


def _look(kiosk, manifest, acc_id) -> None:
    code, reading = _applicant(manifest, acc_id)
    kiosk.desk.record(kiosk.desk.evaluate(code, reading), CLERK)


@pytest.fixture
def busy_day(demo_dir: Path, manifest: dict) -> Path:
    """The demo world after a morning at both counters (besides the demo's own badge for
    A0000009, handed over at 08:30)."""
    clock = Clock()
    groups = open_kiosk(demo_dir, Counter.GROUPS, clock=clock)
    visitors = open_kiosk(demo_dir, Counter.VISITORS, clock=clock)
    try:
        clock.at(9, 10)
        _handed_over(groups, manifest, 1)
        clock.at(9, 40)
        _handed_over(groups, manifest, 10)
        clock.at(9, 50)
        _handed_over(visitors, manifest, 2)
        clock.at(10, 5)
        _handed_over(groups, manifest, 11)
        clock.at(10, 20)
        for _ in range(2):  # the same pending applicant scanned twice: one refusal
            _look(groups, manifest, 3)
        _look(groups, manifest, 6)  # another ID document: a supervisor is needed
        _look(groups, manifest, 17)  # annual holder at Groups: sent to Visitors
        clock.at(10, 30)
        code, reading = _applicant(manifest, 12)
        failed = groups.desk.issue(code, reading, CLERK).badge.serial
        groups.desk.prints.print_failed(
            failed, "Printer folder is out of cards.", CLERK, None, "folder"
        )
        clock.at(11, 0)  # A0000001 lost the badge: a reprint supersedes it
        _handed_over(groups, manifest, 1, CLERK, SUPERVISOR, "lost")
        clock.at(11, 15)
        for acc_id in (24, 25):
            badge = groups.desk.prints.preprint(acc_id, SUPERVISOR, "DEFMIN@test")
            job = groups.desk.prints.print_sent(
                badge.serial, "folder", "b", SUPERVISOR, "DEFMIN@test"
            )
            groups.desk.prints.print_done(job.id, SUPERVISOR)
    finally:
        groups.close()
        visitors.close()
    return demo_dir


@pytest.fixture
def store(busy_day: Path):
    s = Store.in_dir(busy_day)
    yield s
    s.close()


def test_badges_handed_over_per_hour_and_counter(store):
    o = day_overview(store, DAY, BRUSSELS)
    assert o.per_hour() == {
        8: {Counter.GROUPS: 1},  # the demo's badge, 08:30
        9: {Counter.GROUPS: 2, Counter.VISITORS: 1},
        10: {Counter.GROUPS: 1},
        11: {Counter.GROUPS: 1},  # the reprint
    }
    assert o.issued_at(Counter.GROUPS) == 5
    assert o.issued_at(Counter.VISITORS) == 1
    assert o.issued_total == 6  # the superseded badge was handed over too: it counts


def test_badges_handed_over_per_event(store):
    o = day_overview(store, DAY, BRUSSELS)
    assert o.by_event == (("DEFMIN", 5), ("annual 2026", 1))
    assert "  by event: DEFMIN 5, annual 2026 1" in summary_text(o)


def test_hours_are_local_time(store):
    in_utc = day_overview(store, DAY, UTC)  # Brussels is UTC+1 in February
    assert in_utc.per_hour() == {
        7: {Counter.GROUPS: 1},
        8: {Counter.GROUPS: 2, Counter.VISITORS: 1},
        9: {Counter.GROUPS: 1},
        10: {Counter.GROUPS: 1},
    }


def test_queue_of_preprinted_cards(store):
    o = day_overview(store, DAY)
    surnames = [b.surname for b in o.queue]
    assert surnames == sorted(surnames)  # as the cards sit in the drawer
    assert {b.registration for b in o.queue} == {"A0000024", "A0000025"}
    assert all(b.status is BadgeStatus.PREPRINTED for b in o.queue)
    assert o.queue == tuple(preprinted_queue(store))


def test_refusals_counted_once_per_applicant_under_the_deciding_check(store):
    o = day_overview(store, DAY)
    by_check = {(r.check, r.verdict): r.count for r in o.refusals}
    assert by_check == {("status", Verdict.REFUSE): 1, ("id_number", Verdict.SUPERVISOR): 1}
    assert o.refused_total == 2
    assert o.redirects == 1
    status = next(r for r in o.refusals if r.check == "status")
    assert status.label_en.startswith("Not approved") and status.label_fr.startswith("Non")


def test_print_failures_of_the_day_and_badges_still_waiting(store):
    o = day_overview(store, DAY)
    (failure,) = o.print_failures
    assert failure.printer == "folder"
    assert "out of cards" in failure.reason
    assert failure.at.hour == 10
    (waiting,) = o.failed_now
    assert waiting.serial == failure.serial and waiting.registration == "A0000012"
    assert failed_prints(store)[0].message.startswith("Printer folder is out of cards")


def test_the_day_before_holds_only_the_demos_badge_life_cases(store):
    # app/demo: two badges handed over the afternoon before, one lost, one returned since.
    o = day_overview(store, date(2026, 2, 13))
    assert o.per_hour() == {16: {Counter.GROUPS: 1, Counter.VISITORS: 1}}
    assert o.life == {"lost": 1, "returned": 1}
    assert o.refusals == () and o.print_failures == ()
    assert o.redirects == 0 and o.applicants == 0
    assert len(o.queue) == 2  # the drawer does not empty overnight


def test_handovers_of_the_day_latest_first(store):
    lines = handovers(store, DAY)
    assert [b.registration for b in lines][:2] == ["A0000001", "A0000011"]  # 11:00, 10:05
    assert all(b.status is BadgeStatus.ACTIVE for b in lines)
    assert "A0000009" in {b.registration for b in lines}
    assert handovers(store, date(2026, 2, 15)) == []


def test_events_listed_soonest_first(store):
    events = list_events(store)
    assert {"DEFMIN", "FORMIN"} <= {e.id for e in events}
    assert [e.first_day for e in events] == sorted(e.first_day for e in events)


def _blocks(path: Path) -> dict[str, list[list[str]]]:
    blocks: dict[str, list[list[str]]] = {}
    title = None
    for row in csv.reader(path.open(encoding="utf-8")):
        if not row:
            title = None
        elif title is None:
            title = row[0]
            blocks[title] = []
        else:
            blocks[title].append(row)
    return blocks


def test_csv_export_reads_back(store, tmp_path):
    path = write_csv(day_overview(store, DAY), tmp_path / "day.csv")
    blocks = _blocks(path)
    hours = blocks["Badges handed over on 2026-02-14, per hour"]
    assert hours[0] == ["hour", "groups", "visitors", "total"]
    assert ["09:00", "2", "1", "3"] in hours
    assert hours[-1] == ["total", "5", "1", "6"]
    refusals = blocks["Refusals at this kiosk, by reason"]
    assert ["status", "Not approved (pending, denied, revoked)", "refuse", "1"] in refusals
    assert ["redirect", "Sent to the other counter", "redirect", "1"] in refusals
    queue = blocks["Pre-printed badges not handed over"]
    assert {row[1] for row in queue[1:]} == {"A0000024", "A0000025"}
    failures = blocks["Print failures at this kiosk"]
    assert len(failures) == 2 and "out of cards" in failures[1][3]


def test_cli_prints_the_figures_and_writes_csv(busy_day, tmp_path, capsys):
    out = tmp_path / "o.csv"
    assert (
        main(["overview", "--data-dir", str(busy_day), "--day", "2026-02-14", "--csv", str(out)])
        == 0
    )
    text = capsys.readouterr().out
    assert "6 badges handed over (groups 5, visitors 1)" in text
    assert "pre-printed, waiting: 2" in text
    assert out.exists()


def test_cli_refuses_a_bad_day(busy_day):
    with pytest.raises(SystemExit, match=r"--day: '14/02' is not a day from 2000 to 2099"):
        main(["overview", "--data-dir", str(busy_day), "--day", "14/02"])


def test_one_badge_is_one_badge_in_the_summary(demo_dir):
    """The command line printed "1 badges handed over"."""
    s = Store.in_dir(demo_dir)
    try:
        text = summary_text(day_overview(s, date(2026, 2, 14), BRUSSELS))
    finally:
        s.close()
    assert text.startswith("2026-02-14: 1 badge handed over (groups 1, visitors 0)")
