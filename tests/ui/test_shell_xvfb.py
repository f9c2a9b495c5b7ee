"""From sign-in to a printed badge on a real X11 display: `kiosk run --kiosk-mode` under
Xvfb, every key a real X11 event from xdotool, the badge printed by the folder printer."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_scanner_xvfb import focused, scan, wait_for
from x11_display import virtual_display

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.slow,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "xdpyinfo")),
        reason="needs xvfb, xdotool and xdpyinfo",
    ),
]
KIOSK = Path(sys.executable).with_name("kiosk")


@pytest.fixture
def display():
    """A virtual 1366x768 screen of our own, the size of a small counter screen."""
    yield from virtual_display("1366x768x24")


def issue_decided(data: Path, accreditation_id: int) -> bool:
    """Whether the counter screen has journalled an "issue" verdict for the applicant."""
    with sqlite3.connect(data / "kiosk.sqlite3") as db:
        return bool(
            db.execute(
                "select 1 from journal where action = 'decision' and verdict = 'issue'"
                " and accreditation_id = ?",
                (accreditation_id,),
            ).fetchone()
        )


def test_sign_in_scan_and_f12_print_a_badge(display, tmp_path):
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    data = tmp_path / "data"
    subprocess.run([KIOSK, "demo", "--data-dir", data], check=True, env=env, capture_output=True)
    (data / "printers.json").write_text(json.dumps({"groups": "folder"}))
    a = next(
        x
        for x in json.loads((data / "scenarios.json").read_text())["applicants"]
        if x["situation"] == "approved_ministerial"
    )
    log = tmp_path / "kiosk.log"
    with log.open("w") as out:
        app = subprocess.Popen(
            [KIOSK, "run", "--data-dir", data, "--counter", "groups", "--kiosk-mode"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def xdotool(*args: str) -> None:
        subprocess.run(["xdotool", *args], env=env, check=True, timeout=60)

    try:
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Pass Office Kiosk"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split()[0]
        xdotool("windowfocus", "--sync", window)
        wait_for(lambda: focused(env) == window, "X's input focus on the kiosk's window", log)
        # A person signs in: keys at a person's pace (a scanner's burst would be dropped).
        for typed in ("clerk", "1111"):
            xdotool("type", "--delay", "250", typed)
            xdotool("key", "Return")
        wait_for(lambda: "clerk signed in" in log.read_text(), "the clerk signed in", log)
        # The scanners: confirmation code, then the ID document's lines, at machine speed.
        for line in [a["code"], *a["mrz"].splitlines()]:
            scan(env, line)  # ahead of other work, so a busy machine cannot split the burst
        # F12 only once the screen has decided "issue" (its decision is journalled).
        decided = "an ISSUE verdict journalled for the applicant"
        wait_for(lambda: issue_decided(data, a["accreditation_id"]), decided, log)
        xdotool("key", "F12")
        pdf = wait_for(lambda: next((data / "printed").glob("*.pdf"), None), "a badge PDF", log)
        assert pdf.read_bytes().startswith(b"%PDF")
        with sqlite3.connect(data / "kiosk.sqlite3") as db:
            serials = [
                s
                for (s,) in db.execute(
                    "select serial from badges where accreditation_id = ?",
                    (a["accreditation_id"],),
                )
            ]
            issued_by = db.execute(
                "select actor from journal where action = 'issue' and badge_serial = ?",
                (serials[0],),
            ).fetchall()
        assert len(serials) == 1 and serials[0] in pdf.name
        assert issued_by == [("clerk",)]  # the signed-in person, not the machine's user
        from PIL import ImageGrab

        ImageGrab.grab(xdisplay=display).save(tmp_path / "printed.png")
        geometry = subprocess.run(
            ["xdotool", "getwindowgeometry", window], env=env, capture_output=True, text=True
        ).stdout
        assert "Geometry: 1366x768" in geometry  # kiosk mode: the whole screen
        assert app.poll() is None
    finally:
        app.terminate()
        app.wait(10)
