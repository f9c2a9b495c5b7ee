"""The rule on what a passport chip's answer means at the counter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kiosk.chip_check import ChipReading, ChipStatus, check_chip, mrz_differences
from kiosk.counter import NotIssued
from kiosk.model import Counter, IdReading, Verdict
from kiosk.roles import Actor, Role

ANN = Actor("ann", Role.CLERK)

PRINTED = IdReading(
    "P", "UTO", "L898902C3", "ERIKSSON", "ANNA MARIA", "UTO", date(1974, 8, 12), "F",
    date(2032, 4, 15),
)  # fmt: skip


def reading(status: ChipStatus, **kw) -> ChipReading:
    return ChipReading(status, issuer="Utopia CSCA, UT", chip_id=PRINTED, **kw)


def test_verified_chip_that_repeats_the_printed_mrz_passes():
    check = check_chip(reading(ChipStatus.VERIFIED), PRINTED)
    assert check.ok
    assert (check.reason_en, check.reason_fr) == (
        "Chip verified by Utopia CSCA, UT.",
        "Puce vérifiée par Utopia CSCA, UT.",
    )


@pytest.mark.parametrize("status", [ChipStatus.SIGNATURE_INVALID, ChipStatus.DATA_GROUP_ALTERED])
def test_a_chip_that_contradicts_its_signature_is_a_refusal(status):
    check = check_chip(reading(status, altered_groups=(2,)), PRINTED)
    assert (check.ok, check.on_fail) == (False, Verdict.REFUSE)
    assert "refuse" in check.reason_en.lower() and "refuser" in check.reason_fr.lower()


def test_active_authentication_is_named_when_it_passed():
    check = check_chip(reading(ChipStatus.VERIFIED, active_auth=True), PRINTED)
    assert check.ok and check.reason_en == (
        "Chip verified by Utopia CSCA, UT, and no copy (Active Authentication)."
    )
    assert "authentification active" in check.reason_fr


def test_chip_authentication_is_named_when_it_passed_and_when_it_failed():
    check = check_chip(reading(ChipStatus.VERIFIED, chip_auth=True), PRINTED)
    assert check.ok and check.reason_en.endswith("and no copy (Chip Authentication).")
    assert check.reason_fr.endswith("et non copiée (authentification de la puce).")
    clone = check_chip(reading(ChipStatus.CLONE_SUSPECTED, chip_auth=False), PRINTED)
    assert (clone.ok, clone.on_fail) == (False, Verdict.REFUSE)
    assert clone.reason_en.startswith("The chip failed Chip Authentication")
    aa_clone = check_chip(reading(ChipStatus.CLONE_SUSPECTED, active_auth=False), PRINTED)
    assert aa_clone.reason_fr.startswith("La puce a échoué à l'authentification active")


def test_altered_groups_are_named():
    check = check_chip(reading(ChipStatus.DATA_GROUP_ALTERED, altered_groups=(1, 2)), PRINTED)
    assert "(DG1, DG2)" in check.reason_en and "(DG1, DG2)" in check.reason_fr


@pytest.mark.parametrize(
    "status", [ChipStatus.VERIFIED, ChipStatus.UNKNOWN_ISSUER, ChipStatus.ISSUER_MISMATCH]
)
def test_chip_unlike_the_printed_page_is_a_refusal_showing_both(status):
    chip = replace(PRINTED, birth_date=date(1975, 8, 12), surname="ERIKSON")
    check = check_chip(ChipReading(status, "Utopia CSCA, UT", chip), PRINTED)
    assert (check.ok, check.on_fail) == (False, Verdict.REFUSE)
    assert "surname: chip ERIKSON, printed ERIKSSON" in check.reason_en
    assert "birth date: chip 1975-08-12, printed 1974-08-12" in check.reason_en
    assert "date de naissance : puce 1975-08-12, imprimé 1974-08-12" in check.reason_fr


def test_unknown_issuer_is_a_supervisor_case_naming_it():
    check = check_chip(reading(ChipStatus.UNKNOWN_ISSUER), PRINTED)
    assert (check.ok, check.on_fail) == (False, Verdict.SUPERVISOR)
    assert "Utopia CSCA, UT" in check.reason_en and "superviseur" in check.reason_fr


def test_a_csca_of_another_state_is_a_supervisor_case_naming_it():
    check = check_chip(reading(ChipStatus.ISSUER_MISMATCH), PRINTED)
    assert (check.ok, check.on_fail) == (False, Verdict.SUPERVISOR)
    assert check.reason_en.startswith("The chip's issuer does not match the document's state")
    assert "Utopia CSCA, UT" in check.reason_en and "superviseur" in check.reason_fr


def test_access_denied_is_a_supervisor_case():
    check = check_chip(ChipReading(ChipStatus.ACCESS_DENIED), PRINTED)
    assert (check.ok, check.on_fail) == (False, Verdict.SUPERVISOR)


@pytest.mark.parametrize(
    "chip",
    [
        None,
        ChipReading(ChipStatus.NO_READER),
        ChipReading(ChipStatus.NO_CHIP),
        ChipReading(ChipStatus.INTERRUPTED),
        ChipReading(ChipStatus.UNREADABLE),
    ],
)
def test_no_reader_no_chip_or_no_read_is_not_a_refusal(chip):
    check = check_chip(chip, PRINTED)
    assert check.ok and "printed document" in check.reason_en
    assert "document imprimé" in check.reason_fr


def test_differences_list_each_field_once():
    assert mrz_differences(PRINTED, PRINTED) == []
    other = replace(PRINTED, document_number="X1", sex="M")
    assert mrz_differences(other, PRINTED) == [
        ("document_number", "X1", "L898902C3"),
        ("sex", "M", "F"),
    ]


# --- At the counter desk: the chip's check joins the decision --------------------------


@pytest.fixture
def desk(demo_dir, demo_now):
    from kiosk.counter import CounterDesk, load_keyring
    from kiosk.store.database import Store

    store = Store.in_dir(demo_dir)
    yield CounterDesk(store, load_keyring(store), "G7", Counter.GROUPS, lambda: demo_now)
    store.close()


def approved(manifest) -> tuple[str, IdReading]:
    from app.wiring import read_mrz

    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    return a["code"], read_mrz(a["mrz"])


def test_a_refusing_chip_refuses_the_decision_and_the_issue(desk, manifest):
    code, printed = approved(manifest)
    assert desk.evaluate(code, printed).verdict is Verdict.ISSUE
    chip = check_chip(ChipReading(ChipStatus.SIGNATURE_INVALID), printed)
    decision = desk.evaluate(code, printed, chip)
    assert decision.verdict is Verdict.REFUSE and decision.failures[0] is chip
    with pytest.raises(NotIssued):
        desk.issue(code, printed, ANN, chip=chip)


def test_a_verified_chip_lets_the_badge_be_issued(desk, manifest):
    code, printed = approved(manifest)
    chip = check_chip(ChipReading(ChipStatus.VERIFIED, "Utopia CSCA, UT", printed), printed)
    decision = desk.evaluate(code, printed, chip)
    assert decision.verdict is Verdict.ISSUE and chip in decision.checks
    assert desk.issue(code, printed, ANN, chip=chip).badge.serial


def test_an_unknown_issuer_can_be_overridden_by_a_supervisor(desk, manifest):
    code, printed = approved(manifest)
    chip = check_chip(ChipReading(ChipStatus.UNKNOWN_ISSUER, "Forger CSCA, XF", printed), printed)
    assert desk.evaluate(code, printed, chip).verdict is Verdict.SUPERVISOR
    with pytest.raises(NotIssued):
        desk.issue(code, printed, ANN, chip=chip)
    sue = Actor("sue", Role.SUPERVISOR)
    assert desk.issue(code, printed, ANN, sue, "CSCA of XF not on the master list", chip=chip)
