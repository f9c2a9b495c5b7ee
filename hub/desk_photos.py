"""Photos replaced at a counter's desk, as its journal delivers them, and what the office
sees of them (`kiosk-hub photos`).

A `photo_replaced` journal row names the person and the SHA-256 of the old and the new
photo (kiosk/desk_photos.py); the delivery carries the new photo beside it. The hub
trusts nothing in it: the photo is taken only if it is the one the row names, meets the
published requirements (kiosk/photo_rules.py) and the person is on file and not purged.
Then it replaces the photo on file and takes a change number, so every kiosk gets it by
the feed. Taken or refused, the change is kept in `photo_changes` with who took the
photo, who approved it and, when refused, why.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import HubDatabase, allocate
from hub.schema import PersonRow, PhotoChangeRow
from kiosk.photo_rules import DESK_PHOTO_LIMIT, photo_problems
from sync.protocol import ProtocolError

PHOTO_REPLACED = "photo_replaced"
_SHA = 64


def photo_of(wire: dict) -> bytes | None:
    """The photo a delivered row carries (base64), or None; ProtocolError if malformed."""
    text = wire.get("photo")
    if text is None:
        return None
    if not isinstance(text, str) or len(text) > (DESK_PHOTO_LIMIT + 2) // 3 * 4:
        raise ProtocolError(f"photo is not base64 of at most {DESK_PHOTO_LIMIT // 1024} KB")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as err:
        raise ProtocolError(f"photo is not base64 ({err})") from err


def _text(details: dict, name: str, most: int) -> str:
    value = details.get(name)
    return value[:most] if isinstance(value, str) else ""


def _refusal(s: Session, person_id: object, photo: bytes | None, new: str) -> str:
    """Why the hub does not take the photo ("" when it does)."""
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        return "the row names no person"
    person = s.get(PersonRow, person_id)
    if person is None or person.purged_at is not None:
        return f"person {person_id} is not on file at the hub"
    if photo is None:
        return "the delivery did not carry the photo (replaced again, or purged, since)"
    if hashlib.sha256(photo).hexdigest() != new:
        return "the photo carried is not the one the journal row names"
    if problems := photo_problems(photo):
        return problems[0].message_en
    return ""


def take_desk_photo(s: Session, kiosk_id: str, row: dict, now: datetime) -> bool:
    """Record a delivered `photo_replaced` row and replace the photo on file if it may;
    whether it was taken."""
    details = row["details"]
    person_id, photo = details.get("person_id"), row.get("photo")
    new = _text(details, "new_sha256", _SHA)
    why = _refusal(s, person_id, photo, new)
    if not why:
        person = s.get(PersonRow, person_id)
        person.photo, person.seq = photo, allocate(s)
    s.add(
        PhotoChangeRow(
            kiosk_id=kiosk_id,
            journal_id=row["id"],
            person_id=person_id if isinstance(person_id, int) else 0,
            taken_by=_text(details, "taken_by", 80),
            approved_by=row["actor"],
            old_sha256=_text(details, "old_sha256", _SHA),
            new_sha256=new,
            at=row["at"],
            received_at=now,
            refused=why,
        )
    )
    return not why


@dataclass(frozen=True)
class PhotoChange:
    """One photo replaced at a desk, as `kiosk-hub photos` lists it."""

    at: datetime
    kiosk_id: str
    person_id: int
    person: str
    taken_by: str
    approved_by: str
    old_sha256: str
    new_sha256: str
    refused: str


def photo_changes(db: HubDatabase) -> list[PhotoChange]:
    """Every photo replaced at a desk that reached the hub, oldest first."""
    with db.reading() as s:
        q = (
            select(PhotoChangeRow, PersonRow.surname, PersonRow.given_names)
            .join(PersonRow, PersonRow.id == PhotoChangeRow.person_id, isouter=True)
            .order_by(PhotoChangeRow.id)
        )
        return [
            PhotoChange(
                c.at,
                c.kiosk_id,
                c.person_id,
                f"{surname or '?'}, {given or '?'}",
                c.taken_by,
                c.approved_by,
                c.old_sha256,
                c.new_sha256,
                c.refused,
            )
            for c, surname, given in s.execute(q)
        ]
