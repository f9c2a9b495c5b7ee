"""On SQLite the feed runs its statements on the bare `sqlite3` connection (hub/feed.py):
every row it reads there is the row SQLAlchemy reads, value for value and type for type
(booleans, JSON, times of day), for every kind and role."""

from __future__ import annotations

from sqlalchemy import Select

from hub import feed
from hub.clients import Role
from hub.staff import add_account
from kiosk.roles import Role as StaffRole
from tests.hub.test_hub_feed_wire import NOW, a_hub_of_every_kind


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
        staff = feed._rows(conn, feed._range_query(Role.SECURITY, "staff"), params)
    assert read > 100
    assert [row[0] for row in staff] == ["Sam"]  # a post is sent no counter's PIN hash
