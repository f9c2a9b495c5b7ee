"""`kiosk-hub staff add|pin|disable|enable|list|history`: the site's staff accounts.

The PIN is read from one line of stdin when stdin is not a terminal (scripts, tests),
else typed twice without echo; never from an argument, which the shell's history and
`ps` would show.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from hub.arguments import line_text
from hub.database import HubDatabase, utc_now
from kiosk.model import BRUSSELS
from kiosk.roles import Role
from kiosk.staff import StaffError


def _read_pin() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    pin = getpass.getpass("New PIN: ")
    if getpass.getpass("New PIN again: ") != pin:
        raise SystemExit("kiosk-hub: the two PINs differ; nothing was changed")
    return pin


def _list(db: HubDatabase) -> None:
    from hub.staff import accounts

    print(f"{'name':<24} {'role':<14} {'created':<17} state")
    for a in accounts(db):
        created = a.created_at.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M")
        print(f"{a.name:<24} {a.role.value:<14} {created:<17} {'disabled' if a.disabled else 'ok'}")


def _history(db: HubDatabase) -> None:
    from hub.staff import changes

    for c in changes(db):
        at = c.at.astimezone(BRUSSELS)
        print(f"{at:%Y-%m-%d %H:%M}  {c.change:<8} {c.name:<24} {c.role:<14} by {c.by}")


def _change(db: HubDatabase, args: argparse.Namespace) -> str:
    from hub import staff

    now = utc_now()
    if args.action == "add":
        done = staff.add_account(db, args.name, Role(args.role), _read_pin(), args.by, now)
        return f"added {done.name} ({done.role.value}): kiosks take it at their next sync"
    if args.action == "pin":
        name = staff.set_pin(db, args.name, _read_pin(), args.by, now)
        return f"new PIN for {name}: kiosks take it at their next sync"
    name = staff.set_disabled(db, args.name, args.action == "disable", args.by, now)
    return f"{args.action}d {name}: every kiosk and post at its next sync"


def cmd_staff(args: argparse.Namespace, db: HubDatabase) -> int:
    """Run one `kiosk-hub staff` action on `db`."""
    if args.action == "list":
        _list(db)
    elif args.action == "history":
        _history(db)
    else:
        try:
            print(_change(db, args))
        except StaffError as err:
            print(f"kiosk-hub: {err.message_en}", file=sys.stderr)
            return 1
    return 0


def add_staff_parser(sub, common: argparse.ArgumentParser, func) -> None:
    """The `staff` subcommand; `func(args)` opens the database and calls cmd_staff."""
    st = sub.add_parser("staff", parents=[common], help="staff accounts sent to every kiosk")
    actions = st.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[common], help="every account, disabled ones too")
    actions.add_parser("history", parents=[common], help="who changed which account, when")
    texts = {
        "add": "add an account (PIN from stdin or typed twice)",
        "pin": "give an account a new PIN",
        "disable": "stop an account at every kiosk from its next sync",
        "enable": "let a disabled account sign in again",
    }
    for action, text in texts.items():
        sp = actions.add_parser(action, parents=[common], help=text)
        sp.add_argument("name", type=line_text, help="the account's name, as typed at sign-in")
        if action == "add":
            sp.add_argument(
                "--role",
                required=True,
                choices=[r.value for r in Role],
                help="what the account may do (docs/staff-and-roles.md)",
            )
        sp.add_argument(
            "--by",
            metavar="NAME",
            default="office",
            type=line_text,
            help="who makes the change, named in the hub's history (default: office)",
        )
    st.set_defaults(func=func)
