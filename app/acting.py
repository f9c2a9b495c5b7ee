"""Who acts at the command line: every command that issues, overrides, prints, purges or
changes accounts signs its acting account in with a PIN, through the same StaffBook
sign-in the screens use (same refusal, same waits, same journal).

PINs come from a terminal prompt without echo, or with --pin-stdin one line each in the
order the command asks for them (for scripts and tests); never from an argument, which
the shell's history and `ps` would show.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.roles import AccessDenied, Action, Actor, require
from kiosk.staff import SignInRefused, StaffBook


class PinReader:
    """Reads the PINs a command needs, one at a time, in the order asked."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin

    def read(self, prompt: str) -> str:
        """The next PIN: the next line of stdin, else typed at the terminal unseen."""
        if self.from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        return _typed(prompt)

    def new_pin(self) -> str:
        """A new PIN for an account: one line of stdin, else typed twice unseen."""
        pin = self.read("New PIN: ")
        if not self.from_stdin and _typed("New PIN again: ") != pin:
            raise SystemExit("kiosk: the two PINs differ; nothing was changed")
        return pin


def _typed(prompt: str) -> str:
    """A PIN typed at the terminal, unseen. Without a terminal getpass would read stdin
    and show what it reads (warning that it may be echoed): refused, as is no PIN at all."""
    try:
        with open("/dev/tty", "rb"):
            pass
    except OSError:
        raise SystemExit(
            "kiosk: no terminal to type the PIN at: give --pin-stdin and the PIN on stdin. "
            "Nothing was done."
        ) from None
    try:
        return getpass.getpass(prompt)
    except EOFError:  # Ctrl-D at the prompt
        raise SystemExit("\nkiosk: no PIN was typed. Nothing was done.") from None


def add_pin_stdin(parser: argparse.ArgumentParser) -> None:
    """Add --pin-stdin to a command that asks for PINs."""
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read each PIN asked for from one line of stdin (else a prompt without echo)",
    )


def pins(args: argparse.Namespace) -> PinReader:
    """The PIN reader a command's arguments ask for."""
    return PinReader(bool(getattr(args, "pin_stdin", False)))


def sign_in(staff: StaffBook, name: str, reader: PinReader, action: Action | None) -> Actor:
    """`name` signed in with the PIN read next and allowed `action`; SystemExit with one
    sentence otherwise (nothing else done; a wrong PIN counts as at a screen)."""
    pin = reader.read(f"PIN for {name}: ")
    try:
        actor = staff.sign_in(name, pin)
        if action is not None:
            require(actor.role, action)
    except SignInRefused:
        raise SystemExit(
            f"kiosk: name or PIN not recognised for {name} (or the name must wait after wrong"
            " PINs): nothing was done."
        ) from None
    except AccessDenied as denied:
        staff.sign_out(actor)  # as the screens do for a role with nothing to do there
        reason = denied.message_en.removesuffix(".")
        raise SystemExit(f"kiosk: {actor.name}: {reason}; nothing was done.") from None
    return actor
