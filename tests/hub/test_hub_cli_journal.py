"""Every key change an operator makes at the hub's command line is in the hub's journal,
under the name given (`keys rotate confirmation`, `keys retire`, `keys approve` said so in
their help and journalled nothing: exploratory testing, session 15)."""

from __future__ import annotations

from sqlalchemy import select

from app.hub_cli import main
from hub import schema as h
from hub.clients import Role, enrol
from hub.database import allocate, utc_now
from hub.keys import ensure_keys
from tests.site_fixtures import fill


def _hub_journal(db) -> list[tuple[str, str, dict]]:
    with db.reading() as s:
        rows = s.scalars(
            select(h.JournalRow)
            .where(h.JournalRow.kiosk_id == "hub")
            .order_by(h.JournalRow.journal_id)
        )
        return [(r.actor, r.action, r.details) for r in rows]


def test_key_changes_are_journalled_as_the_operators(sqlite_hub_db, export_and_entries, capsys):
    db = sqlite_hub_db
    fill(db, export_and_entries[0])
    ensure_keys(db)
    enrol(db, "G1", Role.COUNTER, trust_first_key=False)
    with db.writing() as s:  # a badge key G1 reported, waiting for the office
        pending = h.PublicKeyRow(key_id=77, purpose="badge", public_key=b"k" * 32, owner="G1")
        pending.created_at, pending.seq = utc_now(), allocate(s)
        s.add(pending)
    before = len(_hub_journal(db))
    url = ["--db", db.url]
    assert main(["keys", "rotate", "confirmation", "--operator", "Ana", *url]) == 0
    assert main(["keys", "approve", "77", "--operator", "Ben", *url]) == 0
    assert main(["keys", "retire", "77", "--operator", "Cy", *url]) == 0
    done = _hub_journal(db)[before:]
    assert [(actor, action) for actor, action, _ in done] == [
        ("Ana", "key_rotate"),
        ("Ben", "key_approve"),
        ("Cy", "key_retire"),
    ]
    assert done[1][2] == {"key_id": 77, "purpose": "badge", "owner": "G1"}
    assert main(["audit", "verify", *url]) == 0  # the hub's chain holds
