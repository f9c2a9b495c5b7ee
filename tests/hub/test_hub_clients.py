"""Enrolment carries the site's document key to counters, never to security posts."""

from __future__ import annotations

import base64
import os
import stat

import pytest

from hub.clients import Role, enrol, enrolment
from hub.keys import site_document_key
from kiosk import documents
from kiosk.store.database import Store
from kiosk.store.schema import SyncStateRow
from sync.state import EnrolmentInvalid, read_state
from sync.state import enrol as enrol_kiosk


def test_a_counter_gets_the_document_key_a_security_post_does_not(sqlite_hub_db, tmp_path):
    db = sqlite_hub_db
    key = site_document_key(db)
    counter = enrolment(db, "G1", Role.COUNTER, enrol(db, "G1", Role.COUNTER), "http://127.0.0.1:1")
    post = enrolment(
        db, "SEC1", Role.SECURITY, enrol(db, "SEC1", Role.SECURITY), "http://127.0.0.1:1"
    )
    assert base64.b64decode(counter["document_key"]) == key
    assert "document_key" not in post

    store = Store.in_dir(tmp_path / "G1")
    try:
        enrol_kiosk(store, counter)
    finally:
        store.close()
    assert documents.read_key(tmp_path / "G1") == key
    mode = stat.S_IMODE(os.stat(documents.key_path(tmp_path / "G1")).st_mode)
    assert mode == 0o600
    post_store = Store.in_dir(tmp_path / "SEC1")
    try:
        enrol_kiosk(post_store, post)
    finally:
        post_store.close()
    assert documents.read_key(tmp_path / "SEC1") is None


def _cursor_at(store: Store, cursor: int) -> None:
    with store.writing() as s:
        s.get(SyncStateRow, 1).cursor = cursor


def test_a_kiosk_given_another_key_pulls_everything_again(sqlite_hub_db, tmp_path):
    db = sqlite_hub_db
    content = enrolment(db, "G1", Role.COUNTER, enrol(db, "G1", Role.COUNTER), "http://127.0.0.1:1")
    store = Store.in_dir(tmp_path)
    try:
        enrol_kiosk(store, content)
        _cursor_at(store, 57)
        enrol_kiosk(store, content)  # enrolled again, same key: the cursor stays
        assert read_state(store).cursor == 57
        documents.write_key(tmp_path, bytes(32))  # digests made with another key since
        enrol_kiosk(store, content)
        assert documents.read_key(tmp_path) == site_document_key(db)
        assert read_state(store).cursor == 0  # every digest comes again from the hub
        with pytest.raises(EnrolmentInvalid, match="document_key is not a document key"):
            enrol_kiosk(store, {**content, "document_key": base64.b64encode(b"short").decode()})
    finally:
        store.close()
    assert documents.read_key(tmp_path) == site_document_key(db)  # refused: unchanged
