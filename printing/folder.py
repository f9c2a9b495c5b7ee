"""A printer that "prints" each badge as a PDF file in a folder.

It is the kiosk's printer when no CUPS queue was chosen, so the demo works on any
machine; a pass office can also point it at a folder a card-printing station watches.
A job is complete once its file is in place (written under a temporary name, then
renamed, so a watcher never picks up half a file).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Collection
from pathlib import Path

from kiosk.private import FILE_MODE, private_dir
from printing.printer import JobState, JobStatus, Media, PrinterInfo, PrintError, Problem

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FolderPrinter:
    """Prints to files in `folder`."""

    def __init__(self, folder: Path, name: str = "folder") -> None:
        self.folder = folder
        self.name = name

    def submit(self, pdf: Path, title: str, media: Media) -> str:
        """Copy `pdf` into the folder as TITLE.pdf (TITLE-2.pdf… if taken); the path is the
        job's reference."""
        stem = _stem(title)
        try:
            private_dir(self.folder)  # printed badges show names and photos: owner-only
            target = self.folder / f"{stem}.pdf"
            n = 1
            while target.exists():
                n += 1
                target = self.folder / f"{stem}-{n}.pdf"
            partial = target.with_name(f".{target.name}.part")
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE))
            shutil.copyfile(pdf, partial)  # into the owner-only file made above
            os.replace(partial, target)
        except OSError as err:
            raise PrintError(Problem.UNWRITABLE, self.name, str(err)) from err
        return str(target)

    def status(self, job_ref: str) -> JobStatus:
        """Complete when the file is there."""
        if Path(job_ref).is_file():
            return JobStatus(JobState.COMPLETED)
        return JobStatus(JobState.FAILED, Problem.ABORTED, f"{job_ref} is missing")

    def find(self, title: str, known: Collection[str]) -> str | None:
        """The newest file `submit` made for `title` that is none of `known`."""
        stem = _stem(title)
        pattern = re.compile(rf"{re.escape(stem)}(?:-(\d+))?\.pdf")
        try:
            names = [m for p in self.folder.iterdir() if (m := pattern.fullmatch(p.name))]
        except OSError:
            return None  # no folder: nothing was written there
        made = sorted(names, key=lambda m: int(m.group(1) or 1))
        refs = [str(self.folder / m.group(0)) for m in made]
        return next((r for r in reversed(refs) if r not in known), None)

    def cancel(self, job_ref: str) -> None:
        """Nothing to cancel: a folder job is complete as soon as it is submitted."""

    def info(self) -> PrinterInfo:
        """Ready when the folder (or the nearest existing folder above it) is writable."""
        existing = next(p for p in (self.folder, *self.folder.parents) if p.exists())
        ready = os.access(existing, os.W_OK)
        return PrinterInfo(
            name=self.name,
            kind="folder",
            description=f"PDF files in {self.folder}",
            ready=ready,
            problem=None if ready else Problem.UNWRITABLE,
        )


def _stem(title: str) -> str:
    """The file name a job titled `title` takes (TITLE.pdf, TITLE-2.pdf…)."""
    return _UNSAFE.sub("_", title).strip("._") or "badge"
