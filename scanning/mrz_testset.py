"""A varied, reproducible set of camera pictures of ID documents, for tests and benchmarks.

Each specimen is a TD1 card or TD3 passport page with a random MRZ (names, numbers, dates,
states; check digits computed), rendered in OCR-B by `scanning.specimens.id_document`, given
a light guilloche and its own ink, then photographed under one condition: rotation,
perspective, blur, glare, low light, sensor noise, JPEG, a small document. Everything comes
from the seed, so the same seed gives the same picture on any machine; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import cv2
import numpy as np

from scanning import specimens as sp
from scanning.mrz import compose_td1, compose_td3

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM = _LETTERS + "0123456789"
_STATES = ("FRA", "BEL", "DEU", "NLD", "ITA", "ESP", "GBR", "USA", "POL", "UTO", "D", "IRL")
_SYLLABLES = "AN BER CO DU EL FO GI HAR IS JO KI LO MAR NE OR PI QUI RO SA TU UL VI WE XA YO ZE"
EPOCH = date(2026, 2, 14)  # the day the specimens' dates are drawn around


@dataclass(frozen=True)
class Specimen:
    """One picture of the set: what it shows and how it was taken."""

    seed: int
    condition: str
    mrz: str
    image: np.ndarray  # grayscale camera frame, 1280x720


def _name(rng: np.random.Generator, words: int) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES.split()) for _ in range(rng.integers(1, 5)))
        for _ in range(words)
    )


def random_mrz(rng: np.random.Generator, lines: int) -> str:
    """A valid MRZ of 3 lines (TD1, identity card) or 2 (TD3, passport) with random data."""
    number_length = int(rng.integers(7, 10))
    fields = {
        "issuing_state": str(rng.choice(_STATES)),
        "surname": _name(rng, int(rng.integers(1, 3))),
        "given_names": _name(rng, int(rng.integers(1, 4))),
        "document_number": "".join(rng.choice(list(_ALNUM), number_length)),
        "nationality": str(rng.choice(_STATES)),
        "birth_date": EPOCH - timedelta(days=int(rng.integers(18 * 365, 80 * 365))),
        "sex": str(rng.choice(["M", "F", "X"])),
        "expiry_date": EPOCH + timedelta(days=int(rng.integers(30, 3650))),
    }
    if lines == 3:
        return compose_td1(str(rng.choice(["ID", "I", "IR"])), **fields)
    return compose_td3("P", **fields)


def document(mrz: str, rng: np.random.Generator) -> np.ndarray:
    """The document with `mrz`, a faint guilloche behind its text and ink of its own weight."""
    doc = sp.id_document(mrz).astype(np.float32)
    h, w = doc.shape
    # A row and a column, broadcast: the same float32 values as full grids, half the work.
    xx = np.arange(w, dtype=np.float32)[None, :]
    yy = np.arange(h, dtype=np.float32)[:, None]
    f1, f2, phase = rng.uniform(0.02, 0.05), rng.uniform(0.01, 0.03), rng.uniform(0, 6.3)
    waves = np.sin(xx * f1 + 8 * np.sin(yy * f2 + phase)) * np.sin(yy * f1 * 0.7 + phase)
    paper = doc > 200
    doc[paper] -= (10 * (waves[paper] > 0.6)).astype(np.float32)
    ink = rng.choice(["thin", "plain", "bold"])
    kernel = np.ones((3, 3), np.uint8)
    if ink == "bold":
        doc = cv2.erode(doc, kernel)
    elif ink == "thin":
        doc = cv2.dilate(doc, np.ones((2, 2), np.uint8))
    return np.clip(doc, 0, 255).astype(np.uint8)


def _put(doc: np.ndarray, rng: np.random.Generator, fill=(0.75, 0.9), **where) -> np.ndarray:
    """The document on the desk, turned as `where` says, its outline filling `fill` of the
    frame (drawn from the range): all of it in view, as a clerk is asked to hold it."""
    h, w = doc.shape
    cos, sin = (abs(f(np.deg2rad(where.get("angle", 0.0)))) for f in (np.cos, np.sin))
    outline = np.zeros((round(w * sin + h * cos), round(w * cos + h * sin)))
    scale = sp.fitting(outline, rng.uniform(*fill))
    cx, cy = 0.5 + rng.uniform(-0.03, 0.03), 0.5 + rng.uniform(-0.03, 0.03)
    frame = sp.desk(seed=int(rng.integers(1 << 30)))
    return sp.place(frame, doc, sp.Placement(cx, cy, scale, **where))


def _tilted(doc: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return _put(doc, rng, angle=rng.uniform(-12, 12), tilt=rng.uniform(0, 0.12))


def _jpeg(frame: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE) if ok else frame


def _glare(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A lamp's reflection on the laminate, over the lower half where the MRZ lies."""
    where = (rng.uniform(0.3, 0.7), rng.uniform(0.6, 0.75))
    return sp.glare(frame, *where, rng.uniform(0.08, 0.14), rng.uniform(0.45, 0.65))


Condition = Callable[[np.ndarray, np.random.Generator], np.ndarray]
CONDITIONS: dict[str, Condition] = {
    "flat": lambda d, r: _put(d, r, angle=r.uniform(-2, 2)),
    "rotated": lambda d, r: _put(d, r, angle=r.choice([-1, 1]) * r.uniform(5, 30)),
    "perspective": lambda d, r: _put(d, r, angle=r.uniform(-6, 6), tilt=r.uniform(0.08, 0.22)),
    "blur": lambda d, r: sp.blur(_put(d, r, angle=r.uniform(-4, 4)), r.uniform(0.9, 1.6)),
    "glare": lambda d, r: _glare(_put(d, r, angle=r.uniform(-4, 4)), r),
    "low light": lambda d, r: sp.noise(
        sp.low_contrast(_put(d, r, angle=r.uniform(-4, 4)), 20, int(r.uniform(70, 100))),
        3,
        int(r.integers(1 << 30)),
    ),
    "noise": lambda d, r: sp.noise(
        _put(d, r, angle=r.uniform(-4, 4)), r.uniform(8, 16), int(r.integers(1 << 30))
    ),
    "jpeg": lambda d, r: _jpeg(_put(d, r, angle=r.uniform(-4, 4)), int(r.integers(25, 50))),
    "small": lambda d, r: _put(d, r, (0.55, 0.65), angle=r.uniform(-4, 4)),
    "mixed": lambda d, r: _jpeg(
        sp.noise(sp.blur(_tilted(d, r), 0.8), 6, int(r.integers(1 << 30))), 60
    ),
}
"""Ways a document is shown to the counter camera, each drawing its own amounts from the
generator: how far turned, how tilted, how blurred, how bright."""


def specimen(seed: int, condition: str) -> Specimen:
    """The picture of this seed under `condition`; even seeds are TD3, odd ones TD1."""
    rng = np.random.default_rng([seed, sorted(CONDITIONS).index(condition)])
    mrz = random_mrz(rng, 3 if seed % 2 else 2)
    return Specimen(seed, condition, mrz, CONDITIONS[condition](document(mrz, rng), rng))


def specimen_set(per_condition: int = 12, first_seed: int = 0) -> Iterator[Specimen]:
    """`per_condition` pictures under each condition (120 by default), generated one by one."""
    for condition in CONDITIONS:
        for seed in range(first_seed, first_seed + per_condition):
            yield specimen(seed, condition)
