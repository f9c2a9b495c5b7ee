"""Where one later sync round's time goes: the HTTP exchanges (and the hub's own time in
each), the kiosk's transactions, the hub's transactions, for the empty round (nothing to
deliver, nothing new: what a kiosk does every few seconds) and a round bringing 100
changes, over the hub of `bench/hub_sync.py` served by uvicorn in its own process.

    .venv/bin/python bench/sync_round.py [--size 10000] [--rounds 9]

One client is kept across rounds, as the kiosk's sync worker keeps it. The hub process
reports, in response headers this bench adds, its time per request and the write
transactions begun while serving it. Writes bench/results/sync_round_N.json.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import hub_sync

from hub.database import HubDatabase, utc_now
from kiosk.store.database import Store
from sync.client import SyncClient


def serve(url: str, port: int) -> None:
    """The hub's API, each answer carrying the hub's time on it and its writes begun."""
    import uvicorn

    from hub.app import create_app

    writes, lock = [0], threading.Lock()
    writing = HubDatabase.writing

    @contextmanager
    def counted(self):
        with lock:
            writes[0] += 1
        with writing(self) as s:
            yield s

    HubDatabase.writing = counted
    app = create_app(HubDatabase(url))

    async def timed(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        t, before = time.perf_counter(), writes[0]

        async def send_timed(message):
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - t) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-bench-hub-ms", f"{ms:.3f}".encode()),
                    (b"x-bench-hub-writes", str(writes[0] - before).encode()),
                ]
            await send(message)

        await app(scope, receive, send_timed)

    uvicorn.run(timed, host="127.0.0.1", port=port, log_level="warning")


def start(url: str) -> tuple[subprocess.Popen, str]:
    port = hub_sync._port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", url, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/v1/health", timeout=1)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the hub did not start")


class Steps:
    """Times of one round's steps, recorded by wrapping the client and the store."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.hub_writes = 0

    def add(self, step: str, ms: float) -> None:
        self.ms[step].append(ms)

    def row(self, wall: float) -> dict:
        """Count and milliseconds per step; the rest of the round's wall time apart."""
        out = {step: {"count": len(v), "ms": sum(v)} for step, v in sorted(self.ms.items())}
        spent = sum(v["ms"] for step, v in out.items() if not step.startswith(" "))
        return out | {
            "hub: write transactions begun": {"count": self.hub_writes, "ms": 0.0},
            "kiosk: the rest (outside exchanges and transactions)": {
                "count": 1,
                "ms": wall - spent,
            },
        }


def instrument(steps: list[Steps]) -> None:
    """Record exchanges (kiosk's wall time and the hub's own), and the kiosk store's
    read transactions (ORM sessions and raw snapshots) and write transactions, into
    steps[-1]."""
    call = SyncClient._call

    def timed_call(self, state, method, path, **kw):
        t = time.perf_counter()
        response = call(self, state, method, path, **kw)
        ms = (time.perf_counter() - t) * 1000
        hub_ms = float(response.headers.get("x-bench-hub-ms", "0"))
        steps[-1].add(f"exchange {method} {path}", ms)
        steps[-1].add(f"  of which the hub {method} {path}", hub_ms)
        steps[-1].hub_writes += int(response.headers.get("x-bench-hub-writes", "0"))
        return response

    SyncClient._call = timed_call
    for name, label in (("reading", "read"), ("snapshot", "read"), ("writing", "write")):
        unit = getattr(Store, name)

        def timed_unit(self, *args, _unit=unit, _label=label, **kw):
            t = time.perf_counter()
            with _unit(self, *args, **kw) as s:
                yield s
            ms = (time.perf_counter() - t) * 1000
            steps[-1].add(f"kiosk: {_label} transactions", ms)

        setattr(Store, name, contextmanager(timed_unit))


def _median_steps(rounds: list[Steps], walls: list[float]) -> dict:
    done = [r.row(wall) for r, wall in zip(rounds, walls, strict=True)]
    out = {}
    for name in sorted({k for r in done for k in r}):
        rows = [r.get(name, {"count": 0, "ms": 0.0}) for r in done]
        out[name] = {
            "count": statistics.median(r["count"] for r in rows),
            "median_ms": statistics.median(r["ms"] for r in rows),
        }
    return out


def measure(n: int, count: int) -> dict:
    url, _ = hub_sync.hub_database(n)
    db = HubDatabase(url)
    proc, base = start(url)
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-round-"))
    steps: list[Steps] = [Steps()]
    try:
        store = hub_sync.new_kiosk(db, base, work, f"R{secrets.token_hex(5).upper()}")
        client = SyncClient(store, utc_now, timeout=120)
        client.sync_once()  # the first sync, not measured here
        instrument(steps)
        out = {"accreditations": n}
        with hub_sync.get_client("kiosk") as http:  # the kiosk's own HTTP client
            for name in ("empty_round", f"incremental_{hub_sync.CHANGES}_changes"):
                walls, gets, rounds = [], [], []
                for r in range(count):
                    if name != "empty_round":
                        ids = range(1 + r * hub_sync.CHANGES, 1 + (r + 1) * hub_sync.CHANGES)
                        hub_sync.change_accreditations(db, list(ids), r)
                    steps.append(Steps())
                    t = time.perf_counter()
                    client.sync_once()
                    walls.append((time.perf_counter() - t) * 1000)
                    rounds.append(steps[-1])
                    t = time.perf_counter()
                    http.get(base + "/v1/health").read()  # a kept-alive GET of the hub
                    gets.append((time.perf_counter() - t) * 1000)
                out[name] = {
                    "round": common.summary(walls),
                    "health_get_kept_alive": common.summary(gets),
                    "steps": _median_steps(rounds, walls),
                }
        client.close()
        store.close()
    finally:
        proc.terminate()
        proc.wait(30)
        db.close()
        shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    """Run and print; write bench/results/sync_round_N.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--root", type=Path, default=hub_sync.ROOT, help="hub databases")
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    hub_sync.ROOT = args.root
    result = measure(args.size, args.rounds)
    out = common.write_result(f"sync_round_{args.size}", result)
    for name in ("empty_round", f"incremental_{hub_sync.CHANGES}_changes"):
        r = result[name]
        print(f"{name}: median {r['round']['median_ms']:.1f} ms")
        for step, v in r["steps"].items():
            print(f"  {step:54s} x{v['count']:<4g} {v['median_ms']:7.2f} ms")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
