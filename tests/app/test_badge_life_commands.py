"""`kiosk badge lost|stolen|damaged|found|return` and `kiosk badge history` as a clerk or a
supervisor runs them: signed in with a PIN, bad input refused with a sentence."""

from __future__ import annotations

import json

import pytest

from app.wiring import open_kiosk
from kiosk.model import Counter
from tests.app.test_cli import CLERK_PIN, SUPERVISOR_PIN, kiosk

pytestmark = pytest.mark.slow  # every test runs `kiosk` as a process


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def test_a_supervisor_reports_a_badge_lost_and_the_history_shows_it(demo_dir, manifest):
    a = applicant(manifest, "badge_already_issued")
    serial = a["prior_badge"]["serial"]
    clerk = kiosk(
        demo_dir, "badge", "lost", serial, "--clerk", "clerk", "--pin-stdin", stdin=CLERK_PIN
    )
    assert clerk.returncode != 0 and "may not do this" in clerk.stderr

    done = kiosk(
        demo_dir,
        "badge",
        "lost",
        serial,
        "--note",
        "lost in the canteen",
        "--clerk",
        "supervisor",
        "--pin-stdin",
        stdin=SUPERVISOR_PIN,
    )
    assert done.returncode == 0, done.stderr
    assert f"badge {serial} reported lost by supervisor" in done.stdout

    again = kiosk(
        demo_dir,
        "badge",
        "lost",
        serial,
        "--clerk",
        "supervisor",
        "--pin-stdin",
        stdin=SUPERVISOR_PIN,
    )
    assert again.returncode != 0
    assert f"Badge {serial} was already reported lost on" in again.stderr
    assert "a déjà été déclaré perdu" in again.stderr and "Traceback" not in again.stderr

    history = kiosk(
        demo_dir,
        "badge",
        "history",
        a["registration"],
        "--json",
        "--clerk",
        "clerk",
        "--pin-stdin",
        stdin=CLERK_PIN,
    )
    assert history.returncode == 0, history.stderr
    lines = json.loads(history.stdout)["lines"]
    assert [(x["what"], x["who"], x["note"]) for x in lines][-1] == (
        "lost",
        "supervisor",
        "lost in the canteen",
    )


def test_bad_input_is_refused_with_a_sentence(demo_dir, manifest):
    lost = applicant(manifest, "badge_reported_lost")["prior_badge"]["serial"]
    active = applicant(manifest, "badge_already_issued")["prior_badge"]["serial"]
    for args, expected in (
        (["return", "G9-999999"], "There is no badge G9-999999"),
        (["found", active], "was never reported lost or stolen"),
        (["return", lost], "was already reported lost"),
        (["history", "nobody"], "Neither a badge nor an accreditation NOBODY"),
    ):
        out = kiosk(demo_dir, "badge", *args, "--clerk", "clerk", "--pin-stdin", stdin=CLERK_PIN)
        assert out.returncode != 0 and expected in out.stderr, out.stderr
        assert "Traceback" not in out.stderr

    found = kiosk(
        demo_dir, "badge", "found", lost, "--clerk", "clerk", "--pin-stdin", stdin=CLERK_PIN
    )
    assert found.returncode == 0 and "found and handed in by clerk" in found.stdout


def test_security_verify_says_why_a_lost_badge_is_not_valid(demo_dir, manifest):
    serial = applicant(manifest, "badge_reported_lost")["prior_badge"]["serial"]
    k = open_kiosk(demo_dir, Counter.GROUPS, kiosk_id="G1")
    try:
        code = k.desk.cards.card(serial).badge_code
    finally:
        k.close()
    out = kiosk(demo_dir, "security", "verify", code, "--at", "2026-02-14T10:00", "--json")
    assert out.returncode == 1, out.stderr
    v = json.loads(out.stdout)
    assert (v["verdict"], v["reason"]) == ("NOT VALID", "lost")
    assert (
        v["headline"]["en"].startswith("REPORTED LOST") and "DÉCLARÉ PERDU" in v["headline"]["fr"]
    )
