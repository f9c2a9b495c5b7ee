"""`kiosk-hub hours list|add|remove|close|reopen` and `kiosk-hub pool
list|add-moment|remove`: the site's opening hours, closures and pooled moments, with the
syntax of `kiosk hours` and `kiosk pool` (app/commands/desk.py), `--operator` for the
hub's journal instead of a signed-in administrator."""

from __future__ import annotations

import argparse
import sys

from hub.arguments import add_operator, line_text
from hub.database import HubDatabase, utc_now
from hub.delivery_checks import MAX_INT
from kiosk.hours import WEEKDAYS, HoursError, Span, parse_span
from kiosk.model import BRUSSELS, Counter
from kiosk.pool import PoolError, PoolMoment
from kiosk.typed import argument, brussels_time, calendar_day, row_id

COUNTERS = [c.value for c in Counter]


_day, _moment = argument(calendar_day), argument(brussels_time)
AT = "YYYY-MM-DDTHH:MM"
COUNTER_HELP = "the counter it concerns"


def _number(text: str) -> int:
    """The number `hours list` shows."""
    return row_id(text, most=MAX_INT)


def _list_hours(db: HubDatabase, args: argparse.Namespace) -> None:
    from hub.site_hours import closures, spans

    counter = Counter(args.counter) if args.counter else None
    found, shut = spans(db, counter), closures(db, counter)
    for s in found:
        event = f"  event {s.event_id}" if s.event_id else ""
        print(f"{s.id}\t{s.counter.value}\t{s.when()[0]}\t{s.opens:%H:%M}-{s.closes:%H:%M}{event}")
    for c, day, reason, reason_fr in shut:
        french = f"\t(fr: {reason_fr})" if reason_fr != reason else ""
        print(f"closed\t{c.value}\t{day:%d.%m.%Y}\t{reason}{french}")
    if not found and not shut:
        which = f"the {counter.value} counter is" if counter else "the counters are"
        print(
            f"no opening hours and no closure on file: {which} not held to any hours "
            "(kiosk-hub hours add)"
        )


def _change_hours(db: HubDatabase, args: argparse.Namespace) -> str:
    from hub import site_hours

    counter, by, now = Counter(args.counter), args.operator, utc_now()
    if args.action == "add":
        opens, closes = parse_span(args.span)
        weekday = WEEKDAYS.index(args.weekday) if args.weekday else None
        span = Span(counter, opens, closes, weekday, args.day, args.event)
        span = site_hours.add_hours(db, span, by, now)
        return (
            f"added hours no. {span.id}: {counter.value} {span.when()[0]} {args.span}; "
            "counters take them at their next sync"
        )
    if args.action == "remove":
        span = site_hours.remove_hours(db, args.number, counter, by, now)
        return f"removed hours no. {args.number} ({counter.value} {span.when()[0]})"
    if args.action == "close":
        site_hours.close_day(db, counter, args.day, args.reason, by, now, args.reason_fr)
        return (
            f"{counter.value} counter closed on {args.day:%d.%m.%Y}: {args.reason.strip()}; "
            "every counter at its next sync"
        )
    site_hours.reopen_day(db, counter, args.day, by, now)
    return f"{counter.value} counter open again on {args.day:%d.%m.%Y}"


def cmd_hours(args: argparse.Namespace, db: HubDatabase) -> int:
    """Run one `kiosk-hub hours` action on `db`."""
    if args.action == "list":
        _list_hours(db, args)
        return 0
    try:
        print(_change_hours(db, args))
    except HoursError as err:
        print(f"kiosk-hub: {err.message_en} Nothing was changed.", file=sys.stderr)
        return 1
    return 0


def cmd_pool(args: argparse.Namespace, db: HubDatabase) -> int:
    """Run one `kiosk-hub pool` action on `db`."""
    from hub import site_hours

    try:
        if args.action == "list":
            events = tuple(x.strip() for x in (args.event or "").split(",") if x.strip())
            found = site_hours.moments(db, events)
            for m in found:
                where, _ = m.handout_text()
                print(
                    f"{m.id}\t{m.event_id}\t{m.starts_at.astimezone(BRUSSELS):%d.%m.%Y %H:%M}"
                    f"\t{m.name}\tcards: {where}"
                )
            if not found:
                print("no pooled moment on file (kiosk-hub pool add-moment)")
            return 0
        if args.action == "remove":
            site_hours.remove_moment(db, args.moment, args.operator, utc_now())
            print(f"pooled moment {args.moment} removed: every counter at its next sync")
            return 0
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
        site_hours.add_moment(db, moment, args.operator, utc_now())
    except PoolError as err:
        print(f"kiosk-hub: {err.message_en} Nothing was changed.", file=sys.stderr)
        return 1
    where, _ = moment.handout_text()
    print(f"pooled moment {moment.id} on file: {moment.name}; cards at {where}")
    return 0


def add_hours_parsers(sub, common: argparse.ArgumentParser, hours_func, pool_func) -> None:
    """The `hours` and `pool` subcommands; each func(args) opens the database and calls
    cmd_hours or cmd_pool."""
    h = sub.add_parser("hours", parents=[common], help="counters' opening hours and closures")
    hours = h.add_subparsers(dest="action", required=True)
    hl = hours.add_parser("list", parents=[common], help="the hours and closures in force")
    hl.add_argument("--counter", choices=COUNTERS, help="only this counter's (default: both)")
    ha = hours.add_parser("add", parents=[common], help="open a counter, every counter's copy")
    ha.add_argument(
        "span", metavar="HH:MM-HH:MM", help="the hours it opens, e.g. 08:00-17:30 (Brussels)"
    )
    when = ha.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--weekday",
        choices=WEEKDAYS,
        metavar="WEEKDAY",
        help=f"every such weekday: {', '.join(WEEKDAYS)}",
    )
    when.add_argument("--day", type=_day, metavar="YYYY-MM-DD", help="on this date only")
    ha.add_argument(
        "--event",
        metavar="EVENT",
        type=line_text,
        help="for this event's badges only, by id (Groups counter)",
    )
    hr = hours.add_parser("remove", parents=[common], help="remove hours by their number")
    hr.add_argument(
        "number",
        type=argument(_number),
        help="the hours' number, as `kiosk-hub hours list` shows it",
    )
    hc = hours.add_parser("close", parents=[common], help="close a counter for a day")
    hc.add_argument(
        "--day", required=True, type=_day, metavar="YYYY-MM-DD", help="the day it is closed"
    )
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
    ho.add_argument(
        "--day", required=True, type=_day, metavar="YYYY-MM-DD", help="the closed day to open again"
    )
    for sp in (ha, hr, hc, ho):
        sp.add_argument("--counter", required=True, choices=COUNTERS, help=COUNTER_HELP)
        add_operator(sp, "who changes them")
    h.set_defaults(func=hours_func)

    p = sub.add_parser("pool", parents=[common], help="pooled moments sent to the counters")
    pool = p.add_subparsers(dest="action", required=True)
    pl = pool.add_parser("list", parents=[common], help="the pooled moments in force")
    pl.add_argument(
        "--event",
        metavar="EVENT[,EVENT]",
        type=line_text,
        help="only this event's moments, by id, e.g. DEFMIN",
    )
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
    pm.add_argument("--starts", required=True, type=_moment, metavar=AT, help="when it takes place")
    pm.add_argument(
        "--place", required=True, type=line_text, help="where its pool cards are handed out"
    )
    pm.add_argument(
        "--place-fr", default="", type=line_text, help="that place in French (optional)"
    )
    pm.add_argument("--opens", required=True, type=_moment, metavar=AT, help="when hand-out opens")
    pm.add_argument(
        "--closes", required=True, type=_moment, metavar=AT, help="when hand-out closes"
    )
    pr = pool.add_parser("remove", parents=[common], help="take a pooled moment off")
    pr.add_argument(
        "moment", metavar="ID", type=line_text, help="the moment's id, as `pool list` shows it"
    )
    for sp in (pm, pr):
        add_operator(sp, "who changes it")
    p.set_defaults(func=pool_func)
