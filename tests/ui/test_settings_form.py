"""Saving the settings screen's form and enrolling from a file, without Qt: everything is
checked before anything is written, and a refusal is a sentence in both languages."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.model import Counter
from kiosk.roles import Actor, Role
from kiosk.settings_journal import SettingsJournal
from kiosk.staff import AccountStopped, StaffBook
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow
from printing.printers import FOLDER, chosen_printer
from sync.state import read_state
from ui.settings import FILE, KioskSettings, SettingsInvalid, load_settings
from ui.settings_form import SettingsForm, enrol_from_file, save_form

ADMIN = Actor("ada", Role.ADMINISTRATOR)


def journal(store) -> SettingsJournal:
    return SettingsJournal(store, "G7", lambda: datetime(2026, 2, 14, 9, tzinfo=UTC))


def settings_entries(store) -> list[JournalRow]:
    with store.reading() as s:
        rows = s.scalars(select(JournalRow).where(JournalRow.action == "settings")).all()
        for row in rows:
            s.expunge(row)
        return list(rows)


@pytest.fixture
def store(tmp_path):
    s = Store.in_dir(tmp_path)
    yield s
    s.close()


def form(**changes) -> SettingsForm:
    fields = {
        "counter": "visitors",
        "camera": " 0 ",
        "language": "fr",
        "idle_minutes": 12,
        "printers": {Counter.GROUPS: FOLDER, Counter.VISITORS: FOLDER},
        "hub_url": "",
    } | changes
    return SettingsForm(**fields)


def enrolment(tmp_path) -> Path:
    path = tmp_path / "enrol.json"
    path.write_text(
        json.dumps(
            {
                "format": "pass-office-enrolment/1",
                "hub_url": "http://127.0.0.1:8765",
                "hub_id": "HQ",
                "kiosk_id": "G7",
                "role": "counter",
                "token": "t0k3n",
                "hub_key": base64.b64encode(bytes(32)).decode(),
                "document_key": base64.b64encode(bytes(32)).decode(),
            }
        )
    )
    return path


def test_a_valid_form_is_written_and_read_back(tmp_path, store):
    saved = save_form(tmp_path, store, form(), journal(store), ADMIN)
    assert saved == KioskSettings(Counter.VISITORS, "0", "fr", 12)
    assert load_settings(tmp_path) == saved
    assert chosen_printer(tmp_path, Counter.VISITORS) == FOLDER


def test_what_a_save_changed_is_journalled_under_the_administrators_name(tmp_path, store):
    save_form(tmp_path, store, form(), journal(store), ADMIN)
    (entry,) = settings_entries(store)
    assert (entry.actor, entry.kiosk_id) == ("ada", "G7")
    assert entry.details == {
        "role": "administrator",
        "changed": {
            "counter": ["groups", "visitors"],
            "camera": ["", "0"],
            "language": ["en", "fr"],
            "idle_minutes": ["5", "12"],
        },
    }
    save_form(tmp_path, store, form(), journal(store), ADMIN)  # the same again: no entry
    save_form(tmp_path, store, form(idle_minutes=30, tones=True), journal(store), ADMIN)
    assert [e.details["changed"] for e in settings_entries(store)][1:] == [
        {"idle_minutes": ["12", "30"], "tones": ["off", "on"]}
    ]


def test_a_save_by_a_disabled_administrator_writes_nothing(tmp_path, store):
    staff = StaffBook(store, lambda: datetime(2026, 2, 14, 9, tzinfo=UTC), "G7")
    staff.add("ada", Role.ADMINISTRATOR, "987654")
    staff.add("bob", Role.ADMINISTRATOR, "987655")
    staff.disable("ada")  # by the other administrator, or the hub
    with pytest.raises(AccountStopped):
        save_form(tmp_path, store, form(), journal(store), ADMIN)
    assert not (tmp_path / FILE).exists()
    assert settings_entries(store) == []


@pytest.mark.slow  # over a second: out of the fast lane
def test_saving_and_enrolling_load_no_qt():
    code = (
        "import sys, ui.settings_form, printing.printers, sync.state; "
        "print('PySide6' in sys.modules)"
    )
    root = Path(__file__).parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "False"


def test_an_unknown_printer_writes_nothing(tmp_path, store):
    printers = {Counter.GROUPS: FOLDER, Counter.VISITORS: "NoSuchQueue"}
    with pytest.raises(SettingsInvalid) as refused:
        save_form(tmp_path, store, form(printers=printers), journal(store), ADMIN)
    assert refused.value.field == "printer"
    assert "NoSuchQueue" in refused.value.message_en
    assert "imprimante NoSuchQueue" in refused.value.message_fr
    assert not (tmp_path / FILE).exists()


def test_a_bad_hub_address_once_enrolled_writes_nothing(tmp_path, store):
    enrol_from_file(store, enrolment(tmp_path))
    # A port past 65535 and a password were taken before (kiosk/hub_address.py).
    for url in ("not a url", "http://127.0.0.1:99999", "http://anna:pw@127.0.0.1:8765"):
        with pytest.raises(SettingsInvalid) as refused:
            save_form(tmp_path, store, form(hub_url=url), journal(store), ADMIN)
        assert refused.value.field == "hub_url"
        assert "must look like https://hub.example:8443" in refused.value.message_en
    assert not (tmp_path / FILE).exists()
    assert read_state(store).hub_url == "http://127.0.0.1:8765"
    # Addresses sync would refuse (sync/transport.py), said in both languages.
    for url, en, fr in (
        ("https://127.0.0.1:9000", "no certificate for an https hub", "certificat d'un hub"),
        ("http://10.0.0.9:8750", "Plain http to another machine", "Le http simple"),
    ):
        with pytest.raises(SettingsInvalid) as refused:
            save_form(tmp_path, store, form(hub_url=url), journal(store), ADMIN)
        assert en in refused.value.message_en and fr in refused.value.message_fr
    assert read_state(store).hub_url == "http://127.0.0.1:8765"
    save_form(tmp_path, store, form(hub_url=" http://localhost:9000 "), journal(store), ADMIN)
    assert read_state(store).hub_url == "http://localhost:9000"


@pytest.mark.parametrize(
    ("content", "en", "fr"),
    [
        (None, "there is no such file", "ce fichier n'existe pas"),
        (b"{not json", "not an enrolment file", "pas un fichier d'inscription"),
        (b"\xff\xfe\x00", "not an enrolment file", "pas un fichier d'inscription"),
        (b'{"format": "something else"}', "Not enrolled", "Non inscrit"),
    ],
)
def test_an_unusable_enrolment_file_is_a_sentence_and_changes_nothing(
    tmp_path, store, content, en, fr
):
    path = tmp_path / "enrol.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SettingsInvalid) as refused:
        enrol_from_file(store, path)
    assert en in refused.value.message_en and fr in refused.value.message_fr
    for name in ("Error", "JSONDecode", "UnicodeDecode", "FileNotFound"):
        assert name not in refused.value.message_en + refused.value.message_fr
    assert read_state(store) is None
