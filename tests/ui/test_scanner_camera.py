"""The counter screen with a camera: replayed frames scanned, the code outlined."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from app.window import build_window
from kiosk.model import Counter
from scanning import specimens as sp
from scanning.decoders import COUNTER_FORMATS, QR


@pytest.fixture
def camera_folder(tmp_path, demo_master, manifest) -> Path:
    """Frames of a clerk's camera: the desk, then the first applicant's letter held up."""
    letter = sp.letter_item(demo_master / manifest["applicants"][0]["letter"])
    folder = tmp_path / "camera"
    folder.mkdir()
    for i in range(2):
        cv2.imwrite(str(folder / f"{i}.png"), sp.desk(seed=i))
    for i in range(2, 6):
        frame = sp.place(sp.desk(seed=9), letter, sp.Placement(0.45, 0.5, angle=3 * i))
        cv2.imwrite(str(folder / f"{i}.png"), frame)
    return folder


@pytest.mark.slow
def test_the_camera_scans_the_letter_and_outlines_its_code(
    qtbot, demo_dir, demo_now, camera_folder, tmp_path
):
    w = build_window(
        demo_dir, Counter.GROUPS, clerk="ann", clock=lambda: demo_now, camera=str(camera_folder)
    )
    qtbot.addWidget(w)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.p.decision is not None, timeout=60_000)
        assert "SCAN THE ID DOCUMENT" in w.banner.text()
        qtbot.waitUntil(lambda: bool(w.camera_view.outlines), timeout=60_000)
        (outline, label) = w.camera_view.outlines[0]
        assert label.startswith("QR ") and outline.size() == 4
        assert w.camera_view.connected
        decoder = w.camera.scanner.decoder  # the code read, the desk now reads anything
        qtbot.waitUntil(lambda: decoder.expected == COUNTER_FORMATS, timeout=60_000)
        w.p.clear()  # the next applicant: their confirmation code's QR first
        qtbot.waitUntil(lambda: decoder.expected == {QR}, timeout=60_000)
        shot = tmp_path / "counter-with-camera.png"
        assert w.grab().save(str(shot))
    finally:
        w.camera.stop()


def test_a_missing_camera_is_shown_and_the_counter_still_works(
    qtbot, demo_dir, demo_now, tmp_path, manifest
):
    w = build_window(
        demo_dir, Counter.GROUPS, clerk="ann", clock=lambda: demo_now, camera=str(tmp_path / "no")
    )
    qtbot.addWidget(w)
    w.show()
    try:
        qtbot.waitUntil(lambda: "retrying" in w.camera_view.message, timeout=60_000)
        assert not w.camera_view.connected
        w.p.scan(manifest["applicants"][0]["code"])
        assert "SCAN THE ID DOCUMENT" in w.banner.text()
    finally:
        w.camera.stop()


def test_without_a_camera_source_there_is_no_preview(qtbot, demo_dir, demo_now):
    w = build_window(demo_dir, Counter.GROUPS, clerk="ann", clock=lambda: demo_now)
    qtbot.addWidget(w)
    assert w.camera is None and w.camera_view is None
