"""An MRZ scanned line by line at the counter: a TD1 waits quietly for its third line, and
a document that fails to read leaves no verdict of the last one on screen."""

from __future__ import annotations

from kiosk.model import Verdict
from scanning.mrz import compose_td1, parse


def approved(manifest) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")


def as_id_card(mrz: str) -> list[str]:
    """The same person's document as a TD1 identity card (3 lines of 30)."""
    r = parse(mrz)
    card = compose_td1(
        document_code="I",
        issuing_state=r.issuing_state,
        surname=r.surname,
        given_names=r.given_names,
        document_number=r.document_number,
        nationality=r.nationality,
        birth_date=r.birth_date,
        sex=r.sex,
        expiry_date=r.expiry_date,
    )
    return card.splitlines()


def test_a_td1_scanned_line_by_line_waits_quietly_for_its_third_line(presenter, manifest):
    """Between its 2nd and 3rd line the screen said 'format: lines of 30+30 characters…'."""
    a = approved(manifest)
    presenter.scan(a["code"])
    first, second, third = as_id_card(a["mrz"])
    presenter.scan(first)
    presenter.scan(second)
    assert "not read" not in presenter.message
    presenter.scan(third)
    assert presenter.reading is not None and presenter.reading.document_type == "I"


def test_a_document_not_read_takes_the_last_reading_off_the_verdict(presenter, manifest):
    """The last document's ISSUE stayed on screen above the 'not read' note: the clerk
    could issue on it believing the new document read."""
    a = approved(manifest)
    presenter.scan(a["code"])
    for line in a["mrz"].splitlines():
        presenter.scan(line)
    assert presenter.decision.verdict is Verdict.ISSUE
    top, bottom = a["mrz"].splitlines()
    presenter.scan(top)
    presenter.scan(bottom[:-2] + ("0" if bottom[-2] != "0" else "1") + bottom[-1])
    assert presenter.reading is None
    assert presenter.decision.verdict is Verdict.INCOMPLETE
    assert "not read" in presenter.message
