"""`kiosk badge render|print|batch|template` and `kiosk printers`, run as a clerk would."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess

import pytest
from pypdf import PdfReader

from printing.badge_template import BUILTIN_DIR
from tests import cli_process

pytestmark = pytest.mark.slow  # the command line end to end, printing real PDFs

AT = "2026-02-14T10:00"


# The demo's accounts (app/demo/build.py), each PIN one line of stdin.
CLERK = ("--clerk", "clerk", "--pin-stdin")
SUPERVISOR = ("--supervisor", "supervisor", "--pin-stdin")


def kiosk(data_dir, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin=stdin, timeout=120)


def statuses(data_dir) -> dict[str, str]:
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        return dict(db.execute("select serial, status from badges"))


def test_batch_then_render_then_print_refuses_a_printed_badge(demo_dir, tmp_path):
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # these commands run on the wall
        db.execute("update events set retention_days = 3650")  # clock: nothing purged yet
    refused = kiosk(demo_dir, "badge", "batch", "--event", "DEFMIN", *CLERK, stdin="1111\n")
    assert refused.returncode == 2 and "--supervisor" in refused.stderr  # a clerk: no option
    as_clerk = kiosk(demo_dir, "badge", "batch", "--event", "DEFMIN", "--supervisor", "clerk",
                     "--pin-stdin", stdin="1111\n")  # fmt: skip
    assert (
        as_clerk.returncode == 1
        and "may not do this: pre-printing badges needs a supervisor or an" in as_clerk.stderr
    )
    assert "preprinted" not in statuses(demo_dir).values()
    batch = kiosk(demo_dir, "badge", "batch", "--event", "DEFMIN", *SUPERVISOR, stdin="222222\n")
    assert batch.returncode == 0, batch.stderr
    lines = batch.stdout.splitlines()
    assert lines[0].startswith("[1/") and " ok " in lines[0]
    assert "pre-printed, 0 failed" in lines[-1]
    pre = sorted(s for s, status in statuses(demo_dir).items() if status == "preprinted")
    assert len(pre) == int(lines[-1].split(": ")[1].split()[0])
    assert sorted(p.stem for p in (demo_dir / "printed").iterdir()) == pre

    out = tmp_path / "badge.pdf"
    render = kiosk(demo_dir, "badge", "render", "--serial", pre[0], "--out", str(out))
    assert render.returncode == 0 and render.stdout.strip() == str(out)
    assert pre[0] in PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()

    again = kiosk(demo_dir, "badge", "print", "--serial", pre[0], *CLERK, stdin="1111\n")
    assert again.returncode != 0 and "is preprinted" in again.stderr
    unknown = kiosk(demo_dir, "badge", "render", "--serial", "X-1", "--out", str(out))
    assert unknown.returncode != 0 and "no badge X-1" in unknown.stderr


def test_print_retries_a_failed_badge(demo_dir, manifest):
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    (demo_dir / "printed").write_text("not a folder")
    issue = kiosk(
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
        stdin="1111\n",
    )
    assert issue.returncode != 0 and "NOT PRINTED" in issue.stdout
    assert "Traceback" not in issue.stderr
    (serial,) = [s for s, status in statuses(demo_dir).items() if status == "print_failed"]

    (demo_dir / "printed").unlink()
    wrong = kiosk(demo_dir, "badge", "print", "--serial", serial, *CLERK, stdin="1112\n")
    assert wrong.returncode == 1 and "not recognised for clerk" in wrong.stderr
    assert statuses(demo_dir)[serial] == "print_failed"
    retry = kiosk(demo_dir, "badge", "print", "--serial", serial, *CLERK, stdin="1111\n")
    assert retry.returncode == 0, retry.stderr
    assert f"PRINTED badge {serial}" in retry.stdout and "imprimé : le remettre" in retry.stdout
    assert statuses(demo_dir)[serial] == "active"


def test_issue_with_a_badge_pdf_that_cannot_be_written_says_issued_not_printed(demo_dir, manifest):
    """It said only "…/badges/G1-000003.pdf: Not a directory" and left the badge printing."""
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    (demo_dir / "badges").write_text("not a folder")
    issue = kiosk(demo_dir, "issue", "--counter", "groups", "--code", a["code"], "--mrz",
                  a["mrz"], *CLERK, "--at", AT, stdin="1111\n")  # fmt: skip
    assert issue.returncode == 1 and issue.stderr == ""
    (serial,) = [s for s, status in statuses(demo_dir).items() if status == "print_failed"]
    assert f"ISSUED badge {serial}, but NOT PRINTED: The badge's PDF" in issue.stdout
    assert f"retry: kiosk badge print --serial {serial}" in issue.stdout


def test_unreadable_printer_choices_leave_the_badge_failed_with_its_retry(demo_dir, manifest):
    """printers.json broken: issue recorded the badge, then ended in a traceback with no
    retry said; `kiosk printers` showed the same traceback."""
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    (demo_dir / "printers.json").write_text("{garbage")
    issue = kiosk(demo_dir, "issue", "--counter", "groups", "--code", a["code"], "--mrz",
                  a["mrz"], *CLERK, "--at", AT, stdin="1111\n")  # fmt: skip
    assert issue.returncode == 1 and issue.stderr == ""
    (serial,) = [s for s, status in statuses(demo_dir).items() if status == "print_failed"]
    assert (
        f"ISSUED badge {serial}, but NOT PRINTED: This kiosk's printer settings cannot be read"
        in issue.stdout
    )
    listed = kiosk(demo_dir, "printers")
    assert listed.returncode == 1 and "Traceback" not in listed.stderr
    assert "printers.json cannot be read" in listed.stderr and "fix or delete it" in listed.stderr
    chosen = kiosk(demo_dir, "printers", "--use", "folder", "--counter", "groups")
    assert chosen.returncode == 1 and "Nothing was changed" in chosen.stderr
    nameless = kiosk(demo_dir, "printers", "--use", " ", "--counter", "groups")
    assert nameless.returncode == 1 and "--use needs a printer's name" in nameless.stderr
    assert (demo_dir / "printers.json").read_text() == "{garbage"
    retry = kiosk(demo_dir, "badge", "print", "--serial", serial, "--printer", "folder", *CLERK,
                  stdin="1111\n")  # fmt: skip
    assert retry.returncode == 0, retry.stderr
    assert statuses(demo_dir)[serial] == "active"


def test_template_check_and_preview(tmp_path):
    good = tmp_path / "event.toml"
    good.write_text((BUILTIN_DIR / "event.toml").read_text(encoding="utf-8"), encoding="utf-8")
    preview = tmp_path / "preview.pdf"
    ok = kiosk(tmp_path, "badge", "template", str(good), "--preview", str(preview))
    assert ok.returncode == 0, ok.stderr
    assert "ok (Event badge, event, landscape)" in ok.stdout
    assert "G1-000123" in PdfReader(io.BytesIO(preview.read_bytes())).pages[0].extract_text()

    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace("size = 16", "size = 0"), encoding="utf-8")
    refused = kiosk(tmp_path, "badge", "template", str(bad))
    assert refused.returncode == 1
    assert "bad.toml: text[2] (surname).size: must be a number above 0, not 0" in refused.stderr


def test_printers_lists_the_folder_printer_and_refuses_an_unknown_choice(tmp_path):
    listed = kiosk(tmp_path, "printers")
    assert listed.returncode == 0, listed.stderr
    first = listed.stdout.splitlines()[0]
    assert first.split()[:3] == ["folder", "folder", "ready"]
    assert first.endswith("<- groups, visitors")
    unknown = kiosk(tmp_path, "printers", "--use", "NoSuchPrinter", "--counter", "visitors")
    assert unknown.returncode != 0 and "no printer 'NoSuchPrinter'" in unknown.stderr
    assert not (tmp_path / "printers.json").exists()
    chosen = kiosk(tmp_path, "printers", "--use", "folder", "--counter", "visitors")
    assert chosen.returncode == 0
    assert json.loads((tmp_path / "printers.json").read_text()) == {"visitors": "folder"}
    slips = kiosk(tmp_path, "printers", "--use", "folder", "--counter", "visitors", "--slips")
    assert slips.returncode == 1 and slips.stderr == (
        "kiosk: the folder printer prints no paper: choose a paper printer for slips. "
        "Nothing was changed.\n"
    )
    assert json.loads((tmp_path / "printers.json").read_text()) == {"visitors": "folder"}


def test_a_security_account_prints_nothing(demo_dir, manifest):
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    (demo_dir / "printed").write_text("not a folder")  # the issue's print fails: a retry waits
    issue = kiosk(demo_dir, "issue", "--counter", "groups", "--code", a["code"], "--mrz",
                  a["mrz"], *CLERK, "--at", AT, stdin="1111\n")  # fmt: skip
    assert "NOT PRINTED" in issue.stdout
    (serial,) = [s for s, status in statuses(demo_dir).items() if status == "print_failed"]
    (demo_dir / "printed").unlink()
    out = kiosk(demo_dir, "badge", "print", "--serial", serial, "--clerk", "security",
                "--pin-stdin", stdin="3333\n")  # fmt: skip
    assert out.returncode == 1 and "A security officer may not do this" in out.stderr, out.stderr
    assert statuses(demo_dir)[serial] == "print_failed" and not (demo_dir / "printed").exists()
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # as a crash before sending leaves it
        db.execute("update badges set status = 'printing' where serial = ?", (serial,))
    out = kiosk(demo_dir, "badge", "print", "--serial", serial, "--clerk", "security",
                "--pin-stdin", stdin="3333\n")  # fmt: skip
    assert out.returncode == 1 and "A security officer may not do this" in out.stderr, out.stderr
    assert not (demo_dir / "printed").exists()  # no card left the printer


def test_an_unknown_printer_is_refused_before_any_badge_is_made(demo_dir):
    """`badge batch --printer nosuch` made a badge, print failed, before finding out."""

    def counts() -> tuple[int, int]:
        with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
            return db.execute(
                "select (select count(*) from badges), (select count(*) from journal)"
            ).fetchone()

    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # the wall clock: keep the data
        db.execute("update events set retention_days = 3650")
    before = counts()
    batch = kiosk(demo_dir, "badge", "batch", "--event", "DEFMIN", "--printer", "nosuch",
                  *SUPERVISOR, stdin="222222\n")  # fmt: skip
    assert batch.returncode == 1 and batch.stdout == ""
    assert batch.stderr.startswith("kiosk: no printer 'nosuch' on this machine (printers: folder")
    assert batch.stderr.endswith("); nothing was printed, no badge was made.\n")
    retry = kiosk(demo_dir, "badge", "print", "--serial", "G1-000001", "--printer", "nosuch",
                  *CLERK, stdin="1111\n")  # fmt: skip
    assert retry.returncode == 1 and "no printer 'nosuch'" in retry.stderr
    assert counts() == before


def test_batch_for_several_events_prints_a_batch_each_and_refuses_an_unknown_one(demo_dir):
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # the wall clock: keep the data
        db.execute("update events set retention_days = 3650")
    unknown = kiosk(demo_dir, "badge", "batch", "--event", "UDCG,NOPE", *SUPERVISOR,
                    stdin="222222\n")  # fmt: skip
    assert unknown.returncode != 0 and "no event 'NOPE' on this kiosk" in unknown.stderr
    assert "preprinted" not in statuses(demo_dir).values()
    both = kiosk(demo_dir, "badge", "batch", "--event", "NAC-SPECIAL,FORMIN", *SUPERVISOR,
                 stdin="222222\n")  # fmt: skip
    assert both.returncode == 0, both.stderr
    summaries = [line for line in both.stdout.splitlines() if line.startswith("batch ")]
    assert [s.split("@")[0] for s in summaries] == ["batch NAC-SPECIAL", "batch FORMIN"]
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        events = {
            e
            for (e,) in db.execute(
                "select a.event_id from badges b join accreditations a"
                " on a.id = b.accreditation_id where b.status = 'preprinted'"
            )
        }
    assert events == {"NAC-SPECIAL", "FORMIN"}


def test_a_printer_chosen_at_the_shell_is_journalled_as_the_operators(demo_dir):
    (demo_dir / "printers.json").write_text(json.dumps({"visitors": "RetiredQueue"}))
    chosen = kiosk(demo_dir, "printers", "--use", "folder", "--counter", "visitors")
    assert chosen.returncode == 0, chosen.stderr
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        rows = db.execute(
            "select actor, kiosk_id, details from journal where action = 'settings'"
        ).fetchall()
    assert [(a, k, json.loads(d)) for a, k, d in rows] == [
        ("operator", "V1", {"changed": {"printer.visitors": ["RetiredQueue", "folder"]}})
    ]
    again = kiosk(demo_dir, "printers", "--use", "folder", "--counter", "visitors")
    assert again.returncode == 0  # the same choice again: nothing changed, nothing written
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        assert db.execute("select count(*) from journal where action = 'settings'").fetchone() == (
            1,
        )
