"""Camera scanning from replayed frames: a folder of images and a video file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanning import specimens as sp
from scanning.camera import (
    CameraError,
    CameraScanner,
    CameraStatus,
    Debouncer,
    FolderSource,
    Mailbox,
    VideoFileSource,
    open_source,
)
from scanning.decoders import QR, Symbol

pytestmark = pytest.mark.slow  # replays video files through OpenCV


@pytest.fixture(scope="module")
def letter(demo_master, manifest) -> tuple[np.ndarray, str]:
    first = manifest["applicants"][0]
    return sp.letter_item(demo_master / first["letter"]), first["code"]


def frames_with_code(letter, empty: int = 2, showing: int = 4) -> list[np.ndarray]:
    """A clerk's camera: the desk, then the letter held up for a while, slightly moving."""
    image, _ = letter
    out = [sp.noise(sp.desk(seed=i), 3, i) for i in range(empty)]
    for i in range(showing):
        out.append(sp.place(sp.desk(seed=9), image, sp.Placement(0.5 + 0.01 * i, 0.5, angle=i)))
    return out


def write_folder(path: Path, frames: list[np.ndarray]) -> Path:
    path.mkdir()
    for i, frame in enumerate(frames):
        cv2.imwrite(str(path / f"{i:03d}.png"), frame)
    return path


class Recorder:
    """Collects what a CameraScanner reports, and stops it once `until` holds."""

    def __init__(self, until=lambda r: False):
        self.scans: list[Symbol] = []
        self.statuses: list[CameraStatus] = []
        self.frames = 0
        self.until = until
        self.stop = threading.Event()

    def kwargs(self) -> dict:
        return {"on_scan": self._scan, "on_status": self._status, "on_frame": self._frame}

    def _scan(self, s):
        self.scans.append(s)

    def _status(self, s):
        self.statuses.append(s)

    def _frame(self, frame, symbols):
        self.frames += 1
        if self.until(self):
            self.stop.set()

    def run(self, scanner: CameraScanner, seconds: float) -> None:
        worker = threading.Thread(target=scanner.run, args=(self.stop,))
        worker.start()
        worker.join(seconds)
        self.stop.set()
        worker.join(5)
        assert not worker.is_alive()


def test_debouncer_reports_a_code_once_while_it_stays_in_view():
    seen = Debouncer(window=3.0)
    assert seen.fresh("A", 0.0)
    assert not seen.fresh("A", 1.0)
    assert not seen.fresh("A", 3.5)  # still in view: last seen at 1.0, 2.5 s ago
    assert seen.fresh("B", 3.6)
    assert seen.fresh("A", 7.0)  # out of sight for more than 3 s
    assert not seen.fresh("A", 7.1)


def test_mailbox_keeps_only_the_newest_frame():
    box = Mailbox()
    for i in range(5):
        box.put(np.full((2, 2), i, np.uint8))
    assert box.take(0.01)[0, 0] == 4
    assert box.dropped == 4
    assert box.take(0.01) is None


def test_folder_source_reports_the_letters_code_once(tmp_path, letter):
    folder = write_folder(tmp_path / "frames", frames_with_code(letter))
    rec = Recorder(until=lambda r: r.frames >= 12)
    scanner = CameraScanner(str(folder), repeat_window=30, **rec.kwargs())
    rec.run(scanner, 20)
    assert [s.text for s in rec.scans] == [letter[1]]
    assert rec.statuses[0].connected
    assert scanner.stats.decoded >= 12


def test_what_the_screen_expects_reaches_the_decoder_before_the_next_frame(tmp_path, letter):
    folder = write_folder(tmp_path / "frames", frames_with_code(letter))
    rec = Recorder(until=lambda r: r.frames >= 3)
    scanner = CameraScanner(str(folder), repeat_window=30, **rec.kwargs())
    scanner.expect({QR})  # set from another thread, as the counter screen does
    rec.run(scanner, 20)
    assert scanner.decoder.expected == {QR}
    assert [s.text for s in rec.scans] == [letter[1]]


def test_a_video_file_is_replayed_and_frames_are_dropped_when_decoding_is_slow(tmp_path, letter):
    video = tmp_path / "counter.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30, sp.FRAME_720P)
    for frame in frames_with_code(letter, empty=10, showing=20):
        writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    writer.release()

    class Slow:  # a decoder slower than the camera: 100 ms a frame against 33 ms
        name = "slow"

        def decode(self, image):
            time.sleep(0.1)
            return []

    rec = Recorder(until=lambda r: r.frames >= 8)
    scanner = CameraScanner(str(video), Slow(), **rec.kwargs())
    rec.run(scanner, 20)
    assert scanner.stats.decoded >= 8
    assert scanner.stats.captured > 2 * scanner.stats.decoded  # the camera ran on...
    assert scanner.stats.dropped > 0  # ...and what could not be decoded was dropped


def test_video_source_paces_frames_at_the_files_rate(tmp_path):
    video = tmp_path / "still.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 20, (64, 48))
    for _ in range(5):
        writer.write(np.zeros((48, 64, 3), np.uint8))
    writer.release()
    source = VideoFileSource(video)
    start = time.monotonic()
    for _ in range(10):  # twice round the file
        assert source.read() is not None
    assert time.monotonic() - start >= 0.4  # 10 frames at 20 fps
    source.close()


def test_a_camera_that_disappears_is_reported_and_reconnected(tmp_path, letter):
    folder = write_folder(tmp_path / "cam", frames_with_code(letter, empty=3, showing=0))
    away = tmp_path / "unplugged"
    rec = Recorder()
    scanner = CameraScanner(str(folder), reconnect_every=0.2, **rec.kwargs())
    worker = threading.Thread(target=scanner.run, args=(rec.stop,))
    worker.start()
    try:
        wait_for(lambda: rec.frames >= 2)
        folder.rename(away)  # the camera is unplugged
        wait_for(lambda: any(not s.connected for s in rec.statuses))
        away.rename(folder)  # and plugged in again
        wait_for(lambda: sum(s.connected for s in rec.statuses) >= 2)
        frames_before = rec.frames
        wait_for(lambda: rec.frames > frames_before)
    finally:
        rec.stop.set()
        worker.join(5)
    states = [s.connected for s in rec.statuses]
    assert states[0] and False in states and states[-1]
    assert "lost" in next(s.message for s in rec.statuses if not s.connected)


def test_a_source_that_is_not_there_yet_is_retried(tmp_path, letter):
    folder = tmp_path / "later"
    rec = Recorder(until=lambda r: r.frames >= 2)
    scanner = CameraScanner(str(folder), reconnect_every=0.2, **rec.kwargs())
    threading.Timer(0.5, write_folder, (folder, frames_with_code(letter, 2, 0))).start()
    rec.run(scanner, 10)
    assert not rec.statuses[0].connected and "no camera, video file or folder" in (
        rec.statuses[0].message
    )
    assert rec.statuses[-1].connected and rec.frames >= 2


def test_open_source_explains_what_it_cannot_open(tmp_path):
    with pytest.raises(CameraError, match="no camera, video file or folder"):
        open_source(str(tmp_path / "nothing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CameraError, match="holds no images"):
        open_source(str(tmp_path / "empty"))
    (tmp_path / "notes.txt").write_text("not a video")
    with pytest.raises(CameraError, match="not a video"):
        open_source(str(tmp_path / "notes.txt"))
    assert isinstance(open_source(str(write_folder(tmp_path / "ok", [sp.desk()]))), FolderSource)


def wait_for(condition, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)
