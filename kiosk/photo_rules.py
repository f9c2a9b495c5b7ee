"""The published photo requirements a file can be checked against without decoding it.

An identity photo is a JPEG under 100 KB, in the 3.5 x 4.5 cm proportions (width to
height 7:9, within 3 %), and large enough to compare a face at the counter: at least
175 x 225 pixels (50 pixels a centimetre). The size in pixels is read from the JPEG's
frame header, so a file that claims to be a JPEG but has none is refused too. Checking
the picture itself (light, a face) needs an image library: scanning/desk_photo.py
(`check_photo`).
"""

from __future__ import annotations

from dataclasses import dataclass

PHOTO_LIMIT = 100 * 1024  # "JPEG under 100 KB"
# A photo taken at the desk travels to the hub inside a journal delivery row, which may
# hold 64 KB (hub/delivery_checks.py): 40 KB leaves room for base64 and the row.
DESK_PHOTO_LIMIT = 40 * 1024
RATIO = 35 / 45
RATIO_TOLERANCE = 0.03
MIN_SIZE = (175, 225)  # pixels: 50 a centimetre
JPEG_MAGIC = b"\xff\xd8\xff"
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_NO_LENGTH = {0x01, *range(0xD0, 0xD8)}


@dataclass(frozen=True)
class PhotoProblem:
    """Why a photo does not meet the requirements, in English and French."""

    message_en: str
    message_fr: str


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a JPEG's frame header, or None if there is none to read."""
    if not data.startswith(JPEG_MAGIC):
        return None
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _NO_LENGTH:
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in _SOF and i + 9 <= len(data):
            height = int.from_bytes(data[i + 5 : i + 7], "big")
            width = int.from_bytes(data[i + 7 : i + 9], "big")
            return (width, height) if width and height else None
        if marker == 0xDA or length < 2:  # image data before any frame header
            return None
        i += 2 + length
    return None


def photo_problems(data: bytes) -> list[PhotoProblem]:
    """What keeps `data` from being an identity photo as published; [] when it is one."""
    size = jpeg_size(data)
    if size is None:
        return [
            PhotoProblem("The photo is not a JPEG image.", "La photo n'est pas une image JPEG.")
        ]
    problems = []
    if len(data) > PHOTO_LIMIT:
        kb = len(data) // 1024
        problems.append(
            PhotoProblem(
                f"The photo is {kb} KB: identity photos must be under 100 KB.",
                f"La photo fait {kb} Ko : une photo d'identité fait moins de 100 Ko.",
            )
        )
    width, height = size
    if abs(width / height / RATIO - 1) > RATIO_TOLERANCE:
        problems.append(
            PhotoProblem(
                f"The photo is {width} x {height} pixels: not in the 3.5 x 4.5 cm proportions.",
                f"La photo fait {width} x {height} pixels : pas aux proportions 3,5 x 4,5 cm.",
            )
        )
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        problems.append(
            PhotoProblem(
                f"The photo is {width} x {height} pixels: too small to compare a face"
                f" (at least {MIN_SIZE[0]} x {MIN_SIZE[1]}).",
                f"La photo fait {width} x {height} pixels : trop petite pour comparer un visage"
                f" (au moins {MIN_SIZE[0]} x {MIN_SIZE[1]}).",
            )
        )
    return problems
