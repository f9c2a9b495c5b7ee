"""The hub's address as a kiosk reaches it, checked in one place: `kiosk-hub enrol --url`
(hub/arguments.py) and the kiosk's own check of an enrolment file, `kiosk sync --hub` and
the settings screen (sync/transport.py `check_url`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from kiosk.typed import one_line, shown

PORTS = range(1, 65536)


def hub_address(text: str) -> str:
    """`text` as a hub's address: http or https, a host, a port from 1 to 65535 if any,
    and no user name, password, query or fragment; ValueError with a sentence otherwise.
    A port of 99999 failed only when sync connected, and https://user:pw@host showed the
    password wherever the address is printed (a kiosk signs in with its token)."""
    url = one_line(text)  # urlsplit drops a tab or a line break without a word
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracket left open
        raise ValueError(f"{shown(url)} is not a hub address (https://HOST:PORT)") from None
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        port = -1
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{shown(url)} is not a hub address: it starts http:// or https://")
    if not parts.hostname:
        raise ValueError(f"{shown(url)} names no host (https://HOST:PORT)")
    if port is not None and port not in PORTS:
        raise ValueError(f"{shown(url)}: the port is a number from 1 to 65535")
    if "@" in parts.netloc:
        raise ValueError(
            f"{shown(url)} holds a user name or a password, which a kiosk does not use "
            "(it signs in with its token)"
        )
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError(f"{shown(url)} holds a query or a fragment: give the address alone")
    return url
