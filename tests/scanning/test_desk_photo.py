"""A photo taken at the desk from a camera source (a folder, a video file) and checked:
the file's rules, light, and one face, centred and large enough (tests/face_photo.py)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.cli import main as kiosk_main
from kiosk.photo_rules import jpeg_size, photo_problems
from printing.sample_photo import portrait
from scanning.camera import FolderSource, VideoFileSource
from scanning.desk_photo import OUTPUT_SIZE, check_photo, portrait_of, take_photo
from scanning.face_check import LEAST_FACE, faces
from tests.face_photo import counter_frame, head


def write_folder(path: Path, frames: list[np.ndarray]) -> Path:
    path.mkdir()
    for i, frame in enumerate(frames):
        cv2.imwrite(str(path / f"{i:03d}.png"), frame)
    return path


def write_video(path: Path, frames: list[np.ndarray]) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (640, 480))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def test_a_frame_becomes_a_photo_in_the_published_form():
    jpeg = portrait_of(counter_frame())
    assert jpeg_size(jpeg) == OUTPUT_SIZE and photo_problems(jpeg) == []
    assert check_photo(jpeg) == []


def test_the_first_well_lit_frame_of_a_folder_is_taken(tmp_path):
    folder = write_folder(tmp_path / "cam", [counter_frame(gain=0.2), counter_frame(seed=2)])
    source = FolderSource(folder, fps=50)
    photo = take_photo(source, frames=5)
    assert photo is not None and photo.accepted
    assert source._next == 2  # the dim frame was read and passed over


def test_a_dim_counter_gives_a_refused_photo_with_the_reason(tmp_path):
    video = write_video(tmp_path / "dim.avi", [counter_frame(gain=0.25)] * 3)
    source = VideoFileSource(video, loop=False)
    try:
        photo = take_photo(source, frames=3)
    finally:
        source.close()
    assert photo is not None and not photo.accepted
    assert [(p.message_en, p.message_fr) for p in photo.problems] == [
        ("The photo is too dark.", "La photo est trop sombre.")
    ]


@pytest.mark.parametrize(
    ("frame", "words"),
    [
        (np.full((480, 640, 3), 250, np.uint8), "too bright"),
        (np.full((480, 640, 3), 128, np.uint8), "too little contrast"),
    ],
)
def test_light_that_hides_a_face_is_refused(frame, words):
    [problem] = check_photo(portrait_of(frame))
    assert words in problem.message_en


def placed(size: tuple[int, int], at: tuple[int, int]) -> np.ndarray:
    """A 640 x 480 frame with the face scaled to `size`, its top left corner `at`."""
    frame = np.full((480, 640, 3), 200, np.uint8)
    (x, y), face = at, cv2.resize(head(), size)
    frame[y : y + size[1], x : x + size[0]] = face[: 480 - y]
    return frame


def two_people() -> np.ndarray:
    frame = np.full((480, 640, 3), 200, np.uint8)
    face = cv2.resize(head(), (180, 232))
    frame[120:352, 140:320], frame[120:352, 320:500] = face, face[:, ::-1]
    return frame


def drawn_portrait() -> np.ndarray:
    """The demo world's drawn portrait, where the counter_frame's face would be."""
    frame = np.full((480, 640, 3), 200, np.uint8)
    drawn = cv2.imdecode(np.frombuffer(portrait(4), np.uint8), cv2.IMREAD_COLOR)
    frame[9:472, 140:500] = cv2.resize(drawn, (360, 463))
    return frame


def test_one_face_is_found_centred_and_large_enough():
    grey = cv2.imdecode(np.frombuffer(portrait_of(counter_frame()), np.uint8), 0)
    [(x, _, w, _)] = faces(grey)
    assert w >= LEAST_FACE * grey.shape[1]
    assert abs((x + w / 2) / grey.shape[1] - 0.5) < 0.05


@pytest.mark.parametrize(
    ("frame", "en", "fr"),
    [
        (drawn_portrait(), "No face is found", "Aucun visage"),
        (two_people(), "more than one face", "plus d'un visage"),
        (placed((100, 129), (270, 150)), "too small to compare", "trop petit"),
        (placed((260, 334), (133, 20)), "not centred", "pas centré"),  # to the left
        (placed((260, 334), (247, 20)), "not centred", "pas centré"),  # to the right
        (placed((260, 334), (190, 146)), "not centred", "pas centré"),  # too low
    ],
    ids=["drawn", "two", "small", "left", "right", "low"],
)
def test_a_photo_without_one_good_face_is_refused_with_the_reason(frame, en, fr):
    [problem] = check_photo(portrait_of(frame))
    assert en in problem.message_en and fr in problem.message_fr


@pytest.mark.slow
def test_faces_found_in_threads_at_once_are_those_found_one_by_one():
    # OpenCV searches without the GIL: with one cascade shared by every thread, four
    # threads got other boxes than a lone search for 121 of 160 photos.
    import threading

    greys = [
        cv2.cvtColor(counter_frame(seed, at=(100 + 10 * seed, 9)), cv2.COLOR_BGR2GRAY)
        for seed in range(8)
    ]
    alone = [faces(grey) for grey in greys]
    assert all(len(found) == 1 for found in alone)
    wrong: list[int] = []

    def search(thread: int) -> None:
        for k in range(24):
            j = (thread + k) % len(greys)
            if faces(greys[j]) != alone[j]:
                wrong.append(j)

    threads = [threading.Thread(target=search, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_the_same_face_in_the_middle_passes():
    """The off-centre faces above, at the same size, placed in the middle."""
    assert check_photo(portrait_of(placed((260, 334), (190, 60)))) == []


@pytest.mark.slow
def test_kiosk_photo_take_and_check_from_the_command_line(tmp_path, capsys):
    good = write_folder(tmp_path / "good", [counter_frame()])
    out = tmp_path / "taken.jpg"
    assert kiosk_main(["photo", "take", "--camera", str(good), "--out", str(out)]) == 0
    assert kiosk_main(["photo", "check", str(out)]) == 0
    assert "meets the published requirements" in capsys.readouterr().out

    dark = write_folder(tmp_path / "dark", [counter_frame(gain=0.2)])
    refused = tmp_path / "refused.jpg"
    assert kiosk_main(["photo", "take", "--camera", str(dark), "--out", str(refused)]) == 1
    assert "too dark" in capsys.readouterr().out and not refused.exists()
    wide = tmp_path / "wide.jpg"
    cv2.imwrite(str(wide), counter_frame())
    assert kiosk_main(["photo", "check", str(wide)]) == 1
    assert "not in the 3.5 x 4.5 cm proportions" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="exists already; nothing was taken"):
        kiosk_main(["photo", "take", "--camera", str(good), "--out", str(out)])
    with pytest.raises(SystemExit, match="no camera, video file or folder"):
        kiosk_main(["photo", "take", "--camera", str(tmp_path / "none"), "--out", str(refused)])
    with pytest.raises(SystemExit, match="cannot read"):
        kiosk_main(["photo", "check", str(tmp_path / "missing.jpg")])
