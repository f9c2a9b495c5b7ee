"""`kiosk`: the command line of the pass office kiosk."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from app.acting import PinReader, add_pin_stdin, pins, sign_in
from app.commands import badge_life as badge_life_commands
from app.commands import chip as chip_commands
from app.commands import desk as desk_commands
from app.commands import overview as overview_commands
from app.commands import photos as photo_commands
from app.commands import printing as printing_commands
from app.commands import scanning as scanning_commands
from app.commands import sync as sync_commands
from app.demo import add_world_arguments
from app.wiring import (
    SetupError,
    default_kiosk_id,
    is_demo_world,
    open_kiosk,
    open_security_post,
    personal_files,
    read_mrz,
    require_store,
    resolve_data_dir,
    stopped_clock,
    store_or_nothing,
)
from kiosk.counter import NotIssued
from kiosk.desk_checks import PressCardError, read_press_card
from kiosk.exports import record_export
from kiosk.folder_lock import FolderInUse, printing_lock, window_lock
from kiosk.journal_keys import JournalKeyError
from kiosk.model import BRUSSELS, Counter, Decision, IdReading, PressCardSeen
from kiosk.private import private_umask, write_private
from kiosk.roles import Action, Actor, Role
from kiosk.services import KeyConflict, brussels_now, has_store
from kiosk.store.trouble import store_trouble
from kiosk.typed import argument, argument_refusal, brussels_time, one_line, row_id
from kiosk.verify import PostData, SecurityPost, Verification

if TYPE_CHECKING:
    from kiosk.journal_keys import JournalKeys
    from kiosk.staff import StaffBook

MARK = {True: "ok ", False: "!! "}
DATA_DIR_HELP = "kiosk data directory (else $KIOSK_DATA_DIR); before or after the command"
COUNTER_HELP = "the counter this kiosk serves, named in the journal (default: groups)"
AT = "YYYY-MM-DDTHH:MM"  # the form of every --at (Brussels time unless a zone is given)
VERDICT_FR = {
    "VALID": "VALABLE",
    "CHECK": "À VÉRIFIER",
    "SCAN QR": "SCANNER LE CODE QR",  # as the post's screen says it
    "NOT VALID": "NON VALABLE",
}


class CommandError(Exception):
    """A command cannot do what was asked; the message says what to do instead."""


# Each adapter's subcommands (app/commands/): every module has
# add_commands(subparsers, common_parent_parser) and imports its heavy libraries lazily.
# badge_life adds to printing's `kiosk badge`: it comes after it.
ADAPTER_COMMANDS = (
    scanning_commands,
    printing_commands,
    sync_commands,
    chip_commands,
    overview_commands,
    desk_commands,
    photo_commands,
    badge_life_commands,
)


def _at(text: str | None) -> datetime | None:
    try:
        return brussels_time(text) if text else None
    except ValueError as err:
        raise CommandError(f"--at: {err}. Nothing was done.") from None


def decision_json(d: Decision) -> dict:
    """A decision as plain JSON data."""
    case = d.case
    return {
        "verdict": d.verdict.value,
        "redirect_to": d.redirect_to.value if d.redirect_to else None,
        "headline": {"en": d.headline_en, "fr": d.headline_fr},
        "registration": case.accreditation.registration if case else None,
        "name": f"{case.person.given_names} {case.person.surname}" if case else None,
        "checks": [
            {
                "name": c.name,
                "ok": c.ok,
                "on_fail": c.on_fail.value,
                "reason_en": c.reason_en,
                "reason_fr": c.reason_fr,
            }
            for c in d.checks
        ],
    }


def print_decision(d: Decision) -> None:
    """A decision as a clerk would read it."""
    line = f"VERDICT: {d.verdict.value.upper()}"
    if d.redirect_to:
        line += f" -> {d.redirect_to.value} counter"
    print(line)
    if d.case:
        p = d.case.person
        print(
            f"  {d.case.accreditation.registration}  {p.given_names} {p.surname}"
            f"  ({p.organisation or 'freelance'})"
        )
    print(f"  {d.headline_en}\n  {d.headline_fr}")
    for c in d.checks:
        print(f"  {MARK[c.ok]}{c.name:<13} {c.reason_en}")


def _reading(args: argparse.Namespace) -> IdReading | None:
    if not args.mrz:
        return None
    from scanning.mrz import MrzError

    try:
        return read_mrz(args.mrz)
    except MrzError as err:
        raise SystemExit(f"kiosk: the MRZ could not be read: {err}") from err


def _press_card(args: argparse.Namespace) -> PressCardSeen | None:
    """The press card the clerk saw, from --press-card, --press-card-issuer and
    --press-card-expiry (all three, or none)."""
    parts = (args.press_card, args.press_card_issuer, args.press_card_expiry)
    if not any(parts):
        return None
    if not all(parts):
        raise CommandError(
            "--press-card, --press-card-issuer and --press-card-expiry go together; "
            "nothing was done."
        )
    try:
        return read_press_card(*parts)
    except PressCardError as err:
        raise CommandError(f"{err.message_en} Nothing was done.") from err


def _subject(args: argparse.Namespace) -> str | int:
    """The scanned code, or the accreditation id found by search."""
    return args.code if args.code is not None else args.accreditation


def _kiosk(args: argparse.Namespace, writes: bool):
    """The kiosk of an existing store, its clock stopped at --at if given (see
    `stopped_clock`: a command that `writes` takes one on a demo world only)."""
    data_dir = _existing_store(args)
    at = getattr(args, "at", None)
    if not at:
        return open_kiosk(data_dir, Counter(args.counter))
    try:
        clock = stopped_clock(data_dir, at, writes)
    except ValueError as err:
        raise CommandError(str(err)) from None
    return open_kiosk(data_dir, Counter(args.counter), clock=clock, purge_due=False)


def cmd_check(args: argparse.Namespace) -> int:
    """Evaluate a scan without changing anything."""
    reading, card = _reading(args), _press_card(args)
    kiosk = _kiosk(args, writes=False)
    try:
        d = kiosk.desk.evaluate(_subject(args), reading, press_card=card)
    finally:
        kiosk.close()
    if args.json:
        print(json.dumps(decision_json(d), ensure_ascii=False, indent=1))
    else:
        print_decision(d)
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    """Issue (or, with a supervisor, reprint) a badge and print it.

    --clerk NAME and --supervisor NAME are accounts of this kiosk: each signs in with its
    PIN (app/acting.py) before anything is done, and the journal names them.
    """
    if bool(args.supervisor) != bool(args.reason):
        raise SystemExit("kiosk: --supervisor and --reason go together")
    reading, card = _reading(args), _press_card(args)
    with printing_lock(_existing_store(args)):  # a window's print follow-up would race it
        return _issue(args, reading, card)


def _issue(args: argparse.Namespace, reading: IdReading | None, card: PressCardSeen | None) -> int:
    from printing.badge_printing import BadgeNotPrinted

    kiosk = _kiosk(args, writes=True)
    try:
        reader = pins(args)
        clerk = sign_in(kiosk.staff, args.clerk, reader, Action.ISSUE)
        supervisor = (
            sign_in(kiosk.staff, args.supervisor, reader, Action.OVERRIDE)
            if args.supervisor
            else None
        )
        try:
            done = kiosk.desk.issue(
                _subject(args), reading, clerk, supervisor, args.reason or "", press_card=card
            )
        except NotIssued as refused:
            if args.json:
                print(
                    json.dumps(
                        {"issued": False, "why": str(refused), **decision_json(refused.decision)},
                        ensure_ascii=False,
                    )
                )
            else:
                print(f"NOT ISSUED: {refused}")
                print_decision(refused.decision)
            return 1
        try:
            pdf = kiosk.printing.print_issued(done.badge.serial, clerk)
        except BadgeNotPrinted as err:
            return _not_printed(done.badge.serial, err.outcome.message_en, err.outcome.message_fr)
        except (DBAPIError, sqlite3.Error) as err:  # the issuance stands: say so, and the retry
            if (trouble := store_trouble(err)) is None:
                raise
            return _not_printed(done.badge.serial, *trouble)
    finally:
        kiosk.close()
    if args.json:
        print(
            json.dumps(
                {
                    "issued": True,
                    "serial": done.badge.serial,
                    "pdf": str(pdf),
                    "superseded": list(done.superseded),
                }
            )
        )
    else:
        print(f"ISSUED badge {done.badge.serial}: {pdf}")
        if done.superseded:
            print(f"  superseded: {', '.join(done.superseded)}")
    return 0


def _not_printed(serial: str, en: str, fr: str) -> int:
    """Say that badge `serial` was issued but not printed, why, and how to retry."""
    print(
        f"ISSUED badge {serial}, but NOT PRINTED: {en}\n  {fr}\n"
        f"  retry: kiosk badge print --serial {serial} [--printer NAME]"
    )
    return 1


def cmd_handoff(args: argparse.Namespace) -> int:
    """Hand a refusal the office can fix (pending, a typo, a missing letter or photo) to
    the accreditation office: the hand-off is journalled (it reaches the hub) and its slip
    is written as a PDF for the applicant."""
    from kiosk.handoff import HandoffRefused, slips_dir
    from printing.handoff_pdf import write_handoff

    reading = _reading(args)
    kiosk = _kiosk(args, writes=True)
    try:
        clerk = sign_in(kiosk.staff, args.clerk, pins(args), Action.CHECK)
        decision = kiosk.desk.evaluate(_subject(args), reading)
        try:
            slip = kiosk.handoffs.hand_off(decision, clerk)
        except HandoffRefused as err:
            raise CommandError(f"{err.message_en} / {err.message_fr}") from None
        pdf = write_handoff(slip, slips_dir(kiosk.data_dir))
    finally:
        kiosk.close()
    if args.json:
        out = {"registration": slip.registration, "reasons": list(slip.reasons), "pdf": str(pdf)}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"HAND-OFF {slip.registration} {slip.name} — {slip.what}: {pdf}")
    for en, fr in zip(slip.reasons_en, slip.reasons_fr, strict=True):
        print(f"  {en}\n  {fr}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo world."""
    from app.demo.build import build

    data_dir = resolve_data_dir(args.data_dir)
    if has_store(data_dir) and not is_demo_world(data_dir):
        raise CommandError(
            f"{data_dir} holds a kiosk's store, not a demo world: `kiosk demo` would erase "
            "it, journal entries not yet at the hub included. Nothing was done. Give the "
            "demo a folder of its own (--data-dir DIR)."
        )
    manifest = build(data_dir, args.people, args.today, progress=lambda m: print(m, flush=True))
    print(f"demo world ready in {data_dir} (manifest: {manifest})")
    return 0


def cmd_letter(args: argparse.Namespace) -> int:
    """Render an accreditation's confirmation letter with the demo office's key."""
    from app.demo.build import KEY_ID, office_key_path
    from kiosk.codes import Signer, confirmation_code
    from kiosk.hours import collection_hours
    from kiosk.store.database import Store
    from kiosk.store.records import load_case
    from printing.letter_pdf import confirmation_letter, render_letter

    data_dir = resolve_data_dir(args.data_dir)
    key = office_key_path(data_dir)
    if not key.exists():
        raise SystemExit(f"kiosk: no office signing key at {key} (only a demo world has one)")
    signer = Signer.from_private_bytes(KEY_ID, key.read_bytes())
    store = Store.in_dir(data_dir)
    try:
        with store.reading() as s:
            case = load_case(s, args.accreditation)
            counter = case.accreditation.flow.counter if case else Counter.GROUPS
            hours = collection_hours(s, counter, case.event) if case else ("", "")
    finally:
        store.close()
    if case is None:
        raise SystemExit(f"kiosk: no accreditation {args.accreditation} in {data_dir}")
    code = confirmation_code(signer, case.accreditation.id)
    out = render_letter(
        confirmation_letter(case.accreditation, case.person, case.event, code, hours),
        Path(args.out),
    )
    record_export(data_dir, out, "letter", brussels_now())
    print(out)
    return 0


def _sealing(keys: JournalKeys) -> str:
    """Which key seals which entries, in a line (no key material)."""
    whose = {"local": "this kiosk's own key"}
    parts = [
        f"from entry {e.first_id} with {whose.get(e.source, 'the key of ' + e.source)}"
        for e in keys.epochs
    ]
    return "sealed " + ", then ".join(parts)


def cmd_audit(args: argparse.Namespace) -> int:
    """Verify the journal's hash chain, or export it for the office."""
    from kiosk import audit
    from kiosk.store.database import Store

    if args.action == "export" and not args.out:
        raise SystemExit("kiosk: audit export needs --out FILE")
    data_dir = _existing_store(args)
    store = Store.in_dir(data_dir)
    try:
        with store.reading() as s:
            if args.action == "export":
                lines = list(audit.export_lines(s))
                write_private(Path(args.out), "".join(line + "\n" for line in lines).encode())
                record_export(data_dir, Path(args.out), "journal", brussels_now())
                print(f"exported {len(lines)} entries to {args.out}")
                return 0
            count, broken = store.journal.verify(s)
        sealing = _sealing(store.journal.keys)
    finally:
        store.close()
    if broken is None:
        print(f"journal intact: {count} entries chained; {sealing}")
        return 0
    print(
        f"JOURNAL BROKEN at entry {broken.entry_id}: {broken.reason} "
        f"({count} entries before it hold)"
    )
    return 1


def cmd_purge(args: argparse.Namespace) -> int:
    """Purge the personal data whose retention has passed (kiosk/purge.py), as the
    administrator --admin, signed in with a PIN."""
    from kiosk.purge import purge
    from kiosk.staff import StaffBook
    from kiosk.store.database import Store

    data_dir = _existing_store(args)
    now = _at(args.at) or brussels_now()
    store = Store.in_dir(data_dir)
    try:
        kiosk_id = default_kiosk_id(store, Counter.GROUPS)
        staff = StaffBook(store, brussels_now, kiosk_id)
        admin = sign_in(staff, args.admin, pins(args), Action.PURGE)
        report = purge(
            store, now, admin, kiosk_id, dry_run=args.dry_run, files=personal_files(data_dir)
        )
    finally:
        store.close()
    print(report.summary())
    return 0 if report.compacted is not False else 1


def cmd_staff(args: argparse.Namespace) -> int:
    """Add, list, re-PIN, unlock, disable or enable sign-in accounts. Once the kiosk has an
    enabled administrator, a change is made by one (--admin NAME, signed in with a PIN,
    then the new PIN for add and pin); before that the operator at the kiosk's shell adds
    the first accounts, journalled as the operator. Only `staff add --new-store` makes a
    store, in a folder that holds none (a mistyped --data-dir is refused, never made)."""
    from kiosk.staff import StaffBook, StaffError

    data_dir = _staff_dir(args)
    with store_or_nothing(data_dir) as store:
        if args.action == "list":
            _list_staff(StaffBook(store, brussels_now))
            return 0
        staff = StaffBook(store, brussels_now, default_kiosk_id(store, Counter(args.counter)))
        reader = pins(args)
        admin = _staff_admin(staff, args, reader)
        pin = reader.new_pin() if args.action in ("add", "pin") else ""
        try:
            done = _staff_change(staff, args, pin, admin)
        except StaffError as err:
            raise SystemExit(f"kiosk: {err.message_en}") from err
    print(done)
    if getattr(args, "new_store", False):
        print(f"new kiosk store in {data_dir}")
    return 0


def _staff_dir(args: argparse.Namespace) -> Path:
    """The data directory a staff command works on: one that holds a store, or with
    `add --new-store` one that holds none yet."""
    data_dir = resolve_data_dir(args.data_dir)
    if not getattr(args, "new_store", False):
        try:
            return require_store(data_dir)
        except SetupError as err:
            if args.action != "add":
                raise
            raise SetupError(
                f"{err} To add a new kiosk's first account here, give --new-store."
            ) from None
    if has_store(data_dir):
        raise CommandError(
            f"{data_dir} holds a kiosk store already: leave out --new-store. Nothing was done."
        )
    return data_dir


def _list_staff(staff: StaffBook) -> None:
    """`kiosk staff list`: name, role and state of every account, one a line."""
    for account in staff.accounts():
        state = "\tdisabled" if account.disabled else ""
        if account.waiting_until and not account.disabled:
            until = account.waiting_until.astimezone(BRUSSELS)
            state = f"\twaiting after wrong PINs until {until:%H:%M} (staff unlock NAME)"
        source = "\tfrom hub" if account.from_hub else ""
        print(f"{account.name}\t{account.role.value}{state}{source}")


def _staff_admin(staff: StaffBook, args: argparse.Namespace, reader: PinReader) -> Actor | None:
    """The administrator making a staff change, signed in; None (the operator) only while
    the kiosk has no enabled administrator."""
    has_admin = any(a.role is Role.ADMINISTRATOR and not a.disabled for a in staff.accounts())
    if args.admin:
        return sign_in(staff, args.admin, reader, Action.SETTINGS)
    if has_admin:
        raise SystemExit(
            "kiosk: this kiosk has an administrator: give --admin NAME (asks for the PIN); "
            "nothing was done."
        )
    return None


def _staff_change(staff: StaffBook, args: argparse.Namespace, pin: str, admin: Actor | None) -> str:
    """Make the change `kiosk staff add|pin|unlock|disable|enable` asks for; what was done."""
    if args.action == "add":
        actor = staff.add(args.name, Role(args.role), pin, by=admin)
        return f"added {actor.name} ({actor.role.value})"
    if args.action == "pin":
        staff.set_pin(args.name, pin, by=admin)
        return f"new PIN set for {args.name}"
    getattr(staff, args.action)(args.name, by=admin)  # unlock, disable, enable
    return f"{args.action}{'ed' if args.action == 'unlock' else 'd'} {args.name}"


def cmd_undo_handover(args: argparse.Namespace) -> int:
    """Undo the hand-over of badge --serial (handed to the wrong person): the card goes
    back to the drawer; a supervisor signs in and writes the reason."""
    from kiosk.counter import UndoRefused

    kiosk = _kiosk(args, writes=True)
    try:
        supervisor = sign_in(kiosk.staff, args.supervisor, pins(args), Action.UNDO_HANDOVER)
        try:
            badge = kiosk.desk.undo_handover(args.serial, supervisor, args.reason)
        except UndoRefused as err:
            raise SystemExit(f"kiosk: {err.message_en} Nothing was done.") from err
    finally:
        kiosk.close()
    print(f"hand-over of badge {badge.serial} undone by {supervisor.name}: {badge.status.value}")
    return 0


def cmd_security(args: argparse.Namespace) -> int:
    """Start the security post's screen: scan worn badges, VALID or NOT VALID; with
    `verify TEXT`, check one badge code on the command line instead."""
    if args.action == "verify":
        return cmd_security_verify(args)
    from app.window import run_security

    data_dir = _existing_store(args)
    with window_lock(data_dir):  # one window per data folder, before the store is opened
        post = open_security_post(data_dir, args.event, brussels_now)
        try:  # a mistyped --event would refuse every badge of the shift as "not for NOPE"
            _refuse_unknown_events(post, data_dir, "The post was not started.")
        finally:
            post.store.close()
        return run_security(data_dir, args.event, _demo_clock(data_dir))


def _refuse_unknown_events(post: SecurityPost, data_dir: Path, then: str) -> None:
    """CommandError if the post admits to an event its store does not hold."""
    if unknown := post.unknown_events():
        names = ", ".join(repr(e) for e in unknown)
        known = ", ".join(post.known_events()) or "none"
        raise CommandError(
            f"{data_dir} holds no event {names} (--event): give one of its events "
            f"({known}), or leave --event out for the headquarters. {then}"
        )


def verification_json(v: Verification) -> dict:
    """A security post's verification as plain JSON data."""
    case = v.case
    person = case.person if case else None
    return {
        "verdict": v.verdict,
        "reason": v.reason,
        "headline": {"en": v.reason_en, "fr": v.reason_fr},
        "serial": v.serial,
        "kiosk": v.kiosk_id,
        "holder": f"{person.surname.upper()}, {person.given_names}" if person else None,
        "organisation": person.organisation if person else None,
        "registration": case.accreditation.registration if case else None,
        "valid_from": v.valid_from.isoformat() if v.valid_from else None,
        "valid_until": v.valid_until.isoformat() if v.valid_until else None,
        "reasons": [
            {"check": c.name, "ok": c.ok, "code": c.code, "en": c.reason_en, "fr": c.reason_fr}
            for c in v.checks
        ],
    }


def data_json(d: PostData) -> dict:
    """How current the post's data is, as plain JSON data."""
    return {
        "data": {
            "enrolled": d.enrolled,
            "online": d.online,
            "synced_at": d.synced_at.isoformat() if d.synced_at else None,
            "age_minutes": int(d.age.total_seconds() // 60) if d.age is not None else None,
            "stale": d.stale,
            "clock_warning": d.clock.en if d.clock else "",
        }
    }


def data_line(d: PostData) -> str:
    """How current the post's data is: the post screen's line, in English then French."""
    from kiosk.post_data_line import data_words

    return "\n".join(data_words(d))


def print_verification(v: Verification) -> None:
    """A verification as a guard would read it: the verdict, the badge, every reason in
    English and French, failures first."""
    print(f"{v.verdict} / {VERDICT_FR[v.verdict]}")
    if v.serial:
        days = f"{v.valid_from:%d.%m.%Y} – {v.valid_until:%d.%m.%Y}"
        holder = ""
        if v.case:
            p = v.case.person
            holder = "  (holder not on file: deleted after the event)"
            if p.surname or p.given_names:
                org = p.organisation or "freelance"
                holder = f"  {p.surname.upper()}, {p.given_names} ({org})"
        print(f"  badge {v.serial}{holder}  {days}")
    for c in v.checks:
        print(f"  {MARK[c.ok]}{c.name:<10} {c.reason_en}\n  {'':14}{c.reason_fr}")


def cmd_security_verify(args: argparse.Namespace) -> int:
    """Verify one badge code (or its serial) as the security post would: 0 VALID, 1
    otherwise (NOT VALID; CHECK: not on the post's list yet; SCAN QR: a serial alone)."""
    from scanning.keyboard_layout import serial_or_text

    data_dir = _existing_store(args)
    at = _at(args.at)
    from ui.settings import SettingsInvalid, load_settings

    try:
        limit = timedelta(minutes=load_settings(data_dir).post_data_limit_minutes)
    except SettingsInvalid as err:
        raise CommandError(err.message_en) from err
    post = open_security_post(data_dir, args.event, (lambda: at) if at else brussels_now, limit)
    try:
        _refuse_unknown_events(post, data_dir, "Nothing was checked.")
        v = post.verify(serial_or_text(args.text))  # a 1D scanner on another layout
        data = post.data()
    finally:
        post.store.close()
    if args.json:
        print(json.dumps(verification_json(v) | data_json(data), ensure_ascii=False, indent=1))
    else:
        print_verification(v)
        print(data_line(data))
    return 0 if v.valid else 1


def cmd_run(args: argparse.Namespace) -> int:
    """Start the kiosk's window; with --demo, on the demo world (built if the data
    directory is empty)."""
    from app.window import run

    counter = Counter(args.counter) if args.counter else None  # else the saved settings'
    data_dir = resolve_data_dir(args.data_dir) if args.demo else _existing_store(args)
    data_dir.mkdir(parents=True, exist_ok=True)  # the demo's, made owner-only (private_umask)
    with window_lock(data_dir):  # one window per data folder, before the store is touched
        if args.demo and not has_store(data_dir):
            from app.demo.build import build

            print(f"kiosk: {data_dir} is empty, building the demo world there…", flush=True)
            build(data_dir, progress=lambda m: print(m, flush=True))
        return run(
            data_dir, counter, args.camera, kiosk_mode=args.kiosk_mode, clock=_demo_clock(data_dir)
        )


def _demo_clock(data_dir: Path) -> Callable[[], datetime] | None:
    """A demo world's clock (10:00 today, running: app/demo/clock.py), said on the
    terminal; None for any other folder."""
    from app.demo.clock import demo_clock

    clock = demo_clock(data_dir)
    if clock is not None:
        print(f"kiosk: a demo world: its clock starts at {clock():%H:%M} today", flush=True)
    return clock


def _existing_store(args: argparse.Namespace) -> Path:
    """The data directory, if it holds a kiosk store; else a sentence on what to do."""
    return require_store(resolve_data_dir(args.data_dir))


def _parser() -> argparse.ArgumentParser:
    # Every subcommand takes --data-dir too; SUPPRESS there keeps one given before the
    # subcommand (`kiosk --data-dir X check`) instead of overwriting it with None.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    scan = argparse.ArgumentParser(add_help=False)
    scan.add_argument(
        "--counter",
        required=True,
        choices=[c.value for c in Counter],
        help="the counter the applicant stands at: groups (ministerial badges) or "
        "visitors (annual badges); an applicant of the other one is redirected",
    )
    subject = scan.add_mutually_exclusive_group(required=True)
    subject.add_argument("--code", help="the confirmation code as scanned")
    subject.add_argument(
        "--accreditation",
        type=argument(row_id),
        metavar="ID",
        help="accreditation id found by search (no printout): --mrz is then required",
    )
    scan.add_argument("--mrz", help="the ID document's MRZ lines (newline or space separated)")
    line_text = argument(one_line)  # one line, as the screens' fields take it
    scan.add_argument(
        "--press-card", metavar="NUMBER", type=line_text, help="the press card seen: its number"
    )
    scan.add_argument(
        "--press-card-issuer", metavar="BODY", type=line_text, help="the body that issued it"
    )
    scan.add_argument("--press-card-expiry", metavar="YYYY-MM-DD", help="the day it expires")
    scan.add_argument(
        "--at",
        metavar=AT,
        help="evaluate at this time, Brussels unless a zone is given (default: now)",
    )
    scan.add_argument("--json", action="store_true", help="machine-readable output")

    p = argparse.ArgumentParser(prog="kiosk", description=__doc__)
    p.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    d = sub.add_parser("demo", parents=[common], help="build the demo world")
    add_world_arguments(d)
    d.set_defaults(func=cmd_demo)
    c = sub.add_parser("check", parents=[common, scan], help="evaluate a scan, change nothing")
    c.set_defaults(func=cmd_check)
    i = sub.add_parser("issue", parents=[common, scan], help="issue a badge and write its PDF")
    i.add_argument(
        "--clerk", metavar="NAME", required=True, help="the clerk's account (asks for its PIN)"
    )
    i.add_argument(
        "--supervisor",
        metavar="NAME",
        help="supervisor overriding a soft refusal, e.g. a reprint (asks for a PIN)",
    )
    i.add_argument(
        "--reason",
        type=line_text,
        help="the supervisor's written reason for the override, on one line (journalled)",
    )
    add_pin_stdin(i)
    i.set_defaults(func=cmd_issue)
    ho = sub.add_parser(
        "handoff",
        parents=[common, scan],
        help="hand a refusal the office can fix to the office: journal it, write the slip",
    )
    ho.add_argument(
        "--clerk", metavar="NAME", required=True, help="the clerk's account (asks for its PIN)"
    )
    add_pin_stdin(ho)
    ho.set_defaults(func=cmd_handoff)
    un = sub.add_parser(
        "undo-handover", parents=[common], help="undo a badge's hand-over (supervisor)"
    )
    un.add_argument(
        "--serial",
        required=True,
        metavar="SERIAL",
        help="the badge's serial, as printed on it (G1-000042)",
    )
    un.add_argument(
        "--supervisor", metavar="NAME", required=True, help="the supervisor (asks for the PIN)"
    )
    un.add_argument(
        "--reason", required=True, type=line_text, help="why, on one line (goes into the journal)"
    )
    un.add_argument(
        "--counter", default="groups", choices=[c.value for c in Counter], help=COUNTER_HELP
    )
    add_pin_stdin(un)
    un.set_defaults(func=cmd_undo_handover)
    lt = sub.add_parser("letter", parents=[common], help="render a confirmation letter (demo)")
    lt.add_argument(
        "--accreditation",
        type=argument(row_id),
        required=True,
        metavar="ID",
        help="the accreditation's id on file, a number (the demo's scenarios.json lists them)",
    )
    lt.add_argument("--out", required=True, metavar="FILE", help="the PDF file to write")
    lt.set_defaults(func=cmd_letter)
    au = sub.add_parser("audit", parents=[common], help="verify or export the journal")
    au.add_argument(
        "action",
        choices=["verify", "export"],
        help="verify: check the journal's hash chain; export: write it for the office (--out)",
    )
    au.add_argument("--out", metavar="FILE", help="the file `export` writes (JSON lines)")
    au.set_defaults(func=cmd_audit)
    pu = sub.add_parser("purge", parents=[common], help="purge personal data past retention")
    pu.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    pu.add_argument(
        "--admin", metavar="NAME", required=True, help="the administrator (asks for the PIN)"
    )
    pu.add_argument(
        "--at",
        metavar=AT,
        help="purge as of this time, Brussels unless a zone is given (default: now)",
    )
    add_pin_stdin(pu)
    pu.set_defaults(func=cmd_purge)
    st = sub.add_parser("staff", parents=[common], help="add or list sign-in accounts")
    staff = st.add_subparsers(dest="action", required=True)
    staff.add_parser("list", parents=[common], help="names, roles, disabled").set_defaults(
        func=cmd_staff
    )
    for action, text in (
        ("add", "add an account (asks for its PIN)"),
        ("pin", "set a new PIN (asks for it) and lift a wait"),
        ("unlock", "lift a name's wait after wrong PINs"),
        ("disable", "refuse this name at sign-in"),
        ("enable", "let a disabled name sign in again"),
    ):
        sp = staff.add_parser(action, parents=[common], help=text)
        sp.add_argument("name", help="the account's name, as typed at sign-in")
        if action == "add":
            sp.add_argument(
                "--role",
                required=True,
                choices=[r.value for r in Role],
                help="what the account may do (docs/staff-and-roles.md)",
            )
            sp.add_argument(
                "--new-store",
                action="store_true",
                help="a new kiosk's first account: make its store in --data-dir, which must "
                "hold none (default: refuse a folder with no store)",
            )
        sp.add_argument(
            "--admin",
            metavar="NAME",
            help="the administrator making the change (asks for the PIN first)",
        )
        add_pin_stdin(sp)
        sp.add_argument(
            "--counter", default="groups", choices=[c.value for c in Counter], help=COUNTER_HELP
        )
        sp.set_defaults(func=cmd_staff)
    sec = sub.add_parser(
        "security",
        parents=[common],
        help="start the security post screen (no action), or verify one badge (verify TEXT)",
    )
    sec.add_argument(
        "--event",
        metavar="EVENT[,EVENT]",
        help="the event(s) this post admits to, by id, e.g. DEFMIN (default: headquarters)",
    )
    sec.set_defaults(func=cmd_security, action=None)
    sec_actions = sec.add_subparsers(dest="action")
    sv = sec_actions.add_parser(
        "verify",
        help="verify one badge code: exit 0 VALID, 1 NOT VALID, CHECK or SCAN QR, 2 usage error",
    )
    sv.add_argument("text", help="the badge's QR code text as scanned, or its serial (G1-000042)")
    # SUPPRESS: given before `verify` or after it, these options keep their value.
    sv.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    sv.add_argument(
        "--event",
        default=argparse.SUPPRESS,
        metavar="EVENT[,EVENT]",
        help="the event(s) the post admits to, by id, e.g. DEFMIN (default: headquarters)",
    )
    sv.add_argument(
        "--at",
        metavar=AT,
        help="verify at this time, Brussels unless a zone is given (default: now)",
    )
    sv.add_argument("--json", action="store_true", help="machine-readable output")
    for module in ADAPTER_COMMANDS:
        module.add_commands(sub, common)
    r = sub.add_parser("run", parents=[common], help="start the kiosk's window (sign-in)")
    r.add_argument(
        "--counter",
        choices=[c.value for c in Counter],
        help="the counter the window serves (default: the one in its settings)",
    )
    r.add_argument("--camera", metavar="SOURCE", help="camera index, video file or image folder")
    r.add_argument("--kiosk-mode", action="store_true", help="full screen, cannot be closed")
    r.add_argument(
        "--demo", action="store_true", help="the demo world (built if the folder is empty)"
    )
    r.set_defaults(func=cmd_run)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kiosk` command."""
    private_umask()  # stores, keys, tokens and badge PDFs are owner-only (kiosk/private.py)
    argv = sys.argv[1:] if argv is None else argv
    if refused := argument_refusal("kiosk", argv):
        print(refused, file=sys.stderr)
        return 2
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except (CommandError, SetupError, KeyConflict, JournalKeyError) as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return 2
    except FolderInUse as err:  # a window open on the folder already
        print(f"kiosk: {err.message_en}\n       {err.message_fr}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C, at a PIN prompt say: what was committed stays
        print("\nkiosk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kiosk overview | head`: the reader had enough, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:  # a file named on the command line that cannot be written or read
        where = f"{err.filename}: " if err.filename else ""
        print(f"kiosk: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    except (DBAPIError, sqlite3.Error) as err:  # the store locked, full, read-only, damaged
        trouble = store_trouble(err)
        if trouble is None:
            raise
        detail = getattr(err, "orig", None) or err
        print(f"kiosk: {trouble[0]} (SQLite: {detail})", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
