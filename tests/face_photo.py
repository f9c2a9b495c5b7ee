"""Camera frames of a real face for the desk photo's checks.

tests/data/face.jpg is a crop of NASA's portrait of astronaut Eileen Collins (public
domain; the copy shipped as scikit-image's `astronaut.png`), 360 x 463 pixels. The demo
world's drawn portraits (printing/sample_photo.py) are not faces to the detector.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

FACE = Path(__file__).parent / "data" / "face.jpg"


def head() -> np.ndarray:
    """The face photo, 360 x 463, BGR."""
    return cv2.imread(str(FACE), cv2.IMREAD_COLOR)


def counter_frame(seed: int = 0, gain: float = 1.0, at: tuple[int, int] = (140, 9)):
    """A 640 x 480 frame: the face before the counter's wall (a shade per `seed`, and
    mirrored for odd seeds, so each seed gives another photo), its top left corner `at`,
    lit by `gain` (below 1: a dim counter)."""
    frame = np.full((480, 640, 3), 200 - 7 * (seed % 8), np.uint8)
    face = head()[:, ::-1] if seed % 2 else head()
    x, y = at
    frame[y : y + 463, x : x + 360] = face[: 480 - y, : 640 - x]
    return np.clip(frame.astype(np.float32) * gain, 0, 255).astype(np.uint8)
