"""`kiosk-hub import` refuses implausible values with a problem line, never a traceback."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.database import HubDatabase, utc_now
from hub.importer import FORMAT, ExportInvalid, import_data, import_files
from hub.purge import purge

NOW = datetime(2026, 12, 6, 11, tzinfo=UTC)


@pytest.fixture
def export(export_and_entries) -> dict:
    return copy.deepcopy(export_and_entries[0])


def refused(db: HubDatabase, data: dict, now: datetime = NOW) -> list[str]:
    """The problem lines of an export the hub refuses."""
    with pytest.raises(ExportInvalid) as err:
        import_data(db, data, "bad.json", now)
    return err.value.errors


def test_a_number_too_long_to_read_is_a_problem_line(tmp_path, sqlite_hub_db):
    path = tmp_path / "big.json"
    path.write_text(f'{{"format": "{FORMAT}", "people": [{{"id": {"9" * 5000}}}]}}')
    with pytest.raises(ExportInvalid) as err:
        import_files(sqlite_hub_db, [path], utc_now())
    assert err.value.errors == ["big.json: not a platform export: a number too long to read"]


def test_days_and_times_beyond_their_years_are_refused(sqlite_hub_db, export):
    bad = copy.deepcopy(export)
    bad["events"][0] |= {
        "first_day": "9999-12-30",
        "last_day": "9999-12-31",
        "collection_opens": "1999-12-31T07:30:00+01:00",
        "collection_closes": "9999-12-31T18:00:00+01:00",
    }
    bad["people"][0]["date_of_birth"] = "1899-12-31"
    bad["accreditations"][0]["id_document"]["expiry"] = "1969-12-31"
    bad["accreditations"][1] |= {"flow": "annual", "year": 99999, "event_id": None}
    assert refused(sqlite_hub_db, bad) == [
        "bad.json events[0]: first_day: 9999-12-30: the year must be 2000 to 2199",
        "bad.json events[0]: last_day: 9999-12-31: the year must be 2000 to 2199",
        "bad.json events[0]: collection_opens: 1999-12-31T07:30:00+01:00: the year must be "
        "2000 to 2199",
        "bad.json events[0]: collection_closes: 9999-12-31T18:00:00+01:00: the year must be "
        "2000 to 2199",
        "bad.json people[0]: date_of_birth: 1899-12-31: the year must be 1900 to 2199",
        "bad.json accreditations[0]: doc_expiry: 1969-12-31: the year must be 1970 to 2199",
        "bad.json accreditations[1]: year: 99999: the year must be 2000 to 2199",
    ]


def test_an_event_on_the_last_year_accepted_can_still_be_purged(sqlite_hub_db, export):
    export["events"][0] |= {
        "last_day": "2199-12-31",
        "collection_closes": "2199-12-31T18:00:00+01:00",
        "retention_days": 3650,
    }
    import_data(sqlite_hub_db, export, "far.json", NOW)
    report = purge(sqlite_hub_db, NOW, "office", dry_run=True)  # no overflow
    assert "DEFMIN" not in report.events and "FORMIN" in report.events


def test_a_birth_after_today_is_refused(sqlite_hub_db, export):
    export["people"][0]["date_of_birth"] = "2026-12-07"
    [group] = [x for x in export["letters"] if x["members"]]
    group["members"][0]["date_of_birth"] = "2026-12-06"  # today: fine
    export["accreditations"][0]["id_document"]["date_of_birth"] = "2030-01-01"
    assert refused(sqlite_hub_db, export) == [
        "bad.json people[0]: date_of_birth: 2026-12-07 is in the future",
        "bad.json accreditations[0]: doc_birth_date: 2030-01-01 is in the future",
    ]


def test_a_decision_in_the_future_is_refused_and_cannot_lock_the_status(sqlite_hub_db, export):
    import_data(sqlite_hub_db, export, "full.json", NOW)
    ahead = copy.deepcopy(export["accreditations"][0])
    ahead |= {"status": "denied", "status_changed_at": "2199-12-31T23:00:00+01:00"}
    change = {"accreditation_id": ahead["id"], "status": "denied", "at": "2026-12-07T12:01Z"}
    assert refused(
        sqlite_hub_db, {"format": FORMAT, "accreditations": [ahead], "status_changes": [change]}
    ) == [
        "bad.json accreditations[0]: status_changed_at: 2199-12-31T23:00:00+01:00 is in the "
        "future (this import runs at 2026-12-06T11:00+00:00)",
        "bad.json status_changes[0]: at: 2026-12-07T12:01:00+00:00 is in the future (this "
        "import runs at 2026-12-06T11:00+00:00)",
    ]
    # Within a day of the import's clock is a clock set a little ahead: accepted...
    ahead["status_changed_at"] = "2026-12-07T11:00Z"
    import_data(sqlite_hub_db, {"format": FORMAT, "accreditations": [ahead]}, "a.json", NOW)
    # ...and the office revokes by import once its clock has passed it.
    later = copy.deepcopy(ahead) | {
        "status": "revoked",
        "status_changed_at": "2026-12-07T12:30+01:00",
    }
    import_data(
        sqlite_hub_db,
        {"format": FORMAT, "accreditations": [later]},
        "b.json",
        datetime(2026, 12, 7, 12, tzinfo=UTC),
    )
    with sqlite_hub_db.reading() as s:
        status = s.scalar(select(h.AccreditationRow.status).where(h.AccreditationRow.id == 1))
    assert status == "revoked"


def test_ids_are_json_numbers_and_dates_iso_text(sqlite_hub_db, export):
    import_data(sqlite_hub_db, export, "full.json", NOW)
    person = export["people"][0]
    bad = {
        "format": FORMAT,
        "people": [
            {**person, "id": str(person["id"])},
            {**export["people"][1], "id": True, "date_of_birth": 19800101},
            {**export["people"][2], "date_of_birth": "19800101"},
        ],
        "accreditations": [{**export["accreditations"][0], "person_id": 1.0}],
    }
    assert refused(sqlite_hub_db, bad) == [
        "bad.json people[0]: id: must be a JSON whole number (not text, not true/false), got '1'",
        "bad.json people[1]: id: must be a JSON whole number (not text, not true/false), got True",
        "bad.json people[1]: date_of_birth: 19800101 is not a date (YYYY-MM-DD)",
        "bad.json people[2]: date_of_birth: '19800101' is not a date (YYYY-MM-DD)",
        "bad.json accreditations[0]: person_id: must be a JSON whole number (not text, not "
        "true/false), got 1.0",
    ]
    with sqlite_hub_db.reading() as s:
        assert s.get(h.PersonRow, person["id"]).photo  # untouched


def test_a_days_count_in_other_digits_is_refused(sqlite_hub_db, export):
    export["events"][0]["retention_days"] = "²"
    assert refused(sqlite_hub_db, export) == [
        "bad.json events[0]: retention_days: '²' is not a number of days from 0 to 3650"
    ]
