"""`kiosk-hub import`: the accreditation platform's exports into the hub.

Two shapes of the same data (docs/hub-import.md gives every field):
- one JSON file with any of the sections ``events``, ``letters``, ``people``,
  ``accreditations``, ``status_changes`` (format ``pass-office-export/1``);
- CSV files, one section each, named after it (``people.csv``...; ``letter_members.csv``
  lists group-letter members; ``people.csv`` names photos by ``photo_file``, a JPEG path
  relative to the CSV).

Every input is bounded (a file's size, a section's rows, each field's length, a photo's
bytes, a letter's members): anything larger is refused with a message saying the limit.

Everything is read and checked before anything is written; any error refuses the whole
import with every problem listed (file, line or index, field, reason), and the database
is left as it was. Rows equal to what the hub holds are left alone, so re-importing a
full export each day sends kiosks only what changed.

ID document numbers (the accreditation's and group letters' members') are hashed here
with the site's document key (kiosk/documents.py): the hub never stores them in clear;
the export file itself is the office's to delete. Rows the hub has purged (their
retention passed) are left as they are: re-importing a full export does not bring their
personal data back.
"""

from __future__ import annotations

import base64
import csv
import errno
import itertools
import json
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from hub.database import HubDatabase, allocate, lock_changes
from hub.keys import document_key
from hub.purge import journal  # the hub's own chained journal
from hub.schema import AccreditationRow, EventRow, LetterRow, PersonRow
from hub.statuses import apply_status
from kiosk import documents
from kiosk.model import BRUSSELS, Flow, LetterKind, MediaKind, Status
from kiosk.photo_rules import JPEG_MAGIC, PHOTO_LIMIT, photo_problems
from kiosk.typed import BREAKS, CONTROL, is_colour

FORMAT = "pass-office-export/1"
SECTIONS = ("events", "letters", "people", "accreditations", "status_changes")
CSV_SECTIONS = (*SECTIONS, "letter_members")
FILE_LIMIT = 512 * 1024 * 1024  # bytes per export file: split a larger export, or use CSV
ROW_LIMIT = 500_000  # records per section and import
MEMBER_LIMIT = 1000  # people named by one group letter
VALID_WITH_LIMIT = 100  # events one event's badges are valid with
SURNAME_LIMIT, GIVEN_NAMES_LIMIT = 120, 160  # characters; an MRZ holds 39 at most
MAX_ERRORS = 50
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650
CHUNK = 2000
YEARS = (2000, 2199)  # event days, validity years, collection and status times
BIRTH_FROM = 1900  # a date of birth: from this year to today
EXPIRY_YEARS = (1970, 2199)  # an ID document's expiry
FUTURE_SLACK = timedelta(days=1)  # how far a decision may lie after the import's clock
_NATION = re.compile(r"[A-Z]{3}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[0-9]{1,10}")
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}
_DOC_FIELDS = {
    "kind": "doc_kind",
    "number": "doc_number",
    "issuing_state": "doc_state",
    "surname": "doc_surname",
    "given_names": "doc_given_names",
    "date_of_birth": "doc_birth_date",
    "expiry": "doc_expiry",
}


class ExportInvalid(ValueError):
    """The export cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_ERRORS]
        more = f"\n... and {len(errors) - MAX_ERRORS} more" if len(errors) > MAX_ERRORS else ""
        super().__init__(
            f"the export was not imported ({len(errors)} problem(s)); nothing changed:\n"
            + "\n".join(f"  {e}" for e in shown)
            + more
        )


@dataclass
class Record:
    """One record as read, with where it came from (for error messages)."""

    where: str
    data: dict
    base: Path | None = None  # folder a CSV's photo paths are relative to

    @property
    def from_csv(self) -> bool:
        """CSV gives every value as text; JSON gives numbers as numbers."""
        return self.base is not None


@dataclass
class ImportReport:
    """What an import changed."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    status_changes: int = 0
    badges_revoked: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for the operator."""
        lines = [
            f"{name}: {self.added.get(name, 0)} added, {self.changed.get(name, 0)} changed, "
            f"{self.unchanged.get(name, 0)} unchanged"
            for name in SECTIONS[:-1]
            if name in self.added
        ]
        lines.append(
            f"status changes applied: {self.status_changes}, badges revoked: {self.badges_revoked}"
        )
        return "\n".join(lines + self.notes)

    def details(self, source: str) -> dict:
        """What the hub's journal keeps of the import (counts, never personal data)."""
        return {
            "source": source,
            "added": self.added,
            "changed": self.changed,
            "status_changes": self.status_changes,
            "badges_revoked": self.badges_revoked,
        }


# --- Reading ---------------------------------------------------------------------------


def _too_big(path: Path, errors: list[str]) -> bool:
    """Whether `path` is over FILE_LIMIT (noted in `errors`)."""
    try:
        size = path.stat().st_size
    except OSError as err:
        errors.append(f"{path.name}: cannot read it: {err.strerror}")
        return True
    if size > FILE_LIMIT:
        errors.append(
            f"{path.name}: {size // 2**20} MB: an export file may have at most "
            f"{FILE_LIMIT // 2**20} MB (split it, or export CSV with photo files)"
        )
        return True
    return False


def _read_json(path: Path, sections: dict[str, list[Record]], errors: list[str]) -> None:
    if _too_big(path, errors):
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        errors.append(f"{path.name}: not a readable JSON file: {err}")
        return
    except ValueError:  # a number of more than 4300 digits (sys.int_info)
        errors.append(f"{path.name}: not a platform export: a number too long to read")
        return
    except RecursionError:
        errors.append(f"{path.name}: not a platform export: arrays or objects nested too deep")
        return
    json_sections(data, path.name, sections, errors)


def json_sections(
    data: object, label: str, sections: dict[str, list[Record]], errors: list[str]
) -> None:
    """The records of a JSON export already parsed (`label` names it in messages)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        errors.append(f'{label}: not a platform export (expected "format": "{FORMAT}")')
        return
    unknown = set(data) - {"format", "exported_at", *SECTIONS}
    if unknown:
        errors.append(f"{label}: unknown section(s) {', '.join(sorted(unknown))}")
    for name in SECTIONS:
        items = data.get(name, [])
        if not isinstance(items, list):
            errors.append(f"{label}: {name} must be a list")
            continue
        if len(items) + len(sections[name]) > ROW_LIMIT:
            errors.append(f"{label}: {name}: more than {ROW_LIMIT} records in one import")
            continue
        for i, item in enumerate(items):
            where = f"{label} {name}[{i}]"
            if not isinstance(item, dict):
                errors.append(f"{where}: must be an object")
                continue
            if name == "accreditations":
                item = _flatten_accreditation(item, where, errors)
            sections[name].append(Record(where, item))


def _flatten_accreditation(item: dict, where: str, errors: list[str]) -> dict:
    flat = {k: v for k, v in item.items() if k not in ("id_document", "proof")}
    doc, proof = item.get("id_document"), item.get("proof") or {}
    if not isinstance(doc, dict):
        errors.append(f"{where}: id_document: missing (the ID document used to apply)")
        doc = {}
    if not isinstance(proof, dict):
        errors.append(f"{where}: proof: must be an object")
        proof = {}
    flat.update({_DOC_FIELDS[k]: v for k, v in doc.items() if k in _DOC_FIELDS})
    flat.update({k: proof.get(k) for k in ("press_card", "letter_id")})
    return flat


def _read_csv(path: Path, sections: dict[str, list[Record]], errors: list[str]) -> None:
    name = path.stem.lower()
    if name not in CSV_SECTIONS:
        errors.append(
            f"{path.name}: a CSV file is named after its section: "
            + ", ".join(f"{s}.csv" for s in CSV_SECTIONS)
        )
        return
    if _too_big(path, errors):
        return
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            # strict: a quoted value never closed (a file cut short) is refused, not read
            # to the end of the file as one value
            reader = csv.DictReader(fh, strict=True)
            rows = list(itertools.islice(reader, ROW_LIMIT + 1))
    except csv.Error as err:
        # line_num counts the lines of the records read whole: this one starts after them
        errors.append(f"{path.name} line {reader.line_num + 1}: not CSV: {err}")
        return
    except (OSError, UnicodeDecodeError) as err:
        errors.append(f"{path.name}: not a readable UTF-8 CSV file: {err}")
        return
    if len(rows) + len(sections[name]) > ROW_LIMIT:
        errors.append(f"{path.name}: more than {ROW_LIMIT} records in one import")
        return
    for line, row in enumerate(rows, start=2):
        if None in row:
            errors.append(f"{path.name} line {line}: more values than columns")
            continue
        data = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        if name == "events":
            data["valid_with"] = (data.get("valid_with") or "").split()
        sections[name].append(Record(f"{path.name} line {line}", data, path.parent))


def _attach_members(sections: dict[str, list[Record]], errors: list[str]) -> None:
    letters = {str(r.data.get("id")): r for r in sections["letters"]}
    for r in sections.pop("letter_members", []):
        letter = letters.get(str(r.data.get("letter_id")))
        if letter is None:
            errors.append(f"{r.where}: letter_id: no letter {r.data.get('letter_id')!r} here")
            continue
        letter.data.setdefault("members", []).append(
            {
                k: r.data.get(k)
                for k in ("surname", "given_names", "date_of_birth", "document_number")
            }
        )


def read_export(paths: Iterable[Path]) -> dict[str, list[Record]]:
    """Every record of the files, by section; ExportInvalid when a file is unreadable."""
    sections = _empty()
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            errors.append(f"{path}: a folder: name its files (e.g. {path / '*.csv'})")
        elif not path.is_file():
            errors.append(f"{path}: no such file")
        elif path.suffix.lower() == ".json":
            _read_json(path, sections, errors)
        elif path.suffix.lower() == ".csv":
            _read_csv(path, sections, errors)
        else:
            errors.append(f"{path.name}: only .json and .csv exports are understood")
    _attach_members(sections, errors)
    if errors:
        raise ExportInvalid(errors)
    return sections


def _empty() -> dict[str, list[Record]]:
    return {name: [] for name in CSV_SECTIONS}


# --- Checking --------------------------------------------------------------------------


class _Fields:
    """Reads typed fields from one record, noting every problem."""

    def __init__(self, record: Record, errors: list[str], now: datetime) -> None:
        self.r, self.errors, self.now = record, errors, now
        self.today = now.astimezone(BRUSSELS).date()

    def fail(self, name: str, why: str) -> None:
        self.errors.append(f"{self.r.where}: {name}: {why}")

    def raw(self, name: str) -> object:
        value = self.r.data.get(name)
        return None if value == "" else value

    def text(self, name: str, limit: int, required: bool = True, lines: bool = False) -> str | None:
        """Text up to `limit` characters, on one line unless `lines` (a name or an e-mail
        holding a line break made listings show lines that are not there)."""
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "missing")
            return None if not required else ""
        if not isinstance(value, str):
            self.fail(name, f"must be text, got {value!r}")
            return ""
        if len(value) > limit:
            self.fail(name, f"{len(value)} characters: at most {limit} are accepted")
        if CONTROL.search(value):  # a NUL PostgreSQL cannot keep, an escape, an override
            self.fail(name, "holds a control character or a direction override")
        elif not lines and BREAKS.search(value):
            self.fail(name, "must be one line (it holds a line break or a tab)")
        return value

    def french(self, name: str, limit: int, lines: bool = False) -> str:
        """An optional French text beside an English field (kiosk/office_texts.py): ""
        when missing, so that screens show the English."""
        return (self.text(name, limit, required=False, lines=lines) or "").strip()

    def integer(self, name: str, required: bool = True) -> int | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "missing")
            return None
        if self.r.from_csv:
            if not (isinstance(value, str) and _WHOLE.fullmatch(value)):
                self.fail(name, f"{value!r} is not a whole number")
                return None
            value = int(value)
        elif isinstance(value, bool) or not isinstance(value, int):
            self.fail(
                name, f"must be a JSON whole number (not text, not true/false), got {value!r}"
            )
            return None
        if value <= 0 or value >= 2**31:
            self.fail(name, f"{value} is out of range (1 to 2147483647)")
            return None
        return value

    def year(self, name: str) -> int | None:
        """An optional year a badge is valid (YEARS)."""
        value = self.integer(name, required=False)
        if value is not None and not YEARS[0] <= value <= YEARS[1]:
            self.fail(name, f"{value}: the year must be {YEARS[0]} to {YEARS[1]}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.r.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE if value else default
        self.fail(name, f"{value!r} is not true or false")
        return default

    def in_years(self, name: str, when: date, years: tuple[int, int]) -> bool:
        """Whether `when` (a date or a moment, in its own zone) lies in `years`."""
        if years[0] <= when.year <= years[1]:
            return True
        self.fail(name, f"{when.isoformat()}: the year must be {years[0]} to {years[1]}")
        return False

    def day(self, name: str, years: tuple[int, int] = YEARS) -> date | None:
        """A required date as text YYYY-MM-DD, its year in `years`."""
        value = self.raw(name)
        if value is None:
            self.fail(name, "missing (YYYY-MM-DD)")
            return None
        try:
            if not (isinstance(value, str) and _DAY.fullmatch(value)):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(name, f"{value!r} is not a date (YYYY-MM-DD)")
            return None
        return day if self.in_years(name, day, years) else None

    def born(self, name: str) -> date | None:
        """A date of birth: from BIRTH_FROM up to today."""
        day = self.day(name, (BIRTH_FROM, YEARS[1]))
        if day and day > self.today:
            self.fail(name, f"{day.isoformat()} is in the future")
            return None
        return day

    def moment(self, name: str, required: bool = True) -> datetime | None:
        """A date and time as ISO 8601 text with a zone, its year in YEARS."""
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "missing (ISO 8601 with a zone, e.g. 2026-02-13T07:30+01:00)")
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(name, f"{value!r} is not an ISO 8601 date and time")
            return None
        if moment.tzinfo is None:
            self.fail(name, f"{value!r} has no time zone (add +01:00 or Z)")
            return None
        return moment if self.in_years(name, moment, YEARS) else None

    def decided(self, name: str, required: bool = True) -> datetime | None:
        """A moment that orders decisions: an export's status newer than the hub's
        replaces it, so one far ahead would lock the status. At most FUTURE_SLACK after
        the import's clock."""
        moment = self.moment(name, required)
        if moment and moment > self.now + FUTURE_SLACK:
            self.fail(
                name,
                f"{moment.isoformat()} is in the future (this import runs at "
                f"{self.now.isoformat(timespec='minutes')})",
            )
            return None
        return moment

    def days(self, name: str, default: int, top: int) -> int:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, str) and _WHOLE.fullmatch(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            self.fail(name, f"{value!r} is not a number of days from 0 to {top}")
            return default
        return value

    def document_number(self, name: str) -> str:
        value = self.text(name, 40)
        if value and (why := documents.problem(value)):
            self.fail(name, why)
        return value or ""

    def colour(self, name: str, default: str) -> str:
        """A badge colour, #RRGGBB (a badge in another could not be printed); `default`
        when none is given."""
        value = self.text(name, 9, required=False)
        if value and not is_colour(value):
            self.fail(name, f"{value!r} is not a colour: give one as #RRGGBB, e.g. {default}")
            return default
        return value or default

    def choice(self, name: str, allowed: Iterable[str]) -> str:
        allowed = list(allowed)
        value = self.raw(name)
        if value not in allowed:
            shown = "missing" if value is None else repr(value)
            self.fail(name, f"{shown}: must be one of {', '.join(allowed)}")
            return allowed[0]
        return value  # type: ignore[return-value]


def _event(f: _Fields) -> dict:
    row = {
        "id": f.text("id", 40),
        "name": f.text("name", 200),
        "place": f.text("place", 200),
        "at_hq": f.boolean("at_hq", True),
        "first_day": f.day("first_day"),
        "last_day": f.day("last_day"),
        "collection_opens": f.moment("collection_opens"),
        "collection_closes": f.moment("collection_closes"),
        "annual_admitted": f.boolean("annual_admitted", True),
        "colour": f.colour("colour", "#c62828"),
        "valid_with": f.r.data.get("valid_with") or [],
        "retention_days": f.days("retention_days", DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS),
        "name_fr": f.french("name_fr", 200),
        "place_fr": f.french("place_fr", 200),
    }
    if row["first_day"] and row["last_day"] and row["first_day"] > row["last_day"]:
        f.fail("last_day", "before first_day")
    opens, closes = row["collection_opens"], row["collection_closes"]
    if opens and closes and opens >= closes:
        f.fail("collection_closes", "not after collection_opens")
    if not isinstance(row["valid_with"], list) or not all(
        isinstance(v, str) and len(v) <= 40 for v in row["valid_with"]
    ):
        f.fail("valid_with", "must be a list of event ids (40 characters at most)")
        row["valid_with"] = []
    elif len(row["valid_with"]) > VALID_WITH_LIMIT:
        f.fail("valid_with", f"more than {VALID_WITH_LIMIT} events")
        row["valid_with"] = []
    return row


def _member(f: _Fields, i: int, m: object) -> dict | None:
    if not isinstance(m, dict):
        f.fail(f"members[{i}]", "must be an object")
        return None
    sub = _Fields(Record(f"{f.r.where} members[{i}]", m, f.r.base), f.errors, f.now)
    born = sub.born("date_of_birth")
    return {
        "surname": sub.text("surname", SURNAME_LIMIT),
        "given_names": sub.text("given_names", GIVEN_NAMES_LIMIT),
        "date_of_birth": born.isoformat() if born else None,
        "document_number": sub.document_number("document_number"),
    }


def _letter(f: _Fields) -> dict:
    members = f.r.data.get("members") or []
    if not isinstance(members, list):
        f.fail("members", "must be a list")
        members = []
    if len(members) > MEMBER_LIMIT:
        f.fail("members", f"{len(members)} people: a letter may name at most {MEMBER_LIMIT}")
        members = []
    return {
        "id": f.integer("id"),
        "kind": f.choice("kind", [k.value for k in LetterKind]),
        "organisation": f.text("organisation", 200),
        "signed": f.boolean("signed", False),
        "members": [row for i, m in enumerate(members) if (row := _member(f, i, m))],
    }


def _photo_path(base: Path, name: str) -> Path | None:
    """The photo `name` in the export's folder `base` or below it; None for an absolute
    path or one climbing out (`../`, a link leading out): an export names its own photos,
    not the hub machine's other files."""
    path = base / name
    if Path(name).is_absolute():
        return None
    try:
        path.resolve().relative_to(base.resolve())
    except ValueError:
        return None
    return path


def _photo(f: _Fields) -> bytes | None:
    data = f.r.data
    if data.get("photo_file"):
        path = _photo_path(f.r.base or Path(), str(data["photo_file"]))
        if path is None:
            f.fail("photo_file", "must name a file in the export's folder or below it")
            return None
        try:
            if not stat.S_ISREG(path.stat().st_mode):  # a pipe would hang the import
                raise OSError(errno.EINVAL, "not a regular file")
            with path.open("rb") as fh:
                jpeg = fh.read(PHOTO_LIMIT + 1)  # a larger file is refused below, unread
        except OSError as err:
            f.fail("photo_file", f"cannot read {path}: {err.strerror}")
            return None
    elif data.get("photo_jpeg_base64"):
        encoded = str(data["photo_jpeg_base64"])
        if len(encoded) > (PHOTO_LIMIT + 2) // 3 * 4 + 4:
            f.fail(
                "photo",
                f"{len(encoded) * 3 // 4 // 1024} KB: identity photos must be under 100 KB",
            )
            return None
        try:
            jpeg = base64.b64decode(encoded, validate=True)
        except ValueError:  # binascii.Error, or text that is not ASCII
            f.fail("photo_jpeg_base64", "is not base64")
            return None
    else:
        return None
    if not jpeg.startswith(JPEG_MAGIC):
        f.fail("photo", "is not a JPEG image")
    elif len(jpeg) > PHOTO_LIMIT:
        f.fail("photo", f"{_kb(jpeg, data)} KB: identity photos must be under 100 KB")
    else:  # the published proportions and a size to compare a face (kiosk/photo_rules.py)
        for problem in photo_problems(jpeg):
            f.fail("photo", problem.message_en)
    return jpeg


def _kb(jpeg: bytes, data: dict) -> str:
    """A photo's size in KB, "over N" when only its first bytes were read from a file."""
    size = len(jpeg) // 1024
    return f"over {size}" if data.get("photo_file") else str(size)


def _person(f: _Fields) -> dict:
    row = {
        "id": f.integer("id"),
        "surname": f.text("surname", SURNAME_LIMIT),
        "given_names": f.text("given_names", GIVEN_NAMES_LIMIT),
        "date_of_birth": f.born("date_of_birth"),
        "nationality": f.text("nationality", 3),
        "email": f.text("email", 254),
        "organisation": f.text("organisation", 200, required=False) or "",
        "media_kind": f.choice("media_kind", [k.value for k in MediaKind]),
        "photo": _photo(f),
    }
    if row["nationality"] and not _NATION.fullmatch(row["nationality"]):
        f.fail("nationality", f"{row['nationality']!r} is not an ICAO three-letter code")
    if row["email"] and "@" not in row["email"]:
        f.fail("email", f"{row['email']!r} is not an e-mail address")
    return row


def _accreditation(f: _Fields) -> dict:
    row = {
        "id": f.integer("id"),
        "person_id": f.integer("person_id"),
        "flow": f.choice("flow", [k.value for k in Flow]),
        "year": f.year("year"),
        "event_id": f.text("event_id", 40, required=False),
        "status": f.choice("status", [k.value for k in Status]),
        "status_reason": f.text("status_reason", 2000, required=False, lines=True) or "",
        "status_reason_fr": f.french("status_reason_fr", 2000, lines=True),
        "status_changed_at": f.decided("status_changed_at", required=False),
        "pool": f.boolean("pool", False),
        "doc_kind": f.text("doc_kind", 2),
        "doc_number": f.document_number("doc_number"),
        "doc_state": f.text("doc_state", 3),
        "doc_surname": f.text("doc_surname", SURNAME_LIMIT),
        "doc_given_names": f.text("doc_given_names", GIVEN_NAMES_LIMIT),
        "doc_birth_date": f.born("doc_birth_date"),
        "doc_expiry": f.day("doc_expiry", EXPIRY_YEARS),
        "press_card": f.text("press_card", 60, required=False),
        "letter_id": f.integer("letter_id", required=False),
    }
    if row["flow"] == Flow.ANNUAL.value and (row["year"] is None or row["event_id"]):
        f.fail("year", "an annual accreditation has a year and no event_id")
    if row["flow"] == Flow.EVENT.value and (not row["event_id"] or row["year"] is not None):
        f.fail("event_id", "an event accreditation names its event_id and no year")
    return row


def _status_change(f: _Fields) -> dict:
    return {
        "accreditation_id": f.integer("accreditation_id"),
        "status": f.choice("status", [k.value for k in Status]),
        "at": f.decided("at"),
        "reason": f.text("reason", 2000, required=False, lines=True) or "",
        "reason_fr": f.french("reason_fr", 2000, lines=True),
    }


_CHECKERS = {
    "events": _event,
    "letters": _letter,
    "people": _person,
    "accreditations": _accreditation,
    "status_changes": _status_change,
}
_TABLES = {
    "events": EventRow,
    "letters": LetterRow,
    "people": PersonRow,
    "accreditations": AccreditationRow,
}


def _existing_ids(s: Session, table: type, ids: set) -> set:
    found: set = set()
    ids_list = list(ids)
    for i in range(0, len(ids_list), CHUNK):
        part = ids_list[i : i + CHUNK]
        found |= set(s.scalars(select(table.id).where(table.id.in_(part))))
    return found


def _check_unique(name: str, key: str, rows: list[tuple[Record, dict]], errors: list[str]) -> None:
    seen: dict[object, str] = {}
    for record, row in rows:
        value = row.get(key)
        if value is None:
            continue
        if value in seen:
            errors.append(f"{record.where}: {key}: {value!r} also at {seen[value]}")
        else:
            seen[value] = record.where


def _check_references(
    s: Session, checked: dict[str, list[tuple[Record, dict]]], errors: list[str]
) -> None:
    known = {name: {row["id"] for _, row in checked[name]} for name in _TABLES}
    wanted = {
        "events": {e for _, r in checked["events"] for e in r["valid_with"]}
        | {r["event_id"] for _, r in checked["accreditations"] if r["event_id"]},
        "letters": {r["letter_id"] for _, r in checked["accreditations"] if r["letter_id"]},
        "people": {r["person_id"] for _, r in checked["accreditations"] if r["person_id"]},
        "accreditations": {
            r["accreditation_id"] for _, r in checked["status_changes"] if r["accreditation_id"]
        },
    }
    for name, ids in wanted.items():
        known[name] |= _existing_ids(s, _TABLES[name], ids - known[name])
    refs = [
        ("events", "valid_with", lambda r: r["valid_with"], "events"),
        ("accreditations", "event_id", lambda r: [r["event_id"]], "events"),
        ("accreditations", "letter_id", lambda r: [r["letter_id"]], "letters"),
        ("accreditations", "person_id", lambda r: [r["person_id"]], "people"),
        ("status_changes", "accreditation_id", lambda r: [r["accreditation_id"]], "accreditations"),
    ]
    for section, key, values, target in refs:
        for record, row in checked[section]:
            for value in values(row):
                if value is not None and value not in known[target]:
                    errors.append(
                        f"{record.where}: {key}: {value!r} is neither in this export nor at "
                        f"the hub ({target})"
                    )


def _check_named(
    s: Session, checked: dict[str, list[tuple[Record, dict]]], errors: list[str]
) -> None:
    """Every person and letter imported is named by an accreditation, of this export or
    at the hub: the purge dates personal data by its accreditations, so a person or a
    letter no accreditation names would be kept for ever (and sent to every counter)."""
    accs = checked["accreditations"]
    for section, key in (("people", "person_id"), ("letters", "letter_id")):
        ids = {row["id"] for _, row in checked[section]}
        named = {row[key] for _, row in accs if row[key] in ids}
        column, rest = getattr(AccreditationRow, key), list(ids - named)
        for i in range(0, len(rest), CHUNK):
            named |= set(s.scalars(select(column).where(column.in_(rest[i : i + CHUNK]))))
        for record, row in checked[section]:
            if row["id"] not in named:
                errors.append(
                    f"{record.where}: id: {row['id']!r} is named by no accreditation of this "
                    "export nor of the hub: import it with one (the purge could never reach "
                    "it)"
                )


def email_key(email: str) -> str:
    """What makes two e-mail addresses one: the whole address in lower case ("Anna@X.org"
    is "anna@x.org": mail servers do not tell them apart in practice, and a person typing
    theirs again in other capitals must not become a second profile)."""
    return email.lower()


def _check_unique_emails(people: list[tuple[Record, dict]], errors: list[str]) -> None:
    """One e-mail address per person within the export, in any case."""
    seen: dict[str, str] = {}
    for record, row in people:
        if row["email"]:
            key = email_key(row["email"])
            if key in seen:
                errors.append(f"{record.where}: email: {row['email']!r} also at {seen[key]}")
            else:
                seen[key] = record.where


def _check_emails(s: Session, people: list[tuple[Record, dict]], errors: list[str]) -> None:
    """One person, one profile, one unique e-mail address, in any case, also against the
    people the hub holds. An address another person of this export gives up may be taken
    in other capitals (two such addresses held from before can so be put right), not as
    it is: the people are written one by one under the column's exact unique index.
    Compared in Python over every address held, so that SQLite (whose lower() folds ASCII
    only) and PostgreSQL (whose lower() follows the database's locale) decide alike."""
    incoming = {row["id"] for _, row in people}
    exact: dict[str, int] = {}
    folded: dict[str, int] = {}  # of the people this export leaves as they are
    for pid, email in s.execute(select(PersonRow.id, PersonRow.email).order_by(PersonRow.id)):
        exact[email] = pid
        if pid not in incoming:
            folded.setdefault(email_key(email), pid)
    for record, row in people:
        email, own = row["email"], row["id"]
        if not email:
            continue
        held = exact.get(email, own)
        if held == own:
            held = folded.get(email_key(email), own)
        if held != own:
            errors.append(f"{record.where}: email: {email!r} belongs to person {held} already")


def check_export(
    s: Session, sections: dict[str, list[Record]], now: datetime
) -> dict[str, list[dict]]:
    """Typed rows by section (checked against the import's clock `now`); ExportInvalid
    listing every problem."""
    errors: list[str] = []
    checked = {
        name: [(r, _CHECKERS[name](_Fields(r, errors, now))) for r in sections[name]]
        for name in SECTIONS
    }
    for name in _TABLES:
        _check_unique(name, "id", checked[name], errors)
    _check_unique_emails(checked["people"], errors)
    if not errors:
        _check_references(s, checked, errors)
        _check_named(s, checked, errors)
        _check_emails(s, checked["people"], errors)
    if errors:
        raise ExportInvalid(errors)
    return {name: [row for _, row in rows] for name, rows in checked.items()}


# --- Writing ---------------------------------------------------------------------------


def _hash_numbers(rows: dict[str, list[dict]], key: bytes) -> None:
    """Replace every ID document number by its digest and tail (kiosk/documents.py)."""
    for row in rows["accreditations"]:
        number = row.pop("doc_number")
        row["doc_number_digest"] = documents.document_digest(key, number)
        row["doc_number_tail"] = documents.doc_number_tail(number)
    for letter in rows["letters"]:
        letter["members"] = [documents.hashed_member(key, m) for m in letter["members"]]


def _upsert(s: Session, name: str, rows: list[dict], report: ImportReport) -> dict[int, dict]:
    """Insert new rows, update changed ones (each with a new change number), leave purged
    ones alone; returns the previous values of the rows that existed."""
    table = _TABLES[name]
    columns = [c.key for c in table.__table__.columns if c.key not in ("seq", "status_seq")]
    before: dict = {}
    ids = [r["id"] for r in rows]
    for i in range(0, len(ids), CHUNK):
        for row in s.execute(
            select(*(getattr(table, c) for c in columns)).where(table.id.in_(ids[i : i + CHUNK]))
        ):
            before[row.id] = row._asdict()
    purged = [r for r in rows if before.get(r["id"], {}).get("purged_at")]
    if purged:
        report.notes.append(
            f"left {len(purged)} purged {name} as they are (their retention has passed)"
        )
        rows = [r for r in rows if not before.get(r["id"], {}).get("purged_at")]
    fresh = [r for r in rows if r["id"] not in before]
    changed = [r for r in rows if r["id"] in before and _differs(name, r, before[r["id"]])]
    report.added[name] = len(fresh)
    report.changed[name] = len(changed)
    report.unchanged[name] = len(rows) - len(fresh) - len(changed)
    if not fresh and not changed:
        return before
    first = allocate(s, len(fresh) + len(changed))
    fresh = [{**r, "seq": first + n} for n, r in enumerate(fresh)]
    changed = [{**r, "seq": first + len(fresh) + n} for n, r in enumerate(changed)]
    if name == "accreditations":
        for r in fresh:
            r["status_seq"] = r["seq"]
        for r in changed:  # the status moves only through _apply_statuses
            r.update({k: before[r["id"]][k] for k in _STATUS_FIELDS})
    for i in range(0, len(fresh), CHUNK):
        s.execute(insert(table), fresh[i : i + CHUNK])
    for i in range(0, len(changed), CHUNK):
        s.execute(update(table), changed[i : i + CHUNK])
    return before


_STATUS_FIELDS = ("status", "status_reason", "status_changed_at", "status_reason_fr")


def _differs(name: str, new: dict, old: dict) -> bool:
    keys = [k for k in new if k not in ("seq", "status_seq")]
    if name == "accreditations":
        keys = [k for k in keys if k not in _STATUS_FIELDS]
    return any(new[k] != old[k] and not _both_none_given(k, new[k], old[k]) for k in keys)


def _both_none_given(key: str, new: object, old: object) -> bool:
    """A French text "" in the export and NULL at the hub (a row held before the hub kept
    French texts) both mean none: the row is not sent to every kiosk again for it."""
    return key.endswith("_fr") and not new and not old


def _status_wanted(row: dict, old: dict) -> bool:
    """An export's status replaces the hub's when it is newer: an office decision taken
    at the hub (a revocation) is never undone by re-importing an older export."""
    if (row["status"], row["status_reason"], row["status_reason_fr"]) == (
        old["status"],
        old["status_reason"],
        old["status_reason_fr"] or "",
    ):
        return False
    hub_at, export_at = old["status_changed_at"], row["status_changed_at"]
    return hub_at is None or (export_at is not None and export_at > hub_at)


def _translated(row: dict, old: dict) -> bool:
    """Whether the export holds the hub's decision (same status, reason and time) with
    another French reason: kiosks get the French, no new decision is recorded."""
    same = ("status", "status_reason", "status_changed_at")
    return (
        old["status_changed_at"] is not None
        and all(row[k] == old[k] for k in same)
        and row["status_reason_fr"] != (old["status_reason_fr"] or "")
    )


def _apply_statuses(
    s: Session,
    accreditations: list[dict],
    before: dict[int, dict],
    changes: list[dict],
    source: str,
    now: datetime,
    report: ImportReport,
) -> None:
    wanted = [
        {
            "accreditation_id": r["id"],
            "status": r["status"],
            "reason": r["status_reason"],
            "reason_fr": r["status_reason_fr"],
            "at": r["status_changed_at"] or now,
        }
        for r in accreditations
        if r["id"] in before and _status_wanted(r, before[r["id"]])
    ]
    kept = [
        r["id"]
        for r in accreditations
        if r["id"] in before
        and r["status"] != before[r["id"]]["status"]
        and not _status_wanted(r, before[r["id"]])
    ]
    if kept:
        report.notes.append(
            f"kept the hub's newer status of {len(kept)} accreditation(s) "
            f"(e.g. A{kept[0]:07d}): the export's is older or undated"
        )
    for r in accreditations:  # the same decision, its French reason given or changed
        if r["id"] in before and _translated(r, before[r["id"]]):
            acc = s.get(AccreditationRow, r["id"])
            acc.status_reason_fr, acc.seq = r["status_reason_fr"], allocate(s)
    for change in sorted(wanted + changes, key=lambda c: c["at"]):
        acc = s.get(AccreditationRow, change["accreditation_id"])
        if acc.status_changed_at is not None and change["at"] <= acc.status_changed_at:
            continue
        revoked = apply_status(
            s,
            acc,
            Status(change["status"]),
            change["reason"],
            change["at"],
            source,
            now,
            reason_fr=change["reason_fr"],
        )
        report.status_changes += 1
        report.badges_revoked += len(revoked)


def import_files(
    db: HubDatabase, paths: list[Path], now: datetime, operator: str = "office"
) -> ImportReport:
    """Check then import export files in one transaction; ExportInvalid changes nothing."""
    sections = read_export(paths)
    source = "import " + ", ".join(p.name for p in paths)
    return import_sections(db, sections, source, now, operator)


def import_data(
    db: HubDatabase, data: dict, label: str, now: datetime, operator: str = "office"
) -> ImportReport:
    """Import a JSON export already in memory (same checks as a file)."""
    sections, errors = _empty(), []
    json_sections(data, label, sections, errors)
    if errors:
        raise ExportInvalid(errors)
    return import_sections(db, sections, f"import {label}", now, operator)


def import_sections(
    db: HubDatabase,
    sections: dict[str, list[Record]],
    source: str,
    now: datetime,
    operator: str = "office",
) -> ImportReport:
    """Check every record, then write them all in one transaction, which journals what
    the import changed as `operator`'s."""
    report = ImportReport()
    with db.writing() as s:
        lock_changes(s)  # checked against the data it will be written over
        rows = check_export(s, sections, now)
        _hash_numbers(rows, document_key(s))
        for name in ("events", "letters", "people"):
            _upsert(s, name, rows[name], report)
        before = _upsert(s, "accreditations", rows["accreditations"], report)
        _apply_statuses(
            s, rows["accreditations"], before, rows["status_changes"], source, now, report
        )
        journal(s, "import", operator, report.details(source), now)
    return report
