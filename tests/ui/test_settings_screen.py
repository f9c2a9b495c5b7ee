"""The administrator's settings screen: saves what is valid, names what is not and then
writes nothing, enrols with a hub from its file."""

from __future__ import annotations

import base64
import json
import sqlite3

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.staff import SignInRefused
from printing.printers import chosen_printer
from sync.state import read_state
from ui.language import Language, language
from ui.settings import KioskSettings, load_settings, save_settings
from ui.settings_screen import SettingsScreen

ADMIN = Actor("admin", Role.ADMINISTRATOR)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


@pytest.fixture
def screen(qtbot, kiosk, demo_dir):
    s = SettingsScreen(kiosk, ADMIN, demo_dir)
    qtbot.addWidget(s)
    s.show()
    return s


def test_only_an_administrator_opens_it(qtbot, kiosk, demo_dir):
    with pytest.raises(AccessDenied):
        SettingsScreen(kiosk, Actor("sup", Role.SUPERVISOR), demo_dir)


def test_the_form_shows_what_is_saved(qtbot, kiosk, demo_dir):
    save_settings(demo_dir, KioskSettings(Counter.VISITORS, "", "fr", 9))
    s = SettingsScreen(kiosk, ADMIN, demo_dir)
    qtbot.addWidget(s)
    assert s.counter.currentData() == "visitors"
    assert s.language.currentData() == "fr"
    assert s.idle.value() == 9
    assert s.printers[Counter.GROUPS].currentText() == "folder"


def test_valid_settings_are_saved_and_announced(qtbot, screen, demo_dir):
    screen.counter.setCurrentIndex(screen.counter.findData("visitors"))
    screen.language.setCurrentIndex(screen.language.findData("fr"))
    screen.idle.setValue(2)
    assert not screen.tones.isChecked()  # tones are off until switched on
    assert screen.tones.accessibleName() == "Tones (counter, security post)"
    screen.tones.setChecked(True)
    with qtbot.waitSignal(screen.saved) as got:
        qtbot.keyClick(screen.camera, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wanted = KioskSettings(Counter.VISITORS, "", "fr", 2, tones=True)
    assert got.args == [wanted]
    assert load_settings(demo_dir) == wanted
    assert screen.message.text() == "Settings saved."
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # journalled as the admin's
        (actor, details) = db.execute(
            "select actor, details from journal where action = 'settings'"
        ).fetchone()
    assert actor == "admin"
    assert json.loads(details)["changed"] == {
        "counter": ["groups", "visitors"],
        "language": ["en", "fr"],
        "idle_minutes": ["5", "2"],
        "tones": ["off", "on"],
    }


def test_a_save_by_an_administrator_disabled_meanwhile_writes_nothing(qtbot, kiosk, demo_dir):
    kiosk.staff.add("ada", Role.ADMINISTRATOR, "987654")
    screen = SettingsScreen(kiosk, Actor("ada", Role.ADMINISTRATOR), demo_dir)
    qtbot.addWidget(screen)
    kiosk.staff.disable("ada")
    screen.idle.setValue(2)
    screen.save()
    assert screen.message.text() == "ada's account is disabled: sign in with another account."
    assert load_settings(demo_dir).idle_minutes != 2


def test_a_camera_that_does_not_exist_is_named_and_nothing_is_written(qtbot, screen, demo_dir):
    screen.idle.setValue(3)
    screen.camera.setText("/nowhere/camera.mp4")
    with qtbot.assertNotEmitted(screen.saved):
        screen.save()
    assert "No camera" in screen.message.text()
    assert screen.message.objectName() == "settingsError"
    assert not (demo_dir / "settings.json").exists()


def test_an_unknown_printer_is_refused(qtbot, screen, demo_dir):
    screen.printers[Counter.VISITORS].addItem("Gone")
    screen.printers[Counter.VISITORS].setCurrentText("Gone")
    screen.save()
    assert "Printer Gone is not on this machine" in screen.message.text()
    assert chosen_printer(demo_dir, Counter.VISITORS) == "folder"


def test_unreadable_printer_choices_are_said_and_replaced_at_save(qtbot, kiosk, demo_dir):
    # The screen raised in its loading, and saving could not replace the file.
    (demo_dir / "printers.json").write_text("{garbage")
    s = SettingsScreen(kiosk, ADMIN, demo_dir)
    qtbot.addWidget(s)
    assert s.message.text() == (
        "The printer choices of this kiosk cannot be read: choose the printers and Save."
    )
    assert s.printers[Counter.GROUPS].currentText() == "folder"
    with qtbot.waitSignal(s.saved):
        s.save()
    assert chosen_printer(demo_dir, Counter.GROUPS) == "folder"  # readable again
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        (details,) = db.execute("select details from journal where action = 'settings'").fetchone()
    assert json.loads(details)["changed"]["printer.groups"] == ["unreadable", "folder"]


def test_messages_follow_the_language(qtbot, screen):
    screen.camera.setText("/nowhere")
    screen.save()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: "Pas de caméra" in screen.message.text())
        assert screen.title.text() == "Paramètres de ce kiosque"
    finally:
        language().set(Language.EN)


def enrolment_file(tmp_path, url="http://127.0.0.1:8765"):
    path = tmp_path / "enrol.json"
    path.write_text(
        json.dumps(
            {
                "format": "pass-office-enrolment/1",
                "hub_url": url,
                "hub_id": "HQ",
                "kiosk_id": "G1",
                "role": "counter",
                "token": "t0k3n",
                "hub_key": base64.b64encode(bytes(32)).decode(),
                "document_key": base64.b64encode(bytes(32)).decode(),
            }
        )
    )
    return path


def test_enrol_from_a_file_then_change_the_hubs_address(qtbot, screen, kiosk, tmp_path):
    assert not screen.hub_url.isEnabled()
    assert "Not enrolled" in screen.sync_state.text()
    screen.enrolment.setText(str(enrolment_file(tmp_path)))
    screen.enrol()
    assert "Enrolled as G1 with hub HQ" in screen.message.text()
    assert "Kiosk G1 of hub HQ" in screen.sync_state.text()
    assert screen.hub_url.isEnabled()
    screen.hub_url.setText("not a url")
    screen.save()
    assert "hub address must look like" in screen.message.text()
    assert read_state(kiosk.store).hub_url == "http://127.0.0.1:8765"
    # Sync would refuse these (sync/transport.py): said here, and nothing changes.
    for url, said in (
        ("https://127.0.0.1:9000", "holds no certificate for an https hub"),
        ("http://10.0.0.9:8750", "Plain http to another machine is refused"),
    ):
        screen.hub_url.setText(url)
        screen.save()
        assert said in screen.message.text()
        assert read_state(kiosk.store).hub_url == "http://127.0.0.1:8765"
    screen.hub_url.setText("http://localhost:9000")
    screen.save()
    assert read_state(kiosk.store).hub_url == "http://localhost:9000"


def test_a_bad_enrolment_file_changes_nothing(qtbot, screen, kiosk, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    screen.enrolment.setText(str(bad))
    screen.enrol()
    assert "Not enrolled" in screen.message.text()
    assert read_state(kiosk.store) is None


def on_next_dialog(act) -> list[BaseException]:
    """Run `act(dialog)` on the next modal dialog once it is up (exec() blocks the test);
    a failure closes the dialog and is kept in the list returned, for the test to raise."""
    failed: list[BaseException] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not (isinstance(dialog, QDialog) and dialog.isVisible()):
            QTimer.singleShot(20, poll)
            return
        try:
            act(dialog)
        except BaseException as err:  # handed back to the test
            failed.append(err)
            dialog.reject()

    QTimer.singleShot(0, poll)
    return failed


def type_pins(qtbot, dialog, pin: str, again: str) -> None:
    """Type the PIN, Tab, the PIN again, Enter: the keyboard user's way through."""
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.again
    qtbot.keyClicks(dialog.again, again)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)


def row_of(screen, name: str) -> list[str]:
    table = screen.staff_box.table
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    return next(r for r in rows if r[0] == name)


def test_the_staff_accounts_are_listed(screen):
    assert row_of(screen, "clerk") == ["clerk", "Clerk", "enabled"]
    assert row_of(screen, "admin") == ["admin", "Administrator", "enabled"]


def test_add_an_account_with_the_keyboard_then_it_signs_in(qtbot, screen, kiosk):
    def fill(dialog):
        qtbot.keyClicks(dialog.name_field, "Zoe Martin")
        qtbot.keyClick(dialog.name_field, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.role
        qtbot.keyClick(dialog.role, Qt.Key.Key_Down)  # clerk -> supervisor
        qtbot.keyClick(dialog.role, Qt.Key.Key_Tab)
        type_pins(qtbot, dialog, "907312", "907312")

    failed = on_next_dialog(fill)
    screen.staff_box.add_button.click()
    assert not failed, failed
    assert row_of(screen, "Zoe Martin") == ["Zoe Martin", "Supervisor", "enabled"]
    assert screen.message.text() == "Added Zoe Martin."
    assert kiosk.staff.sign_in("Zoe Martin", "907312").role is Role.SUPERVISOR


def test_a_new_pin_replaces_the_old_and_differing_pins_change_nothing(qtbot, screen, kiosk):
    screen.staff_box.select("clerk")
    seen = []

    def fill(dialog):
        type_pins(qtbot, dialog, "5150", "5151")
        seen.append(dialog.error.text())
        assert dialog.isVisible()  # refused: still open
        qtbot.keyClicks(dialog.again, "5150")
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)

    failed = on_next_dialog(fill)
    screen.staff_box.pin_button.click()
    assert not failed, failed
    assert seen == ["The two PINs differ: type the same PIN twice."]
    assert screen.message.text() == "New PIN set for clerk."
    assert kiosk.staff.sign_in("clerk", "5150").name == "clerk"


def test_escape_cancels_and_a_short_pin_is_refused_in_french(qtbot, screen, kiosk):
    screen.staff_box.select("clerk")
    seen = []

    def fill(dialog):
        type_pins(qtbot, dialog, "12", "12")
        seen.append(dialog.error.text())
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Escape)

    try:
        language().set(Language.FR)
        failed = on_next_dialog(fill)
        screen.staff_box.pin_button.click()
    finally:
        language().set(Language.EN)
    assert not failed, failed
    assert seen == ["Le code PIN d'un agent de guichet compte de 4 à 64 caractères imprimables."]
    assert kiosk.staff.sign_in("clerk", "1111").name == "clerk"


def test_disable_then_enable_and_the_last_administrator_stays(qtbot, screen, kiosk):
    box = screen.staff_box
    box.select("clerk")
    assert box.toggle_button.text() == "Disable"
    box.toggle_button.click()
    assert row_of(screen, "clerk")[2] == "disabled" and box.toggle_button.text() == "Enable"
    with pytest.raises(SignInRefused):
        kiosk.staff.sign_in("clerk", "1111")
    box.toggle_button.click()
    assert row_of(screen, "clerk")[2] == "enabled"
    assert kiosk.staff.sign_in("clerk", "1111").name == "clerk"
    box.select("admin")
    box.toggle_button.click()  # the administrator signed in, and the only one
    assert "your own account" in screen.message.text()
    assert screen.message.objectName() == "settingsError"
    assert row_of(screen, "admin")[2] == "enabled"


def test_a_screen_left_open_refuses_a_clerk_and_changes_nothing(qtbot, kiosk, demo_dir):
    s = SettingsScreen(kiosk, ADMIN, demo_dir)
    qtbot.addWidget(s)
    s.staff_box.actor = Actor("clerk", Role.CLERK)  # as if the role were taken away
    s.staff_box.select("supervisor")
    s.staff_box.toggle_button.click()
    assert "A clerk may not do this" in s.message.text()
    assert not any(a.disabled for a in kiosk.staff.accounts())


def test_a_name_waiting_after_wrong_pins_is_shown_and_its_wait_lifted(qtbot, screen, kiosk):
    """The list said "enabled" for a clerk the kiosk refused for minutes after wrong PINs,
    and the screen had no way to let them in but a new PIN."""
    from kiosk.staff import FREE_TRIES

    for _ in range(FREE_TRIES + 1):  # the next one waits
        with pytest.raises(SignInRefused):
            kiosk.staff.sign_in("clerk", "0000")
    box = screen.staff_box
    box.refresh()
    state = row_of(screen, "clerk")[2]
    assert state.startswith("waiting after wrong PINs, until ")
    box.select("admin")
    assert not box.unlock_button.isEnabled()
    box.select("clerk")
    assert box.unlock_button.isEnabled() and box.unlock_button.text() == "Lift the wait"
    language().set(Language.FR)
    try:
        qtbot.waitUntil(lambda: box.unlock_button.text() == "Lever l'attente")
        assert row_of(screen, "clerk")[2].startswith("en attente après des codes erronés")
    finally:
        language().set(Language.EN)
    qtbot.mouseClick(box.unlock_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "clerk may sign in again at once, with the same PIN."
    assert row_of(screen, "clerk")[2] == "enabled" and not box.unlock_button.isEnabled()
    assert kiosk.staff.sign_in("clerk", "1111").name == "clerk"
