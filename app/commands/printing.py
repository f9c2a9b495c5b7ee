"""`kiosk badge …` and `kiosk printers`: render, print and pre-print badges, check templates,
list printers and choose one per counter.

Heavy libraries (reportlab, barcode) load inside the commands, so `kiosk check` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.acting import add_pin_stdin, pins, sign_in
from kiosk.folder_lock import printing_lock
from kiosk.model import Counter
from kiosk.private import write_private
from kiosk.roles import AccessDenied, Action
from kiosk.store.schema import EventRow

SERIAL_HELP = "the badge's serial, as printed on it (G1-000042)"


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `badge` (render, print, batch, template) and `printers` to the `kiosk` command."""
    at = argparse.ArgumentParser(add_help=False)
    at.add_argument(
        "--counter",
        default="groups",
        choices=[c.value for c in Counter],
        help="the counter this kiosk serves, named in the journal; its printer is used "
        "(default: groups)",
    )

    badge = sub.add_parser("badge", parents=[common], help="render, print, pre-print badges")
    what = badge.add_subparsers(dest="badge_command", required=True, metavar="COMMAND")
    r = what.add_parser("render", parents=[common], help="write a badge's PDF (changes nothing)")
    r.add_argument("--serial", required=True, metavar="SERIAL", help=SERIAL_HELP)
    r.add_argument("--out", required=True, metavar="FILE", help="the PDF file to write")
    r.add_argument(
        "--template",
        metavar="FILE",
        help="lay it out with this template (.toml) instead of the usual one",
    )
    r.set_defaults(func=cmd_render)
    p = what.add_parser("print", parents=[common, at], help="print (or retry) a badge")
    p.add_argument("--serial", required=True, metavar="SERIAL", help=SERIAL_HELP)
    p.add_argument(
        "--printer",
        metavar="NAME",
        help="the printer's name (default: the counter's, see `kiosk printers`)",
    )
    p.add_argument(
        "--clerk", metavar="NAME", required=True, help="the clerk who prints (asks for the PIN)"
    )
    add_pin_stdin(p)
    p.set_defaults(func=cmd_print)
    b = what.add_parser("batch", parents=[common, at], help="pre-print an event's badges")
    b.add_argument(
        "--event",
        required=True,
        metavar="EVENT[,EVENT]",
        help="the event(s) whose badges to pre-print, by id, e.g. DEFMIN",
    )
    b.add_argument(
        "--printer",
        metavar="NAME",
        help="the printer's name (default: the counter's, see `kiosk printers`)",
    )
    b.add_argument(
        "--supervisor",
        metavar="NAME",
        required=True,
        help="the supervisor who pre-prints (asks for the PIN)",
    )
    add_pin_stdin(b)
    b.set_defaults(func=cmd_batch)
    t = what.add_parser("template", parents=[common], help="check a template, preview it")
    t.add_argument("file", metavar="FILE", help="the template file to check (.toml)")
    t.add_argument(
        "--preview", metavar="PDF", help="also write a sample badge laid out by it to this PDF"
    )
    t.set_defaults(func=cmd_template)

    pr = sub.add_parser("printers", parents=[common], help="list printers, choose a counter's")
    pr.add_argument("--use", metavar="NAME", help="make --counter print on this printer")
    pr.add_argument(
        "--counter",
        default="groups",
        choices=[c.value for c in Counter],
        help="the counter whose printer --use sets (default: groups)",
    )
    pr.add_argument(
        "--slips",
        action="store_true",
        help="--use sets the counter's printer for hand-off slips (A6 paper), not badges",
    )
    pr.set_defaults(func=cmd_printers)


def _store_dir(args: argparse.Namespace) -> Path:
    """The data folder, if it holds a kiosk store (else a sentence on what to do)."""
    from app.wiring import require_store, resolve_data_dir

    return require_store(resolve_data_dir(args.data_dir))


def _open(args: argparse.Namespace):
    from app.wiring import open_kiosk, resolve_data_dir

    return open_kiosk(resolve_data_dir(args.data_dir), Counter(args.counter))


def cmd_render(args: argparse.Namespace) -> int:
    """Write badge --serial's PDF to --out."""
    from app.wiring import DEMO_BADGE_KEY_IDS, is_demo_world, open_kiosk, resolve_data_dir
    from kiosk.exports import record_export
    from kiosk.services import brussels_now
    from printing.badge_pdf import render_badge
    from printing.badge_template import TemplateError, load_template

    data_dir = resolve_data_dir(args.data_dir)
    issued_at = args.serial.strip().upper().rpartition("-")[0]
    # a demo world (no enrolment) holds both counters' keys: the one that issued it signs
    at = issued_at if is_demo_world(data_dir) and issued_at in DEMO_BADGE_KEY_IDS else None
    kiosk = open_kiosk(data_dir, Counter.GROUPS, kiosk_id=at)
    try:
        try:
            kiosk.desk.prints.badge(args.serial)
        except KeyError:
            raise SystemExit(f"kiosk: no badge {args.serial} in {kiosk.data_dir}") from None
        if issued_at != kiosk.desk.kiosk_id:  # signed here, its QR would read FORGED
            raise SystemExit(
                f"kiosk: badge {args.serial} was issued at {issued_at}: its card is signed "
                f"there, not at {kiosk.desk.kiosk_id}. Nothing was written."
            )
        card = kiosk.desk.cards.card(args.serial)
        try:
            template = (
                load_template(Path(args.template))
                if args.template
                else kiosk.printing.templates.for_card(card)
            )
            out = render_badge(card, Path(args.out), template)
        except (TemplateError, ValueError) as err:
            raise SystemExit(f"kiosk: {err}") from err
        record_export(kiosk.data_dir, out, "badge", brussels_now())
    finally:
        kiosk.close()
    print(out)
    return 0


def _known_printer(args: argparse.Namespace, nothing: str) -> None:
    """Refuse a --printer this machine does not have, before anything is done."""
    from app.wiring import resolve_data_dir
    from printing.printers import check_printer

    if args.printer is None:
        return  # the counter's own, checked when it was chosen
    try:
        check_printer(resolve_data_dir(args.data_dir), args.printer)
    except ValueError as err:
        raise SystemExit(f"kiosk: {err}; {nothing}.") from err


def cmd_print(args: argparse.Namespace) -> int:
    """Print badge --serial (printing, or whose printing failed) and wait for the card."""
    _known_printer(args, "nothing was printed")
    with printing_lock(_store_dir(args)):  # a window would race its follow-up
        return _print(args)


def _print(args: argparse.Namespace) -> int:
    from kiosk.print_states import PrintStateError

    kiosk = _open(args)
    try:
        clerk = sign_in(kiosk.staff, args.clerk, pins(args), None)  # the role: by the job
        try:
            outcome = kiosk.printing.print_badge(
                args.serial,
                args.printer,
                progress=lambda p: print(f"  … {p.message_en}"),
                actor=clerk,
            )
        except (PrintStateError, KeyError) as err:
            raise SystemExit(f"kiosk: {err.args[0]}") from err
        except AccessDenied as err:
            raise SystemExit(f"kiosk: {err.message_en} Nothing was done.") from err
    finally:
        kiosk.close()
    print(("PRINTED" if outcome.ok else "NOT PRINTED") + f" badge {outcome.serial}")
    print(f"  {outcome.message_en}\n  {outcome.message_fr}")
    return 0 if outcome.ok else 1


def cmd_batch(args: argparse.Namespace) -> int:
    """Pre-print the badges of --event (one or several, comma-separated: a batch each);
    report what failed."""
    _known_printer(args, "nothing was printed, no badge was made")
    with printing_lock(_store_dir(args)):  # a window would race its follow-up
        return _batch(args)


def _batch(args: argparse.Namespace) -> int:
    kiosk = _open(args)

    def shown(done: int, total: int, outcome) -> None:
        mark = "ok" if outcome.ok else "!!"
        print(f"[{done}/{total}] {mark} {outcome.serial}: {outcome.message_en}", flush=True)

    events = [e.strip() for e in args.event.split(",") if e.strip()]
    reports = []
    try:
        with kiosk.store.reading() as s:
            unknown = [e for e in events if s.get(EventRow, e) is None]
        if unknown or not events:
            raise SystemExit(
                f"kiosk: no event {', '.join(map(repr, unknown)) or repr(args.event)} on this "
                "kiosk (--event takes event ids, comma-separated); nothing was printed."
            )
        supervisor = sign_in(kiosk.staff, args.supervisor, pins(args), Action.PRINT_BATCH)
        for event_id in events:  # one batch per event; a stopped printer stops them all
            report = kiosk.printing.preprint_event(event_id, args.printer, shown, actor=supervisor)
            reports.append(report)
            if report.not_tried:
                break
    finally:
        kiosk.close()
    stopped = False
    for report in reports:
        stopped = _summary(report) or stopped
    left = events[len(reports) :]
    if left and reports and reports[-1].not_tried:
        print(f"  not started (the printer stopped): {', '.join(left)}")
    if stopped:
        print("  run the same command again to print the failed ones once the printer is fixed")
        return 1
    return 0


def _summary(report) -> bool:
    """Print one batch's figures and failures; whether anything is left to print."""
    print(
        f"batch {report.batch}: {len(report.printed)} pre-printed, {len(report.failed)} failed"
        + (f", {len(report.not_tried)} not tried" if report.not_tried else "")
    )
    for outcome in report.failed:
        print(f"  FAILED {outcome.serial} on {outcome.printer}: {outcome.message_en}")
    if report.not_tried:
        print(f"  not tried (the printer stopped): {', '.join(report.not_tried)}")
    return bool(report.failed or report.not_tried)


def cmd_template(args: argparse.Namespace) -> int:
    """Check a template file; with --preview, lay out a sample badge with it."""
    from printing.badge_template import TemplateError, load_template
    from printing.preview import preview_pdf

    try:
        template = load_template(Path(args.file))
        pdf = preview_pdf(template) if args.preview else None
    except (TemplateError, ValueError) as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return 1
    print(f"{args.file}: ok ({template.name}, {template.kind}, {template.orientation})")
    if pdf is not None:
        write_private(Path(args.preview), pdf)
        print(f"preview: {args.preview}")
    return 0


def cmd_printers(args: argparse.Namespace) -> int:
    """List the printers (the counters' choices marked); with --use, choose one."""
    from app.wiring import resolve_data_dir
    from printing.printers import PrinterSettingsInvalid

    data_dir = resolve_data_dir(args.data_dir)
    try:
        return _printers(args, data_dir)
    except PrinterSettingsInvalid as err:
        raise SystemExit(f"kiosk: {err}. Nothing was changed.") from err


def _printers(args: argparse.Namespace, data_dir) -> int:
    from printing.printer import clerk_message
    from printing.printers import (
        choose_printer,
        choose_slip_printer,
        chosen_printer,
        chosen_slip_printer,
        list_printers,
    )

    if args.use is not None and not args.use.strip():
        raise SystemExit("kiosk: --use needs a printer's name (`kiosk printers` lists them)")
    if args.use:
        counter = Counter(args.counter)
        choose, chosen_now, setting, what = (
            (choose_slip_printer, chosen_slip_printer, "slip_printer", "hand-off slips")
            if args.slips
            else (choose_printer, chosen_printer, "printer", "badges")
        )
        before = chosen_now(data_dir, counter)
        try:
            choose(data_dir, counter, args.use)
        except ValueError as err:
            raise SystemExit(f"kiosk: {err}. Nothing was changed.") from err
        change = (before or "", args.use)
        _journal_setting(data_dir, counter, f"{setting}.{counter.value}", change)
        print(f"the {args.counter} counter prints its {what} on {args.use}")
    chosen = {c.value: chosen_printer(data_dir, c) for c in Counter}
    chosen |= {f"{c.value} slips": chosen_slip_printer(data_dir, c) for c in Counter}
    for info in list_printers(data_dir):
        users = [who for who, name in chosen.items() if name == info.name]
        state = "ready"
        if info.problem is not None:
            state = clerk_message(info.problem, info.name)[0]
        mark = f"  <- {', '.join(users)}" if users else ""
        print(f"{info.name:<20} {info.kind:<6} {state}  ({info.description}){mark}")
    return 0


def _journal_setting(
    data_dir: Path, counter: Counter, setting: str, change: tuple[str, str]
) -> None:
    """Journal a setting the operator changed at the kiosk's shell (no one signs in there),
    when the folder holds a store to journal into."""
    from app.wiring import default_kiosk_id
    from kiosk.services import brussels_now, has_store
    from kiosk.settings_journal import SettingsJournal
    from kiosk.store.database import Store

    if not has_store(data_dir):
        return
    store = Store.in_dir(data_dir)
    try:
        journal = SettingsJournal(store, default_kiosk_id(store, counter), brussels_now)
        journal.record({setting: change}, None)
    finally:
        store.close()
