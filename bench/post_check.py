"""A security post's check of a badge, and its journal entry.

The guard waits for the verification (`SecurityPost.verify`) only; the journal entry
(`PostJournal.record`: the account read again, one sealed row, a durable commit) is
written on a worker after the answer is on screen. Both are timed on the demo world,
beside a baseline in the same process: one row inserted and committed by bare sqlite3
in a copy of the same store, with the same durability (WAL, synchronous=FULL), which is
what any journalled action pays the disk.

    .venv/bin/python bench/post_check.py [--runs 200]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import summary, timed, write_result

from app.demo.build import build
from app.wiring import open_kiosk, read_mrz
from kiosk.model import BRUSSELS, BadgeStatus, Counter
from kiosk.roles import Actor, Role
from kiosk.store.schema import BadgeRow

GUARD = Actor("security", Role.SECURITY)  # the demo's accounts
CLERK = Actor("clerk", Role.CLERK)


def _badge_code(kiosk, manifest: dict) -> str:
    """The QR text of a badge handed over to a demo applicant, valid on the demo's day."""
    a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
    serial = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), CLERK).badge.serial
    with kiosk.store.writing() as s:
        s.get(BadgeRow, serial).status = BadgeStatus.ACTIVE.value
    return kiosk.desk.cards.card(serial).badge_code


def _bare_commits(db_file: Path, runs: int) -> list[float]:
    """One INSERT and COMMIT per run by bare sqlite3, as durable as the store's."""
    db = sqlite3.connect(db_file, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT)")

    def one() -> None:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO bench_rows (body) VALUES (?)", ("x" * 300,))
        db.execute("COMMIT")

    try:
        return timed(one, [()] * runs)
    finally:
        db.close()


def main() -> None:
    """Time verify, record and the bare commit; print medians and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "demo"
        build(data_dir)
        manifest = json.loads((data_dir / "scenarios.json").read_text())
        today = date.fromisoformat(manifest["today"][:10])
        now = datetime(today.year, today.month, today.day, 10, tzinfo=BRUSSELS)
        kiosk = open_kiosk(data_dir, Counter.GROUPS, clock=lambda: now)
        try:
            code = _badge_code(kiosk, manifest)
            post, journal = kiosk.security_post(), kiosk.post_journal()
            verification = post.verify(code)
            assert verification.valid, verification.reason
            runs = [()] * args.runs
            verify = timed(lambda: post.verify(code), runs)
            record = timed(lambda: journal.record(verification, GUARD), runs)
        finally:
            kiosk.close()
        copy = Path(tmp) / "copy.sqlite3"
        shutil.copy(data_dir / "kiosk.sqlite3", copy)
        baseline = _bare_commits(copy, args.runs)
    result = {
        "post_verify": summary(verify),
        "post_journal_record": summary(record),
        "baseline_bare_durable_commit": summary(baseline),
    }
    result["record_over_baseline"] = round(
        result["post_journal_record"]["median_ms"]
        / result["baseline_bare_durable_commit"]["median_ms"],
        2,
    )
    write_result("post_check", result)
    ratio = result.pop("record_over_baseline")
    for name, s in result.items():
        print(f"{name:<30} median {s['median_ms']:6.2f} ms  p95 {s['p95_ms']:6.2f} ms")
    print(f"the journal entry is {ratio}x a bare durable commit")


if __name__ == "__main__":
    main()
