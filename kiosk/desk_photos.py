"""A photo taken at the desk replaces the one on file, once a supervisor approves it.

The clerk took the photo (scanning/desk_photo.py checked its light); a supervisor signs
in and approves it. The store keeps the new photo, and the journal keeps the change
without the picture (no applicant's personal data in the journal): whose photo, the
SHA-256 of the old and the new one, who took it and who approved it. The outbox carries
the photo with that row to the hub (sync/outbox.py), which takes it only if it still
meets the requirements (hub/desk_photos.py) and sends it to every kiosk by the feed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from kiosk.photo_rules import DESK_PHOTO_LIMIT, photo_problems
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow, PersonRow, PhotoRow

ACTION = "photo_replaced"


class PhotoRefused(ValueError):
    """A photo that cannot replace the one on file; the messages say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


def sha256(jpeg: bytes | None) -> str:
    """The hex SHA-256 of a photo ("" for none)."""
    return hashlib.sha256(jpeg).hexdigest() if jpeg else ""


def _checked(jpeg: bytes) -> None:
    problems = photo_problems(jpeg)
    if problems:
        raise PhotoRefused(problems[0].message_en, problems[0].message_fr)
    if len(jpeg) > DESK_PHOTO_LIMIT:
        raise PhotoRefused(
            f"The photo is {len(jpeg) // 1024} KB: a photo taken at the desk is at most"
            f" {DESK_PHOTO_LIMIT // 1024} KB (kiosk photo take makes it so).",
            f"La photo fait {len(jpeg) // 1024} Ko : une photo prise au guichet fait au plus"
            f" {DESK_PHOTO_LIMIT // 1024} Ko (kiosk photo take la fait ainsi).",
        )


def replace_photo(
    store: Store,
    clock: Callable[[], datetime],
    kiosk_id: str,
    person_id: int,
    jpeg: bytes,
    clerk: Actor,
    supervisor: Actor,
) -> str:
    """Put `jpeg` on file for `person_id`, taken by `clerk`, approved by `supervisor`;
    the photo replaced's SHA-256 ("" for none). AccessDenied or PhotoRefused otherwise,
    with nothing changed."""
    require(clerk.role, Action.CHECK)
    require(supervisor.role, Action.OVERRIDE)
    _checked(jpeg)
    now = clock()
    with store.writing() as s:
        ensure_enabled(s, clerk, supervisor)
        person = s.get(PersonRow, person_id)
        if person is None or person.purged_at is not None:
            raise PhotoRefused(
                f"There is no person {person_id} on file here: nothing was changed.",
                f"Aucune personne {person_id} n'est enregistrée ici : rien n'a été changé.",
            )
        held = s.get(PhotoRow, person_id)
        old = sha256(held.jpeg if held else None)
        if held is None:
            s.add(PhotoRow(person_id=person_id, jpeg=jpeg))
        else:
            held.jpeg = jpeg
        details = {
            "person_id": person_id,
            "old_sha256": old,
            "new_sha256": sha256(jpeg),
            "taken_by": clerk.name,
            "role": supervisor.role.value,
        }
        s.add(
            JournalRow(
                at=now, kiosk_id=kiosk_id, actor=supervisor.name, action=ACTION, details=details
            )
        )
    return old
