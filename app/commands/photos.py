"""`kiosk photo check FILE`, `kiosk photo take` and `kiosk photo approve FILE`: identity
photos at the desk (docs/desk-photos.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.acting import add_pin_stdin, pins, sign_in
from kiosk.model import Counter
from kiosk.private import write_private
from kiosk.roles import Action
from kiosk.typed import argument, row_id

MAX_READ = 1024 * 1024  # a file larger than this is not read whole: it is over 100 KB anyway


def add_commands(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `photo check|take` to the `kiosk` command."""
    p = subparsers.add_parser(
        "photo", parents=[common], help="check an identity photo, or take one with the camera"
    )
    actions = p.add_subparsers(dest="action", required=True)
    c = actions.add_parser("check", parents=[common], help="check a JPEG as published")
    c.add_argument("file", metavar="FILE", help="the JPEG to check")
    t = actions.add_parser("take", parents=[common], help="take a photo with the counter camera")
    t.add_argument(
        "--camera",
        metavar="SOURCE",
        required=True,
        help="a camera index, a video file or a folder of images",
    )
    t.add_argument("--out", required=True, metavar="FILE", help="where to write the JPEG")
    t.add_argument(
        "--frames",
        metavar="N",
        type=int,
        default=10,
        help="frames to try for a good one (default: 10)",
    )
    a = actions.add_parser(
        "approve", parents=[common], help="a supervisor puts a photo taken here on file"
    )
    a.add_argument("file", metavar="FILE", help="the photo `kiosk photo take` wrote")
    a.add_argument(
        "--person",
        metavar="ID",
        type=argument(row_id),
        required=True,
        help="the person's id on file",
    )
    a.add_argument("--clerk", metavar="NAME", required=True, help="who took the photo (signs in)")
    a.add_argument("--supervisor", metavar="NAME", required=True, help="who approves it (signs in)")
    a.add_argument(
        "--counter",
        default="groups",
        choices=[c.value for c in Counter],
        help="the counter this kiosk serves, named in the journal (default: groups)",
    )
    a.add_argument(
        "--at",
        metavar="YYYY-MM-DDTHH:MM",
        help="when it is approved, Brussels unless a zone is given (default: now)",
    )
    add_pin_stdin(a)
    p.set_defaults(func=cmd_photo)


def _report(problems) -> int:
    for problem in problems:
        print(f"refused: {problem.message_en} / {problem.message_fr}")
    if not problems:
        print("meets the published requirements checked here, one face centred")
    return 1 if problems else 0


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_READ)
    except OSError as err:
        raise SystemExit(f"kiosk: cannot read {path}: {err.strerror}") from None


def _check(path: Path) -> int:
    from scanning.desk_photo import check_photo

    return _report(check_photo(_read(path)))


def _clock(data_dir: Path, text: str):
    """A clock stopped at `text` (ISO 8601, Brussels time unless it says otherwise), on a
    demo world only (app/wiring.stopped_clock)."""
    from app.wiring import stopped_clock

    try:
        return stopped_clock(data_dir, text, writes=True)
    except ValueError as err:
        raise SystemExit(f"kiosk: {err}") from None


def _approve(args: argparse.Namespace) -> int:
    from app.wiring import open_kiosk, resolve_data_dir
    from kiosk.desk_photos import PhotoRefused, replace_photo
    from scanning.desk_photo import check_photo

    jpeg = _read(Path(args.file))
    if problems := check_photo(jpeg):
        raise SystemExit(f"kiosk: {problems[0].message_en} Nothing was changed.")
    data_dir = resolve_data_dir(args.data_dir)
    kw = {"clock": _clock(data_dir, args.at), "purge_due": False} if args.at else {}
    kiosk = open_kiosk(data_dir, Counter(args.counter), **kw)
    try:
        reader = pins(args)
        clerk = sign_in(kiosk.staff, args.clerk, reader, Action.CHECK)
        chief = sign_in(kiosk.staff, args.supervisor, reader, Action.OVERRIDE)
        desk = kiosk.desk
        try:
            old = replace_photo(
                kiosk.store, desk.clock, desk.kiosk_id, args.person, jpeg, clerk, chief
            )
        except PhotoRefused as err:
            raise SystemExit(f"kiosk: {err.message_en}") from None
    finally:
        kiosk.close()
    was = f"replaced photo {old[:12]}" if old else "there was no photo"
    print(
        f"photo of person {args.person} on file, taken by {clerk.name}, approved by"
        f" {chief.name} ({was}); it goes to the hub at the next sync"
    )
    return 0


def _take(args: argparse.Namespace) -> int:
    from scanning.camera import CameraError, open_source
    from scanning.desk_photo import take_photo

    if not 1 <= args.frames <= 1000:
        raise SystemExit("kiosk: --frames is a number from 1 to 1000; nothing was taken")
    out = Path(args.out)
    if out.exists():
        raise SystemExit(f"kiosk: {out} exists already; nothing was taken")
    try:
        source = open_source(args.camera)
    except CameraError as err:
        raise SystemExit(f"kiosk: {err}; nothing was taken") from None
    try:
        photo = take_photo(source, args.frames)
    finally:
        source.close()
    if photo is None:
        raise SystemExit(f"kiosk: {source.description} gave no picture; nothing was taken")
    if photo.accepted:
        write_private(out, photo.jpeg)
        print(f"wrote {out} ({len(photo.jpeg) // 1024} KB)")
    return _report(photo.problems)


def cmd_photo(args: argparse.Namespace) -> int:
    """Check a photo file, or take one; exit 1 when it does not meet the requirements."""
    if args.action == "check":
        return _check(Path(args.file))
    if args.action == "approve":
        return _approve(args)
    return _take(args)
