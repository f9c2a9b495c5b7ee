"""HTTP/1.1 to the hub over the standard library's `http.client`, as an httpx transport.

A feed page is megabytes of photos. httpx's own transport (httpcore over h11) copies a
body several times on its way up: reading the 567 MB of a first sync of 100,000
accreditations cost 0.4-0.8 s of CPU; `http.client` reads each body into one buffer,
0.2-0.26 s with httpx's client around it (docs/benchmarks-sync.md). The kiosk keeps
httpx's client (requests, timeouts, errors), and tests still put their faults in the
way as httpx transports.

Connections are kept alive between rounds and checked before reuse; a request whose
kept connection the hub had closed meanwhile (closed or reset before the answer was
whole) is sent once more on a new one. The hub takes a delivery or a feed request twice
without harm (deliveries are idempotent, a page is only read). An answer larger than
MAX_ANSWER is refused unread.
"""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import ssl
import threading

import httpx

KEEP = 2  # idle connections kept: the round's thread and the page fetcher's
MAX_ANSWER = 512 * 2**20  # a feed page is a few MB; a hub gone wrong does not fill memory
# Seconds for a whole exchange, however the bytes trickle: the read timeout bounds each
# wait, so a hub sending a byte a little faster held a round (and `kiosk sync --once`)
# for ever. A page of a first sync is a few MB: 120 s is 50 KB/s.
DEADLINE = 120.0
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _timeouts(request: httpx.Request) -> tuple[float | None, float | None]:
    timeout = request.extensions.get("timeout", {})
    return timeout.get("connect"), timeout.get("read")


def _too_large(size: int) -> str:
    return f"an answer of {size:,} bytes refused: more than {MAX_ANSWER // 2**20} MB"


def _closed_by_peer(conn: http.client.HTTPConnection) -> bool:
    """Whether an idle connection has something to read: the peer's close (or bytes
    no request asked for); either way it cannot carry another request."""
    sock = conn.sock
    if sock is None:
        return True
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    try:
        return bool(poller.poll(0))
    except OSError:
        return True


class _Deadline:
    """Cuts `conn`'s socket when `seconds` pass before `cancel`: whatever read or write
    waits on it then fails at once (`fired` tells that apart from the hub's own cut)."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float) -> None:
        self.fired = False
        self._conn, self._lock = conn, threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        with self._lock:
            self.fired = True
            sock = self._conn.sock
            if sock is not None:  # on the descriptor: an SSL socket's own shutdown is not
                with contextlib.suppress(OSError):  # for another thread to call
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> bool:
        """Stop the timer; whether it had fired."""
        self._timer.cancel()
        with self._lock:
            return self.fired


class HubTransport(httpx.BaseTransport):
    """Requests to one hub over `http.client`: TLS with `context` for https addresses
    (the pinned context of sync/transport.py), plain TCP for http. `keep` idle
    connections are kept alive; 0 opens one per request."""

    def __init__(
        self, context: ssl.SSLContext | None = None, keep: int = KEEP, deadline: float = DEADLINE
    ) -> None:
        self._context, self._keep, self._deadline = context, keep, deadline
        self._idle: list[tuple[tuple, http.client.HTTPConnection]] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        where = (request.url.scheme, request.url.host, request.url.port)
        body = request.read()
        conn, kept = self._connection(where, request)
        while True:
            try:
                answer, content = self._exchange(conn, request, body)
                break
            except _STALE as err:
                conn.close()
                if not kept:
                    refused = f"the hub closed the connection: {err!r}"
                    raise httpx.ReadError(refused, request=request) from err
                conn, kept = self._new(where, request), False  # closed while kept: once more
            except BaseException:
                conn.close()
                raise
        self._release(where, conn, answer)
        return httpx.Response(
            answer.status,
            headers=answer.getheaders(),
            stream=httpx.ByteStream(content),
            extensions={
                "http_version": b"HTTP/1.1",
                "reason_phrase": answer.reason.encode("latin-1", "replace"),
            },
        )

    def close(self) -> None:
        """Close the idle connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for _, conn in idle:
            conn.close()

    def _connection(
        self, where: tuple, request: httpx.Request
    ) -> tuple[http.client.HTTPConnection, bool]:
        """A kept connection to `where` still open, else a new one; and whether kept."""
        while True:
            with self._lock:
                found = next((i for i, (w, _) in enumerate(self._idle) if w == where), None)
                conn = None if found is None else self._idle.pop(found)[1]
            if conn is None:
                return self._new(where, request), False
            if not _closed_by_peer(conn):
                conn.sock.settimeout(_timeouts(request)[1])
                return conn, True
            conn.close()

    def _new(self, where: tuple, request: httpx.Request) -> http.client.HTTPConnection:
        scheme, host, port = where
        connect, read = _timeouts(request)
        if scheme == "https":
            port = port or 443
            conn = http.client.HTTPSConnection(host, port, timeout=connect, context=self._context)
        else:
            conn = http.client.HTTPConnection(host, port or 80, timeout=connect)
        try:
            conn.connect()
        except TimeoutError as err:
            conn.close()
            raise httpx.ConnectTimeout(f"{host}:{port}: {err}", request=request) from err
        except OSError as err:  # refused, unreachable, TLS failure or a pin that differs
            conn.close()
            raise httpx.ConnectError(f"{host}:{port}: {err}", request=request) from err
        conn.sock.settimeout(read)
        return conn

    def _exchange(
        self, conn: http.client.HTTPConnection, request: httpx.Request, body: bytes
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """`_talk` within the deadline: past it the socket is cut and the exchange is a
        timeout (not a connection closed while kept, to be tried again; nor an answer, as
        the cut may have ended it early)."""
        deadline = _Deadline(conn, self._deadline)
        late = f"no whole answer within {self._deadline:g} s"
        try:
            exchanged = self._talk(conn, request, body)
        except BaseException as err:
            if deadline.cancel():
                raise httpx.ReadTimeout(late, request=request) from err
            raise
        if deadline.cancel():
            raise httpx.ReadTimeout(late, request=request)
        return exchanged

    def _talk(
        self, conn: http.client.HTTPConnection, request: httpx.Request, body: bytes
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """Send `request` and read the whole answer. A connection the peer had closed
        raises one of _STALE before any answer; other failures become httpx's errors."""
        try:
            conn.putrequest(
                request.method,
                request.url.raw_path.decode("ascii"),
                skip_host=True,
                skip_accept_encoding=True,
            )
            for name, value in request.headers.raw:  # Host and the rest, as httpx made them
                conn.putheader(name, value)
            conn.endheaders(body or None)
            answer = conn.getresponse()
            if answer.length is not None and answer.length > MAX_ANSWER:
                raise httpx.ReadError(_too_large(answer.length), request=request)
            content = answer.read() if answer.length is not None else answer.read(MAX_ANSWER + 1)
            if len(content) > MAX_ANSWER:
                raise httpx.ReadError(_too_large(len(content)), request=request)
            return answer, content
        except _STALE:
            raise
        except TimeoutError as err:
            raise httpx.ReadTimeout(f"no answer in time: {err}", request=request) from err
        except (OSError, http.client.HTTPException) as err:  # cut short, garbled
            raise httpx.ReadError(f"the answer broke off: {err!r}", request=request) from err

    def _release(
        self, where: tuple, conn: http.client.HTTPConnection, answer: http.client.HTTPResponse
    ) -> None:
        if answer.will_close or self._keep == 0:
            conn.close()
            return
        with self._lock:
            if sum(1 for w, _ in self._idle if w == where) < self._keep:
                self._idle.append((where, conn))
                return
        conn.close()
