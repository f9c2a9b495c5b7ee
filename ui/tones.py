"""Short distinct tones for a verdict the clerk may not be looking at: issue, redirect,
refuse, printer fault. Off unless the administrator switches them on (settings).

The tones are made here as small WAV files (16-bit mono, 16 kHz, a few hundred
milliseconds), so nothing is shipped or downloaded: issue rises (two notes up), redirect
repeats one middle note, refuse falls low and long, a printer fault beeps three times.
They play through QtMultimedia's QSoundEffect, which is not part of PySide6-Essentials
(it comes with PySide6-Addons): without it `Tones.available` is False, the setting is
kept but nothing sounds, and the log says why once.
"""

from __future__ import annotations

import io
import logging
import math
import struct
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
    """Plays the tones when `enabled`; silent (and says so once in the log) without
    QtMultimedia."""

    def __init__(self, enabled: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[Tone] = []  # what was asked to sound, in order (shown in tests)
        self._effects: dict[Tone, object] = {}
        self._folder: tempfile.TemporaryDirectory | None = None
        self.available = self._load() if enabled else False

    def _load(self) -> bool:
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            log.warning("tones are switched on but QtMultimedia is not installed: no sound")
            return False
        self._folder = tempfile.TemporaryDirectory(prefix="kiosk-tones-")
        for tone in Tone:
            path = Path(self._folder.name) / f"{tone.value}.wav"
            path.write_bytes(tone_wav(tone))
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
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
