"""The hub tests start each hub database as a copy (tests/hub_templates.py): an empty one
must be the database `HubDatabase` makes, and a filled one the import's, each with a hub
id of its own."""

from __future__ import annotations

import sqlite3

from hub.database import HubDatabase, utc_now
from hub.importer import import_data
from tests import hub_templates
from tests.kiosk.test_store_template import contents


def without_hub_id(path) -> dict:
    made = contents(path)
    meta = made["rows"]["hub_meta"]
    made["rows"]["hub_meta"] = [row for row in meta if "'hub_id'" not in row]
    assert len(meta) == len(made["rows"]["hub_meta"]) + 1  # one hub id, set aside
    return made


def hub_id(path) -> str:
    with sqlite3.connect(path) as db:
        (value,) = db.execute("SELECT value FROM hub_meta WHERE key = 'hub_id'").fetchone()
    return value


def test_an_empty_copy_is_the_database_a_new_hub_makes_with_its_own_id(tmp_path):
    HubDatabase(f"sqlite:///{tmp_path / 'made.sqlite3'}").close()
    hub_templates.new_sqlite(tmp_path / "one.sqlite3").close()
    hub_templates.new_sqlite(tmp_path / "two.sqlite3").close()
    made = without_hub_id(tmp_path / "made.sqlite3")
    assert (
        made == without_hub_id(tmp_path / "one.sqlite3") == without_hub_id(tmp_path / "two.sqlite3")
    )
    assert len({hub_id(tmp_path / f"{n}.sqlite3") for n in ("made", "one", "two")}) == 3


def test_a_filled_copy_holds_what_the_import_writes(tmp_path, export_and_entries):
    export, _ = export_and_entries
    imported = HubDatabase(f"sqlite:///{tmp_path / 'imported.sqlite3'}")
    import_data(imported, export, "demo.json", utc_now())
    imported.close()
    copied = hub_templates.new_sqlite(tmp_path / "copied.sqlite3")
    assert hub_templates.fill_from_template(copied, export)
    assert not hub_templates.fill_from_template(copied, export)  # no longer new: imported into
    copied.close()
    a, b = contents(tmp_path / "imported.sqlite3"), contents(tmp_path / "copied.sqlite3")
    assert a["schema"] == b["schema"]
    assert {t: len(rows) for t, rows in a["rows"].items()} == {
        t: len(rows) for t, rows in b["rows"].items()
    }
    assert a["rows"]["people"] == b["rows"]["people"] and len(a["rows"]["people"]) > 20
