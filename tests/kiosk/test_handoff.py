"""Hand-offs to the accreditation office: which refusals the office can fix, the journal
entry (check names only), a slip for each, and none for what the office cannot fix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk.handoff import HandoffRefused, office_fixes
from kiosk.model import Counter
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.store.schema import JournalRow

ANN, SAM = Actor("ann", Role.CLERK), Actor("sam", Role.SECURITY)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def decide(kiosk, manifest, situation):
    a = next(a for a in manifest["applicants"] if a["situation"] == situation)
    return kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]))


def journal(kiosk) -> list[JournalRow]:
    with kiosk.store.reading() as s:
        return list(s.scalars(select(JournalRow).where(JournalRow.action == "handoff")))


@pytest.mark.parametrize(
    ("situation", "fixes"),
    [
        ("pending", ("pending",)),
        ("unsigned_letter", ("proof",)),
        ("no_proof", ("proof",)),
        ("no_photo", ("photo",)),
        ("typo_in_application", ("id_names",)),
    ],
)
def test_what_the_office_can_fix_is_handed_off(kiosk, manifest, situation, fixes):
    decision = decide(kiosk, manifest, situation)
    assert office_fixes(decision) == fixes
    slip = kiosk.handoffs.hand_off(decision, ANN)
    assert slip.registration == decision.case.accreditation.registration
    assert slip.reasons == fixes and slip.reasons_en and slip.reasons_fr
    if decision.case.event:  # the office's names (app/demo/scenarios.py), both languages
        assert slip.what == (
            "Meeting of NATO Ministers of Defence / "
            "Réunion des ministres de la Défense des pays de l'OTAN"
        )
    (row,) = journal(kiosk)
    assert (row.actor, row.accreditation_id) == ("ann", decision.case.accreditation.id)
    assert row.details["reasons"] == list(fixes)
    assert row.verdict == decision.verdict.value


@pytest.mark.parametrize(
    "situation",
    [
        "approved_ministerial",
        "denied",
        "revoked",
        "badge_already_issued",
        "impostor_document",  # names and birth differ on another document: no typo
        "annual_holder_at_groups",  # sent on to Visitors
    ],
)
def test_no_slip_for_what_the_office_cannot_fix(kiosk, manifest, situation):
    decision = decide(kiosk, manifest, situation)
    with pytest.raises(HandoffRefused) as err:
        kiosk.handoffs.hand_off(decision, ANN)
    assert "Nothing here for the accreditation office" in err.value.message_en
    assert "Rien à corriger" in err.value.message_fr
    assert journal(kiosk) == []


def test_a_security_post_hands_nothing_off(kiosk, manifest):
    with pytest.raises(AccessDenied):
        kiosk.handoffs.hand_off(decide(kiosk, manifest, "pending"), SAM)
    assert journal(kiosk) == []
