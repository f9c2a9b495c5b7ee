"""Rendered specimens of what a counter camera sees, for tests, benchmarks and demos.

Codes (QR, Code128, PDF417) drawn by zxing-cpp, printed pages rendered with pdftoppm,
identity documents with their MRZ set in OCR-B, placed in a camera frame and degraded the
way a real one is: blur, rotation, perspective, low contrast, phone-screen glare, noise.
Every function is deterministic for a given `seed`.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")  # Debian fonts-ocr-b
SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FRAME_720P = (1280, 720)
FRAME_1080P = (1920, 1080)

_WRITE_FORMATS = {
    "QR": zxingcpp.BarcodeFormat.QRCode,
    "CODE128": zxingcpp.BarcodeFormat.Code128,
    "PDF417": zxingcpp.BarcodeFormat.PDF417,
}


def barcode_image(text: str, fmt: str, module_px: int = 3, margin: int = 6) -> np.ndarray:
    """`text` as a grayscale barcode of format QR, CODE128 or PDF417 on white paper
    (`margin` modules of it around the symbol's own quiet zone)."""
    symbol = zxingcpp.create_barcode(text, _WRITE_FORMATS[fmt])
    image = np.array(symbol.to_image(scale=module_px), dtype=np.uint8)
    if fmt == "CODE128":  # one row of modules: give the bars a printable height
        image = cv2.resize(image, (image.shape[1], 30 * module_px), interpolation=cv2.INTER_NEAREST)
    pad = margin * module_px
    return cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def pdf_page(pdf: Path | bytes, dpi: int = 150, page: int = 1) -> np.ndarray:
    """One page of a PDF as a grayscale image, rendered by pdftoppm (poppler-utils)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes())
        out = Path(tmp) / "page"
        pages = ["-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run(
            ["pdftoppm", "-gray", "-png", "-r", str(dpi), *pages, str(src), str(out)],
            check=True,
            capture_output=True,
        )
        return cv2.imread(str(out.with_suffix(".png")), cv2.IMREAD_GRAYSCALE)


def crop_around(page: np.ndarray, fmt: str, margin: float = 0.3) -> np.ndarray:
    """The part of a rendered page around its code of format `fmt`, with `margin` (a share
    of the code's size) of the page around it: what a clerk holds up to the camera."""
    from scanning.decoders import ZxingDecoder

    symbol = next(s for s in ZxingDecoder().decode(page) if s.format == fmt)
    xs, ys = zip(*symbol.corners, strict=True)
    pad = margin * max(max(xs) - min(xs), max(ys) - min(ys))
    h, w = page.shape[:2]
    top, bottom = max(int(min(ys) - pad), 0), min(int(max(ys) + pad), h)
    left, right = max(int(min(xs) - pad), 0), min(int(max(xs) + pad), w)
    return page[top:bottom, left:right]


def letter_item(pdf: Path | bytes) -> np.ndarray:
    """A confirmation letter's QR code held up to a 720p camera: about 4 pixels a module."""
    return crop_around(pdf_page(pdf, dpi=117), "QR")


def badge_item(pdf: Path | bytes) -> np.ndarray:
    """A badge's Code128 held close to a 720p camera: its 0.25 mm bars about 3 pixels wide."""
    return crop_around(pdf_page(pdf, dpi=305), "CODE128", margin=0.15)


# --- Identity documents ----------------------------------------------------------------

PX_PER_MM = 12  # rendering resolution of specimen documents
MRZ_PITCH_MM = 2.54  # Doc 9303: ten characters per inch
MRZ_LINE_MM = 4.23  # six lines per inch
_CARD_MM = {1: (85.6, 53.98), 3: (125.0, 88.0)}  # TD1 card, TD3 passport data page


def id_document(mrz: str, title: str = "IDENTITY CARD / CARTE D'IDENTITÉ") -> np.ndarray:
    """A specimen identity document (TD1 card or TD3 passport page) whose MRZ is `mrz`."""
    lines = mrz.strip().splitlines()
    w_mm, h_mm = _CARD_MM[1 if len(lines) == 3 else 3]
    w, h = round(w_mm * PX_PER_MM), round(h_mm * PX_PER_MM)
    page = Image.new("L", (w, h), 236)
    draw = ImageDraw.Draw(page)
    mm = PX_PER_MM
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=3 * mm, outline=150, width=2)
    draw.text((5 * mm, 3 * mm), title, fill=40, font=ImageFont.truetype(str(SANS_BOLD), 3 * mm))
    top = h - (len(lines) * MRZ_LINE_MM + 3) * mm  # where the MRZ starts
    photo_w = round(w_mm * 0.28 * mm)
    photo_h = min(photo_w * 9 // 7, round(top - 11 * mm))
    draw.rectangle((5 * mm, 9 * mm, 5 * mm + photo_w, 9 * mm + photo_h), fill=170)
    small = ImageFont.truetype(str(SANS), round(2.4 * mm))
    x = 5 * mm + photo_w + 4 * mm
    for row, label in enumerate(("Surname / Nom", "Given names / Prénoms", "Nationality")):
        draw.text((x, 9 * mm + row * 7 * mm), label, fill=110, font=small)
        draw.line((x, 9 * mm + row * 7 * mm + 5 * mm, w - 5 * mm, 9 * mm + row * 7 * mm + 5 * mm))
    font = _ocr_b(MRZ_PITCH_MM * mm)
    left = (w - len(lines[0]) * MRZ_PITCH_MM * mm) / 2
    for i, line in enumerate(lines):
        for j, char in enumerate(line):
            draw.text(
                (left + j * MRZ_PITCH_MM * mm, top + i * MRZ_LINE_MM * mm), char, fill=20, font=font
            )
    return np.array(page)


def _ocr_b(pitch_px: float) -> ImageFont.FreeTypeFont:
    """OCR-B at the size whose character advance is `pitch_px` (it is monospaced)."""
    probe = ImageFont.truetype(str(OCR_B), 100)
    return ImageFont.truetype(str(OCR_B), round(100 * pitch_px / probe.getlength("0")))


# --- Camera frames ---------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where a flat item lies in the camera frame: centre, size, rotation, tilt.

    Items are drawn at their own pixel size in a 1280-wide frame, scaled with the frame.
    """

    cx: float  # centre, as a fraction of frame width
    cy: float  # ... and of frame height
    scale: float = 1.0  # on top of the frame's own scaling
    angle: float = 0.0  # degrees, counter-clockwise
    tilt: float = 0.0  # perspective: 0 flat, 0.3 strongly tilted away at the top


def fitting(item: np.ndarray, fill: float = 0.85) -> float:
    """The `Placement.scale` at which `item` fills `fill` of a frame's width or height."""
    h, w = item.shape[:2]
    return fill * min(FRAME_720P[0] / w, FRAME_720P[1] / h)


def desk(size: tuple[int, int] = FRAME_720P, seed: int = 0) -> np.ndarray:
    """A plain grey background with a little texture, `size` = (width, height)."""
    return _desk(tuple(size), seed).copy()


@lru_cache(maxsize=16)
def _desk(size: tuple[int, int], seed: int) -> np.ndarray:
    """`desk`, drawn once per size and seed: tests and benchmarks put many items on the
    same few desks, and drawing a 1080p one's noise costs more than copying it."""
    rng = np.random.default_rng(seed)
    w, h = size
    base = np.linspace(95, 125, w, dtype=np.float32)[None, :].repeat(h, axis=0)
    texture = cv2.GaussianBlur(rng.normal(0, 12, (h, w)).astype(np.float32), (0, 0), 3)
    out = np.clip(base + texture, 0, 255).astype(np.uint8)
    out.flags.writeable = False  # shared by every caller: `desk` hands out copies
    return out


def place(frame: np.ndarray, item: np.ndarray, where: Placement) -> np.ndarray:
    """`item` (grayscale) drawn into `frame` by a perspective warp; returns a new frame."""
    fh, fw = frame.shape[:2]
    ih, iw = item.shape[:2]
    width = iw * where.scale * fw / FRAME_720P[0]
    height = ih * where.scale * fw / FRAME_720P[0]
    top_w = width * (1 - where.tilt)  # the far edge looks narrower
    corners = np.array(
        [
            [-top_w / 2, -height / 2 * (1 - where.tilt / 2)],
            [top_w / 2, -height / 2 * (1 - where.tilt / 2)],
            [width / 2, height / 2],
            [-width / 2, height / 2],
        ]
    )
    a = np.deg2rad(where.angle)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    dst = corners @ rot.T + [where.cx * fw, where.cy * fh]
    src = np.array([[0, 0], [iw, 0], [iw, ih], [0, ih]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(item, m, (fw, fh), flags=cv2.INTER_AREA, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(item, 255), m, (fw, fh), flags=cv2.INTER_NEAREST)
    out = frame.copy()
    out[mask > 0] = warped[mask > 0]
    return out


def blur(frame: np.ndarray, sigma: float) -> np.ndarray:
    """Out of focus: Gaussian blur of `sigma` pixels."""
    return cv2.GaussianBlur(frame, (0, 0), sigma)


def low_contrast(frame: np.ndarray, lo: int = 90, hi: int = 160) -> np.ndarray:
    """A dim, washed-out picture: the full range squeezed into lo..hi."""
    return (lo + frame.astype(np.float32) * (hi - lo) / 255).astype(np.uint8)


def glare(frame: np.ndarray, cx: float, cy: float, radius: float, strength: float) -> np.ndarray:
    """A phone screen's reflection: a bright soft spot washing out part of the picture."""
    h, w = frame.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d2 = ((xx - cx * w) ** 2 + (yy - cy * h) ** 2) / (radius * w) ** 2
    alpha = strength * np.exp(-d2)
    return (frame * (1 - alpha) + 255 * alpha).astype(np.uint8)


def noise(frame: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    """Sensor noise of `sigma` grey levels."""
    rng = np.random.default_rng(seed)
    return np.clip(frame + rng.normal(0, sigma, frame.shape), 0, 255).astype(np.uint8)


def screen(item: np.ndarray) -> np.ndarray:
    """A code shown on a phone: light and dark not quite white and black, pixel grid visible."""
    out = 40 + item.astype(np.float32) * (200 - 40) / 255
    out[::3, :] *= 0.9
    out[:, ::3] *= 0.9
    return out.astype(np.uint8)


Condition = Callable[[list[np.ndarray], tuple[int, int], int], np.ndarray]


def _scene(items: list[np.ndarray], size, seed, where: list[Placement]) -> np.ndarray:
    frame = desk(size, seed)
    for item, placement in zip(items, where, strict=False):
        frame = place(frame, item, placement)
    return frame


def _one(where: Placement, after: Callable[[np.ndarray], np.ndarray] = lambda f: f) -> Condition:
    return lambda items, size, seed: after(_scene(items[:1], size, seed, [where]))


CENTRE = Placement(0.5, 0.5)
CONDITIONS: dict[str, Condition] = {
    "sharp": _one(CENTRE),
    "far (small)": _one(Placement(0.5, 0.5, 0.6)),
    "blurred": _one(CENTRE, lambda f: blur(f, 2.2)),
    "rotated": _one(Placement(0.5, 0.5, angle=33)),
    "perspective": _one(Placement(0.5, 0.5, 1.05, angle=8, tilt=0.35)),
    "low contrast": _one(CENTRE, lambda f: noise(low_contrast(f, 100, 150), 4)),
    "phone glare": lambda items, size, seed: noise(
        glare(_scene([screen(items[0])], size, seed, [CENTRE]), 0.47, 0.45, 0.09, 0.8), 5, seed
    ),
    "several codes": lambda items, size, seed: _scene(
        items,
        size,
        seed,
        [
            Placement(0.2, 0.4, 0.7),
            Placement(0.62, 0.25, 0.7, angle=-5),
            Placement(0.66, 0.72, 0.7, angle=4),
        ],
    ),
}
"""Ways a code shows up in front of the camera: each takes the code images (the first one
for single-code conditions), the frame size and a seed, and returns a grayscale frame."""
