"""`kiosk photo check FILE` and `kiosk photo take`: identity photos at the desk.

Not built yet: `kiosk photo approve` (a supervisor replacing the photo on file), and
sending a replaced photo to the hub (docs/counter-rules.md, "Photos at the desk").
"""

from __future__ import annotations

import argparse
from pathlib import Path

MAX_READ = 1024 * 1024  # a file larger than this is not read whole: it is over 100 KB anyway


def add_commands(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `photo check|take` to the `kiosk` command."""
    p = subparsers.add_parser(
        "photo", parents=[common], help="check an identity photo, or take one with the camera"
    )
    actions = p.add_subparsers(dest="action", required=True)
    c = actions.add_parser("check", parents=[common], help="check a JPEG as published")
    c.add_argument("file", metavar="FILE")
    t = actions.add_parser("take", parents=[common], help="take a photo with the counter camera")
    t.add_argument(
        "--camera", required=True, help="a camera index, a video file or a folder of images"
    )
    t.add_argument("--out", required=True, metavar="FILE", help="where to write the JPEG")
    t.add_argument("--frames", type=int, default=10, help="frames to try (default 10)")
    p.set_defaults(func=cmd_photo)


def _report(problems) -> int:
    for problem in problems:
        print(f"refused: {problem.message_en} / {problem.message_fr}")
    if not problems:
        print("meets the published requirements checked here (a face is not checked)")
    return 1 if problems else 0


def _check(path: Path) -> int:
    from scanning.desk_photo import check_photo

    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_READ)
    except OSError as err:
        raise SystemExit(f"kiosk: cannot read {path}: {err.strerror}") from None
    return _report(check_photo(data))


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
        out.write_bytes(photo.jpeg)
        print(f"wrote {out} ({len(photo.jpeg) // 1024} KB)")
    return _report(photo.problems)


def cmd_photo(args: argparse.Namespace) -> int:
    """Check a photo file, or take one; exit 1 when it does not meet the requirements."""
    if args.action == "check":
        return _check(Path(args.file))
    return _take(args)
