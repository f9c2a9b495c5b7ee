"""Applying pages: the badge merge rules, and pages that do not fit the kiosk."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite

from hub import schema as h
from hub.clients import Client, Role
from hub.database import utc_now
from hub.feed import build_page
from hub.keys import feed_public_key, feed_signer
from kiosk.counter import load_keyring
from kiosk.model import BRUSSELS, Counter
from kiosk.store import schema as k
from kiosk.store.database import Store
from sync import apply
from sync.apply import apply_page, conversion, merge_badge, stored_moment
from sync.feed_checks import refusal
from sync.protocol import KINDS, Page, ProtocolError, read_page
from sync.state import enrol, require_state
from tests.enrolment_file import enrolment

GOOD_ENROLMENT = enrolment()


def badge(status: str, kiosk: str = "G1", superseded_by: str | None = None) -> dict:
    return {
        "serial": "G1-000001",
        "kiosk_id": kiosk,
        "status": status,
        "superseded_by": superseded_by,
    }


@pytest.mark.parametrize(
    ("local", "hub", "pending", "result"),
    [
        (None, "active", False, "active"),  # a badge another counter issued
        ("printing", "active", False, "active"),  # the hub holds this kiosk's last change
        ("active", "printing", True, None),  # it does not yet: the local row stands
        ("active", "superseded", True, "superseded"),  # the hub's final word wins anyway
        ("printing", "revoked", False, "revoked"),
        ("superseded", "active", False, None),  # a final status is never undone
        ("superseded", "revoked", False, "revoked"),  # revoked outranks superseded
        ("superseded", "superseded", False, "superseded"),  # by the badge the hub says
        ("revoked", "superseded", False, None),
    ],
)
def test_badge_merge(local, hub, pending, result):
    merged = merge_badge(
        badge(local, "G1", "G1-9") if local else None, badge(hub, "G2", "G2-1"), pending
    )
    assert (merged["status"] if merged else None) == result
    if merged and merged["status"] == "superseded":
        assert merged["superseded_by"] == "G2-1"


PAIR = frozenset({("G1-000001", "G2-000001")})  # G1-000001 reinstated over G2-000001


@pytest.mark.parametrize(
    ("local", "hub_by", "result"),
    [
        ("active", "G2-000001", ("active", None)),  # an old page: the office undid that
        (None, "G2-000001", ("active", None)),
        ("revoked", "G2-000001", None),  # revoked still outranks everything
        ("active", "G2-000007", ("superseded", "G2-000007")),  # a new supersession counts
    ],
)
def test_badge_merge_after_a_reinstatement(local, hub_by, result):
    hub = {**badge("superseded", "G1", hub_by), "serial": "G1-000001"}
    merged = merge_badge(badge(local) if local else None, hub, False, PAIR)
    assert ((merged["status"], merged["superseded_by"]) if merged else None) == result


@pytest.mark.parametrize(
    ("local", "hub", "result"),
    [
        (None, "active", "revoked"),  # an old page: the office cancelled it
        ("revoked", "active", "revoked"),
        ("active", "active", "revoked"),
        (None, "lost", "lost"),  # final already: as the hub says
    ],
)
def test_a_cancelled_badge_is_never_valid_again(local, hub, result):
    cancelled = {**badge(hub, "G2"), "serial": "G2-000001"}
    held = badge(local, "G2") if local else None
    merged = merge_badge(held, cancelled, False, PAIR)
    assert (merged or held)["status"] == result


def test_only_its_own_reinstatement_brings_a_superseded_badge_back():
    local = badge("superseded", "G1", "G1-000009")  # superseded here by another badge
    assert merge_badge(local, badge("active", "G1"), False, PAIR) is None


def reinstatement(**changed) -> dict:
    row = {
        "serial": "G1-000001",
        "cancels": "G2-000001",
        "accreditation_id": 1,
        "at": datetime(2026, 2, 14, 9, 0, tzinfo=UTC),
        "actor": "web:anna",
    }
    return row | changed


@pytest.mark.parametrize(
    ("changed", "why"),
    [
        ({"serial": "nope"}, "not a badge serial"),
        ({"cancels": None}, "not a badge serial"),
        ({"cancels": "G1-000001"}, "cannot cancel itself"),
        ({"accreditation_id": -1}, "not a whole number"),
        ({"actor": None}, "who reinstated it"),
        ({"actor": "x" * 81}, "at most 80"),
    ],
)
def test_a_malformed_reinstatement_is_refused(changed, why):
    assert refusal("reinstatements", reinstatement(), "SEC1") is None
    assert why in refusal("reinstatements", reinstatement(**changed), "SEC1")


def test_a_page_with_a_malformed_reinstatement_applies_the_rest(tmp_path):
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    rows = [reinstatement(), reinstatement(serial="G1-000002", cancels="G1-000002")]
    entities = {kind: [] for kind in KINDS} | {"reinstatements": rows}
    page = Page("G1", "n", rows[0]["at"], 0, 5, 5, False, 0, entities, signed_by=b"k" * 32)
    assert apply_page(store, page, online=True).refused == 1
    with store.reading() as s:
        kept = s.scalars(select(k.ReinstatementRow)).all()
        assert [(r.serial, r.cancels, r.actor) for r in kept] == [
            ("G1-000001", "G2-000001", "web:anna")
        ]


def test_pages_for_another_kiosk_or_after_a_gap_are_refused(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    body = build_page(site.db, Client("G1", Role.COUNTER), 0, 10, "nonce-1", utc_now())
    page = read_page(body, feed_signer(site.db).sign(body), feed_public_key(site.db))
    with pytest.raises(ProtocolError, match="for kiosk G2"):
        apply_page(g1.store, replace(page, kiosk="G2"), online=True)
    cursor = require_state(g1.store).cursor
    with pytest.raises(ProtocolError, match="would be missed"):
        apply_page(g1.store, replace(page, cursor_from=cursor + 5), online=True)
    assert require_state(g1.store).cursor == cursor


def test_a_kiosk_own_unsent_print_state_survives_a_pull(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    serial = g1.issue(site.entry("approved_ministerial")).badge.serial
    g1.sync()
    with g1.store.writing() as s:  # a change the hub has not received yet
        s.get(k.BadgeRow, serial).status = "active"
        s.add(
            k.JournalRow(
                at=g1.kiosk.desk.clock(),
                kiosk_id="G1",
                actor="clerk",
                action="handover",
                badge_serial=serial,
                details={},
            )
        )
    g1.client.pull()
    with g1.store.reading() as s:
        assert s.get(k.BadgeRow, serial).status == "active"
    g1.sync()  # delivered: the hub now says so too
    with site.db.reading() as s:
        assert s.get(h.BadgeRow, serial).status == "active"
    with g1.store.reading() as s:
        assert [b.status for b in s.scalars(select(k.BadgeRow))] == ["active"]


def key_owners(station) -> dict[int, str | None]:
    with station.store.reading() as s:
        return {r.key_id: r.owner for r in s.scalars(select(k.KeyRow))}


def test_the_feed_names_each_keys_owner_and_a_post_refuses_badges_they_contradict(
    sqlite_site, demo_now
):
    """A counter's badge key signs for that counter only: G1, stolen, cannot make a badge
    a security post takes for one of V1's, whatever V1 has issued."""
    from kiosk.codes import badge_code, read_badge
    from kiosk.verify import SecurityPost

    site = sqlite_site
    g1 = site.kiosk("G1", badge_key_id=70)
    v1 = site.kiosk("V1", counter=Counter.VISITORS, badge_key_id=71)
    g1.issue(site.entry("approved_ministerial"))  # keys travel with a journal delivery
    serial = v1.issue(site.entry("approved_annual")).badge.serial
    genuine = v1.kiosk.desk.cards.card(serial).badge_code
    g1.sync(), v1.sync()
    sec = site.kiosk("SEC1", Role.SECURITY)
    assert {1: "office", 70: "G1", 71: "V1"}.items() <= key_owners(sec).items()

    post = SecurityPost(sec.store, lambda: demo_now)
    assert post.verify(genuine).valid
    claim, _ = read_badge(genuine, load_keyring(sec.store, "badge"))
    as_v1 = badge_code(g1.kiosk.desk.cards.signer(), claim)  # V1's badge, G1's key
    refused = post.verify(as_v1)
    assert (refused.valid, refused.reason) == (False, "wrong_kiosk")
    assert refused.serial == serial


def test_a_key_held_without_an_owner_gets_it_from_the_feed(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1", badge_key_id=70)
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()
    sec = site.kiosk("SEC1", Role.SECURITY)
    with sec.store.writing() as s:  # as a store upgraded by migration 0011 holds it
        s.get(k.KeyRow, 70).owner = None
        s.get(k.SyncStateRow, 1).cursor = 0  # which the migration also does
    sec.sync()
    assert key_owners(sec)[70] == "G1"


@pytest.mark.slow
def test_a_page_beyond_sqlite_variable_limit_applies_whole_and_reads_back_as_sent(tmp_path):
    """Applying writes rows without the ORM (sync/apply.py): dates, aware times, booleans,
    JSON and a purge already made here come back as the ORM reads them, and a page naming
    more ids than SQLite takes as variables (32,766) is applied in full."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    at = datetime(2026, 2, 14, 8, 30, tzinfo=UTC)
    event = {
        "id": "summit",
        "name": "Summit",
        "place": "Brussels",
        "at_hq": True,
        "first_day": date(2026, 2, 13),
        "last_day": date(2026, 2, 15),
        "collection_opens": at,
        "collection_closes": at.replace(hour=18),
        "annual_admitted": False,
        "colour": "#1565c0",
        "valid_with": ["summit-eve"],
        "retention_days": 7,
    }
    letters = [
        {
            "id": i,
            "kind": "editor",
            "organisation": f"Paper {i}",
            "signed": i % 2 == 0,
            "members": [{"surname": "Roe"}] if i == 7 else [],
            "purged_at": None,
        }
        for i in range(1, 33_001)
    ]
    with store.writing() as s:  # a letter this kiosk purged stays purged
        s.add(k.LetterRow(**{**letters[4], "organisation": "", "purged_at": at}))
    entities = {kind: [] for kind in KINDS} | {"events": [event], "letters": letters}
    page = Page("G1", "n", at, 0, 40_000, 40_000, False, 0, entities, signed_by=b"k" * 32)

    applied = apply_page(store, page, online=True)
    assert (applied.cursor, applied.entities, applied.refused) == (40_000, 33_001, 0)
    with store.reading() as s:
        row = s.get(k.EventRow, "summit")
        assert {c: getattr(row, c) for c in event} == event
        assert s.scalar(select(func.count()).select_from(k.LetterRow)) == 33_000
        assert s.get(k.LetterRow, 7).members == [{"surname": "Roe"}]
        assert (s.get(k.LetterRow, 8).signed, s.get(k.LetterRow, 9).signed) == (True, False)
        assert (s.get(k.LetterRow, 5).organisation, s.get(k.LetterRow, 5).purged_at) == ("", at)
        assert s.get(k.LetterRow, 33_000).organisation == "Paper 33000"


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 3, 1),
        datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS),
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    ],
)
def test_the_upsert_stores_dates_and_times_as_sqlalchemy_does(value):
    column = k.AccreditationRow.__table__.c[
        "doc_expiry" if type(value) is date else "status_changed_at"
    ]
    dialect = sqlite.dialect()  # the store's (pysqlite)
    sqlalchemy_s = column.type.dialect_impl(dialect).bind_processor(dialect)
    ours = conversion(column, dialect)
    assert ours in (stored_moment, date.isoformat)  # not SQLAlchemy's own
    assert ours(value) == sqlalchemy_s(value)


def test_the_upsert_refuses_a_time_without_a_zone(tmp_path):
    with pytest.raises(ValueError, match="timezone-aware"):
        stored_moment(datetime(2026, 3, 1, 12, 0))


def person(i: int, **changed) -> dict:
    row = {
        "id": i,
        "surname": f"Roe{i}",
        "given_names": "Ann",
        "date_of_birth": date(1990, 1, 1 + i % 28),
        "nationality": "BEL",
        "email": f"ann{i}@example.org",
        "organisation": "Paper",
        "media_kind": "online",
        "photo": b"\xff\xd8\xff" + bytes([i % 256]) * 40,
        "purged_at": None,
    }
    return row | changed


def accreditation(i: int, **changed) -> dict:
    row = {
        "id": i,
        "person_id": i,
        "flow": "event",
        "year": None,
        "event_id": "summit",
        "status": "approved",
        "status_reason": "",
        "status_changed_at": datetime(2026, 2, 1, 9, tzinfo=UTC),
        "pool": False,
        "doc_kind": "P",
        "doc_number_digest": f"{i * 7919 % 100_003:064x}",  # spread over the index
        "doc_number_tail": "123",
        "doc_state": "BEL",
        "doc_surname": f"ROE{i}",
        "doc_given_names": "ANN",
        "doc_birth_date": date(1990, 1, 1),
        "doc_expiry": date(2030, 1, 1),
        "press_card": None,
        "letter_id": None,
        "purged_at": None,
    }
    return row | changed


SUMMIT = {
    "id": "summit",
    "name": "Summit",
    "place": "Brussels",
    "at_hq": True,
    "first_day": date(2026, 2, 13),
    "last_day": date(2026, 2, 15),
    "collection_opens": datetime(2026, 2, 13, 8, tzinfo=UTC),
    "collection_closes": datetime(2026, 2, 15, 18, tzinfo=UTC),
    "annual_admitted": False,
    "colour": "#1565c0",
    "valid_with": [],
    "retention_days": 7,
}


def rows_page(cursor_from: int, **rows: list[dict]) -> Page:
    entities = {kind: [] for kind in KINDS} | rows
    at = datetime(2026, 2, 14, 8, 30, tzinfo=UTC)
    cursor_to = cursor_from + sum(len(r) for r in rows.values())
    return Page(
        "G1", "n", at, cursor_from, cursor_to, cursor_to, False, 0, entities, signed_by=b"k" * 32
    )


def wal_frames(store: Store, page: Page) -> int:
    """WAL frames (pages of the file) written by applying `page`."""
    import sqlite3

    side = sqlite3.connect(store.path)
    side.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    side.close()
    apply_page(store, page, online=True)
    return store.path.with_name(store.path.name + "-wal").stat().st_size // (4096 + 24)


def test_rows_changed_at_the_hub_read_back_as_sent_and_are_found_by_their_indexes(tmp_path):
    """A stored row changed by the feed is written column by column (sync/apply.py):
    the indexed columns only where they changed; every column reads back as sent, and
    the indexes find the new values, not the old ones."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    people, accs = [person(i) for i in range(1, 5)], [accreditation(i) for i in range(1, 5)]
    apply_page(store, rows_page(0, events=[SUMMIT], people=people, accreditations=accs), True)
    people[1] = person(2, email="new@example.org", surname="Moe")  # unique index, not
    accs[0] = accreditation(1, status="revoked", status_reason="office")  # no index
    accs[1] = accreditation(2, person_id=3, doc_number_digest="d" * 64)  # indexed
    accs[2] = accreditation(3, event_id=None, doc_surname="X")
    apply_page(store, rows_page(9, people=people, accreditations=accs), True)
    with store.reading() as s:
        for table, sent in ((k.PersonRow, people), (k.AccreditationRow, accs)):
            for row in sent:
                held = s.get(table, row["id"])
                assert {c: getattr(held, c) for c in row if c != "photo"} == {
                    c: v for c, v in row.items() if c != "photo"
                }
        db = s.connection().connection.driver_connection

        def found(index: str, column: str, value: object) -> list[int]:
            sql = f"SELECT id FROM {index[0]} INDEXED BY {index[1]} WHERE {column} = ?"
            return [i for (i,) in db.execute(sql, (value,))]

        digests = ("accreditations", "ix_accreditations_doc_number_digest")
        assert found(digests, "doc_number_digest", "d" * 64) == [2]
        assert found(digests, "doc_number_digest", accreditation(2)["doc_number_digest"]) == []
        assert found(digests, "doc_number_digest", accreditation(1)["doc_number_digest"]) == [1]
        holders = ("accreditations", "ix_accreditations_person_id")
        assert (found(holders, "person_id", 3), found(holders, "person_id", 2)) == ([2, 3], [])
        assert found(("accreditations", "ix_accreditations_event_id"), "event_id", "summit") == [
            1,
            2,
            4,
        ]
        emails = ("people", "sqlite_autoindex_people_1")
        assert found(emails, "email", "new@example.org") == [2]
        assert found(emails, "email", "ann2@example.org") == []
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_status_change_from_the_hub_leaves_unchanged_index_entries_alone(tmp_path):
    """What made a round of 100 changes slow: every indexed column set anew rewrote its
    index entries (93 pages written instead of 8 for 100 revocations in a 10,000 store)."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    n = 3000
    people, accs = [person(i) for i in range(1, n + 1)], [accreditation(i) for i in range(1, n + 1)]
    apply_page(store, rows_page(0, events=[SUMMIT], people=people, accreditations=accs), True)
    revoked = [accreditation(i, status="revoked") for i in range(1, 101)]
    status_only = wal_frames(store, rows_page(2 * n + 1, accreditations=revoked))
    with store.reading() as s:
        assert s.get(k.AccreditationRow, 100).status == "revoked"
    moved = [accreditation(i, doc_number_digest=f"{i:064x}") for i in range(1, 101)]  # + status
    digests_too = wal_frames(store, rows_page(2 * n + 101, accreditations=moved))
    assert status_only * 2 < digests_too, (status_only, digests_too)  # 7 and 73 (main: 68, 72)
    with store.reading() as s:
        assert s.get(k.AccreditationRow, 100).doc_number_digest == f"{100:064x}"


def test_a_bad_row_among_good_ones_is_refused_with_its_own_reason(tmp_path, caplog):
    """Through a page: the column checks fail, each row is asked, the bad one is left out
    with the reason the row check gives, the rest applies."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    people = [person(i) for i in (1, 2, 3)]
    accs = [accreditation(1), accreditation(2, status="gone"), accreditation(3)]
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        applied = apply_page(
            store, rows_page(0, events=[SUMMIT], people=people, accreditations=accs), True
        )
    assert applied.refused == 1
    assert "feed row refused: accreditations 2: unknown status 'gone'" in caplog.text
    with store.reading() as s:
        assert [s.get(k.AccreditationRow, i) is not None for i in (1, 2, 3)] == [
            True,
            False,
            True,
        ]


def test_an_event_in_a_colour_no_badge_can_be_printed_in_is_refused(tmp_path, caplog):
    """A hub took '#zzzzzz' at import: every counter then failed to print the event's
    badges ("the template cannot lay this badge out")."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    events = [SUMMIT | {"id": "odd", "colour": "#zzzzzz"}, SUMMIT | {"colour": "#C62828"}]
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        applied = apply_page(store, rows_page(0, events=events), True)
    assert applied.refused == 1
    assert "feed row refused: events 'odd': colour '#zzzzzz' is not a colour" in caplog.text
    with store.reading() as s:
        assert s.get(k.EventRow, "odd") is None and s.get(k.EventRow, "summit") is not None


def test_control_characters_in_a_signed_page_s_text_are_replaced_not_stored(tmp_path, caplog):
    """The hub refuses them, but a hub gone wrong (or holding rows from before its rule)
    signed a surname with an escape sequence for the terminal of any listing, a direction
    override that makes a name read other than it is, and a NUL: each was stored as
    sent. They are replaced as the kiosk's own journal replaces them (U+FFFD); the row
    is kept (its applicant is still served), the rest of the page is as sent."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    people = [person(1, surname="ROE\x1b[31mVALID\x1b[0m"), person(2, given_names="\u202eNNA")]
    accs = [accreditation(1, status_reason="checked\x00"), accreditation(2)]
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        applied = apply_page(
            store, rows_page(0, events=[SUMMIT], people=people, accreditations=accs), True
        )
    assert (applied.entities, applied.refused) == (5, 0)
    assert "control characters replaced: people 1: surname" in caplog.text
    with store.reading() as s:
        assert s.get(k.PersonRow, 1).surname == "ROE\ufffd[31mVALID\ufffd[0m"
        assert s.get(k.PersonRow, 2).given_names == "\ufffdNNA"
        assert s.get(k.AccreditationRow, 1).status_reason == "checked\ufffd"
        assert s.get(k.PersonRow, 2).surname == "Roe2"


def test_an_email_a_stored_person_gives_up_is_free_for_a_new_one_on_the_same_page(tmp_path):
    """Stored rows are written before new ones: a new person may take the address a
    stored one leaves on the same page, whatever their order on it."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    apply_page(
        store, rows_page(0, events=[SUMMIT], people=[person(1, email="x@example.org")]), True
    )
    moved = [person(2, email="x@example.org"), person(1, email="z@example.org")]
    apply_page(store, rows_page(2, people=moved), True)
    with store.reading() as s:
        assert [s.get(k.PersonRow, i).email for i in (1, 2)] == ["z@example.org", "x@example.org"]


def digest_index(store: Store) -> bool:
    """Whether the store holds the index of accreditations by document digest."""
    with store.reading() as s:
        return bool(
            s.connection()
            .exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'ix_accreditations_doc_number_digest'"
            )
            .first()
        )


def held_by_digest(store: Store, i: int) -> list[int]:
    """What a search by document number finds for accreditation `i`'s digest."""
    digest = accreditation(i)["doc_number_digest"]
    with store.reading() as s:
        where = k.AccreditationRow.doc_number_digest == digest
        return list(s.scalars(select(k.AccreditationRow.id).where(where)))


def test_a_first_sync_builds_the_document_index_once_at_its_end(tmp_path):
    """Kept up row by row, the index of document digests cost a first sync of 100,000
    more than its photos (kiosk/store/bulk_load.py): the first page drops it, the page
    that says no more follow builds it; searches find the same rows meanwhile."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    first = rows_page(0, events=[SUMMIT], people=[person(1)], accreditations=[accreditation(1)])
    apply_page(store, replace(first, more=True), True)
    assert not digest_index(store) and held_by_digest(store, 1) == [1]
    last = rows_page(first.cursor_to, people=[person(2)], accreditations=[accreditation(2)])
    apply_page(store, last, True)
    assert digest_index(store)
    assert (held_by_digest(store, 1), held_by_digest(store, 2)) == ([1], [2])
    with store.reading() as s:
        db = s.connection().connection.driver_connection
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # a kiosk far behind later on keeps its index: only a first sync goes without
    behind = rows_page(last.cursor_to, people=[person(3)], accreditations=[accreditation(3)])
    apply_page(store, replace(behind, more=True), True)
    assert digest_index(store) and held_by_digest(store, 3) == [3]


def test_a_store_opened_after_a_first_sync_stopped_half_way_has_its_index(tmp_path):
    path = tmp_path / "G1" / "kiosk.sqlite3"
    store = Store(path)
    enrol(store, GOOD_ENROLMENT)
    first = rows_page(0, events=[SUMMIT], people=[person(1)], accreditations=[accreditation(1)])
    apply_page(store, replace(first, more=True), True)
    assert not digest_index(store)
    store.close()
    again = Store(path)
    assert digest_index(again) and held_by_digest(again, 1) == [1]
    again.close()


# Values a signed page carried that SQLite could not bind or hold: each ended the page's
# transaction with SQLite's error (the sync stuck on that page) before sync/feed_forms.py.
UNFIT = {
    ("accreditations", "doc_number_digest"): ["d" * 64],
    ("accreditations", "status_reason"): None,
    ("accreditations", "year"): 2**63,
    ("accreditations", "pool"): 1.5,
    ("accreditations", "doc_expiry"): "2030-01-01",
    ("people", "organisation"): 2**64,
    ("people", "email"): None,
}


@pytest.mark.parametrize(("kind", "field"), sorted(UNFIT))
def test_a_stored_row_changed_to_a_value_its_column_cannot_hold_is_refused_alone(
    tmp_path, kind, field
):
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    people, accs = [person(1), person(2)], [accreditation(1), accreditation(2)]
    first = rows_page(0, events=[SUMMIT], people=people, accreditations=accs)
    apply_page(store, first, True)
    sent = {"people": [person(1), person(2, surname="Moe")], "accreditations": []}
    sent["accreditations"] = [accreditation(1), accreditation(2, status="revoked")]
    sent[kind][0] = sent[kind][0] | {field: UNFIT[kind, field]}
    applied = apply_page(store, rows_page(first.cursor_to, **sent), True)
    assert applied.refused == 1
    with store.reading() as s:
        held = s.get(k.AccreditationRow if kind == "accreditations" else k.PersonRow, 1)
        assert getattr(held, field) == (accs[0] if kind == "accreditations" else people[0])[field]
        assert s.get(k.PersonRow, 2).surname == "Moe"
        assert s.get(k.AccreditationRow, 2).status == "revoked"


def test_a_page_whose_rows_contradict_each_other_is_refused_whole(tmp_path):
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, GOOD_ENROLMENT)
    twins = [person(1), person(2, email=person(1)["email"])]  # one e-mail, two people
    with pytest.raises(ProtocolError, match="rows contradict each other or the store"):
        apply_page(store, rows_page(0, events=[SUMMIT], people=twins), True)
    with store.reading() as s:
        assert s.get(k.PersonRow, 1) is None and s.get(k.EventRow, "summit") is None
        assert require_state(store).cursor == 0


def test_upserts_are_compiled_once_for_every_store_and_the_kept_ones_are_bounded(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(apply, "_UPSERTS", {})  # none kept by the tests before
    first, second = Store.in_dir(tmp_path / "a"), Store.in_dir(tmp_path / "b")
    try:
        events, letters = k.EventRow.__table__, k.LetterRow.__table__
        every = {t: tuple(c.name for c in t.columns) for t in (events, letters)}
        on_first = apply._upsert_for(events, every[events], first.engine.dialect)
        assert apply._upsert_for(events, every[events], second.engine.dialect) is on_first
        monkeypatch.setattr(apply, "_UPSERTS_KEPT", 1)
        apply._upsert_for(letters, every[letters], second.engine.dialect)
        assert len(apply._UPSERTS) == 1
    finally:
        first.close()
        second.close()
