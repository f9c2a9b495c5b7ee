"""ID document numbers as keyed hashes: stable, normalised as an MRZ writes them, compared
by the rules, never stored in clear, and an upgraded store hashed by migration 0006."""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import stat
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, event, select

from app.demo.build import reading_of
from app.wiring import open_kiosk, read_mrz
from kiosk import documents
from kiosk.model import Counter, IdDocument, Verdict
from kiosk.store.database import DB_NAME, Store, _on_begin, _on_connect, alembic_config
from kiosk.store.schema import AccreditationRow, LetterRow

KEY = bytes(range(32))
DOC = IdDocument("C01X00T47", "DEU", "MÜLLER", "JÜRGEN", date(1980, 5, 17), date(2030, 1, 1))


def test_the_digest_is_a_plain_hmac_sha256_of_the_mrz_form():
    """The documented formula: anything hashing a number (the search, the hub, another
    tool) must reach the same 64 hex digits."""
    expected = hmac.new(KEY, b"C01X00T47", hashlib.sha256).hexdigest()
    for written in ("C01X00T47", "c01x00t47", "C01X 00T47", "C01X<00T47", "C01X-00T47"):
        assert documents.document_digest(KEY, written) == expected, written
    assert documents.document_digest(KEY, "C01X00T48") != expected
    assert documents.document_digest(bytes(32), "C01X00T47") != expected  # keyed
    assert documents.doc_number_tail("ab-12 345") == "345"


@pytest.mark.parametrize(
    ("number", "problem"),
    [("AB 123-456<", None), ("", "empty"), ("<<", "empty"), ("AB/123", "'/'"), ("ÉB123", "'É'")],
)
def test_what_an_import_may_call_a_document_number(number, problem):
    found = documents.problem(number)
    assert (found is None) if problem is None else (problem in found)


def test_a_wrong_key_is_refused(tmp_path):
    with pytest.raises(documents.DocumentKeyError):
        documents.document_digest(b"short", "C01")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "document.key").write_bytes(b"not 32 bytes")
    with pytest.raises(documents.DocumentKeyError, match="not a document key"):
        documents.read_key(tmp_path)


def test_the_key_file_is_made_once_and_owner_only(tmp_path):
    assert documents.read_key(tmp_path) is None
    key = documents.ensure_key(tmp_path)
    assert documents.ensure_key(tmp_path) == key == documents.read_key(tmp_path)
    mode = stat.S_IMODE(os.stat(documents.key_path(tmp_path)).st_mode)
    assert mode == 0o600
    documents.write_key(tmp_path, KEY)
    assert documents.read_key(tmp_path) == KEY


def test_the_store_holds_no_number_in_clear_and_the_counter_still_compares(
    demo_dir, manifest, demo_now
):
    applicant = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    reading = read_mrz(applicant["mrz"])
    raw = b"".join(p.read_bytes() for p in demo_dir.glob(f"{DB_NAME}*"))
    assert reading.document_number.encode() not in raw
    assert documents.document_digest(documents.read_key(demo_dir), reading.document_number) in (
        raw.decode("latin-1")
    )
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        assert kiosk.desk.evaluate(applicant["code"], reading).verdict is Verdict.ISSUE
        other = kiosk.desk.evaluate(
            applicant["code"], reading.__class__(**{**reading.__dict__, "document_number": "X1"})
        )
        number = next(c for c in other.failures if c.name == "id_number")
        assert f"…{reading.document_number[-3:]}" in number.reason_en  # the tail, not all
        documents.key_path(demo_dir).unlink()  # a counter that lost its key cannot compare
        lost = kiosk.desk.evaluate(applicant["code"], reading)
        assert lost.verdict is Verdict.SUPERVISOR and "no document key" in lost.headline_en
    finally:
        kiosk.close()


def _store_at(tmp_path, revision: str):
    engine = create_engine(f"sqlite:///{tmp_path / DB_NAME}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    command.upgrade(alembic_config(engine), revision)
    return engine


def test_migration_0006_hashes_the_numbers_an_upgraded_store_holds(tmp_path, entries_0005):
    """A store at 0005 with numbers in clear (an accreditation and a group letter's crew)
    is upgraded: numbers hashed with a key made for it, nothing left in clear."""
    engine = _store_at(tmp_path, "0005")
    with engine.begin() as conn:
        for sql, params in entries_0005:
            conn.exec_driver_sql(sql, params)
    engine.dispose()
    assert b"p 1234567" in (tmp_path / DB_NAME).read_bytes()

    store = Store.in_dir(tmp_path)  # upgrades to the newest revision
    key = documents.read_key(tmp_path)
    with store.reading() as s:
        acc = s.get(AccreditationRow, 1)
        members = s.get(LetterRow, 1).members
        assert s.scalar(select(AccreditationRow.purged_at)) is None
    store.close()
    assert key is not None
    assert (acc.doc_number_digest, acc.doc_number_tail) == (
        documents.document_digest(key, "p 1234567"),
        "567",
    )
    assert members[0]["document_digest"] == documents.document_digest(key, "NX01R8K1")
    assert "document_number" not in members[0]
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = (tmp_path / DB_NAME).read_bytes()
    assert b"P1234567" not in raw and b"p 1234567" not in raw and b"NX01R8K1" not in raw


@pytest.fixture
def entries_0005():
    """Rows as a store at revision 0005 held them."""
    return [
        (
            "insert into events (id, name, place, at_hq, first_day, last_day, collection_opens,"
            " collection_closes, annual_admitted, colour, valid_with) values ('EV', 'Event',"
            " 'HQ', 1, '2026-02-13', '2026-02-15', '2026-02-12 07:00:00.000000',"
            " '2026-02-15 17:00:00.000000', 1, '#c62828', '[]')",
            (),
        ),
        (
            "insert into letters (id, kind, organisation, signed, members) values"
            " (1, 'group', 'NOS', 1, ?)",
            (
                '[{"surname": "BAKKER", "given_names": "Joost", "date_of_birth":'
                ' "1977-10-23", "document_number": "NX01R8K1"}]',
            ),
        ),
        (
            "insert into people (id, surname, given_names, date_of_birth, nationality, email,"
            " organisation, media_kind) values (1, 'Bakker', 'Joost', '1977-10-23', 'NLD',"
            " 'j@nos.example', 'NOS', 'tv')",
            (),
        ),
        (
            "insert into accreditations (id, person_id, flow, event_id, status, status_reason,"
            " pool, doc_kind, doc_number, doc_state, doc_surname, doc_given_names,"
            " doc_birth_date, doc_expiry, press_card, letter_id) values (1, 1, 'event', 'EV',"
            " 'approved', '', 0, 'P', 'p 1234567', 'NLD', 'BAKKER', 'JOOST', '1977-10-23',"
            " '2030-01-01', NULL, 1)",
            (),
        ),
    ]


def test_a_reading_of_a_demo_document_matches_its_hashed_record():
    hashed = documents.hashed_document(KEY, DOC)
    assert hashed.number == "" and hashed.number_tail == "T47"
    reading = documents.with_digest(reading_of(DOC), KEY)
    assert reading.document_digest == hashed.number_digest
    assert documents.with_digest(reading_of(DOC), None).document_digest is None
