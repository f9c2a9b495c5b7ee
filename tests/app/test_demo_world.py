"""The demo world: every situation gets the verdict DOMAIN.md calls for, at both counters."""

from __future__ import annotations

import sqlite3

import pytest

from app.wiring import open_kiosk, read_mrz
from kiosk.handoff import office_fixes
from kiosk.model import Counter, Verdict

NAMED = {
    "approved_ministerial",
    "approved_annual",
    "pending",
    "denied",
    "revoked",
    "wrong_id_document",
    "impostor_document",
    "expired_id_document",
    "badge_already_issued",
    "crew_group_letter",
    "crew_not_on_letter",
    "pool_photographer",
    "event_outside_hq",
    "annual_holder_annual_code",
    "annual_holder_at_groups",
    "annual_holder_restricted_event",
    "no_photo",
    "editor_letter",
    "unsigned_letter",
    "no_proof",
    "too_early",
    "badge_reported_lost",
    "annual_badge_returned",
    "typo_in_application",
}


def test_manifest_covers_every_situation(manifest):
    situations = {a["situation"] for a in manifest["applicants"]}
    assert situations >= NAMED
    assert len(manifest["applicants"]) == 60
    assert sum(a["situation"] == "crew_group_letter" for a in manifest["applicants"]) == 3


@pytest.mark.parametrize("counter", list(Counter))
def test_each_applicant_gets_the_expected_verdict(demo_master, manifest, counter, demo_now):
    kiosk = open_kiosk(demo_master, counter, clock=lambda: demo_now)
    wrong = []
    try:
        for a in manifest["applicants"]:
            d = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]))
            expected = Verdict(a["expect"][counter.value])
            redirect = a["redirect_to"].get(counter.value)
            got_redirect = d.redirect_to.value if d.redirect_to else None
            if d.verdict is not expected or (
                expected is Verdict.REDIRECT and got_redirect != redirect
            ):
                wrong.append(
                    (a["situation"], a["registration"], d.verdict, got_redirect, d.headline_en)
                )
    finally:
        kiosk.close()
    assert wrong == []


def test_letters_and_photos_are_written(demo_master, manifest):
    for a in manifest["applicants"]:
        assert (demo_master / a["letter"]).read_bytes().startswith(b"%PDF")
    with sqlite3.connect(demo_master / "kiosk.sqlite3") as db:
        photos = db.execute("select count(*) from photos").fetchone()[0]
        people = db.execute("select count(*) from people").fetchone()[0]
    assert photos == people - 1  # the 'no_photo' applicant has none


def test_office_private_key_is_not_in_the_store(demo_master):
    key = (demo_master / "office" / "confirmation-key-1.bin").read_bytes()
    assert len(key) == 32
    assert key not in (demo_master / "kiosk.sqlite3").read_bytes()


def test_badges_issued_earlier_are_refused_at_a_post_for_the_reason_expected(
    demo_master, manifest, demo_now
):
    """Lost, returned: the post says why, as scenarios.json expects (the signer of the
    issuing counter makes each badge's code, as on the card)."""
    prior = [a["prior_badge"] for a in manifest["applicants"] if "prior_badge" in a]
    assert {p["post"] for p in prior} >= {"ok", "lost", "returned"}
    got = {}
    for counter, kiosk_id in ((Counter.GROUPS, "G1"), (Counter.VISITORS, "V1")):
        kiosk = open_kiosk(demo_master, counter, kiosk_id=kiosk_id, clock=lambda: demo_now)
        try:
            post = kiosk.security_post()
            for p in prior:
                if p["serial"].startswith(kiosk_id + "-"):
                    v = post.verify(kiosk.desk.cards.card(p["serial"]).badge_code)
                    got[p["serial"]] = v.reason
        finally:
            kiosk.close()
    assert got == {p["serial"]: p["post"] for p in prior}


@pytest.mark.parametrize("counter", list(Counter))
def test_each_refusal_the_office_can_fix_gets_the_hand_off_expected(
    demo_master, manifest, counter, demo_now
):
    """scenarios.json says, by hand, what a hand-off slip asks the office to fix: the same
    at the right counter; a counter that sends the applicant on gives none."""
    kiosk = open_kiosk(demo_master, counter, clock=lambda: demo_now)
    wrong = []
    try:
        for a in manifest["applicants"]:
            d = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]))
            expected = [] if d.verdict is Verdict.REDIRECT else a["handoff"]
            if list(office_fixes(d)) != expected:
                wrong.append((a["situation"], a["registration"], office_fixes(d), expected))
    finally:
        kiosk.close()
    assert wrong == []


def test_passport_numbers_fit_the_mrz_and_stay_unique_at_any_size():
    """People numbered after the generated applicants (pool cards, badges lost or
    returned, a typo) have ids near the world's size: `kiosk demo --people 10000` failed
    on an 11-character passport number."""
    from collections import namedtuple

    from app.demo.scenarios import _doc_number

    person = namedtuple("person", "id nationality")
    ids = [*range(1, 2000), *range(99_990, 100_010), *range(999_990, 1_000_010)]
    numbers = [_doc_number(person(i, "FRA")) for i in ids]
    assert numbers[0] == "E01FR7731"  # the first ones keep theirs
    assert all(len(n) == 9 and n.isalnum() and n.isupper() for n in numbers)
    assert len(set(numbers)) == len(numbers)


@pytest.mark.parametrize(
    "args, why",
    [
        (["--people", "0"], "'0' is not a number of accreditations from 29 (one per situation"),
        (["--people", "-5"], "'-5' is not a number of accreditations from 29"),
        (["--people", "28"], "'28' is not a number of accreditations from 29"),
        (["--people", "1000001"], "to 1,000,000"),
        (["--today", "2026-13-01"], "'2026-13-01' is not a day from 2000 to 2099"),
    ],
)
def test_a_demo_export_of_another_size_than_asked_is_refused(tmp_path, capsys, args, why):
    """`kiosk-hub demo-export --people 0` wrote 29 accreditations without a word (the
    demo's situations, one each), and a day that is none was a traceback."""
    from app.hub_cli import main

    out = tmp_path / "demo.json"
    with pytest.raises(SystemExit) as stopped:
        main(["demo-export", "--out", str(out), "--no-photos", *args])
    assert stopped.value.code == 2 and not out.exists()
    assert why in capsys.readouterr().err.splitlines()[-1]


def test_the_smallest_demo_export_is_as_large_as_asked(tmp_path, capsys):
    import json

    from app.hub_cli import main

    out = tmp_path / "demo.json"
    args = ["demo-export", "--out", str(out), "--no-photos", "--people", "29"]
    assert main([*args, "--today", "2026-02-14"]) == 0
    assert len(json.loads(out.read_text())["accreditations"]) == 29
    assert capsys.readouterr().out == f"{out}: 29 accreditations around 2026-02-14\n"
