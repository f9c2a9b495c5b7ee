"""Hundreds of sync rounds through a hub that stops, stalls, fails with 500s and drops
connections mid-page, while three counters issue badges and the office revokes: in the
end every action is at the hub exactly once and every kiosk holds the hub's approvals."""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections import Counter as Tally
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.clients import Role
from hub.database import utc_now
from hub.receive import digest
from kiosk.counter import NotIssued
from kiosk.model import Counter, Flow, Status
from kiosk.store import schema as k
from sync.client import SyncClient, SyncError
from sync.hub_http import HubTransport
from sync.outbox import pending
from sync.state import set_hub_url

ROUNDS = {True: 120, False: 80}  # by database: SQLite, PostgreSQL


class FaultyProxy:
    """A TCP proxy in front of the hub that, per connection, passes, refuses, stalls,
    cuts the answer after a few bytes, or forwards the request and drops the answer."""

    MODES: ClassVar[dict[str, float]] = {
        "pass": 0.63,
        "refuse": 0.08,
        "slow": 0.05,
        "cut": 0.14,
        "drop": 0.10,
    }

    def __init__(self, upstream_port: int, rng: random.Random) -> None:
        self.upstream_port, self.rng = upstream_port, rng
        self.enabled = True
        self.tally: Tally = Tally()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _mode(self) -> str:
        with self._lock:
            if not self.enabled:
                return "pass"
            mode = self.rng.choices(list(self.MODES), weights=list(self.MODES.values()))[0]
            self.tally[mode] += 1
            return mode

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, self._mode()), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str) -> None:
        if mode == "refuse":
            client.close()
            return
        if mode == "slow":
            time.sleep(self.rng.uniform(0.02, 0.12))
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:  # the hub is stopped
            client.close()
            return
        budget = self.rng.randint(0, 20_000) if mode == "cut" else None
        up = threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True)
        up.start()
        self._pump(upstream, client, budget, drop=mode == "drop")
        for s in (client, upstream):
            s.close()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, budget: int | None, drop: bool = False):
        try:
            while chunk := src.recv(65536):
                if drop:  # the request was served; its answer never arrives
                    break
                if budget is not None:
                    chunk = chunk[:budget]
                    budget -= len(chunk)
                dst.sendall(chunk)
                if budget is not None and budget <= 0:
                    break
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._sock.close()


class Faulty500:
    """ASGI wrapper: now and then a 500 instead of the answer, before or after the hub
    did the work (a delivery applied whose receipt is lost)."""

    def __init__(self, app, rng: random.Random) -> None:
        self.app, self.rng, self.enabled, self.tally = app, rng, True, Tally()

    async def __call__(self, scope, receive, send):
        roll = self.rng.random() if scope["type"] == "http" and self.enabled else 1.0
        if roll >= 0.12:
            return await self.app(scope, receive, send)
        if roll < 0.06:

            async def lose(_message):
                return None

            await self.app(scope, receive, lose)
            self.tally["500 after"] += 1
            self.tally["500 after " + scope["path"]] += 1
        else:
            self.tally["500 before"] += 1
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": b"injected failure"})


def _fault_client(station, clock) -> SyncClient:
    no_reuse = HubTransport(keep=0)  # the kiosk's own transport, a connection per request
    return SyncClient(station.store, clock, timeout=0.5, page_limit=20, batch=7, transport=no_reuse)


def _kiosk_state(station) -> tuple[dict, dict]:
    with station.store.reading() as s:
        accs = {a.id: (a.status, a.event_id) for a in s.scalars(select(k.AccreditationRow))}
        badges = {b.serial: (b.status, b.superseded_by) for b in s.scalars(select(k.BadgeRow))}
    return accs, badges


class Office:
    """The accreditation office revoking now and then, straight at the hub."""

    def __init__(self, site, rng: random.Random) -> None:
        self.site, self.rng, self.revoked = site, rng, []

    def maybe_revoke(self, pool: list) -> None:
        if self.rng.random() < 0.03:
            entry = self.rng.choice(pool)
            for _ in range(20):  # the office's call meets the same faults: it tries again
                with contextlib.suppress(AssertionError):
                    self.site.revoke(entry.accreditation.id)
                    break
            else:
                raise AssertionError("the office could not revoke in 20 tries")
            self.revoked.append(entry.accreditation.id)


def _act(station, pool: list, rng: random.Random) -> None:
    """A clerk at work: issue for a random applicant, or reprint with a supervisor."""
    if rng.random() > 0.35:
        return
    entry = rng.choice(pool)
    try:
        station.issue(entry)
    except NotIssued:
        if rng.random() < 0.3:
            with contextlib.suppress(NotIssued):
                station.issue(entry, supervisor="Chief", reason="badge lost")


@pytest.mark.slow
def test_sync_survives_a_faulty_hub_and_loses_nothing(hub_db, site_factory):
    rng = random.Random(5)
    faulty = Faulty500(None, random.Random(6))
    faulty.enabled = False  # while the kiosks are set up
    site = site_factory(hub_db, wrap=lambda app: setattr(faulty, "app", app) or faulty)
    tick = [0]

    counters = [site.kiosk("G1"), site.kiosk("G2"), site.kiosk("V1", counter=Counter.VISITORS)]
    security = site.kiosk("SEC1", Role.SECURITY)
    stations = [*counters, security]
    proxy = FaultyProxy(site.server.port, random.Random(7))
    base = counters[0].kiosk.desk.clock()
    for st in stations:
        st.kiosk.desk.clock = lambda: base + timedelta(minutes=tick[0])
        set_hub_url(st.store, f"http://127.0.0.1:{proxy.port}")
        st.client.close()
        st.client = _fault_client(st, utc_now)
    faulty.enabled = True
    approved = [e for e in site.entries if e.accreditation.status is Status.APPROVED]
    pools = {
        Counter.GROUPS: [e for e in approved if e.accreditation.flow is Flow.EVENT][:25],
        Counter.VISITORS: [e for e in approved if e.accreditation.flow is Flow.ANNUAL],
    }
    office = Office(site, rng)
    failures: Tally = Tally()
    started = time.monotonic()
    rounds = ROUNDS[hub_db.is_sqlite]
    for n in range(rounds):
        tick[0] = n
        if n % 40 == 30:
            site.server.stop()  # the hub is down for a few rounds
        if n % 40 == 36:
            site.server.start()
        if n % 40 < 30:
            office.maybe_revoke(pools[Counter.GROUPS])
        for st in counters:
            _act(st, pools[st.kiosk.desk.counter], rng)
        for st in (*counters, security) if n % 3 == 0 else counters:
            try:
                st.sync()
            except SyncError as err:
                failures[type(err).__name__] += 1
    elapsed = time.monotonic() - started

    proxy.enabled = faulty.enabled = False
    if not site.server.running:
        site.server.start()
    for _ in range(3):  # the network is back: everything drains and converges
        for st in stations:
            st.sync()

    # Faults of every kind happened, and rounds failed because of them.
    assert set(proxy.tally) == set(FaultyProxy.MODES)
    assert faulty.tally["500 after"] > 0 and faulty.tally["500 before"] > 0
    assert faulty.tally["500 after /v1/journal"] > 0  # applied, receipt lost, sent again
    assert failures["HubUnavailable"] > 20

    with site.db.reading() as s:
        held = {(j.kiosk_id, j.journal_id): j.digest for j in s.scalars(select(h.JournalRow))}
        hub_accs = {a.id: (a.status, a.event_id) for a in s.scalars(select(h.AccreditationRow))}
        hub_badges = {b.serial: (b.status, b.superseded_by) for b in s.scalars(select(h.BadgeRow))}
    # Every action of every counter is at the hub exactly once, as the counter wrote it.
    for st in counters:
        kid = st.kiosk.desk.kiosk_id
        rows = pending(st.store, 100_000, after=0)
        assert len(rows) > rounds * 0.2
        assert {(kid, r["id"]): digest(_decoded(r)) for r in rows} == {
            key: d for key, d in held.items() if key[0] == kid
        }
    # Every kiosk holds the hub's approvals and the hub's word on every badge.
    for st in counters:
        accs, badges = _kiosk_state(st)
        assert accs == hub_accs
        assert badges == hub_badges
    sec_accs, sec_badges = _kiosk_state(security)
    assert sec_badges == hub_badges
    assert all(sec_accs[a] == hub_accs[a] for a in sec_accs)
    # One valid badge per accreditation in the end; revoked ones hold none.
    live = Tally(
        acc for acc, status in _badge_accreditations(site) if status in ("active", "printing")
    )
    assert max(live.values()) == 1
    assert not {a for a in office.revoked} & set(live)
    proxy.close()
    print(
        f"{rounds} rounds in {elapsed:.1f} s; proxy {dict(proxy.tally)}; "
        f"hub {dict(faulty.tally)}; failed rounds {dict(failures)}; "
        f"{len(hub_badges)} badges, {len(held)} journal rows"
    )


def _decoded(wire: dict) -> dict:
    from hub.receive import _decode_row

    return _decode_row(wire)


def _badge_accreditations(site) -> list[tuple[int, str]]:
    with site.db.reading() as s:
        return [(b.accreditation_id, b.status) for b in s.scalars(select(h.BadgeRow))]
