"""The counter screen opens the photo dialog (F6, or its button) for an applicant with
no photo on file; the camera's code scanner lets go of the camera while the dialog
reads it, and scans again after."""

from __future__ import annotations

import cv2
import pytest
from PySide6.QtCore import Qt

from app.window import build_window
from kiosk.model import Counter
from tests.face_photo import counter_frame
from tests.ui.test_counter_window import applicant, on_next_dialog
from ui.language import Language, language
from ui.photo_dialog import PhotoDialog
from ui.theme import BAR

pytestmark = pytest.mark.slow  # a camera worker, and a photo taken and checked


@pytest.fixture
def screen(qtbot, demo_dir, demo_now, tmp_path):
    """The counter window with a camera: a folder of frames of someone at the desk."""
    folder = tmp_path / "camera"
    folder.mkdir()
    cv2.imwrite(str(folder / "000.png"), counter_frame(3))
    w = build_window(
        demo_dir, Counter.GROUPS, clerk="ann", clock=lambda: demo_now, camera=str(folder)
    )
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: w.camera_view.connected, timeout=60_000)
    yield w
    w.camera.stop()
    language().set(Language.EN)


def test_f6_takes_a_photo_for_an_applicant_without_one_while_the_scanner_waits(
    qtbot, screen, manifest
):
    w = screen
    w.p.scan(applicant(manifest, "approved_ministerial")["code"])
    assert w.p.photo() and not w.photo_button.isVisible()  # a good photo on file: no button
    w.p.clear()
    w.p.scan(applicant(manifest, "no_photo")["code"])
    assert w.photo_button.isVisible()
    assert w.photo_button.accessibleName() == "Take a new photo"
    assert w.headline.text() == (  # the refusal says what the clerk can do about it here
        "No identity photo on file: the accreditation office must add one before a badge "
        "can be printed. New photo [F6]: take one here, for a supervisor to approve."
    )
    seen = {}

    def take_and_approve(d) -> None:
        seen["dialog"] = type(d)
        seen["camera running"] = w.camera._thread.isRunning()
        seen["framed"] = d.grab().toImage().pixelColor(1, 1).name() == BAR.lower()
        centre = d.frameGeometry().center() - w.window().frameGeometry().center()
        seen["off centre"] = max(abs(centre.x()), abs(centre.y()))
        qtbot.keyClick(d.take_button, Qt.Key.Key_Return)  # the button has the keyboard
        seen["checks"], photo = d.checks.text(), d.photo
        qtbot.keyClicks(d.name, "supervisor")
        qtbot.keyClick(d.name, Qt.Key.Key_Return)  # on to the PIN, as at sign-in
        seen["after name"] = (d.focusWidget() is d.pin, d.photo is photo, d.error.text())
        qtbot.keyClicks(d.pin, "222222")
        qtbot.keyClick(d.pin, Qt.Key.Key_Return)  # approves
        seen["approved"] = d.photo is photo and not d.isVisible()
        if d.isVisible():
            d.reject()  # a failing run ends here, not in a dialog left open

    on_next_dialog(take_and_approve)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_F6)
    assert seen["dialog"] is PhotoDialog and seen["camera running"] is False
    assert seen["framed"] and seen["off centre"] <= 2  # its own frame, over the counter
    assert "shows one face, centred" in seen["checks"]
    assert seen["after name"] == (True, True, "")  # not a second photo, not an error
    assert seen["approved"]
    assert w.camera._thread.isRunning()  # the scanner reads the camera again
    assert w.p.photo() and not w.photo_button.isVisible()
    assert not w.photo.pixmap().isNull()


def test_the_button_speaks_french_and_cancelling_changes_nothing(qtbot, screen, manifest):
    w = screen
    language().set(Language.FR)
    qtbot.waitUntil(lambda: w.photo_button.text() == "Nouvelle photo [F6]", timeout=10_000)
    w.p.scan(applicant(manifest, "no_photo")["code"])
    said = []
    on_next_dialog(lambda d: (said.append(d.checks.text()), d.reject()))
    w.photo_button.click()
    assert said == ["Prendre la photo avec la caméra du guichet."]  # as the screen says it
    assert w.camera._thread.isRunning()
    assert w.p.photo() is None and w.photo_button.isVisible()
