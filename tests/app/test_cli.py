"""`kiosk check` and `kiosk issue` as a clerk or a script runs them."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from kiosk.codes import ALPHABET, Signer, confirmation_code
from tests import cli_process

pytestmark = pytest.mark.slow  # every test runs `kiosk` as a process

AT = "2026-02-14T10:00"


# The demo's accounts (app/demo/build.py); --pin-stdin reads one PIN a line, in order.
CLERK = ["--clerk", "clerk", "--pin-stdin"]
CLERK_PIN, SUPERVISOR_PIN = "1111\n", "222222\n"


def kiosk(data_dir, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin=stdin)


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def check_json(data_dir, counter: str, code: str, mrz: str | None = None) -> dict:
    args = ["check", "--counter", counter, "--code", code, "--at", AT, "--json"]
    if mrz:
        args += ["--mrz", mrz]
    out = kiosk(data_dir, *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_check_issue_and_redirect(demo_master, manifest):
    a = applicant(manifest, "approved_ministerial")
    at_groups = check_json(demo_master, "groups", a["code"], a["mrz"])
    assert at_groups["verdict"] == "issue"
    assert at_groups["registration"] == a["registration"]
    assert all(c["ok"] for c in at_groups["checks"])
    at_visitors = check_json(demo_master, "visitors", a["code"], a["mrz"])
    assert (at_visitors["verdict"], at_visitors["redirect_to"]) == ("redirect", "groups")
    assert "Groups entrance" in at_visitors["headline"]["en"]
    assert "Groupes" in at_visitors["headline"]["fr"]


def test_check_without_mrz_asks_for_the_id_document(demo_master, manifest):
    a = applicant(manifest, "approved_ministerial")
    assert check_json(demo_master, "groups", a["code"])["verdict"] == "incomplete"


def test_human_output_names_the_verdict_and_each_check(demo_master, manifest):
    a = applicant(manifest, "revoked")
    out = kiosk(
        demo_master,
        "check",
        "--counter",
        "groups",
        "--code",
        a["code"],
        "--mrz",
        a["mrz"],
        "--at",
        AT,
    )
    assert out.returncode == 0
    assert out.stdout.startswith("VERDICT: REFUSE")
    assert "revoked" in out.stdout and "!! status" in out.stdout


@pytest.mark.parametrize("position", [0, 3, 10, 60, 139])
def test_flipped_letter_is_refused_with_its_reason(demo_master, manifest, position):
    code = applicant(manifest, "approved_ministerial")["code"]
    flipped = (
        code[:position] + ALPHABET[(ALPHABET.index(code[position]) + 5) % 16] + code[position + 1 :]
    )
    d = check_json(demo_master, "groups", flipped)
    assert d["verdict"] == "refuse" and d["registration"] is None
    assert d["checks"][0]["name"] == "code"


def test_code_signed_with_another_key_is_refused(demo_master, manifest):
    forged = confirmation_code(Signer.generate(1), manifest["applicants"][0]["accreditation_id"])
    d = check_json(demo_master, "groups", forged)
    assert d["verdict"] == "refuse" and "forged or altered" in d["headline"]["en"]


def test_a_code_cut_short_asks_to_scan_again_as_the_counter_screen_does(demo_master, manifest):
    """`kiosk check` answered REFUSE, as for a forged code, to a code the screen asks to
    scan again: the same core decision answers both."""
    a = applicant(manifest, "approved_ministerial")
    for letters in (2, 40, 100, len(a["code"]) - 1):
        d = check_json(demo_master, "groups", a["code"][:letters], a["mrz"])
        assert (d["verdict"], d["registration"]) == ("incomplete", None), letters
        assert d["headline"]["en"] == "The code was read only in part: scan it again."
        assert d["checks"][0]["name"] == "code"
    out = kiosk(demo_master, "check", "--counter", "groups", "--code", a["code"][:70], "--at", AT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("VERDICT: INCOMPLETE") and "REFUSE" not in out.stdout
    assert "Le code n'a été lu qu'en partie : le scanner à nouveau." in out.stdout


def test_genuine_code_for_an_unknown_accreditation(demo_master):
    office = Signer.from_private_bytes(
        1, (demo_master / "office/confirmation-key-1.bin").read_bytes()
    )
    d = check_json(demo_master, "groups", confirmation_code(office, 999_999))
    assert d["verdict"] == "refuse" and d["checks"][0]["name"] == "accreditation"
    assert "A0999999" in d["headline"]["en"]


def test_garbled_mrz_is_a_clear_error_and_changes_nothing(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    first, second = a["mrz"].splitlines()
    digit = second[14]  # inside the birth date of a TD3 passport line
    garbled = first + "\n" + second[:14] + str((int(digit) + 1) % 10) + second[15:]
    before = (demo_dir / "kiosk.sqlite3").read_bytes()
    out = kiosk(
        demo_dir,
        "issue",
        "--counter",
        "groups",
        "--code",
        a["code"],
        "--mrz",
        garbled,
        *CLERK,
        "--at",
        AT,
        stdin=CLERK_PIN,
    )
    assert out.returncode != 0
    assert "MRZ could not be read" in out.stderr
    assert (demo_dir / "kiosk.sqlite3").read_bytes() == before


def journal(data_dir) -> list[tuple]:
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        return db.execute(
            "select action, actor, badge_serial, verdict from journal order by id"
        ).fetchall()


def test_issue_once_then_only_a_supervisor_reprints(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"], "--at", AT]
    first = kiosk(demo_dir, "issue", *scan, *CLERK, "--json", stdin=CLERK_PIN)
    assert first.returncode == 0, first.stderr
    issued = json.loads(first.stdout)
    assert issued["issued"] and (demo_dir / "badges" / f"{issued['serial']}.pdf").exists()

    again = kiosk(demo_dir, "issue", *scan, *CLERK, stdin=CLERK_PIN)
    assert again.returncode == 1 and "NOT ISSUED" in again.stdout
    assert issued["serial"] in again.stdout

    no_reason = kiosk(
        demo_dir, "issue", *scan, *CLERK, "--supervisor", "supervisor", stdin=CLERK_PIN
    )
    assert no_reason.returncode != 0

    reprint = kiosk(
        demo_dir,
        "issue",
        *scan,
        *CLERK,
        "--supervisor",
        "supervisor",
        "--reason",
        "badge lost in the press room",
        "--json",
        stdin=CLERK_PIN + SUPERVISOR_PIN,
    )
    assert reprint.returncode == 0, reprint.stdout
    second = json.loads(reprint.stdout)
    assert second["superseded"] == [issued["serial"]]

    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        statuses = dict(
            db.execute(
                "select serial, status from badges where serial in (?, ?)",
                (issued["serial"], second["serial"]),
            )
        )
    assert statuses == {issued["serial"]: "superseded", second["serial"]: "active"}
    actions = [row[0] for row in journal(demo_dir)]
    printed = ["print_sent", "printed"]  # each badge goes to the folder printer, then active
    assert actions[-11:] == [
        *["sign_in", "issue", *printed],
        *["sign_in", "refusal"],  # issued already
        *["sign_in", "sign_in", "reprint", *printed],  # the clerk, then the supervisor
    ]
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        actor, details = db.execute(
            "select actor, details from journal where action = 'reprint' order by id desc"
        ).fetchone()
    assert (actor, json.loads(details)["supervisor"]) == ("clerk", "supervisor")


def test_refused_applicant_gets_no_badge(demo_dir, manifest):
    a = applicant(manifest, "pending")
    out = kiosk(
        demo_dir,
        "issue",
        "--counter",
        "groups",
        "--code",
        a["code"],
        "--mrz",
        a["mrz"],
        *CLERK,
        "--at",
        AT,
        "--supervisor",
        "supervisor",
        "--reason",
        "x",
        stdin=CLERK_PIN + SUPERVISOR_PIN,
    )
    assert out.returncode == 1 and "cannot be overridden" not in out.stdout
    assert not (demo_dir / "badges").exists()
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        assert (
            db.execute(
                "select count(*) from badges where accreditation_id = ?", (a["accreditation_id"],)
            ).fetchone()[0]
            == 0
        )


def test_letter_renders_any_accreditations_confirmation(demo_master, manifest, tmp_path):
    from pypdf import PdfReader

    a = applicant(manifest, "approved_annual")
    out = kiosk(
        demo_master,
        "letter",
        "--accreditation",
        str(a["accreditation_id"]),
        "--out",
        str(tmp_path / "letter.pdf"),
    )
    assert out.returncode == 0, out.stderr
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "letter.pdf").pages)
    assert a["registration"] in text
    assert a["code"][:5] in text.replace(" ", "")


def test_issue_whose_print_fails_says_so_and_leaves_the_badge_to_retry(demo_dir, manifest):
    (demo_dir / "printers.json").write_text('{"groups": "NoSuchCardPrinter"}')
    a = applicant(manifest, "approved_ministerial")
    out = kiosk(
        demo_dir,
        "issue",
        "--counter",
        "groups",
        "--code",
        a["code"],
        "--mrz",
        a["mrz"],
        *CLERK,
        "--at",
        AT,
        stdin=CLERK_PIN,
    )
    assert out.returncode == 1, out.stderr
    assert "NOT PRINTED" in out.stdout and "kiosk badge print --serial" in out.stdout
    assert "Traceback" not in out.stderr
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        status = db.execute(
            "select status from badges where accreditation_id = ?", (a["accreditation_id"],)
        ).fetchone()[0]
    assert status == "print_failed"


def test_issue_for_an_applicant_found_by_search_needs_the_id_document(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    found = ["--counter", "groups", "--accreditation", str(a["accreditation_id"]), "--at", AT]
    waiting = kiosk(demo_dir, "issue", *found, *CLERK, stdin=CLERK_PIN)
    assert waiting.returncode == 1 and "VERDICT: INCOMPLETE" in waiting.stdout
    assert "No printout: found by search; identity by the ID document" in waiting.stdout
    done = kiosk(demo_dir, "issue", *found, "--mrz", a["mrz"], *CLERK, "--json", stdin=CLERK_PIN)
    assert done.returncode == 0, done.stdout + done.stderr
    both = kiosk(demo_dir, "check", *found, "--code", a["code"])
    assert both.returncode == 2 and "not allowed with" in both.stderr
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        actor, details = db.execute(
            "select actor, details from journal where action = 'issue' order by id desc"
        ).fetchone()
    assert actor == "clerk"
    assert json.loads(details)["role"] == "clerk" and json.loads(details)["found_by_search"]


def badges_of(data_dir, accreditation_id: int) -> list[tuple]:
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        return db.execute(
            "select serial, status from badges where accreditation_id = ? order by serial",
            (accreditation_id,),
        ).fetchall()


@pytest.mark.parametrize(
    ("who", "stdin", "why"),
    [
        (["--clerk", "clerk"], "9999\n", "name or PIN not recognised for clerk"),
        (["--clerk", "ann"], "1111\n", "name or PIN not recognised for ann"),  # no account
        (["--clerk", "clerk"], "", "name or PIN not recognised"),  # no PIN given at all
        (["--clerk", "security"], "3333\n", "security: A security officer may not do this"),
    ],
)
def test_issue_without_a_signed_in_clerk_is_refused_and_changes_nothing(
    demo_dir, manifest, who, stdin, why
):
    a = applicant(manifest, "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"], "--at", AT]
    out = kiosk(demo_dir, "issue", *scan, *who, "--pin-stdin", stdin=stdin)
    assert out.returncode == 1 and why in out.stderr and "nothing was done" in out.stderr
    assert out.stdout == "" and "Traceback" not in out.stderr
    assert badges_of(demo_dir, a["accreditation_id"]) == []
    assert journal(demo_dir)[-1][0] in ("sign_in_refused", "sign_out")  # as at a screen


def test_a_reprint_needs_a_supervisor_signed_in_with_the_supervisors_pin(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"], "--at", AT]
    assert kiosk(demo_dir, "issue", *scan, *CLERK, stdin=CLERK_PIN).returncode == 0
    issued = badges_of(demo_dir, a["accreditation_id"])
    override = [*scan, *CLERK, "--reason", "lost"]
    for supervisor, pins, why in [
        ("supervisor", CLERK_PIN + "222221\n", "not recognised for supervisor"),
        ("clerk", CLERK_PIN + CLERK_PIN, "clerk: A clerk may not do this: overriding a refusal"),
        ("Anyone", CLERK_PIN + SUPERVISOR_PIN, "not recognised for Anyone"),
    ]:
        out = kiosk(demo_dir, "issue", *override, "--supervisor", supervisor, stdin=pins)
        assert out.returncode == 1 and why in out.stderr, out.stderr
        assert badges_of(demo_dir, a["accreditation_id"]) == issued
    assert "reprint" not in [row[0] for row in journal(demo_dir)]


def test_pins_are_never_arguments(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    out = kiosk(demo_dir, "issue", "--counter", "groups", "--code", a["code"],
                "--clerk", "clerk", "--pin", "1111")  # fmt: skip
    assert out.returncode == 2 and "unrecognized arguments" in out.stderr


def test_undo_of_a_hand_over_by_a_signed_in_supervisor(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"], "--at", AT]
    assert kiosk(demo_dir, "issue", *scan, *CLERK, stdin=CLERK_PIN).returncode == 0
    [(serial, _)] = badges_of(demo_dir, a["accreditation_id"])
    undo = ["undo-handover", "--serial", serial, "--reason", "handed to the wrong person"]
    refused = kiosk(demo_dir, *undo, "--supervisor", "clerk", "--pin-stdin", stdin=CLERK_PIN)
    assert (
        refused.returncode == 1
        and "may not do this: undoing a badge's hand-over needs a supervisor" in refused.stderr
    )
    assert badges_of(demo_dir, a["accreditation_id"]) == [(serial, "active")]
    done = kiosk(demo_dir, *undo, "--supervisor", "supervisor", "--pin-stdin",
                 stdin=SUPERVISOR_PIN)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"hand-over of badge {serial} undone by supervisor" in done.stdout
    assert badges_of(demo_dir, a["accreditation_id"]) == [(serial, "preprinted")]
    assert journal(demo_dir)[-1][:3] == ("undo_handover", "supervisor", serial)


@pytest.fixture
def worn_badge(demo_dir, manifest, demo_now):
    """A ministerial badge issued at G1 in the demo world: its QR code's text."""
    from app.wiring import open_kiosk, read_mrz
    from kiosk.model import Counter
    from kiosk.roles import Actor, Role

    kiosk_ = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        a = applicant(manifest, "approved_ministerial")
        badge = kiosk_.desk.issue(a["code"], read_mrz(a["mrz"]), Actor("ann", Role.CLERK)).badge
        return kiosk_.desk.cards.card(badge.serial).badge_code, badge, a
    finally:
        kiosk_.close()


def test_security_verify_a_valid_badge_exits_0_with_every_reason_in_both_languages(
    demo_dir, worn_badge
):
    code, badge, _ = worn_badge
    out = kiosk(demo_dir, "security", "verify", code, "--at", AT, "--event", "UDCG")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "VALID / VALABLE"
    assert badge.serial in lines[1]
    assert "Signed with the key of G1" in out.stdout and "Signé avec la clé de G1" in out.stdout
    assert "Valid for Ukraine Defense Contact Group meeting." in out.stdout
    assert "Valable pour Réunion du Groupe de contact sur la défense de l'Ukraine." in out.stdout


def test_security_verify_a_forged_badge_exits_1_and_json_parses(demo_dir, worn_badge):
    from kiosk.codes import badge_code, read_badge
    from kiosk.counter import load_keyring
    from kiosk.store.database import Store

    code, badge, a = worn_badge
    store = Store.in_dir(demo_dir)
    claim, key_id = read_badge(code, load_keyring(store, "badge"))
    store.close()
    forged = badge_code(Signer.generate(key_id), claim)  # the right key id, another key
    out = kiosk(demo_dir, "security", "verify", forged, "--at", AT, "--json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert (data["verdict"], data["reason"]) == ("NOT VALID", "forged")
    assert data["headline"]["fr"].startswith("FALSIFIÉ")
    assert data["reasons"][0] == {
        "check": "signature",
        "ok": False,
        "code": "forged",
        "en": "FORGED: the badge's signature is not genuine. Take the badge from the holder.",
        "fr": "FALSIFIÉ : la signature du badge n'est pas authentique. Retirer le badge à son "
        "porteur.",
    }
    genuine = json.loads(kiosk(demo_dir, "security", "verify", code, "--at", AT, "--json").stdout)
    assert genuine["verdict"] == "VALID" and genuine["serial"] == badge.serial
    assert genuine["registration"] == a["registration"] and genuine["holder"]
    assert (genuine["valid_from"], genuine["valid_until"]) == ("2026-02-13", "2026-02-15")
    assert all(r["ok"] and r["en"] and r["fr"] for r in genuine["reasons"])


def test_security_verify_usage_errors_exit_2_and_say_why(demo_dir, worn_badge, tmp_path):
    code, _, _ = worn_badge
    bad_time = kiosk(demo_dir, "security", "verify", code, "--at", "yesterday")
    assert (bad_time.returncode, bad_time.stdout) == (2, "")
    assert "'yesterday' is not a date and time from 2000 to 2099" in bad_time.stderr
    no_event = kiosk(demo_dir, "security", "verify", code, "--event", "NOPE")
    assert no_event.returncode == 2 and "no event 'NOPE'" in no_event.stderr
    assert "give one of its events (DEFMIN, " in no_event.stderr  # what to type instead
    assert "leave --event out for the headquarters" in no_event.stderr
    empty = kiosk(tmp_path / "empty", "security", "verify", code)
    assert empty.returncode == 2 and "holds no kiosk store" in empty.stderr
    assert not (tmp_path / "empty").exists()  # nothing made on the way
    missing = kiosk(demo_dir, "security", "verify")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_the_security_screen_does_not_start_for_an_event_not_on_file(demo_dir):
    """`kiosk security --event DEFMNI` opened a post that refused every badge of the
    shift as "NOT VALID for DEFMNI"."""
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    args = ["security", "--event", "DEFMNI", "--data-dir", str(demo_dir)]
    out = cli_process.run("app.cli", *args, timeout=120, env=env)
    assert out.returncode == 2, out.stderr
    assert "holds no event 'DEFMNI' (--event): give one of its events (DEFMIN, " in out.stderr
    assert out.stderr.rstrip().endswith("The post was not started.")


def test_security_verify_help_names_every_exit_and_the_serial():
    out = cli_process.run("app.cli", "security", "--help")
    assert "1 NOT VALID, CHECK or SCAN QR" in " ".join(out.stdout.split())
    verify = cli_process.run("app.cli", "security", "verify", "--help")
    assert "or its serial (G1-000042)" in " ".join(verify.stdout.split())


def test_security_options_before_verify_keep_their_value(demo_dir, worn_badge):
    code, _, _ = worn_badge
    args = ["security", "--data-dir", str(demo_dir), "--event", "NAC-SPECIAL", "verify", code]
    out = cli_process.run("app.cli", *args, "--at", AT)
    assert out.returncode == 1, out.stderr  # the post's event is one the badge does not open
    assert "NOT VALID for Special session of the North Atlantic Council: do not let" in out.stdout


def test_staff_list_names_a_waiting_account_and_the_command_that_lifts_it(demo_dir):
    from datetime import timedelta

    from kiosk.services import brussels_now
    from kiosk.staff import FREE_TRIES, SignInRefused, StaffBook
    from kiosk.store.database import Store

    store = Store.in_dir(demo_dir)
    try:  # wrong PINs tomorrow: the name still waits when the command runs today
        staff = StaffBook(store, lambda: brussels_now() + timedelta(days=1))
        for _ in range(FREE_TRIES + 1):
            with pytest.raises(SignInRefused):
                staff.sign_in("clerk", "0000")
    finally:
        store.close()
    out = kiosk(demo_dir, "staff", "list")
    clerk = next(line for line in out.stdout.splitlines() if line.startswith("clerk\t"))
    assert "\twaiting after wrong PINs until " in clerk and "(staff unlock NAME)" in clerk


def test_output_into_a_closed_pipe_ends_quietly(demo_dir):
    """`kiosk staff list | head -1` (a reader that stops early) printed a Python traceback
    (BrokenPipeError)."""
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write fails, as after `head` has quit
    try:
        done = cli_process.run(
            "app.cli", "staff", "list", "--data-dir", str(demo_dir), stdout=write_end
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 1


def test_security_verify_says_the_screens_data_line_in_both_languages():
    """The command said "data: OFFLINE, synced 4445 min ago: WARNING, older than the 30 min
    limit": English only, in minutes, without the screen's "recent revocations may be
    missing; call the pass office"."""
    from datetime import timedelta

    from app import cli
    from kiosk.verify import PostData

    old = PostData(True, False, None, timedelta(minutes=4445), timedelta(minutes=30))
    nb = "\u00a0"
    assert cli.data_line(old).splitlines() == [
        f"OFFLINE · data 74{nb}h{nb}05{nb}min old — older than the 30{nb}min limit: recent "
        "revocations may be missing. Call the pass office about any doubtful badge.",
        f"HORS LIGNE · données vieilles de 74{nb}h{nb}05{nb}min — au-delà de la limite de "
        f"30{nb}min : des révocations récentes peuvent manquer. Appeler le bureau des badges "
        "pour tout badge douteux.",
    ]


def test_security_verify_names_a_clock_found_off_the_hubs():
    from datetime import timedelta

    from app import cli
    from kiosk.clock_check import ClockWarning
    from kiosk.verify import PostData

    warned = ClockWarning("This kiosk's clock is 3 h 00 min ahead of the hub's: …", "L'horloge…")
    data = PostData(True, True, None, timedelta(minutes=1), timedelta(minutes=30), warned)
    assert cli.data_line(data) == (
        "ONLINE · data 1\u00a0min old — ⚠ This kiosk's clock is 3 h 00 min ahead of the hub's: …"
        "\nEN LIGNE · données vieilles de 1\u00a0min — ⚠ L'horloge…"
    )
    assert cli.data_json(data)["data"]["clock_warning"] == warned.en
    in_step = PostData(True, True, None, timedelta(minutes=1), timedelta(minutes=30))
    assert "⚠" not in cli.data_line(in_step) and not cli.data_json(in_step)["data"]["clock_warning"]
