"""Argument types `kiosk-hub` shares across its commands (hub/cli.py, hub/hours_cli.py,
hub/staff_cli.py): one-line text, notes, and the operator the hub's journal names.

A value refused here stops the command before it opens the database, with argparse's
usage line, one sentence and exit status 2: nothing is written.
"""

from __future__ import annotations

import argparse

from kiosk.hub_address import hub_address
from kiosk.typed import argument, note_lines, one_line, shown

# A name, a reason, a place, an id: one line (the importer refuses a line break there
# too). Control characters other than these are refused for every argument by main.
line_text = argument(one_line)
# A conflict's settlement note may run over lines, as the console's text box allows.
note_text = argument(note_lines)


# The hub's address as a kiosk reaches it: the same check the kiosk makes of its file.
hub_url = argument(hub_address)


def _revoke_reason(text: str) -> str:
    """A client's revocation reason: one line of at most REASON_MAX characters, as the
    console's Kiosks page takes it (the command line took 100,000)."""
    from hub.clients import REASON_MAX

    reason = one_line(text)
    if len(reason.strip()) > REASON_MAX:
        raise ValueError(
            f"{shown(reason)} has {len(reason.strip()):,} characters: a reason has at most "
            f"{REASON_MAX}"
        )
    return reason


revoke_reason = argument(_revoke_reason)


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
