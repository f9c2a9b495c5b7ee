"""Read a machine-readable zone from a picture cell by cell against the OCR-B glyphs.

The MRZ is printed in one font (OCR-B) on a fixed grid (3 lines of 30, 2 of 36 or 2 of 44
characters), so no general OCR is needed:

1. `scanning.mrz_image.locate` finds the band; it is cut out level (and, when that does not
   read, turned half round: a document held upside down).
2. The paper is flattened (divided by its own blurred-out brightness: glare and shadow go),
   the ink is found, and its character-sized blobs are grouped into lines along their
   common slope. Each MRZ line gives its cells: the centres of the single-character blobs,
   numbered by the gaps between them, fit where every cell lies (a curve, for perspective),
   and the tops and bottoms of the blobs fit the line's height along it.
3. Each line is resampled into a strip of equal cells, and each cell is compared with the
   OCR-B glyphs its field allows (normalised correlation, sharp and blurred templates,
   small shifts): letters in names and states, digits in dates and check digits.
4. Look-alikes (O and 0, 8 and B...) that score close are settled, where they can be, by
   `scanning.mrz_lookalikes`' discriminants.
5. Check digits decide, as in `scanning.mrz_image`: a cell whose runner-up scores close to
   its best is unsure; unsure where no check digit reaches (names, states, sex) refuses the
   reading; elsewhere exactly one combination of the alternatives must pass every check.
6. A band that does not read is read again with its characters' lean straightened (a view
   turned and tilted at once), then turned half round (a document upside down).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise

import cv2
import numpy as np

from scanning.decoders import gray
from scanning.mrz import character_classes
from scanning.mrz_image import (
    MRZ_CHARS,
    OCR_B,
    Band,
    MrzImageError,
    MrzRead,
    locate,
    resolve,
)
from scanning.mrz_lookalikes import PAIRS, discriminant, render

CAP = 24  # glyph height in the resampled strips, pixels
MARGIN = 6  # strip rows above and below the glyphs
SHIFT = 3  # how far a glyph may sit off its cell sideways, strip pixels, each way
RISE = 2  # ... and up or down
UNSURE = 0.06  # a rival glyph scoring within this of the best makes a cell unsure
FLOOR = 0.45  # a cell whose best glyph scores below this is not a character at all
_WIDTHS = {3: (30,), 2: (44, 36)}
_ALLOWED = {
    "A": MRZ_CHARS[:26] + "<",
    "9": "0123456789<",
    "X": MRZ_CHARS,
}


@dataclass(frozen=True)
class _Blob:
    x0: int
    y0: int
    w: int
    h: int

    @property
    def cx(self) -> float:
        return self.x0 + self.w / 2

    @property
    def cy(self) -> float:
        return self.y0 + self.h / 2


def warm_up() -> None:
    """Draw the templates and train the look-alike discriminants now (about a second and a
    half) rather than in the first reads that need them."""
    _template_matrix()
    for pair in PAIRS:
        discriminant(pair, CAP, _pitch(), MARGIN - RISE)


def read_mrz_glyphs(image: np.ndarray, today: date | None = None) -> MrzRead:
    """The MRZ in `image`, accepted only when its check digits agree; MrzImageError if none."""
    g = gray(image)
    bands = locate(g)[:3]
    if not bands:
        raise MrzImageError("no machine-readable zone found in the picture")
    attempts, reasons = 0, []
    for band in bands:
        level = _level(g, band)
        upside_down = cv2.rotate(level, cv2.ROTATE_180)
        for view, deslant in ((level, False), (level, True), (upside_down, False)):
            attempts += 1
            found = _read_band(view, deslant)
            if isinstance(found, str):
                reasons.append(found)
                continue
            lines, doubts = found
            accepted = resolve(lines, doubts, today)
            if isinstance(accepted, str):
                reasons.append(accepted)
                continue
            result, text = accepted
            return MrzRead(result, text, band, attempts)
    raise MrzImageError(f"a machine-readable zone was found but not read: {reasons[0]}")


def _level(g: np.ndarray, band: Band) -> np.ndarray:
    """The band and a margin around it, cut out and turned level, paper flattened to white."""
    (cx, cy), (w, h) = band.centre, band.size
    out_w, out_h = int(w * 1.08) + 8, int(h * 1.7) + 8
    m = cv2.getRotationMatrix2D((cx, cy), band.angle, 1.0)
    m[:, 2] += (out_w / 2 - cx, out_h / 2 - cy)
    crop = cv2.warpAffine(
        g, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    k = max(int(h / 2) | 1, 9)
    paper = cv2.morphologyEx(
        crop, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    )
    paper = cv2.GaussianBlur(paper, (0, 0), k / 4)
    flat = crop.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    return np.clip(flat * 255, 0, 255).astype(np.uint8)


def _read_band(
    level: np.ndarray, deslant: bool = False
) -> tuple[list[str], dict[tuple[int, int], str]] | str:
    """The lines read from a level band and the unsure cells' alternatives, or why not;
    `deslant` first measures how the characters lean (`_slant`) and straightens them."""
    ink = _ink(level)
    blobs = _blobs(ink)
    if len(blobs) < 40:
        return "too few characters in the band"
    slope = _slope(blobs)
    lines = _lines(blobs, slope)
    if len(lines) not in _WIDTHS:
        return f"{len(lines)} lines of characters, not 2 or 3"
    for width in _WIDTHS[len(lines)]:
        grids = [_grid(line, width) for line in lines]
        if all(g is not None for g in grids):
            break
    else:
        return "the characters do not fall on an MRZ grid"
    if deslant:
        shear = _slant(level, grids[0], width)
        grids = [replace(g, shear=shear) for g in grids]
    text, doubts = [], {}
    for number, grid in enumerate(grids, 1):
        code = text[0][0] if text else ""  # the document code tells TD3 from MRV-A
        kinds = character_classes(len(lines), width, code)[number - 1]
        read, unsure = _classify(_strip(level, grid, width), kinds)
        refit = grid.refit(read) if read is not None else grid
        if read is not None and _moved(grid, refit):
            read, unsure = _classify(_strip(level, refit, width), kinds)
        if read is None:
            return f"line {number} has a cell that is no MRZ character"
        text.append(read)
        doubts |= {(number, pos): alternatives for pos, alternatives in unsure.items()}
    return text, doubts


def _ink(level: np.ndarray) -> np.ndarray:
    """Dark on light as a 0/1 mask."""
    smooth = cv2.GaussianBlur(level, (3, 3), 0)
    return cv2.threshold(smooth, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def _blobs(ink: np.ndarray) -> list[_Blob]:
    """Character-sized blobs of ink."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    raw = [_Blob(*(int(v) for v in s[:4])) for s in stats[1:count] if s[cv2.CC_STAT_AREA] >= 6]
    if not raw:
        return []
    tall = np.median([b.h for b in raw if b.h >= 5] or [5])
    heights = [b.h for b in raw if b.h >= 0.6 * tall]
    cap = float(np.median(heights)) if heights else tall
    return [b for b in raw if 0.55 * cap <= b.h <= 1.5 * cap and b.w <= 12 * cap]


def _slope(blobs: list[_Blob]) -> float:
    """The lines' remaining slope: the one that stacks the blobs' centres most sharply."""
    xs = np.array([b.cx for b in blobs])
    ys = np.array([b.cy for b in blobs])
    cap = float(np.median([b.h for b in blobs]))
    best, best_score = 0.0, -1.0
    for slope in np.linspace(-0.06, 0.06, 49):
        hist = np.bincount(((ys - slope * xs - ys.min() + 1000) / (cap / 3)).astype(int))
        score = float((hist.astype(np.float64) ** 2).sum())
        if score > best_score:
            best, best_score = float(slope), score
    return best


def _lines(blobs: list[_Blob], slope: float) -> list[list[_Blob]]:
    """The MRZ lines, top to bottom: blobs at one height along the slope, many of them and
    nearly as wide as the widest line (the document's other text is shorter)."""
    cap = float(np.median([b.h for b in blobs]))
    ordered = sorted(blobs, key=lambda b: b.cy - slope * b.cx)
    groups: list[list[_Blob]] = [[ordered[0]]]
    for b in ordered[1:]:
        last = groups[-1][-1]
        if (b.cy - slope * b.cx) - (last.cy - slope * last.cx) > 0.45 * cap:
            groups.append([])
        groups[-1].append(b)
    spans = [max(b.x0 + b.w for b in g) - min(b.x0 for b in g) for g in groups]
    widest = max(spans)
    full = [g for g, s in zip(groups, spans, strict=True) if len(g) >= 12 and s > 0.8 * widest]
    return [sorted(g, key=lambda b: b.x0) for g in full[-3:]]


@dataclass(frozen=True)
class _Grid:
    """Where the cells of one line lie: the centre x of cell i, and along x the baseline
    and the capital height; the single-character blobs it was fitted to, by cell."""

    x: np.ndarray  # polynomial in the cell number, highest power first
    base: np.ndarray  # polynomial in x
    cap: np.ndarray  # polynomial in x
    blobs: tuple[tuple[int, _Blob], ...]
    shear: tuple[float, ...] | np.ndarray = (0.0,)  # polynomial in x: how far x moves for
    # each pixel up or down (the characters lean in a view turned and tilted at once)

    def refit(self, text: str) -> _Grid:
        """The grid with its capital height fitted again now the characters are known:
        OCR-B's digits stand taller than its capitals, its fillers a little shorter."""
        heights = _heights()
        xs = [b.cx for _, b in self.blobs]
        caps = [b.h / heights[text[i]] for i, b in self.blobs]
        return replace(self, cap=np.polyfit(xs, caps, 1))


def _grid(line: list[_Blob], width: int) -> _Grid | None:
    """The line's cells, fitted to its single-character blobs; None if `width` cells do not
    fit it (another MRZ shape, or a line that is not all there)."""
    left, right = line[0].x0, max(b.x0 + b.w for b in line)
    pitch = (right - left) / (width - 0.3)
    singles = [b for b in line if b.w <= 1.15 * pitch]
    if len(singles) < width // 3:
        return None
    numbers = [round((singles[0].cx - left) / pitch - 0.35)]
    for a, b in pairwise(singles):
        numbers.append(numbers[-1] + max(round((b.cx - a.cx) / pitch), 1))
    if numbers[-1] > width - 1 or numbers[0] < 0:
        return None
    centres = np.array([b.cx for b in singles])
    x = np.polyfit(numbers, centres, 2 if len(singles) > width // 2 else 1)
    if abs(np.polyval(x, width - 1) + 0.35 * pitch - right) > 0.6 * pitch:
        return None
    xs = [b.cx for b in singles]
    base = np.polyfit(xs, [b.y0 + b.h for b in singles], 1)
    cap = np.polyfit(xs, [b.h for b in singles], 1)
    return _Grid(x, base, cap, tuple(zip(numbers, singles, strict=True)))


def _slant(level: np.ndarray, grid: _Grid, width: int) -> np.ndarray:
    """How the characters lean along the line, as a polynomial in x (a document seen turned
    and tilted at once leans its verticals towards a vanishing point): each cell's best
    shear among a few tried, by how well it then matches a glyph, fitted along x."""
    shears = np.linspace(-0.32, 0.32, 9)
    fit = np.stack(
        [_scores(_strip(level, replace(grid, shear=(s,)), width), width).max(0) for s in shears]
    )  # (shear, cell)
    gain = fit.max(axis=0) - np.median(fit, axis=0)
    xs = np.polyval(grid.x, np.arange(width))
    return np.polyfit(xs, shears[fit.argmax(axis=0)], 1, w=gain + 1e-3)


def _moved(grid: _Grid, refit: _Grid) -> bool:
    """Whether the refitted capital height differs enough to resample the line."""
    xs = np.array([b.cx for _, b in grid.blobs])
    return bool(np.abs(np.polyval(refit.cap, xs) / np.polyval(grid.cap, xs) - 1).max() > 0.015)


def _strip(level: np.ndarray, grid: _Grid, width: int) -> np.ndarray:
    """The line resampled into `width` equal cells, capitals `CAP` high on a common
    baseline, `MARGIN` rows above and below, `SHIFT` columns beyond each end."""
    pitch = _pitch()
    cols = np.arange(-SHIFT, width * pitch + SHIFT, dtype=np.float32)
    cell = (cols + 0.5) / pitch - 0.5  # cell number of each column, centres at integers
    xs = np.polyval(grid.x, cell).astype(np.float32)
    rows = (np.arange(CAP + 2 * MARGIN, dtype=np.float32) - MARGIN - CAP + 0.5) / CAP
    base, cap = np.polyval(grid.base, xs), np.polyval(grid.cap, xs)
    map_y = (base[None, :] + rows[:, None] * cap[None, :]).astype(np.float32)
    lean = np.polyval(grid.shear, xs)
    map_x = (xs[None, :] + (lean * cap)[None, :] * (rows[:, None] + 0.5)).astype(np.float32)
    return cv2.remap(level, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _classify(strip: np.ndarray, kinds: str) -> tuple[str | None, dict[int, str]]:
    """The line's characters, and its unsure cells (from 1) with their alternatives."""
    scores = _scores(strip, len(kinds))
    text, unsure = [], {}
    for i, kind in enumerate(kinds):
        allowed = [MRZ_CHARS.index(c) for c in _ALLOWED[kind]]
        cell = scores[allowed, i]
        best = int(cell.argmax())
        if cell[best] < FLOOR:
            return None, {}
        char = _ALLOWED[kind][best]
        rivals = [
            _ALLOWED[kind][j] for j in np.flatnonzero(cell >= cell[best] - UNSURE) if j != best
        ]
        if rivals:
            settled = _settle(strip, i, [char, *rivals])
            if settled:
                char = settled
            else:
                unsure[i + 1] = char + "".join(sorted(rivals))
        text.append(char)
    return "".join(text), unsure


def _settle(strip: np.ndarray, i: int, candidates: list[str]) -> str | None:
    """The one of `candidates` (look-alikes all) that cell `i` is: the one each of whose
    pairs' discriminants settles on it (the others' pairs may stay unsure); None when no
    candidate beats every rival, or a pair is no look-alike."""
    pairs = [frozenset((a, b)) for a in candidates for b in candidates if a < b]
    if not all(pair in PAIRS for pair in pairs):
        return None
    pitch = _pitch()
    th, tw = _template_matrix()[1]
    region = strip[:, i * pitch : i * pitch + tw + 2 * SHIFT].astype(np.float32)
    fit = np.max(
        [cv2.matchTemplate(region, _templates()[c][1], cv2.TM_CCOEFF_NORMED) for c in candidates],
        axis=0,
    )
    dy, dx = np.unravel_index(int(fit.argmax()), fit.shape)
    patch = region[dy : dy + th, dx : dx + tw]
    wins = {c: 0 for c in candidates}
    for pair in pairs:
        winner = discriminant(pair, CAP, pitch, MARGIN - RISE).decide(patch)
        if winner is not None:
            wins[winner] += 1
    best = max(wins, key=wins.__getitem__)
    return best if wins[best] == len(candidates) - 1 else None  # it beat every rival


def _scores(strip: np.ndarray, width: int) -> np.ndarray:
    """How much each cell looks like each glyph: an array (glyph, cell), the best
    normalised correlation over the templates' variants and shifts of up to `SHIFT`.

    Every shifted cell is one row of a matrix and every template one column, so all the
    correlations are one matrix product."""
    matrix, (th, tw) = _template_matrix()
    reach = 2 * SHIFT + 1
    pixels = strip.astype(np.float32)
    rows = pixels.shape[0] - th + 1
    # Each (row, cell, shift) window viewed in place, then copied once into the patches:
    # the same values a fancy index of all windows gives, at less than half the cost.
    if (width - 1) * _pitch() + reach - 1 + tw > pixels.shape[1] or rows < 1:
        # as_strided checks no bounds: a strip too small would be read past its end.
        raise ValueError(f"a strip of {pixels.shape} holds no {width} cells")
    s0, s1 = pixels.strides
    view = np.lib.stride_tricks.as_strided(
        pixels, (rows, width, reach, th, tw), (s0, _pitch() * s1, s1, s0, s1), writeable=False
    )
    patches = view.reshape(-1, th * tw)
    patches -= patches.mean(axis=1, keepdims=True)
    norms = np.sqrt(np.einsum("ij,ij->i", patches, patches))[:, None] + 1e-3
    corr = patches @ matrix
    corr /= norms
    # One axis at a time, outermost first: a max over several strided axes is much slower.
    best = corr.reshape(rows, width, reach, -1).max(axis=0).max(axis=1)
    return best.reshape(width, len(MRZ_CHARS), -1).max(axis=2).T


@lru_cache(maxsize=1)
def _pitch() -> int:
    """A cell's width in the strips: OCR-B's pitch at `CAP` capital height."""
    from PIL import ImageFont

    font = ImageFont.truetype(OCR_B, 100)
    _, top, _, bottom = font.getbbox("H")
    return round(CAP * font.getlength("H") / (bottom - top))


@lru_cache(maxsize=1)
def _templates() -> dict[str, tuple[np.ndarray, ...]]:
    """Each MRZ character in OCR-B, sharp, blurred and bold-and-blurred, the height of a
    strip less its margin's slack (so it may sit a few rows off), one cell wide."""
    out = {}
    for char in MRZ_CHARS:
        sharp = render(char, CAP, _pitch(), MARGIN - RISE)
        bold = cv2.erode(sharp, np.ones((2, 2), np.uint8))
        out[char] = (
            sharp,
            cv2.GaussianBlur(sharp, (0, 0), 1.5),
            cv2.GaussianBlur(bold, (0, 0), 1.2),
        )
    return out


@lru_cache(maxsize=1)
def _heights() -> dict[str, float]:
    """Each MRZ character's ink height in OCR-B over its capitals' height."""
    from PIL import ImageFont

    font = ImageFont.truetype(OCR_B, 100)
    _, top, _, bottom = font.getbbox("H")
    return {c: (font.getbbox(c)[3] - font.getbbox(c)[1]) / (bottom - top) for c in MRZ_CHARS}


@lru_cache(maxsize=1)
def _template_matrix() -> tuple[np.ndarray, tuple[int, int]]:
    """The templates as the columns of one matrix, each centred and of unit length (glyph
    after glyph in `MRZ_CHARS` order, variants side by side), and their shape."""
    templates = _templates()
    shape = templates[MRZ_CHARS[0]][0].shape
    columns = [t.ravel() - t.mean() for c in MRZ_CHARS for t in templates[c]]
    matrix = np.stack([c / np.linalg.norm(c) for c in columns], axis=1).astype(np.float32)
    return matrix, shape
