"""`kiosk --data-dir X COMMAND` and `kiosk COMMAND --data-dir X` both reach X, for every
command; `kiosk check --mrz` undoes a scanner's keyboard-layout mismatch."""

from __future__ import annotations

import argparse
import json

import pytest

from app.cli import _parser, main
from scanning.keyboard_layout import BE, US, Mismatch, retype

# Every command with the least it needs to parse; --data-dir goes before or after it.
COMMANDS = {
    "demo": [],
    "check": ["--counter", "groups", "--code", "X"],
    "issue": ["--counter", "groups", "--code", "X", "--clerk", "ann"],
    "undo-handover": ["--serial", "G1-000001", "--supervisor", "sue", "--reason", "wrong"],
    "letter": ["--accreditation", "1", "--out", "l.pdf"],
    "audit": ["verify"],
    "purge": ["--admin", "root"],
    "staff list": [],
    "staff add": ["ann", "--role", "clerk"],
    "staff pin": ["ann"],
    "staff unlock": ["ann"],
    "staff disable": ["ann"],
    "staff enable": ["ann"],
    "security": [],
    "security verify": ["TEXT"],
    "decode": ["a.png"],
    "mrz": ["TEXT"],
    "badge render": ["--serial", "G1-000001", "--out", "b.pdf"],
    "badge print": ["--serial", "G1-000001", "--clerk", "ann"],
    "badge batch": ["--event", "MIN", "--supervisor", "sue"],
    "badge template": ["t.json"],
    "printers": [],
    "sync": [],
    "import-bundle": ["b.json"],
    "export-outbox": ["o.json"],
    "overview": [],
    "chip read": ["--mrz", "TEXT"],
    "hours list": [],
    "hours add": ["08:00-12:00", "--weekday", "mon", "--counter", "groups", "--admin", "root"],
    "hours remove": ["1", "--counter", "groups", "--admin", "root"],
    "hours close": ["--day", "2026-02-14", "--reason", "r", "--counter", "groups", "--admin", "a"],
    "hours reopen": ["--day", "2026-02-14", "--counter", "groups", "--admin", "root"],
    "pool list": [],
    "pool add-moment": [
        "M",
        "--event",
        "E",
        "--name",
        "N",
        "--starts",
        "2026-02-15T12:00",
        "--place",
        "P",
        "--opens",
        "2026-02-14T09:00",
        "--closes",
        "2026-02-14T17:00",
        "--admin",
        "root",
    ],
    "pool hand-out": ["--moment", "M", "--accreditation", "1", "--clerk", "ann"],
    "pool return": ["--moment", "M", "--accreditation", "1", "--clerk", "ann"],
    "chip trust import": ["certs", "--admin", "root"],
    "badge lost": ["G1-000001", "--clerk", "sue"],
    "badge stolen": ["G1-000001", "--clerk", "sue"],
    "badge damaged": ["G1-000001", "--clerk", "sue"],
    "badge found": ["G1-000001", "--clerk", "ann"],
    "badge return": ["G1-000001", "--clerk", "ann"],
    "badge history": ["A0000001", "--clerk", "ann"],
    "handoff": ["--counter", "groups", "--code", "X", "--clerk", "ann"],
    "photo check": ["p.jpg"],
    "photo take": ["--camera", "0", "--out", "p.jpg"],
    "photo approve": ["p.jpg", "--person", "1", "--clerk", "ann", "--supervisor", "sue"],
    "chip trust list": [],
    "run": [],
}


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every command line the parser accepts, as the words that name it."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs or not all(a.required for a in subs):
        yield " ".join(path)
    for action in subs:
        for name, sub in action.choices.items():
            yield from _leaves(sub, (*path, name))


def test_the_table_names_every_command():
    assert set(_leaves(_parser())) - {""} == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_data_dir_before_or_after_the_command(command):
    words = [*command.split(), *COMMANDS[command]]
    parse = _parser().parse_args
    assert parse(["--data-dir", "/before", *words]).data_dir == "/before"
    assert parse([*words, "--data-dir", "/after"]).data_dir == "/after"
    assert parse(words).data_dir is None  # then $KIOSK_DATA_DIR, in app/wiring.py
    # given twice, the one nearer the command's own options wins, as it reads
    assert parse(["--data-dir", "/a", *words, "--data-dir", "/b"]).data_dir == "/b"


def _check(capsys, *args: str) -> dict:
    assert main(["check", "--at", "2026-02-14T10:00", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_check_reads_the_store_named_before_the_command(
    demo_dir, manifest, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "elsewhere"))  # the flag must win
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"]]
    before = main(["--data-dir", str(demo_dir), "check", "--at", "2026-02-14T10:00", *scan])
    assert before == 0
    assert "VERDICT: ISSUE" in capsys.readouterr().out
    after = _check(capsys, *scan, "--data-dir", str(demo_dir))
    assert after["verdict"] == "issue"
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.slow
def test_security_verify_with_the_data_dir_before_the_command(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "empty"))
    # No store: exit 2 (usage) names the directory; with it: a verdict (1: not a badge).
    assert main(["security", "verify", "not-a-badge"]) == 2
    assert main(["--data-dir", str(demo_dir), "security", "verify", "not-a-badge"]) == 1


@pytest.mark.slow
def test_security_verify_of_a_serial_typed_on_another_layout_asks_for_the_qr(demo_dir, capsys):
    # G1-000001: a badge the demo issued the day before, valid on its media days
    at = ["--at", "2026-02-14T10:00", "--data-dir", str(demo_dir)]
    typed = retype("G1-000001", Mismatch(US, BE))  # "G&)àààà&"
    assert main(["security", "verify", typed, *at, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["verdict"], out["reason"], out["serial"]) == ("SCAN QR", "serial_only", "G1-000001")
    assert out["holder"] and "its record holds" in out["headline"]["en"]
    assert out["data"] == {
        "enrolled": False,
        "online": True,
        "synced_at": None,
        "age_minutes": None,
        "stale": False,
        "clock_warning": "",  # never measured against a hub: nothing to say
    }
    assert main(["security", "verify", "G1-000001", *at]) == 1
    human = capsys.readouterr().out
    assert human.startswith("SCAN QR / SCANNER LE CODE QR")  # as the screen says it
    assert "Local data: no hub feeds this post.\nDonnées locales : aucun hub" in human


@pytest.mark.slow
@pytest.mark.parametrize("mismatch", [Mismatch(US, BE), Mismatch(BE, US)])
def test_check_mrz_undoes_a_keyboard_layout_mismatch(demo_dir, manifest, mismatch, capsys):
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    typed = " ".join(retype(line, mismatch) for line in a["mrz"].split())
    assert typed != a["mrz"]
    scan = ["--counter", "groups", "--code", a["code"], "--data-dir", str(demo_dir)]
    as_typed = _check(capsys, *scan, "--mrz", typed)
    as_meant = _check(capsys, *scan, "--mrz", a["mrz"])
    assert as_typed == as_meant
    assert as_typed["verdict"] == "issue"


def test_the_command_lines_french_verdicts_are_the_screens():
    # The command line said "SCANNER LE QR" where the post's screen says "SCANNER LE CODE QR".
    import re
    from pathlib import Path

    from app.cli import VERDICT_FR

    ts = (Path(__file__).parents[2] / "ui" / "i18n" / "kiosk_fr.ts").read_text(encoding="utf-8")
    shown = {"SCAN QR": "SCAN THE QR CODE"}  # the screen's words for the core's verdict
    for en, fr in VERDICT_FR.items():
        source = shown.get(en, en)
        found = re.search(f"<source>{source}</source>\\s*<translation>([^<]*)</translation>", ts)
        assert found and found.group(1) == fr, en
