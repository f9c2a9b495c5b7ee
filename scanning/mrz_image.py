"""Read a machine-readable zone from a picture: OpenCV finds the band, Tesseract reads it,
the check digits decide.

The kiosk reads with `scanning.mrz_glyphs` (faster and surer, see docs/scanning.md), which
shares `locate` and `resolve` from here; `read_mrz_image` stays as the benchmark's
comparison (bench/mrz_read.py).

1. `locate`: the MRZ is two or three lines of dark, evenly spaced characters; a black-hat
   filter and a horizontal gradient make such text bright, closing joins it into blobs, and
   the blobs much wider than tall are candidate bands (any rotation: minimum-area boxes).
2. Each band is turned upright and read by Tesseract (`tesseract` CLI, English model,
   MRZ characters only), keeping every character's box and confidence.
3. OCR-B is monospaced, so each line is a row of equal cells, and each cell is also compared
   with the 37 OCR-B glyphs. Tesseract's English model is weak exactly where the MRZ is
   unlike prose: runs of "<" fillers (it merges them into wide "K"s, reads them as "K" or
   drops some) and I/T. Tesseract's character stands unless the glyph comparison clearly
   contradicts it; cells it left empty or covered with a box wider than a cell take the
   glyph comparison's answer. O and 0, identical in OCR-B, are left to Tesseract and the
   check digits.
4. `scanning.mrz.parse` checks the result: a reading is accepted only when every check digit
   agrees (after its O/0-style repairs) and no character that no check digit covers (names,
   states) is in doubt. Otherwise the next view of the band (binarised, sharpened) is read;
   characters two views read differently are in doubt from then on.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import product
from math import prod

import cv2
import numpy as np

from scanning.decoders import gray
from scanning.mrz import (
    FILLER,
    MrzError,
    MrzResult,
    character_classes,
    parse,
    unchecked_positions,
)

MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
OCR_B = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"  # Debian fonts-ocr-b
LOCATE_WIDTH = 800  # the band is searched for in a copy this wide
LINE_PX = 34  # characters are read at about this height
CONTRADICTS = 0.05  # glyph-score lead over Tesseract's character that overrules it
CLOSE = 0.05  # a rival glyph scoring this close makes a character unsure
MAX_READINGS = 256  # combinations of unsure characters tried against the check digits
_LOOK_ALIKE = ("OQD0", "8B", "5S", "1IT", "2Z", "6G")  # OCR-B shapes told apart by detail
_ALLOWED = {
    "A": frozenset(MRZ_CHARS[:26] + "<"),
    "9": frozenset("0123456789<"),
    "X": frozenset(MRZ_CHARS),
}
_WIDTHS = {3: (30,), 2: (44, 36)}  # TD1; TD3/MRV-A, TD2/MRV-B
_HOCR_CHAR = re.compile(r"x_bboxes (\d+) (\d+) (\d+) (\d+); x_conf ([\d.]+)'>([^<]*)</span>")


class MrzImageError(ValueError):
    """No MRZ could be read from the picture, and why."""


@dataclass(frozen=True)
class Band:
    """Where an MRZ band lies in the picture: a rotated rectangle."""

    centre: tuple[float, float]
    size: tuple[float, float]  # width along the lines, height across them
    angle: float  # degrees, as OpenCV's rotated rectangles count them

    @property
    def corners(self) -> tuple[tuple[int, int], ...]:
        """The four corners in picture pixels."""
        box = cv2.boxPoints((self.centre, self.size, self.angle))
        return tuple((round(float(x)), round(float(y))) for x, y in box)


@dataclass(frozen=True)
class MrzRead:
    """An MRZ read from a picture and accepted by its check digits."""

    result: MrzResult
    text: str  # the lines, as read and accepted
    band: Band
    attempts: int  # Tesseract runs it took


@dataclass(frozen=True)
class _Char:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    conf: float

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2


def tesseract_available() -> bool:
    """Whether the `tesseract` command (Debian tesseract-ocr) is installed."""
    return shutil.which("tesseract") is not None


def locate(image: np.ndarray) -> list[Band]:
    """Candidate MRZ bands in `image`, the likeliest (widest) first.

    The filters are upright rectangles, so a tilted band comes out short or broken: the
    picture is levelled by the first guess's angle and searched again.
    """
    g = gray(image)
    scale = LOCATE_WIDTH / g.shape[1]
    small = cv2.resize(g, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    first = _bands(small)
    if not first or abs(first[0].angle) < 1:
        return [_scaled(b, 1 / scale) for b in first]
    h, w = small.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), first[0].angle, 1.0)
    level = cv2.warpAffine(small, turn, (w, h), borderMode=cv2.BORDER_REPLICATE)
    back = cv2.invertAffineTransform(turn)
    found = []
    for b in _bands(level):
        cx, cy = back @ np.array([*b.centre, 1.0])
        found.append(
            Band(
                (cx / scale, cy / scale),
                (b.size[0] / scale, b.size[1] / scale),
                b.angle + first[0].angle,
            )
        )
    return found


def _scaled(band: Band, f: float) -> Band:
    return Band(
        (band.centre[0] * f, band.centre[1] * f), (band.size[0] * f, band.size[1] * f), band.angle
    )


def _bands(small: np.ndarray) -> list[Band]:
    """Blobs of dense, evenly spaced dark text much wider than tall, widest first."""
    small = cv2.GaussianBlur(small, (3, 3), 0)
    line = cv2.getStructuringElement(cv2.MORPH_RECT, (13, 5))
    block = cv2.getStructuringElement(cv2.MORPH_RECT, (21, 21))
    blackhat = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, line)
    grad = np.absolute(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    grad = cv2.normalize(grad, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    grad = cv2.morphologyEx(grad, cv2.MORPH_CLOSE, line)
    mask = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    mask = cv2.erode(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, block), None, iterations=2)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    bands = []
    for contour in contours:
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if w < h:
            w, h, angle = h, w, angle - 90
        angle = (angle + 90) % 180 - 90  # the smallest turn that levels the lines
        if w > 0.25 * small.shape[1] and w > 4 * h:
            bands.append(Band((cx, cy), (w, h), angle))
    return sorted(bands, key=lambda b: -b.size[0])


def read_mrz_image(image: np.ndarray, today: date | None = None) -> MrzRead:
    """The MRZ in `image`, accepted only when its check digits agree; MrzImageError if none."""
    if not tesseract_available():
        raise MrzImageError("the tesseract command is not installed (Debian tesseract-ocr)")
    g = gray(image)
    bands = locate(g)[:3]
    if not bands:
        raise MrzImageError("no machine-readable zone found in the picture")
    attempts, reasons = 0, []
    for band in bands:
        upright = _upright(g, band)
        seen: dict[tuple[int, int, int], set[str]] = {}  # (width, line, position) -> read as
        for variant in _variants(upright):
            attempts += 1
            for lines, doubts in _readings(variant):
                _remember(seen, lines, doubts)
                accepted = resolve(lines, doubts, today)
                if isinstance(accepted, str):
                    reasons.append(accepted)
                    continue
                result, text = accepted
                return MrzRead(result, text, band, attempts)
    first = reasons[0] if reasons else "no two or three full-width lines of characters"
    raise MrzImageError(f"a machine-readable zone was found but not read: {first}")


def _remember(
    seen: dict[tuple[int, int, int], set[str]],
    lines: list[str],
    doubts: dict[tuple[int, int], str],
) -> None:
    """Fold this reading into what earlier views of the same band read, and make every
    character the views disagree on unsure, with all their answers as alternatives."""
    width = len(lines[0])
    for number, line in enumerate(lines, 1):
        for pos, char in enumerate(line, 1):
            answers = seen.setdefault((width, number, pos), set())
            answers.add(char)
            if len(answers) > 1:
                known = doubts.get((number, pos), char)
                doubts[(number, pos)] = known + "".join(sorted(answers - set(known)))


def resolve(
    lines: list[str], doubts: dict[tuple[int, int], str], today: date | None
) -> tuple[MrzResult, str] | str:
    """The one reading the check digits accept among the alternatives for the unsure
    characters, or why there is none.

    An unsure character no check digit covers (a name, a state) cannot be settled. Under
    check digits every combination of alternatives is tried: one digit catches any single
    misread, but two misreads can cancel out, so the reading stands only when exactly one
    combination passes."""
    try:
        failure = None
        shape = parse("\n".join(lines), today).format
    except MrzError as err:
        failure, shape = str(err), None
    if shape:
        unchecked = sorted(set(doubts) & unchecked_positions(shape))
        if unchecked:
            line, pos = unchecked[0]
            return f"unsure of line {line} position {pos}, which no check digit covers"
    if prod(len(alternatives) for alternatives in doubts.values()) > MAX_READINGS:
        return f"unsure of too many characters ({len(doubts)})"
    passing = {}
    for choice in product(*doubts.values()):
        cells = [list(line) for line in lines]
        for (line, pos), char in zip(doubts, choice, strict=True):
            cells[line - 1][pos - 1] = char
        text = "\n".join("".join(row) for row in cells)
        try:
            result = parse(text, today)
        except MrzError:
            continue
        if not set(doubts) & unchecked_positions(result.format):
            passing.setdefault(result.to_id_reading(), (result, text))
    if len(passing) == 1:
        return next(iter(passing.values()))
    if passing:
        return f"{len(passing)} readings of the unsure characters pass the check digits"
    return failure or "no reading of the unsure characters passes the check digits"


def _upright(g: np.ndarray, band: Band) -> np.ndarray:
    """The band cut out and turned level, with a margin, lines `LINE_PX`-ish high."""
    (cx, cy), (w, h) = band.centre, band.size
    m = cv2.getRotationMatrix2D((cx, cy), band.angle, 1.0)
    level = cv2.warpAffine(
        g, m, (g.shape[1], g.shape[0]), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    w, h = w * 1.06, h * 1.5
    x0, y0 = max(int(cx - w / 2), 0), max(int(cy - h / 2), 0)
    crop = level[y0 : int(cy + h / 2), x0 : int(cx + w / 2)]
    rows = _rows(crop)
    line_height = np.median([b - a for a, b in rows]) if rows else crop.shape[0] / 3
    f = LINE_PX / max(line_height, 1)
    return cv2.resize(
        crop, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA
    )


def _variants(upright: np.ndarray):
    """The band as Tesseract is shown it: grey first, then binarised, then sharpened."""
    yield upright
    yield cv2.threshold(upright, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    soft = cv2.GaussianBlur(upright, (0, 0), 2)
    yield cv2.addWeighted(upright, 1.8, soft, -0.8, 0)


def _ink(img: np.ndarray) -> np.ndarray:
    """Dark-on-light text as a 0/1 mask."""
    return (cv2.threshold(img, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]).astype(np.uint8)


def _rows(img: np.ndarray) -> list[tuple[int, int]]:
    """The text lines of the band, top to bottom, as (top, bottom) pixel rows.

    Only lines nearly as wide as the widest count: an MRZ line is full of characters or
    fillers from end to end, the card's other text is not.
    """
    ink = _ink(img)
    profile = ink.sum(axis=1).astype(np.float32)
    on = profile > 0.25 * profile.max() if profile.max() else profile > 0
    runs, start = [], None
    for y, v in enumerate([*on, False]):
        if v and start is None:
            start = y
        elif not v and start is not None:
            if y - start >= 4:
                runs.append((start, y))
            start = None
    widths = [_extent(ink, run) for run in runs]
    widest = max((x1 - x0 for x0, x1 in widths), default=0)
    return [r for r, (x0, x1) in zip(runs, widths, strict=True) if x1 - x0 > 0.8 * widest]


def _extent(ink: np.ndarray, row: tuple[int, int]) -> tuple[int, int]:
    """Leftmost and rightmost column of character-sized ink in a line (a card's edge or a
    photo crossing the line is taller than a character and does not count)."""
    top, bottom = row
    height = bottom - top
    around = ink[max(top - height // 2, 0) : bottom + height // 2]
    count, _, stats, _ = cv2.connectedComponentsWithStats(around, connectivity=8)
    tall = [
        s
        for s in stats[1:count]
        if 0.4 * height <= s[cv2.CC_STAT_HEIGHT] <= 1.6 * height
        and s[cv2.CC_STAT_WIDTH] <= 1.6 * height
    ]
    if not tall:
        return 0, 0
    return (
        min(int(s[cv2.CC_STAT_LEFT]) for s in tall),
        max(int(s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH]) for s in tall),
    )


def _tesseract(img: np.ndarray) -> list[_Char]:
    """Every character Tesseract reads in `img`, with its box and confidence."""
    ok, png = cv2.imencode(".png", img)
    if not ok:
        return []
    options = ["-c", f"tessedit_char_whitelist={MRZ_CHARS}", "-c", "hocr_char_boxes=1"]
    run = subprocess.run(
        ["tesseract", "stdin", "stdout", "--psm", "6", "-l", "eng", *options, "hocr"],
        input=png.tobytes(),
        capture_output=True,
        timeout=30,
        check=False,
    )
    chars = []
    for x0, y0, x1, y1, conf, text in _HOCR_CHAR.findall(run.stdout.decode("utf-8", "replace")):
        text = html.unescape(text)
        if len(text) == 1 and text in MRZ_CHARS:
            chars.append(_Char(text, (int(x0), int(y0), int(x1), int(y1)), float(conf)))
    return chars


def _readings(img: np.ndarray):
    """Candidate MRZ texts from one Tesseract run over the band: the lines, and for each
    character read without certainty, its (line, position) from 1 and the characters it
    may be, likeliest first."""
    rows = _rows(img)
    if len(rows) > 3:
        rows = rows[-3:]
    if len(rows) not in _WIDTHS:
        return
    chars = _tesseract(img)
    ink = _ink(img)
    top, bottom = rows[0]
    x0, x1 = _extent(ink, rows[0])
    count = (x1 - x0) * _cap_per_pitch() / max(bottom - top, 1)  # characters on a line
    for width in sorted(_WIDTHS[len(rows)], key=lambda w: abs(w - count)):
        lines, doubts = [], {}
        classes = character_classes(len(rows), width)
        for number, (row, kinds) in enumerate(zip(rows, classes, strict=True), 1):
            text, unsure = _line(img, ink, row, chars, kinds)
            lines.append(text)
            doubts |= {(number, pos): alternatives for pos, alternatives in unsure.items()}
        yield lines, doubts


def _line(
    img: np.ndarray, ink: np.ndarray, row: tuple[int, int], chars: list[_Char], kinds: str
) -> tuple[str, dict[int, str]]:
    """One MRZ line, a cell per class in `kinds`, and the characters it is unsure of: the
    position (from 1) and the characters it may be.

    Each cell holds only what its field may hold (letters in names, digits in dates).
    Tesseract's character stands unless the glyph comparison clearly contradicts it, or
    where the two name look-alikes; the glyph comparison fills the cells Tesseract left. A
    character is unsure when another allowed glyph scores within `CLOSE` of the best, or
    Tesseract and the glyphs name two look-alikes; and an O or 0 where both may stand
    always is."""
    top, bottom = row
    width = len(kinds)
    x0, x1 = _extent(ink, row)
    pitch = (x1 - x0) / (width - 0.25)  # glyphs sit in the middle of their cells
    read: list[str | None] = [None] * width
    for c in chars:
        i = int((c.cx - x0) // pitch)
        one_cell = c.box[2] - c.box[0] < 1.2 * pitch
        if top <= c.cy < bottom and 0 <= i < width and one_cell and read[i] is None:
            read[i] = c.text if c.text in _ALLOWED[kinds[i]] else None
    line, unsure = [], {}
    for i, tesseract in enumerate(read):
        scores = _glyph_scores(img, top, bottom, x0 + (i - 0.125) * pitch, pitch, kinds[i])
        best = max(scores, key=scores.__getitem__)
        if tesseract is None:
            take = best
        elif _alike(best, tesseract):
            take = tesseract  # look-alikes: Tesseract knows the shapes better than a template
        else:
            lead = scores[best] - scores.get(tesseract, -1.0)
            take = best if lead > CONTRADICTS else tesseract
        rivals = {c for c, v in scores.items() if v >= scores[best] - CLOSE}
        if tesseract is not None and _alike(tesseract, best):
            rivals |= {tesseract, best}
        if take in "O0" and kinds[i] == "X":
            rivals |= {"O", "0"}  # one shape in OCR-B: only a check digit can tell
        rivals.discard(take)
        if rivals:
            unsure[i + 1] = take + "".join(sorted(rivals))
        line.append(take)
    return "".join(line), unsure


def _alike(a: str, b: str) -> bool:
    return any(a in family and b in family for family in _LOOK_ALIKE)


def _glyph_scores(
    img: np.ndarray, top: int, bottom: int, x: float, pitch: float, kind: str = "X"
) -> dict[str, float]:
    """How much the cell at `x` looks like each OCR-B character (normalised correlation,
    the best over small shifts: cells are placed to a pixel or two)."""
    cap = bottom - top
    margin = max(cap // 5, 2)
    shift_x, shift_y = round(pitch * 0.3), 3
    y0, x0 = max(top - margin - shift_y, 0), max(int(x - shift_x), 0)
    region = img[y0 : bottom + margin + shift_y, x0 : int(x + pitch + shift_x)].astype(np.float32)
    scores = {}
    for char, template in _templates(cap, round(pitch), margin).items():
        if (
            char in _ALLOWED[kind]
            and region.shape[0] >= template.shape[0]
            and region.shape[1] >= template.shape[1]
        ):
            scores[char] = float(cv2.matchTemplate(region, template, cv2.TM_CCOEFF_NORMED).max())
    return scores or {FILLER: 0.0}


@lru_cache(maxsize=1)
def _cap_per_pitch() -> float:
    """OCR-B's capital height over its character pitch (the font is monospaced)."""
    from PIL import ImageFont

    font = ImageFont.truetype(OCR_B, 100)
    _, top, _, bottom = font.getbbox("H")
    return (bottom - top) / font.getlength("H")


@lru_cache(maxsize=32)
def _templates(cap: int, pitch: int, margin: int) -> dict[str, np.ndarray]:
    """Each MRZ character set in OCR-B in a cell `pitch` wide, capitals `cap` high."""
    from PIL import Image, ImageDraw, ImageFont

    probe = ImageFont.truetype(OCR_B, 100)
    _, top, _, bottom = probe.getbbox("H")
    font = ImageFont.truetype(OCR_B, max(round(100 * cap / (bottom - top)), 4))
    _, top, _, _ = font.getbbox("H")
    out = {}
    for char in MRZ_CHARS:
        canvas = Image.new("L", (pitch, cap + 2 * margin), 255)
        left = (pitch - font.getlength(char)) / 2
        ImageDraw.Draw(canvas).text((left, margin - top), char, fill=0, font=font)
        out[char] = np.array(canvas, dtype=np.float32)
    return out
