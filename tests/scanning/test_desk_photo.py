"""A photo taken at the desk from a camera source (a folder, a video file) and checked."""

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


def counter_frame(seed: int = 1, gain: float = 1.0) -> np.ndarray:
    """A 640 x 480 camera frame: someone's head and shoulders before the counter's wall,
    lit by `gain` (below 1: a dim counter)."""
    head = cv2.imdecode(np.frombuffer(portrait(seed), np.uint8), cv2.IMREAD_COLOR)
    head = cv2.resize(head, (360, 463))
    frame = np.full((480, 640, 3), 200, np.uint8)
    frame[9:472, 140:500] = head
    return np.clip(frame.astype(np.float32) * gain, 0, 255).astype(np.uint8)


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
