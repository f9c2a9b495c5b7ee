"""Enrolment: the file from `kiosk-hub enrol` is checked, and a store keeps its hub."""

from __future__ import annotations

import base64
import sqlite3
from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, event

from kiosk import documents
from kiosk.model import BRUSSELS
from kiosk.store.database import Store, _on_begin, _on_connect, alembic_config
from kiosk.store.schema import SyncStateRow
from sync.state import (
    EnrolmentInvalid,
    enrol,
    outbox_length,
    read_enrolment,
    read_state,
    record_attempt,
    set_hub_url,
)
from sync.transport import TransportRefused
from tests.enrolment_file import enrolment

GOOD = enrolment()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "x"}, "not an enrolment file"),
        ({"token": ""}, "lacks token"),
        ({"token": "tóken\n"}, "not printable ASCII"),
        ({"token": ["t"]}, "not printable ASCII"),
        ({"token": "t" * 201}, "longer than 200"),
        ({"role": "office"}, "not a kiosk's"),
        ({"hub_key": "***"}, "not base64"),
        ({"hub_key": base64.b64encode(b"short").decode()}, "32 bytes"),
        ({"hub_url": "https://hub.example:8443"}, "no fingerprint of its certificate"),
        ({"hub_url": "https://hub:1", "hub_cert_sha256": "ab" * 31}, "64 hexadecimal"),
        ({"hub_cert_sha256": 12}, "not a certificate fingerprint"),
        ({"hub_url": "http://192.0.2.1:8750"}, "plain http to 192.0.2.1 refused"),
        ({"hub_url": "http://[2001:db8::1]:8750"}, "plain http to 2001:db8::1 refused"),
        ({"hub_url": "http://127.0.0.1.example:8750"}, "plain http to 127.0.0.1.example"),
        ({"hub_url": "ftp://127.0.0.1/"}, "not a hub address"),
        # Taken before, as `kiosk-hub enrol --url` now refuses them (kiosk/hub_address.py):
        # sync failed on the port only when it connected, and the password was shown.
        ({"hub_url": "http://127.0.0.1:99999"}, "the port is a number from 1 to 65535"),
        ({"hub_url": "http://anna:s3cret@127.0.0.1:8750"}, "holds a user name or a password"),
        ({"hub_url": "http://127.0.0.1:8750/?k=G1"}, "holds a query or a fragment"),
        # Each of these reached SQLite or the URL parser before, and ended in a traceback.
        ({"kiosk_id": ["a"]}, "kiosk_id is not printable ASCII"),
        ({"kiosk_id": 2**63}, "kiosk_id is not printable ASCII"),
        ({"kiosk_id": "G" * 21}, "kiosk_id is longer than 20"),
        ({"hub_id": {"a": 1}}, "hub_id is not printable ASCII"),
        ({"hub_url": True}, "hub_url is not printable ASCII"),
        ({"hub_url": ["a"]}, "hub_url is not printable ASCII"),
        ({"hub_key": True}, "hub_key is not printable ASCII"),
        # A counter without the site's document key refused every applicant found later.
        ({"document_key": None}, "lacks document_key, which a counter needs"),
        ({"document_key": ""}, "lacks document_key, which a counter needs"),
        ({"document_key": 7}, "document_key is not base64"),
        ({"role": "security"}, "security post's enrolment file carries no document_key"),
    ],
)
@pytest.mark.slow
def test_a_bad_enrolment_file_is_refused(tmp_path, change, message):
    store = Store(tmp_path / "kiosk.sqlite3")
    with pytest.raises(EnrolmentInvalid, match=message):
        enrol(store, GOOD | change)
    assert read_state(store) is None
    store.close()


def test_an_enrolment_file_is_read_only_when_a_regular_file_of_a_few_kb(tmp_path):
    # A pipe hung `kiosk sync enrol`; a link to /dev/zero grew it to 24 GB.
    import json
    import os
    import threading

    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    assert read_enrolment(good) == GOOD
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    found: list = []

    def read() -> None:
        try:
            read_enrolment(pipe)
        except EnrolmentInvalid as err:
            found.append(str(err))

    reader = threading.Thread(target=read, daemon=True)  # a hang fails, not blocks, the test
    reader.start()
    reader.join(60)
    assert found == [f"{pipe} is not a regular file"]
    large = tmp_path / "large.json"
    with large.open("wb") as file:
        file.truncate(10 * 1024 * 1024)  # sparse: only the first 64 KB may be read
    with pytest.raises(EnrolmentInvalid, match="larger than an enrolment file can be"):
        read_enrolment(large)


def test_a_store_stays_with_its_hub_and_id(tmp_path):
    store = Store(tmp_path / "kiosk.sqlite3")
    enrol(store, GOOD)
    renewed = enrol(store, GOOD | {"token": "n" * 43, "hub_url": "http://localhost:8750"})
    assert (renewed.token, renewed.hub_url) == ("n" * 43, "http://localhost:8750")
    for other in ({"hub_id": "hub-2"}, {"kiosk_id": "G2"}):
        with pytest.raises(EnrolmentInvalid, match="use a fresh data directory"):
            enrol(store, GOOD | other)
    assert read_state(store).kiosk_id == "G1"
    store.close()


def test_a_store_whose_journal_another_kiosk_id_wrote_is_not_enrolled_under_a_new_one(tmp_path):
    """First accounts made as G1 (the default id), then the store enrolled as G2: every
    delivery was refused for good ("journal row 1 was written by kiosk 'G1' but delivered
    by G2"). Refused at enrolment instead, nothing stored; as G1 it enrols."""
    from kiosk.roles import Role
    from kiosk.staff import StaffBook

    store = Store(tmp_path / "kiosk.sqlite3")
    StaffBook(store, lambda: datetime.now(BRUSSELS), "G1").add("root", Role.ADMINISTRATOR, "604417")
    with pytest.raises(EnrolmentInvalid, match=r"written as kiosk G1.*fresh data directory"):
        enrol(store, GOOD | {"kiosk_id": "G2"})
    with store.reading() as s:
        assert s.get(SyncStateRow, 1) is None
    assert enrol(store, GOOD).kiosk_id == "G1"
    store.close()


PIN = "0f" * 32


def test_the_hub_certificate_is_pinned_and_plain_http_needs_consent(tmp_path):
    store = Store(tmp_path / "kiosk.sqlite3")
    pinned = enrol(
        store, GOOD | {"hub_url": "https://hub.example:8443", "hub_cert_sha256": PIN.upper()}
    )
    assert (pinned.hub_cert_sha256, pinned.allow_plain_http) == (PIN, False)
    with store.writing() as s:  # some syncing done
        s.get(SyncStateRow, 1).cursor = 42
    renewed = enrol(  # the hub's certificate was renewed: a new file, the cursor stays
        store, GOOD | {"hub_url": "https://hub.example:8443", "hub_cert_sha256": "1e" * 32}
    )
    assert (renewed.hub_cert_sha256, renewed.cursor) == ("1e" * 32, 42)
    # Moving to plain http beyond loopback is refused and changes nothing ...
    with pytest.raises(TransportRefused, match=r"plain http to hub\.example refused"):
        set_hub_url(store, "http://hub.example:8750")
    assert read_state(store).hub_url == "https://hub.example:8443"
    # ... unless the operator says so, which is recorded.
    set_hub_url(store, "http://hub.example:8750", allow_plain_http=True)
    assert read_state(store).allow_plain_http
    store.close()

    for consent in ({"allow_plain_http": True}, {}):
        other = Store(tmp_path / f"kiosk{len(consent)}.sqlite3")
        state = enrol(
            other, GOOD | {"hub_url": "http://10.0.0.5:8750"} | consent, allow_plain_http=True
        )
        assert state.allow_plain_http and state.hub_cert_sha256 == ""
        other.close()


def test_loopback_is_plain_http_without_consent(tmp_path):
    store = Store(tmp_path / "kiosk.sqlite3")
    for url in ("http://127.0.0.1:8750", "http://127.8.9.10:1", "http://[::1]:8750"):
        assert not enrol(store, GOOD | {"hub_url": url}).allow_plain_http
    store.close()


def test_a_store_enrolled_before_pinning_keeps_its_enrolment(tmp_path):
    db = tmp_path / "kiosk.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    command.upgrade(alembic_config(engine), "0007")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "insert into sync_state (id, hub_url, hub_id, hub_key, kiosk_id, role, token, "
            "cursor, acked_journal_id, last_error) values "
            "(1, 'http://10.0.0.5:8750', 'hub-1', ?, 'G1', 'counter', 't', 7, 3, '')",
            (b"k" * 32,),
        )
    engine.dispose()
    store = Store(db)  # upgraded to the newest schema
    state = read_state(store)
    # Kept as it was, and refused at the next round until the operator decides.
    assert (state.cursor, state.hub_url) == (7, "http://10.0.0.5:8750")
    assert (state.hub_cert_sha256, state.allow_plain_http, state.last_error_code) == ("", False, "")
    store.close()


def test_unreported_badges_count_badges_not_journal_rows(demo_dir, demo_now, manifest):
    from sqlalchemy import func, select

    from app.wiring import open_kiosk, read_mrz
    from kiosk.model import Counter
    from kiosk.roles import Actor, Role
    from kiosk.store.schema import JournalRow
    from sync.outbox import acknowledge
    from sync.state import outbox_length, unreported_badges

    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        site_key = base64.b64encode(documents.read_key(demo_dir)).decode()  # the hub's
        enrol(kiosk.store, GOOD | {"document_key": site_key})
        with kiosk.store.reading() as s:
            acknowledge(kiosk.store, s.scalar(select(func.max(JournalRow.id))))
        assert (outbox_length(kiosk.store), unreported_badges(kiosk.store)) == (0, 0)
        a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
        clerk = Actor("ann", Role.CLERK)
        decision = kiosk.desk.evaluate(a["code"], read_mrz(a["mrz"]))
        kiosk.desk.record(decision, clerk)
        assert outbox_length(kiosk.store) == 1 and unreported_badges(kiosk.store) == 0
        serial = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), clerk).badge.serial
        kiosk.printing.print_issued(serial, clerk)  # the folder printer: sent, printed
        assert outbox_length(kiosk.store) == 4  # the decision, the issue, print sent, printed
        assert unreported_badges(kiosk.store) == 1  # but one badge to a clerk
    finally:
        kiosk.close()


def test_a_rounds_outcome_reads_back_as_the_sync_bar_shows_it(tmp_path):
    """The outcome is written on the SQLite connection (sync/state.py): the last time the
    hub was reached stays through a failure, the failure and its kind are kept until a
    round succeeds, and times read back aware, as the ORM reads them."""
    store = Store(tmp_path / "kiosk.sqlite3")
    enrol(store, GOOD)
    reached = datetime(2026, 2, 14, 9, 30, 15, 250, tzinfo=BRUSSELS)
    record_attempt(store, reached)
    failed = reached + timedelta(minutes=1)
    record_attempt(store, failed, "hub unreachable at http://127.0.0.1:8750", "offline")
    state = read_state(store)
    assert (state.last_sync_at, state.last_attempt_at) == (reached, failed)
    assert (state.last_error, state.last_error_code) == (
        "hub unreachable at http://127.0.0.1:8750",
        "offline",
    )
    assert state.last_sync_at.utcoffset() == timedelta(0)
    again = failed + timedelta(minutes=1)
    record_attempt(store, again)
    state = read_state(store)
    assert (state.last_sync_at, state.last_attempt_at, state.last_error) == (again, again, "")
    assert (state.last_error_code, outbox_length(store)) == ("", 0)
    with store.reading() as s:  # read_state reads the row on the SQLite connection
        row = s.get(SyncStateRow, 1)
        orm = {name: getattr(row, name) for name in vars(state) if name != "token"}
    assert {name: v for name, v in vars(state).items() if name != "token"} == orm
    assert type(state.allow_plain_http) is bool and state.hub_key == b"k" * 32
