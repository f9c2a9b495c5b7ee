"""The demo world as the accreditation platform would export it (`kiosk-hub demo-export`).

Same events, applicants and situations as `kiosk demo`, in the import format, so a hub
can be filled and kiosks synced from it; also what the tests and the benchmark use.
"""

from __future__ import annotations

import base64
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from app.demo.population import demo_entries
from app.demo.scenarios import Entry, events
from hub.importer import FORMAT
from kiosk.model import Accreditation, Letter
from printing.sample_photo import portrait


def _photos(ids: list[int], workers: int) -> dict[int, str]:
    if workers > 1 and len(ids) > 2000:
        with ProcessPoolExecutor(workers) as pool:
            jpegs = list(pool.map(portrait, ids, chunksize=500))
    else:
        jpegs = [portrait(i) for i in ids]
    return {i: base64.b64encode(j).decode("ascii") for i, j in zip(ids, jpegs, strict=True)}


def _accreditation(a: Accreditation, letters: dict[Letter, int]) -> dict:
    d = a.id_document
    return {
        "id": a.id,
        "person_id": a.person_id,
        "flow": a.flow.value,
        "year": a.year,
        "event_id": a.event_id,
        "status": a.status.value,
        "status_reason": a.status_reason,
        "status_reason_fr": a.status_reason_fr,
        "status_changed_at": a.status_changed_at.isoformat() if a.status_changed_at else None,
        "pool": a.pool,
        "id_document": {
            "kind": d.kind,
            "number": d.number,
            "issuing_state": d.issuing_state,
            "surname": d.surname,
            "given_names": d.given_names,
            "date_of_birth": d.date_of_birth.isoformat(),
            "expiry": d.expiry.isoformat(),
        },
        "proof": {
            "press_card": a.proof.press_card,
            "letter_id": letters[a.proof.letter] if a.proof.letter else None,
        },
    }


def demo_export(
    today: date, people: int = 60, photos: bool = True, workers: int = 2
) -> tuple[dict, list[Entry]]:
    """The export (JSON-ready) and the entries it was made from."""
    entries = demo_entries(today, people)
    letters: dict[Letter, int] = {}
    for e in entries:
        if e.accreditation.proof.letter and e.accreditation.proof.letter not in letters:
            letters[e.accreditation.proof.letter] = len(letters) + 1
    persons = {e.person.id: e for e in entries}
    with_photo = [pid for pid, e in persons.items() if e.photo] if photos else []
    pictures = _photos(with_photo, workers)
    export = {
        "format": FORMAT,
        "events": [
            {
                **ev.__dict__,
                "first_day": ev.first_day.isoformat(),
                "last_day": ev.last_day.isoformat(),
                "collection_opens": ev.collection_opens.isoformat(),
                "collection_closes": ev.collection_closes.isoformat(),
                "valid_with": list(ev.valid_with),
            }
            for ev in events(today)
        ],
        "letters": [
            {
                "id": lid,
                "kind": letter.kind.value,
                "organisation": letter.organisation,
                "signed": letter.signed,
                "members": [
                    {
                        "surname": m.surname,
                        "given_names": m.given_names,
                        "date_of_birth": m.date_of_birth.isoformat(),
                        "document_number": m.document_number,
                    }
                    for m in letter.members
                ],
            }
            for letter, lid in letters.items()
        ],
        "people": [
            {
                "id": p.id,
                "surname": p.surname,
                "given_names": p.given_names,
                "date_of_birth": p.date_of_birth.isoformat(),
                "nationality": p.nationality,
                "email": p.email,
                "organisation": p.organisation,
                "media_kind": p.media_kind.value,
                "photo_jpeg_base64": pictures.get(p.id),
            }
            for p in (e.person for e in persons.values())
        ],
        "accreditations": [_accreditation(e.accreditation, letters) for e in entries],
    }
    return export, entries
