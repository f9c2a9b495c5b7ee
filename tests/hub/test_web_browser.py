"""The web console in a real browser: Debian's headless Chromium driven by Selenium
through Debian's chromedriver (nothing is downloaded), against a real hub on loopback
with real kiosks syncing with it.

Screenshots of every page in both languages are written to tmp_path, or to the folder
named by $WEB_SCREENSHOTS (docs/screenshots to refresh the documentation's).
"""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from app.demo.build import reading_of
from hub import schema as h
from hub.app import create_app
from hub.clients import Role
from hub.database import utc_now
from hub.site_hours import add_hours, add_moment, close_day
from hub.web.accounts import WebRole, add_user
from kiosk.counter import NotIssued
from kiosk.hours import Span
from kiosk.model import Counter
from kiosk.pool import PoolMoment
from kiosk.roles import Actor
from kiosk.roles import Role as StaffRole
from sync.state import conflicts
from tests.site_fixtures import DEMO_DAY, DEMO_NOON, HubServer, Site, fill

pytestmark = pytest.mark.slow
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PASSWORD = "chief password 1"


def moving_clock():
    """The hub's clock: the demo's morning, moving at the wall clock's pace."""
    start = utc_now()
    return lambda: DEMO_NOON + (utc_now() - start)


@pytest.fixture
def console_site(export_and_entries, tmp_path):
    """Make a filled hub with the console, served on loopback, with a chief and an
    office account: `make(db)`."""
    made: list[Site] = []

    def make(db) -> Site:
        fill(db, export_and_entries[0])
        add_user(db, "chief", WebRole.CHIEF, PASSWORD, DEMO_NOON)
        add_user(db, "anna", WebRole.OFFICE, PASSWORD, DEMO_NOON)
        server = HubServer(db, create_app(db, moving_clock())).start()
        made.append(Site(db, server, export_and_entries[1], tmp_path))
        return made[-1]

    yield make
    for site in made:
        site.close()


@pytest.fixture
def chrome():
    """Headless Chromium from Debian's packages."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("chromium and chromium-driver are not installed (scripts/setup.sh)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,900"):
        options.add_argument(arg)
    options.add_argument("--disable-dev-shm-usage")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def sign_in(driver, site: Site, name: str) -> None:
    driver.get(site.server.url + "/console/today")
    wait_for(driver, lambda d: "/console/sign-in" in d.current_url)
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, lambda d: d.current_url.endswith("/console/today"))


def wait_for(driver, condition) -> None:
    WebDriverWait(driver, 30).until(condition)


def revoked_while_offline(site: Site):
    """G1, cut off, issues a badge the office has revoked meanwhile: a conflict."""
    g1 = site.kiosk("G1")
    entry = site.entry("approved_ministerial")
    site.revoke(entry.accreditation.id, "press card withdrawn")
    serial = g1.issue(entry).badge.serial
    g1.sync()
    return g1, serial


@pytest.mark.parametrize("hub_db", ["postgresql"], indirect=True)
def test_the_chief_settles_a_conflict_and_the_counter_receives_it(hub_db, console_site, chrome):
    site = console_site(hub_db)
    g1, serial = revoked_while_offline(site)
    sign_in(chrome, site, "chief")
    today = chrome.find_element(By.TAG_NAME, "main").text  # figures read from PostgreSQL
    assert "Badges issued per hour" in today and "G1 (Groups)" in today
    chrome.find_element(By.LINK_TEXT, "Conflicts").click()
    card = chrome.find_element(By.CSS_SELECTOR, "article.conflict.open")
    assert serial in card.text and "Revoked while offline" in card.text
    card.find_element(By.NAME, "note").send_keys("Security retained the badge at gate 2.")
    card.find_element(By.CSS_SELECTOR, "button[value=revocation_confirmed]").click()
    wait_for(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "article.confirm"))
    asked = chrome.find_element(By.TAG_NAME, "main").text
    assert f"Confirm the revocation of badge {serial}?" in asked
    assert "Note: Security retained the badge at gate 2." in asked
    assert conflicts(g1.store, "G1")[0].settled_at is None
    chrome.find_element(By.CSS_SELECTOR, "article.confirm button[type=submit]").click()
    wait_for(chrome, lambda d: "done=settled" in d.current_url)
    assert "Settled: the counters receive it" in chrome.find_element(By.CLASS_NAME, "done").text
    assert chrome.find_elements(By.CSS_SELECTOR, "article.conflict.open") == []
    [before] = conflicts(g1.store, "G1")
    assert before.settled_at is None
    g1.sync()  # its next sync brings the settlement
    [after] = conflicts(g1.store, "G1")
    assert (after.settlement, after.settle_note) == (
        "revocation_confirmed",
        "Security retained the badge at gate 2.",
    )
    with hub_db.reading() as s:
        entry = s.scalars(
            select(h.JournalRow).where(h.JournalRow.action == "conflict_settle")
        ).one()
    assert entry.actor == "web:chief" and entry.kiosk_id == "hub"


def test_the_language_switch_and_the_sign_in_refusal(sqlite_hub_db, console_site, chrome):
    site = console_site(sqlite_hub_db)
    chrome.get(site.server.url + "/console/sign-in")
    chrome.find_element(By.LINK_TEXT, "Français").click()
    wait_for(chrome, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Connexion")
    chrome.find_element(By.NAME, "name").send_keys("chief")
    chrome.find_element(By.NAME, "password").send_keys("not the password")
    chrome.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(chrome, lambda d: d.find_elements(By.CLASS_NAME, "error"))
    assert "Nom ou mot de passe non reconnu" in chrome.find_element(By.CLASS_NAME, "error").text
    assert "/console/sign-in" in chrome.current_url


def busy_morning(site: Site) -> None:
    """Three counters and a security post at work: issued badges, refusals, a hand-off to
    the office, checks at the post (a valid badge, a printout that is no badge), conflicts
    (one of them a badge issued twice by counters cut off from each other: G3's is
    superseded by G2's)."""
    g2 = site.kiosk("G2")
    g3 = site.kiosk("G3")
    post = site.kiosk("SEC1", role=Role.SECURITY)
    for situation in ("pool_photographer", "editor_letter", "crew_group_letter"):
        g2.issue(site.entry(situation))
    g2.sync(), post.sync()
    guard, checks = Actor("guard", StaffRole.SECURITY), post.kiosk.post_journal()
    for text in (g2.kiosk.desk.cards.card("G2-000001").badge_code, "BCDFGHJKLNPRSTVXBCDF"):
        checks.record(post.kiosk.security_post().verify(text), guard)
    post.sync()
    g3.issue(site.entry("editor_letter"))
    for situation in ("expired_id_document", "wrong_id_document", "too_early"):
        with pytest.raises(NotIssued):
            g2.issue(site.entry(situation))
    pending = site.entry("pending")
    decision = g2.kiosk.desk.evaluate(
        site.code(pending.accreditation.id), reading_of(pending.presented)
    )
    g2.kiosk.handoffs.hand_off(decision, Actor("clerk", StaffRole.CLERK))
    g2.sync(), g3.sync()
    revoked_while_offline(site)


def office_hours(site: Site) -> None:
    """The week's hours the office sets at the hub: the Visitors office on weekdays and
    Saturday morning, the Groups counter longer for DEFMIN, a closure, a pooled moment."""
    db, by, at = site.db, "office", DEMO_NOON
    for weekday in range(5):
        add_hours(db, Span(Counter.VISITORS, time(8), time(17), weekday=weekday), by, at)
        add_hours(db, Span(Counter.GROUPS, time(9), time(16), weekday=weekday), by, at)
    add_hours(db, Span(Counter.VISITORS, time(9), time(12), weekday=5), by, at)
    before = at - timedelta(days=2)  # the event's days, set before the first of them
    for n in (-1, 0, 1):
        day = DEMO_DAY + timedelta(days=n)
        span = Span(Counter.GROUPS, time(7, 30), time(19), day=day, event_id="DEFMIN")
        add_hours(db, span, by, before)
    training = ("Staff training", by, at, "Formation du personnel")
    close_day(db, Counter.VISITORS, DEMO_DAY + timedelta(days=6), *training)
    start, opens, closes = (
        at + timedelta(hours=23, minutes=30),
        at - timedelta(hours=1),
        at + timedelta(hours=7),
    )
    photo = PoolMoment(
        "DEFMIN-PHOTO", "DEFMIN", "Family photo", start, "Public Square", opens, closes,
        "Photo de famille", "Place publique",
    )  # fmt: skip
    add_moment(db, photo, by, at)


def whole_page(driver) -> bytes:
    """A PNG of the whole page, 1366 pixels wide, however long it is (at most 2400)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    metrics = {"width": 1366, "height": min(int(size["height"]), 2400)}
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", metrics | {"deviceScaleFactor": 1, "mobile": False}
    )
    try:
        return driver.get_screenshot_as_png()
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def asked_to_revoke(driver, kiosk: str) -> bytes:
    """Fill in the revocation of `kiosk` on the Kiosks page, screenshot the page asking to
    confirm it, and cancel."""
    row = driver.find_element(By.XPATH, f"//tr[td/b[text()='{kiosk}']]")
    row.find_element(By.NAME, "reason").send_keys("taken from the Groups entrance")
    row.find_element(By.NAME, "stolen").click()
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "article.confirm"))
    assert kiosk in driver.find_element(By.TAG_NAME, "h1").text
    png = whole_page(driver)
    driver.find_element(By.CSS_SELECTOR, "a.cancel").click()
    return png


PAGES = {
    "today": "/console/today",
    "kiosks": "/console/kiosks",
    "conflicts": "/console/conflicts",
    "handoffs": "/console/handoffs",
    "hours": "/console/hours",
    "accreditations": "/console/accreditations?q=a",
}


def test_screenshots_of_every_page_in_both_languages(sqlite_hub_db, console_site, chrome, tmp_path):
    site = console_site(sqlite_hub_db)
    busy_morning(site)
    office_hours(site)
    out = Path(os.environ.get("WEB_SCREENSHOTS") or tmp_path / "shots")
    out.mkdir(parents=True, exist_ok=True)
    entry = site.entry("approved_ministerial").accreditation.id
    pages = PAGES | {"applicant": f"/console/accreditations/{entry}"}
    chrome.get(site.server.url + "/console/sign-in")
    shots = {"web-sign-in-en.png": chrome.get_screenshot_as_png()}
    # The kiosks as the chief sees them (who may revoke one), the rest as the office.
    for account, names in (("chief", {"kiosks"}), ("anna", pages.keys() - {"kiosks"})):
        sign_in(chrome, site, account)
        for lang in ("en", "fr"):
            chrome.get(f"{site.server.url}/console/lang/{lang}?next=/console/today")
            for name in names:
                chrome.get(site.server.url + pages[name])
                assert chrome.find_elements(By.TAG_NAME, "h1"), name
                shots[f"web-{name}-{lang}.png"] = whole_page(chrome)
            if account == "chief":  # asked to confirm revoking a counter, then Cancel
                shots[f"web-confirm-kiosk-{lang}.png"] = asked_to_revoke(chrome, "G3")
                wait_for(chrome, lambda d: d.current_url.endswith("/console/kiosks"))
        chrome.find_element(By.CSS_SELECTOR, "form.who button").click()
        wait_for(chrome, lambda d: "/console/sign-in" in d.current_url)
        shots.setdefault("web-sign-in-fr.png", chrome.get_screenshot_as_png())  # still French
        chrome.get(f"{site.server.url}/console/lang/en?next=/console/sign-in")
    sign_in(chrome, site, "anna")
    chrome.get(f"{site.server.url}/console/lang/fr?next=/console/today")
    for name, png in shots.items():
        (out / name).write_bytes(png)
        assert png.startswith(b"\x89PNG") and len(png) > 10_000, name
    assert len(shots) == 18
    with site.db.reading() as s:
        assert s.get(h.ClientRow, "G3").revoked_at is None  # cancelled
    chrome.get(site.server.url + "/console/today")
    today = chrome.find_element(By.TAG_NAME, "main").text
    assert "Badges émis par heure" in today and "Refus aux guichets" in today
    assert "pas un badge 1 SEC1" in today  # turned away at the post
    assert chrome.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    # The office opens the Visitors office on Sunday mornings.
    chrome.find_element(By.LINK_TEXT, "Horaires").click()
    form = chrome.find_element(By.ID, "add-span")
    Select(form.find_element(By.NAME, "counter")).select_by_value("visitors")
    form.find_element(By.NAME, "span").send_keys("10:00-12:00")
    Select(form.find_element(By.NAME, "weekday")).select_by_value("sun")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(chrome, lambda d: "done=hours_added" in d.current_url)
    assert "Horaire ajouté" in chrome.find_element(By.CLASS_NAME, "done").text
    week = chrome.find_element(By.CSS_SELECTOR, "table.week").text
    assert "dim. 15.02.2026 10:00–12:00" in week
    # The office marks the counter's hand-off handled.
    chrome.get(site.server.url + "/console/handoffs")
    card = chrome.find_element(By.CSS_SELECTOR, "article.handoff.open")
    card.find_element(By.NAME, "note").send_keys("Approuvée après appel.")
    card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(chrome, lambda d: "done=handled" in d.current_url)
    card = chrome.find_element(By.CSS_SELECTOR, "article.handoff.settled")
    assert "Réglée par web:anna" in card.text and "Approuvée après appel." in card.text
    # The office reinstates G3's badge: the holder wears it; G2's is revoked.
    chrome.get(site.server.url + "/console/conflicts")
    [button] = chrome.find_elements(By.CSS_SELECTOR, "button[value=reinstated]")
    assert button.text.startswith("Rétablir G3-")
    card = button.find_element(By.XPATH, "ancestor::article")
    card_id = card.get_attribute("id")
    card.find_element(By.NAME, "note").send_keys("Le titulaire porte le badge de G3.")
    button.click()
    wait_for(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "article.confirm"))
    assert chrome.find_element(By.TAG_NAME, "h1").text.startswith("Rétablir G3-")
    assert "Cette action est irréversible." in chrome.find_element(By.TAG_NAME, "main").text
    chrome.find_element(By.CSS_SELECTOR, "article.confirm button[type=submit]").click()
    wait_for(chrome, lambda d: "done=settled" in d.current_url)
    assert chrome.find_elements(By.CSS_SELECTOR, "button[value=reinstated]") == []
    settled = chrome.find_element(By.ID, card_id).text
    assert "badge rétabli — web:anna" in settled and "actif" in settled
