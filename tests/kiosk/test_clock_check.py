"""The kiosk's clock against the hub's (kiosk/clock_check.py): the interval a feed page
measures, the tolerance, and the warning's words in both languages."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.clock_check import (
    TOLERANCE,
    ClockReading,
    clock_warning,
    measure,
    span_words,
    stored_reading,
)
from kiosk.model import BRUSSELS

HUB = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)
AHEAD = timedelta(hours=2, minutes=14)


def reading(offset: timedelta, wide: timedelta = timedelta(milliseconds=40)) -> ClockReading:
    """A page signed at HUB, asked for and received on a kiosk's clock `offset` ahead."""
    return measure(HUB + offset - wide / 2, HUB + offset + wide / 2, HUB)


def test_a_page_bounds_the_offset_between_sending_and_receiving():
    r = measure(HUB + AHEAD, HUB + AHEAD + timedelta(seconds=1), HUB + timedelta(seconds=0.5))
    assert (r.low, r.high) == (AHEAD - timedelta(seconds=0.5), AHEAD + timedelta(seconds=0.5))
    assert r.offset == AHEAD and r.off
    assert r.measured_at == HUB + AHEAD + timedelta(seconds=1)  # on the kiosk's clock


def test_ahead_in_both_languages_with_its_size_and_what_to_do():
    w = clock_warning(reading(AHEAD), HUB + AHEAD)
    assert w.en == (
        "This kiosk's clock is 2 h 14 min ahead of the hub's: dates and opening hours may be "
        "judged wrong. Ask IT to set the clock."
    )
    assert w.fr.startswith("L'horloge de ce poste a 2 h 14 min d'avance sur celle du hub : ")
    assert "heures d'ouverture" in w.fr and "régler l'horloge" in w.fr


def test_behind_and_the_posts_own_words():
    w = clock_warning(reading(-timedelta(days=3, hours=5)), HUB, post=True)
    assert w.en.startswith("This kiosk's clock is 3 days 5 h behind the hub's: badge dates")
    assert "3 jours 5 h de retard" in w.fr and "dates des badges" in w.fr
    assert "opening hours" not in w.en


def test_within_the_tolerance_or_never_measured_says_nothing():
    assert clock_warning(reading(TOLERANCE - timedelta(seconds=1)), HUB) is None
    assert clock_warning(reading(-TOLERANCE), HUB) is None
    assert clock_warning(None, HUB) is None
    assert clock_warning(reading(TOLERANCE + timedelta(seconds=2)), HUB) is not None


def test_a_slow_answer_can_hide_an_offset_never_invent_one():
    # Answered in 10 minutes: the offset lies between -4 and +6 min, nothing is certain.
    slow = reading(timedelta(minutes=1), wide=timedelta(minutes=10))
    assert not slow.off and clock_warning(slow, HUB) is None
    # Slow, but even its nearest bound is 20 min ahead: certain.
    assert reading(timedelta(minutes=25), wide=timedelta(minutes=10)).off


def test_an_old_measurement_says_when_it_was_taken():
    r = reading(AHEAD)
    fresh = clock_warning(r, r.measured_at + timedelta(minutes=9))
    assert "Measured" not in fresh.en
    week = clock_warning(r, r.measured_at + timedelta(days=7))
    at = r.measured_at.astimezone(BRUSSELS)
    assert f"(Measured {at:%d.%m.%Y} at {at:%H:%M}, when the hub last answered.)" in week.en
    assert f"(Mesuré le {at:%d.%m.%Y} à {at:%H:%M}" in week.fr
    set_back = clock_warning(r, r.measured_at - timedelta(hours=2))  # the clock was set back
    assert "Measured" in set_back.en


def test_sizes_in_words():
    assert span_words(timedelta(minutes=7, seconds=20)) == ("7 min", "7 min")
    assert span_words(-timedelta(hours=2, minutes=14)) == ("2 h 14 min", "2 h 14 min")
    assert span_words(timedelta(hours=47, minutes=59)) == ("47 h 59 min", "47 h 59 min")
    assert span_words(timedelta(days=2)) == ("2 days", "2 jours")
    assert span_words(timedelta(days=9131, hours=3)) == ("9131 days 3 h", "9131 jours 3 h")


def test_the_stored_form_comes_back_whole_or_not_at_all():
    assert stored_reading(None, 5, HUB) is None and stored_reading(1, 5, None) is None
    r = stored_reading(-1500, 2500, HUB)
    assert (r.low, r.high, r.offset) == (
        timedelta(seconds=-1.5),
        timedelta(seconds=2.5),
        timedelta(seconds=0.5),
    )
