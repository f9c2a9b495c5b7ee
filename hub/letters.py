"""Confirmation letters rendered at the hub: what the office e-mails each applicant, with
the collection hours the hub sends the counters (hub/site_hours.py), worded as a
kiosk's `kiosk letter` words its own (kiosk/hours.py `letter_hours`)."""

from __future__ import annotations

from hub.cases import hub_case
from hub.database import HubDatabase
from hub.schema import AccreditationRow
from hub.site_hours import timetable
from kiosk.codes import Signer, confirmation_code
from kiosk.hours import letter_hours
from printing.letter_pdf import confirmation_letter, letter_pdf_bytes


def letter_pdf(db: HubDatabase, signer: Signer, accreditation_id: int) -> bytes | None:
    """The PDF of an accreditation's confirmation letter, or None if there is none."""
    with db.reading() as s:
        acc = s.get(AccreditationRow, accreditation_id)
        if acc is None:
            return None
        case = hub_case(s, acc)
        counter = case.accreditation.flow.counter
        hours = letter_hours(timetable(s, counter), case.event)
    code = confirmation_code(signer, accreditation_id)
    letter = confirmation_letter(case.accreditation, case.person, case.event, code, hours)
    return letter_pdf_bytes(letter)
