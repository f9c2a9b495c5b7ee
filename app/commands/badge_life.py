"""`kiosk badge lost|stolen|damaged|found|return SERIAL` and `kiosk badge history
(SERIAL|REGISTRATION)`: a badge's life after the counter (kiosk/badge_life.py)."""

from __future__ import annotations

import argparse
import json

from app.acting import add_pin_stdin, pins, sign_in
from app.wiring import open_kiosk, require_store, resolve_data_dir
from kiosk.badge_life import EVENT_NAMES, History, LifeEvent, LifeRefused
from kiosk.model import BRUSSELS, Counter
from kiosk.roles import Action
from kiosk.typed import argument, one_line

# The command's word for each event ("return" as a clerk says it).
WORDS = {
    "lost": LifeEvent.LOST,
    "stolen": LifeEvent.STOLEN,
    "damaged": LifeEvent.DAMAGED,
    "found": LifeEvent.FOUND,
    "return": LifeEvent.RETURNED,
}
HELP = {
    LifeEvent.LOST: "report a badge lost: void it, print nothing (supervisor)",
    LifeEvent.STOLEN: "report a badge stolen: void it, print nothing (supervisor)",
    LifeEvent.DAMAGED: "report a badge damaged: void it, print nothing (supervisor)",
    LifeEvent.FOUND: "record a badge reported lost or stolen as found and handed in",
    LifeEvent.RETURNED: "record a badge handed back (an event's end, an annual holder leaving)",
}


def _badge_commands(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The subcommands of `kiosk badge` (made by app/commands/printing.py)."""
    badge = sub.choices["badge"]
    return next(a for a in badge._actions if isinstance(a, argparse._SubParsersAction))


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the badge life commands to `kiosk badge`."""
    what = _badge_commands(sub)
    for word, event in WORDS.items():
        p = what.add_parser(word, parents=[common], help=HELP[event])
        p.add_argument("serial", help="the badge's serial, as printed on it (G1-000042)")
        p.add_argument(
            "--note",
            default="",
            type=argument(one_line),
            help="what happened, on one line (goes into the journal)",
        )
        _who(p)
        p.set_defaults(func=cmd_life, event=event)
    h = what.add_parser(
        "history", parents=[common], help="a person's badges: issued, reprinted, lost, returned"
    )
    h.add_argument("query", help="a badge serial (G1-000042) or a registration (A0000123)")
    h.add_argument("--json", action="store_true", help="machine-readable output")
    _who(h)
    h.set_defaults(func=cmd_history)


def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument("--clerk", metavar="NAME", required=True, help="who signs in (asks for the PIN)")
    p.add_argument(
        "--counter",
        default="groups",
        choices=[c.value for c in Counter],
        help="the counter this kiosk serves, named in the journal (default: groups)",
    )
    add_pin_stdin(p)


def _open(args: argparse.Namespace):
    data_dir = require_store(resolve_data_dir(args.data_dir))  # SetupError: no store there
    return open_kiosk(data_dir, Counter(args.counter))


def _refused(err: LifeRefused) -> SystemExit:
    return SystemExit(f"kiosk: {err.message_en}\n       {err.message_fr}")


def cmd_life(args: argparse.Namespace) -> int:
    """Record one event of a badge's life, signed in with the right role."""
    event: LifeEvent = args.event
    kiosk = _open(args)
    try:
        actor = sign_in(kiosk.staff, args.clerk, pins(args), event.action)
        try:
            badge = kiosk.life.record(args.serial, event, actor, args.note)
        except LifeRefused as err:
            raise _refused(err) from None
    finally:
        kiosk.close()
    en, fr = EVENT_NAMES[event]
    print(f"badge {badge.serial} {en} by {actor.name} / badge {badge.serial} {fr}")
    if event is not LifeEvent.FOUND:
        print(
            "  void: every security post refuses it from its next sync; a new badge needs a "
            "supervisor (kiosk issue ... --supervisor NAME --reason TEXT)"
        )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Print a person's badge history."""
    kiosk = _open(args)
    try:
        actor = sign_in(kiosk.staff, args.clerk, pins(args), Action.CHECK)
        try:
            history = kiosk.life.history(args.query, actor)
        except LifeRefused as err:
            raise _refused(err) from None
    finally:
        kiosk.close()
    if args.json:
        print(json.dumps(history_json(history), ensure_ascii=False, indent=1))
    else:
        print(history_text(history))
    return 0


def history_json(history: History) -> dict:
    """A badge history as plain JSON data."""
    return {
        "person": history.person,
        "registrations": list(history.registrations),
        "badges": {b.serial: b.status.value for b in history.badges},
        "lines": [
            {
                "at": line.at.isoformat(),
                "serial": line.serial,
                "what": line.what,
                "who": line.who,
                "kiosk": line.kiosk_id,
                "note": line.note,
            }
            for line in history.lines
        ],
    }


def history_text(history: History) -> str:
    """A badge history as a clerk reads it."""
    person = history.person or "(holder not on file: deleted after the event)"
    out = [f"{person}  ({', '.join(history.registrations)})"]
    out += [f"  {b.serial}  now {b.status.value}" for b in history.badges]
    for line in history.lines:
        at = line.at.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M")
        note = f"  ({line.note})" if line.note else ""
        out.append(f"  {at}  {line.serial}  {line.what:<9} {line.who} at {line.kiosk_id}{note}")
    return "\n".join(out)
