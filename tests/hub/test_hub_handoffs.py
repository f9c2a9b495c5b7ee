"""Hand-offs reach the office: a counter's hand-off travels with its journal, and the
office lists it (`kiosk-hub handoffs`, GET /v1/office/handoffs); a forged one is refused."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from site_fixtures import DEMO_NOON

from app.demo.build import reading_of
from hub.cli import main
from hub.handoffs import list_handoffs, mark_handled
from kiosk.ledger import Ledger
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from sync.client import SyncRefused
from sync.state import require_state

CLERK = Actor("clerk", Role.CLERK)


def handed_off(station, entry):
    decision = station.kiosk.desk.evaluate(
        station.site.code(entry.accreditation.id), reading_of(entry.presented)
    )
    return station.kiosk.handoffs.hand_off(decision, CLERK)


def test_a_hand_off_reaches_the_office_after_one_sync(site, capsys):
    g1 = site.kiosk("G1", badge_key_id=90)
    slip = handed_off(g1, site.entry("pending"))
    g1.sync()

    r = site.office("GET", "/v1/office/handoffs")
    assert r.status_code == 200, r.text
    (got,) = r.json()
    assert (got["registration"], got["kiosk_id"], got["clerk"]) == (
        slip.registration,
        "G1",
        "clerk",
    )
    assert got["status"] == "pending" and got["name"] == slip.name
    assert [x["code"] for x in got["reasons"]] == ["pending"]
    assert got["reasons"][0]["fr"].startswith("La demande est encore en attente")

    assert main(["handoffs", "--db", site.db.url]) == 0
    out = capsys.readouterr().out
    assert slip.registration in out and "still pending" in out and "1 hand-off(s)" in out
    assert main(["handoffs", "--json", "--db", site.db.url]) == 0
    assert json.loads(capsys.readouterr().out)[0]["reasons"] == ["pending"]


def test_only_the_office_reads_the_hand_offs(sqlite_site):
    g1 = sqlite_site.kiosk("G1", badge_key_id=91)
    token = require_state(g1.store).token
    r = sqlite_site.http("GET", "/v1/office/handoffs", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403


@pytest.mark.parametrize("reasons", [[], ["anything"], "pending"])
def test_a_hand_off_with_reasons_no_counter_writes_is_refused(sqlite_site, reasons):
    g1 = sqlite_site.kiosk("G1", badge_key_id=92)
    with g1.store.writing() as s:
        Ledger("G1", Counter.GROUPS).journal(
            s, "handoff", CLERK, None, DEMO_NOON, None, 3, reasons=reasons or None
        )
    with pytest.raises(SyncRefused, match=r"details\.reasons"):
        g1.sync()
    assert sqlite_site.office("GET", "/v1/office/handoffs").json() == []


def test_the_office_api_and_cli_show_who_handled_a_hand_off_and_filter_the_open_ones(
    sqlite_site, capsys
):
    site = sqlite_site
    g1 = site.kiosk("G1", badge_key_id=93)
    first = handed_off(g1, site.entry("pending"))
    second = handed_off(g1, site.entry("typo_in_application"))
    g1.sync()
    with site.db.reading() as s:
        older = min(line.row_id for line in list_handoffs(s))
    mark_handled(site.db, older, "approved after the call", "web:anna", DEMO_NOON)

    listed = site.office("GET", "/v1/office/handoffs").json()
    assert [x["handled_by"] for x in listed] == [None, "web:anna"]  # newest first
    assert listed[1]["handled_note"] == "approved after the call"
    assert datetime.fromisoformat(listed[1]["handled_at"]) == DEMO_NOON
    assert listed[0]["handled_at"] is None and listed[0]["handled_note"] is None
    (still,) = site.office("GET", "/v1/office/handoffs?open=1").json()
    assert still["handled_at"] is None and still["registration"] == second.registration

    db = ["--db", site.db.url]
    assert main(["handoffs", *db]) == 0
    out = capsys.readouterr().out
    assert "handled by web:anna: approved after the call" in out and " open " in out
    assert main(["handoffs", "--open", *db]) == 0
    out = capsys.readouterr().out
    assert "handled" not in out and "1 hand-off(s)" in out
    assert main(["handoffs", "--json", *db]) == 0
    handled = json.loads(capsys.readouterr().out)[1]
    assert (handled["registration"], handled["handled_by"]) == (first.registration, "web:anna")
