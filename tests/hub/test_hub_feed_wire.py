"""A feed page, byte for byte, is what `sync.protocol.encode` writes for its rows as
SQLAlchemy reads them (typed), on SQLite and PostgreSQL, to a counter and a security
post: the feed reads dates and datetimes untyped (hub/feed_rows.py)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time

from sqlalchemy import select, text, update

from hub import schema as h
from hub.clients import Client, Role
from hub.database import HubDatabase, allocate
from hub.feed import TABLES, build_page
from hub.feed_keys import rotate
from hub.importer import import_data
from hub.site_hours import add_hours, close_day
from kiosk.hours import Span
from kiosk.model import Counter
from sync.protocol import FIELDS, KINDS, Blobs, encode, page_body, split_page

NOW = datetime(2026, 2, 14, 9, 30, tzinfo=UTC)
WHOLE = datetime(2026, 2, 14, 8, 15, tzinfo=UTC)  # isoformat leaves out its fraction
FRACTION = datetime(2026, 2, 14, 8, 15, 7, 120, tzinfo=UTC)
# How the test finds a page's row at the hub (others by `id`).
WIRE_KEYS = {
    "badges": ("serial",),
    "badge_events": ("kiosk_id", "journal_id"),
    "reinstatements": ("serial", "cancels"),
    "keys": ("key_id",),
    "csca": ("fingerprint",),
    "staff": ("name",),
    "feed_keys": ("key_id",),
}
# What a security post is told instead (docs/personal-data.md).
REDACTED = {
    "accreditations": dict.fromkeys(
        ("doc_kind", "doc_number_digest", "doc_number_tail", "doc_state", "doc_surname"), ""
    )
    | {"doc_given_names": "", "doc_birth_date": "1900-01-01", "doc_expiry": "1900-01-01"}
    | {"press_card": None, "letter_id": None},
    "people": {"date_of_birth": "1900-01-01"},
    "badge_events": {"note": ""},
}


def typed(s, kind: str, wire: dict) -> dict:
    """The page's row of `kind` at the hub, its values as SQLAlchemy reads them."""
    table = TABLES[kind]
    found = select(table).where(
        *(getattr(table, k) == wire[k] for k in WIRE_KEYS.get(kind, ("id",)))
    )
    row = s.execute(found).scalar_one()
    return {name: getattr(row, name) for name in FIELDS[kind]}


def expected(db: HubDatabase, body: bytes, role: Role) -> bytes:
    """The page `body` written again from the typed values of the rows it carries."""
    header, _ = split_page(body)
    blobs, entities = Blobs(), {}
    with db.reading() as s:
        for kind in KINDS:
            entities[kind] = [encode(FIELDS[kind], typed(s, kind, w), blobs) for w in header[kind]]
            if role is Role.SECURITY:
                for row in entities[kind]:
                    row.update(REDACTED.get(kind, {}))
                    if kind == "people":
                        row["email"] = f"person-{row['id']}@redacted.invalid"
    fields = ("hub", "kiosk", "nonce", "cursor_from", "cursor_to", "head", "more")
    return page_body(
        **{name: header[name] for name in fields},
        at=NOW,
        received_up_to=header["received_up_to"],
        entities=entities,
        blobs=blobs,
    )


def every_page(db: HubDatabase, role: Role, limit: int) -> list[bytes]:
    client, cursor, pages = Client("W1", role), 0, []
    while True:
        pages.append(build_page(db, client, cursor, limit, f"n{len(pages)}", NOW))
        header, _ = split_page(pages[-1])
        if not header["more"]:
            return pages
        cursor = header["cursor_to"]


def a_hub_of_every_kind(db: HubDatabase, export: dict) -> None:
    """The demo world, and a row of each kind a page carries, with moments whole and not,
    a purged person without a photo, a feed key handed over twice (two bytes fields)."""
    import_data(db, copy.deepcopy(export), "demo.json", NOW)
    first, second = (a["id"] for a in export["accreditations"][:2])
    with db.writing() as s:
        for acc_id, moment in ((first, WHOLE), (second, FRACTION)):
            changed = update(h.AccreditationRow).where(h.AccreditationRow.id == acc_id)
            s.execute(changed.values(status_changed_at=moment, seq=allocate(s)))
        person = s.get(h.PersonRow, export["people"][-1]["id"])
        person.photo, person.purged_at, person.seq = None, FRACTION, allocate(s)
        s.add(
            h.BadgeRow(
                serial="G1-000001", accreditation_id=first, counter="groups", kiosk_id="G1",
                clerk="anna", supervisor=None, reason="", issued_at=FRACTION,
                valid_from=date(2026, 2, 13), valid_until=date(2026, 2, 15), status="issued",
                superseded_by=None, seq=allocate(s),
            )
        )  # fmt: skip
        s.add(
            h.BadgeEventRow(
                kiosk_id="G1", journal_id=7, serial="G1-000001", accreditation_id=first,
                event="lost", at=WHOLE, actor="anna", note="left on a train", seq=allocate(s),
            )
        )  # fmt: skip
        s.add(
            h.PublicKeyRow(
                key_id=900, purpose="badge", public_key=b"k" * 32, owner="G1",
                created_at=WHOLE, approved_at=WHOLE, seq=allocate(s),
            )
        )  # fmt: skip
        s.add(
            h.CscaRow(
                fingerprint="ab" * 32, der=b"0\x82der", subject="CN=CSCA", country="BE",
                not_after=FRACTION, added_at=WHOLE, removed_at=FRACTION, seq=allocate(s),
            )
        )  # fmt: skip
    rotate(db, WHOLE, "chief")
    rotate(db, FRACTION, "chief")
    day = date(2026, 2, 14)
    add_hours(db, Span(Counter.GROUPS, time(8), time(17, 30, 15), day=day), "chief", NOW)
    close_day(db, Counter.VISITORS, day, "strike", "chief", NOW)


def test_a_page_is_byte_for_byte_the_typed_rows_encoded(hub_db, export_and_entries):
    a_hub_of_every_kind(hub_db, export_and_entries[0])
    carried = set()
    for role, limit in ((Role.COUNTER, 40), (Role.COUNTER, 1000), (Role.SECURITY, 1000)):
        for body in every_page(hub_db, role, limit):
            assert body == expected(hub_db, body, role)
            header, _ = split_page(body)
            carried |= {kind for kind in KINDS if header[kind]}
    assert carried == set(KINDS) - {"reinstatements", "conflicts", "staff", "pool_moments"}


def test_moments_and_days_stored_in_another_form_are_sent_as_sqlalchemy_reads_them(
    sqlite_hub_db, export_and_entries
):
    db, export = sqlite_hub_db, export_and_entries[0]
    import_data(db, copy.deepcopy(export), "demo.json", NOW)
    acc_id = export["accreditations"][0]["id"]
    with db.writing() as s:  # as another program might have written them
        s.execute(
            text(
                "UPDATE accreditations SET status_changed_at = '2026-02-14 08:15:07', "
                "doc_expiry = '2027W057', seq = :seq WHERE id = :id"
            ),
            {"seq": allocate(s), "id": acc_id},
        )
    [body] = every_page(db, Role.COUNTER, 1000)
    assert body == expected(db, body, Role.COUNTER)
    header, _ = split_page(body)
    [acc] = [a for a in header["accreditations"] if a["id"] == acc_id]
    assert (acc["status_changed_at"], acc["doc_expiry"]) == (
        "2026-02-14T08:15:07+00:00",
        "2027-02-07",
    )
