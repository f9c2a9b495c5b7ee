"""The desk's new journal rows reach the hub as written: the press card seen on an issue,
and a pool card handed out and returned."""

from __future__ import annotations

from datetime import date, timedelta

from site_fixtures import DEMO_NOON
from sqlalchemy import select

from app.demo.build import reading_of
from hub import schema as h
from hub.site_hours import add_moment
from kiosk.model import PressCardSeen
from kiosk.pool import PoolMoment
from kiosk.roles import Actor, Role

CLERK = Actor("clerk", Role.CLERK)


def test_press_card_and_pool_card_rows_reach_the_hub(sqlite_site):
    g1 = sqlite_site.kiosk("G1")
    e = sqlite_site.entry("pool_photographer")
    card = PressCardSeen(e.accreditation.proof.press_card, "CNP", date(2027, 1, 31))
    code = sqlite_site.code(e.accreditation.id)
    g1.kiosk.desk.issue(code, reading_of(e.presented), CLERK, press_card=card)
    add_moment(  # an enrolled counter's pooled moments come from the hub
        sqlite_site.db,
        PoolMoment(
            "DEFMIN-PHOTO",
            "DEFMIN",
            "Official photo",
            DEMO_NOON + timedelta(days=1),
            "Public Square, first floor",
            DEMO_NOON - timedelta(hours=1),
            DEMO_NOON + timedelta(hours=6),
        ),
        "office",
        DEMO_NOON,
    )
    g1.sync()
    g1.kiosk.pool.hand_out("DEFMIN-PHOTO", e.accreditation.id, CLERK)
    g1.kiosk.pool.take_back("DEFMIN-PHOTO", e.accreditation.id, CLERK)
    g1.sync()
    with sqlite_site.db.reading() as s:
        rows = {
            r.action: r
            for r in s.scalars(
                select(h.JournalRow).where(
                    h.JournalRow.kiosk_id == "G1",
                    h.JournalRow.accreditation_id == e.accreditation.id,
                )
            )
        }
    assert rows["issue"].details["press_card"] == {
        "issuer": "CNP",
        "expiry": "2027-01-31",
        "number_tail": e.accreditation.proof.press_card[-4:],
        "same_as_applied": True,
        "accepted": True,
    }
    assert rows["pool_handout"].details["moment"] == "DEFMIN-PHOTO"
    assert rows["pool_return"].actor == "clerk"
