"""On SQLite the feed runs its statements on the bare `sqlite3` connection (hub/feed.py):
every row it reads there is the row SQLAlchemy reads, value for value and type for type
(booleans, JSON, times of day), for every kind and role; and rows go on the wire as
`sync.protocol.encode` writes them one by one."""

from __future__ import annotations

from sqlalchemy import Select, select

from hub import feed
from hub import schema as h
from hub.clients import Role
from hub.feed_rows import wire_rows
from hub.staff import add_account
from kiosk.roles import Role as StaffRole
from sync.protocol import BYTES, Blobs, encode
from tests.hub.test_hub_feed_wire import NOW, a_hub_of_every_kind

ODD_TEXTS = ('q"uote\\back\x00nul\x1f\x7f', "\u2028\u2029 é 😀 \ud7ff\ue000", "[1, 2]")


def typed(rows) -> list[list[tuple[type, object]]]:
    return [[(type(value), value) for value in row] for row in rows]


def same_rows(conn, stmt: Select, params: dict) -> int:
    """How many rows `stmt` gave, after checking both ways of reading them agree."""
    bare = feed._rows(conn, stmt, params)
    assert typed(bare) == typed(conn.execute(stmt, params).fetchall())
    return len(bare)


def test_the_bare_connection_reads_what_sqlalchemy_reads(sqlite_hub_db, export_and_entries):
    db = sqlite_hub_db
    a_hub_of_every_kind(db, export_and_entries[0])
    for name, role in (("Sam", StaffRole.SECURITY), ("Cleo", StaffRole.CLERK)):
        add_account(db, name, role, "482913", "office", NOW)
    with db.writing() as s:  # texts JSON must escape, read back as they are
        for n, acc in enumerate(s.scalars(select(h.AccreditationRow).limit(3))):
            acc.status_reason = ODD_TEXTS[n]
        for n, event in enumerate(s.scalars(select(h.EventRow).limit(2))):
            event.name = ODD_TEXTS[2 - n]
    read = 0
    with db.snapshot() as conn:
        read += same_rows(conn, feed._HEAD_AND_RECEIVED, {"kiosk": "W1"})
        for role in feed.ROLE_KINDS:
            for cursor, limit in ((0, 5000), (0, 3), (40, 7)):
                params = {"cursor": cursor, "limit": limit}
                read += same_rows(conn, feed._first_changes(role), params)
            for kind in feed.ROLE_KINDS[role]:
                params = {"cursor": 0, "cut": 10**9}
                read += same_rows(conn, feed._range_query(role, kind), params)
                bare = feed._in_range(conn, role, kind, 0, 10**9)  # as JSON when it can be
                assert typed(bare) == typed(conn.execute(feed._range_query(role, kind), params))
        staff = feed._rows(conn, feed._range_query(Role.SECURITY, "staff"), params)
    assert read > 100
    assert [row[0] for row in staff] == ["Sam"]  # a post is sent no counter's PIN hash


def test_bytes_fields_are_kept_row_after_row_as_encode_keeps_them():
    fields = {"key_id": None, "public_key": BYTES, "starts_at": None, "handover": BYTES}
    rows = [(1, b"k1", 0, b""), (2, None, 5, b"h2"), (3, b"k3", 9, None), (4, b"k4", 12, b"h4")]
    by_rows, one_by_one = Blobs(), Blobs()
    wire = wire_rows(fields, rows, by_rows, True)
    assert wire == [encode(fields, dict(zip(fields, row, strict=True)), one_by_one) for row in rows]
    assert (by_rows.parts, by_rows.size) == (one_by_one.parts, one_by_one.size)


def every_change(conn, role: Role, cursor: int) -> list[tuple[int, str]]:
    """(seq, kind) of every row the role is sent changed after `cursor`, in order."""
    changes = []
    for i, kind in enumerate(feed.ROLE_KINDS[role]):
        seq = feed.TABLES[kind].seq
        q = feed._filtered(select(seq).where(seq > cursor), role, kind)
        changes += [(n, i) for n in conn.scalars(q)]
    return [(n, feed.ROLE_KINDS[role][i]) for n, i in sorted(changes)]


def test_a_pages_changes_are_the_first_the_role_is_sent(hub_db, export_and_entries):
    a_hub_of_every_kind(hub_db, export_and_entries[0])
    with hub_db.snapshot() as conn:
        for role in feed.ROLE_KINDS:
            whole = every_change(conn, role, 0)
            assert len({kind for _, kind in whole}) > 3
            for cursor in (0, whole[3][0], whole[-2][0], whole[-1][0]):
                for limit in (1, 2, 7, 40, 5000):
                    expected = every_change(conn, role, cursor)[: limit + 1]
                    assert feed._changed(conn, role, cursor, limit) == expected
