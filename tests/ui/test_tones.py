"""The counter's tones: four short distinct WAVs made in code, and a player that stays
silent unless the settings switch it on."""

from __future__ import annotations

import io
import wave

import pytest

from ui.tones import NOTES, RATE, Tone, Tones, tone_wav


@pytest.mark.parametrize("tone", list(Tone))
def test_each_tone_is_a_short_mono_wav(tone):
    with wave.open(io.BytesIO(tone_wav(tone))) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        seconds = w.getnframes() / RATE
        frames = w.readframes(w.getnframes())
    assert 0.15 <= seconds <= 0.6  # short: it announces, it does not play a tune
    assert max(frames) > 0  # not silence


def test_the_four_tones_differ():
    assert len({tone_wav(t) for t in Tone}) == len(Tone)
    assert len({NOTES[t] for t in Tone}) == len(Tone)


def test_switched_off_nothing_is_played(qapp):
    tones = Tones(False)
    tones.play(Tone.REFUSE)
    assert tones.played == [] and not tones.available


def test_switched_on_each_tone_asked_is_played_in_order(qapp):
    tones = Tones(True)
    tones.play(Tone.ISSUE)
    tones.play(Tone.PRINTER_FAULT)
    assert tones.played == [Tone.ISSUE, Tone.PRINTER_FAULT]
    try:
        import PySide6.QtMultimedia  # noqa: F401
    except ImportError:
        assert not tones.available  # PySide6-Essentials has no QtMultimedia: silent, logged
    else:
        assert tones.available
