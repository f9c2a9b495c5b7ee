"""The printers a kiosk can use, and the one each counter prints on.

The folder printer (badge PDFs in `DATA_DIR/printed`) is always there and is the
default; every CUPS queue of the machine is listed beside it. A counter's choice is kept
in `DATA_DIR/printers.json` ({"groups": "CardPrinter1"}) and can be set with
`kiosk printers --use NAME --counter groups`.
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


def choose_printer(data_dir: Path, counter: Counter, name: str) -> None:
    """Make `counter` print on `name`; ValueError naming the printers there are if unknown."""
    known = [p.name for p in list_printers(data_dir)]
    if name not in known:
        raise ValueError(f"no printer {name!r} on this machine (printers: {', '.join(known)})")
    choices = _choices(data_dir) | {counter.value: name}
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / CHOICES).write_text(json.dumps(choices, indent=1) + "\n", encoding="utf-8")


def _choices(data_dir: Path) -> dict[str, str]:
    path = data_dir / CHOICES
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"{path} cannot be read ({err}): fix or delete it") from err
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f'{path} must map counters to printer names, e.g. {{"groups": "Q1"}}')
    return data
