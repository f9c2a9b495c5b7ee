"""Personal data kept no longer than needed: the purge of what an event no longer needs.

An event's accreditations keep their personal data until `retention_days` (30 by
default, per event, from the office) after the last day their badge is valid for (the
event's last day, or a later one of the events declared valid with it); annual
accreditations until `ANNUAL_RETENTION_DAYS` after the end of their year. Then the
purge blanks the ID document (digest, tail, names, dates, issuing state) and press
card of each such accreditation, and the people none of whose accreditations is still
in retention lose their names, date of birth, nationality, e-mail, organisation and
photo; group letters lose their member lists once all accreditations using them are
purged. What the audit needs stays: accreditation ids, statuses, events, badges and
their serials, and the journal (whose entries carry no applicant's personal data).

The purge runs in one transaction with SQLite's ``secure_delete`` on, so what it
deletes or overwrites is zeroed, then (when it purged anything) VACUUMs the file and
checkpoints the WAL into it and truncates it: no copy of a purged name, photo or digest
remains in ``kiosk.sqlite3`` or its ``-wal`` (a test scans their raw bytes). A reader
still on a snapshot from before the purge (another process's read) keeps the old pages
on disk, as SQLite must while it may read them: the compaction (kiosk/compaction.py,
shared with the hub) waits for it and, past that, is owed (`COMPACTION_OWED`, beside the
store) and done at the kiosk's next start or purge, whether or not anything new is due.
Both the compaction and the files' deletion are marked owed before the purge commits
(`FILES_OWED`), so a purge killed after its commit leaves them to the next start or
purge, not on disk. It is
journalled (action "purge", counts per event) and runs when a kiosk opens if anything is past
retention, at most once a day.

Files go too (`PersonalFiles`, given by the wiring: the core does not know where the
printers write): the badge PDFs of purged accreditations (``badges/SERIAL.pdf`` and the
folder printer's ``printed/SERIAL.pdf``, ``SERIAL-2.pdf``...), their letters
(``letters/A0000001.pdf``), and every export a command wrote inside the data folder
before a purge that purged anything (kiosk/exports.py: they may hold data now purged;
the store can write them again). Exports written outside the data folder are the
operator's: the report names them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import String, and_, case, cast, delete, func, literal, or_, select, text, update
from sqlalchemy.orm import Session

from kiosk.compaction import PATIENCE, VACUUM, SqliteFile, after_purge
from kiosk.exports import keep_only, recorded_exports
from kiosk.model import BRUSSELS, Flow
from kiosk.private import write_private
from kiosk.roles import Action, Actor, Role, require
from kiosk.store.database import Store
from kiosk.store.schema import (
    AccreditationRow,
    BadgeEventRow,
    BadgeRow,
    EventRow,
    JournalRow,
    LetterRow,
    PersonRow,
    PhotoRow,
)

ANNUAL_RETENTION_DAYS = 30
# Beside the store while a purge's compaction is owed: "checkpoint" when only the WAL is
# left to empty (its VACUUM was done), anything else when the VACUUM is owed too.
COMPACTION_OWED = "purge-compaction-owed"
# Beside the store from a purge's commit until its files are deleted: a purge killed in
# between left them for good (the automatic purge runs only when something new is due).
FILES_OWED = "purge-files-owed"
PURGED_DAY = date(1900, 1, 1)  # what a purged date becomes (the columns are NOT NULL)
AUTOMATIC = Actor("automatic purge", Role.ADMINISTRATOR)


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did (or, dry, would do)."""

    at: datetime
    dry_run: bool
    events: dict[str, int] = field(default_factory=dict)  # event id -> accreditations
    annual: dict[int, int] = field(default_factory=dict)  # year -> accreditations
    people: int = 0
    photos: int = 0
    letters: int = 0
    badge_files: int = 0  # badge PDFs of purged accreditations deleted
    letter_files: int = 0  # their letters deleted
    export_files: int = 0  # exports inside the data folder deleted
    outside: tuple[str, ...] = ()  # exports outside the data folder: the operator's to delete
    compacted: bool | None = None  # the file was rewritten and the WAL emptied

    @property
    def accreditations(self) -> int:
        """Accreditations purged in all."""
        return sum(self.events.values()) + sum(self.annual.values())

    def details(self) -> dict:
        """The journal entry's details: counts only, no personal data."""
        return {
            "events": self.events,
            "annual": {str(y): n for y, n in self.annual.items()},
            "people": self.people,
            "photos": self.photos,
            "letters": self.letters,
        }

    def summary(self) -> str:
        """A few lines for the operator."""
        verb = "would purge" if self.dry_run else "purged"
        lines = [f"{verb} {self.accreditations} accreditation(s)"]
        lines += [f"  event {e}: {n}" for e, n in sorted(self.events.items())]
        lines += [f"  annual {y}: {n}" for y, n in sorted(self.annual.items())]
        files = [
            f", {label} {n}"
            for label, n in (
                ("badge PDFs", self.badge_files),
                ("letters", self.letter_files),
                ("exports", self.export_files),
            )
            if n
        ]
        lines.append(
            f"  people {self.people}, photos {self.photos}, group letters {self.letters}"
            + "".join(files)
        )
        if self.outside:
            lines.append(
                "  exports written outside the data folder may hold personal data: "
                "delete them yourself when they are no longer needed:"
            )
            lines += [f"    {path}" for path in self.outside]
        if self.compacted is False:
            lines.append(
                "  the file is not compacted yet: another program kept reading it, so purged "
                "data stays on disk until the next purge or start, which compact it"
            )
        return "\n".join(lines)


def retention_end(last_valid_day: date, days: int) -> date:
    """The last day personal data is kept for a badge valid until `last_valid_day`."""
    return last_valid_day + timedelta(days=days)


@dataclass(frozen=True)
class Tables:
    """The tables the rule runs over: the kiosk's, or the hub's (same column names)."""

    events: type
    people: type
    accreditations: type
    letters: type


KIOSK_TABLES = Tables(EventRow, PersonRow, AccreditationRow, LetterRow)


def due_events(s: Session, t: Tables, today: date) -> list[str]:
    """Events whose accreditations are past retention `today`: counted from the last day
    their badge is valid (the event's, or a later one of the events valid with it)."""
    rows = {r.id: r for r in s.scalars(select(t.events))}
    due = []
    for ev in rows.values():
        linked = [rows[i].last_day for i in ev.valid_with or () if i in rows]
        if today > retention_end(max([ev.last_day, *linked]), ev.retention_days):
            due.append(ev.id)
    return due


def last_due_year(today: date) -> int:
    """The latest year whose annual accreditations are past retention."""
    year = today.year
    while today <= retention_end(date(year, 12, 31), ANNUAL_RETENTION_DAYS):
        year -= 1
    return year


@dataclass(frozen=True)
class Due:
    """What is past retention at one moment, as SQL conditions over `tables`."""

    tables: Tables
    events: list[str]
    last_year: int

    @property
    def accreditations(self):
        """Accreditations past retention (or purged already)."""
        a = self.tables.accreditations
        return or_(
            a.purged_at.is_not(None),
            a.event_id.in_(self.events),
            and_(a.flow == Flow.ANNUAL.value, a.year <= self.last_year),
        )

    def _all_due(self, column):
        """Values of `column` (a person or a letter) all of whose accreditations are due."""
        return (
            select(column)
            .where(column.is_not(None))
            .group_by(column)
            .having(func.sum(case((self.accreditations, 0), else_=1)) == 0)
        )

    @property
    def people(self):
        """People not purged yet with no accreditation still in retention."""
        p, a = self.tables.people, self.tables.accreditations
        return and_(p.purged_at.is_(None), p.id.in_(self._all_due(a.person_id)))

    @property
    def letters(self):
        """Letters not purged yet all of whose accreditations are past retention."""
        t = self.tables
        return and_(
            t.letters.purged_at.is_(None),
            t.letters.id.in_(self._all_due(t.accreditations.letter_id)),
        )


def due_at(s: Session, t: Tables, now: datetime) -> Due:
    """What is past retention at `now` (Brussels days)."""
    today = now.astimezone(BRUSSELS).date()
    return Due(t, due_events(s, t, today), last_due_year(today))


def count_due(s: Session, due: Due) -> dict:
    """Accreditations (per event and per year), people and letters due, not purged yet."""
    a = due.tables.accreditations
    fresh = and_(a.purged_at.is_(None), due.accreditations)
    by_event = s.execute(
        select(a.event_id, func.count())
        .where(fresh, a.flow == Flow.EVENT.value)
        .group_by(a.event_id)
    ).all()
    by_year = s.execute(
        select(a.year, func.count()).where(fresh, a.flow == Flow.ANNUAL.value).group_by(a.year)
    ).all()
    return {
        "events": dict(by_event),
        "annual": dict(by_year),
        "people": s.scalar(select(func.count()).where(due.people)),
        "letters": s.scalar(select(func.count()).where(due.letters)),
    }


def blank_due(s: Session, due: Due, now: datetime, **person_values: object) -> None:
    """Blank the people, letters' members and accreditations due (`person_values`: more
    columns of a person to clear, the hub's photo)."""
    t = due.tables
    s.execute(
        update(t.people)
        .where(due.people)
        .values(
            surname="",
            given_names="",
            date_of_birth=PURGED_DAY,
            nationality="",
            email=literal("purged-") + cast(t.people.id, String) + literal("@purged.invalid"),
            organisation="",
            purged_at=now,
            **person_values,
        )
        .execution_options(synchronize_session=False)
    )
    s.execute(
        update(t.letters)
        .where(due.letters)
        .values(members=[], purged_at=now)
        .execution_options(synchronize_session=False)
    )
    a = t.accreditations
    s.execute(
        update(a)
        .where(a.purged_at.is_(None), due.accreditations)
        .values(
            doc_kind="",
            doc_number_digest="",
            doc_number_tail="",
            doc_state="",
            doc_surname="",
            doc_given_names="",
            doc_birth_date=PURGED_DAY,
            doc_expiry=PURGED_DAY,
            press_card=None,
            purged_at=now,
        )
        .execution_options(synchronize_session=False)
    )


def blank_event_notes(s: Session, accreditations: type, badge_events: type) -> None:
    """A badge event's note (kiosk/badge_life.py) may tell of its holder: blanked once the
    accreditation is purged (who recorded it, and when, stay)."""
    purged = select(accreditations.id).where(accreditations.purged_at.is_not(None))
    s.execute(
        update(badge_events)
        .where(badge_events.note != "", badge_events.accreditation_id.in_(purged))
        .values(note="")
        .execution_options(synchronize_session=False)
    )


@contextmanager
def secure_delete(s: Session, on: bool = True) -> Iterator[None]:
    """SQLite's ``secure_delete`` for the statements run inside: what they delete or
    overwrite is zeroed in the file, not left in free space."""
    if not on:
        yield
        return
    s.execute(text("PRAGMA secure_delete=ON"))
    try:
        yield
    finally:
        s.execute(text("PRAGMA secure_delete=OFF"))


def _file(store: Store) -> SqliteFile:
    """The store as a file to compact (kiosk/compaction.py), its owed mark beside it."""
    return SqliteFile(store.engine.raw_connection, store.path.with_name(COMPACTION_OWED))


def compact(store: Store, patience: float = PATIENCE, vacuum: bool = True) -> bool:
    """Rewrite the file (`vacuum`) and empty the WAL, so nothing purged survives anywhere in
    either; False when other connections kept reading for `patience` seconds: it is then
    owed (`compaction_owed`) and the next purge or start does it (kiosk/compaction.py)."""
    return _file(store).compact(patience, vacuum)


def compaction_owed(store: Store) -> str | None:
    """What an earlier purge's compaction left undone: "checkpoint", "vacuum" or None."""
    return _file(store).owed()


@dataclass(frozen=True)
class PersonalFiles:
    """Where the kiosk writes files showing applicants' personal data, by what names them."""

    data_dir: Path
    by_serial: tuple[Path, ...] = ()  # badge PDFs: SERIAL.pdf, SERIAL-2.pdf (a second print)
    by_registration: tuple[Path, ...] = ()  # letters: A0000001.pdf


_COPY = re.compile(r"(.+)-\d+")  # the folder printer names a second print SERIAL-2.pdf


def _pdf_stem(path: Path) -> str | None:
    """SERIAL of SERIAL.pdf, and of the folder printer's unfinished .SERIAL.pdf.part."""
    name = path.name.removeprefix(".").removesuffix(".part")
    return name[:-4] if name.endswith(".pdf") else None


def _named(folders: Iterable[Path], names: set[str], copies: bool) -> list[Path]:
    """The PDFs in `folders` named after one of `names` (or, `copies`, NAME-2...)."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            stem = _pdf_stem(path)
            if stem is None or not path.is_file():
                continue
            copy = _COPY.fullmatch(stem) if copies else None
            if stem in names or (copy and copy.group(1) in names):
                found.append(path)
    return found


def _purged_files(store: Store, files: PersonalFiles) -> tuple[list[Path], list[Path]]:
    """Badge PDFs and letters of purged accreditations."""
    with store.reading() as s:
        purged = AccreditationRow.purged_at.is_not(None)
        serials = set(
            s.scalars(
                select(BadgeRow.serial)
                .join(AccreditationRow, AccreditationRow.id == BadgeRow.accreditation_id)
                .where(purged)
            )
        )
        registrations = {f"A{i:07d}" for i in s.scalars(select(AccreditationRow.id).where(purged))}
    return (
        _named(files.by_serial, serials, copies=True),
        _named(files.by_registration, registrations, copies=False),
    )


def _delete_files(store: Store, files: PersonalFiles, purged_now: bool) -> dict:
    """Delete the badge PDFs and letters of purged accreditations and, when this purge
    purged anything (`purged_now`), the exports written inside the data folder (they may
    show it); the exports outside are listed, not touched."""
    badges, letters = _purged_files(store, files)
    exports = recorded_exports(files.data_dir)
    ours = [e for e in exports if purged_now and e.inside(files.data_dir)]
    for path in [*badges, *letters, *(e.path for e in ours)]:
        path.unlink(missing_ok=True)
    left = [e for e in exports if e not in ours]
    keep_only(files.data_dir, left)
    return {
        "badge_files": len(badges),
        "letter_files": len(letters),
        "export_files": len(ours),
        "outside": tuple(str(e.path) for e in left if not e.inside(files.data_dir)),
    }


def purge(
    store: Store,
    now: datetime,
    actor: Actor,
    kiosk_id: str,
    dry_run: bool = False,
    files: PersonalFiles | None = None,
    patience: float = PATIENCE,
) -> PurgeReport:
    """Blank the personal data whose retention has passed at `now` (see the module's
    docstring), and delete `files` that show it; `dry_run` only counts. Then compact,
    waiting up to `patience` seconds for other readers (`compact`). AccessDenied unless
    `actor` may purge."""
    require(actor.role, Action.PURGE)
    with store.writing() as s:
        due = due_at(s, KIOSK_TABLES, now)
        photos = PhotoRow.person_id.in_(select(PersonRow.id).where(due.people))
        report = PurgeReport(
            now, dry_run, photos=s.scalar(select(func.count()).where(photos)), **count_due(s, due)
        )
        if dry_run:
            return report
        with secure_delete(s):
            s.execute(delete(PhotoRow).where(photos))
            blank_due(s, due, now)
            blank_event_notes(s, AccreditationRow, BadgeEventRow)
        _journal(s, report, actor, kiosk_id)
        done = bool(report.accreditations or report.people or report.letters)
        if done:  # owed from the commit on, until done (a kill in between leaves them owed)
            _owe(store, files)
    deleted = _delete_owed_files(store, files, done)
    return replace(report, **deleted, compacted=_compact_if_needed(store, done, patience))


def _owe(store: Store, files: PersonalFiles | None) -> None:
    """Mark the purge's follow-up owed before it commits: its compaction and, with
    `files`, their deletion; each mark goes once done."""
    write_private(store.path.with_name(COMPACTION_OWED), VACUUM.encode())
    if files is not None:
        write_private(store.path.with_name(FILES_OWED), b"files")


def files_owed(store: Store) -> bool:
    """Whether a purge committed and was stopped before it deleted its files."""
    return store.path.with_name(FILES_OWED).exists()


def _delete_owed_files(store: Store, files: PersonalFiles | None, purged_now: bool) -> dict:
    """`_delete_files`, exports too when this purge or one stopped before it purged
    anything; then nothing is owed."""
    if files is None:
        return {}
    deleted = _delete_files(store, files, purged_now or files_owed(store))
    store.path.with_name(FILES_OWED).unlink(missing_ok=True)
    return deleted


def _compact_if_needed(store: Store, purged: bool, patience: float) -> bool | None:
    """Compact after a purge that `purged` anything, or when an earlier one's is owed;
    None when neither."""
    vacuum = after_purge(compaction_owed(store), purged)
    return None if vacuum is None else compact(store, patience, vacuum=vacuum)


def _journal(s: Session, report: PurgeReport, actor: Actor, kiosk_id: str) -> None:
    s.add(
        JournalRow(
            at=report.at,
            kiosk_id=kiosk_id,
            actor=actor.name,
            action="purge",
            details=report.details(),
        )
    )


def last_purge(s: Session) -> datetime | None:
    """When this store was last purged (the latest "purge" journal entry)."""
    return s.scalar(
        select(JournalRow.at)
        .where(JournalRow.action == "purge")
        .order_by(JournalRow.id.desc())
        .limit(1)
    )


def anything_due(s: Session, due: Due) -> bool:
    """Whether any accreditation past retention is not purged yet (one indexed probe)."""
    a = due.tables.accreditations
    found = select(a.id).where(a.purged_at.is_(None), due.accreditations).limit(1)
    return s.scalar(found) is not None


def purge_if_due(
    store: Store,
    now: datetime,
    kiosk_id: str,
    files: Callable[[], PersonalFiles] | None = None,
    starting: Callable[[], None] | None = None,
) -> PurgeReport | None:
    """The automatic purge when a kiosk opens: when something is past retention, and at
    most once a (Brussels) day; None when it had nothing to do. `files` is asked for the
    folders only when a purge runs (finding them may load the printing adapter);
    `starting` is called just before one runs (a big event's takes seconds: say so)."""
    with store.reading() as s:
        last = last_purge(s)
        today = now.astimezone(BRUSSELS).date()
        due = not (last is not None and last.astimezone(BRUSSELS).date() >= today)
        due = due and anything_due(s, due_at(s, KIOSK_TABLES, now))
    if not due:  # an earlier purge's follow-up, if it was stopped before it ended
        if files is not None and files_owed(store):
            _delete_owed_files(store, files(), False)
        _compact_if_needed(store, False, PATIENCE)
        return None
    if starting is not None:
        starting()
    return purge(store, now, AUTOMATIC, kiosk_id, files=files() if files else None)
