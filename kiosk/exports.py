"""The files the kiosk's commands wrote for people to take away (a day's overview, the
journal, an outbox for the hub, a letter, a badge PDF), listed so the purge can find them.

Each export is one JSON line in ``DATA_DIR/exports.jsonl``: where, what, when. Paths
only: the list holds no personal data itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LIST_NAME = "exports.jsonl"


@dataclass(frozen=True)
class Export:
    """One file a command wrote."""

    path: Path
    what: str
    at: datetime

    def inside(self, data_dir: Path) -> bool:
        """Whether the file lies in the kiosk's data folder (the kiosk's to delete)."""
        return self.path.resolve().is_relative_to(data_dir.resolve())


def record_export(data_dir: Path, path: Path, what: str, at: datetime) -> None:
    """Note that a command wrote `path` (an export of kind `what`) at `at`."""
    line = json.dumps({"path": str(path.resolve()), "what": what, "at": at.isoformat()})
    with (data_dir / LIST_NAME).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def recorded_exports(data_dir: Path) -> list[Export]:
    """The exports noted and still on disk (a damaged line is skipped)."""
    path = data_dir / LIST_NAME
    if not path.is_file():
        return []
    found: dict[Path, Export] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            doc = json.loads(line)
            export = Export(Path(doc["path"]), str(doc["what"]), datetime.fromisoformat(doc["at"]))
        except (ValueError, KeyError, TypeError):
            continue
        if export.path.is_file():
            found[export.path] = export  # the latest write of a path
    return list(found.values())


def keep_only(data_dir: Path, exports: list[Export]) -> None:
    """Rewrite the list with `exports` only (the others were deleted or are gone)."""
    path = data_dir / LIST_NAME
    if not path.exists() and not exports:
        return
    lines = [
        json.dumps({"path": str(e.path), "what": e.what, "at": e.at.isoformat()}) for e in exports
    ]
    partial = path.with_name(f".{LIST_NAME}.part")
    partial.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(partial, path)
