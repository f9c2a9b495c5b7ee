"""Pool cards through the real store: entitlement by media kind, hand-out at its own
place and time, return, journal rows; a badge never carries POOL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.wiring import open_kiosk, read_mrz
from kiosk.model import Counter
from kiosk.pool import PoolError, PoolMoment, check_moment
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.store.schema import JournalRow, PoolCardRow

ANN, SAM = Actor("ann", Role.CLERK), Actor("sam", Role.SECURITY)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def acc_id(manifest, situation: str) -> int:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)[
        "accreditation_id"
    ]


def counts(k) -> tuple[int, int]:
    with k.store.reading() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) for t in (PoolCardRow, JournalRow)
        )


def test_entitlement_by_media_kind(kiosk, manifest):
    cases = manifest["desk_cases"]["pool"]
    roster = {e.accreditation_id for e in kiosk.pool.roster(cases["moment"])}
    for situation, entitled in cases["entitled"].items():
        assert (acc_id(manifest, situation) in roster) is entitled, situation
    before = counts(kiosk)
    with pytest.raises(PoolError) as refused:
        kiosk.pool.hand_out(cases["moment"], acc_id(manifest, "pool_technician"), ANN)
    assert refused.value.message_en == (
        "Not entitled: Pool cards are for visual journalists (photographers, TV and film "
        "crews), not technician."
    )
    with pytest.raises(PoolError, match="No pool card was granted"):
        kiosk.pool.hand_out(cases["moment"], acc_id(manifest, "approved_ministerial"), ANN)
    assert counts(kiosk) == before


def test_hand_out_and_return_are_journalled(kiosk, manifest):
    moment, who = "DEFMIN-PHOTO", acc_id(manifest, "pool_photographer")
    entry = kiosk.pool.hand_out(moment, who, ANN)
    assert (entry.state, entry.handed_by) == ("out", "ann")
    with pytest.raises(PoolError, match="already holds the pool card"):
        kiosk.pool.hand_out(moment, who, ANN)
    back = kiosk.pool.take_back(moment, who, ANN)
    assert back.state == "returned"
    with pytest.raises(PoolError, match="was returned already"):
        kiosk.pool.take_back(moment, who, ANN)
    with kiosk.store.reading() as s:
        rows = s.scalars(select(JournalRow).order_by(JournalRow.id.desc()).limit(2)).all()
    assert [(r.action, r.accreditation_id, r.details["moment"]) for r in rows] == [
        ("pool_return", who, moment),
        ("pool_handout", who, moment),
    ]
    listed = {e.accreditation_id: e.state for e in kiosk.pool.roster(moment)}
    assert listed[who] == "returned"


def test_cards_are_handed_out_only_in_their_window(kiosk, manifest, demo_now):
    who = acc_id(manifest, "pool_photographer")
    before = counts(kiosk)
    with pytest.raises(PoolError) as refused:
        kiosk.pool.hand_out("DEFMIN-SESSION", who, ANN)  # handed out yesterday
    assert refused.value.message_en == (
        "Pool cards for Start of the first ministerial session are handed out at Public "
        "Square, first floor, NATO HQ, 13.02.2026 09:00–17:00 only."
    )
    assert refused.value.message_fr == (  # the office's French (app/demo/desk_cases.py)
        "Les cartes de pool pour Ouverture de la première séance ministérielle sont remises à "
        "Place publique, premier étage, siège de l'OTAN, 13.02.2026 09:00–17:00 uniquement."
    )
    kiosk.desk.clock = lambda: demo_now + timedelta(hours=8)  # 18:00, closed
    with pytest.raises(PoolError, match="handed out at Public Square"):
        kiosk.pool.hand_out("DEFMIN-PHOTO", who, ANN)
    with pytest.raises(PoolError, match="There is no pooled moment 'NOPE'"):
        kiosk.pool.hand_out("NOPE", who, ANN)
    with pytest.raises(PoolError, match="A9999999 is not on this kiosk"):
        kiosk.pool.hand_out("DEFMIN-PHOTO", 9999999, ANN)
    with pytest.raises(PoolError, match="was never handed out"):
        kiosk.pool.take_back("DEFMIN-PHOTO", who, ANN)
    with pytest.raises(AccessDenied):
        kiosk.pool.hand_out("DEFMIN-PHOTO", who, SAM)
    assert counts(kiosk) == before


@pytest.mark.slow
def test_an_annual_badge_never_carries_a_year_long_pool_marker(demo_dir, manifest, demo_now):
    a = next(x for x in manifest["applicants"] if x["situation"] == "pool_annual_photographer")
    k = open_kiosk(demo_dir, Counter.VISITORS, clock=lambda: demo_now)
    try:
        done = k.desk.issue(a["code"], read_mrz(a["mrz"]), ANN)
        card = k.desk.cards.card(done.badge.serial)
        assert card.valid_until.year == card.valid_from.year and card.pool is False
        assert a["accreditation_id"] in {e.accreditation_id for e in k.pool.roster("DEFMIN-PHOTO")}
    finally:
        k.close()


def test_a_moment_whose_hand_out_has_closed_is_refused_naming_the_day(kiosk, demo_now):
    """A hand-out already over hands out nothing ("2025" typed for "2026"); one still open
    today is kept."""
    admin = Actor("ada", Role.ADMINISTRATOR)
    year_ago = demo_now - timedelta(days=365)
    past = PoolMoment("TYPO", "DEFMIN", "Photo", year_ago, "Atrium", year_ago, year_ago)
    past = replace(past, handout_opens=year_ago - timedelta(hours=2))
    before = (counts(kiosk), kiosk.pool.moments())
    with pytest.raises(PoolError) as refused:
        kiosk.pool.add_moment(past, admin)
    assert refused.value.message_en == (
        f"The pool cards' hand-out for TYPO closes on {year_ago:%d.%m.%Y %H:%M}, already "
        "past (today is 14.02.2026, 10:00): check the dates."
    )
    assert "déjà passé (nous sommes le 14.02.2026, 10:00)" in refused.value.message_fr
    assert (counts(kiosk), kiosk.pool.moments()) == before
    today = replace(past, id="TODAY", handout_closes=demo_now + timedelta(minutes=30))
    kiosk.pool.add_moment(today, admin)
    assert "TODAY" in [m.id for m in kiosk.pool.moments()]


@pytest.mark.parametrize(
    ("french", "message_en", "message_fr"),
    [
        ({"name_fr": "n" * 201}, "The French name has 201 characters: at most 200", "Le nom"),
        (
            {"handout_place_fr": "Salle\x1b[2J"},
            "The French hand-out place holds a control character",
            "Le lieu de remise en français contient un caractère de contrôle",
        ),
    ],
)
def test_a_bad_french_text_of_a_moment_is_refused_and_changes_nothing(
    kiosk, french, message_en, message_fr
):
    [moment] = [m for m in kiosk.pool.moments() if m.id == "DEFMIN-PHOTO"]
    with pytest.raises(PoolError) as refused:
        check_moment(replace(moment, **french), True, ("this kiosk", "ce guichet"))
    assert refused.value.message_en.startswith(message_en)
    assert refused.value.message_fr.startswith(message_fr)


def test_a_moment_without_french_texts_shows_the_english_ones(kiosk):
    [moment] = [m for m in kiosk.pool.moments() if m.id == "DEFMIN-PHOTO"]
    plain = replace(moment, name_fr="", handout_place_fr="")
    assert plain.french_name == "Official photo of the Defence Ministers"
    assert plain.handout_text()[1].startswith("Public Square, first floor, NATO HQ, ")
    assert moment.handout_text()[1].startswith("Place publique, premier étage, siège de l'OTAN, ")
