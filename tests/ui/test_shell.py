"""The kiosk's window: sign-in, each role's screens, language, idle sign-out, scans,
kiosk mode. Driven with keys as the staff would, on a copy of the demo world."""

from __future__ import annotations

import json
import sqlite3

import pytest
from key_events import scanner_types
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.window import open_shell
from kiosk.roles import Role
from ui.language import Language, language
from ui.settings import KioskSettings, save_settings
from ui.shell import NEEDS, SCREENS, Screen, screens_for

ACCOUNTS = {
    Role.CLERK: ("clerk", "1111"),
    Role.SUPERVISOR: ("supervisor", "222222"),
    Role.SECURITY: ("security", "3333"),
    Role.ADMINISTRATOR: ("admin", "444444"),
}


@pytest.fixture
def shell_at(qtbot, demo_dir, demo_now):
    opened = []

    def make(**kw):
        shell = open_shell(demo_dir, clock=lambda: demo_now, **kw)
        qtbot.addWidget(shell)
        shell.resize(1366, 768)
        shell.show()
        qtbot.waitExposed(shell)
        opened.append(shell)
        return shell

    yield make
    for shell in opened:
        shell.quit()
    language().set(Language.EN)


def sign_in(qtbot, shell, role: Role) -> None:
    name, pin = ACCOUNTS[role]
    qtbot.keyClicks(shell.sign_in.name_field, name)
    qtbot.keyClick(shell.sign_in.name_field, Qt.Key.Key_Return)
    qtbot.keyClicks(shell.sign_in.pin_field, pin)
    qtbot.keyClick(shell.sign_in.pin_field, Qt.Key.Key_Return)
    assert shell.actor is not None, shell.sign_in.error.text()


def journal(demo_dir, action: str) -> list[str]:
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        return [a for (a,) in db.execute("select actor from journal where action = ?", (action,))]


def test_every_screen_a_role_sees_is_an_action_the_role_may_take():
    for role, screens in SCREENS.items():
        assert screens_for(role) == screens, role
    assert screens_for(Role.CLERK) == (Screen.COUNTER, Screen.POOL)
    assert Screen.POOL not in screens_for(Role.SECURITY) + screens_for(Role.ADMINISTRATOR)
    assert Screen.SECURITY not in screens_for(Role.SUPERVISOR)
    assert all(NEEDS[s] for s in Screen if s is not Screen.OVERVIEW)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.slow
def test_each_role_sees_only_its_screens(qtbot, shell_at, role):
    shell = shell_at()
    sign_in(qtbot, shell, role)
    assert [p.screen for p in shell.pages] == list(screens_for(role))
    assert shell.current is shell.pages[0]
    assert ACCOUNTS[role][0] in shell.who.text()
    buttons = [b.text() for b in shell.nav_group.buttons()]
    assert len(buttons) == len(screens_for(role))
    assert shell.quit_button.isHidden()  # no Quit outside kiosk mode


def test_ctrl_and_a_number_bring_a_screen_to_the_front(qtbot, shell_at):
    shell = shell_at()
    sign_in(qtbot, shell, Role.SUPERVISOR)
    qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert shell.current.screen is Screen.OVERVIEW
    qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert shell.current.screen is Screen.COUNTER


def test_a_refused_sign_in_stays_at_the_sign_in_screen(qtbot, shell_at, demo_dir):
    shell = shell_at()
    qtbot.keyClicks(shell.sign_in.name_field, "clerk")
    qtbot.keyClick(shell.sign_in.name_field, Qt.Key.Key_Return)
    qtbot.keyClicks(shell.sign_in.pin_field, "0000")
    qtbot.keyClick(shell.sign_in.pin_field, Qt.Key.Key_Return)
    assert shell.actor is None and shell.current is None
    assert shell.sign_in.error.text()
    assert shell.sign_out_button.isHidden()


def test_sign_out_is_journalled_and_the_next_person_gets_a_new_presenter(qtbot, shell_at, demo_dir):
    shell = shell_at()
    sign_in(qtbot, shell, Role.CLERK)
    first = shell.current.presenter
    assert first.actor.name == "clerk"
    qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert shell.actor is None and shell.pages == []
    assert shell.stack.currentWidget() is shell.sign_in
    assert "clerk" in journal(demo_dir, "sign_out")
    sign_in(qtbot, shell, Role.SUPERVISOR)
    assert shell.current.presenter is not first
    assert shell.current.presenter.actor.name == "supervisor"


def test_an_id_document_read_before_a_sign_out_is_not_the_next_sessions(qtbot, shell_at, manifest):
    """A document read with no code yet, then the clerk leaves (Ctrl+Q, or the idle
    sign-out, which goes the same way): the next session's first code starts without it."""
    shell = shell_at()
    a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
    sign_in(qtbot, shell, Role.CLERK)
    first = shell.current.presenter
    for line in a["mrz"].splitlines():
        first.scan(line)
    assert first.reading is not None
    qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    sign_in(qtbot, shell, Role.CLERK)
    presenter = shell.current.presenter
    presenter.scan(a["code"])
    assert presenter.reading is None
    assert presenter.decision.verdict.value == "incomplete"


@pytest.mark.slow
def test_idle_sign_out_after_the_timeout(qtbot, shell_at, demo_dir):
    shell = shell_at(idle_ms=2000)  # long enough that sign_in() sees the session open
    sign_in(qtbot, shell, Role.CLERK)
    qtbot.waitUntil(lambda: shell.actor is None, timeout=60_000)
    assert shell.stack.currentWidget() is shell.sign_in
    assert journal(demo_dir, "sign_out") == ["clerk"]


def test_keys_keep_the_session_alive(qtbot, shell_at):
    shell = shell_at(idle_ms=60_000)
    sign_in(qtbot, shell, Role.CLERK)
    for _ in range(3):
        shell.idle.stop()  # the countdown, frozen: only a key can start it again
        qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_Shift)
        assert shell.idle.isActive()
    assert shell.actor is not None


def test_a_scan_at_the_sign_in_screen_says_sign_in_first_never_typed(qtbot, shell_at, manifest):
    shell = shell_at()
    a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
    shell.sign_in.pin_field.setFocus()
    scanner_types(shell, a["code"])
    qtbot.waitUntil(lambda: shell.sign_in.error.text() != "", timeout=60_000)
    assert shell.sign_in.error.text() == "Sign in first, then scan again."
    assert shell.sign_in.pin_field.text() == shell.sign_in.name_field.text() == ""
    assert shell.actor is None
    language().set(Language.FR)
    qtbot.waitUntil(lambda: shell.sign_in.error.text().startswith("Connectez-vous"))
    assert shell.sign_in.error.text() == "Connectez-vous d'abord, puis scannez à nouveau."


def test_a_scan_goes_to_the_counter_in_front(qtbot, shell_at, manifest):
    shell = shell_at()
    sign_in(qtbot, shell, Role.CLERK)
    a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
    scanner_types(shell, a["code"])
    presenter = shell.current.presenter
    qtbot.waitUntil(lambda: presenter.decision is not None, timeout=60_000)
    assert presenter.decision.case.accreditation.id == a["accreditation_id"]


def test_a_security_post_verifies_scanned_badges_and_journals_each_check(qtbot, shell_at, demo_dir):
    shell = shell_at(roles={Role.SECURITY})
    sign_in(qtbot, shell, Role.SECURITY)
    screen = shell.current.widget
    scanner_types(shell, "BCDFGHJKLNPRSTVXBCDF")
    qtbot.waitUntil(lambda: screen.banner.text() == "NOT VALID", timeout=60_000)
    shell.current.presenter.wait()
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # the guard's check, journalled
        rows = db.execute(
            "select actor, badge_serial, verdict, details from journal where action = 'post_check'"
        ).fetchall()
    assert [r[:3] for r in rows] == [("security", None, None)]
    assert json.loads(rows[0][3]) == {
        "role": "security",
        "answer": "not_valid",
        "reason": "not_a_badge",
        "post": "HQ",
    }


def test_a_session_whose_account_is_disabled_ends_and_the_sign_in_screen_says_why(
    qtbot, shell_at, demo_dir
):
    shell = shell_at()
    sign_in(qtbot, shell, Role.SUPERVISOR)
    assert shell.watch.isActive()  # the account is read again every few seconds
    shell.check_account()
    assert shell.actor is not None  # nothing changed: the session goes on
    shell.kiosk.staff.disable("supervisor")  # the operator at the shell, or a sync round
    shell.check_account()  # the watch's next beat
    assert shell.actor is None and shell.pages == []
    assert not shell.watch.isActive()
    assert shell.sign_in.error.text() == (
        "supervisor's account is disabled: sign in with another account."
    )
    language().set(Language.FR)
    qtbot.waitUntil(lambda: shell.sign_in.error.text().startswith("Le compte"))
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        (details,) = db.execute(
            "select details from journal where action = 'sign_out' order by id desc limit 1"
        ).fetchone()
    assert '"why": "stopped"' in details


def test_a_session_whose_role_the_hub_changed_ends(qtbot, shell_at, demo_dir):
    shell = shell_at()
    sign_in(qtbot, shell, Role.SUPERVISOR)
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # as a staff feed writes it
        db.execute("update staff set role = 'clerk' where name = 'supervisor'")
    shell.check_account()
    assert shell.actor is None
    assert shell.sign_in.error.text() == "supervisor's role has changed: sign in again."
    sign_in(qtbot, shell, Role.SUPERVISOR)  # signed in again: the clerk's screens only
    assert [p.screen for p in shell.pages] == list(screens_for(Role.CLERK))


def test_a_guard_disabled_meanwhile_sees_the_answer_cleared_and_is_signed_out(
    qtbot, shell_at, manifest
):
    shell = shell_at(roles={Role.SECURITY})
    sign_in(qtbot, shell, Role.SECURITY)
    screen, presenter = shell.current.widget, shell.current.presenter
    shown = []  # the banner after each change (the screen goes once signed out)
    presenter.changed.connect(lambda: shown.append(screen.banner.text()))
    shell.kiosk.staff.disable("security")
    scanner_types(shell, "BCDFGHJKLNPRSTVXBCDF")  # before the watch's next beat
    qtbot.waitUntil(lambda: shell.actor is None, timeout=60_000)
    assert presenter.result is None  # no holder's details left on the screen
    assert shown == ["NOT VALID", "SCAN A BADGE"]
    assert shell.sign_in.error.text().startswith("security's account is disabled")


@pytest.mark.slow
def test_the_language_button_switches_every_screen(qtbot, shell_at):
    shell = shell_at()
    assert shell.language_button.text() == "Français"
    sign_in(qtbot, shell, Role.SUPERVISOR)
    qtbot.mouseClick(shell.language_button, Qt.MouseButton.LeftButton)
    assert language().current is Language.FR
    assert shell.language_button.text() == "English"
    assert "Superviseur" in shell.who.text()
    assert shell.nav_group.button(0).text().startswith("Guichet")
    qtbot.waitUntil(lambda: shell.sign_in.name_label.text() == "Votre nom")
    qtbot.keyClick(shell.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert language().current is Language.EN
    assert shell.nav_group.button(0).text().startswith("Counter")


def test_sign_out_returns_to_the_settings_language(qtbot, shell_at, demo_dir):
    save_settings(demo_dir, KioskSettings(language="fr"))
    shell = shell_at()
    assert shell.sign_in.name_label.text() == "Votre nom"
    sign_in(qtbot, shell, Role.CLERK)
    shell.toggle_language()
    assert language().current is Language.EN
    shell.sign_out()
    assert language().current is Language.FR


def test_kiosk_mode_closes_only_through_the_administrators_quit(qtbot, shell_at):
    shell = shell_at(kiosk_mode=True)
    assert shell.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not shell.close()
    assert shell.isVisible()
    sign_in(qtbot, shell, Role.CLERK)
    assert shell.quit_button.isHidden()
    shell.sign_out()
    sign_in(qtbot, shell, Role.ADMINISTRATOR)
    assert not shell.quit_button.isHidden()
    qtbot.mouseClick(shell.quit_button, Qt.MouseButton.LeftButton)
    assert not shell.isVisible()


def test_closing_a_normal_window_signs_out(qtbot, shell_at, demo_dir):
    shell = shell_at()
    sign_in(qtbot, shell, Role.CLERK)
    assert shell.close()
    assert journal(demo_dir, "sign_out") == ["clerk"]
    assert QApplication.activeModalWidget() is None


def test_settings_saved_by_the_administrator_apply_to_the_session(qtbot, shell_at):
    shell = shell_at()
    sign_in(qtbot, shell, Role.ADMINISTRATOR)
    settings = shell.current.widget
    assert shell.current.screen is Screen.SETTINGS
    settings.idle.setValue(2)
    settings.language.setCurrentIndex(settings.language.findData("fr"))
    settings.save()
    assert shell.idle.interval() == 2 * 60_000
    shell.sign_out()
    assert language().current is Language.FR


@pytest.mark.parametrize("lang", list(Language), ids=str)
def test_a_supervisors_top_bar_fits_a_1366_screen_and_names_keys_when_wider(
    qtbot, shell_at, themed, lang
):
    """Five screens with their keys needed 1,666 pixels in French: the window grew past a
    1366x768 screen and Sign out fell off its edge. Narrow, the buttons name the screen
    (the key in the tooltip); at 1920 they name the key too."""
    shell = shell_at()
    sign_in(qtbot, shell, Role.SUPERVISOR)
    language().set(lang)
    QApplication.processEvents()
    buttons = shell.nav_group.buttons()
    assert shell.top_bar.minimumSizeHint().width() <= 1366
    assert all("[Ctrl+" not in b.text() for b in buttons)
    assert [b.toolTip() for b in buttons] == [f"Ctrl+{i}" for i in range(1, 6)]
    if lang is Language.EN:  # the French counter screen is wider than 1366 on its own
        assert shell.width() == 1366
        right = shell.sign_out_button.mapTo(shell, shell.sign_out_button.rect().topRight())
        assert right.x() < 1366
    shell.resize(1920, 1080)
    qtbot.waitUntil(lambda: all(b.text().endswith(f"[Ctrl+{i}]") for i, b in enumerate(buttons, 1)))
    shell.resize(1366, 768)  # and narrow again: the keys go, the window follows
    qtbot.waitUntil(lambda: all("[Ctrl+" not in b.text() for b in buttons))
    assert shell.top_bar.minimumSizeHint().width() <= 1366
    if lang is Language.EN:
        qtbot.waitUntil(lambda: shell.width() == 1366)


def test_a_kiosk_that_purges_as_it_starts_says_so_meanwhile(qtbot, demo_dir, demo_now, monkeypatch):
    """A big event's purge holds the start for seconds: a window says why, in the
    settings' language, painted before the purge begins, and goes once the kiosk is up."""
    from datetime import timedelta

    import app.window

    save_settings(demo_dir, KioskSettings(language="fr"))
    seen = []

    def recorded():
        widget = real()
        seen.append((widget.isVisible(), widget.text(), journal(demo_dir, "purge")))
        return widget

    real = app.window.purge_notice
    monkeypatch.setattr(app.window, "purge_notice", recorded)
    after_retention = demo_now + timedelta(days=35)
    try:  # the settings' French is the screens' language until reset
        shell = open_shell(demo_dir, clock=lambda: after_retention)
        qtbot.addWidget(shell)
        ((shown, text, purges_then),) = seen
        assert shown and purges_then == []  # on screen before the purge ran
        assert text.startswith("Suppression des données personnelles des événements passés")
        assert journal(demo_dir, "purge") == ["automatic purge"]
        assert not any(
            w.objectName() == "purgeNotice" and w.isVisible()
            for w in QApplication.topLevelWidgets()
        )
        shell.quit()
        again = open_shell(demo_dir, clock=lambda: after_retention)  # done today: no window
        qtbot.addWidget(again)
        again.quit()
        assert len(seen) == 1
    finally:
        language().set(Language.EN)
