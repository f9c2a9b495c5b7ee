"""The web console's "site today" page at a site's scale: N accreditations imported at
the hub (the platform export's path, hub/importer.py) and K kiosks' journals of the day
(badges issued, checks shown, refusals), then the page asked for over HTTP by a
signed-in browser, beside a baseline in the same process: the hub's /v1/health.

    .venv/bin/python bench/web_console.py [--size 100000] [--kiosks 20] [--runs 30]

The hub database is built once under /tmp/kiosk-bench/web-N-K and reused. Writes
bench/results/web_console.json. The time is the whole answer: session check, the
figures' queries, and the page rendered. The first ask after the hub starts (or after
an import changed the approvals) reads every approval: reported apart (`first_ask_ms`);
later asks read what changed since (hub/web/site_today.py).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

from hub.app import create_app
from hub.clients import Role, enrol
from hub.database import HubDatabase, utc_now
from hub.importer import import_data
from hub.schema import AccreditationRow, BadgeRow, JournalRow
from hub.web.accounts import WebRole, add_user
from kiosk.model import Status

ROOT = Path("/tmp/kiosk-bench")
PASSWORD = "bench password 1"
REFUSALS = ("id_number", "id_expiry", "window", "counter", "status", "photo")


def _journal(kiosk: str, number: int, at, action: str, acc: int, serial, verdict, failed):
    return {
        "kiosk_id": kiosk,
        "journal_id": number,
        "at": at,
        "actor": "clerk",
        "action": action,
        "accreditation_id": acc,
        "badge_serial": serial,
        "verdict": verdict,
        "details": {"counter": "groups", "role": "clerk", "failed": failed},
        "prev_hash": "0" * 64,
        "hash": "0" * 64,
        "mac": "",
        "seen_cursor": 0,
        "digest": "0" * 64,
        "received_at": at + timedelta(seconds=2),
        "via": "http",
    }


def kiosks_day(db: HubDatabase, kiosks: int, share: float = 0.6) -> dict:
    """K counters' day: `share` of the approved accreditations collected between 08:00
    and 17:00 (a check, then the issue, journalled), and one refusal for every ten."""
    rng = random.Random(17)
    with db.reading() as s:
        approved = s.scalars(
            select(AccreditationRow.id).where(AccreditationRow.status == Status.APPROVED.value)
        ).all()
    start = common.BENCH_NOW.replace(hour=8)
    badges, rows = [], []
    numbers = dict.fromkeys((f"G{k + 1}" for k in range(kiosks)), 0)
    for acc in rng.sample(approved, int(len(approved) * share)):
        kiosk = f"G{rng.randrange(kiosks) + 1}"
        at = start + timedelta(seconds=rng.randrange(9 * 3600))
        numbers[kiosk] += 1
        serial = f"{kiosk}-{numbers[kiosk]:06d}"
        badges.append(
            {
                "serial": serial,
                "accreditation_id": acc,
                "counter": "groups",
                "kiosk_id": kiosk,
                "clerk": "clerk",
                "supervisor": None,
                "reason": "",
                "issued_at": at,
                "valid_from": common.BENCH_DAY,
                "valid_until": common.BENCH_DAY,
                "status": "active",
                "superseded_by": None,
                "seq": 1,
            }
        )
        rows.append(_journal(kiosk, 0, at, "decision", acc, None, "issue", []))
        rows.append(_journal(kiosk, 0, at, "issue", acc, serial, "issue", []))
        if rng.random() < 0.1:
            why = [rng.choice(REFUSALS)]
            rows.append(_journal(kiosk, 0, at, "decision", acc, None, "refuse", why))
    counts = dict.fromkeys(numbers, 0)
    for row in rows:  # one journal per kiosk, numbered from 1
        counts[row["kiosk_id"]] += 1
        row["journal_id"] = counts[row["kiosk_id"]]
    with db.writing() as s:
        for k in range(0, len(badges), 20_000):
            s.execute(insert(BadgeRow), badges[k : k + 20_000])
        for k in range(0, len(rows), 20_000):
            s.execute(insert(JournalRow), rows[k : k + 20_000])
    return {"badges": len(badges), "journal_rows": len(rows)}


def site(folder: Path, size: int, kiosks: int) -> tuple[str, dict]:
    """A hub database of `size` accreditations and `kiosks` kiosks' day (built once)."""
    from app.demo.hub_export import demo_export

    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    done = folder / "complete"
    if done.exists():
        return url, {"reused": True}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    export, _ = demo_export(common.BENCH_DAY, size, photos=False)
    db = HubDatabase(url)
    t = time.perf_counter()
    import_data(db, export, f"bench-{size}.json", utc_now())
    built = {"import_s": time.perf_counter() - t}
    for k in range(kiosks):
        enrol(db, f"G{k + 1}", Role.COUNTER)
    built |= kiosks_day(db, kiosks)
    add_user(db, "chief", WebRole.CHIEF, PASSWORD, utc_now())
    db.close()
    done.touch()
    return url, built


def measure(url: str, runs: int) -> dict:
    """Median time of GET /console/today signed in, and of /v1/health, in ms."""
    from fastapi.testclient import TestClient

    db = HubDatabase(url)
    app = create_app(db, clock=lambda: common.BENCH_NOW)
    browser = TestClient(app, base_url="http://127.0.0.1")
    page = browser.get("/console/sign-in").text
    pre = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    signed = {"csrf": pre, "name": "chief", "password": PASSWORD}
    browser.post("/console/sign-in", data=signed, follow_redirects=False)
    t = time.perf_counter()
    first = browser.get("/console/today")  # cold: reads every approval and today's rows
    cold_ms = (time.perf_counter() - t) * 1000
    assert first.status_code == 200 and "svg" in first.text, first.text[:500]
    today = common.timed(lambda: browser.get("/console/today").raise_for_status(), [()] * runs)
    health = common.timed(lambda: browser.get("/v1/health").raise_for_status(), [()] * runs)
    db.close()
    return {
        "site_today": common.summary(today),
        "first_ask_ms": cold_ms,
        "baseline_health": common.summary(health),
        "page_bytes": len(first.content),
        "html": first.text,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--kiosks", type=int, default=20)
    p.add_argument("--runs", type=int, default=30)
    args = p.parse_args()
    url, built = site(ROOT / f"web-{args.size}-{args.kiosks}", args.size, args.kiosks)
    result = measure(url, args.runs)
    result.pop("html")
    result |= {"accreditations": args.size, "kiosks": args.kiosks, "built": built}
    out = common.write_result("web_console", result)
    print(f"{out}: site today median {result['site_today']['median_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
