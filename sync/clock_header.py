"""The kiosk's clock reading sent with each request, for the hub to see its exact drift.

`X-Kiosk-Clock: 2026-12-05T23:40:00.123Z`: the kiosk's clock when it sent the request,
in UTC, to the millisecond. Optional on both sides: a hub that does not know it ignores
it, and a hub that does keeps the old estimate for a kiosk that does not send it; so it
changes no page and the protocol number stays. Unsigned and from the network: the hub
takes it only in exactly this form, within years that make sense, and ignores anything
else (`read_clock_header`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

CLOCK_HEADER = "X-Kiosk-Clock"
_FORM = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", re.ASCII)
# A reading outside these years is no clock worth reporting (or a forged value): a PC
# whose battery died starts in 1970 at the earliest, and nothing runs past 2199.
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def clock_header(now: datetime) -> str:
    """The header's value for the kiosk's clock reading `now` (aware)."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def read_clock_header(value: str | None, received: datetime) -> timedelta | None:
    """How far the sender's clock is ahead of `received` (the hub's clock on receipt;
    negative: behind), or None for a value absent, malformed or out of range."""
    if not value or len(value) != 24 or not _FORM.fullmatch(value):
        return None
    try:
        sent = datetime.fromisoformat(value)
    except ValueError:  # 2026-02-30 and the like
        return None
    if not EARLIEST <= sent < LATEST:
        return None
    return sent - received
