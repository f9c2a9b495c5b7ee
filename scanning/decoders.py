"""One small interface over the barcode decoders: zxing-cpp, zbar (pyzbar) and OpenCV's QR
detector. Each takes an image and returns the `Symbol`s it found, in frame pixels.

`default_decoder()` is the choice measured by bench/decoders.py (docs/scanning.md):
zxing-cpp restricted to the formats a counter meets, with fallbacks when it finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import cv2
import numpy as np

QR = "QR"
CODE128 = "CODE128"
PDF417 = "PDF417"
COUNTER_FORMATS = frozenset({QR, CODE128, PDF417})  # confirmation codes, badges, ID cards

Point = tuple[int, int]


@dataclass(frozen=True)
class Symbol:
    """One code found in an image."""

    format: str  # QR, CODE128, PDF417, or the decoder's own name for others
    text: str
    corners: tuple[Point, ...]  # outline in image pixels, clockwise from the top-left
    decoder: str

    @property
    def centre(self) -> Point:
        """The middle of the outline."""
        xs, ys = zip(*self.corners, strict=True)
        return round(sum(xs) / len(xs)), round(sum(ys) / len(ys))


class Decoder(Protocol):
    """Anything that finds codes in an image."""

    name: str

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """The codes found in `image` (grayscale or BGR)."""
        ...


def gray(image: np.ndarray) -> np.ndarray:
    """`image` as 8-bit grayscale (decoders binarise anyway; colour only costs time)."""
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        return cv2.cvtColor(image, code)
    return image


class ZxingDecoder:
    """zxing-cpp: QR, Code128, PDF417 and more; finds several codes per image."""

    def __init__(self, formats: Iterable[str] | None = COUNTER_FORMATS, fast: bool = False):
        import zxingcpp

        self._zx = zxingcpp
        names = {QR: "QRCode", CODE128: "Code128", PDF417: "PDF417"}
        self.formats = None if formats is None else frozenset(formats)
        self._options = {
            "try_rotate": not fast,  # fast: no rotated, inverted or downscaled search
            "try_downscale": not fast,
            "try_invert": not fast,
        }
        self._wanted = None if formats is None else ",".join(names[f] for f in sorted(formats))
        scope = "all formats" if formats is None else "+".join(sorted(formats))
        self.name = f"zxing-cpp ({scope}{', fast' if fast else ''})"

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """Codes found by zxing-cpp."""
        options = dict(self._options)
        if self._wanted:  # parsed per call: a kept BarcodeFormats outlives nanobind at exit
            options["formats"] = self._zx.barcode_formats_from_str(self._wanted)
        found = self._zx.read_barcodes(gray(image), **options)
        return [
            Symbol(_ZXING_NAMES.get(b.format.name, b.format.name), b.text, _zx_corners(b), "zxing")
            for b in found
        ]


_ZXING_NAMES = {"QRCode": QR, "Code128": CODE128, "PDF417": PDF417}


def _zx_corners(barcode) -> tuple[Point, ...]:
    p = barcode.position
    return tuple((c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))


class ZbarDecoder:
    """zbar through pyzbar (system libzbar0): QR and linear codes; it cannot read PDF417."""

    def __init__(self, formats: Iterable[str] | None = COUNTER_FORMATS):
        from pyzbar import pyzbar

        self._zbar = pyzbar
        names = {QR: pyzbar.ZBarSymbol.QRCODE, CODE128: pyzbar.ZBarSymbol.CODE128}
        self.formats = None if formats is None else frozenset(formats) & names.keys()
        self._symbols = None if formats is None else [names[f] for f in sorted(self.formats)]
        scope = "all formats" if formats is None else "+".join(sorted(self.formats))
        self.name = f"zbar ({scope})"

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """Codes found by zbar."""
        found = self._zbar.decode(gray(image), symbols=self._symbols)
        return [
            Symbol(
                _ZBAR_NAMES.get(s.type, s.type),
                s.data.decode("utf-8", "replace"),
                _clockwise(s.polygon),
                "zbar",
            )
            for s in found
        ]


_ZBAR_NAMES = {"QRCODE": QR, "CODE128": CODE128, "PDF417": PDF417}


class OpenCvQrDecoder:
    """OpenCV's own QR detector (QR only), classic or ArUco-based finder."""

    def __init__(self, aruco: bool = False):
        self._detector = cv2.QRCodeDetectorAruco() if aruco else cv2.QRCodeDetector()
        self.formats = frozenset({QR})
        self.name = f"OpenCV QR{' (ArUco)' if aruco else ''}"

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """QR codes found by OpenCV."""
        ok, texts, points, _ = self._detector.detectAndDecodeMulti(gray(image))
        if not ok or points is None:
            return []
        return [
            Symbol(QR, text, tuple((round(x), round(y)) for x, y in quad), "opencv")
            for text, quad in zip(texts, points, strict=True)
            if text
        ]


class RotatedDecoder:
    """Another decoder on copies of the image turned by `angles` degrees.

    zxing-cpp and zbar only search along rows and columns, so a linear or PDF417 code held at
    30 degrees is missed; turning the image back brings it within reach.
    """

    def __init__(self, decoder: Decoder, angles: Sequence[float] = (30, -30)):
        self.decoder = decoder
        self.angles = tuple(angles)
        self.name = f"{decoder.name} turned {'/'.join(f'{a:+g}' for a in self.angles)}°"

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """Codes found in the first turned copy that shows any, outlined in `image`'s pixels."""
        image = gray(image)
        h, w = image.shape
        for angle in self.angles:
            m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
            turned = cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
            found = self.decoder.decode(turned)
            if found:
                back = cv2.invertAffineTransform(m)
                return [moved(s, back) for s in found]
        return []


class ScaledDecoder:
    """Another decoder on the image enlarged by `factor`: small or washed-out modules gain
    the pixels a binariser needs."""

    def __init__(self, decoder: Decoder, factor: float = 1.5):
        self.decoder = decoder
        self.factor = factor
        self.name = f"{decoder.name} at x{factor:g}"

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """Codes found in the enlarged image, outlined in `image`'s pixels."""
        big = cv2.resize(
            gray(image), None, fx=self.factor, fy=self.factor, interpolation=cv2.INTER_CUBIC
        )
        back = np.array([[1 / self.factor, 0, 0], [0, 1 / self.factor, 0]])
        return [moved(s, back) for s in self.decoder.decode(big)]


def moved(symbol: Symbol, affine: np.ndarray) -> Symbol:
    """`symbol` with its outline mapped by a 2x3 affine matrix (back into a frame's pixels)."""
    points = np.array(symbol.corners, dtype=np.float64)
    out = points @ affine[:, :2].T + affine[:, 2]
    return replace(symbol, corners=tuple((round(x), round(y)) for x, y in out))


class FallbackDecoder:
    """The first decoder; the next ones in turn only when it finds nothing.

    On a camera most frames show no code, so `fallback_every=N` runs the slower fallbacks
    on one such frame in N only, keeping the frame rate; images decoded one at a time
    (the CLI) use N=1 and get every fallback.
    """

    def __init__(
        self, decoders: Sequence[Decoder], fallback_every: int = 1, name: str | None = None
    ):
        self.decoders = tuple(decoders)
        self.fallback_every = fallback_every
        self._empty = 0
        self.name = name or " / ".join(d.name for d in self.decoders)

    def decode(self, image: np.ndarray) -> list[Symbol]:
        """Codes found by the first decoder that finds any."""
        image = gray(image)
        first, *rest = self.decoders
        found = first.decode(image)
        if found:
            return found
        self._empty += 1
        if self._empty % self.fallback_every:
            return []
        for decoder in rest:
            found = decoder.decode(image)
            if found:
                return found
        return []


def _clockwise(polygon: Sequence[tuple[int, int]]) -> tuple[Point, ...]:
    """zbar's polygon (any order, sometimes many points) as its four hull corners."""
    points = np.array([(p[0], p[1]) for p in polygon], dtype=np.float32)
    if len(points) > 4:
        rect = cv2.minAreaRect(points)
        points = cv2.boxPoints(rect)
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    ordered = points[np.argsort(angles)]
    start = int(np.argmin(ordered.sum(axis=1)))  # top-left has the smallest x + y
    ordered = np.roll(ordered, -start, axis=0)
    return tuple((round(float(x)), round(float(y))) for x, y in ordered)


def all_decoders() -> list[Decoder]:
    """Every decoder the benchmark compares, the default last."""
    return [
        ZbarDecoder(formats=None),
        ZbarDecoder(),
        ZxingDecoder(formats=None),
        ZxingDecoder(),
        ZxingDecoder(fast=True),
        OpenCvQrDecoder(),
        OpenCvQrDecoder(aruco=True),
        default_decoder(),
    ]


def default_decoder(fallback_every: int = 1) -> FallbackDecoder:
    """The measured best (bench/decoders.py, docs/scanning.md): zxing-cpp on the
    counter's formats without its slower searches; when that finds nothing, zxing-cpp's full
    search, the same turned 30 degrees either way, then enlarged, then zbar (which reads
    small linear codes zxing-cpp misses)."""
    zxing = ZxingDecoder()
    return FallbackDecoder(
        [
            ZxingDecoder(fast=True),
            zxing,
            RotatedDecoder(zxing),
            ScaledDecoder(zxing),
            ZbarDecoder(),
        ],
        fallback_every,
        name="default: zxing-cpp fast, then full, turned, x1.5, zbar",
    )
