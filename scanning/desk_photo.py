"""A photo taken at the desk with the counter camera, and checked as published.

`take_photo` reads frames from a camera, a video file or a folder of images
(scanning/camera.py `open_source`), cuts the largest centred 3.5 x 4.5 box out of each,
scales it to 413 x 531 pixels (300 dpi) and encodes it as a JPEG of at most 40 KB (it
travels to the hub in a journal delivery: kiosk/photo_rules.py); it keeps the first
frame that passes `check_photo`, else the last one read, with what is wrong.

`check_photo` adds to the file's requirements (kiosk/photo_rules.py) what needs the
picture itself: light, from the mean and spread of its grey levels, then one face,
centred and large enough to compare (scanning/face_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.photo_rules import DESK_PHOTO_LIMIT, PhotoProblem, photo_problems
from scanning.camera import FrameSource
from scanning.face_check import face_problems

OUTPUT_SIZE = (413, 531)  # 3.5 x 4.5 cm at 300 dpi
DARKEST, BRIGHTEST = 70, 210  # mean grey level (0-255) of a usable portrait
FLATTEST = 20  # least spread of grey levels: below it, nothing can be compared
QUALITIES = (90, 80, 70, 60, 50, 40)


@dataclass(frozen=True)
class DeskPhoto:
    """A photo taken at the desk, and what keeps it from the requirements ([] if none)."""

    jpeg: bytes
    problems: list[PhotoProblem]

    @property
    def accepted(self) -> bool:
        """Whether it meets every requirement this kiosk checks."""
        return not self.problems


def light_problems(grey: np.ndarray) -> list[PhotoProblem]:
    """Too dark, too bright or too flat to compare a face."""
    mean, spread = float(grey.mean()), float(grey.std())
    if mean < DARKEST:
        return [PhotoProblem("The photo is too dark.", "La photo est trop sombre.")]
    if mean > BRIGHTEST:
        return [PhotoProblem("The photo is too bright.", "La photo est trop claire.")]
    if spread < FLATTEST:
        return [
            PhotoProblem(
                "The photo has too little contrast to compare a face.",
                "La photo manque de contraste pour comparer un visage.",
            )
        ]
    return []


def check_photo(jpeg: bytes) -> list[PhotoProblem]:
    """What keeps `jpeg` from being an identity photo: the file's requirements, then
    light, then the face."""
    problems = photo_problems(jpeg)
    if problems:
        return problems
    grey = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return [PhotoProblem("The photo cannot be read.", "La photo est illisible.")]
    return light_problems(grey) or face_problems(grey)


def portrait_of(frame: np.ndarray) -> bytes:
    """The largest centred 3.5 x 4.5 box of `frame`, at 300 dpi, as a JPEG of at most 40 KB."""
    height, width = frame.shape[:2]
    box_w = min(width, height * 7 // 9)
    box_h = box_w * 9 // 7
    left, top = (width - box_w) // 2, (height - box_h) // 2
    box = cv2.resize(frame[top : top + box_h, left : left + box_w], OUTPUT_SIZE, cv2.INTER_AREA)
    for quality in QUALITIES:
        ok, encoded = cv2.imencode(".jpg", box, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok and len(encoded) <= DESK_PHOTO_LIMIT:
            break
    return encoded.tobytes()


def take_photo(source: FrameSource, frames: int = 10) -> DeskPhoto | None:
    """The first of up to `frames` frames that passes `check_photo`, else the last one
    read with its problems; None when the source gave no frame at all."""
    last = None
    for _ in range(frames):
        frame = source.read()
        if frame is None:
            break
        jpeg = portrait_of(frame)
        last = DeskPhoto(jpeg, check_photo(jpeg))
        if last.accepted:
            break
    return last
