"""`kiosk overview [--day DATE] [--csv FILE]`: a day's figures (kiosk/overview.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.wiring import require_store, resolve_data_dir
from kiosk.exports import record_export
from kiosk.overview import day_overview, summary_text, write_csv
from kiosk.services import brussels_now
from kiosk.store.database import Store
from kiosk.typed import calendar_day


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `kiosk overview [--day DATE] [--csv FILE]` to the `kiosk` command."""
    p = sub.add_parser("overview", parents=[common], help="a day's figures; export to CSV")
    p.add_argument(
        "--day", metavar="YYYY-MM-DD", help="the day to count (default: today in Brussels)"
    )
    p.add_argument("--csv", metavar="FILE", help="also write the figures to this CSV file")
    p.set_defaults(func=cmd_overview)


def cmd_overview(args: argparse.Namespace) -> int:
    """Print a day's figures (and write them as CSV)."""
    data_dir = require_store(resolve_data_dir(args.data_dir))  # SetupError: no store there
    try:
        day = calendar_day(args.day) if args.day else brussels_now().date()
    except ValueError as err:
        raise SystemExit(f"kiosk: --day: {err}") from None
    store = Store.in_dir(data_dir)
    try:
        o = day_overview(store, day)
    finally:
        store.close()
    print(summary_text(o))
    if args.csv:
        written = write_csv(o, Path(args.csv))
        record_export(data_dir, written, "overview", brussels_now())
        print(f"written: {written}")
    return 0
