"""Argument types `kiosk-hub` shares across its commands (hub/cli.py, hub/hours_cli.py,
hub/staff_cli.py): one-line text, notes, and the operator the hub's journal names.

A value refused here stops the command before it opens the database, with argparse's
usage line, one sentence and exit status 2: nothing is written.
"""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from kiosk.typed import argument, note_lines, one_line, shown

# A name, a reason, a place, an id: one line (the importer refuses a line break there
# too). Control characters other than these are refused for every argument by main.
line_text = argument(one_line)
# A conflict's settlement note may run over lines, as the console's text box allows.
note_text = argument(note_lines)


def _hub_url(text: str) -> str:
    """The hub's address as a kiosk reaches it: http or https, a host, a port from 1 to
    65535 if any, and no user name, password, query or fragment (`enrol --url` took
    https://user:pw@host:99999 into the enrolment file, which no kiosk could use and
    which showed the password wherever the address is printed)."""
    url = one_line(text)
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
    if port is not None and not 1 <= port <= 65535:
        raise ValueError(f"{shown(url)}: the port is a number from 1 to 65535")
    if "@" in parts.netloc:
        raise ValueError(
            f"{shown(url)} holds a user name or a password, which a kiosk does not use "
            "(it signs in with its token)"
        )
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ValueError(f"{shown(url)} holds a query or a fragment: give the address alone")
    return url


hub_url = argument(_hub_url)


def operator_name(value: str) -> str:
    """An --operator as the hub's journal keeps it: 1 to 80 printable characters, spaces
    folded (an empty or 100,000-character name was stored as given)."""
    from hub.site_hours import valid_operator

    try:
        return valid_operator(one_line(value))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_operator(parser: argparse.ArgumentParser, who: str) -> None:
    """Add --operator NAME: `who` ("who revokes it"), named in the hub's journal."""
    parser.add_argument(
        "--operator",
        metavar="NAME",
        default="office",
        type=operator_name,
        help=f"{who}, named in the hub's journal (default: office)",
    )
