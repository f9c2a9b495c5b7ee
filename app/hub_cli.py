"""`kiosk-hub`: the hub's command line (hub/cli.py) with the demo's `demo-export`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from app.demo import add_world_arguments
from hub import cli
from kiosk.private import check_new, write_private


def cmd_demo_export(args: argparse.Namespace) -> int:
    """Write the demo world as a platform JSON export."""
    from app.demo.hub_export import demo_export

    today = args.today or date.today()
    check_new(Path(args.out))  # never over another file (the hub's database, say)
    export, _ = demo_export(today, args.people, photos=not args.no_photos)
    write_private(Path(args.out), json.dumps(export, ensure_ascii=False).encode())
    print(f"{args.out}: {len(export['accreditations'])} accreditations around {today}")
    return 0


def add_demo_commands(sub, common: argparse.ArgumentParser) -> None:
    """Add `kiosk-hub demo-export` (the demo world as a platform export)."""
    d = sub.add_parser("demo-export", parents=[common], help="write the demo world as an export")
    d.add_argument("--out", required=True, metavar="FILE", help="the JSON export file to write")
    add_world_arguments(d)
    d.add_argument("--no-photos", action="store_true", help="leave the photos out (a smaller file)")
    d.set_defaults(func=cmd_demo_export)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `kiosk-hub`."""
    return cli.main(argv, extra=add_demo_commands)


if __name__ == "__main__":
    sys.exit(main())
