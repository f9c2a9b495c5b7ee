"""The sign-in screen with the demo world's staff book: keys only, refusals shown."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.language import Language, language
from ui.sign_in import SignInScreen


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


@pytest.fixture
def screen(qtbot, kiosk):
    def make(roles=tuple(Role)) -> SignInScreen:
        s = SignInScreen(kiosk.staff, roles)
        qtbot.addWidget(s)
        s.show()
        qtbot.waitExposed(s)
        return s

    return make


def type_in(qtbot, s: SignInScreen, name: str, pin: str) -> None:
    qtbot.keyClicks(s.focusWidget(), name)
    qtbot.keyClick(s.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClicks(s.focusWidget(), pin)
    qtbot.keyClick(s.focusWidget(), Qt.Key.Key_Return)


def test_name_enter_pin_enter_signs_in(qtbot, screen):
    s = screen()
    assert s.focusWidget() is s.name_field
    with qtbot.waitSignal(s.signed_in) as got:
        type_in(qtbot, s, "clerk", "1111")
    assert got.args == [Actor("clerk", Role.CLERK)]
    assert s.name_field.text() == s.pin_field.text() == ""


def test_a_wrong_pin_is_refused_with_its_message(qtbot, screen):
    s = screen()
    with qtbot.assertNotEmitted(s.signed_in):
        type_in(qtbot, s, "clerk", "9999")
    assert s.error.text()
    assert s.pin_field.text() == ""
    assert s.focusWidget() is s.pin_field  # try the PIN again


def test_an_unknown_name_reads_like_a_wrong_pin(qtbot, screen):
    s = screen()
    type_in(qtbot, s, "clerk", "9999")
    wrong_pin = s.error.text()
    s.reset()
    type_in(qtbot, s, "nobody", "1111")
    assert s.error.text() == wrong_pin


def test_an_empty_pin_asks_for_it(qtbot, screen):
    s = screen()
    qtbot.keyClicks(s.name_field, "clerk")
    s.submit()
    assert "PIN" in s.error.text()


def test_the_message_follows_a_language_switch(qtbot, screen):
    s = screen()
    type_in(qtbot, s, "clerk", "9999")
    english = s.error.text()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: s.name_label.text() == "Votre nom")
        assert s.error.text() != english
    finally:
        language().set(Language.EN)
    qtbot.waitUntil(lambda: s.error.text() == english)


def test_a_post_for_one_role_turns_the_others_away(qtbot, screen):
    s = screen(roles={Role.SECURITY})
    with qtbot.assertNotEmitted(s.signed_in):
        type_in(qtbot, s, "clerk", "1111")
    assert s.error.text() == (
        "clerk: a clerk account has no screen at this post. Sign in with a security account."
    )  # what to do next, not only what went wrong
    language().set(Language.FR)
    try:
        qtbot.waitUntil(lambda: s.error.text().endswith("avec un compte sécurité."))
    finally:
        language().set(Language.EN)
    with qtbot.waitSignal(s.signed_in):
        type_in(qtbot, s, "security", "3333")


def test_a_store_without_accounts_says_how_to_add_one(qtbot, demo_dir, demo_now):
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        db.execute("delete from staff")
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        s = SignInScreen(k.staff)
        qtbot.addWidget(s)
        assert "kiosk staff add" in s.hint.text()
    finally:
        k.close()
