"""The demo world: events, applicants in every situation, letters and a manifest."""

from __future__ import annotations

import argparse

from kiosk.typed import argument, calendar_day, row_id, shown

MOST_PEOPLE = 1_000_000  # passport numbers stay 9 characters and unique up to here


def world_size(text: str) -> int:
    """--people: from one accreditation per situation the demo shows up to MOST_PEOPLE
    (`--people 0` made 29, the situations, and said nothing)."""
    from app.demo.population import fewest_people

    least = fewest_people()
    try:
        return row_id(text, least=least, most=MOST_PEOPLE)
    except ValueError:
        raise ValueError(
            f"{shown(text)} is not a number of accreditations from {least} (one per "
            f"situation the demo shows) to {MOST_PEOPLE:,}"
        ) from None


def add_world_arguments(parser: argparse.ArgumentParser) -> None:
    """`--people` and `--today`: the size and the day of a demo world (`kiosk demo`,
    `kiosk-hub demo-export`)."""
    parser.add_argument(
        "--people",
        metavar="N",
        type=argument(world_size),
        default=60,
        help="number of accreditations to make, at least one per situation the demo shows "
        "(default: 60)",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=argument(calendar_day),
        help="the day the world is built around (default: today)",
    )
