"""The pool desk screen on the demo world: the entitled list per moment, a scanned code
selects its holder, hand-out and return recorded, refusals said; in French too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.language import Language, language
from ui.pool_desk import PoolDeskScreen

CLERK = Actor("ann", Role.CLERK)


@pytest.fixture
def desk(qtbot, demo_dir, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    w = PoolDeskScreen(kiosk, CLERK)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    if language().current is not Language.EN:
        language().set(Language.EN)
        QApplication.processEvents()
    kiosk.close()


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def cell(w, row: int, col: int) -> str:
    return w.table.item(row, col).text()


def test_the_list_names_the_entitled_and_where_cards_are_handed_out(desk):
    desk.moment_box.setCurrentIndex(1)  # the official photo, tomorrow
    assert desk.moment.id == "DEFMIN-PHOTO"
    assert desk.where.text() == (
        "Cards handed out at Public Square, first floor, NATO HQ, 14.02.2026 09:00–17:00. "
        "Entitled: 3."
    )
    names = [cell(desk, r, 1) for r in range(desk.table.rowCount())]
    assert names == ["GARCÍA, Lucía", "OLSEN, Ingeborg", "WILSON, George"]
    assert [cell(desk, r, 2) for r in range(3)] == ["photographer", "photographer", "television"]
    language().set(Language.FR)  # the kind in French words, not its code ("tv")
    QApplication.processEvents()
    assert [cell(desk, r, 2) for r in range(3)] == ["photographe", "photographe", "télévision"]
    assert desk.where.text().endswith(" Ayants droit : 3.")


def test_scan_select_hand_out_and_take_back(qtbot, desk, manifest):
    desk.moment_box.setCurrentIndex(1)
    a = applicant(manifest, "pool_photographer")
    desk.scan(a["code"])
    assert desk.selected().registration == a["registration"]
    qtbot.mouseClick(desk.hand_out_button, Qt.MouseButton.LeftButton)
    assert desk.message.text() == f"Pool card handed out to {a['registration']} GARCÍA, Lucía."
    assert cell(desk, 0, 3) == "handed out" and cell(desk, 0, 4) == "ann 14.02 10:00"
    qtbot.mouseClick(desk.hand_out_button, Qt.MouseButton.LeftButton)
    assert desk.message.text().startswith(f"{a['registration']} already holds the pool card")
    qtbot.mouseClick(desk.take_back_button, Qt.MouseButton.LeftButton)
    assert cell(desk, 0, 3) == "returned"
    desk.scan(applicant(manifest, "pool_written_press")["code"])
    assert "is not on this moment's pool list" in desk.message.text()
    # The person selected before stayed selected: Hand out gave them a card (not at the desk).
    assert desk.selected() is None
    qtbot.mouseClick(desk.hand_out_button, Qt.MouseButton.LeftButton)
    assert desk.message.text() == "Select a person first."
    assert cell(desk, 0, 3) == "returned"


def test_an_account_disabled_meanwhile_is_said_not_raised(qtbot, desk, manifest):
    desk.moment_box.setCurrentIndex(1)
    desk.scan(applicant(manifest, "pool_photographer")["code"])
    desk.kiosk.staff.add("ann", Role.CLERK, "730051")
    desk.kiosk.staff.disable("ann")  # an administrator, before the account watch signs out
    qtbot.mouseClick(desk.hand_out_button, Qt.MouseButton.LeftButton)  # raised AccountStopped
    assert "disabled" in desk.message.text()
    assert cell(desk, 0, 3) == "not handed out"


def test_a_moment_whose_hand_out_is_over_is_refused_in_french(qtbot, desk, manifest):
    assert desk.moment.id == "DEFMIN-SESSION"
    desk.table.selectRow(0)
    language().set(Language.FR)
    QApplication.processEvents()
    qtbot.mouseClick(desk.hand_out_button, Qt.MouseButton.LeftButton)
    assert desk.hand_out_button.text() == "Remettre la carte de pool"
    assert desk.message.text() == (  # the office's French names (app/demo/desk_cases.py)
        "Les cartes de pool pour Ouverture de la première séance ministérielle sont remises "
        "à Place publique, premier étage, siège de l'OTAN, 13.02.2026 09:00–17:00 uniquement."
    )
    assert cell(desk, 0, 3) == "non remise"
    assert "Ouverture de la première séance ministérielle" in desk.moment_box.currentText()
    language().set(Language.EN)
    QApplication.processEvents()
    assert "Start of the first ministerial session" in desk.moment_box.currentText()
    assert "Public Square, first floor, NATO HQ" in desk.where.text()
