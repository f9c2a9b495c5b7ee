"""Dialogs on a bare X server (Xvfb, no window manager), as on a kiosk: in French, Qt's
own buttons included; with a frame and title of their own; centred over the window;
modal; and taking the keyboard, so that what the supervisor types lands in them."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from x11_display import virtual_display

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.slow,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "xdpyinfo")),
        reason="needs xvfb, xdotool and xdpyinfo",
    ),
]
ROOT = Path(__file__).resolve().parents[2]

# The kiosk's side: a full-screen window, the supervisor's dialog opened over it in
# French; it reports what it shows, then waits for the keys typed on the X server.
CHILD = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from kiosk.roles import Action
from ui.language import Language, language
from ui.supervisor_prompt import SupervisorPrompt
from ui.theme import BAR, apply_theme

app = QApplication(sys.argv[:1])
apply_theme(app)
language().set(Language.FR)
window = QWidget()
window.setGeometry(0, 0, 1366, 768)
window.show()
dialog = SupervisorPrompt(None, "Dérogation du superviseur", Action.OVERRIDE, window)
out = {}

def report():
    if not (dialog.isVisible() and dialog.isActiveWindow()):
        QTimer.singleShot(50, report)
        return
    box = dialog.findChild(QDialogButtonBox)
    centre = dialog.frameGeometry().center()
    out.update(
        buttons=sorted(b.text().replace("&", "") for b in box.buttons()),
        modal=app.activeModalWidget() is dialog,
        focus=app.focusWidget() is dialog.name,
        offset=[abs(centre.x() - 683), abs(centre.y() - 384)],
        frame=dialog.grab().toImage().pixelColor(1, 1).name() == BAR.lower(),
        title=dialog.windowTitle(),
    )
    print("READY", flush=True)
    QTimer.singleShot(50, typed)

def typed():
    if dialog.name.text() != "sue":
        QTimer.singleShot(50, typed)
        return
    out["typed"] = dialog.name.text()
    print(json.dumps(out), flush=True)
    app.exit(0)

QTimer.singleShot(0, report)
dialog.exec()
"""


@pytest.fixture
def display():
    yield from virtual_display("1366x768x24")


def test_a_french_dialog_is_framed_modal_and_takes_the_keyboard_without_a_wm(display):
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in child.stdout], daemon=True).start()
    try:  # the limits only bound a failing run; a working one answers at once
        assert lines.get(timeout=120).strip() == "READY"
        time.sleep(0.2)  # nothing focuses the dialog but the dialog itself: no WM runs
        subprocess.run(["xdotool", "type", "--delay", "50", "sue"], env=env, check=True)
        seen = json.loads(lines.get(timeout=120))
    finally:
        child.kill()
        child.wait(10)
    assert seen["buttons"] == ["Annuler", "OK"]  # Qt's own button, in French
    assert seen["title"] == "Superviseur"
    assert seen["modal"] and seen["focus"] and seen["frame"]
    assert max(seen["offset"]) <= 2  # centred over the kiosk's window
    assert seen["typed"] == "sue"
