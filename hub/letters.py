"""Confirmation letters rendered at the hub: what the office e-mails each applicant."""

from __future__ import annotations

from hub.cases import hub_case
from hub.database import HubDatabase
from hub.schema import AccreditationRow
from kiosk.codes import Signer, confirmation_code
from printing.letter_pdf import confirmation_letter, letter_pdf_bytes


def letter_pdf(db: HubDatabase, signer: Signer, accreditation_id: int) -> bytes | None:
    """The PDF of an accreditation's confirmation letter, or None if there is none."""
    with db.reading() as s:
        acc = s.get(AccreditationRow, accreditation_id)
        if acc is None:
            return None
        case = hub_case(s, acc)
    code = confirmation_code(signer, accreditation_id)
    return letter_pdf_bytes(confirmation_letter(case.accreditation, case.person, case.event, code))
