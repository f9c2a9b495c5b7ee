"""An event's accreditations and badges as CSV, for the pass office chief's spreadsheet."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from hub.database import HubDatabase
from hub.schema import AccreditationRow, BadgeRow, EventRow, PersonRow
from kiosk.model import Flow


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet does not run: a leading = + - @ is quoted away."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = (
    "accreditation",
    "surname",
    "given_names",
    "organisation",
    "media_kind",
    "status",
    "badge",
    "badge_status",
    "issued_at",
    "kiosk",
)


def event_csv(db: HubDatabase, key: str) -> str | None:
    """One row per accreditation of an event (or "annual-YYYY") and its badges; None if
    there is no such event."""
    acc = AccreditationRow
    with db.reading() as s:
        if re.fullmatch(r"annual-\d{4}", key, re.ASCII):  # a year the database can hold
            where = (acc.flow == Flow.ANNUAL.value, acc.year == int(key[7:]))
        elif s.get(EventRow, key) is not None:
            where = (acc.event_id == key,)
        else:
            return None
        rows = s.execute(
            select(acc, PersonRow, BadgeRow)
            .join(PersonRow, PersonRow.id == acc.person_id)
            .outerjoin(BadgeRow, BadgeRow.accreditation_id == acc.id)
            .where(*where)
            .order_by(acc.id, BadgeRow.issued_at)
        ).all()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for a, p, b in rows:
            badge = (b.serial, b.status, b.issued_at.isoformat(), b.kiosk_id) if b else ("",) * 4
            line = (f"A{a.id:07d}", p.surname, p.given_names, p.organisation, p.media_kind)
            writer.writerow([_cell(v) for v in (*line, a.status, *badge)])
    return out.getvalue()
