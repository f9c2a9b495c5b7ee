"""Tell OCR-B look-alikes apart (O and 0, 8 and B, 5 and S...) where correlation cannot.

Whole-glyph correlation is dominated by the strokes two look-alikes share, and a heavier or
blurrier print moves it more than the detail that differs (O's squarer shoulders against
0's oval). For each pair a linear discriminant (Fisher's, ridge-regularised) is trained
once, in memory, on the two glyphs rendered in OCR-B at many ink weights, blurs and sub-pixel
offsets: it weighs the pixels where they differ and discounts how print varies. A cell is
settled only when its projection lies beyond every training sample of the other glyph and
outside the middle of the gap between the two; otherwise it stays unsure and the check
digits, or a refusal, decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from scanning.mrz_image import OCR_B

_LOOK_ALIKES = "O0 OQ OD 0D 0Q DQ 8B 5S 2Z 1I 6G GQ EF MN HN HM"  # told apart by detail
PAIRS = frozenset(frozenset(pair) for pair in _LOOK_ALIKES.split())
_FINE = 4  # glyphs are drawn this many times larger, then thickened or thinned, then reduced


def render(char: str, cap: int, pitch: int, margin: int, scale: int = 1) -> np.ndarray:
    """`char` in OCR-B, black on white, capitals `cap` high, centred in a cell `pitch` wide
    with `margin` rows above and below, everything `scale` times larger."""
    from PIL import Image, ImageDraw, ImageFont

    probe = ImageFont.truetype(OCR_B, 100)
    _, top, _, bottom = probe.getbbox("H")
    font = ImageFont.truetype(OCR_B, round(100 * cap * scale / (bottom - top)))
    _, top, _, _ = font.getbbox("H")
    canvas = Image.new("L", (pitch * scale, (cap + 2 * margin) * scale), 255)
    left = (pitch * scale - font.getlength(char)) / 2
    ImageDraw.Draw(canvas).text((left, margin * scale - top), char, fill=0, font=font)
    return np.array(canvas, dtype=np.float32)


def _unit(patches: np.ndarray) -> np.ndarray:
    """Rows centred and of unit length: what normalised correlation compares."""
    centred = patches - patches.mean(axis=1, keepdims=True)
    return centred / (np.linalg.norm(centred, axis=1, keepdims=True) + 1e-3)


@lru_cache(maxsize=64)
def _samples(char: str, cap: int, pitch: int, margin: int) -> np.ndarray:
    """The glyph as print and camera vary it: ink from a pixel thinner to two thicker,
    blur up to 1.8 px, offsets up to half a pixel, heights 4 % either way."""
    fine = render(char, cap, pitch, margin, _FINE)
    h, w = fine.shape
    out = []
    for weight in (-4, -2, 0, 2, 4, 6, 8):  # fine pixels of ink added around each stroke
        k = np.ones((abs(weight) + 1,) * 2, np.uint8)
        inked = cv2.erode(fine, k) if weight > 0 else cv2.dilate(fine, k) if weight else fine
        for dx, dy, stretch in ((0, 0, 1), (2, 0, 1), (-2, 1, 1), (1, -2, 1.04), (-1, 2, 0.96)):
            m = np.float32([[1, 0, dx], [0, stretch, dy + (1 - stretch) * h / 2]])
            moved = cv2.warpAffine(inked, m, (w, h), borderValue=255)
            small = cv2.resize(moved, (pitch, cap + 2 * margin), interpolation=cv2.INTER_AREA)
            for blur in (0.0, 0.8, 1.3, 1.8):
                out.append(cv2.GaussianBlur(small, (0, 0), blur) if blur else small)
    return _unit(np.stack([p.ravel() for p in out]))


@dataclass(frozen=True)
class Discriminant:
    """Fisher's direction between two glyphs and how far their training samples reach."""

    first: str
    second: str
    weights: np.ndarray  # over a unit patch; the first glyph projects high
    offset: float  # the projection half-way between the two glyphs' means
    first_lowest: float  # the first glyph's lowest training projection, less the offset
    second_highest: float  # the second glyph's highest

    def decide(self, patch: np.ndarray) -> str | None:
        """Which of the two glyphs `patch` is, or None: it must lie beyond every training
        sample of the other glyph, and past the middle half of the gap between the two
        (a cell half-way between them, a blot, is neither)."""
        value = float(_unit(patch.reshape(1, -1))[0] @ self.weights) - self.offset
        if value > max(self.second_highest, self.first_lowest / 2):
            return self.first
        if value < min(self.first_lowest, self.second_highest / 2):
            return self.second
        return None


@lru_cache(maxsize=64)
def discriminant(pair: frozenset[str], cap: int, pitch: int, margin: int) -> Discriminant:
    """The trained discriminant for a pair of look-alikes at this cell geometry."""
    first, second = sorted(pair)
    a, b = _samples(first, cap, pitch, margin), _samples(second, cap, pitch, margin)
    # (S + rI)^-1 d with S = X'X the within-glyph scatter, solved through the samples'
    # Gram matrix XX' (Woodbury): there are fewer samples than pixels.
    x = np.vstack([a - a.mean(0), b - b.mean(0)]) / np.sqrt(len(a) + len(b) - 1)
    d = a.mean(0) - b.mean(0)
    ridge = 0.05 * float((x * x).sum()) / x.shape[1]
    gram = x @ x.T + ridge * np.eye(len(x))
    weights = (d - x.T @ np.linalg.solve(gram, x @ d)) / ridge
    weights /= np.linalg.norm(weights)
    mid = float((a.mean(0) + b.mean(0)) @ weights) / 2
    pa, pb = a @ weights - mid, b @ weights - mid
    return Discriminant(first, second, weights.astype(np.float32), mid, pa.min(), pb.max())
