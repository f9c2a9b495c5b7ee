"""PDFs drawn in several threads at once: a counter's background threads render badges,
slips and letters side by side, and the hub serves letters from a thread pool."""

from __future__ import annotations

import sys
import threading
from dataclasses import replace

import pytest
from reportlab import rl_config

from printing.badge_pdf import badge_pdf_bytes
from printing.preview import sample_card

THREADS = 6
RENDERS = 12
# Names in four scripts, so that every document needs glyph subsets of its own.
NAMES = ["Żółć", "Παπαδόπουλος", "Иванова", "Dvořák", "Þórsdóttir", "Šimić", "Ångström"]


@pytest.fixture
def rapid_switching(monkeypatch):
    """Threads switched every microsecond instead of every 5 ms, and PDFs made without
    dates or random IDs, so that two renders of one card give the same bytes."""
    monkeypatch.setattr(rl_config, "invariant", 1)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _cards(thread: int) -> list:
    base = sample_card("annual")
    return [
        replace(base, surname=f"{NAMES[(thread + k) % len(NAMES)]} {k}") for k in range(RENDERS)
    ]


@pytest.mark.slow  # over a second: out of the fast lane
def test_badges_rendered_in_threads_at_once_are_whole(rapid_switching):
    # reportlab reads glyphs through one file position per font: before fonts.SharedTTFont
    # two documents saved at once cut subsets from each other's positions (IndexError,
    # KeyError in makeSubset, most runs of this test).
    expected = {card: badge_pdf_bytes(card) for t in range(THREADS) for card in _cards(t)}
    start = threading.Barrier(THREADS)
    got, failures = {}, []

    def render(thread: int) -> None:
        start.wait()
        for card in _cards(thread):
            try:
                got[card] = badge_pdf_bytes(card)
            except Exception as error:  # every failure is reported below
                failures.append(repr(error))

    threads = [threading.Thread(target=render, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [card.surname for card in expected if got[card] != expected[card]] == []
