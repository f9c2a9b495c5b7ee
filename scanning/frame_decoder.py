"""The camera's decoder: a 1080p frame in a few milliseconds, without reading fewer codes.

A camera gives a frame every 33 ms and a code held up stays in view for many of them, so
the costly searches need not run on every frame. Per frame, cheapest first, stopping at
the first pass that finds a code:

1. the region around the last code found, at full resolution, for its format (a code
   held up stays where it was);
2. the whole frame at half scale, for the formats the counter expects next (`expect`);
3. on one frame in `SLOW_EVERY` without a new code (none, or only those already read),
   one slower pass in turn: the whole frame at full resolution for the expected formats,
   then for every counter format, then each fallback of `default_decoder` (full search,
   turned, enlarged, zbar), one per turn, so that no frame pays for all of them and a
   second code beside a held one is read too.

Frames that arrive while one is decoded are dropped, never queued (`camera.Mailbox`).
bench/decoders.py measures the time per frame and the codes read within a second of
frames against `default_decoder` in the same run (docs/benchmarks-scanning.md).
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from scanning.decoders import (
    COUNTER_FORMATS,
    Decoder,
    Symbol,
    ZxingDecoder,
    default_decoder,
    gray,
    moved,
)

SLOW_EVERY = 3  # one codeless frame in three runs the next slower pass
REGION_FRAMES = 30  # the last code's region is searched first for a second at 30 fps
REGION_MARGIN = 0.6  # around the code, this fraction of its size on each side


class FrameDecoder:
    """Decodes camera frames: cheap passes every frame, slower ones in turn (module doc)."""

    name = "camera: last region, half scale, slower passes in turn"

    def __init__(self, expected: Iterable[str] = COUNTER_FORMATS) -> None:
        self.formats = COUNTER_FORMATS
        self._fast: dict[frozenset[str], ZxingDecoder] = {}
        self.expect(expected)
        self._region: tuple[int, int, int, int, str] | None = None  # x0, y0, x1, y1, format
        self._since_hit = REGION_FRAMES + 1
        self._seen: set[str] = set()  # texts read since the region was set
        self._quiet = 0  # frames without a new code
        self._turn = 0  # the next slower pass

    def expect(self, formats: Iterable[str]) -> None:
        """Search these formats first (e.g. QR while the counter waits for a confirmation
        code); the others are still read, a few frames later."""
        wanted = frozenset(formats) & COUNTER_FORMATS
        self.expected = wanted or COUNTER_FORMATS
        self._slow: list[Decoder] = [  # with every format expected the first two are one
            self._fast_for(self.expected),  # pass, run twice a round: the cheapest of them
            self._fast_for(COUNTER_FORMATS),
            *default_decoder().decoders[1:],
        ]

    def _fast_for(self, formats: frozenset[str]) -> ZxingDecoder:
        if formats not in self._fast:
            self._fast[formats] = ZxingDecoder(formats, fast=True)
        return self._fast[formats]

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """The codes in this frame: those of the cheapest pass that finds any, and on one
        frame in `SLOW_EVERY` without a new code, those of the next slower pass too."""
        frame = gray(image)
        self._since_hit += 1
        if self._since_hit > REGION_FRAMES:
            self._region, self._seen = None, set()
        found = self._in_region(frame) or self._half_scale(frame)
        if not {s.text for s in found} - self._seen:  # nothing new: a slower pass in turn
            self._quiet += 1
            if self._quiet % SLOW_EVERY == 0:
                slow = self._slow[self._turn % len(self._slow)].decode(frame)
                self._turn += 1
                found = [*found, *(s for s in slow if s.text not in {f.text for f in found})]
        if found:
            self._remember(found, frame.shape)
        return found

    def _in_region(self, frame: np.ndarray) -> list[Symbol]:
        if self._region is None or self._since_hit > REGION_FRAMES:
            return []
        x0, y0, x1, y1, fmt = self._region
        found = self._fast_for(frozenset({fmt})).decode(frame[y0:y1, x0:x1])
        return [moved(s, np.array([[1.0, 0, x0], [0, 1.0, y0]])) for s in found]

    def _half_scale(self, frame: np.ndarray) -> list[Symbol]:
        half = cv2.resize(frame, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        found = self._fast_for(self.expected).decode(half)
        return [moved(s, np.array([[2.0, 0, 0], [0, 2.0, 0]])) for s in found]

    def _remember(self, found: list[Symbol], shape: tuple[int, ...]) -> None:
        """Keep the first code's region (with a margin) for the next frames."""
        news = {s.text for s in found} - self._seen
        if news:
            self._seen |= news
            self._quiet = 0
        self._since_hit = 0
        if found[0].format not in COUNTER_FORMATS:
            self._region = None
            return
        xs, ys = zip(*found[0].corners, strict=True)
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        dx, dy = round(w * REGION_MARGIN) + 8, round(h * REGION_MARGIN) + 8
        height, width = shape[:2]
        self._region = (
            max(0, min(xs) - dx),
            max(0, min(ys) - dy),
            min(width, max(xs) + dx),
            min(height, max(ys) + dy),
            found[0].format,
        )
