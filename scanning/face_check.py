"""Whether a desk photo shows one face, centred and large enough to compare.

The detector is OpenCV's frontal-face Haar cascade (haarcascade_frontalface_default.xml),
shipped in `cv2.data` by opencv-contrib-python-headless (OpenCV 5 moved it out of the
main package). Its box runs from the brows to the mouth and about the face's width.

Thresholds, on the 413 x 531 desk photo (3.5 x 4.5 cm at 300 dpi):
- a face narrower than 30 % of the photo's width is too small: a published identity
  photo's face (32-36 mm chin to crown in 45 mm) gives a box of about 40-50 % of the
  width; 30 % allows a person a little further back, not a head half the size;
- the box's centre must lie within 10 % of the width (about 3.5 mm) of the middle, and
  between 30 % and 55 % of the height from the top (head up, shoulders below; a
  published photo puts it near 43 %);
- boxes narrower than 10 % of the width are not counted: at that size the cascade finds
  patterns in a wall or a shirt, not a face the clerk could compare.

One cascade per thread: a cascade searching two photos at once in two threads (OpenCV
runs it without the GIL) gave wrong boxes, most of the time.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np

from kiosk.photo_rules import PhotoProblem

CASCADE = "haarcascade_frontalface_default.xml"
LEAST_FACE = 0.30  # of the photo's width
LEAST_BOX = 0.10  # of the photo's width: smaller boxes are not faces to compare
OFF_CENTRE = 0.10  # of the width, either side of the middle
HEAD_BAND = (0.30, 0.55)  # of the height from the top: where the face's centre belongs


_loaded = threading.local()


def _cascade() -> cv2.CascadeClassifier | None:
    """This thread's face cascade, or None when this OpenCV does not ship it."""
    if not hasattr(_loaded, "cascade"):
        folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
        cascade = None
        if folder is not None and hasattr(cv2, "CascadeClassifier"):
            cascade = cv2.CascadeClassifier(folder + CASCADE)
        _loaded.cascade = None if cascade is None or cascade.empty() else cascade
    return _loaded.cascade


def faces(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The (x, y, width, height) boxes of the faces found in `grey`, largest first."""
    cascade = _cascade()
    if cascade is None:
        raise LookupError(CASCADE)
    least = max(24, int(grey.shape[1] * LEAST_BOX))
    found = cascade.detectMultiScale(
        cv2.equalizeHist(grey), scaleFactor=1.1, minNeighbors=5, minSize=(least, least)
    )
    return sorted((tuple(int(v) for v in box) for box in found), key=lambda b: -b[2])


def face_problems(grey: np.ndarray) -> list[PhotoProblem]:
    """No face, more than one, one too small or off-centre; [] for one good face."""
    try:
        found = faces(grey)
    except LookupError:
        return [
            PhotoProblem(
                "This kiosk cannot check faces: its face detector is missing.",
                "Ce kiosque ne peut pas vérifier les visages : son détecteur de visages manque.",
            )
        ]
    if not found:
        return [
            PhotoProblem(
                "No face is found in the photo: the person must face the camera.",
                "Aucun visage n'est trouvé sur la photo : la personne doit faire face"
                " à l'appareil.",
            )
        ]
    if len(found) > 1:
        return [
            PhotoProblem(
                "The photo shows more than one face: only the applicant may be in it.",
                "La photo montre plus d'un visage : seul le demandeur peut y figurer.",
            )
        ]
    return _placement_problems(found[0], grey.shape[1], grey.shape[0])


def _placement_problems(box: tuple[int, int, int, int], width: int, height: int):
    x, y, w, h = box
    if w < LEAST_FACE * width:
        return [
            PhotoProblem(
                "The face is too small to compare: the person must come closer to the camera.",
                "Le visage est trop petit pour être comparé : la personne doit s'approcher"
                " de l'appareil.",
            )
        ]
    centre_x, centre_y = (x + w / 2) / width, (y + h / 2) / height
    if abs(centre_x - 0.5) > OFF_CENTRE or not HEAD_BAND[0] <= centre_y <= HEAD_BAND[1]:
        return [
            PhotoProblem(
                "The face is not centred: the person must stand in the middle of the picture.",
                "Le visage n'est pas centré : la personne doit se placer au milieu de l'image.",
            )
        ]
    return []
