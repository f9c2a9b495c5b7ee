"""A counter's hand-off slips go to a paper printer chosen apart from its badge printer:
never the folder printer (it prints nothing) nor the counter's card printer."""

from __future__ import annotations

import json

import pytest

from kiosk.model import Counter
from printing.printer import Problem
from printing.printers import choose_slip_printer, chosen_printer, chosen_slip_printer
from printing.slip_printing import slip_message


def test_no_slip_printer_until_one_is_chosen_and_never_the_folder_or_the_card_printer(tmp_path):
    (tmp_path / "printers.json").write_text(json.dumps({"groups": "CardQ"}))
    assert chosen_slip_printer(tmp_path, Counter.GROUPS) is None
    with pytest.raises(ValueError, match="the folder printer prints no paper"):
        choose_slip_printer(tmp_path, Counter.GROUPS, "folder")
    with pytest.raises(ValueError) as card:
        choose_slip_printer(tmp_path, Counter.GROUPS, "CardQ")
    assert str(card.value) == (
        "CardQ is the groups counter's badge printer (cards, not A6 paper): choose a paper "
        "printer for slips"
    )
    with pytest.raises(ValueError, match="no printer 'NoSuchQueue' on this machine"):
        choose_slip_printer(tmp_path, Counter.GROUPS, "NoSuchQueue")
    assert json.loads((tmp_path / "printers.json").read_text()) == {"groups": "CardQ"}
    assert chosen_printer(tmp_path, Counter.GROUPS) == "CardQ"


def test_a_paper_printers_trouble_is_told_for_a_slip_not_a_card():
    assert slip_message(Problem.OUT_OF_CARDS, "Laser") == (
        "Printer Laser is out of paper: load A6 paper; the slip waits.",
        "L'imprimante Laser n'a plus de papier : charger du papier A6 ; la fiche attend.",
    )
    en, fr = slip_message(Problem.STOPPED, "Laser")
    assert en.startswith("Printer Laser did not print the slip (the printer has stopped)")
    assert "badge" not in en and "carte" not in fr
