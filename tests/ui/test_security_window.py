"""The security post's screen, driven with a scanner's keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.wiring import open_kiosk, read_mrz
from kiosk.codes import BadgeClaim, Signer, badge_code
from kiosk.model import Counter, Flow
from kiosk.post_journal import PostJournal
from kiosk.roles import Actor, Role
from kiosk.store.database import Store
from ui.language import Language, language
from ui.security_window import DATA_STALE, SecurityPresenter, SecurityScreen

ANN = Actor("ann", Role.CLERK)
GUARD = Actor("gus", Role.SECURITY)


@pytest.fixture
def post(qtbot, demo_dir, manifest, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    a = next(x for x in manifest["applicants"] if x["situation"] == "pool_photographer")
    badge = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge
    presenter = SecurityPresenter(kiosk.security_post(), kiosk.post_journal(), GUARD)
    window = SecurityScreen(presenter)
    qtbot.addWidget(window)
    window.show()
    window.serial = badge.serial  # what the badge's Code128 barcode reads
    yield window, kiosk, a, kiosk.desk.cards.card(badge.serial).badge_code
    kiosk.close()


def scan(qtbot, window, text):
    qtbot.keyClicks(window.scan_field, text)
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)


def test_valid_badge_shows_valid_with_photo_and_name(qtbot, post):
    window, _, _, code = post
    assert window.banner.text().startswith("SCAN A BADGE")
    scan(qtbot, window, code)
    assert window.banner.text() == "VALID"
    assert "#1b5e20" in window.banner.styleSheet()
    assert window.facts["name"].text().startswith("GARCÍA")
    assert "POOL" not in window.facts["kind"].text()  # a pool card is its own card
    assert not window.photo.pixmap().isNull()


def test_superseded_badge_shows_not_valid_and_why(qtbot, post):
    window, kiosk, a, code = post
    kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, Actor("bob", Role.SUPERVISOR), "damaged")
    scan(qtbot, window, code)
    assert window.banner.text() == "NOT VALID"
    assert "SUPERSEDED" in window.reason.text()


def test_the_post_speaks_one_language_at_a_time(qtbot, post):
    window, kiosk, a, code = post
    kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, Actor("bob", Role.SUPERVISOR), "damaged")
    scan(qtbot, window, code)
    english = window.reason.text()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: window.banner.text() == "NON VALABLE")
        assert "REMPLACÉ" in window.reason.text() and "SUPERSEDED" not in window.reason.text()
        assert window.captions["name"].text() == "Nom"
    finally:
        language().set(Language.EN)
    qtbot.waitUntil(lambda: window.reason.text() == english)


def test_forged_badge(qtbot, post, demo_now):
    window, *_ = post
    day = demo_now.date()
    claim = BadgeClaim(1, "G1", 1, day, day, Flow.EVENT, Counter.GROUPS, "DEFMIN")
    forged = badge_code(Signer.generate(65), claim)
    scan(qtbot, window, forged)
    assert window.banner.text() == "NOT VALID"
    assert "FORGED" in window.reason.text()
    assert window.facts["name"].text() == ""


def test_confirmation_code_is_not_a_badge_and_screen_returns_to_waiting(qtbot, post):
    window, _, a, _ = post
    scan(qtbot, window, a["code"])
    assert window.reason.text().startswith("A confirmation letter's code, not a badge")
    window.p.clear()
    assert window.banner.text().startswith("SCAN A BADGE")


@pytest.mark.slow
def test_kiosk_security_command_starts_the_post(demo_dir):
    """`kiosk security` opens its window: the line it logs once the event loop runs
    comes, and the process is still running then."""
    import os
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "security", "--data-dir", str(demo_dir)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = []
        for line in proc.stderr:  # ends when the process does
            said.append(line)
            if f"the window is open on {demo_dir}" in line:
                break
        still_running = proc.poll() is None
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=60)
    assert said and "the window is open" in said[-1], "".join(said) + err
    assert still_running, "".join(said) + err


def test_a_badge_signed_with_another_counters_key_shows_forged(qtbot, post, demo_dir):
    """V1's genuine key on a badge that names G1: refused, the holder still shown."""
    from kiosk.codes import read_badge
    from kiosk.counter import load_keyring

    window, kiosk, _, code = post
    claim, _ = read_badge(code, load_keyring(kiosk.store, "badge"))
    saved = (demo_dir / "keys" / "badge-V1.key").read_bytes()
    v1_key = Signer.from_private_bytes(saved[0], saved[1:])
    scan(qtbot, window, badge_code(v1_key, claim))
    assert window.banner.text() == "NOT VALID"
    assert "signed with the key of V1" in window.reason.text()
    assert window.facts["name"].text().startswith("GARCÍA")


def test_a_genuine_badge_newer_than_the_posts_list_asks_for_a_check(qtbot, post, demo_dir):
    """At a synced post, a serial above the list's highest may have been issued since the
    last sync: orange CHECK, and what to do, rather than a flat refusal."""
    from dataclasses import replace
    from datetime import timedelta

    from kiosk.codes import read_badge
    from kiosk.counter import load_keyring
    from kiosk.store.schema import SyncStateRow

    window, kiosk, _, code = post
    with kiosk.store.writing() as s:
        s.add(
            SyncStateRow(
                id=1,
                hub_url="http://127.0.0.1:9",
                hub_id="HUB",
                hub_key=bytes(32),
                kiosk_id="SEC1",
                role="security",
                cursor=1,
                acked_journal_id=0,
                last_sync_at=kiosk.desk.clock() - timedelta(seconds=30),
                last_error="",
            )
        )
    claim, _ = read_badge(code, load_keyring(kiosk.store, "badge"))
    saved = (demo_dir / "keys" / "badge-G1.key").read_bytes()
    g1_key = Signer.from_private_bytes(saved[0], saved[1:])
    scan(qtbot, window, badge_code(g1_key, replace(claim, sequence=claim.sequence + 1)))
    assert window.banner.text() == "CHECK"
    assert "#e65100" in window.banner.styleSheet()
    assert "Sync now, or check by radio" in window.reason.text()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: window.banner.text() == "À VÉRIFIER")
        assert "vérifier par radio" in window.reason.text()
    finally:
        language().set(Language.EN)


@pytest.mark.parametrize("typed", ["as printed", "US scanner on a Belgian keyboard"])
def test_a_valid_badges_serial_asks_for_the_qr_code_in_a_neutral_colour(qtbot, post, typed):
    from scanning.keyboard_layout import BE, US, Mismatch, retype

    window, *_ = post
    serial = window.serial
    # QTest cannot type "à" or "é": the field is filled as the scanner's burst would fill it
    window.scan_field.setText(serial if typed == "as printed" else retype(serial, Mismatch(US, BE)))
    qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    assert window.banner.text() == "SCAN THE QR CODE"
    assert "#455a64" in window.banner.styleSheet() and "#b71c1c" not in window.banner.styleSheet()
    assert "scan the QR code" in window.reason.text()
    assert window.facts["serial"].text() == serial
    assert window.facts["name"].text().startswith("GARCÍA")  # the guard compares the photo
    assert not window.photo.pixmap().isNull()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: window.banner.text() == "SCANNER LE CODE QR")
    finally:
        language().set(Language.EN)


def test_a_replaced_badges_serial_is_not_valid_and_says_take_it(qtbot, post):
    window, kiosk, a, _ = post
    kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, Actor("bob", Role.SUPERVISOR), "damaged")
    scan(qtbot, window, window.serial)
    assert window.banner.text() == "NOT VALID"
    assert "Take the badge from the holder" in window.reason.text()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: "Retirer le badge à son porteur" in window.reason.text())
    finally:
        language().set(Language.EN)


def test_the_post_shows_local_data_when_no_hub_feeds_it(post):
    window, *_ = post
    assert window.data_line.text() == "Local data: no hub feeds this post."


def _enrol(kiosk, synced_ago, error=""):
    from kiosk.store.schema import SyncStateRow

    with kiosk.store.writing() as s:
        s.add(
            SyncStateRow(
                id=1,
                hub_url="http://127.0.0.1:9",
                hub_id="HUB",
                hub_key=bytes(32),
                kiosk_id="SEC1",
                role="security",
                last_sync_at=kiosk.desk.clock() - synced_ago,
                last_error=error,
            )
        )


def test_the_post_says_online_and_the_age_of_its_data(qtbot, post):
    from datetime import timedelta

    window, kiosk, _, code = post
    _enrol(kiosk, timedelta(minutes=4))
    scan(qtbot, window, code)  # a scan brings the data line up to date too
    assert window.data_line.text() == "ONLINE · data 4\u00a0min old"
    assert "#ffb300" not in window.data_line.styleSheet()


def test_an_offline_post_with_old_data_warns_in_amber_in_both_languages(qtbot, post):
    from datetime import timedelta

    window, kiosk, *_ = post
    _enrol(kiosk, timedelta(hours=1, minutes=5), error="hub unreachable")
    window.p.refresh_data()  # what the screen's timer does every 30 s
    text = window.data_line.text()
    assert text.startswith("OFFLINE · data 1\u00a0h\u00a005\u00a0min old — older than the 30")
    assert "#ffb300" in window.data_line.styleSheet()
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: window.data_line.text().startswith("HORS LIGNE"))
        assert "au-delà de la limite de 30" in window.data_line.text()
    finally:
        language().set(Language.EN)


def test_a_scan_cut_short_asks_for_the_qr_code_again_not_red(qtbot, post):
    """A burst that lost its end read NOT VALID in red on a valid badge."""
    window, _, _, code = post
    scan(qtbot, window, code[:100])
    assert window.banner.text() == "SCAN THE QR CODE"
    assert "#455a64" in window.banner.styleSheet() and "#b71c1c" not in window.banner.styleSheet()
    assert window.reason.text().startswith("Part of a badge's code only")
    scan(qtbot, window, code)  # the next scan, no click between
    assert window.banner.text() == "VALID"


def test_two_scans_run_together_ask_for_the_qr_code_again_not_forged(qtbot, post):
    """A scanner sending no Enter: the second scan ran into the first, and a valid badge
    read FORGED in red, "take the badge from the holder"."""
    window, _, _, code = post
    scan(qtbot, window, code + code)
    assert window.banner.text() == "SCAN THE QR CODE"
    assert "#b71c1c" not in window.banner.styleSheet()
    assert window.reason.text().startswith("More letters than a badge's code")
    scan(qtbot, window, code)
    assert window.banner.text() == "VALID"


def test_a_badge_whose_holder_was_purged_names_no_one(qtbot, post, demo_now):
    """After the retention period the holder's names are blank: the post showed "," and
    "freelance" beside an EXPIRED badge."""
    from datetime import timedelta

    from kiosk.purge import purge

    window, kiosk, _, code = post
    later = demo_now + timedelta(days=35)
    purge(kiosk.store, later, Actor("admin", Role.ADMINISTRATOR), "G1")
    window.p.post.clock = lambda: later
    scan(qtbot, window, code)
    assert window.banner.text() == "NOT VALID"
    assert window.facts["name"].text() == "(holder not on file: deleted after the event)"
    assert window.facts["organisation"].text() == ""
    language().set(Language.FR)
    try:
        qtbot.waitUntil(lambda: window.banner.text() == "NON VALABLE")
        assert window.facts["name"].text() == "(données du titulaire effacées après l'événement)"
    finally:
        language().set(Language.EN)


def test_the_waiting_banner_looks_like_no_result(qtbot, post):
    """Waiting was dark slate, SCAN THE QR CODE slate grey: from a step away, a serial's
    answer looked like the screen had not taken the scan."""
    window, _, _, _ = post
    waiting = window.banner.styleSheet()
    assert "background: #eceff1" in waiting and "color: #37474f" in waiting
    scan(qtbot, window, window.serial)
    assert window.banner.text() == "SCAN THE QR CODE"
    assert "background: #455a64" in window.banner.styleSheet()
    assert "color: white" in window.banner.styleSheet()


def test_the_same_badge_scanned_twice_shows_the_second_read(qtbot, post, demo_now):
    """Two scans of one badge looked the same: nothing told the guard the second was
    taken. The time it was read moves on."""
    from datetime import timedelta

    window, _, _, code = post
    now = [demo_now]
    window.p.post.clock = lambda: now[0]
    scan(qtbot, window, code)
    assert window.captions["read"].text() == "Read at"
    assert window.facts["read"].text() == f"{demo_now:%H:%M:%S}"
    now[0] = demo_now + timedelta(seconds=5)
    scan(qtbot, window, code)
    assert window.facts["read"].text() == f"{now[0]:%H:%M:%S}"
    window.p.clear()
    assert window.facts["read"].text() == ""


def test_a_french_post_names_the_event_as_the_office_gave_it_in_french(qtbot, post):
    window, _, _, code = post
    scan(qtbot, window, code)
    assert window.facts["kind"].text().endswith("Meeting of NATO Ministers of Defence")
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: window.banner.text() == "VALABLE")
        assert (
            window.facts["kind"]
            .text()
            .endswith("Réunion des ministres de la Défense des pays de l'OTAN")
        )
    finally:
        language().set(Language.EN)
    qtbot.waitUntil(lambda: window.facts["kind"].text().endswith("Ministers of Defence"))


@pytest.mark.slow
def test_a_post_whose_clock_is_ahead_says_so_in_amber_until_it_is_set(qtbot, sqlite_site):
    from hub.clients import Role as HubRole
    from hub.database import utc_now
    from kiosk.post_journal import PostJournal
    from kiosk.verify import SecurityPost
    from sync.client import SyncClient

    station = sqlite_site.kiosk("SEC1", role=HubRole.SECURITY)
    shift = [timedelta(hours=3)]

    def clock():
        return utc_now() + shift[0]

    client = SyncClient(station.store, clock, timeout=5.0)
    try:
        client.sync_once()
        journal = PostJournal(station.store, "SEC1", clock, None)
        presenter = SecurityPresenter(SecurityPost(station.store, clock), journal, GUARD)
        window = SecurityScreen(presenter)
        qtbot.addWidget(window)
        line = window.data_line
        assert line.text().startswith("ONLINE · data 0\u00a0min old — ⚠ This kiosk's clock is")
        assert "3 h 00 min ahead of the hub's: badge dates may be judged wrong." in line.text()
        assert DATA_STALE in line.styleSheet()
        language().set(Language.FR)
        presenter.refresh_data()
        assert "3 h 00 min d'avance" in line.text()
        language().set(Language.EN)
        shift[0] = timedelta(0)
        client.sync_once()
        presenter.refresh_data()
        assert line.text() == "ONLINE · data 0\u00a0min old"
        assert DATA_STALE not in line.styleSheet()
    finally:
        language().set(Language.EN)
        client.close()


def test_with_tones_on_each_scan_sounds_its_answer_once(qtbot, post):
    from ui.tones import Tone

    window, kiosk, a, code = post
    window.tones.enabled = True  # as the settings' tones switch them on (sound: test_tones)
    scan(qtbot, window, code)
    scan(qtbot, window, window.serial)  # the barcode alone: scan the QR code
    window.p.refresh_data()  # the data line moves: no new answer, no new sound
    kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, Actor("bob", Role.SUPERVISOR), "damaged")
    scan(qtbot, window, code)
    assert window.banner.text() == "NOT VALID"
    scan(qtbot, window, code)  # the same badge again: a second answer, a second sound
    assert window.tones.played == [Tone.ISSUE, Tone.REDIRECT, Tone.REFUSE, Tone.REFUSE]


@pytest.mark.slow  # waits out the store's busy timeout
def test_a_check_the_journal_cannot_take_is_said_until_one_is_taken(qtbot, post, demo_dir):
    import sqlite3

    _, kiosk, _, code = post
    # The post's journal on the kiosk's store opened to wait 0.3 s for a writer, not 5 s.
    impatient = Store.in_dir(demo_dir, busy_timeout=0.3)
    journal = PostJournal(impatient, kiosk.desk.kiosk_id, kiosk.desk.clock, None)
    window = SecurityScreen(SecurityPresenter(kiosk.security_post(), journal, GUARD))
    qtbot.addWidget(window)
    window.show()
    blocker = sqlite3.connect(demo_dir / "kiosk.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the store past its wait
    try:
        scan(qtbot, window, code)
        assert window.banner.text() == "VALID"  # the answer never waits for the journal
        qtbot.waitUntil(lambda: window.p.unjournalled == 1, timeout=60_000)
        assert "checks the journal could not take: 1" in window.data_line.text()
        assert DATA_STALE in window.data_line.styleSheet()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    scan(qtbot, window, code)
    qtbot.waitUntil(lambda: window.p.unjournalled == 0, timeout=60_000)
    assert "journal" not in window.data_line.text()
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:
        taken = db.execute("select count(*) from journal where action = 'post_check'")
        assert taken.fetchone() == (1,)  # the second check; the first is in the log only
    window.p.wait()
    impatient.close()
