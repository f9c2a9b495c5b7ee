"""The counter desk's roles, undoing a hand-over, and applicants found by search.

Roles are enforced by the desk itself: a refused action raises AccessDenied and leaves
the store exactly as it was (no badge, no journal entry).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.wiring import read_mrz
from kiosk.codes import BadgeClaim, Keyring, Signer, badge_code, confirmation_code, split_serial
from kiosk.counter import REASON_MAX, CounterDesk, NotIssued, UndoRefused, load_keyring
from kiosk.model import BadgeStatus, Counter, Flow, Verdict
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.store.database import Store
from kiosk.store.schema import BadgeRow, JournalRow, PrintJobRow
from kiosk.verify import verify_badge

ANN = Actor("ann", Role.CLERK)
SUE = Actor("sue", Role.SUPERVISOR)
SAM = Actor("sam", Role.SECURITY)
ADA = Actor("ada", Role.ADMINISTRATOR)


@pytest.fixture
def desk(demo_dir, demo_now):
    store = Store.in_dir(demo_dir)
    yield CounterDesk(store, load_keyring(store), "G7", Counter.GROUPS, lambda: demo_now)
    store.close()


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def scan(a: dict):
    return a["code"], read_mrz(a["mrz"])


def snapshot(desk: CounterDesk) -> tuple[list, list, list]:
    """Everything an action could change: badges, print jobs, journal."""
    with desk.store.reading() as s:
        badges = s.execute(select(BadgeRow.serial, BadgeRow.status)).all()
        jobs = s.execute(select(PrintJobRow.id, PrintJobRow.state)).all()
        journal = s.execute(select(JournalRow.id, JournalRow.action)).all()
    return badges, jobs, journal


def last_entry(desk: CounterDesk) -> JournalRow:
    with desk.store.reading() as s:
        return s.scalar(select(JournalRow).order_by(JournalRow.id.desc()).limit(1))


# --- Roles -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", [SAM, ADA], ids=["security", "administrator"])
def test_only_counter_staff_issue(desk, manifest, who):
    a = applicant(manifest, "approved_ministerial")
    before = snapshot(desk)
    with pytest.raises(AccessDenied) as err:
        desk.issue(*scan(a), who)
    assert who.role.value in err.value.message_en and err.value.message_fr
    assert snapshot(desk) == before


def test_a_clerk_cannot_override_even_with_a_reason(desk, manifest):
    a = applicant(manifest, "badge_already_issued")
    before = snapshot(desk)
    with pytest.raises(AccessDenied):
        desk.issue(*scan(a), ANN, Actor("bob", Role.CLERK), "lost")
    with pytest.raises(AccessDenied):
        desk.issue(*scan(a), ANN, ADA, "lost")
    assert snapshot(desk) == before


def test_a_reason_longer_than_the_hub_accepts_is_refused_at_the_desk(desk, manifest):
    # The hub refuses a delivery with a longer reason; accepted here, it would stop this
    # kiosk's outbox. Refused here, it changes nothing.
    a = applicant(manifest, "badge_already_issued")
    before = snapshot(desk)
    with pytest.raises(NotIssued, match=f"at most {REASON_MAX} characters"):
        desk.issue(*scan(a), ANN, SUE, "x" * (REASON_MAX + 1))
    assert snapshot(desk)[:2] == before[:2]  # no badge, no print job
    assert desk.issue(*scan(a), ANN, SUE, "x" * REASON_MAX).badge.reason == "x" * REASON_MAX


def test_a_supervisor_overrides_and_both_names_and_roles_are_journalled(desk, manifest):
    a = applicant(manifest, "badge_already_issued")
    done = desk.issue(*scan(a), ANN, SUE, "badge lost")
    assert (done.badge.clerk, done.badge.supervisor, done.badge.reason) == (
        "ann",
        "sue",
        "badge lost",
    )
    entry = last_entry(desk)
    assert (entry.actor, entry.action) == ("ann", "reprint")
    assert entry.details["role"] == "clerk" and entry.details["supervisor"] == "sue"


def test_security_may_not_record_a_counter_decision(desk, manifest):
    decision = desk.evaluate(*scan(applicant(manifest, "approved_ministerial")))
    before = snapshot(desk)
    with pytest.raises(AccessDenied):
        desk.record(decision, SAM)
    assert snapshot(desk) == before
    desk.record(decision, ANN)
    assert last_entry(desk).details["role"] == "clerk"


def test_print_steps_need_the_right_role(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    serial = desk.issue(*scan(a), ANN).badge.serial
    before = snapshot(desk)
    with pytest.raises(AccessDenied):
        desk.prints.print_sent(serial, "folder", "f.pdf", ADA)  # a counter's job: issuing
    with pytest.raises(AccessDenied):
        desk.prints.print_failed(serial, "jam", SAM)
    assert snapshot(desk) == before
    job = desk.prints.print_sent(serial, "folder", "f.pdf", ANN)
    with pytest.raises(AccessDenied):
        desk.prints.print_done(job.id, ADA)
    assert desk.prints.print_done(job.id, ANN).status is BadgeStatus.ACTIVE


def test_pre_printing_is_for_supervisors_and_administrators(desk, manifest):
    a = applicant(manifest, "editor_letter")
    before = snapshot(desk)
    with pytest.raises(AccessDenied):
        desk.prints.preprint(a["accreditation_id"], ANN, "B1")
    assert snapshot(desk) == before
    badge = desk.prints.preprint(a["accreditation_id"], ADA, "B1")
    job = desk.prints.print_sent(badge.serial, "folder", "f.pdf", ADA, batch="B1")
    assert desk.prints.print_done(job.id, ADA).status is BadgeStatus.PREPRINTED
    assert last_entry(desk).details["role"] == "administrator"


# --- Undoing a hand-over ---------------------------------------------------------------


def active_badge(desk: CounterDesk, a: dict) -> str:
    serial = desk.issue(*scan(a), ANN).badge.serial
    desk.prints.print_done(desk.prints.print_sent(serial, "folder", "f.pdf", ANN).id, ANN)
    return serial


def test_undo_handover_puts_the_badge_back_in_the_drawer(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    serial = active_badge(desk, a)
    badge = desk.undo_handover(serial, SUE, "  handed to the wrong person  ")
    assert badge.status is BadgeStatus.PREPRINTED
    entry = last_entry(desk)
    assert (entry.actor, entry.action, entry.badge_serial) == ("sue", "undo_handover", serial)
    assert entry.details["reason"] == "handed to the wrong person"
    assert entry.details["handed_over_by"] == "ann" and entry.details["role"] == "supervisor"
    with desk.store.reading() as s:
        assert desk.store.journal.verify(s)[1] is None

    # The card is not valid while it waits; the applicant gets it after every check.
    decision = desk.evaluate(*scan(a))
    assert decision.verdict is Verdict.ISSUE
    assert "pre-printed" in next(c.reason_en for c in decision.checks if c.name == "badge")
    again = desk.issue(*scan(a), ANN)
    assert again.handed_over and again.badge.serial == serial
    assert again.badge.status is BadgeStatus.ACTIVE


def test_an_undone_badge_is_refused_by_security(desk, manifest, demo_now):
    a = applicant(manifest, "approved_ministerial")
    serial = active_badge(desk, a)
    badge = desk.undo_handover(serial, SUE, "wrong person")
    kiosk_id, seq = split_serial(serial)
    claim = BadgeClaim(
        badge.accreditation_id,
        kiosk_id,
        seq,
        badge.valid_from,
        badge.valid_until,
        Flow.EVENT,
        badge.counter,
        a["event"],
    )
    signer = Signer.generate(99)
    with desk.store.reading() as s:
        verdict = verify_badge(
            badge_code(signer, claim),
            Keyring({99: signer.public_bytes()}, {99: kiosk_id}),
            s,
            demo_now,
        )
    assert (verdict.valid, verdict.reason) == (False, "not_handed_over")


@pytest.mark.parametrize("who", [ANN, SAM, ADA], ids=["clerk", "security", "administrator"])
def test_only_a_supervisor_undoes_a_handover(desk, manifest, who):
    serial = active_badge(desk, applicant(manifest, "approved_ministerial"))
    before = snapshot(desk)
    with pytest.raises(AccessDenied):
        desk.undo_handover(serial, who, "wrong person")
    assert snapshot(desk) == before


def test_undo_refused_without_a_reason_or_for_a_badge_not_handed_over(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    printing = desk.issue(*scan(a), ANN).badge.serial
    before = snapshot(desk)
    for serial, reason, words in [
        (printing, "wrong person", "is printing"),
        ("G7-999999", "wrong person", "does not exist"),
        (printing, "   ", "written reason"),
        (printing, "x" * (REASON_MAX + 1), f"at most {REASON_MAX} characters"),
    ]:
        with pytest.raises(UndoRefused) as err:
            desk.undo_handover(serial, SUE, reason)
        assert words in err.value.message_en and err.value.message_fr
    assert snapshot(desk) == before


# --- Found by search: no printout ------------------------------------------------------


def test_found_by_search_waits_for_the_id_document_then_issues(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    waiting = desk.evaluate(a["accreditation_id"])
    assert waiting.verdict is Verdict.INCOMPLETE
    first = waiting.failures[0]
    assert first.name == "code"
    assert first.reason_en.startswith("No printout: found by search; identity by the ID document")
    assert first.reason_fr.startswith("Pas de convocation imprimée : trouvé par recherche")

    reading = read_mrz(a["mrz"])
    decided = desk.evaluate(a["accreditation_id"], reading)
    assert decided.verdict is Verdict.ISSUE
    assert next(c for c in decided.checks if c.name == "code").ok

    done = desk.issue(a["accreditation_id"], reading, ANN)
    assert done.badge.accreditation_id == a["accreditation_id"]
    entry = last_entry(desk)
    assert (entry.action, entry.details["found_by_search"]) == ("issue", True)


def test_found_by_search_without_the_id_document_issues_nothing(desk, manifest):
    a = applicant(manifest, "approved_ministerial")
    with pytest.raises(NotIssued) as err:
        desk.issue(a["accreditation_id"], None, ANN)
    assert err.value.decision.verdict is Verdict.INCOMPLETE
    assert desk.evaluate(a["accreditation_id"], None).case.active_badges == ()


def test_found_by_search_with_another_document_is_refused_even_for_a_supervisor(desk, manifest):
    a = applicant(manifest, "wrong_id_document")  # with the printout: a supervisor may accept
    assert desk.evaluate(*scan(a)).verdict is Verdict.SUPERVISOR
    reading = read_mrz(a["mrz"])
    decision = desk.evaluate(a["accreditation_id"], reading)
    assert decision.verdict is Verdict.REFUSE
    assert decision.failures[0].name == "code" and "printout" in decision.headline_en
    number = next(c for c in decision.checks if c.name == "id_number")  # said "or a supervisor"
    assert "supervisor" not in number.reason_en and "superviseur" not in number.reason_fr
    assert number.reason_en.endswith("ask for that document.")
    before = snapshot(desk)
    with pytest.raises(NotIssued):
        desk.issue(a["accreditation_id"], reading, ANN, SUE, "knows her")
    badges, jobs, journal = snapshot(desk)
    assert (badges, jobs) == before[:2] and [e[1] for e in journal[len(before[2]) :]] == ["refusal"]


def test_found_by_search_keeps_the_other_rules(desk, manifest):
    unsigned = applicant(manifest, "unsigned_letter")
    decision = desk.evaluate(unsigned["accreditation_id"], read_mrz(unsigned["mrz"]))
    assert decision.verdict is Verdict.SUPERVISOR  # the letter, not the identity
    done = desk.issue(unsigned["accreditation_id"], read_mrz(unsigned["mrz"]), ANN, SUE, "seen")
    assert done.badge.supervisor == "sue"
    revoked = applicant(manifest, "revoked")
    assert desk.evaluate(revoked["accreditation_id"], read_mrz(revoked["mrz"])).verdict is (
        Verdict.REFUSE
    )


def test_an_id_not_on_this_counter_is_refused(desk):
    decision = desk.evaluate(9_999_999)
    assert decision.verdict is Verdict.REFUSE and decision.case is None
    assert "A9999999" in decision.headline_en and "A9999999" in decision.headline_fr


@pytest.mark.parametrize("letters", [2, 40, 100, 139])
def test_a_code_cut_short_asks_for_the_scan_again_and_issues_nothing(desk, manifest, letters):
    """A scanner's burst cut short read REFUSE at `kiosk check` and `issue` while the
    counter screen asked to scan again: the desk now answers the same to both."""
    code, reading = scan(applicant(manifest, "approved_ministerial"))
    decision = desk.evaluate(code[:letters], reading)
    assert decision.verdict is Verdict.INCOMPLETE and decision.case is None
    assert decision.headline_en == "The code was read only in part: scan it again."
    assert decision.headline_fr == "Le code n'a été lu qu'en partie : le scanner à nouveau."
    with pytest.raises(NotIssued, match="read only in part"):
        desk.issue(code[:letters], reading, ANN)
    assert desk.evaluate(code, reading).verdict is Verdict.ISSUE  # scanned again, whole


def test_a_forged_code_whole_or_altered_is_still_refused(desk, manifest):
    code, reading = scan(applicant(manifest, "approved_ministerial"))
    forged = confirmation_code(
        Signer.generate(1), applicant(manifest, "revoked")["accreditation_id"]
    )
    altered = code[:60] + ("B" if code[60] != "B" else "C") + code[61:]
    for text in (forged, altered, code + "BC", "BDFGH"):
        decision = desk.evaluate(text, reading)
        assert decision.verdict is Verdict.REFUSE and decision.case is None, text


def test_a_clerk_cannot_retry_a_pre_printed_card_as_a_counter_card(desk, manifest):
    a = applicant(manifest, "editor_letter")
    serial = desk.prints.preprint(a["accreditation_id"], SUE, "B1").serial
    desk.prints.print_failed(serial, "jam", SUE, printer="Q", batch="B1")
    before = snapshot(desk)
    with pytest.raises(AccessDenied):
        desk.prints.retry_print(serial, ANN)
    assert snapshot(desk) == before
    assert desk.prints.retry_print(serial, SUE).status is BadgeStatus.PRINTING


# --- An annual holder with a ministerial code; a revoked badge rescanned ---------------


def test_annual_holder_with_an_event_code_at_visitors_gets_the_annual_flow(
    demo_dir, manifest, demo_now
):
    store = Store.in_dir(demo_dir)
    visitors = CounterDesk(store, load_keyring(store), "V7", Counter.VISITORS, lambda: demo_now)
    try:
        a = applicant(manifest, "annual_holder_at_groups")
        d = visitors.evaluate(*scan(a))
        assert d.verdict is Verdict.ISSUE
        assert d.case.accreditation.flow is Flow.ANNUAL
        assert "This is the annual badge" in d.checks[0].reason_en  # passed lines after
        assert not any(c.redirect_to for c in d.checks)
        badge = visitors.issue(*scan(a), ANN).badge
        assert badge.accreditation_id == d.case.accreditation.id
        again = visitors.evaluate(*scan(a))  # annual badge in hand: nothing to print
        assert (again.verdict, again.redirect_to) == (Verdict.NOT_NEEDED, None)
        assert badge.serial in again.headline_en
    finally:
        store.close()


@pytest.mark.parametrize("status", ["revoked", "denied", "pending"])
def test_a_ministerial_code_not_approved_is_refused_at_visitors_not_served_annually(
    demo_dir, manifest, demo_now, status
):
    # The annual flow served it: "All checks passed", a badge printed on a revoked code.
    from kiosk.store.schema import AccreditationRow

    store = Store.in_dir(demo_dir)
    visitors = CounterDesk(store, load_keyring(store), "V7", Counter.VISITORS, lambda: demo_now)
    try:
        a = applicant(manifest, "annual_holder_at_groups")
        with store.writing() as s:  # what sync brings when the office decides
            s.get(AccreditationRow, a["accreditation_id"]).status = status
        d = visitors.evaluate(*scan(a))
        assert d.verdict is Verdict.REFUSE and d.case.accreditation.flow is Flow.EVENT
        assert not next(c for c in d.checks if c.name == "status").ok
        with pytest.raises(NotIssued):
            visitors.issue(*scan(a), ANN)
    finally:
        store.close()


def test_a_revoked_badge_rescanned_is_refused_and_named(desk, manifest):
    from kiosk.store.schema import AccreditationRow

    a = applicant(manifest, "approved_ministerial")
    badge = desk.issue(*scan(a), ANN).badge
    with desk.store.writing() as s:  # what sync brings when the office revokes it
        s.get(AccreditationRow, badge.accreditation_id).status = "revoked"
        s.get(BadgeRow, badge.serial).status = BadgeStatus.REVOKED.value
    d = desk.evaluate(*scan(a))
    assert d.verdict is Verdict.REFUSE
    line = next(c for c in d.checks if c.name == "badge")
    assert not line.ok and badge.serial in line.reason_en
    assert not any(c.ok and "No badge issued yet" in c.reason_en for c in d.checks)
