"""`kiosk chip read` and `kiosk chip trust list/import`: the passport chip from the command
line, on a data directory that holds a kiosk store."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from app.acting import add_pin_stdin, pins, sign_in
from app.wiring import read_mrz, require_store, resolve_data_dir
from kiosk.model import Counter
from kiosk.private import write_private
from kiosk.roles import Action


def add_commands(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `chip read` and `chip trust import` to the `kiosk` command."""
    c = subparsers.add_parser("chip", help="read and check a passport's chip (PC/SC reader)")
    sub = c.add_subparsers(dest="chip_command", required=True)
    r = sub.add_parser(
        "read", parents=[common], help="read the chip on the reader and check its signature"
    )
    key = r.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "--mrz", metavar="TEXT", help="the printed MRZ (opens the chip by PACE or BAC)"
    )
    key.add_argument(
        "--can", metavar="NNNNNN", help="the card access number (opens a chip that offers PACE)"
    )
    r.add_argument("--reader", metavar="NAME", help="the PC/SC reader (else the first)")
    r.add_argument("--face", metavar="FILE", help="save the chip's face image to FILE")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.set_defaults(func=cmd_read)
    t = sub.add_parser("trust", help="the CSCA certificates chips must chain to")
    tsub = t.add_subparsers(dest="trust_command", required=True)
    i = tsub.add_parser(
        "import",
        parents=[common],
        help="add CSCA certificates (PEM, DER, a folder of them, or an ICAO master list)",
    )
    i.add_argument(
        "path",
        metavar="FILE|DIR",
        help="a certificate file (PEM or DER), a folder of them, or an ICAO master list",
    )
    i.add_argument(
        "--admin", metavar="NAME", required=True, help="the administrator making the change"
    )
    add_pin_stdin(i)
    i.set_defaults(func=cmd_trust_import)
    ls = tsub.add_parser(
        "list", parents=[common], help="the CSCAs trusted here: the hub's and this kiosk's own"
    )
    ls.set_defaults(func=cmd_trust_list)


def _store_dir(args: argparse.Namespace) -> Path:
    """The data directory, if it holds a kiosk store (a mistyped --data-dir is said, never
    made into an empty store: app/wiring.require_store)."""
    return require_store(resolve_data_dir(args.data_dir))


def _access_key(args: argparse.Namespace):
    """The printed MRZ (None with a CAN) and the password that opens the chip."""
    from chip.bac import AccessKey
    from chip.pace import Can

    if args.can is not None:
        try:
            return None, Can(args.can.strip())
        except ValueError:
            raise SystemExit(
                "kiosk chip read: a card access number is the six digits printed on the "
                "document; nothing was read."
            ) from None
    try:
        printed = read_mrz(args.mrz)
    except ValueError as err:
        raise SystemExit(f"kiosk chip read: the MRZ given is not valid: {err}") from None
    return printed, AccessKey.printed(printed)


CAN_REFUSED = (
    "The chip refused the card access number: check the six digits printed on the document.",
    "La puce a refusé le numéro d'accès à la carte : vérifier les six chiffres imprimés sur "
    "le document.",
)
CAN_NOT_TAKEN = (
    "This chip does not take a card access number (it has no PACE): give the printed MRZ "
    "with --mrz.",
    "Cette puce n'accepte pas de numéro d'accès à la carte (elle n'a pas PACE) : donner la "
    "MRZ imprimée avec --mrz.",
)


def cmd_read(args: argparse.Namespace) -> int:
    """Read and check the chip; exit 0 only when it is verified (and, given an MRZ,
    matches it)."""
    from chip import trust
    from chip.reading import NO_PACE_FOR_CAN, read_passport
    from kiosk.chip_check import ChipStatus, check_chip
    from kiosk.exports import record_export
    from kiosk.services import brussels_now
    from kiosk.store.database import Store

    data_dir = _store_dir(args)
    printed, key = _access_key(args)
    store = Store.in_dir(data_dir)
    try:
        trusted = trust.load(data_dir, store)
    finally:
        store.close()
    result = read_passport(key, trusted, read_mrz, args.reader)
    chip = result.reading
    check = check_chip(chip, printed)
    if printed is None and chip.status is ChipStatus.ACCESS_DENIED:
        en, fr = CAN_NOT_TAKEN if chip.detail == NO_PACE_FOR_CAN else CAN_REFUSED
        check = replace(check, reason_en=en, reason_fr=fr)
    if args.face and chip.face:
        face = Path(args.face)
        write_private(face, chip.face)
        # A face is personal data: the purge deletes it with the other exports.
        record_export(data_dir, face, "chip face", brussels_now())
    report = {
        "status": chip.status.value,
        "access": result.access,
        "ok": check.ok,
        "verdict": None if check.ok else check.on_fail.value,
        "reason_en": check.reason_en,
        "reason_fr": check.reason_fr,
        "issuer": chip.issuer,
        "chip_mrz": chip.dg1_mrz,
        "altered_groups": list(chip.altered_groups),
        "chip_authentication": chip.chip_auth,  # true: no copy; false: failed; null: not run
        "active_authentication": chip.active_auth,
        "face_bytes": len(chip.face),
        "detail": chip.detail,
        "timings_ms": {k: round(v * 1000, 1) for k, v in result.timings.items()},
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(check.reason_en)
        print(check.reason_fr)
        for name in ("status", "access", "issuer", "chip_mrz", "detail"):
            if report[name]:
                print(f"{name.replace('_', ' '):<10} {report[name]}")
    verified = chip.status is ChipStatus.VERIFIED and check.ok
    return 0 if verified else 1


def cmd_trust_list(args: argparse.Namespace) -> int:
    """Every CSCA this kiosk trusts, and where it comes from (the hub's feed or its own
    import); only the hub removes the hub's."""
    import hashlib

    from cryptography.hazmat.primitives.serialization import Encoding

    from chip import trust
    from chip.passive import country_of, name_of
    from kiosk.store.database import Store

    data_dir = _store_dir(args)
    store = Store.in_dir(data_dir)
    try:
        held = trust.sources(data_dir, store)
    finally:
        store.close()
    for source, cert in sorted(held, key=lambda h: (country_of(h[1]), name_of(h[1].subject))):
        fingerprint = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()[:16]
        until = f"{cert.not_valid_after_utc:%Y-%m-%d}"
        print(f"{fingerprint}  {source:<5}  {until}  {name_of(cert.subject)}")
    print(f"{len(held)} trusted.")
    return 0


def cmd_trust_import(args: argparse.Namespace) -> int:
    """Add CSCA certificates to this kiosk's trust list, as an administrator."""
    from app.wiring import default_kiosk_id
    from chip import trust
    from kiosk.services import brussels_now
    from kiosk.staff import StaffBook
    from kiosk.store.database import Store

    data_dir = _store_dir(args)
    path = Path(args.path)
    if not path.exists():
        raise SystemExit(f"kiosk chip trust import: {path} does not exist; nothing was done.")
    store = Store.in_dir(data_dir)
    try:
        staff = StaffBook(store, brussels_now, default_kiosk_id(store, Counter.GROUPS))
        sign_in(staff, args.admin, pins(args), Action.SETTINGS)
    finally:
        store.close()
    report = trust.import_path(data_dir, path)
    for label in report.added:
        print(f"added    {label}")
    for label in report.known:
        print(f"known    {label}")
    for label in report.refused:
        print(f"refused  {label}")
    print(
        f"{len(report.added)} added, {len(report.known)} already trusted, "
        f"{len(report.refused)} refused."
    )
    return 0 if report.added or report.known else 1
