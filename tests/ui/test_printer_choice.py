"""Which printer the F8 list pre-selects: a card printer that is ready, the counter's own
first, never the PDF folder printer (F8 then Enter must put a card in the clerk's hand)."""

from __future__ import annotations

from printing.printer import PrinterInfo, Problem
from printing.printers import FOLDER
from ui.print_panel import preselected

PDF = PrinterInfo(FOLDER, "folder", "PDF files in /data/printed", True)


def card(name: str, ready: bool = True) -> PrinterInfo:
    return PrinterInfo(name, "cups", "card printer", ready, None if ready else Problem.STOPPED)


def test_the_counters_card_printer_comes_first():
    printers = [PDF, card("CARD-1"), card("CARD-2"), card("CARD-3")]
    assert preselected(printers, failed="CARD-1", counter="CARD-3") == 3
    assert preselected(printers, failed="CARD-3", counter="CARD-3") == 3  # ready again


def test_another_card_printer_when_the_counters_is_not_ready():
    printers = [PDF, card("CARD-1", ready=False), card("CARD-2"), card("CARD-3")]
    assert preselected(printers, failed="CARD-2", counter="CARD-1") == 3  # not the failed
    assert preselected(printers, failed="CARD-1", counter="CARD-1") == 2


def test_never_the_pdf_folder_even_when_it_is_the_only_one_ready():
    assert preselected([PDF, card("CARD-1", ready=False)], FOLDER, FOLDER) is None
    assert preselected([PDF], failed=FOLDER, counter=FOLDER) is None


def test_each_printers_state_shows_whole_in_french_at_the_counters_size(qtbot):
    """The state is at the end of its line: a list wider than the dialog hid it past a
    horizontal scroll bar ("— prêt" cut off), so the clerk could not see which is ready."""
    from ui.language import Language, language
    from ui.print_panel import PrinterDialog

    stopped = card("CARTE-ACCUEIL-GROUPES-2", ready=False)
    language().set(Language.FR)
    try:
        dialog = PrinterDialog([PDF, stopped], FOLDER, counter=FOLDER, badge="G1-000004 (X)")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        rows = dialog.list
        assert rows.horizontalScrollBar().maximum() == 0
        for i in range(rows.count()):
            assert rows.visualItemRect(rows.item(i)).right() <= rows.viewport().width()
        assert "fichiers PDF seulement" in rows.item(0).text()
        assert rows.item(1).text().endswith("ou appeler un technicien.")  # its state, last
    finally:
        language().set(Language.EN)
