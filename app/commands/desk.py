"""`kiosk hours ...` and `kiosk pool ...`: the counters' opening hours (kiosk/hours.py)
and the pool desk (kiosk/pool.py). Changes sign their actor in with a PIN."""

from __future__ import annotations

import argparse

from app.acting import add_pin_stdin, pins, sign_in
from app.wiring import open_kiosk, require_store, resolve_data_dir, stopped_clock
from kiosk.hours import WEEKDAYS, HoursError, Span, parse_span
from kiosk.model import BRUSSELS, Counter
from kiosk.pool import PoolError, PoolMoment
from kiosk.roles import Action
from kiosk.typed import argument, brussels_time, calendar_day, one_line, row_id, shown

COUNTERS = [c.value for c in Counter]
COUNTER_HELP = "the counter it concerns"
AT = "YYYY-MM-DDTHH:MM"
# A reason, a name, a place, an id: one line, as kiosk-hub's (hub/arguments.py) and the
# screens' fields take them; a line break printed lines that are not there in the listings.
line_text = argument(one_line)
DAY = argument(calendar_day)  # read before any PIN is asked: a day refused signs no one in


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `kiosk hours list|add|remove|close|reopen` and `kiosk pool
    list|add-moment|hand-out|return` to the `kiosk` command."""
    h = sub.add_parser("hours", parents=[common], help="counters' opening hours and closures")
    hours = h.add_subparsers(dest="action", required=True)
    hl = hours.add_parser("list", parents=[common], help="the hours and closures on file")
    hl.add_argument("--counter", choices=COUNTERS, help="only this counter's (default: both)")
    hl.set_defaults(func=cmd_hours)
    ha = hours.add_parser("add", parents=[common], help="open a counter (administrator)")
    ha.add_argument(
        "span",
        metavar="HH:MM-HH:MM",
        type=argument(parse_span),
        help="the hours it opens, e.g. 08:00-17:30 (Brussels)",
    )
    when = ha.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--weekday",
        choices=WEEKDAYS,
        metavar="WEEKDAY",
        help=f"every such weekday: {', '.join(WEEKDAYS)}",
    )
    when.add_argument("--day", type=DAY, metavar="YYYY-MM-DD", help="on this date only")
    ha.add_argument(
        "--event",
        metavar="EVENT",
        type=line_text,
        help="for this event's badges only, by id (Groups counter)",
    )
    hr = hours.add_parser("remove", parents=[common], help="remove hours by their number")
    hr.add_argument(
        "number", type=argument(row_id), help="the hours' number, as `kiosk hours list` shows it"
    )
    hc = hours.add_parser("close", parents=[common], help="close a counter for a day")
    hc.add_argument("--day", required=True, type=DAY, metavar="YYYY-MM-DD", help="the day closed")
    hc.add_argument(
        "--reason", required=True, type=line_text, help="why it is closed, e.g. a public holiday"
    )
    hc.add_argument(
        "--reason-fr",
        default="",
        type=line_text,
        help="the reason in French, e.g. 'Jour férié' (optional)",
    )
    ho = hours.add_parser("reopen", parents=[common], help="lift a day's closure")
    ho.add_argument("--day", required=True, type=DAY, metavar="YYYY-MM-DD", help="the closed day")
    for sp in (ha, hr, hc, ho):
        sp.add_argument("--counter", required=True, choices=COUNTERS, help=COUNTER_HELP)
        sp.add_argument(
            "--admin", metavar="NAME", required=True, help="the administrator (asks for the PIN)"
        )
        add_pin_stdin(sp)
        sp.set_defaults(func=cmd_hours)

    p = sub.add_parser("pool", parents=[common], help="pool cards: who is entitled, out, back")
    pool = p.add_subparsers(dest="action", required=True)
    pl = pool.add_parser("list", parents=[common], help="pooled moments, or one's entitled list")
    pl.add_argument(
        "--moment",
        metavar="ID",
        type=line_text,
        help="list the people entitled for this moment instead",
    )
    pl.add_argument(
        "--event",
        metavar="EVENT[,EVENT]",
        type=line_text,
        help="only this event's moments, by id, e.g. DEFMIN",
    )
    for action, text in (("hand-out", "hand a pool card out"), ("return", "take one back")):
        sp = pool.add_parser(action, parents=[common], help=text)
        sp.add_argument(
            "--moment",
            required=True,
            metavar="ID",
            type=line_text,
            help="the pooled moment, e.g. DEFMIN-PHOTO",
        )
        sp.add_argument(
            "--accreditation",
            required=True,
            type=_accreditation,
            metavar="ID",
            help="whose card: the accreditation's id or registration (A0000042)",
        )
        sp.add_argument(
            "--clerk", metavar="NAME", required=True, help="the clerk (asks for the PIN)"
        )
        add_pin_stdin(sp)
    pm = pool.add_parser("add-moment", parents=[common], help="put a pooled moment on file")
    pm.add_argument(
        "moment", metavar="ID", type=line_text, help="the moment's id, e.g. DEFMIN-PHOTO"
    )
    pm.add_argument(
        "--event",
        required=True,
        metavar="EVENT",
        type=line_text,
        help="its event's id, e.g. DEFMIN",
    )
    pm.add_argument("--name", required=True, type=line_text, help="its name, e.g. 'Family photo'")
    pm.add_argument("--name-fr", default="", type=line_text, help="its name in French (optional)")
    when = argument(brussels_time)
    pm.add_argument("--starts", required=True, type=when, metavar=AT, help="when it takes place")
    pm.add_argument(
        "--place", required=True, type=line_text, help="where its pool cards are handed out"
    )
    pm.add_argument(
        "--place-fr", default="", type=line_text, help="that place in French (optional)"
    )
    pm.add_argument("--opens", required=True, type=when, metavar=AT, help="when hand-out opens")
    pm.add_argument("--closes", required=True, type=when, metavar=AT, help="when hand-out closes")
    pm.add_argument(
        "--admin", metavar="NAME", required=True, help="the administrator (asks for the PIN)"
    )
    add_pin_stdin(pm)
    for sp in pool.choices.values():
        sp.add_argument(
            "--counter",
            default="groups",
            choices=COUNTERS,
            help="the counter this kiosk serves, named in the journal (default: groups)",
        )
        sp.add_argument(
            "--at",
            metavar=AT,
            help="act at this time, Brussels unless a zone is given (default: now)",
        )
        sp.set_defaults(func=cmd_pool)


def _accreditation(text: str) -> int:
    """An accreditation id, as a number or a registration (A0000012)."""
    try:
        return row_id(text.strip().upper().removeprefix("A"))
    except ValueError:
        refused = f"{shown(text)} is not an accreditation id or A-number"
        raise argparse.ArgumentTypeError(refused) from None


def _open(args: argparse.Namespace):
    data_dir = require_store(resolve_data_dir(args.data_dir))  # SetupError: no store there
    counter = Counter(args.counter or "groups")
    at = getattr(args, "at", None)
    if not at:
        return open_kiosk(data_dir, counter)
    try:
        clock = stopped_clock(data_dir, at, writes=args.action != "list")
    except ValueError as err:
        raise SystemExit(f"kiosk: {err}") from None
    return open_kiosk(data_dir, counter, clock=clock, purge_due=False)


def cmd_hours(args: argparse.Namespace) -> int:
    """List, add or remove opening hours; close or reopen a counter for a day."""
    kiosk = _open(args)
    try:
        book = kiosk.hours
        if args.action == "list":
            counter = Counter(args.counter) if args.counter else None
            for s in book.spans(counter):
                when, _ = s.when()
                event = f"  event {s.event_id}" if s.event_id else ""
                hub = f"  (hub no. {s.hub_id})" if s.hub_id is not None else ""
                hhmm = f"{s.opens:%H:%M}-{s.closes:%H:%M}"
                print(f"{s.id}\t{s.counter.value}\t{when}\t{hhmm}{event}{hub}")
            for c, day, reason in book.closures(counter):
                print(f"closed\t{c.value}\t{day:%d.%m.%Y}\t{reason}")
            return 0
        admin = sign_in(kiosk.staff, args.admin, pins(args), Action.SETTINGS)
        counter = Counter(args.counter)
        try:
            done = _change_hours(book, args, counter, admin)
        except HoursError as err:
            raise SystemExit(f"kiosk: {err.message_en} Nothing was changed.") from err
    finally:
        kiosk.close()
    print(done)
    return 0


def _change_hours(book, args: argparse.Namespace, counter: Counter, admin) -> str:
    if args.action == "add":  # the day and the hours read by argparse, before any PIN
        opens, closes = args.span
        weekday = WEEKDAYS.index(args.weekday) if args.weekday else None
        span = book.add(Span(counter, opens, closes, weekday, args.day, args.event), admin)
        return f"added hours no. {span.id}: {counter.value} {span.when()[0]} {args.span}"
    if args.action == "remove":
        span = book.remove(args.number, counter, admin)
        return f"removed hours no. {args.number} ({span.counter.value} {span.when()[0]})"
    day = args.day
    if args.action == "close":
        book.close_day(counter, day, args.reason, admin, args.reason_fr)
        return f"{counter.value} counter closed on {day:%d.%m.%Y}: {args.reason.strip()}"
    book.reopen_day(counter, day, admin)
    return f"{counter.value} counter open again on {day:%d.%m.%Y}"


def cmd_pool(args: argparse.Namespace) -> int:
    """List pooled moments or who is entitled to one; hand out or take back a card."""
    kiosk = _open(args)
    try:
        desk = kiosk.pool
        try:
            if args.action == "list":
                _list_pool(desk, args)
                return 0
            if args.action == "add-moment":
                return _add_moment(kiosk, args)
            clerk = sign_in(kiosk.staff, args.clerk, pins(args), Action.POOL_CARDS)
            act = desk.hand_out if args.action == "hand-out" else desk.take_back
            entry = act(args.moment, args.accreditation, clerk)
        except PoolError as err:
            raise SystemExit(f"kiosk: {err.message_en} Nothing was changed.") from err
    finally:
        kiosk.close()
    verb = "handed out to" if args.action == "hand-out" else "returned by"
    print(f"pool card {args.moment} {verb} {entry.registration} {entry.name}")
    return 0


def _add_moment(kiosk, args: argparse.Namespace) -> int:
    admin = sign_in(kiosk.staff, args.admin, pins(args), Action.SETTINGS)
    moment = PoolMoment(
        args.moment.strip(),
        args.event.strip(),
        args.name.strip(),
        args.starts,
        args.place.strip(),
        args.opens,
        args.closes,
        args.name_fr.strip(),
        args.place_fr.strip(),
    )
    kiosk.pool.add_moment(moment, admin)
    where, _ = moment.handout_text()
    print(f"pooled moment {moment.id} on file: {moment.name}; cards at {where}")
    return 0


def _list_pool(desk, args: argparse.Namespace) -> None:
    if args.moment:
        for e in desk.roster(args.moment):
            when = (
                f"\t{e.handed_by} {e.handed_at.astimezone(BRUSSELS):%d.%m %H:%M}"
                if e.handed_at
                else ""
            )
            print(f"{e.registration}\t{e.name}\t{e.media_kind.value}\t{e.state}{when}")
        return
    events = tuple(x.strip() for x in (args.event or "").split(",") if x.strip())
    for m in desk.moments(events):
        where, _ = m.handout_text()
        print(
            f"{m.id}\t{m.event_id}\t{m.starts_at.astimezone(BRUSSELS):%d.%m.%Y %H:%M}"
            f"\t{m.name}\tcards: {where}"
        )
