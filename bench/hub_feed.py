"""What the hub process spends on one /v1/feed request, in one process (no HTTP server, no
kiosk): the whole route called as ASGI with a hand-built scope (token check, feed key,
page, signature, the note of the kiosk's cursor after the body), beside a bare route
answering the same bytes from the same app, for a page of 100 changes and the empty page
a kiosk pulls every few seconds; then build_page and its signature alone; then the same
feed requests and GETs of the same bytes to the hub served by uvicorn; then 100 changes
as a round meets them (just written by the office, the kiosk's cursor noted).

    .venv/bin/python bench/hub_feed.py [--size 10000] [--calls 200]

Works on a copy of the hub of `bench/hub_sync.py` (the copy is changed: a kiosk enrolled,
100 accreditations revoked). Wall milliseconds (median of the calls) and CPU
milliseconds per call (`time.process_time` over all calls, every thread of the process).
Writes bench/results/hub_feed_N.json.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import httpx
import hub_sync
from fastapi import Response

from hub.app import create_app
from hub.clients import Role, authenticate, enrol
from hub.database import HubDatabase, head, utc_now
from hub.feed import build_page
from hub.feed_keys import signer_for

NONCE = "n" * 16


def scope(path: str, query: str, token: str) -> dict:
    """An HTTP GET as uvicorn hands it to the app."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"authorization", f"Bearer {token}".encode()), (b"host", b"hub")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
    }


async def call(app, request: dict) -> tuple[float, float, int]:
    """(ms to the body's last byte, ms to the app's return, body length)."""
    marks: dict[str, float] = {}
    size = [0]

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"status {message['status']}")
        if message["type"] == "http.response.body":
            size[0] += len(message.get("body", b""))
            if not message.get("more_body"):
                marks["body"] = time.perf_counter()

    t = time.perf_counter()
    await app(request, receive, send)
    end = time.perf_counter()
    return (marks["body"] - t) * 1000, (end - t) * 1000, size[0]


async def route(app, request: dict, calls: int) -> dict:
    """Medians of `calls` calls of `request` after a few warm-up calls, CPU per call."""
    for _ in range(5):
        await call(app, request)
    cpu = time.process_time()
    done = [await call(app, request) for _ in range(calls)]
    cpu = (time.process_time() - cpu) * 1000 / calls
    return {
        "to_body_ms": statistics.median(d[0] for d in done),
        "total_ms": statistics.median(d[1] for d in done),
        "cpu_ms": cpu,
        "bytes": done[0][2],
    }


async def fresh_rounds(app, db: HubDatabase, token: str, calls: int, n: int) -> dict:
    """As a kiosk's round meets it: before each call the office changes 100 other
    accreditations of the `n` (not timed; after the first 90 batches, or all of a smaller
    hub, the same again) and the kiosk asks from the head before them, so the hub reads
    just-written rows and notes the kiosk's new cursor after the body."""
    done, cpu = [], 0.0
    batches = max(1, min(90, n // hub_sync.CHANGES))
    for r in range(calls + 5):
        with db.reading() as s:
            cursor = head(s)
        batch = r % batches
        ids = range(1 + batch * hub_sync.CHANGES, 1 + (batch + 1) * hub_sync.CHANGES)
        hub_sync.change_accreditations(db, list(ids), r)
        feed = scope("/v1/feed", f"cursor={cursor}&nonce={NONCE}&limit=1000", token)
        t = time.process_time()
        timed = await call(app, feed)
        if r >= 5:
            done.append(timed)
            cpu += time.process_time() - t
    return {
        "to_body_ms": statistics.median(d[0] for d in done),
        "total_ms": statistics.median(d[1] for d in done),
        "cpu_ms": cpu * 1000 / calls,
        "bytes": statistics.median(d[2] for d in done),
    }


def served(url: str, token: str, cursors: dict[str, int], calls: int) -> dict:
    """The same requests to the hub served by uvicorn in its own process (as
    `bench/hub_sync.py` serves it), one kept-alive connection: wall medians and the hub
    process's CPU per request, the feed beside a GET of the same bytes."""
    proc, base = hub_sync.start_hub(url)
    out = {}
    try:
        with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
            for name, cursor in cursors.items():
                params = {"cursor": cursor, "nonce": NONCE, "limit": 1000}
                size = len(http.get(base + "/v1/feed", params=params).content)
                for path, query in (("/v1/feed", params), ("/bench/blob", {"size": size})):
                    ms = []
                    cpu = hub_sync.cpu_seconds(proc.pid)
                    for _ in range(calls):
                        t = time.perf_counter()
                        http.get(base + path, params=query).read()
                        ms.append((time.perf_counter() - t) * 1000)
                    cpu = (hub_sync.cpu_seconds(proc.pid) - cpu) * 1000 / calls
                    out[f"{name} {path}"] = {"ms": statistics.median(ms), "hub_cpu_ms": cpu}
    finally:
        proc.terminate()
        proc.wait(30)
    return out


def in_process(db: HubDatabase, token: str, cursor: int, calls: int) -> dict:
    """build_page and its signature alone, called as the route calls them."""
    client, now = authenticate(db, token), utc_now()
    ms = []
    cpu = time.process_time()
    for _ in range(calls):
        t = time.perf_counter()
        held = signer_for(db, None)
        held.signer.sign(build_page(db, client, cursor, 1000, NONCE, now, held.starts_at))
        ms.append((time.perf_counter() - t) * 1000)
    return {"ms": statistics.median(ms), "cpu_ms": (time.process_time() - cpu) * 1000 / calls}


def measure(n: int, calls: int) -> dict:
    """The route, build_page and the served hub for 100 changes and for the empty page,
    then rounds of 100 fresh changes, on a copy of the bench's hub."""
    url, _ = hub_sync.hub_database(n)
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-hubfeed-"))
    try:
        source = sqlite3.connect(url.removeprefix("sqlite:///"))
        with closing(source), closing(sqlite3.connect(work / "hub.sqlite3")) as copy:
            source.backup(copy)  # a consistent copy, whatever its WAL holds
        db = HubDatabase(f"sqlite:///{work / 'hub.sqlite3'}")
        token = enrol(db, "BFEED1", Role.COUNTER)
        with db.reading() as s:
            before = head(s)
        hub_sync.change_accreditations(db, list(range(1, hub_sync.CHANGES + 1)), 0)
        with db.reading() as s:
            after = head(s)
        app = create_app(db)
        blob = b"x" * (1 << 20)

        @app.get("/bench/blob")
        def bytes_(size: int) -> Response:
            return Response(blob[:size], media_type="application/octet-stream")

        out = {"accreditations": n, "calls": calls}
        for name, cursor in ((f"{hub_sync.CHANGES}_changes", before), ("empty", after)):
            feed = scope("/v1/feed", f"cursor={cursor}&nonce={NONCE}&limit=1000", token)
            timed = asyncio.run(route(app, feed, calls))
            bare = scope("/bench/blob", f"size={timed['bytes']}", token)
            out[name] = {
                "route": timed,
                "bare_route_same_bytes": asyncio.run(route(app, bare, calls)),
                "build_page_and_sign": in_process(db, token, cursor, calls),
            }
        cursors = {f"{hub_sync.CHANGES}_changes": before, "empty": after}
        out["served"] = served(f"sqlite:///{work / 'hub.sqlite3'}", token, cursors, calls)
        out["100_changes_fresh"] = {
            "route": asyncio.run(fresh_rounds(app, db, token, calls // 4, n))
        }
        db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    """Run and print; write bench/results/hub_feed_N.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--root", type=Path, default=hub_sync.ROOT, help="hub databases")
    args = ap.parse_args()
    hub_sync.ROOT = args.root
    result = measure(args.size, args.calls)
    out = common.write_result(f"hub_feed_{args.size}", result)
    for name in (f"{hub_sync.CHANGES}_changes", "empty"):
        r = result[name]
        f, b, p = r["route"], r["bare_route_same_bytes"], r["build_page_and_sign"]
        print(
            f"{name:12s} route {f['to_body_ms']:5.2f} ms to body, {f['total_ms']:5.2f} ms, "
            f"CPU {f['cpu_ms']:5.2f} ms ({f['bytes']} bytes) | bare route {b['total_ms']:5.2f}"
            f" ms, CPU {b['cpu_ms']:5.2f} ms | build_page+sign {p['ms']:5.2f} ms, "
            f"CPU {p['cpu_ms']:5.2f} ms"
        )
    f = result["100_changes_fresh"]["route"]
    print(
        f"100 changes, just written: route {f['to_body_ms']:5.2f} ms to body, "
        f"{f['total_ms']:5.2f} ms with the cursor's note, CPU {f['cpu_ms']:5.2f} ms"
    )
    for name, r in result["served"].items():
        print(f"served: {name:28s} {r['ms']:5.2f} ms, hub CPU {r['hub_cpu_ms']:5.2f} ms")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
