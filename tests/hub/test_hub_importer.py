"""`kiosk-hub import`: JSON and CSV exports, every error named, all or nothing."""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from hub import schema as h
from hub.database import HubDatabase, head, utc_now
from hub.importer import ExportInvalid, import_data, import_files
from hub.keys import document_key
from kiosk import documents
from kiosk.store.records import to_event
from tests import cli_process

DOC = {
    "kind": "doc_kind",
    "number": "doc_number",
    "issuing_state": "doc_state",
    "surname": "doc_surname",
    "given_names": "doc_given_names",
    "date_of_birth": "doc_birth_date",
    "expiry": "doc_expiry",
}


def jpeg(width: int, height: int) -> bytes:
    """A plain grey JPEG of this size."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (128, 128, 128)).save(out, "JPEG")
    return out.getvalue()


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def as_csv(export: dict, folder: Path) -> list[Path]:
    """The same export as the platform's CSV files, photos as JPEG files beside them."""
    (folder / "photos").mkdir(parents=True)
    people = []
    for p in export["people"]:
        row = {k: v for k, v in p.items() if k != "photo_jpeg_base64"}
        row["photo_file"] = ""
        if p["photo_jpeg_base64"]:
            (folder / "photos" / f"{p['id']}.jpg").write_bytes(
                base64.b64decode(p["photo_jpeg_base64"])
            )
            row["photo_file"] = f"photos/{p['id']}.jpg"
        people.append(row)
    accs = []
    for a in export["accreditations"]:
        row = {k: v for k, v in a.items() if k not in ("id_document", "proof")}
        row |= {DOC[k]: v for k, v in a["id_document"].items()}
        row |= {k: v if v is not None else "" for k, v in a["proof"].items()}
        accs.append({k: "" if v is None else v for k, v in row.items()})
    events = [{**e, "valid_with": " ".join(e["valid_with"])} for e in export["events"]]
    letters = [{k: v for k, v in x.items() if k != "members"} for x in export["letters"]]
    members = [{"letter_id": x["id"], **m} for x in export["letters"] for m in x["members"]]
    return [
        write_csv(folder / "events.csv", events),
        write_csv(folder / "letters.csv", letters),
        write_csv(folder / "letter_members.csv", members),
        write_csv(folder / "people.csv", people),
        write_csv(folder / "accreditations.csv", accs),
    ]


def snapshot(db: HubDatabase) -> dict:
    with db.reading() as s:
        return {
            "head": head(s),
            "people": {p.id: (p.surname, p.email, p.photo) for p in s.scalars(select(h.PersonRow))},
            "accreditations": {
                a.id: (a.status, a.doc_number_tail, a.event_id, a.letter_id, a.pool)
                for a in s.scalars(select(h.AccreditationRow))
            },  # digests differ between hubs: each has its own document key
            "letters": {
                x.id: (
                    x.kind,
                    [{**m, "document_digest": len(m["document_digest"])} for m in x.members],
                )
                for x in s.scalars(select(h.LetterRow))
            },
            "events": {
                e.id: (e.valid_with, e.collection_opens) for e in s.scalars(select(h.EventRow))
            },
        }


@pytest.fixture
def export(export_and_entries) -> dict:
    return copy.deepcopy(export_and_entries[0])


def test_json_and_csv_exports_import_the_same(tmp_path, export):
    as_json = HubDatabase(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    as_csv_db = HubDatabase(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    report = import_files(as_json, [path], utc_now())
    assert report.added == {
        "events": 5,
        "letters": 3,
        "people": len(export["people"]),
        "accreditations": len(export["accreditations"]),
    }
    import_files(as_csv_db, as_csv(export, tmp_path / "csv"), utc_now())
    a, b = snapshot(as_json), snapshot(as_csv_db)
    assert {k: v for k, v in a.items() if k != "head"} == {
        k: v for k, v in b.items() if k != "head"
    }
    # Importing the same export again changes nothing: kiosks get nothing to pull.
    again = import_files(as_json, [path], utc_now())
    assert sum(again.added.values()) + sum(again.changed.values()) == 0
    assert snapshot(as_json) == a


def test_an_invalid_export_names_every_problem_and_changes_nothing(sqlite_hub_db, export):
    import_data(sqlite_hub_db, export, "first.json", utc_now())
    before = snapshot(sqlite_hub_db)
    bad = copy.deepcopy(export)
    bad["people"][0]["date_of_birth"] = "1986-13-01"
    bad["people"][1]["email"] = bad["people"][2]["email"]
    bad["people"][3]["photo_jpeg_base64"] = base64.b64encode(b"GIF89a not a jpeg").decode()
    bad["people"][4]["photo_jpeg_base64"] = base64.b64encode(
        b"\xff\xd8\xff" + bytes(120_000)
    ).decode()
    bad["people"][5]["photo_jpeg_base64"] = base64.b64encode(jpeg(300, 200)).decode()
    bad["people"][7]["photo_jpeg_base64"] = base64.b64encode(jpeg(70, 90)).decode()
    bad["people"][8]["photo_jpeg_base64"] = "/9j/é"  # not ASCII: a ValueError, not a refusal
    bad["accreditations"][0]["status"] = "maybe"
    bad["accreditations"][1]["event_id"] = "NO-SUCH-EVENT"
    bad["accreditations"][2]["person_id"] = 999_999
    bad["accreditations"][3]["flow"] = "annual"  # but it names an event and no year
    bad["events"][0]["collection_opens"] = "2026-02-13T07:30"  # no time zone
    bad["accreditations"][4]["id"] = bad["accreditations"][5]["id"]
    bad["people"].append({**bad["people"][6], "id": 424242})  # somebody else's e-mail
    bad["accreditations"][6]["name"] = "x"  # ignored: unknown fields are not errors
    with pytest.raises(ExportInvalid) as err:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    text = str(err.value)
    for expected in (
        "bad.json people[0]: date_of_birth: '1986-13-01' is not a date",
        "people[2]: email:",
        "people[3]: photo: is not a JPEG image",
        "people[4]: photo: 117 KB: identity photos must be under 100 KB",
        "people[5]: photo: The photo is 300 x 200 pixels: not in the 3.5 x 4.5 cm proportions",
        "people[7]: photo: The photo is 70 x 90 pixels: too small to compare a face",
        "people[8]: photo_jpeg_base64: is not base64",
        "accreditations[0]: status: 'maybe': must be one of",
        "accreditations[3]: year: an annual accreditation has a year and no event_id",
        "events[0]: collection_opens: '2026-02-13T07:30' has no time zone",
        "accreditations[5]: id:",
        "nothing changed",
    ):
        assert expected in text, expected
    assert snapshot(sqlite_hub_db) == before


def test_references_are_checked_against_the_export_and_the_hub(sqlite_hub_db, export):
    with pytest.raises(ExportInvalid, match=r"person_id: 1 is neither in this export nor at"):
        import_data(
            sqlite_hub_db,
            {"format": export["format"], "accreditations": export["accreditations"][:1]},
            "acc-only.json",
            utc_now(),
        )
    import_data(sqlite_hub_db, export, "full.json", utc_now())
    # Once the people are at the hub, an export of accreditations alone is fine...
    acc = copy.deepcopy(export["accreditations"][0])
    acc["pool"] = True
    report = import_data(
        sqlite_hub_db,
        {"format": export["format"], "accreditations": [acc]},
        "acc-only.json",
        utc_now(),
    )
    assert report.changed["accreditations"] == 1
    # ...and a new person may not take an e-mail address someone at the hub has.
    other = {**export["people"][0], "id": 777_777}
    with pytest.raises(ExportInvalid, match="belongs to person 1 already"):
        import_data(
            sqlite_hub_db, {"format": export["format"], "people": [other]}, "p.json", utc_now()
        )


def test_status_changes_apply_in_the_order_decided_and_never_undo_a_newer_one(
    sqlite_hub_db, export
):
    db = sqlite_hub_db
    import_data(db, export, "full.json", utc_now())
    acc_id = export["accreditations"][0]["id"]
    changes = {
        "format": export["format"],
        "status_changes": [
            {
                "accreditation_id": acc_id,
                "status": "revoked",
                "at": "2026-02-13T16:00:00+01:00",
                "reason": "press card withdrawn",
            },
            {"accreditation_id": acc_id, "status": "approved", "at": "2026-02-12T09:00:00+01:00"},
        ],
    }
    report = import_data(db, changes, "changes.json", utc_now())
    assert report.status_changes == 2  # in the order they were decided, not listed
    assert import_data(db, changes, "changes.json", utc_now()).status_changes == 0
    with db.reading() as s:
        acc = s.get(h.AccreditationRow, acc_id)
        assert (acc.status, acc.status_reason) == ("revoked", "press card withdrawn")
        assert acc.status_changed_at == datetime(2026, 2, 13, 15, tzinfo=UTC)
    # The next full export, older than the revocation, does not bring it back.
    report = import_data(db, export, "full-again.json", utc_now())
    assert any("kept the hub's newer status" in n for n in report.notes)
    with db.reading() as s:
        assert s.get(h.AccreditationRow, acc_id).status == "revoked"
        assert s.scalar(select(func.count()).select_from(h.StatusChangeRow)) == 2


@pytest.mark.parametrize(
    "tail, line",
    [
        ('11,revoked,2026-12-06T22:50:00+01:00,"a reason cut short\n', 2),
        ('11,revoked,2026-12-06T22:50:00+01:00,"quoted" then more\n', 2),
        ('11,revoked,2026-12-06T22:50:00+01:00,"two\nlines"\n12,revoked,x,"cut\n', 4),
    ],
)
def test_a_csv_file_cut_inside_a_quoted_value_is_refused(tmp_path, sqlite_hub_db, tail, line):
    # It was read to the end of the file as one value: the revocation stood with the reason
    # cut short, and the import said "applied".
    cut = tmp_path / "status_changes.csv"
    cut.write_text("accreditation_id,status,at,reason\n" + tail, encoding="utf-8")
    with sqlite_hub_db.reading() as s:
        before = head(s)
    with pytest.raises(ExportInvalid, match=f"status_changes.csv line {line}: not CSV"):
        import_files(sqlite_hub_db, [cut], utc_now())
    with sqlite_hub_db.reading() as s:
        assert head(s) == before


def test_an_event_colour_no_badge_can_be_printed_in_is_refused(sqlite_hub_db, export):
    # '#zzzzzz' was taken: every counter then failed to print the event's badges.
    bad = copy.deepcopy(export)
    bad["events"][0]["colour"] = "#zzzzzz"
    bad["events"][1]["colour"] = "red"
    with pytest.raises(ExportInvalid) as err:
        import_data(sqlite_hub_db, bad, "export.json", utc_now())
    said = [e for e in err.value.errors if "colour" in e]
    assert len(said) == 2 and "'#zzzzzz' is not a colour: give one as #RRGGBB" in said[0]
    good = copy.deepcopy(export)
    good["events"][0]["colour"] = "#1565C0"
    good["events"][1].pop("colour", None)
    import_data(sqlite_hub_db, good, "export.json", utc_now())
    with sqlite_hub_db.reading() as s:
        colours = {e.id: e.colour for e in s.scalars(select(h.EventRow))}
    assert colours[good["events"][0]["id"]] == "#1565C0"
    assert colours[good["events"][1]["id"]] == "#c62828"


def test_a_person_or_letter_no_accreditation_names_is_refused(sqlite_hub_db, export):
    # Imported, they were never purged, at the hub nor at the counters the feed sent them to:
    # the purge dates personal data by its accreditations.
    bad = copy.deepcopy(export)
    bad["people"].append(bad["people"][0] | {"id": 999, "email": "nadia@example.org"})
    bad["letters"].append(copy.deepcopy(bad["letters"][0]) | {"id": 99})
    with pytest.raises(ExportInvalid) as err:
        import_data(sqlite_hub_db, bad, "export.json", utc_now())
    assert [e for e in err.value.errors if "named by no accreditation" in e] == [
        f"export.json people[{len(export['people'])}]: id: 999 is named by no accreditation "
        "of this export nor of the hub: import it with one (the purge could never reach it)",
        f"export.json letters[{len(export['letters'])}]: id: 99 is named by no accreditation "
        "of this export nor of the hub: import it with one (the purge could never reach it)",
    ]
    import_data(sqlite_hub_db, export, "export.json", utc_now())
    people_alone = {"format": export["format"], "people": export["people"][:3]}
    import_data(sqlite_hub_db, people_alone, "again.json", utc_now())  # named at the hub


def test_unknown_files_and_sections_are_refused(tmp_path, sqlite_hub_db):
    (tmp_path / "people.xlsx").write_text("x")
    (tmp_path / "badges.csv").write_text("serial\nX\n")
    (tmp_path / "export.json").write_text('{"format": "something-else"}')
    with pytest.raises(ExportInvalid) as err:
        import_files(
            sqlite_hub_db,
            [
                tmp_path / "people.xlsx",
                tmp_path / "badges.csv",
                tmp_path / "export.json",
                tmp_path / "missing.json",
                tmp_path,
            ],
            utc_now(),
        )
    assert len(err.value.errors) == 5
    assert err.value.errors[-1] == f"{tmp_path}: a folder: name its files (e.g. {tmp_path}/*.csv)"


@pytest.mark.slow
def test_the_command_imports_and_refuses(tmp_path, export):
    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    files = as_csv(export, tmp_path / "csv")
    bad = tmp_path / "bad" / "people.csv"
    bad.parent.mkdir()
    write_csv(bad, [{"id": "x", "surname": "Doe"}])

    def hub(*args):
        return cli_process.run("hub.cli", *args, "--db", db_url)

    refused = hub("import", str(bad))
    assert refused.returncode == 1
    assert "people.csv line 2: id: 'x' is not a whole number" in refused.stderr
    assert "media_kind: missing" in refused.stderr
    done = hub("import", *map(str, files))
    assert done.returncode == 0, done.stderr
    assert f"accreditations: {len(export['accreditations'])} added" in done.stdout


def test_the_hub_keeps_document_numbers_as_keyed_hashes_only(tmp_path, export):
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    import_data(db, export, "export.json", utc_now())
    with db.writing() as s:
        key = document_key(s)
        held = {a.id: a for a in s.scalars(select(h.AccreditationRow))}
        members = [m for x in s.scalars(select(h.LetterRow)) for m in x.members]
    db.close()
    numbers = [a["id_document"]["number"] for a in export["accreditations"]]
    for a in export["accreditations"]:
        number = a["id_document"]["number"]
        row = held[a["id"]]
        assert row.doc_number_digest == documents.document_digest(key, number)
        assert row.doc_number_tail == number[-3:]
    crew = [m["document_number"] for x in export["letters"] for m in x["members"]]
    assert crew and {m["document_digest"] for m in members} == {
        documents.document_digest(key, n) for n in crew
    }
    raw = (tmp_path / "hub.sqlite3").read_bytes()
    assert not any(n.encode() in raw for n in numbers + crew)


def test_a_document_number_no_mrz_could_carry_is_refused(sqlite_hub_db, export):
    bad = copy.deepcopy(export)
    bad["accreditations"][0]["id_document"]["number"] = "AB/12345"
    bad["letters"][0]["members"] = [{**bad["letters"][0]["members"][0], "document_number": ""}]
    with pytest.raises(ExportInvalid) as refused:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    text = str(refused.value)
    assert "accreditations[0]: doc_number: contains '/'" in text
    assert "letters[0] members[0]: document_number: missing" in text


def test_names_longer_than_the_limit_are_refused_and_a_long_umlaut_name_is_not(
    sqlite_hub_db, export
):
    ok = copy.deepcopy(export)
    ok["people"][0]["surname"] = "Ü" * 40  # 2**40 MRZ renderings: search copes (linear)
    import_data(sqlite_hub_db, ok, "ok.json", utc_now())
    before = snapshot(sqlite_hub_db)
    bad = copy.deepcopy(export)
    bad["people"][0]["surname"] = "Ü" * 121
    bad["people"][1]["given_names"] = "Anna " * 33
    bad["letters"][0]["members"][0]["surname"] = "x" * 121
    with pytest.raises(ExportInvalid) as refused:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    text = str(refused.value)
    assert "people[0]: surname: 121 characters: at most 120 are accepted" in text
    assert "people[1]: given_names: 165 characters: at most 160 are accepted" in text
    assert "letters[0] members[0]: surname: 121 characters: at most 120 are accepted" in text
    assert snapshot(sqlite_hub_db) == before


def test_text_with_control_characters_or_direction_overrides_is_refused(sqlite_hub_db, export):
    """A NUL, which PostgreSQL cannot keep and SQLite kept and sent to every kiosk; an
    escape sequence; an override that makes a name read other than it is kept."""
    before = snapshot(sqlite_hub_db)
    bad = copy.deepcopy(export)
    bad["people"][0]["surname"] = "Lef\x00vre"
    bad["people"][1]["given_names"] = "Ann\x1b[2J"
    bad["people"][2]["organisation"] = "Agence \u202ePFA"
    bad["people"][3]["organisation"] = "<b>markup</b> is text, shown as written"
    with pytest.raises(ExportInvalid) as refused:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    text = str(refused.value)
    for where in ("people[0]: surname", "people[1]: given_names", "people[2]: organisation"):
        assert f"{where}: holds a control character or a direction override" in text
    assert "people[3]" not in text and "(3 problem(s))" in text
    assert snapshot(sqlite_hub_db) == before


def test_a_line_break_in_a_one_line_field_is_refused_and_a_reason_keeps_its_lines(
    sqlite_hub_db, export
):
    """A surname or an e-mail holding a line break made listings print lines that are not
    there ("a\r\nBcc: x@y" passed as an e-mail); a status reason may run over lines."""
    before = snapshot(sqlite_hub_db)
    bad = copy.deepcopy(export)
    bad["people"][0]["surname"] = "Evil\nName"
    bad["people"][1]["email"] = "a\r\nBcc: x@y.example"
    bad["events"][0]["place"] = "Hall\tB"
    bad["accreditations"][0]["status_reason"] = "Denied.\nSee the letter."
    with pytest.raises(ExportInvalid) as refused:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    text = str(refused.value)
    for where in ("people[0]: surname", "people[1]: email", "events[0]: place"):
        assert f"{where}: must be one line (it holds a line break or a tab)" in text
    assert "status_reason" not in text and "(3 problem(s))" in text
    assert snapshot(sqlite_hub_db) == before


def test_files_rows_photos_and_lists_beyond_their_limits_are_refused(
    sqlite_hub_db, export, tmp_path, monkeypatch
):
    import hub.importer

    files = as_csv(export, tmp_path / "csv")
    jpeg = base64.b64decode(
        next(p for p in export["people"] if p["photo_jpeg_base64"])["photo_jpeg_base64"]
    )
    big = tmp_path / "csv" / "photos" / "big.jpg"
    big.write_bytes(jpeg + bytes(300_000))  # starts like a JPEG, 300 KB too long
    people = next(f for f in files if f.name == "people.csv")
    rows = list(csv.DictReader(people.open(encoding="utf-8")))
    rows[0]["photo_file"] = "photos/big.jpg"
    write_csv(people, rows)
    with pytest.raises(ExportInvalid, match=r"people.csv line 2: photo: over 100 KB"):
        import_files(sqlite_hub_db, files, utc_now())

    secret = tmp_path / "hub-key.pem"  # a file of the hub machine's, outside the export
    secret.write_bytes(jpeg)
    (tmp_path / "csv" / "photos" / "link.jpg").symlink_to(secret)
    os.mkfifo(tmp_path / "csv" / "photos" / "pipe.jpg")
    for named, why in (
        (str(secret), "must name a file in the export's folder"),
        ("../hub-key.pem", "must name a file in the export's folder"),
        ("photos/link.jpg", "must name a file in the export's folder"),
        ("photos/pipe.jpg", "not a regular file"),  # it hung the import
    ):
        rows[0]["photo_file"] = named
        write_csv(people, rows)
        with pytest.raises(ExportInvalid, match=f"people.csv line 2: photo_file: .*{why}"):
            import_files(sqlite_hub_db, files, utc_now())

    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ExportInvalid, match="nested too deep"):
        import_files(sqlite_hub_db, [nested], utc_now())

    bad = copy.deepcopy(export)
    bad["letters"][0]["members"] *= 1001
    bad["events"][0]["valid_with"] = [f"E{i}" for i in range(101)]
    with pytest.raises(ExportInvalid) as refused:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    assert "letters[0]: members: " in str(refused.value)
    assert "a letter may name at most 1000" in str(refused.value)
    assert "events[0]: valid_with: more than 100 events" in str(refused.value)

    monkeypatch.setattr(hub.importer, "ROW_LIMIT", 10)  # 120 people: too many
    with pytest.raises(ExportInvalid, match=r"people.csv: more than 10 records in one import"):
        import_files(sqlite_hub_db, files, utc_now())
    with pytest.raises(ExportInvalid, match=r"big.json: people: more than 10 records"):
        import_data(sqlite_hub_db, export, "big.json", utc_now())
    monkeypatch.setattr(hub.importer, "FILE_LIMIT", 1000)  # 1000 bytes
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    with pytest.raises(ExportInvalid, match=r"export.json: \d+ MB: an export file may have at"):
        import_files(sqlite_hub_db, [path], utc_now())
    assert snapshot(sqlite_hub_db)["head"] == 0


# --- The office's French texts (kiosk/office_texts.py) ----------------------------------


def french_texts(db: HubDatabase) -> dict:
    """Every French text the hub holds, by table and id."""
    with db.reading() as s:
        events = {e.id: (e.name_fr, e.place_fr) for e in s.scalars(select(h.EventRow))}
        reasons = {
            a.id: a.status_reason_fr
            for a in s.scalars(select(h.AccreditationRow))
            if a.status_reason_fr
        }
    return {"events": events, "reasons": reasons}


def without_french(export: dict) -> dict:
    """The export as a platform that knows no French texts writes it."""
    plain = copy.deepcopy(export)
    for e in plain["events"]:
        del e["name_fr"], e["place_fr"]
    for a in plain["accreditations"]:
        del a["status_reason_fr"]
    return plain


def test_french_texts_come_alike_from_json_and_csv(tmp_path, export):
    as_json = HubDatabase(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    as_csv_db = HubDatabase(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    import_data(as_json, export, "export.json", utc_now())
    import_files(as_csv_db, as_csv(export, tmp_path / "csv"), utc_now())
    held = french_texts(as_json)
    assert held["events"]["DEFMIN"] == (
        "Réunion des ministres de la Défense des pays de l'OTAN",
        "Siège de l'OTAN, Bruxelles",
    )
    assert list(held["reasons"].values()) == [
        "révoquée par le bureau des accréditations après confirmation"
    ]
    assert french_texts(as_csv_db) == held


def test_an_export_without_french_texts_imports_and_reads_as_english(tmp_path, export):
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    plain = without_french(export)
    import_data(db, plain, "plain.json", utc_now())
    import_files(db, as_csv(plain, tmp_path / "csv"), utc_now())  # CSV without the columns
    assert set(french_texts(db)["events"].values()) == {("", "")}
    assert french_texts(db)["reasons"] == {}
    with db.reading() as s:
        event = to_event(s.get(h.EventRow, "DEFMIN"))
    assert event.french_name == event.name == "Meeting of NATO Ministers of Defence"
    assert event.french_place == "NATO Headquarters, Brussels"


def test_a_french_name_given_later_changes_the_event_once_and_only_it(sqlite_hub_db, export):
    db = sqlite_hub_db
    import_data(db, without_french(export), "plain.json", utc_now())
    with db.writing() as s:  # rows held before the hub kept French texts: NULL
        for e in s.scalars(select(h.EventRow)):
            e.name_fr = e.place_fr = None
    before = snapshot(db)
    again = import_data(db, without_french(export), "plain-again.json", utc_now())
    assert sum(again.changed.values()) == 0 and snapshot(db) == before  # NULL and "" alike
    report = import_data(db, export, "french.json", utc_now())
    assert report.changed["events"] == 5 and report.changed["people"] == 0
    assert report.status_changes == 0  # a French reason alone is no new decision...
    assert snapshot(db)["head"] == before["head"] + 6  # ...but goes to kiosks with the events
    assert len(french_texts(db)["reasons"]) == 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(h.StatusChangeRow)) == 0
    assert sum(import_data(db, export, "again.json", utc_now()).changed.values()) == 0
    assert snapshot(db)["head"] == before["head"] + 6


def test_bad_french_texts_are_refused_like_the_english_ones(sqlite_hub_db, export):
    import_data(sqlite_hub_db, export, "first.json", utc_now())
    before, held = snapshot(sqlite_hub_db), french_texts(sqlite_hub_db)
    bad = copy.deepcopy(export)
    bad["events"][0]["name_fr"] = "R" * 201
    bad["events"][1]["place_fr"] = "Siège\x1b[2J"
    bad["events"][2]["name_fr"] = 42
    bad["accreditations"][0]["status_reason_fr"] = "motif \u202eesrevni"
    bad["status_changes"] = [
        {
            "accreditation_id": export["accreditations"][0]["id"],
            "status": "revoked",
            "at": "2026-02-13T16:00:00+01:00",
            "reason": "press card withdrawn",
            "reason_fr": "m" * 2001,
        }
    ]
    with pytest.raises(ExportInvalid) as refused:
        import_data(sqlite_hub_db, bad, "bad.json", utc_now())
    text = str(refused.value)
    assert "events[0]: name_fr: 201 characters: at most 200 are accepted" in text
    assert "events[1]: place_fr: holds a control character or a direction override" in text
    assert "events[2]: name_fr: must be text, got 42" in text
    assert "accreditations[0]: status_reason_fr: holds a control character" in text
    assert "status_changes[0]: reason_fr: 2001 characters: at most 2000" in text
    assert "(5 problem(s))" in text
    assert snapshot(sqlite_hub_db) == before and french_texts(sqlite_hub_db) == held


def test_a_status_change_carries_its_french_reason(sqlite_hub_db, export):
    db = sqlite_hub_db
    import_data(db, export, "full.json", utc_now())
    acc_id = export["accreditations"][0]["id"]
    change = {
        "accreditation_id": acc_id,
        "status": "revoked",
        "at": "2026-02-13T16:00:00+01:00",
        "reason": "press card withdrawn",
        "reason_fr": "carte de presse retirée",
    }
    import_data(db, {"format": export["format"], "status_changes": [change]}, "c.json", utc_now())
    with db.reading() as s:
        acc = s.get(h.AccreditationRow, acc_id)
        decision = s.scalars(select(h.StatusChangeRow)).one()
    assert (acc.status_reason, acc.status_reason_fr) == (
        "press card withdrawn",
        change["reason_fr"],
    )
    assert decision.reason_fr == "carte de presse retirée"


def test_an_e_mail_address_is_one_profile_in_any_case(hub_db, export):
    """DOMAIN.md: one person, one profile, one unique e-mail address. 'Anna@X.org' and
    'anna@x.org' became two profiles, within one export and against the hub."""
    db, fmt = hub_db, export["format"]
    first = export["people"][0]
    shouted = first["email"].upper()
    twice = copy.deepcopy(export)
    twice["people"][1]["email"] = shouted
    with pytest.raises(ExportInvalid) as refused:
        import_data(db, twice, "twice.json", utc_now())
    assert f"people[1]: email: {shouted!r} also at twice.json people[0]" in str(refused.value)
    import_data(db, export, "full.json", utc_now())
    before = snapshot(db)
    other = {**first, "id": 777_777, "email": shouted}
    with pytest.raises(ExportInvalid, match=f"email: {shouted!r} belongs to person 1 already"):
        import_data(db, {"format": fmt, "people": [other]}, "p.json", utc_now())
    assert snapshot(db) == before
    # The same person writing theirs in other capitals stays one profile, kept as given.
    import_data(db, {"format": fmt, "people": [{**first, "email": shouted}]}, "p.json", utc_now())
    assert snapshot(db)["people"][1][1] == shouted


def test_two_addresses_held_from_before_in_other_capitals_can_be_put_right(hub_db, export):
    """A hub that took 'anna@x.org' and 'ANNA@X.ORG' before the check still opens; an
    export leaving both stands is refused, one that gives either a new address is taken."""
    db, fmt = hub_db, export["format"]
    import_data(db, export, "full.json", utc_now())
    first, second = copy.deepcopy(export["people"][:2])
    with db.writing() as s:  # as an older hub let an import do
        s.get(h.PersonRow, second["id"]).email = first["email"].upper()
    again = HubDatabase(db.url)  # it opens
    again.close()
    with pytest.raises(ExportInvalid, match=f"belongs to person {second['id']} already"):
        import_data(db, {"format": fmt, "people": [first]}, "p.json", utc_now())
    second["email"] = "someone.else@example.org"
    import_data(db, {"format": fmt, "people": [first, second]}, "p.json", utc_now())
    # The address one person gives up may be taken by another in other capitals.
    first["email"], second["email"] = "new@example.org", first["email"].title()
    import_data(db, {"format": fmt, "people": [first, second]}, "p.json", utc_now())
    held = snapshot(db)["people"]
    assert (held[first["id"]][1], held[second["id"]][1]) == (first["email"], second["email"])


def test_an_import_of_files_with_long_names_keeps_a_source_its_column_holds(
    hub_db, export, tmp_path
):
    """The source of a status change is "import " and every file's name: past the column's
    200 characters PostgreSQL refused the whole import ("value too long for type character
    varying(200)"), SQLite kept it whole. Cut to the column, its start naming the files."""
    import_data(hub_db, export, "full.json", utc_now())
    acc_id = export["accreditations"][0]["id"]
    paths = []
    for n, status in enumerate(("revoked", "approved", "revoked")):
        change = {"accreditation_id": acc_id, "status": status, "reason": f"decision {n}"}
        change["at"] = f"2026-02-1{n + 1}T09:00:00+01:00"
        path = tmp_path / f"status-changes-{n}-{'x' * 80}.json"
        path.write_text(json.dumps({"format": export["format"], "status_changes": [change]}))
        paths.append(path)
    assert import_files(hub_db, paths, utc_now()).status_changes == 3
    with hub_db.reading() as s:
        sources = s.scalars(
            select(h.StatusChangeRow.source).where(h.StatusChangeRow.accreditation_id == acc_id)
        ).all()
        assert s.get(h.AccreditationRow, acc_id).status_reason == "decision 2"
    assert len(sources) == 3 and len(set(sources)) == 1
    assert len(sources[0]) == 200 and sources[0].endswith("…")
    assert sources[0].startswith(f"import {paths[0].name}, status-changes-1-")
