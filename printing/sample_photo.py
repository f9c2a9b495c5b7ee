"""Synthetic identity photos: 3.5 x 4.5 proportions, JPEG well under 100 KB."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SIZE = (210, 270)  # 3.5 x 4.5 at 60 px/cm
SKIN = [(241, 194, 160), (224, 172, 105), (198, 134, 66), (141, 85, 36), (255, 219, 172)]
HAIR = [(40, 30, 20), (90, 60, 30), (200, 170, 110), (120, 120, 120), (20, 20, 20)]
SHIRT = [(30, 60, 120), (70, 70, 70), (120, 30, 40), (30, 90, 60), (200, 200, 210)]


def portrait(seed: int) -> bytes:
    """A recognisably different head-and-shoulders picture for each seed."""
    rng = random.Random(seed)
    w, h = SIZE
    img = Image.new("RGB", SIZE, (232, 236, 240))
    d = ImageDraw.Draw(img)
    skin, hair, shirt = rng.choice(SKIN), rng.choice(HAIR), rng.choice(SHIRT)
    d.ellipse((w * 0.08, h * 0.70, w * 0.92, h * 1.25), fill=shirt)
    d.rectangle((w * 0.42, h * 0.58, w * 0.58, h * 0.74), fill=skin)
    face = (w * 0.27, h * 0.18, w * 0.73, h * 0.66)
    hair_top = h * (0.10 + 0.05 * rng.random())
    d.ellipse((w * 0.24, hair_top, w * 0.76, h * 0.50), fill=hair)
    d.ellipse(face, fill=skin)
    eye_y = h * 0.38
    for x in (0.40, 0.60):
        d.ellipse((w * x - 6, eye_y - 4, w * x + 6, eye_y + 4), fill=(250, 250, 250))
        d.ellipse((w * x - 3, eye_y - 3, w * x + 3, eye_y + 3), fill=(50, 40, 30))
    d.arc((w * 0.42, h * 0.48, w * 0.58, h * 0.56), 20, 160, fill=(150, 60, 60), width=3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()
