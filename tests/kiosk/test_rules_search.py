"""The rule for an applicant found by search (no printout), on plain values."""

from __future__ import annotations

from kiosk.model import Check, Verdict
from kiosk.rules import check_found_by_search

SCAN_IT = Check("id_document", False, "Scan it.", "La scanner.", Verdict.INCOMPLETE)
SAME = Check("id_number", True, "Same.", "Même.")
OTHER = Check("id_number", False, "Other.", "Autre.", Verdict.SUPERVISOR)
NAMES = Check("id_names", True, "Match.", "Correspondent.")


def test_without_a_reading_the_decision_waits_for_the_id_document():
    check = check_found_by_search([SCAN_IT])
    assert (check.name, check.ok, check.on_fail) == ("code", False, Verdict.INCOMPLETE)
    assert "found by search; identity by the ID document" in check.reason_en
    assert "trouvé par recherche ; identité par la pièce d'identité" in check.reason_fr


def test_a_matching_document_passes():
    check = check_found_by_search([SAME, NAMES])
    assert check.ok and check.reason_en.startswith("No printout: found by search")


def test_any_id_check_failing_is_a_refusal_no_supervisor_can_lift():
    check = check_found_by_search([OTHER, NAMES])
    assert (check.ok, check.on_fail) == (False, Verdict.REFUSE)
    assert "printout" in check.reason_en and "convocation" in check.reason_fr
