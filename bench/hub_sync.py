"""Sync over loopback: a kiosk's first sync of N accreditations (photos included), an
incremental sync of 100 changes and the empty round (nothing to deliver, nothing new:
what a kiosk does every few seconds), beside a baseline measured in the same run: raw
HTTP GETs of the same number of bytes, in the same page sizes, from the same hub process
(the median of three passes after each sync). Incremental and empty rounds reuse one
client, as the kiosk's sync worker does, and their baseline GETs one connection.

    .venv/bin/python bench/hub_sync.py [--sizes 10000 100000] [--runs 3] [--link 1gbit]

With --link RATE (root only) the hub listens across a link of that rate (bench/link.py)
instead of loopback: what a counter on the site's network sees.

The hub (`create_app` over SQLite, served by uvicorn) runs in its own process, as in
production; the kiosk syncs from this one into a fresh store each run. Hub databases
are built once under /tmp/kiosk-bench/sync-N and reused. Writes bench/results/sync_N.json.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from link import Link, shaped_link

from hub.clients import Role, enrol, enrolment
from hub.database import HubDatabase, utc_now
from hub.importer import import_data
from kiosk.model import BRUSSELS
from kiosk.store.database import Store
from sync import client as sync_client
from sync.client import SyncClient
from sync.state import enrol as enrol_kiosk
from sync.transport import hub_transport

ROOT = Path("/tmp/kiosk-bench")
CHANGES = 100
BASELINE_PASSES = 3


def hub_database(n: int) -> tuple[str, dict]:
    """A hub database of `n` demo accreditations with photos (built once, then reused)."""
    from app.demo.hub_export import demo_export

    folder = ROOT / f"sync-{n}"
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    done = folder / "complete"
    if done.exists():
        return url, {"reused": True}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t = time.perf_counter()
    export, _ = demo_export(common.BENCH_DAY, n, photos=True, workers=os.cpu_count() or 1)
    made = time.perf_counter() - t
    db = HubDatabase(url)
    t = time.perf_counter()
    import_data(db, export, f"bench-{n}.json", utc_now())
    imported = time.perf_counter() - t
    db.close()
    done.touch()
    return url, {"export_s": made, "import_s": imported}


def serve(url: str, port: int, host: str) -> None:
    """The hub's API plus a bench-only route serving N bytes (the baseline)."""
    import uvicorn
    from fastapi import Response

    from hub.app import create_app

    app = create_app(HubDatabase(url))
    blob = b"x" * (64 * 1024 * 1024)

    @app.get("/bench/blob")
    def bytes_(size: int) -> Response:
        return Response(blob[:size], media_type="application/octet-stream")

    uvicorn.run(app, host=host, port=port, log_level="warning")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_hub(url: str, link: Link | None = None) -> tuple[subprocess.Popen, str]:
    """The hub in its own process, on loopback or across `link` (`ip netns exec` execs, so
    the process's pid is the hub's)."""
    port, host = _port(), link.hub_ip if link else "127.0.0.1"
    cmd = [sys.executable, __file__, "--serve", url, "--port", str(port), "--host", host]
    proc = subprocess.Popen([*(link.prefix if link else ()), *cmd])
    base = f"http://{host}:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/v1/health", timeout=1)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the hub did not start")


class Counting(httpx.BaseTransport):
    """The kiosk's own transport, recording the size of every answer."""

    def __init__(self) -> None:
        self.inner = hub_transport("")
        self.sizes: list[int] = []

    def close(self) -> None:
        self.inner.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        if request.url.path == "/v1/feed":
            self.sizes.append(len(response.content))
        return response


class Applying:
    """Times spent applying pages to the kiosk store."""

    def __init__(self) -> None:
        self.ms: list[float] = []
        self._apply = sync_client.apply_page

    def __call__(self, *args, **kw):
        t = time.perf_counter()
        try:
            return self._apply(*args, **kw)
        finally:
            self.ms.append((time.perf_counter() - t) * 1000)


def new_kiosk(db: HubDatabase, base: str, folder: Path, kiosk_id: str) -> Store:
    store = Store(folder / kiosk_id / "kiosk.sqlite3")
    token = enrol(db, kiosk_id, Role.COUNTER)
    enrol_kiosk(store, enrolment(db, kiosk_id, Role.COUNTER, token, base), allow_plain_http=True)
    return store


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (Linux /proc): its threads' run time in
    nanoseconds (schedstat) where the kernel keeps it, else user + system time in clock
    ticks (10 ms: a round's hub CPU read 0 or 10 ms). A thread that ended is not counted
    by the first: the hub's are a fixed pool."""
    tasks = list(Path(f"/proc/{pid}/task").glob("*/schedstat"))
    try:
        return sum(int(t.read_text().split()[0]) for t in tasks) / 1e9
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


PAGE_LIMIT = [SyncClient.__init__.__defaults__[1]]  # rows per page asked (--page-limit)


def kiosk_client(store: Store) -> tuple[SyncClient, Counting]:
    """A sync client for `store` whose transport records the size of every page."""
    counting = Counting()
    return SyncClient(
        store, utc_now, timeout=120, page_limit=PAGE_LIMIT[0], transport=counting
    ), counting


def timed_sync(store: Store, hub_pid: int, kept: tuple[SyncClient, Counting] | None = None) -> dict:
    """One sync round into `store` (by the client `kept`, or a new one): wall time, bytes,
    pages, time applying, and the CPU time of the kiosk (this process) and of the hub's
    process (less moved by load beside the run than wall time)."""
    client, counting = kept or kiosk_client(store)
    counting.sizes.clear()
    applying = Applying()
    sync_client.apply_page = applying
    try:
        hub_cpu, kiosk_cpu = cpu_seconds(hub_pid), time.process_time()
        t = time.perf_counter()
        done = client.sync_once()
        ms = (time.perf_counter() - t) * 1000
        kiosk_cpu, hub_cpu = time.process_time() - kiosk_cpu, cpu_seconds(hub_pid) - hub_cpu
    finally:
        if kept is None:
            client.close()
        sync_client.apply_page = applying._apply
    return {
        "ms": ms,
        "entities": done.entities,
        "pages": done.pages,
        "sizes": counting.sizes,
        "apply_ms": sum(applying.ms),
        "kiosk_cpu_ms": kiosk_cpu * 1000,
        "hub_cpu_ms": hub_cpu * 1000,
    }


CLIENTS = ("kiosk", "httpx")  # the baseline's HTTP client: the kiosk's own, httpx's own


def get_client(kind: str) -> httpx.Client:
    """An HTTP client for the baseline GETs: "kiosk" is httpx over the kiosk's own
    transport (sync/hub_http.py), the limit; "httpx" is httpx's own transport, the
    baseline of the rows before session 8 (its client cost most of that GET)."""
    return httpx.Client(timeout=120, transport=hub_transport("") if kind == "kiosk" else None)


def baseline(base: str, sizes: list[int], hub_pid: int, http: httpx.Client) -> tuple[float, float]:
    """Milliseconds to GET the same bytes in the same page sizes by `http`, nothing else
    done, and the CPU milliseconds both processes spent on it: the median of
    BASELINE_PASSES passes (one pass moved by a factor of 2-3 with the load beside the
    run)."""
    passes = []
    for _ in range(BASELINE_PASSES):
        hub_cpu, cpu = cpu_seconds(hub_pid), time.process_time()
        t = time.perf_counter()
        for size in sizes:
            http.get(base + "/bench/blob", params={"size": size}).read()
        ms = (time.perf_counter() - t) * 1000
        cpu += hub_cpu
        passes.append((ms, (time.process_time() + cpu_seconds(hub_pid) - cpu) * 1000))
    return statistics.median(ms for ms, _ in passes), statistics.median(c for _, c in passes)


def baselines(base: str, sizes: list[int], hub_pid: int, kept: dict | None = None) -> dict:
    """`baseline` by each of CLIENTS: on new connections, or on the kept-alive ones of
    `kept`."""
    out = {}
    for kind in CLIENTS:
        with get_client(kind) if kept is None else nullcontext(kept[kind]) as http:
            out[kind] = baseline(base, sizes, hub_pid, http)
    return out


def change_accreditations(db: HubDatabase, ids: list[int], at_minute: int) -> None:
    """The office revokes `ids` (100 changes for the incremental sync)."""
    from hub.importer import FORMAT

    at = (utc_now().astimezone(BRUSSELS) + timedelta(minutes=at_minute)).isoformat()
    changes = [
        {"accreditation_id": i, "status": "revoked", "at": at, "reason": "bench"} for i in ids
    ]
    import_data(db, {"format": FORMAT, "status_changes": changes}, "bench-changes", utc_now())


def _figures(runs: list[dict], measured: list[dict]) -> dict:
    ms = [r["ms"] for r in runs]
    bases = [m["kiosk"][0] for m in measured]
    httpx_bases = [m["httpx"][0] for m in measured]
    cpu = [r["kiosk_cpu_ms"] + r["hub_cpu_ms"] for r in runs]
    base_cpu = [m["kiosk"][1] for m in measured]
    return {
        "sync": common.summary(ms),
        "baseline_http_get_same_bytes": common.summary(bases),
        "ratio_sync_to_baseline": statistics.median(ms) / statistics.median(bases),
        "baseline_httpx_transport": common.summary(httpx_bases),
        "ratio_sync_to_httpx_baseline": statistics.median(ms) / statistics.median(httpx_bases),
        "cpu_both_processes": common.summary(cpu),
        "baseline_cpu_both_processes": common.summary(base_cpu),
        "ratio_cpu_sync_to_baseline": statistics.median(cpu) / statistics.median(base_cpu),
        "bytes": sum(runs[0]["sizes"]),
        "pages": runs[0]["pages"],
        "entities": runs[0]["entities"],
        "kiosk_apply": common.summary([r["apply_ms"] for r in runs]),
        "kiosk_cpu": common.summary([r["kiosk_cpu_ms"] for r in runs]),
        "hub_cpu": common.summary([r["hub_cpu_ms"] for r in runs]),
    }


def measure(n: int, runs: int, link: Link | None = None) -> dict:
    url, built = hub_database(n)
    db = HubDatabase(url)
    proc, base = start_hub(url, link)
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-sync-"))
    try:
        first, first_base = [], []
        for r in range(runs):
            store = new_kiosk(db, base, work, f"B{secrets.token_hex(5).upper()}R{r}")
            first.append(timed_sync(store, proc.pid))
            first_base.append(baselines(base, first[-1]["sizes"], proc.pid))
            if r < runs - 1:
                store.close()
        rounds = later_rounds(store, proc.pid, base, db)
        store.close()
    finally:
        proc.terminate()
        proc.wait(30)
        db.close()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "accreditations": n,
        "hub": "SQLite, uvicorn in its own process, "
        + (f"across a {link.rate} link (veth, tc tbf)" if link else "loopback"),
        "page_limit": PAGE_LIMIT[0],
        "build": built,
        "first_sync": _figures(first, first_base),
    } | rounds


def later_rounds(store: Store, hub_pid: int, base: str, db: HubDatabase) -> dict:
    """Incremental rounds (the office changed 100 accreditations before each) and empty
    rounds, by one client kept as the sync worker keeps it, each beside GETs of the same
    bytes on a kept-alive connection."""
    kept = kiosk_client(store)
    alive_clients = {kind: get_client(kind) for kind in CLIENTS}
    out = {}
    try:
        for name, count in ((f"incremental_sync_{CHANGES}_changes", 7), ("empty_round", 15)):
            runs, alive = [], []
            for r in range(count):
                if name != "empty_round":
                    ids = list(range(1 + r * CHANGES, 1 + (r + 1) * CHANGES))
                    change_accreditations(db, ids, r)
                runs.append(timed_sync(store, hub_pid, kept))
                alive.append(baselines(base, runs[-1]["sizes"], hub_pid, alive_clients))
            out[name] = _figures(runs, alive)
    finally:
        kept[0].close()
        for http in alive_clients.values():
            http.close()
    return out


def main() -> None:
    """Run and print; write bench/results/sync_N.json per size."""
    global ROOT
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--runs", type=int, default=3, help="first syncs per size (1 above 50,000)")
    ap.add_argument("--page-limit", type=int, default=PAGE_LIMIT[0], help="rows per page")
    ap.add_argument("--root", type=Path, default=ROOT, help="where hub databases are kept")
    ap.add_argument(
        "--link", help="a link of this rate to the hub, e.g. 1gbit (root only); default loopback"
    )
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--host", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.host)
        return
    PAGE_LIMIT[0] = args.page_limit
    ROOT = args.root
    with shaped_link(args.link) if args.link else nullcontext() as link:
        for n in args.sizes:
            report(n, measure(n, args.runs if n <= 50_000 else 1, link), args, ap)


def report(n: int, result: dict, args: argparse.Namespace, ap: argparse.ArgumentParser) -> None:
    """Write bench/results/sync_N[_pP][_linkR].json and print the figures."""
    pages = "" if args.page_limit == ap.get_default("page_limit") else f"_p{args.page_limit}"
    pages += f"_link{args.link}" if args.link else ""
    out = common.write_result(f"sync_{n}{pages}", result)
    f, i = result["first_sync"], result[f"incremental_sync_{CHANGES}_changes"]
    e = result["empty_round"]
    print(f"{n} accreditations ({f['bytes'] / 1e6:.0f} MB in {f['pages']} pages)")
    print(
        f"  first sync        median {f['sync']['median_ms'] / 1000:8.2f} s   "
        f"baseline GET {f['baseline_http_get_same_bytes']['median_ms'] / 1000:6.2f} s   "
        f"applying {f['kiosk_apply']['median_ms'] / 1000:6.2f} s   "
        f"CPU kiosk {f['kiosk_cpu']['median_ms'] / 1000:5.2f} s hub "
        f"{f['hub_cpu']['median_ms'] / 1000:5.2f} s"
    )
    print(
        f"  {CHANGES} changes       median {i['sync']['median_ms']:8.1f} ms  "
        f"baseline GET {i['baseline_http_get_same_bytes']['median_ms']:6.1f} ms  "
        f"applying {i['kiosk_apply']['median_ms']:6.1f} ms  "
        f"CPU kiosk {i['kiosk_cpu']['median_ms']:5.1f} ms "
        f"hub {i['hub_cpu']['median_ms']:5.1f} ms"
    )
    print(
        f"  empty round   median {e['sync']['median_ms']:8.1f} ms  "
        f"baseline GET {e['baseline_http_get_same_bytes']['median_ms']:6.1f} ms  "
        f"CPU kiosk {e['kiosk_cpu']['median_ms']:5.1f} ms "
        f"hub {e['hub_cpu']['median_ms']:5.1f} ms"
    )
    for label, r in (("first sync", f), (f"{CHANGES} changes", i), ("empty round", e)):
        print(
            f"  {label:12s} ratio {r['ratio_sync_to_baseline']:5.1f}x the GET by the "
            f"kiosk's client, {r['ratio_sync_to_httpx_baseline']:5.1f}x by httpx's own "
            f"({r['baseline_httpx_transport']['median_ms']:.1f} ms)"
        )
    print(f"  written to {out}")


if __name__ == "__main__":
    main()
