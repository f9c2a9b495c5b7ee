"""The supervisor's tools on a worked demo day: retry a failed print (here and on another
printer), undo a hand-over with a reason, find an applicant's badges; refusals in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from test_overview_screen import SUPERVISOR, at, worked_copy, worked_master

from app.wiring import open_kiosk
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from ui.language import Language, language
from ui.search_dialog import SearchDialog
from ui.supervisor_screen import SupervisorScreen


@pytest.fixture(scope="module")
def worked_once(demo_master: Path, manifest: dict, tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("worked") / "data"
    return folder, worked_master(demo_master, manifest, folder)


@pytest.fixture
def worked(worked_once, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    return worked_copy(worked_once[0], tmp_path), dict(worked_once[1])


@pytest.fixture
def kiosk(worked):
    k = open_kiosk(worked[0], Counter.GROUPS, clock=lambda: at(12, 0))
    yield k
    k.close()


@pytest.fixture
def serials(worked) -> dict[str, str]:
    return worked[1]


def _screen(qtbot, kiosk, actor: Actor = SUPERVISOR) -> SupervisorScreen:
    s = SupervisorScreen(kiosk, actor)
    qtbot.addWidget(s)
    s.resize(1366, 700)
    s.show()
    qtbot.waitUntil(lambda: s.loaded and not s.background.busy, timeout=60_000)
    return s


@pytest.fixture
def screen(qtbot, kiosk):
    s = _screen(qtbot, kiosk)
    yield s
    s.background.wait()


def _column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def _idle(qtbot, screen: SupervisorScreen) -> None:
    qtbot.waitUntil(lambda: not screen.background.busy, timeout=60_000)


def _select(table, serial_col: int, serial: str) -> None:
    table.selectRow(_column(table, serial_col).index(serial))


def _answer_next_dialog(text: str | None) -> None:
    """Type `text` into the next modal input dialog and press OK (None: Cancel)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        if text is None:
            dialog.reject()
        else:
            dialog.setTextValue(text)
            dialog.accept()

    QTimer.singleShot(0, answer)


def test_the_three_lists(screen, serials):
    assert _column(screen.failed, 0) == [serials["A0000011"]]
    assert "out of cards" in screen.failed.item(0, 4).text()
    assert _column(screen.handed_over, 0) == ["10:20", "09:10", "08:30"]  # latest first
    assert serials["A0000001"] in _column(screen.handed_over, 1)
    assert set(_column(screen.queue, 0)) == {serials["A0000024"], serials["A0000025"]}
    assert screen.retry_button.isEnabled()  # the oldest failure is selected
    assert not screen.undo_button.isEnabled()  # until a hand-over is chosen


def test_retry_prints_the_failed_badge_on_the_counter_printer(qtbot, screen, kiosk, serials):
    serial = serials["A0000011"]
    qtbot.mouseClick(screen.retry_button, Qt.MouseButton.LeftButton)
    assert not screen.retry_button.isEnabled()  # while the printer works
    _idle(qtbot, screen)
    qtbot.waitUntil(lambda: screen.failed.rowCount() == 0, timeout=60_000)
    assert screen.message.text() == f"Badge {serial} printed: hand it over."
    assert "#1b5e20" in screen.message.styleSheet()
    assert (kiosk.data_dir / "printed" / f"{serial}.pdf").exists()
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert serial in _column(screen.handed_over, 1)
    (job,) = [j for j in kiosk.desk.prints.jobs(serial) if j.state == "completed"]
    assert job.printer == "folder"


def test_a_printer_that_is_gone_is_said_and_the_badge_keeps_waiting(qtbot, screen, kiosk, serials):
    (kiosk.data_dir / "printers.json").write_text('{"groups": "NoSuchQueue"}')
    screen.retry()
    _idle(qtbot, screen)
    text = screen.message.text()
    assert "NoSuchQueue" in text or "print system does not answer" in text
    assert "#b71c1c" in screen.message.styleSheet()
    assert kiosk.desk.prints.badge(serials["A0000011"]).status is BadgeStatus.PRINT_FAILED
    assert _column(screen.failed, 0) == [serials["A0000011"]]


def test_send_to_another_printer(qtbot, screen, kiosk, serials):
    (kiosk.data_dir / "printers.json").write_text('{"groups": "NoSuchQueue"}')

    def choose_folder() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "chosen"):
            QTimer.singleShot(20, choose_folder)
            return
        rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        dialog.list.setCurrentRow(next(i for i, r in enumerate(rows) if r.startswith("folder")))
        dialog.accept()

    def choose_folder_seeing_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "chosen"):
            QTimer.singleShot(20, choose_folder_seeing_the_dialog)
            return
        seen.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        seen.append(dialog.prompt.text())
        choose_folder()

    seen: list[str] = []
    QTimer.singleShot(0, choose_folder_seeing_the_dialog)
    qtbot.mouseClick(screen.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "printed" in screen.message.text(), timeout=60_000)
    serial = serials["A0000011"]
    assert screen.message.text() == f"Badge {serial} printed: hand it over."
    assert (kiosk.data_dir / "printed" / f"{serial}.pdf").exists()
    # The printer that failed is the badge's (folder), not the counter's (NoSuchQueue).
    assert next(r for r in seen if "(the printer that failed)" in r).startswith("folder")
    assert seen[-1].startswith(f"Send badge {serial} (")  # named, as at the counter


def test_a_preprinted_badge_whose_print_failed_is_preprinted_again(qtbot, screen, kiosk):
    desk = kiosk.desk
    serial = desk.prints.preprint(26, SUPERVISOR, "B2").serial  # a batch run's card that jammed
    desk.prints.print_failed(serial, "jammed", SUPERVISOR, None, "folder", "B2")
    screen.refresh()
    _idle(qtbot, screen)
    _select(screen.failed, 0, serial)
    screen.retry()
    qtbot.waitUntil(lambda: "pre-printed" in screen.message.text(), timeout=60_000)
    assert desk.prints.badge(serial).status is BadgeStatus.PREPRINTED  # not handed to anyone


def test_undo_a_hand_over_with_a_reason(qtbot, screen, kiosk, serials):
    serial = serials["A0000010"]
    _select(screen.handed_over, 1, serial)
    assert screen.undo_button.isEnabled()
    _answer_next_dialog("handed to the wrong person")
    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "undone" in screen.message.text(), timeout=60_000)
    assert screen.message.text().startswith(f"Hand-over of badge {serial} undone")
    _idle(qtbot, screen)
    assert serial not in _column(screen.handed_over, 1)
    assert serial in _column(screen.queue, 0)
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.PREPRINTED


def test_undo_without_a_reason_changes_nothing(qtbot, screen, kiosk, serials):
    serial = serials["A0000010"]
    _select(screen.handed_over, 1, serial)
    _answer_next_dialog("   ")
    screen.undo_handover()
    assert screen.message.text() == "Nothing was undone: a written reason is required."
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    _answer_next_dialog(None)  # Cancel
    screen.undo_handover()
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE


def test_a_clerk_is_refused_by_the_core_in_words(qtbot, kiosk, serials):
    screen = _screen(qtbot, kiosk, Actor("clara", Role.CLERK))
    screen.take_back(serials["A0000010"], "mistake")
    _idle(qtbot, screen)
    assert (
        screen.message.text()
        == "Not done: A clerk may not do this: undoing a badge's hand-over needs a supervisor."
    )
    assert "#b71c1c" in screen.message.styleSheet()
    assert kiosk.desk.prints.badge(serials["A0000010"]).status is BadgeStatus.ACTIVE
    screen.background.wait()


def test_undo_of_a_badge_no_longer_active_is_refused_in_words(qtbot, screen, serials):
    screen.take_back(serials["A0000024"], "mistake")  # pre-printed, never handed over
    _idle(qtbot, screen)
    assert "only a badge handed over (active) can be taken back" in screen.message.text()


def test_find_an_applicant_and_see_their_badges(qtbot, screen, serials):
    def search() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SearchDialog):
            QTimer.singleShot(20, search)
            return
        try:
            qtbot.keyClicks(dialog.query, "andersen mette")
            qtbot.waitUntil(lambda: not dialog.searching and bool(dialog.found), timeout=60_000)
        finally:  # whatever happens, the dialog does not stay open
            qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, search)
    qtbot.keyClick(screen, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: "A0000009" in screen.applicant.text(), timeout=60_000)
    text = screen.applicant.text()
    assert "ANDERSEN, Mette — Meeting of NATO Ministers of Defence" in text
    assert "G1-000001: active (handed over), 14.02 08:30 by demo" in text
    assert "To reprint" in text


def test_an_applicant_without_badge(qtbot, screen):
    screen.show_badges_of(3)
    qtbot.waitUntil(lambda: screen.applicant.text() != "", timeout=60_000)
    assert screen.applicant.text().startswith("A0000003: no badge yet.")
    try:  # the number stays in French (it became "—"), and the message follows the language
        screen.scan("G1-999999")
        language().set(Language.FR)
        qtbot.waitUntil(lambda: screen.applicant.text().startswith("A0000003 : pas encore"))
        assert screen.message.text().startswith("G1-999999 ne figure dans aucune de ces listes")
    finally:
        language().set(Language.EN)
    qtbot.waitUntil(lambda: screen.message.text().startswith("G1-999999 is in none of these"))


def test_a_confirmation_code_typed_into_the_search_shows_its_badges(qtbot, screen, kiosk):
    # It was thrown away without a word: the dialog closed and nothing changed.
    code = next(
        a["code"]
        for a in json.loads((kiosk.data_dir / "scenarios.json").read_text())["applicants"]
        if a["situation"] == "badge_already_issued"
    )

    def type_code() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SearchDialog):
            QTimer.singleShot(20, type_code)
            return
        dialog.query.setText(code)
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, type_code)
    qtbot.keyClick(screen, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: "A0000009" in screen.applicant.text(), timeout=60_000)
    assert "G1-000001: active (handed over)" in screen.applicant.text()


def test_in_french(qtbot, screen):
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: screen.title.text() == "Outils du superviseur — sam")
        assert screen.undo_button.text() == "Annuler la remise…"
        assert screen.handed_over.horizontalHeaderItem(0).text() == "Heure"
        # "endommagé", as the badge life screen and the security post say (not "abîmé")
        assert screen.reprint_title.text() == "Réimprimer un badge perdu ou endommagé"
        reason = screen.failed.item(0, 4).text()
        assert reason.startswith("L'imprimante folder n'a plus de cartes : charger des cartes")
    finally:
        language().set(Language.EN)


def test_a_badge_scanned_here_selects_its_row_and_says_what_to_do(screen, kiosk, serials):
    from scanning.keyboard_layout import BE, US, Mismatch, retype

    handed = serials["A0000001"]
    screen.scan(kiosk.desk.cards.card(handed).badge_code)  # the card's QR code
    assert screen.handed_over.item(screen.handed_over.currentRow(), 1).text() == handed
    assert screen.undo_button.isEnabled()
    assert screen.message.text() == (
        f"{handed}: handed over today and still valid. Undo hand-over… puts it back in the drawer."
    )
    failed = serials["A0000011"]
    screen.scan(failed.lower())  # the serial from the barcode, as a scanner may type it
    assert _column(screen.failed, 0)[screen.failed.currentRow()] == failed
    assert screen.message.text().startswith(f"{failed}: its printing failed.")
    waiting = serials["A0000025"]
    screen.scan(retype(waiting, Mismatch(US, BE)))  # a US scanner on a Belgian keyboard
    assert _column(screen.queue, 0)[screen.queue.currentRow()] == waiting
    screen.scan("G1-999999")
    assert screen.message.text() == (
        "G1-999999 is in none of these lists: Badge life shows its history."
    )
    language().set(Language.FR)
    try:
        screen.scan("not a badge")
        assert screen.message.text().startswith("Pas un badge de ce site")
    finally:
        language().set(Language.EN)
