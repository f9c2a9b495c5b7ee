"""The desk's photo dialog: the clerk takes a photo from the counter camera (a folder of
frames here), sees what the checks say, and a supervisor approves it; every refusal is
said in the dialog and changes nothing."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from kiosk.store.schema import JournalRow, PersonRow, PhotoRow
from tests.face_photo import counter_frame
from ui.photo_dialog import PhotoDialog

CLERK = Actor("clerk", Role.CLERK)
pytestmark = pytest.mark.slow  # each takes and decodes a camera frame: about a second


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def camera(tmp_path, gain: float) -> str:
    """A folder holding one 640 x 480 frame of someone at the counter, lit by `gain`."""
    frame = counter_frame(4)
    folder = tmp_path / f"cam-{gain}"
    folder.mkdir()
    cv2.imwrite(str(folder / "000.png"), np.clip(frame * gain, 0, 255).astype(np.uint8))
    return str(folder)


def person(kiosk) -> int:
    with kiosk.store.reading() as s:
        return s.scalar(select(PersonRow.id).where(PersonRow.purged_at.is_(None)))


def on_file(kiosk, person_id: int) -> tuple[bytes | None, int]:
    with kiosk.store.reading() as s:
        row = s.get(PhotoRow, person_id)
        count = select(func.count()).where(JournalRow.action == "photo_replaced")
        return (row.jpeg if row else None), s.scalar(count)


def dialog(qtbot, kiosk, folder: str) -> PhotoDialog:
    d = PhotoDialog(kiosk, person(kiosk), "Ann Example", CLERK, folder)
    qtbot.addWidget(d)
    d.show()
    return d


def test_a_photo_taken_and_approved_goes_on_file(qtbot, kiosk, tmp_path):
    d = dialog(qtbot, kiosk, camera(tmp_path, 1.0))
    d.take()
    assert not d.preview.pixmap().isNull()
    assert "meets the published requirements" in d.checks.text()
    qtbot.keyClicks(d.name, "supervisor")
    qtbot.keyClicks(d.pin, "222222")
    d.accept()
    assert d.result() == QDialog.DialogCode.Accepted
    assert on_file(kiosk, d.person_id) == (d.photo.jpeg, 1)


def test_a_clerk_cannot_approve_and_nothing_changes(qtbot, kiosk, tmp_path):
    d = dialog(qtbot, kiosk, camera(tmp_path, 1.0))
    before = on_file(kiosk, d.person_id)
    d.take()
    qtbot.keyClicks(d.name, "clerk")
    qtbot.keyClicks(d.pin, "1111")
    d.accept()
    assert d.isVisible() and "may not do this" in d.error.text()
    assert d.pin.text() == "" and on_file(kiosk, d.person_id) == before


def test_a_dark_photo_is_shown_with_the_reason_and_cannot_be_approved(qtbot, kiosk, tmp_path):
    d = dialog(qtbot, kiosk, camera(tmp_path, 0.2))
    before = on_file(kiosk, d.person_id)
    d.take()
    assert d.checks.text() == "The photo is too dark."
    qtbot.keyClicks(d.name, "supervisor")
    qtbot.keyClicks(d.pin, "222222")
    d.accept()
    assert "Take a photo that meets the requirements first." in d.error.text()
    assert on_file(kiosk, d.person_id) == before


def test_a_camera_that_is_not_there_is_said(qtbot, kiosk, tmp_path):
    d = dialog(qtbot, kiosk, str(tmp_path / "no-camera"))
    d.take()
    assert "cannot be opened" in d.error.text() and d.photo is None
