"""Every key change an operator makes at the hub's command line is in the hub's journal,
under the name given (`keys rotate confirmation`, `keys retire`, `keys approve` said so in
their help and journalled nothing: exploratory testing, session 15)."""

from __future__ import annotations

import io
import json

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


def test_enrolment_trust_list_import_and_account_changes_are_journalled(
    sqlite_hub_db, export_and_entries, tmp_path, monkeypatch, capsys
):
    """`enrol`, `enrol --renew`, `chip-trust import|remove`, `import`, `web-user add` and
    `staff` changed the hub and wrote nothing in its journal (or "operator" for every
    console account): exploratory testing."""
    from tests.hub.test_hub_chip_trust import _ca

    db = sqlite_hub_db
    url = ["--db", db.url]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_and_entries[0]))
    pem = _ca(tmp_path, "Utopia CSCA")
    before = len(_hub_journal(db))
    out = tmp_path / "G1.json"
    assert main(["import", str(export), "--operator", "Ana", *url]) == 0
    assert (
        main(["enrol", "G1", "--role", "counter", "--out", str(out), "--operator", "Ben", *url])
        == 0
    )
    out.unlink()
    assert main(["enrol", "G1", "--role", "counter", "--renew", "--out", str(out), *url]) == 0
    assert main(["chip-trust", "import", str(pem), "--operator", "Cy", *url]) == 0
    with db.reading() as s:
        fingerprint = s.scalars(select(h.CscaRow.fingerprint)).one()
    assert main(["chip-trust", "remove", fingerprint[:12], "--operator", "Di", *url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["web-user", "add", "anna", "--role", "office", "--operator", "Ed", *url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    assert main(["staff", "add", "Fay", "--role", "clerk", "--by", "Gus", *url]) == 0
    done = _hub_journal(db)[before:]
    assert [(actor, action) for actor, action, _ in done] == [
        ("Ana", "import"),
        ("Ben", "client_enrol"),
        ("office", "client_renew"),
        ("Cy", "csca_import"),
        ("Di", "csca_remove"),
        ("Ed", "web_user_set"),
        ("Gus", "staff_add"),
    ]
    people = len(export_and_entries[0]["people"])
    assert done[0][2]["source"] == "import export.json"
    assert done[0][2]["added"]["people"] == people
    assert done[1][2] == {"client": "G1", "role": "counter", "first_key_trusted": True}
    assert done[3][2]["added"] == [{"fingerprint": fingerprint, "country": "UT"}]
    assert done[4][2]["fingerprint"] == fingerprint
    assert done[6][2] == {"name": "Fay", "role": "clerk"}
    assert json.loads(out.read_text())["token"] not in str(done)  # in the file alone
    assert main(["audit", "verify", *url]) == 0  # the hub's chain holds
    capsys.readouterr()
