"""Journal deliveries: exactly once, and the conflict rules (docs/sync-conflicts.md)."""

from __future__ import annotations

import base64
import copy
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hub import schema as h
from hub.clients import Client, Role
from hub.database import utc_now
from hub.importer import import_data
from hub.receive import DeliveryRejected, receive
from hub.staff import add_account
from kiosk import roles
from kiosk.model import Verdict
from kiosk.store import schema as k
from sync.outbox import journal_head, pending
from sync.state import conflicts


def statuses(station) -> dict[str, str]:
    with station.store.reading() as s:
        return {b.serial: b.status for b in s.scalars(select(k.BadgeRow))}


def hub_conflicts(db) -> list[h.ConflictRow]:
    with db.reading() as s:
        return list(s.scalars(select(h.ConflictRow).order_by(h.ConflictRow.id)))


def test_two_counters_cut_off_from_each_other_issue_the_same_accreditation(site):
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    g2.kiosk.desk.clock = lambda: g1.kiosk.desk.clock() + timedelta(minutes=5)
    entry = site.entry("approved_ministerial")
    first = g1.issue(entry).badge.serial  # neither counter syncs in between
    later = g2.issue(entry).badge.serial
    g2.sync()  # the later one reaches the hub first: it stands until the earlier arrives
    g1.sync()
    g2.sync()
    assert statuses(g1)[first] == statuses(g2)[first] == "printing"
    assert statuses(g1)[later] == statuses(g2)[later] == "superseded"
    [conflict] = hub_conflicts(site.db)
    assert (conflict.kind, conflict.badge_serial, conflict.kiosk_id) == (
        "duplicate_issue",
        later,
        "G2",
    )
    assert first in conflict.message_en and later in conflict.message_fr
    # The clerk at G2 sees it; G1's clerk has nothing to act on.
    assert [c.badge_serial for c in conflicts(g2.store, "G2")] == [later]
    assert conflicts(g1.store, "G1") == []


def test_a_reprint_by_a_counter_that_knew_the_badge_is_no_conflict(sqlite_site):
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    entry = site.entry("approved_ministerial")
    lost = g1.issue(entry).badge.serial
    g1.sync()
    g2.sync()
    assert g2.check(entry).verdict is Verdict.SUPERVISOR
    reprint = g2.issue(entry, supervisor="Chief", reason="badge lost").badge.serial
    g2.sync()
    g1.sync()
    assert statuses(g1)[lost] == "superseded" and statuses(g1)[reprint] == "printing"
    assert hub_conflicts(site.db) == []


def test_a_revocation_arriving_after_an_offline_issuance_revokes_the_badge(site):
    g1 = site.kiosk("G1")
    entry = site.entry("approved_ministerial")
    site.revoke(entry.accreditation.id, "security concern")  # G1 is cut off: does not know
    assert g1.check(entry).verdict is Verdict.ISSUE
    serial = g1.issue(entry).badge.serial
    g1.sync()
    assert statuses(g1)[serial] == "revoked"
    [conflict] = hub_conflicts(site.db)
    assert (conflict.kind, conflict.badge_serial) == ("revoked_while_offline", serial)
    assert "revoked" in conflict.message_en and "révoqué" in conflict.message_fr
    assert [c.kind for c in conflicts(g1.store, "G1")] == ["revoked_while_offline"]
    assert g1.check(entry).verdict is Verdict.REFUSE


def test_an_accreditation_changed_at_the_office_while_a_counter_was_offline(
    site, export_and_entries
):
    g1 = site.kiosk("G1")
    moved, renamed = site.entry("approved_ministerial"), site.entry("pool_photographer")
    export = copy.deepcopy(export_and_entries[0])
    for acc in export["accreditations"]:
        if acc["id"] == moved.accreditation.id:
            acc["event_id"] = "FORMIN"  # moved to a meeting in two weeks
    for person in export["people"]:
        if person["id"] == renamed.person.id:
            person["organisation"] = "Agencia Foto Internacional"  # harmless change
    report = import_data(site.db, export, "correction.json", utc_now())
    assert report.changed == {"events": 0, "letters": 0, "people": 1, "accreditations": 1}
    stale = g1.issue(moved).badge.serial  # decided on what G1 last received
    fine = g1.issue(renamed).badge.serial
    g1.sync()
    [conflict] = hub_conflicts(site.db)
    assert (conflict.kind, conflict.badge_serial) == ("stale_approval", stale)
    assert conflict.details["failed"] == ["window"]
    assert "Too early" in conflict.message_en
    # The badge stands until the office decides; the counter now holds the office's data.
    assert statuses(g1)[stale] == statuses(g1)[fine] == "printing"
    with g1.store.reading() as s:
        assert s.get(k.AccreditationRow, moved.accreditation.id).event_id == "FORMIN"


def test_a_delivery_is_applied_once_and_a_replaced_store_is_refused(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    rows, head = pending(g1.store, 100), journal_head(g1.store)
    client = Client("G1", Role.COUNTER)
    first = receive(site.db, client, rows, utc_now(), head=head)
    again = receive(site.db, client, rows, utc_now(), head=head)
    assert (first.received, first.duplicates) == (len(rows), 0)
    assert (again.received, again.duplicates, again.up_to) == (0, len(rows), rows[-1]["id"])
    with site.db.reading() as s:
        held = s.scalars(select(h.JournalRow).where(h.JournalRow.kiosk_id == "G1"))
        assert len(list(held)) == len(rows)
    altered = [{**rows[0], "actor": "someone else"}]
    with pytest.raises(DeliveryRejected, match="store was replaced") as err:
        receive(site.db, client, altered, utc_now())
    assert err.value.status == 409
    with pytest.raises(DeliveryRejected, match="enrolled id"):
        receive(site.db, Client("G2", Role.COUNTER), rows, utc_now())


def test_a_badge_for_an_accreditation_the_office_does_not_hold_is_reported(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    rows = pending(g1.store, 100)
    for row in rows:
        if row["badge"]:
            row["badge"]["accreditation_id"] = 999_999
    head = journal_head(g1.store)
    receipt = receive(site.db, Client("G1", Role.COUNTER), rows, utc_now(), head=head)
    assert receipt.received == len(rows)  # the journal is kept whatever happens
    assert {c.kind for c in hub_conflicts(site.db)} == {"unknown_accreditation"}


def test_an_undone_handover_reaches_the_hub_and_the_other_counters(sqlite_site):
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    entry = site.entry("approved_ministerial")
    desk, clerk = g1.kiosk.desk, roles.Actor("clerk", roles.Role.CLERK)
    serial = g1.issue(entry).badge.serial
    desk.prints.print_done(desk.prints.print_sent(serial, "folder", "f.pdf", clerk).id, clerk)
    g1.sync()
    g2.sync()
    assert statuses(g2)[serial] == "active"

    chief = roles.Actor("Chief", roles.Role.SUPERVISOR)
    desk.undo_handover(serial, chief, "handed to the wrong person")
    g1.sync()
    g2.sync()
    assert statuses(g2)[serial] == "preprinted"
    with site.db.reading() as s:
        assert s.get(h.BadgeRow, serial).status == "preprinted"
        undo = s.scalars(select(h.JournalRow).where(h.JournalRow.action == "undo_handover")).one()
        assert (undo.actor, undo.details["reason"]) == ("Chief", "handed to the wrong person")

    assert g1.issue(entry).handed_over  # handed over again, to the right person
    g1.sync()
    g2.sync()
    assert statuses(g2)[serial] == "active" and hub_conflicts(site.db) == []


def test_sign_ins_reach_the_hub_with_the_journal(sqlite_site):
    g1 = sqlite_site.kiosk("G1")  # enrolled: its accounts come from the hub
    add_account(sqlite_site.db, "Ann", roles.Role.CLERK, "482913", "office", utc_now())
    g1.sync()
    g1.kiosk.staff.sign_out(g1.kiosk.staff.sign_in("Ann", "482913"))
    g1.sync()
    with sqlite_site.db.reading() as s:
        rows = s.execute(select(h.JournalRow.kiosk_id, h.JournalRow.actor, h.JournalRow.action))
        held = [tuple(r) for r in rows]
    assert held[-3:] == [
        ("G1", "hub", "staff_from_hub"),
        ("G1", "Ann", "sign_in"),
        ("G1", "Ann", "sign_out"),
    ]


def test_setting_changes_reach_the_hub_with_the_journal(sqlite_site):
    g1 = sqlite_site.kiosk("G1")
    admin = roles.Actor("ada", roles.Role.ADMINISTRATOR)
    odd = "/dev/video0\x00<b>"  # what an administrator typed, control character and all
    g1.kiosk.settings_journal.record(
        {"counter": ("groups", "visitors"), "camera": ("", odd)}, admin
    )
    g1.sync()
    assert conflicts(g1.store) == []
    with sqlite_site.db.reading() as s:
        row = s.scalars(select(h.JournalRow).where(h.JournalRow.action == "settings")).one()
    assert (row.kiosk_id, row.actor) == ("G1", "ada")
    assert row.details == {
        "role": "administrator",
        "changed": {"counter": ["groups", "visitors"], "camera": ["", "/dev/video0\ufffd<b>"]},
    }


def test_a_delivery_without_the_journal_head_from_a_sealing_kiosk_is_a_conflict(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")  # its first sync told the hub it seals with the hub's key
    g1.issue(site.entry("approved_ministerial"))
    rows = pending(g1.store, 100)
    receipt = receive(site.db, Client("G1", Role.COUNTER), rows, utc_now())  # no head
    assert receipt.received == len(rows)
    [conflict] = hub_conflicts(site.db)
    assert (conflict.kind, conflict.kiosk_id) == ("journal_head_invalid", "G1")
    assert "without its journal head" in conflict.message_en
    assert "sans tête de journal" in conflict.message_fr


KEY = {"key_id": 100, "public_key": base64.b64encode(bytes(32)).decode(), "purpose": "badge"}


MALFORMED = [
    (None, [], 422),
    ([], 1.5, 422),
    ([], [KEY | {"key_id": True}], 400),
    ([], [KEY | {"key_id": 1.5}], 400),
    ([], [KEY | {"key_id": {"a": 1}}], 400),
    ([], [KEY | {"public_key": None}], 400),
    ([], [KEY | {"purpose": ["badge"]}], 400),
]


def test_a_malformed_delivery_from_a_file_is_refused_and_changes_nothing(sqlite_site):
    """A kiosk's outbox file comes to `receive` without the HTTP route's model: mutating
    its keys found values that ended `kiosk-hub import-outbox` in a traceback."""
    site = sqlite_site
    site.kiosk("G1")
    with site.db.reading() as s:
        before = s.scalar(select(func.count()).select_from(h.PublicKeyRow))
    for rows, keys, status in MALFORMED:
        with pytest.raises(DeliveryRejected) as err:
            receive(site.db, Client("G1", Role.COUNTER), rows, utc_now(), "file", keys)
        assert err.value.status == status, (rows, keys)
    with site.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(h.PublicKeyRow)) == before
