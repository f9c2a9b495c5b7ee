"""The office's French texts (kiosk/office_texts.py) from the hub to a counter's French
side: imported, typed at the hub, carried by the feed, shown; missing, the English."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from hub import schema as h
from hub.cli import main as hub_main
from hub.database import FRENCH_COLUMNS, HubDatabase, utc_now
from hub.importer import import_data
from hub.site_hours import add_moment, close_day, moments
from hub.web.applicants import revoke
from kiosk.model import BRUSSELS, Counter, Verdict
from kiosk.pool import PoolMoment
from kiosk.store import schema as k
from kiosk.store.records import to_event
from tests.hub.test_hub_hours import OFFICE_MORNING, _event_row
from tests.hub.test_hub_importer import without_french
from tests.site_fixtures import DEMO_DAY

DEFMIN_FR = "Réunion des ministres de la Défense des pays de l'OTAN"


def _failing(decision, name: str):
    return next(c for c in decision.checks if c.name == name and not c.ok)


def test_the_office_french_texts_reach_a_counter_and_its_french_reasons(site):
    g1 = site.kiosk("G1")
    with g1.store.reading() as s:
        event = to_event(s.get(k.EventRow, "DEFMIN"))
    assert (event.french_name, event.french_place) == (DEFMIN_FR, "Siège de l'OTAN, Bruxelles")
    status = _failing(g1.check(site.entry("revoked")), "status")
    assert status.reason_en.endswith(": revoked by the accreditation office after confirmation")
    assert status.reason_fr.endswith(
        " : révoquée par le bureau des accréditations après confirmation"
    )
    place = _failing(g1.check(site.entry("event_outside_hq")), "place")
    assert place.reason_fr.startswith(
        "Sommet des chefs d'État et de gouvernement se tient hors du siège (Vilnius (Lituanie))"
    )
    assert place.reason_en.startswith("Summit of Heads of State and Government is held outside")
    # Typed at the hub: a closure's reason, a pooled moment, a revocation, each in French.
    close_day(site.db, Counter.GROUPS, DEMO_DAY, "Security alert", "x", OFFICE_MORNING, "Alerte")
    start = datetime(2026, 2, 15, 9, 30, tzinfo=BRUSSELS)
    tour = PoolMoment("DEFMIN-TOUR", "DEFMIN", "Tour", start, "Atrium", start, start + timedelta(1))
    add_moment(
        site.db, replace(tour, name_fr="Visite", handout_place_fr="Atrium (hall)"), "x", start
    )
    entry = site.entry("approved_ministerial")
    revoke(site.db, entry.accreditation.id, "press card withdrawn", "x", utc_now(), "carte retirée")
    g1.sync()
    decision = g1.check(entry)
    assert decision.verdict is Verdict.REFUSE
    hours = _failing(decision, "hours")
    assert "Closed today: Security alert." in hours.reason_en
    assert "Fermé aujourd'hui : Alerte." in hours.reason_fr
    assert _failing(decision, "status").reason_fr.endswith(" : carte retirée")
    [moment] = [m for m in g1.kiosk.pool.moments() if m.id == "DEFMIN-TOUR"]
    assert (moment.french_name, moment.handout_text()[1][:14]) == ("Visite", "Atrium (hall),")


def test_a_hub_without_french_texts_leaves_every_french_side_in_english(sqlite_site):
    site = sqlite_site
    with site.db.writing() as s:  # the French gone, as on a hub that never had them
        for e in s.scalars(select(h.EventRow)):
            e.name_fr, e.place_fr = None, None
        for a in s.scalars(select(h.AccreditationRow)):
            a.status_reason_fr = None
    g1 = site.kiosk("G1")
    with g1.store.reading() as s:
        event = to_event(s.get(k.EventRow, "SUMMIT"))
    assert event.french_name == "Summit of Heads of State and Government"
    place = _failing(g1.check(site.entry("event_outside_hq")), "place")
    assert "Summit of Heads of State and Government se tient hors du siège" in place.reason_fr
    assert "(Vilnius, Lithuania)" in place.reason_fr
    status = _failing(g1.check(site.entry("revoked")), "status")
    assert status.reason_fr.endswith(" : revoked by the accreditation office after confirmation")


def test_a_version_11_hub_gains_the_french_columns_in_place(tmp_path, export_and_entries):
    path = tmp_path / "hub.sqlite3"
    db = HubDatabase(f"sqlite:///{path}")
    import_data(db, without_french(export_and_entries[0]), "plain.json", utc_now())
    db.close()
    with sqlite3.connect(path) as con:  # as a version 11 hub left it
        for table, names in FRENCH_COLUMNS:
            for name in names:
                con.execute(f"ALTER TABLE {table.__tablename__} DROP COLUMN {name}")
        con.execute("UPDATE hub_meta SET value = '11' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    with db.reading() as s:
        assert s.get(h.MetaRow, "schema_version").value == "14"
        event = to_event(s.get(h.EventRow, "DEFMIN"))
    assert event.name_fr == "" and event.french_name == "Meeting of NATO Ministers of Defence"
    report = import_data(db, export_and_entries[0], "french.json", utc_now())
    assert report.changed["events"] == 5
    with db.reading() as s:
        assert to_event(s.get(h.EventRow, "DEFMIN")).french_name == DEFMIN_FR
    db.close()


@pytest.mark.slow  # several commands, each opening the hub's database
def test_kiosk_hub_takes_french_reasons_and_moment_names_and_refuses_bad_ones(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    db = HubDatabase(url)
    with db.writing() as s:
        s.add(_event_row("DEFMIN", 1))
    db.close()

    def run(*argv: str) -> int:
        return hub_main([*argv, "--db", url])

    # The commands run on the wall clock: their days are a month ahead of it.
    ahead = datetime.now(BRUSSELS).date() + timedelta(days=30)
    day, later = ahead.isoformat(), (ahead + timedelta(days=1)).isoformat()
    xmas = ("--day", day, "--counter", "visitors", "--reason", "Christmas")
    assert run("hours", "close", *xmas, "--reason-fr", "Noël\x1b[2J") == 2  # any argument
    assert "holds what is not text (control characters" in capsys.readouterr().err
    assert run("hours", "close", *xmas, "--reason-fr", "N" * 201) == 1
    assert "The French reason has 201 characters: at most 200" in capsys.readouterr().err
    assert run("hours", "close", *xmas, "--reason-fr", "Noël") == 0
    assert run("hours", "list") == 0
    assert f"closed\tvisitors\t{ahead:%d.%m.%Y}\tChristmas\t(fr: Noël)" in capsys.readouterr().out
    moment = (
        "PHOTO", "--event", "DEFMIN", "--name", "Official photo", "--starts", f"{later}T09:30",
        "--place", "Public Square", "--opens", f"{day}T09:00", "--closes", f"{day}T17:00",
    )  # fmt: skip
    assert run("pool", "add-moment", *moment, "--name-fr", "P" * 201) == 1
    assert "The French name has 201 characters" in capsys.readouterr().err
    assert run("pool", "add-moment", *moment, "--name-fr", "Photo officielle") == 0
    db = HubDatabase(url)
    [made] = moments(db)
    assert (made.french_name, made.handout_text()[1][:14]) == ("Photo officielle", "Public Square,")
    db.close()


def test_the_office_api_revokes_with_a_french_reason_checked_as_the_english(sqlite_site):
    site, acc_id = sqlite_site, sqlite_site.entry("approved_ministerial").accreditation.id
    change = {"accreditation_id": acc_id, "status": "revoked", "reason": "card withdrawn"}
    bad = site.office("POST", "/v1/office/status", json=change | {"reason_fr": "x\u202ey"})
    assert bad.status_code == 422 and "control character" in bad.text
    done = site.office("POST", "/v1/office/status", json=change | {"reason_fr": "carte retirée"})
    assert done.status_code == 200
    with site.db.reading() as s:
        acc = s.get(h.AccreditationRow, acc_id)
        assert (acc.status_reason, acc.status_reason_fr) == ("card withdrawn", "carte retirée")
