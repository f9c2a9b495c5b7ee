"""The search dialog driven from the keyboard, as a clerk would: type, arrows, Enter, Esc."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.wiring import open_kiosk
from kiosk.model import Counter
from ui.language import Language, language
from ui.search_dialog import SearchDialog


@pytest.fixture
def kiosk(demo_dir: Path, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


@pytest.fixture
def dialog(qtbot, kiosk):
    d = SearchDialog(kiosk)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    yield d
    d.background.wait()


def _type(qtbot, dialog: SearchDialog, text: str) -> None:
    qtbot.keyClicks(dialog.query, text)
    qtbot.waitUntil(lambda: not dialog.searching, timeout=60_000)


def _rows(dialog: SearchDialog) -> list[str]:
    return [dialog.results.item(i).text() for i in range(dialog.results.count())]


def test_typing_a_name_without_accents_lists_the_applicant(qtbot, dialog):
    assert "Type a name" in dialog.state.text()
    _type(qtbot, dialog, "mueller jurgen")
    (row,) = _rows(dialog)
    assert "MÜLLER-LÜDENSCHEIDT, Jürgen Karl" in row
    assert "A0000020" in row and "approved" in row and "born" in row
    assert dialog.state.text() == "1 found for “mueller jurgen”."
    assert dialog.results.currentRow() == 0


def test_list_follows_the_typing(qtbot, dialog):
    _type(qtbot, dialog, "sophie")
    assert len(_rows(dialog)) == 4  # Sophie Martin (three accreditations), Sophie Müller
    _type(qtbot, dialog, " mar")
    assert len(_rows(dialog)) == 3 and all("MARTIN, Sophie" in r for r in _rows(dialog))


def test_arrows_then_enter_choose_that_applicant(qtbot, dialog):
    _type(qtbot, dialog, "sophie martin")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    assert dialog.results.currentRow() == 1
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen == 17  # A0000018, A0000017, A0000016: the second


def test_enter_typed_before_the_list_caught_up_takes_the_first_found(qtbot, dialog):
    qtbot.keyClicks(dialog.query, "A0000012")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)  # the search has not even started
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=60_000)
    assert dialog.chosen == 12


def test_enter_typed_before_the_list_caught_up_never_picks_one_of_several_unseen(qtbot, dialog):
    """'sophie' + Enter at once: four accreditations match; the clerk sees them first."""
    qtbot.keyClicks(dialog.query, "sophie")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.searching, timeout=60_000)
    assert dialog.isVisible() and dialog.chosen is None and len(_rows(dialog)) == 4
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)  # now seen and chosen
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen == dialog.found[1].accreditation_id


def test_escape_cancels(qtbot, dialog):
    _type(qtbot, dialog, "smit")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.chosen is None


def test_enter_with_nothing_found_keeps_the_dialog_open(qtbot, dialog):
    _type(qtbot, dialog, "zzyzx")
    assert dialog.state.text() == "Nothing found for “zzyzx”."
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.chosen is None


def test_a_code_scanned_into_the_field_is_taken_as_a_scan(qtbot, dialog, manifest):
    """The printout turned up mid-search: the code became the search text, "Nothing
    found", and the scan was lost (exploratory testing)."""
    code = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    qtbot.keyClicks(dialog.query, code["code"])
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.scanned, dialog.chosen) == (code["code"], None)


def test_a_long_query_is_shown_short_and_the_dialog_stays_its_width(qtbot, dialog):
    """A 300-letter query (or a code) has no space to wrap at: the dialog grew past the
    screen's right edge and stayed so."""
    width = dialog.width()
    _type(qtbot, dialog, "x" * 300)
    assert dialog.state.text() == f"Nothing found for “{'x' * 39}…”."
    assert dialog.state.minimumSizeHint().width() <= width and dialog.width() == width


def test_not_approved_in_red_and_photos_as_thumbnails(qtbot, dialog):
    _type(qtbot, dialog, "A0000003")  # pending
    item = dialog.results.item(0)
    assert "pending" in item.text()
    assert item.foreground().color().name() == "#b71c1c"
    assert not item.icon().isNull()
    dialog.query.clear()
    _type(qtbot, dialog, "A0000019")  # no photo on file
    assert dialog.results.item(0).icon().isNull()


def test_many_found_asks_for_more(qtbot, kiosk):
    d = SearchDialog(kiosk, limit=3)
    qtbot.addWidget(d)
    _type(qtbot, d, "an")
    assert len(_rows(d)) == 3
    assert d.state.text() == "The first 3 found for “an”: type more to narrow it."
    d.background.wait()


def test_in_french(qtbot, dialog):
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: dialog.title.text() == "Trouver un demandeur")
        _type(qtbot, dialog, "A0000003")
        assert "en attente" in _rows(dialog)[0]
        assert dialog.state.text() == "1 trouvé(s) pour « A0000003 »."
    finally:
        language().set(Language.EN)
