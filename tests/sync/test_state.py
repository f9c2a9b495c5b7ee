"""Enrolment: the file from `kiosk-hub enrol` is checked, and a store keeps its hub."""

from __future__ import annotations

import base64

import pytest

from kiosk.store.database import Store
from sync.state import EnrolmentInvalid, enrol, read_state

GOOD = {
    "format": "pass-office-enrolment/1",
    "hub_url": "http://127.0.0.1:8750",
    "hub_id": "hub-1",
    "kiosk_id": "G1",
    "role": "counter",
    "token": "t" * 43,
    "hub_key": base64.b64encode(b"k" * 32).decode(),
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "x"}, "not an enrolment file"),
        ({"token": ""}, "lacks token"),
        ({"role": "office"}, "not a kiosk's"),
        ({"hub_key": "***"}, "not base64"),
        ({"hub_key": base64.b64encode(b"short").decode()}, "32 bytes"),
    ],
)
def test_a_bad_enrolment_file_is_refused(tmp_path, change, message):
    store = Store(tmp_path / "kiosk.sqlite3")
    with pytest.raises(EnrolmentInvalid, match=message):
        enrol(store, GOOD | change)
    assert read_state(store) is None
    store.close()


def test_a_store_stays_with_its_hub_and_id(tmp_path):
    store = Store(tmp_path / "kiosk.sqlite3")
    enrol(store, GOOD)
    renewed = enrol(store, GOOD | {"token": "n" * 43, "hub_url": "http://hub:8750"})
    assert (renewed.token, renewed.hub_url) == ("n" * 43, "http://hub:8750")
    for other in ({"hub_id": "hub-2"}, {"kiosk_id": "G2"}):
        with pytest.raises(EnrolmentInvalid, match="use a fresh data directory"):
            enrol(store, GOOD | other)
    assert read_state(store).kiosk_id == "G1"
    store.close()
