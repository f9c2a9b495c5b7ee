"""A small IPP/1.1 client (RFC 8010/8011) for asking the local CUPS about jobs and printers.

The CUPS command-line tools submit and cancel jobs, but they cannot tell a completed job
from a cancelled or aborted one (`lpstat -W completed` lists all three), and a clerk
must never be told "printed" for a card that was not. IPP says which, and why.

Requests go to CUPS's domain socket (/run/cups/cups.sock) when it exists, else to
localhost:631, or to $CUPS_SERVER (a socket path or host[:port]) when it is set.
"""

from __future__ import annotations

import http.client
import os
import pwd
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOCKET = Path("/run/cups/cups.sock")
TIMEOUT = 5.0  # seconds for one request

# Operations
GET_JOB_ATTRIBUTES = 0x0009
GET_JOBS = 0x000A
GET_PRINTER_ATTRIBUTES = 0x000B
CUPS_GET_PRINTERS = 0x4002

# Delimiter and value tags
OPERATION_GROUP = 0x01
END = 0x03
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
KEYWORD, URI, CHARSET, LANGUAGE, NAME = 0x44, 0x45, 0x47, 0x48, 0x42
_TEXT_TAGS = {0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A}

NOT_FOUND = 0x0406  # client-error-not-found


class IppError(Exception):
    """The scheduler could not be reached, or it answered with an error status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class IppResponse:
    """A response: its status code and each attribute group (name -> list of values)."""

    status: int
    groups: tuple[tuple[int, dict[str, list]], ...]

    def group(self, tag: int) -> list[dict[str, list]]:
        """Every group with the delimiter `tag` (job 0x02, printer 0x04), in order."""
        return [attrs for t, attrs in self.groups if t == tag]


def encode(operation: int, request_id: int, attributes: Iterable[tuple[int, str, object]]) -> bytes:
    """An IPP/2.0 request with one operation-attributes group.

    A value that is a list or tuple becomes a multi-valued attribute.
    """
    out = bytearray(struct.pack(">BBHI", 2, 0, operation, request_id))
    out.append(OPERATION_GROUP)
    for tag, name, value in attributes:
        values = value if isinstance(value, list | tuple) else [value]
        for i, v in enumerate(values):
            raw = _encode_value(tag, v)
            key = name.encode() if i == 0 else b""
            out += struct.pack(">BH", tag, len(key)) + key + struct.pack(">H", len(raw)) + raw
    out.append(END)
    return bytes(out)


def _encode_value(tag: int, value: object) -> bytes:
    if tag in (INTEGER, ENUM):
        return struct.pack(">i", int(value))  # type: ignore[arg-type]
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    return str(value).encode()


def decode(data: bytes) -> IppResponse:
    """Parse a response; additional values (empty names) join the attribute before them."""
    if len(data) < 8:
        raise IppError("truncated IPP response")
    status = struct.unpack(">H", data[2:4])[0]
    groups: list[tuple[int, dict[str, list]]] = []
    attrs: dict[str, list] = {}
    last = ""
    pos = 8
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == END:
            break
        if tag < 0x10:  # a new group begins
            attrs, last = {}, ""
            groups.append((tag, attrs))
            continue
        name_len = struct.unpack(">H", data[pos : pos + 2])[0]
        name = data[pos + 2 : pos + 2 + name_len].decode("utf-8", "replace")
        pos += 2 + name_len
        value_len = struct.unpack(">H", data[pos : pos + 2])[0]
        raw = data[pos + 2 : pos + 2 + value_len]
        pos += 2 + value_len
        if name:
            last = name
            attrs[name] = []
        if last:
            attrs[last].append(_decode_value(tag, raw))
    return IppResponse(status, tuple(groups))


def _decode_value(tag: int, raw: bytes) -> object:
    if tag in (INTEGER, ENUM) and len(raw) == 4:
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in _TEXT_TAGS:
        return raw.decode("utf-8", "replace")
    return raw


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=TIMEOUT)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT)
        sock.connect(self._path)
        self.sock = sock


def _connection() -> http.client.HTTPConnection:
    server = os.environ.get("CUPS_SERVER", "")
    if server.startswith("/"):
        return _UnixHTTPConnection(server)
    if server:
        host, _, port = server.partition(":")
        return http.client.HTTPConnection(host, int(port or 631), timeout=TIMEOUT)
    if DEFAULT_SOCKET.exists():
        return _UnixHTTPConnection(str(DEFAULT_SOCKET))
    return http.client.HTTPConnection("localhost", 631, timeout=TIMEOUT)


class IppClient:
    """Asks the local scheduler; one HTTP request per call. It asks as the account this
    process runs under, the one `lp` submits as: CUPS shows a job's name to its owner
    only (JobPrivateValues), and a job is found by its name after a restart."""

    def __init__(self, user: str | None = None) -> None:
        self.user = user or pwd.getpwuid(os.getuid()).pw_name
        self._request_id = 0

    def request(self, operation: int, attributes: list[tuple[int, str, object]]) -> IppResponse:
        """Send one operation (charset, language and user name are added) and parse the answer."""
        self._request_id += 1
        body = encode(
            operation,
            self._request_id,
            [
                (CHARSET, "attributes-charset", "utf-8"),
                (LANGUAGE, "attributes-natural-language", "en"),
                *attributes,
                (NAME, "requesting-user-name", self.user),
            ],
        )
        conn = _connection()
        try:
            conn.request("POST", "/", body, {"Content-Type": "application/ipp"})
            reply = conn.getresponse()
            data = reply.read()
        except OSError as err:
            raise IppError(f"the print scheduler (CUPS) cannot be reached: {err}") from err
        finally:
            conn.close()
        if reply.status != 200:
            raise IppError(f"the print scheduler answered HTTP {reply.status}")
        response = decode(data)
        if response.status >= 0x0400:
            raise IppError(f"IPP status 0x{response.status:04x}", response.status)
        return response

    def job(self, job_id: int, wanted: list[str]) -> dict[str, list]:
        """Attributes of one job (IppError with status NOT_FOUND if CUPS forgot it)."""
        r = self.request(
            GET_JOB_ATTRIBUTES,
            [
                (URI, "job-uri", f"ipp://localhost/jobs/{job_id}"),
                (KEYWORD, "requested-attributes", wanted),
            ],
        )
        return next(iter(r.group(0x02)), {})

    def jobs(self, printer: str, wanted: list[str]) -> list[dict[str, list]]:
        """Attributes of every job of queue `printer`, finished ones included (as long as
        CUPS keeps their history), whoever sent them."""
        r = self.request(
            GET_JOBS,
            [
                (URI, "printer-uri", f"ipp://localhost/printers/{printer}"),
                (KEYWORD, "which-jobs", "all"),
                (BOOLEAN, "my-jobs", False),
                (KEYWORD, "requested-attributes", wanted),
            ],
        )
        return r.group(0x02)

    def printer(self, name: str, wanted: list[str]) -> dict[str, list]:
        """Attributes of one queue (IppError with status NOT_FOUND if it does not exist)."""
        r = self.request(
            GET_PRINTER_ATTRIBUTES,
            [
                (URI, "printer-uri", f"ipp://localhost/printers/{name}"),
                (KEYWORD, "requested-attributes", wanted),
            ],
        )
        return next(iter(r.group(0x04)), {})

    def printers(self, wanted: list[str]) -> list[dict[str, list]]:
        """Attributes of every queue the scheduler knows."""
        r = self.request(CUPS_GET_PRINTERS, [(KEYWORD, "requested-attributes", wanted)])
        return r.group(0x04)
