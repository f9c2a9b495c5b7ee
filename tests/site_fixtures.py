"""Fixtures for sync: a real hub served by uvicorn on 127.0.0.1, over SQLite or over a
PostgreSQL server this test run starts itself, in plain http or TLS with a test
certificate the kiosks pin, and kiosks with their own stores.

`transport` says "http" here; a test module runs its sites over both by overriding it:
`@pytest.fixture(params=["http", "https"])  def transport(request): return request.param`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

import httpx
import pytest
import uvicorn

from app.demo.build import reading_of
from app.demo.hub_export import demo_export
from app.wiring import open_kiosk
from hub.app import create_app
from hub.clients import Role, enrol, enrolment
from hub.database import HubDatabase, utc_now
from hub.importer import import_data
from hub.keys import confirmation_signer
from hub.tls import certificate_fingerprint, make_self_signed
from kiosk import roles
from kiosk.codes import confirmation_code
from kiosk.counter import load_keyring
from kiosk.model import BRUSSELS, Counter
from kiosk.services import Kiosk
from sync.client import SyncClient
from sync.state import enrol as enrol_kiosk
from sync.transport import hub_transport
from tests import hub_templates

DEMO_DAY = datetime(2026, 2, 14, tzinfo=BRUSSELS).date()
DEMO_NOON = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bound_socket(port: int) -> socket.socket:
    """A TCP socket bound to `port` on 127.0.0.1 (0: a free one), not yet listening."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


@pytest.fixture
def unused_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    return free_port()


@dataclass(frozen=True)
class HubCertificate:
    """A self-signed hub certificate made by `kiosk-hub tls init`'s code, and its pin."""

    cert: Path
    key: Path
    pin: str


def make_certificate(folder: Path) -> HubCertificate:
    cert, key = make_self_signed(folder, ["127.0.0.1", "localhost"], utc_now())
    return HubCertificate(cert, key, certificate_fingerprint(cert))


@pytest.fixture(scope="session")
def hub_certificates(tmp_path_factory) -> tuple[HubCertificate, HubCertificate]:
    """The hub's test certificate, and another one (an impostor's) for the same names."""
    folder = tmp_path_factory.mktemp("tls")
    return make_certificate(folder / "hub"), make_certificate(folder / "impostor")


@pytest.fixture
def transport() -> str:
    """How sites are served: "http" (override with params to run over "https" too)."""
    return "http"


class HubServer:
    """The hub's API served by uvicorn in a thread (TLS with `tls`); stop and start it
    again at will."""

    def __init__(
        self,
        db: HubDatabase,
        app=None,
        port: int | None = None,
        tls: HubCertificate | None = None,
    ) -> None:
        # A port of its own from the start: bound (kiosks calling are refused until `start`)
        # rather than picked free and raced for by another worker's server or client.
        self._socket = None if port else bound_socket(0)
        self.db, self.tls = db, tls
        self.port = port or self._socket.getsockname()[1]
        self.app = app or create_app(db)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def pin(self) -> str:
        """The fingerprint a kiosk pins ("" in plain http)."""
        return self.tls.pin if self.tls else ""

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> HubServer:
        tls = (
            {"ssl_certfile": str(self.tls.cert), "ssl_keyfile": str(self.tls.key)}
            if self.tls
            else {}
        )
        config = uvicorn.Config(self.app, log_level="critical", lifespan="off", **tls)
        sockets = [self._socket or bound_socket(self.port)]  # closed by uvicorn on stopping
        self._socket = None
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, args=(sockets,), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._socket is not None:  # never started
            self._socket.close()
            self._socket = None
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = None


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL 15 cluster on 127.0.0.1 (trust auth, loopback only)."""

    port: int
    data: Path
    user: str

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_user(user: str | None, *cmd: str) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else list(cmd)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """PostgreSQL started for this test run in a temporary folder, stopped after."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 server binaries not found in {PG_BIN} (scripts/setup.sh)")
    user = "postgres" if os.geteuid() == 0 else None
    data = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    if user:
        pw = pwd.getpwnam(user)
        os.chown(data, pw.pw_uid, pw.pw_gid)
    port = free_port()
    run = {"check": True, "capture_output": True, "timeout": 60}
    subprocess.run(
        _as_user(
            user,
            str(PG_BIN / "initdb"),
            "-D",
            str(data / "db"),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        ),
        **run,
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_user(
            user,
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data / "db"),
            "-o",
            options,
            "-l",
            str(data / "log"),
            "-w",
            "start",
        ),
        **run,
    )
    try:
        yield PostgresServer(port, data, user or "")
    finally:
        subprocess.run(
            _as_user(user, str(PG_BIN / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "stop"),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(data, ignore_errors=True)


_db_counter = iter(range(1, 10_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db(request, tmp_path) -> Iterator[HubDatabase]:
    """An empty hub database: SQLite in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        db = hub_templates.new_sqlite(tmp_path / "hub.sqlite3")
    else:
        db = hub_templates.new_postgres(request.getfixturevalue("postgres"), next(_db_counter))
    yield db
    if db.is_sqlite:
        db.close()
    else:
        hub_templates.drop_postgres(db)


@pytest.fixture
def sqlite_hub_db(tmp_path) -> Iterator[HubDatabase]:
    """An empty hub database in SQLite only (for tests about one thing not the database)."""
    db = hub_templates.new_sqlite(tmp_path / "hub.sqlite3")
    yield db
    db.close()


@pytest.fixture(scope="session")
def export_and_entries():
    """The demo world as a platform export (120 accreditations, photos included)."""
    return demo_export(DEMO_DAY, 120)


@pytest.fixture
def entries(export_and_entries):
    return export_and_entries[1]


def fill(db: HubDatabase, export: dict) -> None:
    """Import `export` into `db`: a new database becomes a copy of one this process
    filled with the same export (tests/hub_templates.py), any other is imported into."""
    if not hub_templates.fill_from_template(db, export):
        import_data(db, export, "demo.json", utc_now())


@dataclass
class Site:
    """A hub serving a filled database, and what the tests need to act like the office."""

    db: HubDatabase
    server: HubServer
    entries: list
    tmp: Path
    stations: list = field(default_factory=list)

    def code(self, accreditation_id: int) -> str:
        return confirmation_code(confirmation_signer(self.db), accreditation_id)

    def entry(self, situation: str):
        return next(e for e in self.entries if e.situation == situation)

    def kiosk(
        self,
        kiosk_id: str,
        role: Role = Role.COUNTER,
        counter=Counter.GROUPS,
        trust_first_key: bool = True,
        **client_kw,
    ):
        """A new kiosk: its own store, enrolled, synced once."""
        token = enrol(self.db, kiosk_id, role, trust_first_key=trust_first_key)
        data_dir = self.tmp / kiosk_id
        key_id = client_kw.pop("badge_key_id", 100 + len(self.stations))  # unique on the site
        with patch.dict(os.environ, {"KIOSK_BADGE_KEY_ID": str(key_id)}):
            k = open_kiosk(data_dir, counter, kiosk_id=kiosk_id, clock=lambda: DEMO_NOON)
        if role is Role.COUNTER:
            k.desk.cards.signer()  # its key made now (a kiosk makes it at its first badge)
        enrol_kiosk(k.store, self.enrolment(kiosk_id, role, token))
        station = Station(k, SyncClient(k.store, utc_now, timeout=5.0, **client_kw), self)
        self.stations.append(station)
        station.sync()
        return station

    def enrolment(self, kiosk_id: str, role: Role, token: str) -> dict:
        """The enrolment file's content, the certificate's fingerprint included over TLS."""
        content = enrolment(self.db, kiosk_id, role, token, self.server.url)
        return content | ({"hub_cert_sha256": self.server.pin} if self.server.pin else {})

    def http(self, method: str, path: str, **kw) -> httpx.Response:
        """Call the hub as anyone on loopback, TLS pinned to the hub's certificate."""
        with httpx.Client(transport=hub_transport(self.server.pin), timeout=10) as http:
            return http.request(method, self.server.url + path, **kw)

    def office(self, method: str, path: str, **kw) -> httpx.Response:
        """Call the hub as the accreditation office."""
        if not hasattr(self, "_office_token"):
            self._office_token = enrol(self.db, "OFFICE", Role.OFFICE)
        headers = {"Authorization": f"Bearer {self._office_token}"}
        return self.http(method, path, headers=headers, **kw)

    def revoke(self, accreditation_id: int, reason: str = "revoked by the office") -> list[str]:
        r = self.office(
            "POST",
            "/v1/office/status",
            json={"accreditation_id": accreditation_id, "status": "revoked", "reason": reason},
        )
        assert r.status_code == 200, r.text
        return r.json()["badges_revoked"]

    def close(self) -> None:
        for station in self.stations:
            station.close()
        self.server.stop()


@dataclass
class Station:
    """A kiosk and its sync client."""

    kiosk: Kiosk
    client: SyncClient
    site: Site

    @property
    def store(self):
        return self.kiosk.store

    def sync(self):
        done = self.client.sync_once()
        self.kiosk.desk.keyring = load_keyring(self.kiosk.store)  # keys come by sync
        return done

    def issue(self, entry, supervisor: str | None = None, reason: str = ""):
        code = self.site.code(entry.accreditation.id)
        chief = roles.Actor(supervisor, roles.Role.SUPERVISOR) if supervisor else None
        clerk = roles.Actor("clerk", roles.Role.CLERK)
        done = self.kiosk.desk.issue(code, reading_of(entry.presented), clerk, chief, reason)
        self.kiosk.desk.cards.card(done.badge.serial)  # signed as its print would: the key made
        return done

    def check(self, entry):
        return self.kiosk.desk.evaluate(
            self.site.code(entry.accreditation.id), reading_of(entry.presented)
        )

    def close(self):
        self.client.close()
        self.kiosk.close()


@pytest.fixture
def site_factory(export_and_entries, tmp_path, transport, request) -> Iterator:
    """Make sites: `make(db, wrap=None)` fills `db` and serves it (through `wrap(app)`),
    over TLS when `transport` is "https"."""
    made: list[Site] = []
    tls = request.getfixturevalue("hub_certificates")[0] if transport == "https" else None

    def make(db: HubDatabase, wrap=None) -> Site:
        fill(db, export_and_entries[0])
        app = create_app(db)
        server = HubServer(db, wrap(app) if wrap else app, tls=tls).start()
        made.append(Site(db, server, export_and_entries[1], tmp_path))
        return made[-1]

    yield make
    for s in made:
        s.close()


@pytest.fixture
def site(hub_db, site_factory) -> Site:
    """A filled hub served on 127.0.0.1 (SQLite and PostgreSQL)."""
    return site_factory(hub_db)


@pytest.fixture
def sqlite_site(sqlite_hub_db, site_factory) -> Site:
    """A filled hub on SQLite served on 127.0.0.1."""
    return site_factory(sqlite_hub_db)
