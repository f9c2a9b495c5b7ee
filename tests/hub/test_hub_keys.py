"""Key rotation and retirement: the hub's `keys` commands, and what kiosks trust after sync."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from app.demo.build import reading_of
from hub.cli import main
from hub.clients import Role, enrol, list_clients
from hub.database import HubDatabase, HubDatabaseError, head, utc_now
from hub.keys import (
    KeyChangeRefused,
    confirmation_signer,
    ensure_keys,
    list_keys,
    retire,
    rotate_confirmation,
)
from hub.schema import PublicKeyRow
from kiosk import roles
from kiosk.codes import Keyring, read_confirmation
from kiosk.model import Counter, Verdict
from kiosk.store.schema import KeyRow


def _code_refused(decision) -> bool:
    """The counter refused the code itself (not genuine, or its key is not trusted)."""
    return decision.verdict is Verdict.REFUSE and decision.failures[0].name == "code"


def _trusted(station) -> set[int]:
    with station.store.reading() as s:
        return set(s.scalars(select(KeyRow.key_id).where(KeyRow.purpose == "confirmation")))


def test_codes_signed_before_and_after_a_rotation_both_work_until_the_old_key_retires(
    sqlite_site,
):
    site = sqlite_site
    g1 = site.kiosk("G1")
    old_entry, new_entry = site.entry("approved_ministerial"), site.entry("editor_letter")
    old_code = site.code(old_entry.accreditation.id)  # sent before the rotation
    assert rotate_confirmation(site.db, utc_now()) == 2
    new_code = site.code(new_entry.accreditation.id)
    signer = confirmation_signer(site.db)
    assert read_confirmation(new_code, Keyring({2: signer.public_bytes()})) == (
        new_entry.accreditation.id
    )
    desk = g1.kiosk.desk

    def check(code, entry):
        return desk.evaluate(code, reading_of(entry.presented))

    assert _code_refused(check(new_code, new_entry))  # the new key has not come yet
    g1.client.sync_once()  # no restart, no keyring handed to the desk: it rereads the store
    assert _trusted(g1) == {1, 2}
    assert not _code_refused(check(old_code, old_entry))
    assert not _code_refused(check(new_code, new_entry))

    retire(site.db, 1, utc_now())
    assert not _code_refused(check(old_code, old_entry))  # until this counter syncs
    g1.client.sync_once()
    assert _trusted(g1) == {2}
    assert _code_refused(check(old_code, old_entry))
    assert not _code_refused(check(new_code, new_entry))
    clerk = roles.Actor("clerk", roles.Role.CLERK)
    assert desk.issue(new_code, reading_of(new_entry.presented), clerk).badge.serial
    late = site.kiosk("G2")  # a kiosk enrolled after the retirement never trusts key 1
    assert _trusted(late) == {2}


def test_the_key_that_signs_now_cannot_be_retired_and_nothing_changes(sqlite_hub_db):
    db = sqlite_hub_db
    ensure_keys(db)
    before = list_keys(db)
    with db.reading() as s:
        seq = head(s)
    with pytest.raises(KeyChangeRefused, match="rotate confirmation"):
        retire(db, 1, utc_now())
    with pytest.raises(KeyChangeRefused, match="no key 9"):
        retire(db, 9, utc_now())
    assert list_keys(db) == before
    with db.reading() as s:
        assert head(s) == seq
    assert confirmation_signer(db).key_id == 1


def test_rotation_skips_ids_taken_by_badge_keys_and_never_reuses_one(sqlite_hub_db):
    db = sqlite_hub_db
    ensure_keys(db)
    with db.writing() as s:
        s.add(PublicKeyRow(key_id=2, purpose="badge", public_key=b"k" * 32, owner="G1", seq=0))
    assert rotate_confirmation(db, utc_now()) == 3
    retire(db, 1, utc_now())
    with pytest.raises(KeyChangeRefused, match="retired already"):
        retire(db, 1, utc_now())
    assert rotate_confirmation(db, utc_now()) == 4
    signing = [(k.key_id, k.retired_at is not None, k.signing) for k in list_keys(db)]
    assert signing == [(1, True, False), (2, False, False), (3, False, False), (4, False, True)]


def test_retiring_a_stolen_counters_key_voids_exactly_its_badges_at_a_security_post(
    sqlite_site, demo_now, qapp
):
    from kiosk.post_journal import PostJournal
    from kiosk.roles import Actor
    from kiosk.roles import Role as StaffRole
    from kiosk.verify import SecurityPost
    from ui.security_window import SecurityPresenter

    site = sqlite_site
    stolen = site.kiosk("G1", badge_key_id=70)
    other = site.kiosk("V1", counter=Counter.VISITORS, badge_key_id=71)
    sec = site.kiosk("SEC1", Role.SECURITY)
    codes = {}
    for station, situation in ((stolen, "approved_ministerial"), (other, "approved_annual")):
        serial = station.issue(site.entry(situation)).badge.serial
        codes[station.kiosk.desk.kiosk_id] = station.kiosk.desk.cards.card(serial).badge_code
        station.sync()
    sec.sync()
    journal = PostJournal(sec.store, "SEC1", lambda: demo_now, None)
    guard = Actor("gus", StaffRole.SECURITY)
    post = SecurityPresenter(SecurityPost(sec.store, lambda: demo_now), journal, guard)

    def reason(kiosk_id):
        post.scan(codes[kiosk_id])
        return post.result.reason

    assert (reason("G1"), reason("V1")) == ("ok", "ok")
    retire(site.db, 70, utc_now())
    sec.client.sync_once()
    assert (reason("G1"), reason("V1")) == ("forged", "ok")
    post.scan(codes["G1"])
    assert "no longer trusted" in post.result.reason_en
    assert "ne se fie plus" in post.result.reason_fr


def test_the_keys_commands_print_what_they_did(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    assert main(["keys", "list", "--db", url]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["id", "purpose", "owner", "state", "created", "retired", "signs"]
    assert listing[1].split()[:4] == ["1", "confirmation", "office", "trusted"]
    assert listing[1].endswith("yes")
    assert main(["keys", "retire", "1", "--db", url]) == 1
    assert "signs confirmation codes now" in capsys.readouterr().err
    assert main(["keys", "rotate", "confirmation", "--db", url]) == 0
    assert "signed with key 2 from now on" in capsys.readouterr().out
    assert main(["keys", "retire", "1", "--db", url]) == 0
    assert "key 1 (confirmation, office) retired" in capsys.readouterr().out
    assert main(["keys", "list", "--db", url]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert [(r[0], r[1], r[-1]) for r in rows] == [
        ("1", "confirmation", rows[0][-1]),
        ("2", "confirmation", "yes"),
        ("0", "feed", "yes"),  # the feed key is listed after the public keys
    ]
    assert rows[0][-1] != "-" and len(rows[0]) == 8  # key 1: created and retired times
    assert rows[0][3] == "retired"


V4_COLUMNS = (
    "ALTER TABLE public_keys DROP COLUMN approved_at",
    "ALTER TABLE clients DROP COLUMN revoked_at",
    "ALTER TABLE clients DROP COLUMN revoked_reason",
    "ALTER TABLE clients DROP COLUMN keys_preapproved",
)


def test_a_version_3_database_is_upgraded_and_its_keys_stay_trusted(tmp_path):
    path = tmp_path / "hub.sqlite3"
    db = HubDatabase(f"sqlite:///{path}")
    ensure_keys(db)
    enrol(db, "G1", Role.COUNTER)
    db.close()
    with sqlite3.connect(path) as con:  # as a version 3 hub left it
        for statement in V4_COLUMNS:
            con.execute(statement)
        con.execute("UPDATE hub_meta SET value = '3' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    [key] = list_keys(db)
    assert (key.state, key.approved_at) == ("trusted", key.created_at)
    assert [(c.id, c.revoked_at) for c in list_clients(db)] == [("G1", None)]
    db.close()


def test_a_version_2_database_is_upgraded_and_older_ones_refused(tmp_path):
    path = tmp_path / "hub.sqlite3"
    db = HubDatabase(f"sqlite:///{path}")
    ensure_keys(db)
    db.close()
    with sqlite3.connect(path) as con:  # as a version 2 hub left it
        con.execute("ALTER TABLE public_keys DROP COLUMN created_at")
        con.execute("ALTER TABLE public_keys DROP COLUMN retired_at")
        for statement in V4_COLUMNS:
            con.execute(statement)
        con.execute("UPDATE hub_meta SET value = '2' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    assert [(k.key_id, k.created_at, k.retired_at) for k in list_keys(db)] == [(1, None, None)]
    assert list_keys(db)[0].state == "trusted"
    assert rotate_confirmation(db, utc_now()) == 2
    db.close()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE hub_meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(HubDatabaseError, match=r"schema version 1\b.*make a new database"):
        HubDatabase(f"sqlite:///{path}")
