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


def short_pin_supervisor(kiosk, name: str = "sid", from_hub: bool = False) -> None:
    """A supervisor whose 4-digit PIN was set before supervisors needed 6 (`add` refuses
    one now), as an older store holds it."""
    from kiosk.roles import hash_pin
    from kiosk.store.schema import StaffRow

    kiosk.staff.add(name, Role.SUPERVISOR, "905412")
    with kiosk.store.writing() as s:
        row = s.get(StaffRow, name)
        row.pin_hash, row.from_hub = hash_pin("4321"), from_hub


def staff_journal(demo_dir, name: str) -> list[tuple[str, str]]:
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        rows = db.execute("select action, details from journal where actor = ?", (name,))
        return [(a, d) for a, d in rows]


def test_a_pin_below_its_roles_minimum_is_renewed_before_the_session_opens(
    qtbot, screen, kiosk, demo_dir
):
    short_pin_supervisor(kiosk)
    s = screen()
    got = []
    s.signed_in.connect(got.append)
    type_in(qtbot, s, "sid", "4321")
    assert got == []  # no session yet: a new PIN first
    assert s.again_field.isVisible() and not s.name_field.isEnabled()
    assert s.pin_label.text() == "New PIN"
    assert s.error.text().startswith("sid, your PIN is shorter than a supervisor's PIN")
    assert "(6 characters at least)" in s.error.text()
    for new, again, said in (
        ("771234", "771235", "The two PINs differ: type the new one twice again."),
        ("7712", "7712", "A supervisor's PIN has 6 to"),
        ("4321", "4321", "A supervisor's PIN has 6 to"),  # the old one is too short as well
    ):
        qtbot.keyClicks(s.pin_field, new)
        qtbot.keyClick(s.pin_field, Qt.Key.Key_Return)
        assert s.focusWidget() is s.again_field
        qtbot.keyClicks(s.again_field, again)
        qtbot.keyClick(s.again_field, Qt.Key.Key_Return)
        assert got == [] and s.error.text().startswith(said), s.error.text()
    qtbot.keyClicks(s.pin_field, "771234")
    qtbot.keyClick(s.pin_field, Qt.Key.Key_Return)
    qtbot.keyClicks(s.again_field, "771234")
    qtbot.keyClick(s.again_field, Qt.Key.Key_Return)
    assert got == [Actor("sid", Role.SUPERVISOR)]
    assert not s.again_field.isVisible() and s.pin_label.text() == "PIN"
    assert [a for a, _ in staff_journal(demo_dir, "sid")] == ["sign_in", "staff_pin"]
    kiosk.staff.sign_out(got[0])
    assert kiosk.staff.sign_in("sid", "771234") == Actor("sid", Role.SUPERVISOR)


def test_escape_cancels_a_renewal_and_no_session_opens(qtbot, screen, kiosk, demo_dir):
    short_pin_supervisor(kiosk)
    s = screen()
    got = []
    s.signed_in.connect(got.append)
    type_in(qtbot, s, "sid", "4321")
    language().set(Language.FR)
    qtbot.waitUntil(lambda: s.pin_label.text() == "Nouveau code PIN")
    assert s.error.text().startswith("sid, votre code PIN est plus court que ce qu'exige")
    language().set(Language.EN)
    qtbot.keyClick(s.pin_field, Qt.Key.Key_Escape)
    assert got == [] and s.name_field.isEnabled() and not s.again_field.isVisible()
    assert s.error.text() == "No new PIN was chosen: sign in again to choose one."
    assert staff_journal(demo_dir, "sid")[-1] == (
        "sign_out",
        '{"role": "supervisor", "why": "pin_not_renewed"}',
    )
    s.cancel_renewal()  # a minute without a key, after: nothing more to cancel
    assert len(staff_journal(demo_dir, "sid")) == 2


def test_a_hub_accounts_short_pin_is_changed_at_the_hub_not_here(qtbot, screen, kiosk):
    short_pin_supervisor(kiosk, "hubsid", from_hub=True)
    s = screen()
    with qtbot.waitSignal(s.signed_in) as got:
        type_in(qtbot, s, "hubsid", "4321")
    assert got.args == [Actor("hubsid", Role.SUPERVISOR)]
