"""The kiosk's clock against the hub's: how far off it is, and the warning people read.

Every date rule (the collection window, the right day, opening hours, a badge valid
today) reads the kiosk's own clock. Sync measures it (sync/client.py): a feed page
carries the hub's signed time `at`, taken between the request, sent at `sent` on the
kiosk's clock, and the answer, received at `received`; so the kiosk is ahead of the hub
by between `sent - at` and `received - at` (negative: behind). Nothing here corrects the
clock or changes a verdict: the warning is the whole of it.

TOLERANCE is 2 minutes. Opening hours and the collection window are judged to the
minute, so a clock a few minutes out opens or closes a counter visibly early or late;
a PC kept by NTP is within a second, and one left alone drifts seconds a week, so
2 minutes is never reached by ordinary drift, only by a clock that is wrong (a dead
CMOS battery, a wrong time zone, someone changed it). The warning shows only when the
whole measured interval lies beyond the tolerance: a slow answer widens the interval
and can hide a small offset, never invent one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.model import BRUSSELS

TOLERANCE = timedelta(minutes=2)
FRESH_FOR = timedelta(minutes=10)  # older: the warning says when it was measured


@dataclass(frozen=True)
class ClockReading:
    """At `measured_at` (the kiosk's clock), the kiosk's clock was ahead of the hub's by
    between `low` and `high` (negative: behind)."""

    low: timedelta
    high: timedelta
    measured_at: datetime

    @property
    def offset(self) -> timedelta:
        """The best single figure: the middle of the interval."""
        return self.low + (self.high - self.low) / 2

    @property
    def off(self) -> bool:
        """Off by more than the tolerance, whatever the answer's delay was."""
        return self.low > TOLERANCE or self.high < -TOLERANCE


def stored_reading(
    low_ms: int | None, high_ms: int | None, measured_at: datetime | None
) -> ClockReading | None:
    """The reading as the store keeps it (sync_state's clock columns), None if none."""
    if low_ms is None or high_ms is None or measured_at is None:
        return None
    low, high = timedelta(milliseconds=low_ms), timedelta(milliseconds=high_ms)
    return ClockReading(low, high, measured_at)


def measure(sent: datetime, received: datetime, hub_at: datetime) -> ClockReading:
    """The reading of one exchange: sent and received on the kiosk's clock, the hub's
    signed time in between."""
    low, high = sent - hub_at, received - hub_at
    return ClockReading(min(low, high), max(low, high), received)


def span_words(span: timedelta) -> tuple[str, str]:
    """A size of offset in English and French: "7 min", "2 h 14 min", "3 days 2 h"."""
    minutes = round(abs(span.total_seconds()) / 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days >= 2:
        tail = f" {hours} h" if hours else ""
        return f"{days} days{tail}", f"{days} jours{tail}"
    hours += 24 * days
    if hours:
        return f"{hours} h {minutes:02d} min", f"{hours} h {minutes:02d} min"
    return f"{minutes} min", f"{minutes} min"


@dataclass(frozen=True)
class ClockWarning:
    """What a kiosk whose clock is off says, in English and French."""

    en: str
    fr: str


def clock_warning(
    reading: ClockReading | None, now: datetime, post: bool = False
) -> ClockWarning | None:
    """The warning for `reading` at `now` (the kiosk's clock), None when the clock was in
    step or never measured. A counter names dates and opening hours, a security post
    (`post`) the badges' dates. A reading older than FRESH_FOR (a kiosk offline since), or
    taken "later" than now (the clock was set back since), says when it was taken: the
    clock may have been set meanwhile."""
    if reading is None or not reading.off:
        return None
    size_en, size_fr = span_words(reading.offset)
    if reading.offset > timedelta(0):
        en = f"This kiosk's clock is {size_en} ahead of the hub's"
        fr = f"L'horloge de ce poste a {size_fr} d'avance sur celle du hub"
    else:
        en = f"This kiosk's clock is {size_en} behind the hub's"
        fr = f"L'horloge de ce poste a {size_fr} de retard sur celle du hub"
    if post:
        en += ": badge dates may be judged wrong. Ask IT to set the clock."
        fr += (
            " : les dates des badges peuvent être mal jugées. "
            "Demandez à l'informatique de régler l'horloge."
        )
    else:
        en += ": dates and opening hours may be judged wrong. Ask IT to set the clock."
        fr += (
            " : les dates et les heures d'ouverture peuvent être mal jugées. "
            "Demandez à l'informatique de régler l'horloge."
        )
    age = now - reading.measured_at
    if age > FRESH_FOR or age < -TOLERANCE:
        at = reading.measured_at.astimezone(BRUSSELS)
        en += f" (Measured {at:%d.%m.%Y} at {at:%H:%M}, when the hub last answered.)"
        fr += f" (Mesuré le {at:%d.%m.%Y} à {at:%H:%M}, lors de la dernière réponse du hub.)"
    return ClockWarning(en, fr)
