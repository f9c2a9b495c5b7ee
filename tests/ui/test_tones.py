"""The counter's tones: four short distinct WAVs made in code, and a player that stays
silent unless the settings switch it on; without QtMultimedia they sound through ALSA's
aplay, caught here by ALSA's own file device (a ~/.asoundrc, as an administrator would
route the machine's sound)."""

from __future__ import annotations

import io
import sys
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


def sounded(path) -> bytes | None:
    """The samples ALSA wrote to `path`, None while there is no whole WAV there yet."""
    try:
        with wave.open(str(path)) as w:
            return w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error):
        return None


def samples(tone: Tone) -> bytes:
    with wave.open(io.BytesIO(tone_wav(tone))) as w:
        return w.readframes(w.getnframes())


def is_tone(got: bytes | None, tone: Tone) -> bool:
    """`got` is `tone`, then the silence aplay adds to fill its last period."""
    want = samples(tone)
    return got is not None and got.startswith(want) and not got[len(want) :].strip(b"\0")


@pytest.fixture
def alsa_to_file(tmp_path, monkeypatch):
    """The machine's default sound device is a WAV file (ALSA's file device, into ALSA's
    null device), and QtMultimedia is not there: the tones go to aplay."""
    heard = tmp_path / "heard.wav"
    (tmp_path / ".asoundrc").write_text(
        f'pcm.!default {{ type file slave.pcm "null" file "{heard}" format "wav" }}\n'
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # an ImportError
    return heard


@pytest.mark.slow
def test_without_qtmultimedia_a_tone_sounds_through_alsa(qapp, qtbot, alsa_to_file):
    tones = Tones(True)
    assert tones.available
    tones.play(Tone.REFUSE)
    qtbot.waitUntil(lambda: is_tone(sounded(alsa_to_file), Tone.REFUSE), timeout=30_000)


@pytest.mark.slow
def test_a_new_verdict_cuts_the_last_tone_short(qapp, qtbot, alsa_to_file):
    tones = Tones(True)
    tones.play(Tone.REFUSE)
    tones.play(Tone.ISSUE)  # the device's file starts again with the newer tone
    qtbot.waitUntil(lambda: is_tone(sounded(alsa_to_file), Tone.ISSUE), timeout=30_000)
    assert tones.played == [Tone.REFUSE, Tone.ISSUE]  # asked for in order


def test_with_no_player_at_all_tones_are_unavailable_and_silent(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no aplay
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    tones = Tones(True)
    tones.play(Tone.ISSUE)
    assert not tones.available and tones.played == [Tone.ISSUE]


@pytest.mark.slow
def test_a_machine_whose_sound_device_fails_is_named_in_the_log_once(
    qapp, qtbot, tmp_path, monkeypatch, caplog
):
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw card 99 }\n")  # no such card
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    tones = Tones(True)
    tones.play(Tone.ISSUE)
    qtbot.waitUntil(lambda: tones._sounding.poll() is not None, timeout=30_000)
    for tone in (Tone.REFUSE, Tone.REDIRECT):
        tones.play(tone)
        qtbot.waitUntil(lambda: tones._sounding.poll() is not None, timeout=30_000)
    said = [r.getMessage() for r in caplog.records if "aplay could not" in r.getMessage()]
    assert len(said) == 1 and "check this machine's sound device" in said[0]


def test_an_aplay_gone_since_start_is_logged_and_the_screen_goes_on(
    qapp, tmp_path, monkeypatch, caplog
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aplay = bin_dir / "aplay"
    aplay.write_text("#!/bin/sh\n")
    aplay.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    tones = Tones(True)
    assert tones.available
    aplay.unlink()  # alsa-utils removed while the kiosk runs
    tones.play(Tone.REFUSE)  # no exception into the counter screen's rendering
    tones.play(Tone.ISSUE)
    assert tones.played == [Tone.REFUSE, Tone.ISSUE]
    said = [r.getMessage() for r in caplog.records if "could not be started" in r.getMessage()]
    assert len(said) == 1
