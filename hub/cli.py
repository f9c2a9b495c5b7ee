"""`kiosk-hub`: the accreditation office's hub (serve, import, enrol kiosks, transfers,
keys, staff accounts, opening hours and pooled moments)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from hub.arguments import add_operator, hub_url, line_text, note_text, revoke_reason
from hub.database import DEFAULT_URL, HubDatabase, HubDatabaseError, utc_now
from hub.delivery_checks import MAX_INT
from hub.hours_cli import add_hours_parsers
from hub.staff_cli import add_staff_parser
from kiosk.model import BRUSSELS
from kiosk.private import check_new, private_umask, write_private
from kiosk.typed import argument, argument_refusal, row_id

DEFAULT_PORT = 8750
Commands = Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None]


def _db(args: argparse.Namespace) -> HubDatabase:
    url = getattr(args, "db", None) or os.environ.get("KIOSK_HUB_DB") or DEFAULT_URL
    from sqlalchemy.exc import SQLAlchemyError

    new = _new_sqlite_file(url)
    try:
        db = HubDatabase(url)
    except HubDatabaseError as err:
        raise SystemExit(f"kiosk-hub: {err}") from err
    except (SQLAlchemyError, ImportError) as err:  # a wrong URL, driver or server
        raise SystemExit(
            f"kiosk-hub: cannot open the hub database {_shown(url)}: {_why(err)}. Give "
            "--db sqlite:///FILE or postgresql://USER:PASSWORD@HOST/DBNAME (or set "
            "$KIOSK_HUB_DB)"
        ) from err
    if new is not None:  # a command run in the wrong folder would work on an empty hub
        print(
            f"kiosk-hub: note: there was no hub database at {new}: a new, empty one was made "
            "(its own keys); if the hub's database is elsewhere, run kiosk-hub in its folder "
            "or give --db",
            file=sys.stderr,
        )
    return db


def _why(err: Exception) -> str:
    """Why a database URL could not be opened, in words (no exception names)."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if isinstance(err, NoSuchModuleError | ImportError):
        return "this hub has no driver for that kind of database"
    if isinstance(err, ArgumentError):
        return "that is not a database URL"
    first = str(err).splitlines()[0] if str(err) else type(err).__name__
    return re.sub(r"^\([\w.]+\) ", "", first)  # "(psycopg.OperationalError) ..."


def _shown(url: str) -> str:
    """`url` without its password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url[:100])


def _new_sqlite_file(url: str) -> Path | None:
    """The absolute path of the SQLite file `url` names, when it does not exist yet."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # HubDatabase says what is wrong with it
    name = parsed.database
    if not parsed.drivername.startswith("sqlite") or name in (None, "", ":memory:"):
        return None
    path = Path(name).absolute()
    return None if path.exists() else path


def _serve_tls(args: argparse.Namespace) -> dict:
    """uvicorn's TLS options from --cert/--key, checked (a pair, valid now); {} without."""
    from hub.tls import TLSFilesInvalid, check_pair, validity_warning
    from sync.transport import format_fingerprint, is_loopback

    if not args.cert and not args.key:
        if not is_loopback(args.host):
            print(
                f"kiosk-hub: warning: plain http on {args.host}: kiosks refuse it unless "
                "enrolled with --allow-plain-http; serve with --cert and --key",
                file=sys.stderr,
            )
        return {}
    if not (args.cert and args.key):
        raise SystemExit("kiosk-hub: --cert and --key go together (`kiosk-hub tls init`)")
    try:
        pin = check_pair(Path(args.cert), Path(args.key))
        warning = validity_warning(Path(args.cert), utc_now())
    except TLSFilesInvalid as err:
        raise SystemExit(f"kiosk-hub: {err}") from err
    if warning:
        print(f"kiosk-hub: warning: {warning}", file=sys.stderr)
    print(f"certificate SHA-256 {format_fingerprint(pin)}", flush=True)
    return {"ssl_certfile": args.cert, "ssl_keyfile": args.key}


def _listen(host: str, port: int) -> socket.socket:
    """The hub's socket, bound before the hub says where it listens (port 0: a free one)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, *_, address = found[0]
        return socket.create_server(address, family=family)
    except OSError as err:  # a name that is none, in use, an address not of this machine
        gai = isinstance(err, socket.gaierror)  # create_server words the others its own way
        why = err.strerror if gai or not err.errno else os.strerror(err.errno)
        raise SystemExit(f"kiosk-hub: cannot listen on {host} port {port}: {why}") from err


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API until interrupted."""
    import uvicorn

    from hub.app import create_app
    from hub.purge import compact_if_owed

    tls = _serve_tls(args)
    db = _db(args)
    if compact_if_owed(db) is False:  # an earlier purge's, still kept from it by a reader
        print(
            "kiosk-hub: the purged data is not compacted out of the database file yet: "
            "another program kept reading it; the next purge or start does it",
            flush=True,
        )
    try:
        sock = _listen(args.host, args.port)
    except SystemExit:
        db.close()
        raise
    scheme = "https" if tls else "http"
    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"{scheme}://{host}:{sock.getsockname()[1]}"
    print(f"kiosk-hub {db.hub_id} on {base} (API: /docs, web console: {base}/console)", flush=True)
    # http and loop "auto": httptools and uvloop, dependencies for their CPU per request
    config = uvicorn.Config(create_app(db), log_level=args.log_level, **tls)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C it caught once it has stopped
        pass
    finally:
        db.close()
    return 0


def cmd_tls(args: argparse.Namespace) -> int:
    """Make the hub a self-signed certificate, or show a certificate's fingerprint."""
    from hub.tls import TLSFilesInvalid, certificate_fingerprint, make_self_signed
    from sync.transport import format_fingerprint

    try:
        if args.action == "init":
            cert, key = make_self_signed(Path(args.out), args.host, utc_now(), args.days)
            print(f"certificate {cert}\nkey         {key} (owner only: keep it on the hub)")
        else:
            cert = Path(args.cert)
        pin = certificate_fingerprint(cert)
    except TLSFilesInvalid as err:
        raise SystemExit(f"kiosk-hub: {err}") from err
    print(f"SHA-256     {format_fingerprint(pin)}")
    return 0


def _add_tls_parser(sub, common: argparse.ArgumentParser) -> None:
    from hub.tls import DEFAULT_DAYS

    t = sub.add_parser("tls", parents=[common], help="the hub's TLS certificate")
    actions = t.add_subparsers(dest="action", required=True)
    i = actions.add_parser("init", parents=[common], help="make a self-signed certificate")
    i.add_argument(
        "--out", required=True, metavar="DIR", help="folder for hub-cert.pem and hub-key.pem"
    )
    i.add_argument(
        "--host",
        required=True,
        action="append",
        type=line_text,
        help="a name or IP address kiosks use to reach the hub (repeat for several)",
    )
    i.add_argument(
        "--days",
        type=argument(days),
        default=DEFAULT_DAYS,
        help=f"how many days it is valid, at most 3650 (default: {DEFAULT_DAYS})",
    )
    f = actions.add_parser("fingerprint", parents=[common], help="a certificate's SHA-256")
    f.add_argument("cert", metavar="FILE", help="the certificate file (PEM)")
    t.set_defaults(func=cmd_tls)


def _enrol_transport(args: argparse.Namespace) -> dict:
    """The enrolment file's transport fields (pinned certificate, plain http consent),
    checked before any token is made."""
    from hub.tls import TLSFilesInvalid, enrolment_transport

    if args.url.lower().startswith("https://") and not args.cert:
        raise SystemExit(
            f"kiosk-hub: {args.url} is https: give --cert FILE, the certificate the hub "
            "serves (made by kiosk-hub tls init), so that the kiosk trusts that certificate "
            "alone; nothing was enrolled"
        )
    try:
        return enrolment_transport(
            args.url, Path(args.cert) if args.cert else None, args.allow_plain_http
        )
    except TLSFilesInvalid as err:
        raise SystemExit(f"kiosk-hub: {err}") from err


def cmd_import(args: argparse.Namespace) -> int:
    """Import platform export files (all checked first; all or nothing)."""
    from hub.importer import ExportInvalid, import_files

    db = _db(args)
    try:
        report = import_files(db, [Path(f) for f in args.files], utc_now(), args.operator)
    except ExportInvalid as err:
        print(f"kiosk-hub: {err}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(report.summary())
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    """Enrol a kiosk or office client; write its enrolment file (it holds the token)."""
    from hub.clients import EnrolmentError, Role, enrol, enrolment
    from hub.keys import ensure_keys

    transport = _enrol_transport(args)
    out = Path(args.out or f"{args.kiosk_id}.enrolment.json")
    check_new(out)  # before a token no file would hold; never over another file
    db = _db(args)
    try:
        ensure_keys(db)
        role = Role(args.role)
        trust = not args.approve_keys
        token = enrol(db, args.kiosk_id, role, args.renew, trust, args.operator)
        content = enrolment(db, args.kiosk_id, role, token, args.url) | transport
    except EnrolmentError as err:
        raise SystemExit(f"kiosk-hub: {err}") from err
    finally:
        db.close()
    try:
        write_private(out, json.dumps(content, indent=1).encode())  # 0600 from the start
    except OSError as err:
        raise SystemExit(
            f"kiosk-hub: {out}: {err.strerror}. {args.kiosk_id} is enrolled, but no file holds "
            f"its token: run `kiosk-hub enrol {args.kiosk_id} --role {role.value} --renew` "
            "with an --out that can be written."
        ) from err
    print(f"enrolled {args.kiosk_id} as {role.value}: {out} (it holds the token: keep it safe)")
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    """List the conflicts found between counters and the office, or settle one."""
    if args.action == "settle":
        return _settle_conflict(args)
    from sqlalchemy import select

    from hub.schema import ConflictRow

    db = _db(args)
    with db.reading() as s:
        rows = list(s.scalars(select(ConflictRow).order_by(ConflictRow.id)))
    db.close()
    for r in rows:
        about = f"A{r.accreditation_id:07d}" if r.accreditation_id else r.kiosk_id
        print(f"#{r.id} {_when(r.detected_at)} {r.kind} {about}")
        print(f"   {r.message_en}")
        if r.settled_at:
            print(f"   settled: {r.settlement} by {r.settled_by} on {_when(r.settled_at)}")
    print(f"{len(rows)} conflict(s)")
    return 0


def _settle_conflict(args: argparse.Namespace) -> int:
    from hub.settle import SettleRefused, settle

    db = _db(args)
    try:
        done = settle(db, args.conflict_id, args.outcome, args.note, args.operator, utc_now())
    except SettleRefused as err:
        print(f"kiosk-hub: {err}", file=sys.stderr)
        return 1
    finally:
        db.close()
    extra = "".join(
        f"; {what} {serial}"
        for what, serial in (("reinstated", done.badge_reinstated), ("revoked", done.badge_revoked))
        if serial
    )
    print(f"conflict #{done.conflict_id} settled: {done.outcome}{extra}")
    return 0


def _conflict_id(text: str) -> int:
    """A conflict's number as the hub keeps it (a 32-bit integer), or a clear refusal."""
    try:
        return row_id(text, most=MAX_INT)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a conflict number") from None


def key_id(text: str) -> int:
    """A key's id as the hub keeps it (the first feed key is 0)."""
    return row_id(text, least=0, most=MAX_INT)


def feed_cursor(text: str) -> int:
    """A feed cursor: 0 (everything) up to the last change a hub can number, as
    GET /v1/feed takes it (a negative one was written into the bundle's header)."""
    return row_id(text, least=0, most=MAX_INT)


def days(text: str) -> int:
    """A certificate's validity in days: up to ten years."""
    return row_id(text, most=3650)


def port(text: str) -> int:
    """A TCP port to serve on (0: any free one, said when serving starts)."""
    return row_id(text, least=0, most=65535)


def _add_conflicts_parser(sub, common: argparse.ArgumentParser) -> None:
    from hub.settle import OUTCOMES

    c = sub.add_parser("conflicts", parents=[common], help="list conflicts, or settle one")
    actions = c.add_subparsers(dest="action")
    st = actions.add_parser(
        "settle", parents=[common], help="settle a conflict (the web console does it too)"
    )
    st.add_argument("conflict_id", type=_conflict_id, help="the number `kiosk-hub conflicts` shows")
    st.add_argument(
        "--outcome",
        required=True,
        choices=OUTCOMES,
        help="handled; revocation_confirmed: the badge stays revoked; reinstated: the "
        "superseded badge is valid again and its replacement revoked",
    )
    st.add_argument(
        "--note",
        required=True,
        type=note_text,
        help="how it was settled (kept, journalled; it may run over lines)",
    )
    add_operator(st, "who settles it")
    c.set_defaults(func=cmd_conflicts)


def cmd_handoffs(args: argparse.Namespace) -> int:
    """List the hand-off slips counters gave applicants, newest first."""
    from hub.handoffs import list_handoffs

    db = _db(args)
    try:
        with db.reading() as s:
            lines = list_handoffs(s, open_only=args.open)
    finally:
        db.close()
    if args.json:
        out = [
            {
                "at": h.at.isoformat(),
                "kiosk": h.kiosk_id,
                "clerk": h.clerk,
                "registration": h.registration,
                "name": h.name,
                "status": h.status,
                "reasons": list(h.reasons),
                "handled_at": h.handled.handled_at.isoformat() if h.handled else None,
                "handled_by": h.handled.handled_by if h.handled else None,
                "handled_note": h.handled.note if h.handled else None,
            }
            for h in lines
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for h in lines:
        done = f"handled {_when(h.handled.handled_at)}" if h.handled else "open"
        print(f"{_when(h.at)} {done:<22} {h.registration} {h.name} ({h.status}) at {h.kiosk_id}")
        for en in h.reasons_en:
            print(f"   {en}")
        if h.handled:
            print(f"   handled by {h.handled.handled_by}: {h.handled.note}")
    print(f"{len(lines)} hand-off(s)")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Check the journal chains and seals of the kiosks (and the hub's own chain) as the
    hub holds them, and what their heads showed."""
    from hub.audit import verify

    db = _db(args)
    try:
        chains = verify(db, args.kiosk)
    finally:
        db.close()
    if not chains:
        print(f"no journal held for {args.kiosk}" if args.kiosk else "no journal held")
        return 1 if args.kiosk else 0
    for c in chains:
        if c.broken_at is None:
            sealed = f"sealed from entry {c.sealed_from}" if c.sealed_from else "not sealed"
            print(f"{c.kiosk_id}: intact, {c.entries} entries chained, {sealed}")
        else:
            print(
                f"{c.kiosk_id}: BROKEN at entry {c.broken_at}: {c.reason} "
                f"({c.entries} entries before it hold)"
            )
    return 1 if any(c.broken_at is not None for c in chains) else 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Blank the personal data whose retention has passed (kiosk/purge.py's rule)."""
    from hub.purge import purge

    db = _db(args)
    try:
        report = purge(db, utc_now(), args.operator, dry_run=args.dry_run)
    finally:
        db.close()
    print(report.summary())
    return 0 if report.compacted is not False else 1  # owed: the next purge or start


def cmd_export_bundle(args: argparse.Namespace) -> int:
    """Write a signed bundle of the feed for one kiosk (carried on a USB stick)."""
    from hub.transfer import TransferError, export_bundle

    db = _db(args)
    try:
        pages, cursor = export_bundle(db, args.kiosk, Path(args.out), utc_now(), args.since)
    except TransferError as err:
        raise SystemExit(f"kiosk-hub: {err}") from err
    finally:
        db.close()
    print(f"{args.out}: {pages} page(s) for {args.kiosk}, up to change {cursor}")
    return 0


def cmd_import_outbox(args: argparse.Namespace) -> int:
    """Receive a kiosk's outbox file; rows the hub holds already are skipped."""
    from hub.receive import DeliveryRejected
    from hub.transfer import TransferError, import_outbox

    db = _db(args)
    try:
        receipt = import_outbox(db, Path(args.file), utc_now())
    except (TransferError, DeliveryRejected) as err:
        print(f"kiosk-hub: {err}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(
        f"received {receipt.received} journal row(s), {receipt.duplicates} held already, "
        f"{len(receipt.conflicts)} conflict(s); journal held up to {receipt.up_to}"
    )
    return 0


def _when(moment) -> str:
    """A moment as the site reads it: Brussels time, as on the console and the kiosks."""
    return f"{moment.astimezone(BRUSSELS):%Y-%m-%d %H:%M}" if moment else "-"


def cmd_keys(args: argparse.Namespace) -> int:
    """List the site's public keys, rotate the confirmation key, or retire a key."""
    from hub import keys

    db = _db(args)
    try:
        if args.action == "rotate" and args.purpose == "feed":
            _rotate_feed(db, args.operator)
        elif args.action == "retire" and args.key_id == "feed":
            _retire_feed(db, args.feed_key_id, args.operator)
        elif args.action == "rotate":
            key_id = keys.rotate_confirmation(db, utc_now(), args.operator)
            print(
                f"confirmation codes are signed with key {key_id} from now on; the old key "
                "stays trusted (codes already sent keep working) until you retire it"
            )
        elif args.action == "approve":
            row = keys.approve(db, args.key_id, utc_now(), args.operator)
            print(
                f"key {row.key_id} ({row.purpose}, {row.owner}) approved: every kiosk trusts "
                "it from its next sync"
            )
        elif args.action == "retire":
            row = keys.retire(db, _key_id(args), utc_now(), args.operator)
            print(
                f"key {row.key_id} ({row.purpose}, {row.owner}) retired: kiosks stop trusting "
                "it at their next sync; what it signed is refused from then on"
            )
        else:
            print(
                f"{'id':>3}  {'purpose':<12} {'owner':<8} {'state':<8} {'created':<16} "
                f"{'retired':<16} signs"
            )
            for k in keys.list_keys(db):
                created, retired = _when(k.created_at), _when(k.retired_at)
                line = (
                    f"{k.key_id:>3}  {k.purpose:<12} {k.owner:<8} {k.state:<8} {created:<16} "
                    f"{retired:<16}"
                )
                print(f"{line} yes" if k.signing else line.rstrip())
            _list_feed_keys(db)
    except keys.KeyChangeRefused as err:
        print(f"kiosk-hub: {err}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def _key_id(args: argparse.Namespace) -> int:
    try:
        if args.feed_key_id is not None:
            raise ValueError("a key id alone")
        return key_id(args.key_id)
    except ValueError:
        raise SystemExit("kiosk-hub: keys retire KEY_ID, or keys retire feed KEY_ID") from None


def _rotate_feed(db, operator: str) -> None:
    from hub import feed_keys

    key_id, start = feed_keys.rotate(db, utc_now(), operator)
    print(
        f"the feed is signed with key {key_id} for every kiosk that has taken its hand-over "
        f"(change {start}, signed by the old key: they take it at their next sync); the old "
        "key signs for kiosks behind until you retire it. New enrolment files carry the new key"
    )


def _retire_feed(db, key_id: int | None, operator: str) -> None:
    from hub import feed_keys

    if key_id is None:
        raise SystemExit("kiosk-hub: keys retire feed KEY_ID (kiosk-hub keys list)")
    behind = feed_keys.retire(db, key_id, utc_now(), operator)
    print(f"feed key {key_id} retired: the hub no longer signs with it")
    if behind:
        print(
            f"{len(behind)} kiosk(s) may not have taken the hand-over yet and cannot sync any "
            f"more: {', '.join(behind)}; enrol them again (kiosk-hub enrol ID --role ROLE --renew)"
        )


def _list_feed_keys(db) -> None:
    from hub import feed_keys

    for key_id, created, retired, signs in feed_keys.list_feed_keys(db):
        state = "retired" if retired else "trusted"
        line = f"{key_id:>3}  {'feed':<12} {'hub':<8} {state:<8} {_when(created):<16} "
        print(f"{line}{_when(retired):<16} yes" if signs else f"{line}{_when(retired)}")


def _add_keys_parser(sub, common: argparse.ArgumentParser) -> None:
    k = sub.add_parser(
        "keys", parents=[common], help="the site's keys: list, rotate, approve, retire"
    )
    actions = k.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[common], help="every public key, pending and retired too")
    ap = actions.add_parser(
        "approve", parents=[common], help="trust a counter's pending badge key site-wide"
    )
    ap.add_argument(
        "key_id", type=argument(key_id), help="the key's id, as `kiosk-hub keys list` shows it"
    )
    add_operator(ap, "who approves it")
    r = actions.add_parser("rotate", parents=[common], help="sign with a new key from now on")
    r.add_argument(
        "purpose",
        choices=["confirmation", "feed"],
        help="confirmation: the key that signs the letters' codes; feed: the key that signs "
        "the feed kiosks pull",
    )
    add_operator(r, "who rotates it")
    t = actions.add_parser(
        "retire",
        parents=[common],
        help="no kiosk trusts this key any more (`retire feed ID`: the hub stops signing with "
        "that old feed key)",
    )
    t.add_argument("key_id", type=line_text, help="a key's id (`keys list`), or the word `feed`")
    t.add_argument(
        "feed_key_id",
        nargs="?",
        type=argument(key_id),
        metavar="FEED_KEY_ID",
        help="after `feed`: the old feed key's id",
    )
    add_operator(t, "who retires it")
    k.set_defaults(func=cmd_keys)


def cmd_chip_trust(args: argparse.Namespace) -> int:
    """Import, list or remove the CSCA certificates every counter checks chips against."""
    from hub import csca

    db = _db(args)
    try:
        if args.action == "import":
            path = Path(args.path)
            if not path.exists():
                print(f"kiosk-hub: {path} does not exist; nothing was done.", file=sys.stderr)
                return 1
            report = csca.import_path(db, path, utc_now(), args.operator)
            for word, labels in (("added", report.added), ("known", report.known)):
                for label in labels:
                    print(f"{word:<8} {label}")
            for label in report.refused:
                print(f"refused  {label}", file=sys.stderr)
            print(
                f"{len(report.added)} added (counters trust them from their next sync), "
                f"{len(report.known)} already trusted, {len(report.refused)} refused."
            )
            return 0 if report.added or report.known else 1
        if args.action == "remove":
            gone = csca.remove(db, args.fingerprint, utc_now(), args.operator)
            print(f"{gone.subject} removed: counters stop trusting it at their next sync")
            return 0
        listed = csca.list_cscas(db)
        for c in listed:
            state = f"removed {_when(c.removed_at)}" if c.removed_at else "trusted"
            until = f"{c.not_after:%Y-%m-%d}"
            print(f"{c.fingerprint[:16]}  {c.country}  {until}  {state:<24} {c.subject}")
        if not listed:
            print("No CSCA certificate on file: import one with `kiosk-hub chip-trust import`.")
    except csca.CscaChangeRefused as err:
        print(f"kiosk-hub: {err}; nothing was changed.", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def _add_chip_trust_parser(sub, common: argparse.ArgumentParser) -> None:
    c = sub.add_parser(
        "chip-trust", parents=[common], help="the CSCA trust list counters check chips against"
    )
    actions = c.add_subparsers(dest="action", required=True)
    i = actions.add_parser(
        "import", parents=[common], help="add CSCAs (PEM, DER, a folder, an ICAO master list)"
    )
    i.add_argument(
        "path",
        metavar="FILE|DIR",
        help="a certificate file (PEM or DER), a folder of them, or an ICAO master list",
    )
    add_operator(i, "who adds them")
    actions.add_parser("list", parents=[common], help="every CSCA, removed ones too")
    r = actions.add_parser("remove", parents=[common], help="no counter trusts this CSCA any more")
    r.add_argument(
        "fingerprint", type=line_text, help="its SHA-256 fingerprint (or its first 8+ hex digits)"
    )
    add_operator(r, "who removes it")
    c.set_defaults(func=cmd_chip_trust)


def cmd_clients(args: argparse.Namespace) -> int:
    """List the enrolled clients, or revoke one (its token, and every key it owns)."""
    from hub import clients

    db = _db(args)
    try:
        if args.action == "revoke":
            return _revoke(db, args)
        found = clients.list_clients(db)
        if not found:
            print("no kiosk enrolled (kiosk-hub enrol ID --role counter|security ...)")
            return 0
        print(f"{'id':<8} {'role':<9} {'enrolled':<16} {'last seen':<16} {'keys':<10} state")
        for c in found:
            keys = ",".join(f"{k}?" if k in c.pending_keys else str(k) for k in c.keys) or "-"
            state = f"revoked {_when(c.revoked_at)}: {c.revoked_reason}" if c.revoked_at else "ok"
            print(
                f"{c.id:<8} {c.role:<9} {_when(c.created_at):<16} {_when(c.last_seen_at):<16} "
                f"{keys:<10} {state}"
            )
        return 0
    finally:
        db.close()


def _revoke(db: HubDatabase, args: argparse.Namespace) -> int:
    from hub.clients import RevocationRefused, revocation_reason, revoke

    reason = revocation_reason(args.reason or "", args.stolen)
    try:
        done = revoke(db, args.client_id, reason, utc_now(), args.operator)
    except RevocationRefused as err:
        print(f"kiosk-hub: {err}", file=sys.stderr)
        return 1
    retired = ", ".join(map(str, done.keys_retired)) or "none"
    print(
        f"{done.client_id} revoked ({done.reason}): its token is refused from now on; "
        f"badge keys retired: {retired} (every kiosk stops trusting them at its next sync)"
    )
    if done.live_badges:
        print(
            f"{done.live_badges} badge(s) it issued are still live at the hub: security posts "
            "refuse them once they have synced; their holders need a reprint at another counter"
        )
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    """Add, change, list the site's staff accounts (hub/staff_cli.py)."""
    from hub.staff_cli import cmd_staff as run

    db = _db(args)
    try:
        return run(args, db)
    finally:
        db.close()


def cmd_hours(args: argparse.Namespace) -> int:
    """Set the site's opening hours and closures (hub/hours_cli.py)."""
    from hub.hours_cli import cmd_hours as run

    db = _db(args)
    try:
        return run(args, db)
    finally:
        db.close()


def cmd_pool(args: argparse.Namespace) -> int:
    """Set the site's pooled moments (hub/hours_cli.py)."""
    from hub.hours_cli import cmd_pool as run

    db = _db(args)
    try:
        return run(args, db)
    finally:
        db.close()


def cmd_photos(args: argparse.Namespace) -> int:
    """List the photos counters replaced at their desks: who took, who approved, what."""
    from hub.desk_photos import photo_changes

    db = _db(args)
    try:
        found = photo_changes(db)
        if not found:
            print("no photo was replaced at a counter's desk")
        for c in found:
            state = f"refused: {c.refused}" if c.refused else "taken"
            print(
                f"{_when(c.at)}  {c.kiosk_id:<6} person {c.person_id} ({c.person})  taken by "
                f"{c.taken_by}, approved by {c.approved_by}  {c.old_sha256[:12] or 'none'} -> "
                f"{c.new_sha256[:12]}  {state}"
            )
    finally:
        db.close()
    return 0


def _add_clients_parser(sub, common: argparse.ArgumentParser) -> None:
    c = sub.add_parser("clients", parents=[common], help="enrolled kiosks: list, revoke")
    actions = c.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[common], help="every client, revoked ones too")
    r = actions.add_parser(
        "revoke", parents=[common], help="stop a client's token and retire its keys, for good"
    )
    r.add_argument(
        "client_id",
        type=line_text,
        help="the kiosk's id, as `kiosk-hub clients list` shows it (G1)",
    )
    r.add_argument("--stolen", action="store_true", help="the kiosk was stolen or tampered with")
    r.add_argument(
        "--reason",
        type=revoke_reason,
        help="why, on one line of at most 500 characters (required unless --stolen)",
    )
    add_operator(r, "who revokes it")
    c.set_defaults(func=cmd_clients)


def _read_password() -> str:
    """The new password: one line of stdin (scripts), else typed twice without echo."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise SystemExit(
                "kiosk-hub: no password on stdin: type it at a terminal, or give it on one "
                "line of stdin (echo 'PASSPHRASE' | kiosk-hub web-user add ...); nothing was "
                "changed"
            )
        return password
    password = getpass.getpass("Password (12 to 200 characters): ")
    if getpass.getpass("Password again: ") != password:
        raise SystemExit("kiosk-hub: the two passwords differ; nothing was changed")
    return password


def cmd_web_user(args: argparse.Namespace) -> int:
    """Add a web console account (or give one a new password), or list them."""
    from hub.web.accounts import AccountError, WebRole, add_user, remove_user, users

    db = _db(args)
    try:
        found = users(db)
        if args.action == "list":
            for name, role in found:
                print(f"{name:<40} {role}")
            if not found:
                print("no web console account (kiosk-hub web-user add NAME --role office|chief)")
            return 0
        if args.action == "remove":
            try:
                remove_user(db, args.name, args.operator, utc_now())
            except AccountError as err:
                print(f"kiosk-hub: {err}", file=sys.stderr)
                return 1
            print(f"web console account {args.name} removed; its sessions are ended")
            return 0
        password = _read_password()
        try:
            add_user(db, args.name, WebRole(args.role), password, utc_now(), args.operator)
        except AccountError as err:
            print(f"kiosk-hub: {err}; nothing was changed", file=sys.stderr)
            return 1
        if args.name in dict(found):
            print(
                f"web console account {args.name} ({args.role}): new password set; its "
                "sessions are ended"
            )
        else:
            print(f"web console account {args.name} ({args.role}) added: it signs in at /console")
        return 0
    finally:
        db.close()


def _add_web_user_parser(sub, common: argparse.ArgumentParser) -> None:
    w = sub.add_parser("web-user", parents=[common], help="web console accounts: add, list, remove")
    actions = w.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[common], help="every console account")
    a = actions.add_parser(
        "add",
        parents=[common],
        help="add an account, or set its password (typed twice, or one line of stdin)",
    )
    a.add_argument("name", type=line_text, help="the account's name, e.g. chief, office.anna")
    a.add_argument(
        "--role",
        required=True,
        choices=["office", "chief"],
        help="office: decides on applicants; chief: runs the site's equipment "
        "(docs/web-console.md)",
    )
    add_operator(a, "who adds it or sets its password")
    r = actions.add_parser(
        "remove", parents=[common], help="remove an account (someone who left): ends its sessions"
    )
    r.add_argument(
        "name", type=line_text, help="the account's name, as `kiosk-hub web-user list` shows it"
    )
    add_operator(r, "who removes it")
    w.set_defaults(func=cmd_web_user)


def _parser(extra: Commands | None = None) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=f"database URL (else $KIOSK_HUB_DB, else {DEFAULT_URL}); PostgreSQL: "
        "postgresql://user:password@host/dbname",
    )
    p = argparse.ArgumentParser(prog="kiosk-hub", description=__doc__, parents=[common])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    s = sub.add_parser("serve", parents=[common], help="serve the API")
    s.add_argument(
        "--host",
        default="127.0.0.1",
        type=line_text,
        help="the address to listen on; 0.0.0.0 for every network (default: 127.0.0.1, "
        "this machine only)",
    )
    s.add_argument(
        "--port",
        type=argument(port),
        default=DEFAULT_PORT,
        help=f"the TCP port to listen on; 0 for any free one, printed when it listens "
        f"(default: {DEFAULT_PORT})",
    )
    s.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug", "trace"),  # uvicorn's
        metavar="LEVEL",
        help="how much the server logs: critical, error, warning, info, debug or trace "
        "(default: warning)",
    )
    s.add_argument(
        "--cert", metavar="FILE", help="TLS certificate (PEM), e.g. from `kiosk-hub tls init`"
    )
    s.add_argument("--key", metavar="FILE", help="the certificate's private key (PEM)")
    s.set_defaults(func=cmd_serve)
    i = sub.add_parser("import", parents=[common], help="import platform exports (JSON, CSV)")
    i.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="the platform's exports: export.json, or people.csv accreditations.csv ...",
    )
    add_operator(i, "who imports them")
    i.set_defaults(func=cmd_import)
    e = sub.add_parser("enrol", parents=[common], help="enrol a kiosk, write its enrolment file")
    e.add_argument(
        "kiosk_id", type=line_text, help="the kiosk's id, e.g. G1 (Groups counter 1), V1, SEC1"
    )
    e.add_argument(
        "--role",
        required=True,
        choices=["counter", "security", "office"],
        help="counter: issues badges; security: checks worn badges; office: the office's tools",
    )
    e.add_argument(
        "--url",
        type=hub_url,
        default=f"http://127.0.0.1:{DEFAULT_PORT}",
        help=f"the hub's URL as the kiosk reaches it (default: http://127.0.0.1:{DEFAULT_PORT})",
    )
    e.add_argument(
        "--out", metavar="FILE", help="the enrolment file to write (default: ID.enrolment.json)"
    )
    e.add_argument("--renew", action="store_true", help="new token for an enrolled kiosk")
    e.add_argument(
        "--cert", metavar="FILE", help="the hub's TLS certificate: the kiosk pins its fingerprint"
    )
    e.add_argument(
        "--allow-plain-http",
        action="store_true",
        help="let the kiosk use plain http beyond loopback (token and feed in clear)",
    )
    e.add_argument(
        "--approve-keys",
        action="store_true",
        help="a counter's first badge key also waits for `keys approve` (default: trusted)",
    )
    add_operator(e, "who enrols it")
    e.set_defaults(func=cmd_enrol)
    b = sub.add_parser("export-bundle", parents=[common], help="signed feed file for a kiosk")
    b.add_argument(
        "--kiosk", metavar="ID", required=True, type=line_text, help="the kiosk's id, e.g. G1"
    )
    b.add_argument("--out", metavar="FILE", required=True, help="the bundle file to write")
    b.add_argument(
        "--since",
        metavar="CURSOR",
        type=argument(feed_cursor),
        help="the kiosk's cursor (`kiosk sync status`); default: its last pull",
    )
    b.set_defaults(func=cmd_export_bundle)
    o = sub.add_parser("import-outbox", parents=[common], help="receive a kiosk's outbox file")
    o.add_argument("file", help="the outbox file `kiosk export-outbox` wrote")
    o.set_defaults(func=cmd_import_outbox)
    _add_conflicts_parser(sub, common)
    ho = sub.add_parser("handoffs", parents=[common], help="list the counters' hand-off slips")
    ho.add_argument("--json", action="store_true", help="machine-readable output")
    ho.add_argument("--open", action="store_true", help="only those not marked handled")
    ho.set_defaults(func=cmd_handoffs)
    a = sub.add_parser("audit", parents=[common], help="check the kiosks' journal chains")
    a.add_argument("action", choices=["verify"], help="verify: check every chain's hashes")
    a.add_argument(
        "--kiosk", metavar="ID", type=line_text, help="one kiosk's chain (default: every kiosk's)"
    )
    a.set_defaults(func=cmd_audit)
    pu = sub.add_parser("purge", parents=[common], help="purge personal data past retention")
    pu.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    add_operator(pu, "who runs it")
    pu.set_defaults(func=cmd_purge)
    _add_keys_parser(sub, common)
    _add_chip_trust_parser(sub, common)
    _add_tls_parser(sub, common)
    _add_clients_parser(sub, common)
    _add_web_user_parser(sub, common)
    add_staff_parser(sub, common, cmd_staff)
    add_hours_parsers(sub, common, cmd_hours, cmd_pool)
    ph = sub.add_parser("photos", parents=[common], help="photos replaced at the counters' desks")
    ph.set_defaults(func=cmd_photos)
    if extra is not None:
        extra(sub, common)
    return p


def main(argv: list[str] | None = None, extra: Commands | None = None) -> int:
    """Entry point of `kiosk-hub`; `extra` adds subcommands (the demo's, app/hub_cli.py)."""
    private_umask()  # the database holds the signing keys; enrolment files hold tokens
    argv = sys.argv[1:] if argv is None else argv
    if refused := argument_refusal("kiosk-hub", argv):
        print(refused, file=sys.stderr)
        return 2
    args = _parser(extra).parse_args(argv)
    try:
        return args.func(args)
    except OSError as err:  # a file named on the command line that cannot be written or read
        if err.filename is None:
            raise
        print(f"kiosk-hub: {err.filename}: {err.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
