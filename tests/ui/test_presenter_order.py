"""The order of the scans at a busy counter: the ID document first, then the code, gives
the verdict the code then the ID document gives; a document read for an applicant who
is finished never counts for the next one."""

from __future__ import annotations

import pytest

from kiosk.model import Counter, Decision, Verdict
from ui.presenter import CounterPresenter


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def scan(p: CounterPresenter, text: str) -> None:
    """One scan, line by line, as the scan field hands it over."""
    for line in text.splitlines():
        p.scan(line)


def outcome(d: Decision | None) -> tuple:
    """What the clerk is shown of a decision: verdict and every check's mark."""
    assert d is not None
    return d.verdict, [(c.name, c.ok) for c in d.checks]


def issue(qtbot, p: CounterPresenter) -> None:
    p.issue()
    qtbot.waitUntil(lambda: p.print is not None and not p.print.phase.waiting, timeout=60_000)
    qtbot.waitUntil(lambda: not p.busy, timeout=60_000)


@pytest.mark.parametrize(
    "situation",
    [
        "approved_ministerial",  # issue
        "wrong_id_document",  # supervisor: not the document used to apply
        "impostor_document",  # refuse: another person's document
        "revoked",  # refuse
        "badge_already_issued",  # supervisor
    ],
)
def test_the_document_first_gives_the_verdict_the_code_first_gives(presenter, manifest, situation):
    a = applicant(manifest, situation)
    scan(presenter, a["code"])
    scan(presenter, a["mrz"])
    code_first = outcome(presenter.decision)
    presenter.clear()  # Esc: the next applicant

    scan(presenter, a["mrz"])
    assert presenter.decision is None
    scan(presenter, a["code"])
    assert outcome(presenter.decision) == code_first
    assert presenter.decision.verdict is Verdict(a["expect"][Counter.GROUPS.value])
    assert presenter.reading is not None and presenter.message == ""


def test_a_document_of_another_person_read_first_is_refused_as_a_mismatch(presenter, manifest):
    a = applicant(manifest, "approved_ministerial")
    other = applicant(manifest, "editor_letter")
    scan(presenter, other["mrz"])
    scan(presenter, a["code"])
    d = presenter.decision
    assert d.verdict is not Verdict.ISSUE
    assert {"id_number", "id_names", "id_birth"} <= {c.name for c in d.failures}
    presenter.clear()
    scan(presenter, a["code"])
    scan(presenter, other["mrz"])
    assert outcome(presenter.decision) == outcome(d)


def test_the_screen_after_the_document_alone_asks_for_the_code(presenter, manifest):
    a = applicant(manifest, "approved_ministerial")
    scan(presenter, a["mrz"])
    assert presenter.subject is None and presenter.decision is None
    assert presenter.reading is not None and presenter.reading.document_number == "E01FR7731"
    assert presenter.message == "ID document read: now scan the confirmation code."


def test_a_document_read_before_esc_is_not_kept(presenter, manifest):
    a = applicant(manifest, "approved_ministerial")
    scan(presenter, a["mrz"])
    presenter.clear()
    scan(presenter, a["code"])
    assert presenter.reading is None
    assert presenter.decision.verdict is Verdict.INCOMPLETE


def test_the_last_applicants_document_is_not_reused_for_the_next_code(presenter, manifest):
    """Refused with their document read, no Esc: the next code starts without it."""
    a = applicant(manifest, "impostor_document")
    b = applicant(manifest, "approved_ministerial")
    scan(presenter, a["code"])
    scan(presenter, a["mrz"])
    assert presenter.decision.verdict is Verdict.REFUSE
    scan(presenter, b["code"])
    assert presenter.reading is None
    assert presenter.decision.verdict is Verdict.INCOMPLETE


def test_after_a_badge_is_issued_the_next_code_starts_without_a_document(
    qtbot, presenter, manifest
):
    a = applicant(manifest, "approved_ministerial")
    b = applicant(manifest, "editor_letter")
    scan(presenter, a["code"])
    scan(presenter, a["mrz"])
    issue(qtbot, presenter)
    assert presenter.issued_here
    scan(presenter, b["code"])
    assert presenter.reading is None
    assert presenter.decision.verdict is Verdict.INCOMPLETE


def test_after_a_badge_is_issued_a_document_is_the_next_applicants(qtbot, presenter, manifest):
    """The last applicant's code never meets the next one's document: the screen turns to
    the next applicant, who then gets the verdict the other order gives."""
    a = applicant(manifest, "approved_ministerial")
    b = applicant(manifest, "editor_letter")
    scan(presenter, a["code"])
    scan(presenter, a["mrz"])
    issue(qtbot, presenter)
    serial = presenter.issued.serial

    scan(presenter, b["mrz"])
    assert presenter.subject is None and presenter.decision is None and presenter.issued is None
    assert presenter.print is None  # the last badge left the panel (printed: not waiting)
    assert presenter.message == "ID document read: now scan the confirmation code."
    scan(presenter, b["code"])
    mrz_first = outcome(presenter.decision)
    assert presenter.decision.case.accreditation.id == b["accreditation_id"]

    presenter.clear()
    scan(presenter, b["code"])
    scan(presenter, b["mrz"])
    assert outcome(presenter.decision) == mrz_first
    assert presenter.kiosk.desk.prints.badge(serial) is not None
