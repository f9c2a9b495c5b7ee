"""A kiosk's settings file: defaults, checks with messages in both languages, round trip."""

from __future__ import annotations

import json

import pytest

from kiosk.model import Counter
from ui.settings import (
    KioskSettings,
    SettingsInvalid,
    check_camera,
    load_settings,
    parse_settings,
    save_settings,
)


def test_no_file_gives_the_defaults(tmp_path):
    assert load_settings(tmp_path) == KioskSettings(Counter.GROUPS, "", "en", 5)


def test_saved_settings_read_back(tmp_path):
    wanted = KioskSettings(Counter.VISITORS, "0", "fr", 12, tones=True)
    path = save_settings(tmp_path, wanted)
    assert json.loads(path.read_text())["counter"] == "visitors"
    assert load_settings(tmp_path) == wanted


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"counter": "lobby"}, "counter"),
        ({"counter": ["groups"]}, "counter"),  # was a TypeError at start-up
        ({"counter": {}}, "counter"),
        ({"language": "de"}, "language"),
        ({"idle_minutes": 0}, "idle_minutes"),
        ({"idle_minutes": 121}, "idle_minutes"),
        ({"idle_minutes": "5"}, "idle_minutes"),
        ({"idle_minutes": True}, "idle_minutes"),
        ({"camera": 0}, "camera"),
        ({"tones": "yes"}, "tones"),
        ({"tones": 1}, "tones"),
        ({"printer": "x"}, "file"),
        ([], "file"),
    ],
)
def test_bad_values_are_named_in_both_languages(raw, field):
    with pytest.raises(SettingsInvalid) as err:
        parse_settings(raw)
    assert err.value.field == field
    assert err.value.message_en and err.value.message_fr
    assert err.value.message_en != err.value.message_fr


def test_an_unreadable_file_says_how_to_fix_it(tmp_path):
    (tmp_path / "settings.json").write_text("{not json")
    with pytest.raises(SettingsInvalid, match="fix or delete it"):
        load_settings(tmp_path)


def test_a_camera_is_a_device_number_or_a_path_that_exists(tmp_path):
    check_camera("")
    check_camera("0")
    check_camera(str(tmp_path))
    with pytest.raises(SettingsInvalid, match="No camera"):
        check_camera(str(tmp_path / "missing.mp4"))
