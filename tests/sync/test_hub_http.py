"""The kiosk's HTTP transport (sync/hub_http.py) against a scripted server: what a hub, a
network or a cut cable does to a request, and what the kiosk makes of it."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from hub.database import utc_now
from kiosk.store.database import Store
from sync.client import HubUnavailable, SyncClient
from sync.hub_http import HubTransport
from sync.state import enrol, require_state

BODY = b"0123456789" * 1000
ENROLMENT = {
    "format": "pass-office-enrolment/1",
    "hub_id": "hub-1",
    "kiosk_id": "G1",
    "role": "counter",
    "token": "t" * 43,
    "hub_key": base64.b64encode(b"k" * 32).decode(),
    "document_key": base64.b64encode(b"d" * 32).decode(),
}


@dataclass
class Seen:
    connection: int
    head: bytes
    body: bytes


@dataclass
class Scripted:
    """A server that answers request N as `script[N]` says (the last one repeats):
    "ok" (200, kept alive), "ok then close", "drop" (closes without answering), "short"
    (a body cut in half), "huge" (says a terabyte follows), "garbled" (not HTTP),
    "silent" (never answers), "drip" (a whole answer, a byte at a time, each well
    within the read timeout), "endless header" (a header line that never ends, so)."""

    script: list[str]
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        number = 0
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            number += 1
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn: socket.socket, number: int) -> None:
        reader = conn.makefile("rb")
        try:
            while True:
                head = b""
                while not head.endswith(b"\r\n\r\n"):
                    line = reader.readline()
                    if not line:
                        return
                    head += line
                length = next(
                    (
                        int(h[15:])
                        for h in head.lower().split(b"\r\n")
                        if h[:15] == b"content-length:"
                    ),
                    0,
                )
                self.seen.append(Seen(number, head, reader.read(length)))
                how = self.script[min(len(self.seen), len(self.script)) - 1]
                if how == "silent":
                    self._stop.wait()
                    return
                if how == "drop":
                    return
                if how == "huge":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % 2**40)
                    return
                if how == "drip":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789":
                        conn.sendall(bytes([byte]))
                        if self._stop.wait(0.05):
                            return
                    continue
                if how == "endless header":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    while not self._stop.wait(0.05):
                        conn.sendall(b"x")
                    return
                if how == "garbled":
                    conn.sendall(b"HELLO THERE\r\n\r\n")
                    return
                body = BODY[: len(BODY) // 2] if how == "short" else BODY
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BODY) + body)
                if how != "ok":
                    return
        except OSError:
            return
        finally:
            reader.close()
            conn.close()

    def url(self, path: str = "/v1/feed") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def connections(self) -> list[int]:
        return [s.connection for s in self.seen]

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for conn in self._open:
            conn.close()


@pytest.fixture
def server() -> Iterator[callable]:
    made: list[Scripted] = []

    def make(*script: str) -> Scripted:
        made.append(Scripted(list(script)))
        return made[-1]

    yield make
    for s in made:
        s.close()


def client(keep: int = 2, timeout: float = 5.0) -> httpx.Client:
    return httpx.Client(transport=HubTransport(keep=keep), timeout=timeout)


def test_bodies_come_whole_and_connections_are_kept(server):
    hub = server("ok")
    with client() as http:
        answers = [http.get(hub.url(), params={"cursor": i}) for i in range(3)]
        posted = http.post(hub.url("/v1/journal"), json={"rows": []}, headers={"X-A": "b"})
    assert [a.content for a in answers] == [BODY] * 3 and posted.content == BODY
    assert hub.connections() == [1, 1, 1, 1]  # one connection kept alive
    assert hub.seen[1].head.startswith(b"GET /v1/feed?cursor=1 HTTP/1.1\r\n")
    assert b"\r\nx-a: b\r\n" in hub.seen[3].head.lower()
    assert hub.seen[3].body == b'{"rows":[]}'


def test_without_keeping_every_request_has_its_connection(server):
    hub = server("ok")
    with client(keep=0) as http:
        for _ in range(3):
            assert http.get(hub.url()).content == BODY
    assert hub.connections() == [1, 2, 3]


def test_a_connection_the_hub_closed_while_idle_is_not_used(server):
    hub = server("ok then close")
    with client() as http:
        assert http.get(hub.url()).content == BODY
        assert http.get(hub.url()).content == BODY
    assert hub.connections() == [1, 2]


def test_a_kept_connection_dropped_at_the_request_is_tried_once_more_on_a_new_one(server):
    hub = server("ok", "drop", "ok")  # the hub closes a kept connection as the request comes
    with client() as http:
        assert http.get(hub.url()).content == BODY
        assert http.get(hub.url()).content == BODY
    assert hub.connections() == [1, 1, 2]


def test_a_new_connection_dropped_is_a_transport_error_not_a_retry(server):
    hub = server("drop")
    with client() as http, pytest.raises(httpx.ReadError, match="closed the connection"):
        http.get(hub.url())
    assert hub.connections() == [1]


@pytest.mark.parametrize("how", ["short", "garbled"])
def test_an_answer_cut_short_or_garbled_is_a_transport_error(server, how):
    hub = server(how)
    with client() as http, pytest.raises(httpx.ReadError, match="broke off"):
        http.get(hub.url())


def test_an_answer_larger_than_any_page_is_refused_before_it_is_read(server):
    hub = server("huge")
    with client() as http, pytest.raises(httpx.ReadError, match="1,099,511,627,776 bytes"):
        http.get(hub.url())


def test_no_answer_in_time_is_a_timeout(server):
    hub = server("silent")
    with client(timeout=0.2) as http, pytest.raises(httpx.ReadTimeout):
        http.get(hub.url())


@pytest.mark.parametrize("how", ["drip", "endless header"])
def test_an_answer_that_trickles_in_is_cut_at_the_deadline(server, how):
    """A slow-loris hub: every byte came within the read timeout, so the exchange went on
    as long as the hub liked (a round, `kiosk sync --once`, never ended). What came
    before the cut is no answer (a header cut short read as a 200 with no body)."""
    hub = server(how)
    late = pytest.raises(httpx.ReadTimeout, match=r"no whole answer within 0\.5 s")
    with httpx.Client(transport=HubTransport(deadline=0.5), timeout=5.0) as http, late:
        http.get(hub.url())


def test_nobody_listening_is_a_connect_error(unused_port):
    with client() as http, pytest.raises(httpx.ConnectError):
        http.get(f"http://127.0.0.1:{unused_port}/v1/feed")


def test_the_sync_client_calls_a_page_cut_short_an_unavailable_hub(server, tmp_path):
    hub = server("short")
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, ENROLMENT | {"hub_url": hub.url("")})
    sync = SyncClient(store, utc_now, timeout=5)
    with pytest.raises(HubUnavailable, match="hub unreachable"):
        sync.pull()
    sync.close()
    assert require_state(store).cursor == 0
    store.close()
