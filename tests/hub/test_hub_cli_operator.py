"""`kiosk-hub` as an operator runs it (a process of its own): what it says when the
database is wrong or new, when a list is empty, the times it prints (Brussels time, as in
its own messages, the console and the kiosks), and a console password typed at a
terminal."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from select import select as readable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import schema as h
from hub.app import create_app
from hub.database import HubDatabase, utc_now
from hub.web.accounts import WebRole, add_user, users
from tests import cli_process
from tests.hub.test_web_console import add_handoff, make_conflict
from tests.site_fixtures import fill

pytestmark = pytest.mark.slow
HUB = [sys.executable, "-m", "app.hub_cli"]


def kiosk_hub(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return cli_process.run("app.hub_cli", *args, stdin=stdin)


def test_times_are_brussels_time_as_in_the_messages(sqlite_hub_db, export_and_entries):
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    make_conflict(db)  # detected 14.02.2026 at 10:00 in Brussels (09:00 UTC)
    add_handoff(db)
    conflicts = kiosk_hub("conflicts", "--db", db.url)
    assert "#1 2026-02-14 10:00 revoked_while_offline A0000001" in conflicts.stdout
    handoffs = kiosk_hub("handoffs", "--db", db.url)
    assert handoffs.stdout.startswith("2026-02-14 10:00 open "), handoffs.stdout


@pytest.mark.parametrize(
    "url, why",
    [
        ("notaurl", "that is not a database URL"),
        ("garbage://x", "this hub has no driver for that kind of database"),
        ("postgresql://hub:s3cret@127.0.0.1:1/hub", "Connection refused"),
    ],
)
def test_a_wrong_database_url_is_a_sentence(url, why):
    done = kiosk_hub("clients", "list", "--db", url)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("kiosk-hub: cannot open the hub database "), done.stderr
    assert why in done.stderr and "Give --db sqlite:///FILE or postgresql://" in done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert "s3cret" not in done.stderr  # the password is not shown


def test_a_new_empty_database_is_announced_and_empty_lists_say_so(tmp_path):
    path = tmp_path / "elsewhere" / "hub.sqlite3"
    url = f"sqlite:///{path}"
    first = kiosk_hub("clients", "list", "--db", url)
    assert first.returncode == 0
    assert f"there was no hub database at {path}: a new, empty one was made" in first.stderr
    assert first.stdout == "no kiosk enrolled (kiosk-hub enrol ID --role counter|security ...)\n"
    for args, said in (
        (("hours", "list"), "no opening hours and no closure on file: the counters are not"),
        (("pool", "list"), "no pooled moment on file (kiosk-hub pool add-moment)"),
        (("photos",), "no photo was replaced at a counter's desk"),
        (("web-user", "list"), "no web console account (kiosk-hub web-user add NAME"),
    ):
        done = kiosk_hub(*args, "--db", url)
        assert done.returncode == 0 and done.stdout.startswith(said), (args, done.stdout)
        assert done.stderr == ""  # the database exists now: no note


def test_a_console_password_is_asked_twice_at_a_terminal_and_once_on_stdin(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    HubDatabase(url).close()
    add = ("web-user", "add", "anna", "--role", "office", "--db", url)
    # At a terminal: typed twice, without echo; two that differ change nothing.
    status, said = at_terminal([*HUB, *add], ["a long passphrase", "another passphrase"])
    assert status == 1 and "the two passwords differ; nothing was changed" in said
    status, said = at_terminal([*HUB, *add], ["a long passphrase", "a long passphrase"])
    assert status == 0 and "web console account anna (office) added" in said
    assert "a long passphrase" not in said  # never echoed
    # From a script: one line of stdin; none at all is a sentence.
    empty = kiosk_hub(*add)
    assert empty.returncode == 1 and "no password on stdin: type it at a terminal" in empty.stderr
    again = kiosk_hub(*add, stdin="a new long passphrase\n")
    assert "anna (office): new password set; its sessions are ended" in again.stdout
    db = HubDatabase(url)
    try:
        assert users(db) == [("anna", "office")]
    finally:
        db.close()


def at_terminal(command: list[str], answers: list[str]) -> tuple[int, str]:
    """Run `command` on a pseudo-terminal, answering each password prompt in turn; its
    exit status and everything it wrote."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its own
        os.execv(command[0], command)
    said, pending = b"", list(answers)
    deadline = time.monotonic() + 60  # a stuck child fails the test, it does not hang it
    while time.monotonic() < deadline:
        ready, _, _ = readable([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal: it ended
            break
        if not chunk:
            break
        said += chunk
        # Answer a prompt once it is shown: getpass drops what was typed before it.
        if pending and said.endswith(b": "):
            os.write(fd, pending.pop(0).encode() + b"\n")
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), said.decode(errors="replace")


def test_removing_a_console_account_ends_its_sessions(sqlite_hub_db):
    # There was no way to stop the account of someone who left, but a new password.
    db = sqlite_hub_db
    add_user(db, "bob", WebRole.OFFICE, "bob's long password", utc_now())
    browser = TestClient(create_app(db), base_url="http://127.0.0.1")
    pre = browser.get("/console/sign-in").text.split('name="csrf" value="')[1].split('"')[0]
    form = {"csrf": pre, "name": "bob", "password": "bob's long password"}
    assert browser.post("/console/sign-in", data=form, follow_redirects=False).status_code == 303
    assert browser.get("/console/today", follow_redirects=False).status_code == 200
    done = kiosk_hub("web-user", "remove", "bob", "--operator", "chief", "--db", db.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "web console account bob removed; its sessions are ended\n"
    r = browser.get("/console/today", follow_redirects=False)
    assert r.headers["location"] == "/console/sign-in"  # signed out at once
    assert users(db) == []
    again = kiosk_hub("web-user", "remove", "bob", "--db", db.url)
    assert again.returncode == 1
    assert (
        again.stderr
        == "kiosk-hub: there is no web console account 'bob' (kiosk-hub web-user list)\n"
    )
    with db.reading() as s:
        entry = s.scalars(
            select(h.JournalRow).where(h.JournalRow.action == "web_user_removed")
        ).one()
    assert (entry.actor, entry.details["user"]) == ("chief", "bob")
