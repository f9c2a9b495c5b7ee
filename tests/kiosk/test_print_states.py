"""Print states of a badge: printing, printed (active), print failed, pre-printed, handed over.

Every transition is checked with its journal entry; a badge is never issued twice and
never lost.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.wiring import read_mrz
from kiosk import rules
from kiosk.counter import CounterDesk, NotIssued, load_keyring
from kiosk.model import BadgeStatus, Counter, PrintPurpose, Verdict
from kiosk.print_states import NotPreprinted, PrintStateError
from kiosk.roles import Actor, Role
from kiosk.store.database import Store
from kiosk.store.records import load_case
from kiosk.store.schema import BadgeRow, JournalRow, PrintJobRow

ANN, BOB = Actor("ann", Role.CLERK), Actor("bob", Role.CLERK)
SUE, NIGHT = Actor("sue", Role.SUPERVISOR), Actor("night shift", Role.SUPERVISOR)


@pytest.fixture
def desk(demo_dir, demo_now):
    store = Store.in_dir(demo_dir)
    yield CounterDesk(store, load_keyring(store), "G7", Counter.GROUPS, lambda: demo_now)
    store.close()


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def scan(desk: CounterDesk, a: dict):
    return a["code"], read_mrz(a["mrz"])


def journal(desk: CounterDesk) -> list[tuple[str, str | None, dict]]:
    with desk.store.reading() as s:
        rows = s.execute(select(JournalRow.action, JournalRow.badge_serial, JournalRow.details))
        return [tuple(r) for r in rows]


def badges_of(desk: CounterDesk, accreditation_id: int) -> dict[str, str]:
    with desk.store.reading() as s:
        rows = s.execute(
            select(BadgeRow.serial, BadgeRow.status).where(
                BadgeRow.accreditation_id == accreditation_id
            )
        )
        return dict(rows.all())


def test_issue_prints_then_the_finished_job_makes_the_badge_active(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    done = desk.issue(*scan(desk, a), ANN)
    serial = done.badge.serial
    assert done.badge.status is BadgeStatus.PRINTING and not done.handed_over
    assert journal(desk)[-1][:2] == ("issue", serial)

    job = desk.prints.print_sent(serial, "CardPrinter1", "CardPrinter1-7", ANN)
    assert (job.state, job.purpose, job.job_ref) == ("sent", PrintPurpose.COUNTER, "CardPrinter1-7")
    action, logged_serial, details = journal(desk)[-1]
    assert (action, logged_serial, details["printer"]) == ("print_sent", serial, "CardPrinter1")
    assert desk.prints.open_jobs() == [job]

    badge = desk.prints.print_done(job.id, ANN)
    assert badge.status is BadgeStatus.ACTIVE
    assert journal(desk)[-1][:2] == ("printed", serial)
    assert desk.prints.open_jobs() == []
    assert [j.state for j in desk.prints.jobs(serial)] == ["completed"]


def test_a_badge_being_printed_counts_as_issued(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    first = desk.issue(*scan(desk, a), ANN)
    decision = desk.evaluate(*scan(desk, a))
    assert decision.verdict is Verdict.SUPERVISOR
    assert "is being printed" in decision.headline_en
    assert "en cours d'impression" in decision.headline_fr
    with pytest.raises(NotIssued):
        desk.issue(*scan(desk, a), BOB)
    assert badges_of(desk, a["accreditation_id"]) == {first.badge.serial: "printing"}

    reprint = desk.issue(*scan(desk, a), BOB, supervisor=SUE, reason="jammed card")
    assert reprint.superseded == (first.badge.serial,)
    assert badges_of(desk, a["accreditation_id"]) == {
        first.badge.serial: "superseded",
        reprint.badge.serial: "printing",
    }


def test_a_failed_print_is_retried_under_the_same_serial_never_issued_twice(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    serial = desk.issue(*scan(desk, a), ANN).badge.serial
    job = desk.prints.print_sent(serial, "CardPrinter1", "CardPrinter1-8", ANN)
    failed = desk.prints.print_failed(serial, "Printer CardPrinter1 has stopped", ANN, job.id)
    assert failed.status is BadgeStatus.PRINT_FAILED
    action, _, details = journal(desk)[-1]
    assert (action, details["reason"], details["job"]) == (
        "print_failed",
        "Printer CardPrinter1 has stopped",
        "CardPrinter1-8",
    )
    assert [(j.state, j.message) for j in desk.prints.jobs(serial)] == [
        ("failed", "Printer CardPrinter1 has stopped")
    ]

    # Scanned again (the applicant came back): the failed badge is printed again.
    decision = desk.evaluate(*scan(desk, a))
    assert decision.verdict is Verdict.ISSUE
    assert (
        f"Badge {serial} failed to print"
        in next(c for c in decision.checks if c.name == "badge").reason_en
    )
    again = desk.issue(*scan(desk, a), BOB)
    assert (again.badge.serial, again.badge.status, again.badge.clerk) == (
        serial,
        BadgeStatus.PRINTING,
        "bob",
    )
    assert journal(desk)[-1][:2] == ("print_retry", serial)
    assert badges_of(desk, a["accreditation_id"]) == {serial: "printing"}

    # Or the clerk retries on another printer without scanning again.
    job2 = desk.prints.print_sent(serial, "CardPrinter2", "CardPrinter2-1", BOB)
    desk.prints.print_failed(serial, "cancelled", BOB, job2.id)
    assert desk.prints.retry_print(serial, BOB).status is BadgeStatus.PRINTING
    job3 = desk.prints.print_sent(serial, "folder", "/tmp/x.pdf", BOB)
    assert desk.prints.print_done(job3.id, BOB).status is BadgeStatus.ACTIVE
    assert [j.printer for j in desk.prints.jobs(serial)] == [
        "CardPrinter1",
        "CardPrinter2",
        "folder",
    ]
    assert badges_of(desk, a["accreditation_id"]) == {serial: "active"}


def test_a_failure_before_any_job_is_recorded_as_a_failed_attempt(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    serial = desk.issue(*scan(desk, a), ANN).badge.serial
    desk.prints.print_failed(serial, "Printer Q no longer exists", ANN, printer="Q")
    assert [(j.printer, j.state, j.job_ref) for j in desk.prints.jobs(serial)] == [
        ("Q", "failed", None)
    ]
    assert desk.prints.failed_badges("DEFMIN")[0].serial == serial


def test_transitions_from_the_wrong_state_change_nothing(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    serial = desk.issue(*scan(desk, a), ANN).badge.serial
    job = desk.prints.print_sent(serial, "folder", "f.pdf", ANN)
    desk.prints.print_done(job.id, ANN)
    before = journal(desk)
    with pytest.raises(PrintStateError, match="is active, not print_failed"):
        desk.prints.retry_print(serial, ANN)
    with pytest.raises(PrintStateError, match="is completed, not sent"):
        desk.prints.print_done(job.id, ANN)
    with pytest.raises(PrintStateError, match="is active, not printing"):
        desk.prints.print_failed(serial, "x", ANN)
    with pytest.raises(PrintStateError, match="no badge"):
        desk.prints.print_sent("G7-999999", "folder", "f.pdf", ANN)
    assert journal(desk) == before
    assert badges_of(desk, a["accreditation_id"]) == {serial: "active"}


def test_a_kiosk_that_stopped_mid_way_finds_its_unfinished_badges(desk, manifest):
    first = desk.issue(*scan(desk, applicant(manifest, "approved_ministerial")), ANN)
    second = desk.issue(*scan(desk, applicant(manifest, "editor_letter")), ANN)
    job = desk.prints.print_sent(second.badge.serial, "Q", "Q-3", ANN)
    assert desk.prints.unsent() == [first.badge.serial]
    assert desk.prints.open_jobs() == [job]


def test_preprinting_then_handing_over_at_the_counter(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    ids = desk.prints.preprintable("DEFMIN")
    assert a["accreditation_id"] in ids
    for situation in ("pending", "revoked", "no_photo", "badge_already_issued", "no_proof"):
        assert applicant(manifest, situation)["accreditation_id"] not in ids, situation
    assert applicant(manifest, "annual_holder_at_groups")["accreditation_id"] not in ids

    badge = desk.prints.preprint(a["accreditation_id"], NIGHT, "DEFMIN@1")
    assert badge.status is BadgeStatus.PRINTING
    job = desk.prints.print_sent(badge.serial, "folder", "f.pdf", NIGHT, batch="DEFMIN@1")
    assert job.purpose is PrintPurpose.BATCH
    assert desk.prints.print_done(job.id, NIGHT).status is BadgeStatus.PREPRINTED
    assert [x[0] for x in journal(desk)[-3:]] == ["preprint", "print_sent", "preprinted"]
    assert a["accreditation_id"] not in desk.prints.preprintable("DEFMIN")
    with pytest.raises(NotPreprinted, match="already waiting"):
        desk.prints.preprint(a["accreditation_id"], NIGHT, "DEFMIN@2")

    # Next morning: the counter runs every rule, then hands the card over.
    assert desk.evaluate(a["code"]).verdict is Verdict.INCOMPLETE  # still needs the ID
    decision = desk.evaluate(*scan(desk, a))
    assert decision.verdict is Verdict.ISSUE
    assert "pre-printed: hand it over" in decision.checks[-1].reason_en
    done = desk.issue(*scan(desk, a), ANN)
    assert done.handed_over
    assert (done.badge.serial, done.badge.status, done.badge.clerk) == (
        badge.serial,
        BadgeStatus.ACTIVE,
        "ann",
    )
    assert done.badge.issued_at == desk.clock()
    assert journal(desk)[-1][:2] == ("handover", badge.serial)
    assert badges_of(desk, a["accreditation_id"]) == {badge.serial: "active"}

    # Handed over, it counts as issued: no second badge without a supervisor.
    with pytest.raises(NotIssued, match="supervisor"):
        desk.issue(*scan(desk, a), BOB)


def test_a_preprinted_card_of_someone_refused_at_the_counter_stays_in_the_drawer(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    badge = desk.prints.preprint(a["accreditation_id"], NIGHT, "DEFMIN@1")
    desk.prints.print_done(
        desk.prints.print_sent(badge.serial, "folder", "f", NIGHT, batch="B").id, NIGHT
    )
    stranger = applicant(manifest, "impostor_document")
    with pytest.raises(NotIssued):
        desk.issue(a["code"], read_mrz(stranger["mrz"]), ANN)
    assert badges_of(desk, a["accreditation_id"]) == {badge.serial: "preprinted"}


def test_every_print_transition_is_journalled_in_its_own_transaction(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    serial = desk.issue(*scan(desk, a), ANN).badge.serial
    job = desk.prints.print_sent(serial, "folder", "f.pdf", ANN)
    desk.prints.print_failed(serial, "boom", ANN, job.id)
    desk.prints.retry_print(serial, ANN)
    desk.prints.print_done(desk.prints.print_sent(serial, "folder", "g.pdf", ANN).id, ANN)
    with desk.store.reading() as s:
        entries = s.execute(
            select(JournalRow.action, JournalRow.accreditation_id, JournalRow.verdict).where(
                JournalRow.badge_serial == serial
            )
        ).all()
        jobs = s.scalar(
            select(func.count()).select_from(PrintJobRow).where(PrintJobRow.badge_serial == serial)
        )
    assert [e[0] for e in entries] == [
        "issue",
        "print_sent",
        "print_failed",
        "print_retry",
        "print_sent",
        "printed",
    ]
    assert {e[1] for e in entries} == {a["accreditation_id"]}
    assert jobs == 2


def test_rule_preprinted_and_failed_badges_do_not_count_as_issued(desk, manifest):
    """The rule itself, on plain values (check_no_badge's docstring states it)."""
    a = applicant(manifest, "approved_ministerial")
    with desk.store.reading() as s:
        case = load_case(s, a["accreditation_id"])
    badge = desk.prints.preprint(a["accreditation_id"], NIGHT, "B")
    printing = replace(badge, status=BadgeStatus.PRINTING)
    preprinted = replace(badge, status=BadgeStatus.PREPRINTED)
    failed = replace(badge, status=BadgeStatus.PRINT_FAILED)
    active = replace(badge, status=BadgeStatus.ACTIVE)

    assert rules.check_no_badge(replace(case, waiting_badges=(preprinted,))).ok
    assert rules.check_no_badge(replace(case, waiting_badges=(failed,))).ok
    busy = rules.check_no_badge(replace(case, active_badges=(printing,)))
    assert (busy.ok, busy.on_fail) == (False, Verdict.SUPERVISOR)
    assert not rules.check_no_badge(replace(case, active_badges=(active,))).ok
    assert [c.name for c in rules.check_preprint(replace(case, waiting_badges=(preprinted,)))] == [
        "badge"
    ]
    assert rules.check_preprint(case) == []
