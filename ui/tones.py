"""Short distinct tones for a verdict the clerk may not be looking at: issue, redirect,
refuse, printer fault. Off unless the administrator switches them on (settings).

The tones are made here as small WAV files (16-bit mono, 16 kHz, a few hundred
milliseconds), so nothing is shipped or downloaded: issue rises (two notes up), redirect
repeats one middle note, refuse falls low and long, a printer fault beeps three times.
They play through QtMultimedia's QSoundEffect where PySide6-Addons is installed, else
through ALSA's `aplay` (Debian's alsa-utils, which scripts/setup.sh installs) on the
machine's default sound device, as the system's sound settings route it. A tone asked
for while the last one still sounds cuts it short: the newer verdict is the one that
counts. With neither player, `Tones.available` is False, the setting is kept, nothing
sounds and the log says why once.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QUrl

log = logging.getLogger(__name__)

RATE = 16_000
VOLUME = 0.35  # of full scale: audible at a desk, not startling


class Tone(StrEnum):
    """What a tone announces."""

    ISSUE = "issue"
    REDIRECT = "redirect"
    REFUSE = "refuse"
    PRINTER_FAULT = "printer_fault"


# Each tone as (frequency in Hz, milliseconds) steps; a frequency of 0 is a silence.
NOTES: dict[Tone, tuple[tuple[int, int], ...]] = {
    Tone.ISSUE: ((660, 90), (0, 30), (880, 140)),
    Tone.REDIRECT: ((587, 110), (0, 70), (587, 110)),
    Tone.REFUSE: ((330, 160), (220, 320)),
    Tone.PRINTER_FAULT: ((988, 70), (0, 60), (988, 70), (0, 60), (988, 70)),
}


def tone_wav(tone: Tone) -> bytes:
    """The WAV file of `tone`: its notes with 5 ms fades, so no note clicks."""
    samples: list[int] = []
    for freq, ms in NOTES[tone]:
        n = RATE * ms // 1000
        fade = RATE * 5 // 1000
        for i in range(n):
            edge = min(1.0, i / fade, (n - 1 - i) / fade)
            value = math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
            samples.append(round(32767 * VOLUME * edge * value))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return out.getvalue()


class Tones(QObject):
    """Plays the tones when `enabled`, through QtMultimedia or else ALSA's `aplay`;
    silent (and says so once in the log) with neither."""

    def __init__(self, enabled: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[Tone] = []  # what was asked to sound, in order (shown in tests)
        self._effects: dict[Tone, object] = {}
        self._folder: tempfile.TemporaryDirectory | None = None
        self._aplay: str | None = None
        self._sounding: subprocess.Popen | None = None
        self._failure_said = False
        self.available = self._load() if enabled else False

    def _wav(self, tone: Tone) -> Path:
        assert self._folder is not None
        return Path(self._folder.name) / f"{tone.value}.wav"

    def _load(self) -> bool:
        self._folder = tempfile.TemporaryDirectory(prefix="kiosk-tones-")
        for tone in Tone:
            self._wav(tone).write_bytes(tone_wav(tone))
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            self._aplay = shutil.which("aplay")
            if self._aplay is None:
                log.warning(
                    "tones are switched on but neither QtMultimedia nor aplay (Debian's "
                    "alsa-utils) is installed: no sound"
                )
            return self._aplay is not None
        for tone in Tone:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(self._wav(tone))))
            self._effects[tone] = effect
        return True

    def play(self, tone: Tone) -> None:
        """Sound `tone` if tones are on (nothing otherwise)."""
        if not self.enabled:
            return
        self.played.append(tone)
        effect = self._effects.get(tone)
        if effect is not None:
            effect.play()
        elif self._aplay is not None:
            self._cut_short()
            try:
                self._sounding = subprocess.Popen(
                    [self._aplay, "--quiet", str(self._wav(tone))],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as err:  # aplay gone since: the verdict on screen is what counts
                log.warning("aplay could not be started (%s): no sound from now on", err)
                self._aplay, self._sounding = None, None

    def _cut_short(self) -> None:
        """End the tone still sounding, if any (and reap its process); the first time one
        failed (no sound device), say so in the log."""
        last = self._sounding
        if last is None:
            return
        if last.poll() is None:
            last.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                last.wait(1)
        elif last.returncode != 0 and not self._failure_said:
            self._failure_said = True
            log.warning(
                "aplay could not sound a tone (exit status %s): check this machine's sound "
                "device (aplay -l)",
                last.returncode,
            )
