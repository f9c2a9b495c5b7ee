"""Scanner bursts told from typing by keystroke timing, and scanned lines routed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanning.keyboard_layout import MISMATCHES, retype
from scanning.wedge import ScanKind, Timing, WedgeDetector, route

CODE = "BCBCBBBBBBBCNBFLNHVNJDTJFGGXLHLTCHNSHDHCPDTTJDTDPTPLHJVJHJTVSSKJHRGSPSJFKXKVGNNFCPJTHL"
MRZ_LINE = "P<FRALEFEVRE<<CAMILLE<<<<<<<<<<<<<<<<<<<<<<<"


def type_keys(detector: WedgeDetector, text: str, gaps: list[float], start: float = 0.0):
    """Feed `text` with `gaps` seconds before each key after the first, then Enter after
    `gaps[-1]`; return (bursts, keys released in order, keys still held)."""
    bursts, released, t = [], [], start
    for i, char in enumerate(text):
        if i:
            t += gaps[i - 1]
        step = detector.press(i, char, t)
        released += step.release
    t += gaps[len(text) - 1]
    step = detector.enter(t)
    released += step.release
    if step.burst is not None:
        bursts.append(step.burst)
    if not step.hold:
        released.append("ENTER")
    return bursts, released


def test_a_scanner_burst_ending_in_enter_is_one_scan():
    detector = WedgeDetector()
    bursts, released = type_keys(detector, CODE, [0.006] * len(CODE))
    assert bursts == [CODE]
    assert released == []  # nothing reached the focused field


def test_a_person_typing_passes_every_key_through_in_order():
    detector = WedgeDetector()
    bursts, released = type_keys(detector, "hello world", [0.12] * 11)
    assert bursts == []
    assert released == [*range(11), "ENTER"]


def test_a_short_quick_run_is_not_a_burst():
    detector = WedgeDetector()  # "ok" + Enter typed fast: two keys are not a scanner
    bursts, released = type_keys(detector, "ok", [0.01, 0.01])
    assert bursts == [] and released == [0, 1, "ENTER"]


def test_held_keys_go_back_when_the_keys_stop():
    detector = WedgeDetector()
    assert detector.press("a", "a", 0.0).hold
    assert detector.tick(0.01).release == ()
    assert detector.deadline() == 0.0 + Timing().max_gap
    assert detector.tick(0.05).release == ("a",)
    assert detector.deadline() is None


def test_a_burst_waits_a_little_longer_for_its_enter():
    detector = WedgeDetector()
    for i, char in enumerate("G1-000042"):
        detector.press(i, char, i * 0.005)
    last = 8 * 0.005
    assert detector.tick(last + 0.1).release == ()  # 100 ms: still waiting for Enter
    assert detector.enter(last + 0.12).burst == "G1-000042"


def test_a_slow_key_in_the_middle_splits_off_what_came_before():
    detector = WedgeDetector()
    gaps = [0.005] * 3 + [0.3] + [0.005] * 10
    bursts, released = type_keys(detector, "abcdefghijklmn", gaps)
    assert released == [0, 1, 2, 3]  # typed, then a scan: only the scan is a burst
    assert bursts == ["efghijklmn"]


def test_auto_repeat_and_editing_keys_are_never_a_scan():
    detector = WedgeDetector()
    for i in range(3):
        detector.press(i, "x", i * 0.03)
    step = detector.press(3, "x", 0.09, auto_repeat=True)
    assert step.release == (0, 1, 2) and not step.hold  # held keys first, then this one
    detector.press(4, "y", 0.1)
    assert detector.other().release == (4,)


@pytest.mark.slow  # over a second: out of the fast lane
@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=60),
    gaps=st.lists(st.floats(0.045, 0.5), min_size=60, max_size=60),
)
def test_typing_at_human_speed_is_never_a_scan_and_loses_no_key(text, gaps):
    detector = WedgeDetector()
    bursts, released = type_keys(detector, text, gaps)
    assert bursts == []
    assert released == [*range(len(text)), "ENTER"]


@pytest.mark.slow  # over a second: out of the fast lane
@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=6, max_size=140),
    gaps=st.lists(st.floats(0.0005, 0.03), min_size=140, max_size=140),
)
def test_a_scanner_at_any_speed_up_to_30_ms_a_key_is_one_scan(text, gaps):
    detector = WedgeDetector()
    bursts, released = type_keys(detector, text, gaps)
    assert bursts == [text] and released == []


@pytest.mark.slow  # over a second: out of the fast lane
@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40),
    gaps=st.lists(st.floats(0.0, 0.4), min_size=40, max_size=40),
)
def test_every_key_comes_out_once_as_typing_or_in_a_burst(text, gaps):
    detector = WedgeDetector()
    bursts, released = type_keys(detector, text, gaps)
    typed = "".join(text[k] for k in released if k != "ENTER")
    assert len(typed) + sum(len(b) for b in bursts) == len(text)
    assert all(b in text for b in bursts)


def test_routing_codes_mrz_lines_badges_and_noise():
    assert route(f"  {CODE.lower()}\n").kind is ScanKind.CODE
    assert route(CODE[:50] + " " + CODE[50:]).text == CODE
    assert route(MRZ_LINE).kind is ScanKind.MRZ_LINE
    assert route("G1-000042").kind is ScanKind.BADGE
    assert route("hello world").kind is ScanKind.UNKNOWN
    assert route("P<FRA").kind is ScanKind.UNKNOWN


def test_routing_survives_a_scanner_on_the_wrong_keyboard_layout():
    for mismatch in MISMATCHES:
        assert route(retype(CODE, mismatch)).kind is ScanKind.CODE
        assert route(retype(MRZ_LINE, mismatch)).kind is ScanKind.MRZ_LINE
        badge = route(retype("G1-000042", mismatch))
        assert (badge.kind, badge.text) == (ScanKind.BADGE, "G1-000042")
