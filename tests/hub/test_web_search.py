"""The Accreditations page finds names as a counter does (hub/web/name_search.py):
typed without accents, in capitals as on a passport, given names first, in part. It
found "López" only when typed "López"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.web.applicants import search
from hub.web.name_search import HubNames
from kiosk.search import fold
from tests.hub.test_web_confirm import hub  # noqa: F401 (a fixture)
from tests.hub.test_web_console import signed_in

pytestmark = pytest.mark.slow


def accented_person(db) -> tuple[int, str, str]:
    """An accreditation whose holder's surname has an accent: (id, surname, given names)."""
    with db.reading() as s:
        rows = s.execute(
            select(h.AccreditationRow.id, h.PersonRow.surname, h.PersonRow.given_names)
            .join(h.PersonRow, h.PersonRow.id == h.AccreditationRow.person_id)
            .order_by(h.AccreditationRow.id)
        ).all()
    return next(r for r in rows if not r[1].isascii() and r[1].isalpha())


def test_names_are_found_without_accents_in_capitals_in_any_order(hub):  # noqa: F811
    db, _, app = hub
    acc_id, surname, given = accented_person(db)
    plain = fold(surname)
    office, _ = signed_in(app, "anna")
    for typed in (plain, plain.upper(), f"{fold(given)} {plain}", plain[:4], surname):
        page = office.get("/console/accreditations", params={"q": typed}).text
        assert f">A{acc_id:07d}</a>" in page, typed
    names = HubNames(db)
    assert [f.id for f in search(db, "A" + str(acc_id), names)] == [acc_id]
    assert search(db, "%", names) == []  # a LIKE wildcard typed is a character


def test_the_name_index_follows_a_renamed_person(hub):  # noqa: F811
    db, _, _ = hub
    acc_id, surname, _ = accented_person(db)
    names = HubNames(db)
    assert acc_id in [f.id for f in search(db, fold(surname), names)]
    with db.writing() as s:
        person = s.get(h.PersonRow, s.get(h.AccreditationRow, acc_id).person_id)
        person.surname, person.seq = "Ødegård", person.seq + 100_000  # an import changed it
    assert acc_id in [f.id for f in search(db, "odegard", names)]
    assert acc_id not in [f.id for f in search(db, fold(surname), names)]


def test_the_best_match_is_first_however_many_partial_ones_sort_before_it(hub):  # noqa: F811
    # With more than 50 accreditations of people matching in part ("Azedine" for "zed"),
    # those read back first in surname order pushed the exact match past the limit.
    db, _, _ = hub
    with db.writing() as s:
        acc = s.scalars(select(h.AccreditationRow)).first()
        person = s.get(h.PersonRow, acc.person_id)
        people = {c.key: getattr(person, c.key) for c in h.PersonRow.__table__.columns}
        accs = {c.key: getattr(acc, c.key) for c in h.AccreditationRow.__table__.columns}
        for n in range(61):
            surname = "Zed" if n == 60 else f"Azedine{n:02d}"
            pid, email = 900_000 + n, f"zed{n}@example.org"
            s.add(h.PersonRow(**people | {"id": pid, "surname": surname, "email": email}))
            s.flush()
            for k in range(2):
                s.add(h.AccreditationRow(**accs | {"id": 900_000 + 2 * n + k, "person_id": pid}))
    found = search(db, "zed", HubNames(db))
    assert len(found) == 50
    assert [f.surname for f in found[:2]] == ["Zed", "Zed"]
