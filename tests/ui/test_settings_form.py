"""Saving the settings screen's form and enrolling from a file, without Qt: everything is
checked before anything is written, and a refusal is a sentence in both languages."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.model import Counter
from kiosk.store.database import Store
from printing.printers import FOLDER, chosen_printer
from sync.state import read_state
from ui.settings import FILE, KioskSettings, SettingsInvalid, load_settings
from ui.settings_form import SettingsForm, enrol_from_file, save_form


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
            }
        )
    )
    return path


def test_a_valid_form_is_written_and_read_back(tmp_path, store):
    saved = save_form(tmp_path, store, form())
    assert saved == KioskSettings(Counter.VISITORS, "0", "fr", 12)
    assert load_settings(tmp_path) == saved
    assert chosen_printer(tmp_path, Counter.VISITORS) == FOLDER


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
        save_form(tmp_path, store, form(printers=printers))
    assert refused.value.field == "printer"
    assert "NoSuchQueue" in refused.value.message_en
    assert "imprimante NoSuchQueue" in refused.value.message_fr
    assert not (tmp_path / FILE).exists()


def test_a_bad_hub_address_once_enrolled_writes_nothing(tmp_path, store):
    enrol_from_file(store, enrolment(tmp_path))
    with pytest.raises(SettingsInvalid) as refused:
        save_form(tmp_path, store, form(hub_url="not a url"))
    assert refused.value.field == "hub_url"
    assert not (tmp_path / FILE).exists()
    assert read_state(store).hub_url == "http://127.0.0.1:8765"
    # Addresses sync would refuse (sync/transport.py), said in both languages.
    for url, en, fr in (
        ("https://127.0.0.1:9000", "no certificate for an https hub", "certificat d'un hub"),
        ("http://10.0.0.9:8750", "Plain http to another machine", "Le http simple"),
    ):
        with pytest.raises(SettingsInvalid) as refused:
            save_form(tmp_path, store, form(hub_url=url))
        assert en in refused.value.message_en and fr in refused.value.message_fr
    assert read_state(store).hub_url == "http://127.0.0.1:8765"
    save_form(tmp_path, store, form(hub_url=" http://localhost:9000 "))
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
