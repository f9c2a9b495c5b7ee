"""The printers a kiosk can use, and the one each counter prints on.

The folder printer (badge PDFs in `DATA_DIR/printed`) is always there and is the
default; every CUPS queue of the machine is listed beside it. A counter's choice is kept
in `DATA_DIR/printers.json` ({"groups": "CardPrinter1"}) and can be set with
`kiosk printers --use NAME --counter groups`.

A counter's hand-off slips (A6 paper) go to a printer of their own, chosen apart
(`--slips`; kept as "groups.slips"): never the card printer, whose cards are no paper,
and never the folder printer, which prints nothing. None is chosen until someone does.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.model import Counter
from printing.cups import CupsPrinter, list_cups_printers
from printing.folder import FolderPrinter
from printing.printer import Printer, PrinterInfo

FOLDER = "folder"
CHOICES = "printers.json"


class PrinterSettingsInvalid(ValueError):
    """DATA_DIR/printers.json cannot be read: the message names it and what to do."""


def printed_dir(data_dir: Path) -> Path:
    """Where the folder printer puts the badges it prints."""
    return data_dir / "printed"


def open_printer(name: str, data_dir: Path) -> Printer:
    """The printer called `name`: the folder printer, or a CUPS queue."""
    return FolderPrinter(printed_dir(data_dir), FOLDER) if name == FOLDER else CupsPrinter(name)


def list_printers(data_dir: Path) -> list[PrinterInfo]:
    """The folder printer, then every CUPS queue of this machine."""
    return [FolderPrinter(printed_dir(data_dir), FOLDER).info(), *list_cups_printers()]


def chosen_printer(data_dir: Path, counter: Counter) -> str:
    """The printer `counter` prints on: its saved choice, else the folder printer."""
    return _choices(data_dir).get(counter.value, FOLDER)


def check_printer(data_dir: Path, name: str) -> None:
    """ValueError naming the printers there are if there is no printer `name`."""
    known = [p.name for p in list_printers(data_dir)]
    if name not in known:
        raise ValueError(f"no printer {name!r} on this machine (printers: {', '.join(known)})")


def choose_printer(data_dir: Path, counter: Counter, name: str) -> None:
    """Make `counter` print on `name`; ValueError naming the printers there are if unknown."""
    check_printer(data_dir, name)
    _save(data_dir, _choices(data_dir) | {counter.value: name})


def chosen_slip_printer(data_dir: Path, counter: Counter) -> str | None:
    """The paper printer `counter` prints hand-off slips on; None when none is chosen."""
    return _choices(data_dir).get(f"{counter.value}.slips")


def choose_slip_printer(data_dir: Path, counter: Counter, name: str) -> None:
    """Make `counter` print its hand-off slips on `name`; ValueError if it is unknown, the
    folder printer, or the counter's card printer."""
    if name == FOLDER:
        raise ValueError("the folder printer prints no paper: choose a paper printer for slips")
    if name == chosen_printer(data_dir, counter):
        raise ValueError(
            f"{name} is the {counter.value} counter's badge printer (cards, not A6 paper): "
            "choose a paper printer for slips"
        )
    check_printer(data_dir, name)
    _save(data_dir, _choices(data_dir) | {f"{counter.value}.slips": name})


def forget_unreadable_choices(data_dir: Path) -> bool:
    """Empty printers.json if it cannot be read (every counter then prints on the folder
    printer until one is chosen): True if it was. For the settings screen's Save, which
    replaces an unreadable file as it replaces an unreadable settings.json."""
    try:
        _choices(data_dir)
    except PrinterSettingsInvalid:
        _save(data_dir, {})
        return True
    return False


def _save(data_dir: Path, choices: dict[str, str]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / CHOICES).write_text(json.dumps(choices, indent=1) + "\n", encoding="utf-8")


def _choices(data_dir: Path) -> dict[str, str]:
    path = data_dir / CHOICES
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise PrinterSettingsInvalid(f"{path} cannot be read ({err}): fix or delete it") from err
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise PrinterSettingsInvalid(
            f'{path} must map counters to printer names, e.g. {{"groups": "Q1"}}: fix or delete it'
        )
    return data
