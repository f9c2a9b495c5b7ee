"""The kiosk's sync commands: `kiosk sync`, `kiosk sync status`, `kiosk sync enrol FILE`,
`kiosk import-bundle FILE`, `kiosk export-outbox FILE` (picked up by app/cli.py)."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.typed import argument, row_id

if TYPE_CHECKING:
    from sync.state import SyncState


def _existing_store(args: argparse.Namespace):
    """The store of the data directory, if it holds one (app/wiring.require_store)."""
    from app.wiring import SetupError, require_store, resolve_data_dir
    from kiosk.store.database import Store

    try:
        return Store.in_dir(require_store(resolve_data_dir(args.data_dir)))
    except SetupError as err:
        raise SystemExit(f"kiosk: {err}") from None


def _when(moment) -> str:
    from kiosk.model import BRUSSELS

    return moment.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M:%S") if moment else "never"


def _progress(cursor: int, head: int) -> None:
    print(f"  pulled up to change {cursor} of {head}", flush=True)


def _transport_lines(state) -> list[str]:
    """How this kiosk reaches its hub, and a warning when that is in clear."""
    from urllib.parse import urlsplit

    from sync.transport import format_fingerprint, is_loopback

    if state.hub_cert_sha256:
        pin = format_fingerprint(state.hub_cert_sha256)
        lines = [f"transport:    TLS, hub certificate pinned (SHA-256 {pin})"]
    elif is_loopback(urlsplit(state.hub_url).hostname or ""):
        lines = ["transport:    plain http on this machine (loopback)"]
    else:
        lines = ["transport:    plain http"]
    if state.allow_plain_http:
        lines.append(
            "WARNING: plain http beyond this machine is allowed (--allow-plain-http): the "
            "token and the feed, photos included, can be read and altered on the network"
        )
    if state.last_error_code == "certificate_mismatch":
        lines.append(
            "REFUSED: the hub's certificate is not the pinned one; sync stops until this "
            "kiosk is enrolled again (a renewed certificate) or the impostor is gone"
        )
    return lines


def _clock_warned(reading, now) -> str:
    """The line that warns of this kiosk's clock against the hub's; "" when in step."""
    from kiosk.clock_check import clock_warning

    warning = clock_warning(reading, now)
    return f"WARNING: {warning.en}" if warning else ""


def _clock_line(state, now) -> str:
    """Where this kiosk's clock stood against the hub's at the last measurement."""
    reading = state.clock
    if reading is None:
        return "clock:        not measured yet (measured at each feed page fetched online)"
    if warned := _clock_warned(reading, now):
        return warned
    seconds = reading.offset.total_seconds()
    side = f"{abs(seconds):.1f} s {'ahead' if seconds >= 0 else 'behind'}"
    return f"clock:        in step with the hub's ({side}, {_when(reading.measured_at)})"


def _clock_json(state, now) -> dict | None:
    """The clock measurement of `kiosk sync status --json` (None: never measured)."""
    from kiosk.clock_check import clock_warning

    reading = state.clock if state else None
    if reading is None:
        return None
    warning = clock_warning(reading, now)
    return {
        "ahead_low_s": reading.low.total_seconds(),
        "ahead_high_s": reading.high.total_seconds(),
        "measured_at": reading.measured_at.isoformat(),
        "off": reading.off,
        "warning": warning.en if warning else "",
    }


def _transport_json(state) -> dict:
    """The transport facts of `kiosk sync status --json`."""
    return {
        "hub_cert_sha256": state.hub_cert_sha256 if state else "",
        "allow_plain_http": bool(state and state.allow_plain_http),
        "last_error_code": state.last_error_code if state else "",
    }


def _status_json(state, outbox: int, found: list, now) -> dict:
    """`kiosk sync status --json`: the same facts for a script (the token left out)."""
    return {
        "enrolled": state is not None,
        "kiosk": state and state.kiosk_id,
        "role": state and state.role,
        "hub": state and state.hub_url,
        "cursor": state.cursor if state else 0,
        "last_sync_at": state.last_sync_at.isoformat() if state and state.last_sync_at else None,
        "last_error": state.last_error if state else "",
        "outbox": outbox,
        "conflicts": [
            {
                "kind": c.kind,
                "serial": c.badge_serial,
                "en": c.message_en,
                "fr": c.message_fr,
                "settlement": c.settlement,
                "settle_note": c.settle_note,
            }
            for c in found
        ],
        **_transport_json(state),
        "clock": _clock_json(state, now),
    }


def _status(args: argparse.Namespace) -> int:
    from kiosk.services import brussels_now
    from sync.state import conflicts, outbox_length, read_state

    # A folder with no store is named, never reported "not enrolled, 0 rows waiting": an
    # operator who mistyped the folder would read a kiosk's outbox as empty.
    store = _existing_store(args)
    try:
        state = read_state(store)
        outbox = outbox_length(store)
        found = conflicts(store, state.kiosk_id) if state else []
    finally:
        store.close()
    if args.json:
        print(json.dumps(_status_json(state, outbox, found, brussels_now()), ensure_ascii=False))
    elif state is None:
        print(f"not enrolled with a hub; {outbox} journal row(s) waiting")
    else:
        failed = f"  FAILED: {state.last_error}" if state.last_error else "  ok"
        print(f"kiosk {state.kiosk_id} ({state.role}) of hub {state.hub_id} at {state.hub_url}")
        print(f"last sync:    {_when(state.last_sync_at)}")
        print(f"last attempt: {_when(state.last_attempt_at)}{failed}")
        print(f"outbox:       {outbox} journal row(s) not yet at the hub")
        print(f"feed cursor:  {state.cursor}")
        print(f"conflicts:    {len(found)}")
        print(_clock_line(state, brussels_now()))
        print("\n".join(_transport_lines(state)))
        for c in found:
            settled = f" [settled: {c.settlement}: {c.settle_note}]" if c.settled_at else ""
            print(f"  {c.kind}: {c.message_en}{settled}")
    return 0


def _enrol_in(data_dir: Path, content: object, allow_plain_http: bool) -> SyncState:
    """Enrol the store in `data_dir`, created if need be. On a folder that held no store,
    a failure leaves nothing this created (else the folder would look like a kiosk)."""
    from app.wiring import store_or_nothing
    from sync.state import enrol

    with store_or_nothing(data_dir) as store:
        return enrol(store, content, allow_plain_http=allow_plain_http)


def _enrol(args: argparse.Namespace) -> int:
    from app.wiring import resolve_data_dir
    from kiosk.documents import DocumentKeyError
    from sync.state import EnrolmentInvalid, check_enrolment, read_enrolment

    if not args.file:
        raise SystemExit("kiosk: `kiosk sync enrol FILE` needs the enrolment file")
    try:
        content = read_enrolment(Path(args.file))
    except (OSError, ValueError) as err:  # EnrolmentInvalid too: a pipe, a device, too large
        raise SystemExit(f"kiosk: cannot read the enrolment file: {err}") from err
    try:
        check_enrolment(content, args.allow_plain_http)  # whole, before anything is created
        state = _enrol_in(resolve_data_dir(args.data_dir), content, args.allow_plain_http)
    except EnrolmentInvalid as err:
        raise SystemExit(f"kiosk: {err}") from err
    except DocumentKeyError as err:  # keys/document.key damaged or in the way
        raise SystemExit(f"kiosk: not enrolled: {err}") from err
    print(f"enrolled as {state.kiosk_id} ({state.role}) with hub {state.hub_id} at {state.hub_url}")
    return 0


def _once(client) -> int:
    from sync.client import SyncError
    from sync.state import read_state

    try:
        done = client.sync_once(_progress)
    except SyncError as err:
        print(f"sync failed: {err}", file=sys.stderr)
        return 1
    print(
        f"delivered {done.delivered} journal row(s) ({done.duplicates} held already), "
        f"pulled {done.entities} change(s) in {done.pages} page(s); cursor {done.cursor}, "
        f"outbox {done.outbox}"
    )
    if warned := _clock_warned(read_state(client.store).clock, client.clock()):
        print(warned, file=sys.stderr)
    return 0


def _loop(client, interval: float) -> int:
    """Sync in the background until Ctrl-C or SIGTERM, a line whenever the status moves."""
    from sync.worker import SyncWorker

    shown: list = []

    def show(status) -> None:
        warned = _clock_warned(status.clock, client.clock())
        key = (status.online, status.outbox, status.cursor, status.last_error, warned)
        if shown and shown[-1] == key:
            return
        shown.append(key)
        line = (
            f"{'online ' if status.online else 'OFFLINE'}  last sync "
            f"{_when(status.last_sync_at)}  outbox {status.outbox}  cursor {status.cursor}"
        )
        print(line + ("" if status.online else f"  ({status.last_error})"), flush=True)
        if warned:
            print(warned, flush=True)

    worker = SyncWorker(client, interval=interval, on_status=show)
    worker.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    print("stopping after the round under way…", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        worker.stop()
    return 0


INTERVAL_MOST = 86_400.0  # a day; a wait past threading.TIMEOUT_MAX killed the thread


def _check_interval(interval: float) -> None:
    """Refuse a wait between rounds that is not a positive number of seconds up to a day:
    0 or less turned every retry into a tight loop, NaN is no wait at all."""
    if not 0 < interval <= INTERVAL_MOST:
        raise SystemExit(
            f"kiosk: --interval {interval:g} is not a wait between rounds: give a positive "
            f"number of seconds, at most {INTERVAL_MOST:g} (a day; default: 3)"
        )


def _run(args: argparse.Namespace) -> int:
    from kiosk.services import brussels_now
    from sync.client import SyncClient
    from sync.state import NotEnrolled, require_state, set_hub_url
    from sync.transport import TransportRefused

    _check_interval(args.interval)
    store = _existing_store(args)
    try:
        before = require_state(store)
        if args.hub:
            set_hub_url(store, args.hub, True if args.allow_plain_http else None)
    except (NotEnrolled, TransportRefused) as err:
        store.close()
        raise SystemExit(f"kiosk: {err}") from err
    client = SyncClient(store, brussels_now)
    try:
        return _once(client) if args.once else _loop(client, args.interval)
    finally:
        client.close()
        if args.hub:
            _keep_address_if_reached(store, before)
        store.close()


def _keep_address_if_reached(store, before) -> None:
    """`--hub URL` is remembered once a round got through it; when none did (a mistyped
    address, a hub not there), the address held `before` is put back, and said."""
    from sync.state import read_state, set_hub_url

    now = read_state(store)
    if now is None or now.hub_url == before.hub_url or now.last_sync_at != before.last_sync_at:
        return
    set_hub_url(store, before.hub_url, before.allow_plain_http)
    print(
        f"kiosk: no round got through {now.hub_url}: the hub's address stays {before.hub_url}",
        file=sys.stderr,
    )


def cmd_sync(args: argparse.Namespace) -> int:
    """Sync with the hub, show sync status, or enrol."""
    if args.action == "status":
        return _status(args)
    if args.action == "enrol":
        return _enrol(args)
    return _run(args)


def cmd_import_bundle(args: argparse.Namespace) -> int:
    """Apply a bundle exported by the hub (checked whole first)."""
    from sync.files import import_bundle
    from sync.protocol import ProtocolError
    from sync.state import NotEnrolled

    store = _existing_store(args)
    try:
        done = import_bundle(store, Path(args.file))
    except (ProtocolError, NotEnrolled) as err:
        raise SystemExit(f"kiosk: bundle not imported, nothing changed: {err}") from err
    finally:
        store.close()
    print(f"imported {done.pages} page(s), {done.entities} change(s); cursor {done.cursor}")
    return 0


def cmd_export_outbox(args: argparse.Namespace) -> int:
    """Write the journal rows the hub has not acknowledged to a file for the hub."""
    from kiosk.exports import record_export
    from kiosk.services import brussels_now
    from sync.files import export_outbox
    from sync.state import NotEnrolled

    store = _existing_store(args)
    try:
        count = export_outbox(store, Path(args.file), brussels_now(), args.after)
        record_export(store.path.parent, Path(args.file), "outbox", brussels_now())
    except NotEnrolled as err:
        raise SystemExit(f"kiosk: {err}") from err
    except ValueError as err:  # --after past what the hub acknowledged
        raise SystemExit(f"kiosk: {err}; nothing was written") from err
    finally:
        store.close()
    print(f"{args.file}: {count} journal row(s) for `kiosk-hub import-outbox`")
    return 0


def journal_row(text: str) -> int:
    """A journal row's id, or 0 for the journal's start (export-outbox --after)."""
    return row_id(text, least=0)


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register the sync commands with the `kiosk` command line."""
    s = sub.add_parser("sync", parents=[common], help="sync with the hub (status, enrol)")
    s.add_argument(
        "action",
        nargs="?",
        choices=["status", "enrol"],
        help="status: show where sync stands; enrol FILE: join a hub",
    )
    s.add_argument(
        "file", nargs="?", help="the enrolment file `kiosk-hub enrol` wrote (with enrol)"
    )
    s.add_argument(
        "--hub",
        metavar="URL",
        help="the hub's URL, e.g. https://hub:8750 (remembered once a round gets through)",
    )
    s.add_argument("--once", action="store_true", help="one round, then exit (1 if it failed)")
    s.add_argument(
        "--interval",
        metavar="SECONDS",
        type=float,
        default=3.0,
        help="seconds between rounds (default: 3)",
    )
    s.add_argument("--json", action="store_true", help="status as JSON")
    s.add_argument(
        "--allow-plain-http",
        action="store_true",
        help="allow plain http to a hub beyond this machine (enrol, --hub): token and feed "
        "travel in clear; remembered, and warned about in status",
    )
    s.set_defaults(func=cmd_sync)
    b = sub.add_parser("import-bundle", parents=[common], help="apply a bundle from the hub")
    b.add_argument("file", help="the bundle file `kiosk-hub export-bundle` wrote")
    b.set_defaults(func=cmd_import_bundle)
    o = sub.add_parser("export-outbox", parents=[common], help="write the outbox for the hub")
    o.add_argument("file", help="the file to write, for `kiosk-hub import-outbox`")
    o.add_argument(
        "--after",
        metavar="ROW",
        type=argument(journal_row),
        help="export the journal rows after ROW, not after the last the hub acknowledged "
        "(a hub restored from an older backup says from where)",
    )
    o.set_defaults(func=cmd_export_outbox)
