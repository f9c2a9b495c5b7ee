"""Camera scanning without Qt: frames from a camera, a video file or a folder of images,
decoded off the caller's thread, each code reported once.

`CameraScanner.run` blocks (the Qt side runs it in a QThread) and reports through
callbacks. Frames are decoded by `scanning.frame_decoder.FrameDecoder` (a few milliseconds
a 1080p frame; `expect` tells it what the counter waits for). A capture thread reads
frames as fast as the source gives them and keeps only the newest in a one-frame
`Mailbox`: when decoding is slower than the camera, frames are dropped, never queued, so
what is decoded is always what the camera sees now. A code seen again while it stays in
view, or within `repeat_window` seconds, is not reported again. A source that stops
giving frames (a camera unplugged, a folder gone) is reported lost and reopened every
`reconnect_every` seconds until it is back. An optional second worker reads MRZs from the
frames in which the decoder found no code (`scanning.mrz_glyphs`, about a tenth of a
second a frame).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from scanning.decoders import Decoder, Symbol
from scanning.frame_decoder import FrameDecoder

# The camera's decoder before scanning/frame_decoder.py ran its fallbacks on one codeless
# frame in fifteen: bench/decoders.py still measures it, as the "before".
CAMERA_FALLBACK_EVERY = 15
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}


class CameraError(RuntimeError):
    """A frame source that cannot be opened, and why."""


class FrameSource(Protocol):
    """Where frames come from."""

    description: str

    def read(self) -> np.ndarray | None:
        """The next frame, or None when the source has stopped giving frames."""
        ...

    def close(self) -> None:
        """Release the device or file."""
        ...


class DeviceSource:
    """A camera by its index (0 is /dev/video0)."""

    def __init__(self, index: int) -> None:
        self.description = f"camera {index}"
        self._capture = cv2.VideoCapture(index)
        if not self._capture.isOpened():
            raise CameraError(f"camera {index} cannot be opened (is it plugged in?)")

    def read(self) -> np.ndarray | None:
        """The camera's next frame (it paces itself)."""
        ok, frame = self._capture.read()
        return frame if ok else None

    def close(self) -> None:
        """Release the camera."""
        self._capture.release()


class _Paced:
    """Gives frames no faster than `fps`, as a camera would."""

    def __init__(self, fps: float) -> None:
        self.fps = fps
        self._due = time.monotonic()

    def wait(self) -> None:
        self._due += 1 / self.fps
        pause = self._due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            self._due = time.monotonic()


class VideoFileSource:
    """A recorded video, replayed at its own frame rate, from the start again at its end."""

    def __init__(self, path: Path, loop: bool = True) -> None:
        self.description = f"video {path}"
        self.path, self.loop = path, loop
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            raise CameraError(f"{path} is not a video OpenCV can read")
        fps = self._capture.get(cv2.CAP_PROP_FPS)
        self._pace = _Paced(fps if 1 <= fps <= 120 else 30)

    def read(self) -> np.ndarray | None:
        """The next frame, on time; None when the file is gone or ended (without `loop`)."""
        self._pace.wait()
        ok, frame = self._capture.read()
        if not ok and self.loop and self.path.exists():
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        return frame if ok else None

    def close(self) -> None:
        """Release the file."""
        self._capture.release()


class FolderSource:
    """The images of a folder in name order, `fps` a second, round and round."""

    def __init__(self, path: Path, fps: float = 10.0) -> None:
        self.description = f"folder {path}"
        self.path = path
        self.files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.files:
            raise CameraError(f"{path} holds no images")
        self._next = 0
        self._pace = _Paced(fps)

    def read(self) -> np.ndarray | None:
        """The next image, on time; None when the folder or the image is gone."""
        self._pace.wait()
        path = self.files[self._next % len(self.files)]
        self._next += 1
        return cv2.imread(str(path)) if path.exists() else None

    def close(self) -> None:
        """Nothing to release."""


def open_source(spec: str) -> FrameSource:
    """A frame source from `--camera`: a device index, a video file, or a folder of images."""
    if spec.isdigit():
        return DeviceSource(int(spec))
    path = Path(spec).expanduser()
    if path.is_dir():
        return FolderSource(path)
    if path.is_file():
        return VideoFileSource(path)
    raise CameraError(f"no camera, video file or folder of images at {spec!r}")


class Mailbox:
    """Holds only the newest frame: putting replaces an untaken one (which counts as
    dropped), taking empties it."""

    def __init__(self) -> None:
        self._frame: np.ndarray | None = None
        self._ready = threading.Condition()
        self.dropped = 0

    def put(self, frame: np.ndarray) -> None:
        """Offer a frame, replacing any not taken yet."""
        with self._ready:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._ready.notify()

    def take(self, timeout: float) -> np.ndarray | None:
        """The newest frame, waiting up to `timeout` seconds for one."""
        with self._ready:
            if self._frame is None:
                self._ready.wait(timeout)
            frame, self._frame = self._frame, None
            return frame


class Debouncer:
    """Reports a code once while it stays in view, and again only after it has been out of
    sight for `window` seconds."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._last_seen: dict[str, float] = {}

    def fresh(self, text: str, now: float) -> bool:
        """Whether a sighting of `text` at `now` is news."""
        last = self._last_seen.get(text)
        self._last_seen[text] = now
        for old in [t for t, at in self._last_seen.items() if now - at > self.window]:
            del self._last_seen[old]
        return last is None or now - last > self.window


@dataclass(frozen=True)
class CameraStatus:
    """What the camera is doing, for the screen."""

    connected: bool
    message: str


@dataclass
class CameraStats:
    """Counts since `run` started."""

    captured: int = 0
    decoded: int = 0
    dropped: int = 0
    reported: int = 0


class CameraScanner:
    """Decodes a frame source's newest frames and reports each code once (see module doc)."""

    def __init__(
        self,
        spec: str,
        decoder: Decoder | None = None,
        *,
        on_frame: Callable[[np.ndarray, list[Symbol]], None] = lambda f, s: None,
        on_scan: Callable[[Symbol], None] = lambda s: None,
        on_status: Callable[[CameraStatus], None] = lambda s: None,
        on_mrz: Callable[[str], None] | None = None,
        repeat_window: float = 3.0,
        reconnect_every: float = 1.0,
        opener: Callable[[str], FrameSource] = open_source,
    ) -> None:
        self.spec = spec
        self.decoder = decoder or FrameDecoder()
        self.on_frame, self.on_scan, self.on_status = on_frame, on_scan, on_status
        self.on_mrz = on_mrz
        self.repeat_window = repeat_window
        self.reconnect_every = reconnect_every
        self.opener = opener
        self.stats = CameraStats()
        self._frames = Mailbox()
        self._mrz_frames = Mailbox()
        self._wanted: frozenset[str] | None = None  # set by `expect` from any thread
        self._applied: frozenset[str] | None = None

    def expect(self, formats: Iterable[str]) -> None:
        """The formats the screen waits for next (thread-safe: the decoding thread takes
        them up before its next frame; a decoder without `expect` ignores them)."""
        self._wanted = frozenset(formats)

    def _take_expected(self) -> None:
        wanted = self._wanted
        if wanted is not self._applied and hasattr(self.decoder, "expect"):
            self.decoder.expect(wanted)
        self._applied = wanted

    def run(self, stop: threading.Event) -> None:
        """Capture and decode until `stop` is set (blocks; call it on a worker thread)."""
        workers = [threading.Thread(target=self._capture, args=(stop,), daemon=True)]
        if self.on_mrz:
            workers.append(threading.Thread(target=self._read_mrz, args=(stop,), daemon=True))
        for worker in workers:
            worker.start()
        seen = Debouncer(self.repeat_window)
        try:
            while not stop.is_set():
                frame = self._frames.take(timeout=0.2)
                if frame is None:
                    continue
                self._take_expected()
                symbols = self.decoder.decode(frame)
                self.stats.decoded += 1
                self.on_frame(frame, symbols)
                if not symbols and self.on_mrz:
                    self._mrz_frames.put(frame)
                for symbol in symbols:
                    if seen.fresh(symbol.text, time.monotonic()):
                        self.stats.reported += 1
                        self.on_scan(symbol)
        finally:
            stop.set()
            for worker in workers:
                worker.join(timeout=5)
            self.stats.dropped = self._frames.dropped

    def _capture(self, stop: threading.Event) -> None:
        source: FrameSource | None = None
        while not stop.is_set():
            if source is None:
                source = self._open()
                if source is None:
                    stop.wait(self.reconnect_every)
                    continue
            frame = source.read()
            if frame is None:
                source.close()
                source = None
                self.on_status(CameraStatus(False, f"{self.spec}: lost, reconnecting…"))
                stop.wait(self.reconnect_every)
                continue
            self.stats.captured += 1
            self._frames.put(frame)
        if source is not None:
            source.close()

    def _open(self) -> FrameSource | None:
        try:
            source = self.opener(self.spec)
        except CameraError as err:
            self.on_status(CameraStatus(False, f"{err}; retrying…"))
            return None
        self.on_status(CameraStatus(True, f"{source.description}: connected"))
        return source

    def _read_mrz(self, stop: threading.Event) -> None:
        from scanning.mrz_glyphs import read_mrz_glyphs, warm_up
        from scanning.mrz_image import MrzImageError, locate

        warm_up()
        seen = Debouncer(self.repeat_window)
        while not stop.is_set():
            frame = self._mrz_frames.take(timeout=0.2)
            if frame is None or not locate(frame):
                continue
            try:
                text = read_mrz_glyphs(frame).text
            except MrzImageError:
                continue
            if seen.fresh(text, time.monotonic()) and self.on_mrz:
                self.on_mrz(text)
