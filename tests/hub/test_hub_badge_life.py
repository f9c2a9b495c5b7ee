"""A badge's life travels by sync: a badge lost at one counter is refused at a security
post after one sync; a returned annual badge is void and counted at every counter; the
hub takes a life event only from a role that may record it (docs/badge-life.md)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from site_fixtures import DEMO_DAY, DEMO_NOON
from sqlalchemy import select

from hub import schema as h
from hub.clients import Role
from hub.database import HubDatabase
from hub.purge import purge
from kiosk.badge_life import LifeEvent
from kiosk.counter import load_keyring
from kiosk.ledger import Ledger
from kiosk.model import BRUSSELS, BadgeStatus, Counter
from kiosk.overview import day_overview
from kiosk.roles import Actor
from kiosk.roles import Role as StaffRole
from kiosk.store.schema import BadgeEventRow, BadgeRow
from kiosk.verify import verify_badge
from sync.client import SyncRefused

CLERK = Actor("clerk", StaffRole.CLERK)
CHIEF = Actor("chief", StaffRole.SUPERVISOR)


def at_post(post, code: str):
    with post.store.reading() as s:
        return verify_badge(code, load_keyring(post.store, "badge"), s, DEMO_NOON)


def handed_over(station, entry) -> tuple[str, str]:
    """Issue `entry`'s badge at `station` and print it (active); its serial and code."""
    serial = station.issue(entry).badge.serial
    prints = station.kiosk.desk.prints
    job = prints.print_sent(serial, "desk printer", "job-1", CLERK)
    prints.print_done(job.id, CLERK)
    return serial, station.kiosk.desk.cards.card(serial).badge_code


def hub_badge(site, serial: str) -> tuple[str, list[str]]:
    with site.db.reading() as s:
        events = s.scalars(select(h.BadgeEventRow.event).where(h.BadgeEventRow.serial == serial))
        return s.get(h.BadgeRow, serial).status, list(events)


def test_a_badge_lost_at_one_counter_is_refused_at_a_post_after_one_sync(site):
    g1 = site.kiosk("G1", badge_key_id=80)
    g2 = site.kiosk("G2", badge_key_id=81)
    post = site.kiosk("SEC1", Role.SECURITY)
    serial, code = handed_over(g1, site.entry("approved_ministerial"))
    g1.sync(), g2.sync(), post.sync()
    assert at_post(post, code).valid

    # Reported lost at another counter than the one that issued it.
    g2.kiosk.life.record(serial, LifeEvent.LOST, CHIEF, "lost on the shuttle bus")
    g2.sync()
    post.sync()
    v = at_post(post, code)
    assert not v.valid and v.reason == "lost"
    assert "REPORTED LOST" in v.reason_en and "G2" in v.reason_en and "DÉCLARÉ PERDU" in v.reason_fr
    assert hub_badge(site, serial) == ("lost", ["lost"])
    with post.store.reading() as s:
        assert s.scalar(select(BadgeEventRow.note)) == ""  # the post is not told the story

    # The issuing counter learns of it too, and tells the person's history.
    g1.sync()
    history = g1.kiosk.life.history(serial, CLERK)
    assert [(x.what, x.who, x.kiosk_id) for x in history.lines] == [
        ("issued", "clerk", "G1"),
        ("lost", "chief", "G2"),
    ]
    assert history.lines[-1].note == "lost on the shuttle bus"


def test_a_returned_annual_badge_is_void_and_counted_at_every_counter(site):
    v1 = site.kiosk("V1", counter=Counter.VISITORS, badge_key_id=82)
    v2 = site.kiosk("V2", counter=Counter.VISITORS, badge_key_id=83)
    post = site.kiosk("SEC2", Role.SECURITY)
    serial, code = handed_over(v1, site.entry("approved_annual"))
    v1.kiosk.life.record(serial, LifeEvent.RETURNED, CLERK, "leaves the Brussels office")
    v1.sync(), v2.sync(), post.sync()
    assert at_post(post, code).reason == "returned"
    assert day_overview(v2.store, DEMO_DAY).life == {"returned": 1}
    with v2.store.reading() as s:
        assert s.get(BadgeRow, serial).status == BadgeStatus.RETURNED.value


def test_lost_then_found_at_a_counter_offline_reaches_the_hub_in_order(site):
    g1 = site.kiosk("G1", badge_key_id=84)
    g2 = site.kiosk("G2", badge_key_id=85)
    serial, _ = handed_over(g1, site.entry("approved_ministerial"))
    g1.sync(), g2.sync()
    g2.kiosk.life.record(serial, LifeEvent.STOLEN, CHIEF)
    g2.kiosk.life.record(serial, LifeEvent.FOUND, CLERK, "handed in by a guard")
    g2.sync()  # both rows in one delivery, each carrying the badge as it is now
    assert hub_badge(site, serial) == ("found", ["stolen", "found"])
    g1.sync()
    with g1.store.reading() as s:
        assert s.get(BadgeRow, serial).status == BadgeStatus.FOUND.value


def test_a_clerks_badge_lost_row_is_refused_by_the_hub_and_nothing_is_stored(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1", badge_key_id=86)
    serial, _ = handed_over(g1, site.entry("approved_ministerial"))
    g1.sync()
    # A kiosk whose own rules were bypassed: a clerk voids a badge.
    with g1.store.writing() as s:
        row = s.get(BadgeRow, serial)
        row.status = BadgeStatus.LOST.value
        Ledger("G1", Counter.GROUPS).journal(
            s, "badge_lost", CLERK, None, DEMO_NOON, serial, row.accreditation_id
        )
    with pytest.raises(SyncRefused, match="may not"):
        g1.sync()
    assert hub_badge(site, serial) == ("active", [])
    with site.db.reading() as s:
        kinds = set(s.scalars(select(h.ConflictRow.kind)))
    assert "delivery_refused" in kinds


def test_a_version_6_hub_gains_the_badge_events_table(tmp_path):
    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 6 hub left it
        con.execute("DROP TABLE badge_events")
        con.execute("UPDATE hub_meta SET value = '6' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    try:
        with db.reading() as s:
            assert s.get(h.MetaRow, "schema_version").value == h.SCHEMA_VERSION
            assert s.scalars(select(h.BadgeEventRow)).all() == []
    finally:
        db.close()


def test_the_hubs_purge_blanks_a_badge_events_note_and_keeps_who_and_when(site):
    g1 = site.kiosk("G1", badge_key_id=87)
    serial, _ = handed_over(g1, site.entry("approved_ministerial"))
    g1.kiosk.life.record(serial, LifeEvent.LOST, CHIEF, "lost at the Hotel Amigo")
    g1.sync()
    purge(site.db, datetime(2026, 3, 21, 10, 0, tzinfo=BRUSSELS), "office")
    with site.db.reading() as s:
        event = s.scalar(select(h.BadgeEventRow).where(h.BadgeEventRow.serial == serial))
        assert (event.actor, event.event, event.note) == ("chief", "lost", "")
