"""`kiosk hours`, `kiosk pool` and the press card flags of `kiosk check` and `kiosk
issue`, run as the clerk would: bad input gets a sentence and changes nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from datetime import datetime, timedelta

import pytest

from kiosk.model import BRUSSELS
from tests import cli_process

pytestmark = pytest.mark.slow  # every test runs `kiosk` as a process

AT = "2026-02-14T10:00"


def kiosk(data_dir, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin=stdin)


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def rows(data_dir, table: str) -> int:
    with sqlite3.connect(data_dir / "kiosk.sqlite3") as db:
        return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_press_card_flags_on_check_and_issue(demo_dir, manifest):
    a = applicant(manifest, "approved_ministerial")
    scan = ["--counter", "groups", "--code", a["code"], "--mrz", a["mrz"], "--at", AT]
    card = ["--press-card-issuer", "CCIJP", "--press-card-expiry", "2027-12-31"]
    other = kiosk(demo_dir, "check", *scan, "--press-card", "PC-FRA-99999", *card, "--json")
    assert json.loads(other.stdout)["verdict"] == "supervisor"
    half = kiosk(demo_dir, "check", *scan, "--press-card", "PC-FRA-40001")
    assert half.returncode == 2 and "go together; nothing was done" in half.stderr
    issued = kiosk(
        demo_dir,
        "issue",
        *scan,
        "--press-card",
        "PC-FRA-40001",
        *card,
        "--clerk",
        "clerk",
        "--pin-stdin",
        stdin="1111\n",
    )
    assert issued.returncode == 0, issued.stderr
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        details = db.execute(
            "select details from journal where action = 'issue' order by id desc limit 1"
        ).fetchone()[0]
    assert json.loads(details)["press_card"]["same_as_applied"] is True


def test_hours_add_list_and_refuse_overlap(demo_dir):
    before = rows(demo_dir, "counter_hours")
    overlap = kiosk(
        demo_dir,
        "hours",
        "add",
        "07:00-09:00",
        "--weekday",
        "mon",
        "--counter",
        "visitors",
        "--admin",
        "admin",
        "--pin-stdin",
        stdin="444444\n",
    )
    assert overlap.returncode == 1
    assert "overlaps the Visitors counter's hours 08:00–17:00 every mon" in overlap.stderr
    assert "Nothing was changed." in overlap.stderr
    inverted = kiosk(
        demo_dir,
        "hours",
        "add",
        "19:00-18:00",
        "--weekday",
        "mon",
        "--counter",
        "visitors",
        "--admin",
        "admin",
        "--pin-stdin",
        stdin="444444\n",
    )
    assert "are inverted" in inverted.stderr
    assert rows(demo_dir, "counter_hours") == before  # refusals change nothing
    added = kiosk(
        demo_dir,
        "hours",
        "add",
        "17:00-19:00",
        "--weekday",
        "mon",
        "--counter",
        "visitors",
        "--admin",
        "admin",
        "--pin-stdin",
        stdin="444444\n",
    )
    assert added.returncode == 0 and added.stdout.startswith("added hours no. ")
    listed = kiosk(demo_dir, "hours", "list", "--counter", "visitors").stdout
    assert "visitors\tevery mon\t17:00-19:00" in listed
    clerk = kiosk(
        demo_dir,
        "hours",
        "close",
        "--day",
        "2026-02-16",
        "--reason",
        "holiday",
        "--counter",
        "visitors",
        "--admin",
        "clerk",
        "--pin-stdin",
        stdin="1111\n",
    )
    assert clerk.returncode != 0 and rows(demo_dir, "counter_closures") == 0


def test_pool_list_hand_out_and_return(demo_dir, manifest):
    who = applicant(manifest, "pool_photographer")["registration"]
    moments = kiosk(demo_dir, "pool", "list", "--at", AT).stdout
    assert "DEFMIN-PHOTO\tDEFMIN\t15.02.2026 09:30\tOfficial photo" in moments
    out = kiosk(
        demo_dir,
        "pool",
        "hand-out",
        "--moment",
        "DEFMIN-PHOTO",
        "--accreditation",
        who,
        "--clerk",
        "clerk",
        "--pin-stdin",
        "--at",
        AT,
        stdin="1111\n",
    )
    assert out.returncode == 0 and "handed out to " + who in out.stdout
    roster = kiosk(demo_dir, "pool", "list", "--moment", "DEFMIN-PHOTO", "--at", AT).stdout
    assert f"{who}\tGARCÍA, Lucía\tphotographer\tout\tclerk 14.02 10:00" in roster
    written = applicant(manifest, "pool_written_press")["registration"]
    refused = kiosk(
        demo_dir,
        "pool",
        "hand-out",
        "--moment",
        "DEFMIN-PHOTO",
        "--accreditation",
        written,
        "--clerk",
        "clerk",
        "--pin-stdin",
        "--at",
        AT,
        stdin="1111\n",
    )
    assert refused.returncode == 1 and "not written press. Nothing was changed." in refused.stderr
    assert rows(demo_dir, "pool_cards") == 1
    back = kiosk(
        demo_dir,
        "pool",
        "return",
        "--moment",
        "DEFMIN-PHOTO",
        "--accreditation",
        who,
        "--clerk",
        "clerk",
        "--pin-stdin",
        "--at",
        AT,
        stdin="1111\n",
    )
    assert back.returncode == 0 and "returned by " + who in back.stdout
    bad = kiosk(
        demo_dir,
        "pool",
        "return",
        "--moment",
        "X",
        "--accreditation",
        "B12",
        "--clerk",
        "clerk",
        "--pin-stdin",
        stdin="1111\n",
    )
    assert bad.returncode == 2 and "is not an accreditation id or A-number" in bad.stderr


def test_an_administrator_puts_a_pooled_moment_on_file(demo_dir):
    moment = [
        "pool", "add-moment", "SUMMIT-FAMILY", "--event", "SUMMIT", "--name", "Family photo",
        "--starts", "2026-02-16T12:00", "--place", "Public Square, north tent",
        "--opens", "2026-02-15T09:00", "--closes", "2026-02-15T17:00", "--at", AT,
    ]  # fmt: skip
    clerk = kiosk(demo_dir, *moment, "--admin", "clerk", "--pin-stdin", stdin="1111\n")
    assert clerk.returncode != 0 and "SUMMIT-FAMILY" not in kiosk(demo_dir, "pool", "list").stdout
    inverted = [*moment[:-6], "--opens", "2026-02-15T17:00", "--closes", "2026-02-15T09:00"]
    bad = kiosk(demo_dir, *inverted, "--admin", "admin", "--pin-stdin", stdin="444444\n")
    assert bad.returncode == 1 and "must open before it closes. Nothing was changed." in bad.stderr
    ok = kiosk(demo_dir, *moment, "--admin", "admin", "--pin-stdin", stdin="444444\n")
    assert ok.returncode == 0, ok.stderr
    listed = kiosk(demo_dir, "pool", "list", "--event", "SUMMIT").stdout
    assert "SUMMIT-FAMILY\tSUMMIT\t16.02.2026 12:00\tFamily photo" in listed
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        (actor,) = db.execute("select actor from journal where action = 'pool_moment'").fetchone()
    assert actor == "admin"


def test_a_day_already_gone_is_refused_with_the_day_and_today_and_changes_nothing(demo_dir):
    """ "2025" typed for "2026" would close or open nothing: a sentence, exit 1."""
    admin = ("--admin", "admin", "--pin-stdin")
    closures, hours = rows(demo_dir, "counter_closures"), rows(demo_dir, "counter_hours")
    closed = kiosk(
        demo_dir, "hours", "close", "--day", "2025-12-25", "--reason", "Christmas",
        "--counter", "visitors", *admin, stdin="444444\n",
    )  # fmt: skip
    assert closed.returncode == 1
    assert "kiosk: 25.12.2025 is already past (today is " in closed.stderr
    assert "Check the year. Nothing was changed." in closed.stderr
    added = kiosk(
        demo_dir, "hours", "add", "08:00-12:00", "--day", "2025-12-24", "--counter", "visitors",
        *admin, stdin="444444\n",
    )  # fmt: skip
    assert added.returncode == 1 and "24.12.2025 is already past" in added.stderr
    moment = kiosk(
        demo_dir, "pool", "add-moment", "OLD", "--event", "SUMMIT", "--name", "Photo",
        "--starts", "2025-02-16T12:00", "--place", "Hall", "--opens", "2025-02-15T09:00",
        "--closes", "2025-02-15T17:00", "--at", AT, *admin, stdin="444444\n",
    )  # fmt: skip
    assert moment.returncode == 1
    assert "closes on 15.02.2025 17:00, already past (today is 14.02.2026, 10:00)" in (
        moment.stderr
    )
    assert (rows(demo_dir, "counter_closures"), rows(demo_dir, "counter_hours")) == (
        closures,
        hours,
    )
    assert "OLD" not in kiosk(demo_dir, "pool", "list").stdout


def test_a_kiosk_without_a_hub_takes_the_office_s_french_texts_too(demo_dir):
    admin = ("--admin", "admin", "--pin-stdin")
    ahead = (datetime.now(BRUSSELS).date() + timedelta(days=30)).isoformat()  # the wall clock's
    closed = kiosk(
        demo_dir, "hours", "close", "--day", ahead, "--reason", "Public holiday",
        "--reason-fr", "Jour férié", "--counter", "visitors", *admin, stdin="444444\n",
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    moment = kiosk(
        demo_dir, "pool", "add-moment", "SUMMIT-FAMILY", "--event", "SUMMIT", "--name",
        "Family photo", "--name-fr", "Photo de famille", "--starts", "2026-02-16T12:00",
        "--place", "Hall", "--place-fr", "n" * 201, "--opens", "2026-02-15T09:00",
        "--closes", "2026-02-15T17:00", "--at", AT, *admin, stdin="444444\n",
    )  # fmt: skip
    assert moment.returncode == 1
    assert "The French hand-out place has 201 characters" in moment.stderr
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        assert db.execute(
            "select reason, reason_fr from counter_closures where day = ?", (ahead,)
        ).fetchall() == [("Public holiday", "Jour férié")]
        assert db.execute("select 1 from pool_moments where id = 'SUMMIT-FAMILY'").fetchall() == []
