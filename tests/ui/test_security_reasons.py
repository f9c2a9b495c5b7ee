"""The security post's screen says why a badge of the demo world is not valid: lost,
returned (kiosk/badge_life.py), in the language on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.language import Language, language
from ui.security_window import SecurityPresenter, SecurityScreen


@pytest.fixture(autouse=True)
def english():
    yield
    if language().current is not Language.EN:
        language().set(Language.EN)
        QApplication.processEvents()


@pytest.mark.parametrize(
    ("situation", "kiosk_id", "counter", "en", "fr"),
    [
        ("badge_reported_lost", "G1", Counter.GROUPS, "REPORTED LOST", "DÉCLARÉ PERDU"),
        ("annual_badge_returned", "V1", Counter.VISITORS, "RETURNED", "RENDU"),
    ],
)
def test_the_post_says_why(
    qtbot, demo_dir, manifest, demo_now, situation, kiosk_id, counter, en, fr
):
    a = next(x for x in manifest["applicants"] if x["situation"] == situation)
    kiosk = open_kiosk(demo_dir, counter, kiosk_id=kiosk_id, clock=lambda: demo_now)
    try:
        guard = Actor("gus", Role.SECURITY)
        presenter = SecurityPresenter(kiosk.security_post(), kiosk.post_journal(), guard)
        window = SecurityScreen(presenter)
        qtbot.addWidget(window)
        window.show()
        qtbot.keyClicks(
            window.scan_field, kiosk.desk.cards.card(a["prior_badge"]["serial"]).badge_code
        )
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
        assert window.banner.text() == "NOT VALID"
        assert window.reason.text().startswith(f"{en}: badge {a['prior_badge']['serial']}")
        language().set(Language.FR)
        QApplication.processEvents()
        assert window.reason.text().startswith(f"{fr} : le badge")
    finally:
        kiosk.close()
