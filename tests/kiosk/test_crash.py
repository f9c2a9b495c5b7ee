"""Kill the kiosk (SIGKILL) at random moments while it issues badges: nothing is lost,
nothing is half-done, the database stays sound."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from kiosk.store.database import Store

CHILD = r"""
import json, sys, time
from datetime import datetime
from pathlib import Path
from app.wiring import open_kiosk, read_mrz
from kiosk.counter import NotIssued
from kiosk.model import BRUSSELS, Counter
from kiosk.roles import Actor, Role
data_dir, start = Path(sys.argv[1]), int(sys.argv[2])
now = datetime(2026, 2, 14, 10, tzinfo=BRUSSELS)
kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: now)
applicants = json.loads(sys.stdin.readline())
print("READY", flush=True)
for a in applicants[start:]:
    sys.stdin.readline()  # the test's "go": it paces the work, so it always knows where it is
    began = time.perf_counter()
    try:
        done = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), Actor("ann", Role.CLERK))
    except NotIssued:
        print("REFUSED", a["accreditation_id"], time.perf_counter() - began, flush=True)
        continue
    # The clerk sees the confirmation only once issue() has returned (committed).
    took = time.perf_counter() - began
    print("CONFIRMED", done.badge.serial, a["accreditation_id"], took, flush=True)
"""


def run_until_killed(data_dir, applicants, start, rng) -> tuple[list[str], bool]:
    """Run the issuing child from `start`: let it issue a few (2 to 5) one at a time, then
    start one more and SIGKILL it at a random moment within the time the one before took
    (whatever the machine's speed, the kill lands about inside the work). Return what it
    printed and whether the kill cut work in progress, read from its output (the last one
    started was not reported), not from the clock."""
    left = len(applicants) - start
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(start)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdin.write(json.dumps(applicants) + "\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "READY"  # imports done: work starts now
    out, took = [], []
    for _ in range(min(rng.randrange(2, 6), left)):
        proc.stdin.write("go\n")
        proc.stdin.flush()
        out.append(proc.stdout.readline().strip())
        assert out[-1], f"the issuing child stopped by itself: {proc.stderr.read()}"
        took.append(float(out[-1].split()[-1]))
    if len(out) < left:  # one more, cut within about the time the last one took
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0.0, took[-1]))
    proc.send_signal(signal.SIGKILL)
    proc.stdin.close()
    *done, _cut = proc.stdout.read().split("\n")  # a line cut by the kill: never seen
    out += done
    proc.wait()
    return out, len(out) < min(len(took) + 1, left)


@pytest.mark.slow
def test_sigkill_during_issuances_loses_nothing(demo_dir, manifest):
    # Many fresh approved ministerial applicants: those the groups counter may issue to.
    applicants = [a for a in manifest["applicants"] if a["expect"]["groups"] == "issue"]
    assert len(applicants) >= 20
    rng = random.Random(7)
    confirmed: dict[str, int] = {}
    handled: set[int] = set()
    rounds = interrupted = 0
    while len(handled) < len(applicants) and rounds < 60:
        lines, cut = run_until_killed(demo_dir, applicants, len(handled), rng)
        rounds += 1
        interrupted += cut
        for line in lines:
            word, *rest = line.split()[:-1]  # the last is the time it took
            if word == "CONFIRMED":
                confirmed[rest[0]] = int(rest[1])
                handled.add(int(rest[1]))
            else:
                handled.add(int(rest[0]))
        # A kill between commit and print leaves a badge the clerk never saw: the
        # next run finds it already issued and refuses, which also counts as handled.
    assert interrupted >= 3  # the kills really cut work in progress

    db = sqlite3.connect(demo_dir / "kiosk.sqlite3")
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    ids = [a["accreditation_id"] for a in applicants]
    marks = ",".join("?" * len(ids))
    badges = dict(
        db.execute(
            f"select serial, accreditation_id from badges where accreditation_id in ({marks})", ids
        )
    )
    # Every issuance the clerk saw confirmed is there, exactly once.
    for serial, acc in confirmed.items():
        assert badges.get(serial) == acc
    doubles = db.execute(
        "select accreditation_id from badges where status = 'active'"
        " group by accreditation_id having count(*) > 1"
    ).fetchall()
    assert doubles == []
    # None is half-done: every badge has its journal entry and every entry its badge.
    issued = {r[0] for r in db.execute("select badge_serial from journal where action='issue'")}
    assert set(badges) <= issued
    assert issued <= {r[0] for r in db.execute("select serial from badges")}
    assert len(confirmed) >= 10
    # The journal's chain, seals and head were written with the entries: all hold.
    store = Store.in_dir(demo_dir)
    with store.reading() as session:
        count, broken = store.journal.verify(session)
    store.close()
    assert broken is None and count >= len(confirmed)
