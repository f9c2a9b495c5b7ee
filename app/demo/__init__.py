"""The demo world: events, applicants in every situation, letters and a manifest."""

from __future__ import annotations

import argparse


def add_world_arguments(parser: argparse.ArgumentParser) -> None:
    """`--people` and `--today`: the size and the day of a demo world (`kiosk demo`,
    `kiosk-hub demo-export`)."""
    parser.add_argument(
        "--people",
        metavar="N",
        type=int,
        default=60,
        help="number of accreditations to make (default: 60)",
    )
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the day the world is built around (default: today)"
    )
