"""The supervisor's badge life screen, driven as a supervisor would: a serial typed in,
a button pressed; the real store underneath; refusals said in words, in both languages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.wiring import open_kiosk
from kiosk.badge_life import LifeEvent
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from ui.badge_life_screen import BadgeLifeScreen
from ui.language import Language, language

SUPERVISOR, CLERK = Actor("supervisor", Role.SUPERVISOR), Actor("clerk", Role.CLERK)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


@pytest.fixture(autouse=True)
def english():
    yield
    if language().current is not Language.EN:
        language().set(Language.EN)
        QApplication.processEvents()


def screen_of(qtbot, kiosk, actor=SUPERVISOR) -> BadgeLifeScreen:
    s = BadgeLifeScreen(kiosk, actor)
    qtbot.addWidget(s)
    s.resize(1366, 700)
    s.show()
    return s


def serial_of(manifest, situation: str) -> str:
    a = next(a for a in manifest["applicants"] if a["situation"] == situation)
    return a["prior_badge"]["serial"]


def press(qtbot, s: BadgeLifeScreen, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not s.background.busy, timeout=60_000)


def rows(s: BadgeLifeScreen) -> list[tuple[str, str]]:
    return [
        (s.table.item(r, 2).text(), s.table.item(r, 3).text()) for r in range(s.table.rowCount())
    ]


def test_a_supervisor_reports_a_badge_lost_and_reads_its_history(qtbot, kiosk, manifest):
    s = screen_of(qtbot, kiosk)
    serial = serial_of(manifest, "badge_already_issued")
    qtbot.keyClicks(s.serial, serial)
    qtbot.keyClicks(s.note, "lost at the press bar")
    press(qtbot, s, s.buttons[LifeEvent.LOST])
    assert s.message.text().startswith(f"Badge {serial} reported lost: void at every post")
    assert rows(s) == [("issued", "demo"), ("reported lost", "supervisor")]
    assert s.table.item(1, 5).text() == "lost at the press bar" and s.note.text() == ""
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.LOST

    press(qtbot, s, s.buttons[LifeEvent.LOST])  # lost twice: refused in words
    assert f"Badge {serial} was already reported lost on" in s.message.text()
    assert len(rows(s)) == 2  # its own history stays
    s.serial.setText("V1-000001")  # another badge, refused: the history shown was not its
    press(qtbot, s, s.buttons[LifeEvent.FOUND])
    assert "V1-000001" in s.message.text()
    assert rows(s) == [] and s.person.text() == ""


def test_bad_input_and_a_clerk_are_refused_in_words(qtbot, kiosk, manifest):
    s = screen_of(qtbot, kiosk, CLERK)
    serial = serial_of(manifest, "badge_already_issued")
    qtbot.keyClicks(s.serial, serial)
    press(qtbot, s, s.buttons[LifeEvent.STOLEN])
    assert "A clerk may not do this" in s.message.text()
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    s.serial.setText("G1-999999")
    press(qtbot, s, s.buttons[LifeEvent.RETURNED])
    assert "There is no badge G1-999999" in s.message.text()
    s.serial.setText(serial)
    press(qtbot, s, s.buttons[LifeEvent.FOUND])
    assert "was never reported lost or stolen" in s.message.text()


def test_in_french(qtbot, kiosk, manifest):
    s = screen_of(qtbot, kiosk)
    lost = serial_of(manifest, "badge_reported_lost")
    qtbot.keyClicks(s.serial, lost)
    press(qtbot, s, s.buttons[LifeEvent.FOUND])
    language().set(Language.FR)
    QApplication.processEvents()
    assert s.buttons[LifeEvent.LOST].text() == "Perdu"
    assert s.message.text().startswith(f"Badge {lost} enregistré retrouvé et rapporté")
    assert [what for what, _who in rows(s)] == ["émis", "déclaré perdu", "retrouvé, rapporté"]


def test_a_badge_scanned_at_the_desk_shows_its_history(qtbot, kiosk, manifest):
    s = screen_of(qtbot, kiosk)
    serial = serial_of(manifest, "badge_already_issued")
    s.scan(kiosk.desk.cards.card(serial).badge_code)
    qtbot.waitUntil(lambda: not s.background.busy, timeout=60_000)
    assert s.serial.text() == serial and rows(s) == [("issued", "demo")]
    s.scan("not a badge")
    qtbot.waitUntil(lambda: not s.background.busy, timeout=60_000)
    assert s.message.text().startswith("Not a badge of this site")


def test_the_history_of_a_purged_holder_says_so_not_a_lone_comma(qtbot, kiosk, manifest, demo_now):
    from datetime import timedelta

    from app.commands.badge_life import history_text
    from kiosk.purge import purge

    purge(kiosk.store, demo_now + timedelta(days=35), Actor("admin", Role.ADMINISTRATOR), "G1")
    s = screen_of(qtbot, kiosk)
    qtbot.keyClicks(s.serial, serial_of(manifest, "badge_reported_lost"))
    press(qtbot, s, s.history_button)
    assert s.person.text() == "(holder not on file: deleted after the event) (A0000058)"
    assert rows(s) == [("issued", "demo"), ("reported lost", "demo-chief")]
    history = kiosk.life.history("A0000058", SUPERVISOR)
    assert history_text(history).startswith("(holder not on file: deleted after the event)  (")
    language().set(Language.FR)
    QApplication.processEvents()
    assert s.person.text().startswith("(données du titulaire effacées après l'événement)")
