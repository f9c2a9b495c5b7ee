"""One applicant's history in the console, from what a real counter delivered: every
journal row naming a badge is told in the page's language, never by the kiosk's internal
action name (`print_sent`, `badge_lost` were shown as they are); no decision of the office
is said in a sentence, not an empty table."""

from __future__ import annotations

from html import unescape
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import schema as h
from hub.app import create_app
from hub.web.accounts import WebRole, add_user
from hub.web.texts import texts
from kiosk.badge_life import LifeEvent
from kiosk.roles import Actor, Role
from tests.site_fixtures import DEMO_NOON

pytestmark = pytest.mark.slow
PASSWORD = "office password 1"


def signed_in(app, lang: str) -> TestClient:
    c = TestClient(app, base_url="http://127.0.0.1")
    c.cookies.set("hub_console_lang", lang, path="/console")
    page = c.get("/console/sign-in").text
    pre = page.split('name="csrf" value="')[1].split('"')[0]
    data = {"csrf": pre, "name": "anna", "password": PASSWORD}
    assert c.post("/console/sign-in", data=data, follow_redirects=False).status_code == 303
    return c


def handed_over(site):
    """G1, and an approved applicant's badge it issued and printed (active)."""
    g1 = site.kiosk("G1")
    entry = site.entry("approved_ministerial")
    serial = g1.issue(entry).badge.serial
    clerk, prints = Actor("clara", Role.CLERK), g1.kiosk.desk.prints
    prints.print_done(prints.print_sent(serial, "desk printer", "job-1", clerk).id, clerk)
    return g1, entry, serial


def test_every_badge_row_a_counter_delivers_is_told_in_words(sqlite_site):
    site = sqlite_site
    g1, entry, serial = handed_over(site)
    g1.kiosk.life.record(serial, LifeEvent.LOST, Actor("sam", Role.SUPERVISOR), "lost at lunch")
    g1.sync()
    acc_id = entry.accreditation.id
    with site.db.reading() as s:
        actions = set(
            s.scalars(select(h.JournalRow.action).where(h.JournalRow.badge_serial == serial))
        )
    assert {"issue", "print_sent", "printed", "badge_lost"} <= actions
    add_user(site.db, "anna", WebRole.OFFICE, PASSWORD, DEMO_NOON)
    app = create_app(site.db)
    for lang, state in (("en", "reported lost"), ("fr", "déclaré perdu")):
        words = texts(lang)["actions"]
        page = unescape(signed_in(app, lang).get(f"/console/accreditations/{acc_id}").text)
        for action in actions:
            assert action in words, (lang, action)
            assert f" · {words[action]} · " in page, (lang, action)
            assert f" · {action} · " not in page or words[action] == action
        assert f'{serial} <span class="badge">{state}</span>' in page
        assert texts(lang)["no_decisions"] in page  # not an empty table


def test_a_hand_off_is_named_on_the_applicants_page_with_a_link_to_it(sqlite_site):
    # It read "refused" like any refusal: the office could not tell which was the slip.
    site = sqlite_site
    g1 = site.kiosk("G1")
    pending = site.entry("pending")
    decision = g1.check(pending)
    g1.kiosk.handoffs.hand_off(decision, Actor("clara", Role.CLERK))
    g1.sync()
    with site.db.reading() as s:
        row = s.scalars(select(h.JournalRow).where(h.JournalRow.action == "handoff")).one()
    add_user(site.db, "anna", WebRole.OFFICE, PASSWORD, DEMO_NOON)
    app = create_app(site.db)
    for lang, said in (("en", "sent to the office"), ("fr", "envoyé au bureau")):
        page = signed_in(app, lang).get(f"/console/accreditations/{pending.accreditation.id}")
        assert f'<a href="/console/handoffs#handoff-{row.id}">{said}</a>' in page.text
    # The slip says "Transmission au bureau des accréditations"; "remise" is a badge's.
    assert ">Transmissions</a>" in page.text and "Remise" not in page.text


def at_a_post(site):
    """A handed-over badge of G1 (its entry, its code) and security post SEC1, synced; and
    `check(text)`, a guard's check of `text` at the post, journalled."""
    from hub.clients import Role as HubRole

    g1, entry, serial = handed_over(site)
    g1.sync()
    post = site.kiosk("SEC1", HubRole.SECURITY)
    guard, security = Actor("gus", Role.SECURITY), post.kiosk.security_post()

    def check(text: str) -> None:
        post.kiosk.post_journal().record(security.verify(text), guard)

    code = g1.kiosk.desk.cards.card(serial).badge_code
    return SimpleNamespace(g1=g1, post=post, entry=entry, serial=serial, code=code, check=check)


def test_a_security_posts_checks_reach_the_badges_history_at_the_hub(sqlite_site):
    site = sqlite_site
    at = at_a_post(site)
    g1, entry, serial = at.g1, at.entry, at.serial
    at.check(at.code)
    g1.kiosk.life.record(serial, LifeEvent.STOLEN, Actor("sam", Role.SUPERVISOR))
    g1.sync()
    at.post.sync()
    at.check(at.code)  # the stolen badge, shown at the door
    at.check("BCDFGHJKLNPRSTVXBCDF")  # not a badge at all
    at.post.sync()
    with site.db.reading() as s:
        rows = s.scalars(
            select(h.JournalRow)
            .where(h.JournalRow.action == "post_check")
            .order_by(h.JournalRow.journal_id)
        ).all()
    assert [(r.kiosk_id, r.actor, r.badge_serial, r.accreditation_id) for r in rows] == [
        ("SEC1", "gus", serial, entry.accreditation.id),
        ("SEC1", "gus", serial, entry.accreditation.id),
        ("SEC1", "gus", None, None),
    ]
    assert [(r.details["answer"], r.details["reason"]) for r in rows] == [
        ("valid", "ok"),
        ("not_valid", "stolen"),
        ("not_valid", "not_a_badge"),
    ]
    add_user(site.db, "anna", WebRole.OFFICE, PASSWORD, DEMO_NOON)
    app = create_app(site.db)
    acc_id = entry.accreditation.id
    for lang, said in (
        ("en", ("checked at a security post — VALID", "post — NOT VALID (reported stolen)")),
        ("fr", ("contrôlé à un poste de sécurité — VALABLE", "— PAS VALABLE (déclaré volé)")),
    ):
        page = unescape(signed_in(app, lang).get(f"/console/accreditations/{acc_id}").text)
        assert f"SEC1 · {said[0]} · gus" in page
        assert f"{said[1]} · gus" in page


def test_a_badge_checked_every_day_lists_its_latest_checks_only(sqlite_site):
    from hub.web.applicants import POST_CHECKS_SHOWN

    site = sqlite_site
    at = at_a_post(site)
    entry = at.entry
    for _ in range(POST_CHECKS_SHOWN + 3):
        at.check(at.code)
    at.post.sync()
    add_user(site.db, "anna", WebRole.OFFICE, PASSWORD, DEMO_NOON)
    app = create_app(site.db)
    page = unescape(
        signed_in(app, "en").get(f"/console/accreditations/{entry.accreditation.id}").text
    )
    assert page.count("checked at a security post — VALID") == POST_CHECKS_SHOWN
    assert "3 earlier checks at security posts are not listed here" in page
    assert " · issued · " in page and " · printed and handed over · " in page  # all else stays
    page = unescape(
        signed_in(app, "fr").get(f"/console/accreditations/{entry.accreditation.id}").text
    )
    assert "3 contrôles antérieurs aux postes de sécurité ne sont pas listés ici" in page
