"""Sync on the counter screen, against a real hub served by uvicorn on 127.0.0.1: the bar
goes online, shows what waits to be sent and sees it drained, goes offline when the hub
stops, names the conflicts about this kiosk in both languages; the screen keeps working
while a sync round hangs."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta

import httpx
import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.demo.build import mrz_text
from app.demo.hub_export import demo_export
from app.wiring import open_kiosk
from hub.app import create_app
from hub.clients import Role as HubRole
from hub.clients import enrol, enrolment
from hub.database import HubDatabase, utc_now
from hub.importer import import_data
from hub.keys import confirmation_signer
from hub.schema import ConflictRow
from hub.settle import HANDLED, settle
from kiosk.codes import confirmation_code
from kiosk.model import BRUSSELS, Counter
from kiosk.roles import Actor, Role
from sync.state import enrol as enrol_kiosk
from sync.state import set_hub_url
from sync.worker import SyncStatus
from tests.site_fixtures import HubServer, free_port
from ui.counter_window import CounterScreen
from ui.language import Language, language
from ui.pictogram import Shape
from ui.presenter import CounterPresenter, PrintPhase
from ui.sync_status import SyncStatusBar, SyncView, start_sync
from ui.theme import BASE_PX, TROUBLE

NOON = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)


class Gate:
    """ASGI middleware holding kiosk requests while closed (a hub that hangs)."""

    def __init__(self, app) -> None:
        self.app, self.open, self.held = app, threading.Event(), threading.Event()
        self.open.set()

    async def __call__(self, scope, receive, send) -> None:
        kiosk = scope["type"] == "http" and not scope["path"].startswith("/v1/office")
        if kiosk and not self.open.is_set():
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.open.wait, 20)
        await self.app(scope, receive, send)


class Hub:
    """A filled hub database served on 127.0.0.1 (tests/site_fixtures.py's HubServer,
    behind a gate); stop and start it at will."""

    def __init__(self, db: HubDatabase, entries: list) -> None:
        self.db, self.entries = db, entries
        self.gate = Gate(create_app(db))
        self.server = HubServer(db, self.gate)

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        if self.server.running:
            self.gate.open.set()  # a request held at the gate must not hold the stop
        self.server.stop()

    def entry(self, situation: str):
        return next(e for e in self.entries if e.situation == situation)

    def code(self, situation: str) -> str:
        acc_id = self.entry(situation).accreditation.id
        return confirmation_code(confirmation_signer(self.db), acc_id)

    def revoke(self, situation: str) -> None:
        token = enrol(self.db, "OFFICE", HubRole.OFFICE)
        r = httpx.post(
            f"{self.url}/v1/office/status",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "accreditation_id": self.entry(situation).accreditation.id,
                "status": "revoked",
                "reason": "revoked by the office",
            },
            timeout=10,
        )
        assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def export_and_entries():
    return demo_export(NOON.date(), 30)


@pytest.fixture
def hub(tmp_path, export_and_entries):
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    import_data(db, export_and_entries[0], "demo.json", utc_now())
    h = Hub(db, export_and_entries[1])
    h.start()
    yield h
    h.stop()
    db.close()


class Recorder(QObject):
    """Keeps every view the relay hands to the UI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[SyncView] = []

    @Slot(object)
    def keep(self, view: SyncView) -> None:
        self.views.append(view)


@pytest.fixture
def counter(qtbot, hub, tmp_path):
    """An enrolled kiosk's counter screen with its sync relay (0.2 s rounds)."""
    kiosk = open_kiosk(tmp_path / "G1", Counter.GROUPS, kiosk_id="G1", clock=lambda: NOON)
    token = enrol(hub.db, "G1", HubRole.COUNTER)
    enrol_kiosk(kiosk.store, enrolment(hub.db, "G1", HubRole.COUNTER, token, hub.url))
    relay = start_sync(kiosk, interval=0.2, max_backoff=0.5)
    assert relay is not None
    recorder = Recorder()
    relay.status.connect(recorder.keep)
    w = CounterScreen(CounterPresenter(kiosk, Actor("ann", Role.CLERK)), sync=relay)
    qtbot.addWidget(w)
    w.show()
    yield w, relay, recorder
    relay.stop()
    w.p.background.wait()
    kiosk.close()


def speak(lang: Language) -> None:
    """Switch the language and let every widget retranslate (Qt posts LanguageChange)."""
    language().set(lang)
    QApplication.processEvents()


def phase(w) -> PrintPhase | None:
    """Where the badge on the print panel stands (None: no badge there)."""
    return w.p.print.phase if w.p.print else None


def scan(qtbot, w, text: str) -> None:
    for line in text.splitlines():
        qtbot.keyClicks(w.scan_field, line)
        qtbot.keyClick(w.scan_field, Qt.Key.Key_Return)


def online(bar: SyncStatusBar) -> bool:
    """Online, with a round finished and nothing left to send."""
    return (bar.state.text(), bar.outbox.text(), bar.last.text()) == (
        "● Online",
        "Everything sent",
        "Last sync 10:00:00",
    )


def to_report(bar: SyncStatusBar) -> int:
    """Badges the bar says the hub has not heard of yet."""
    text = bar.outbox.text()
    return int(text.split()[0]) if text.endswith("not yet reported") else 0


def test_a_kiosk_not_enrolled_has_no_sync(demo_dir, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        assert start_sync(kiosk) is None
    finally:
        kiosk.close()


@pytest.mark.slow
def test_the_bar_follows_the_hub_and_the_screen_never_waits_for_it(qtbot, hub, counter):
    w, relay, recorder = counter
    bar = w.sync_bar
    qtbot.waitUntil(lambda: online(bar), timeout=60_000)
    assert any(v.status.progress for v in recorder.views)  # the first sync's pages

    hub.gate.open.clear()  # the hub hangs in the middle of a round…
    relay.wake()
    assert hub.gate.held.wait(10)
    scan(qtbot, w, hub.code("approved_ministerial"))  # …and the counter works on
    assert w.banner.text() == "SCAN THE ID DOCUMENT"
    hub.gate.open.set()

    hub.stop()
    qtbot.waitUntil(lambda: bar.state.text().startswith("⚠ Offline"), timeout=60_000)
    scan(qtbot, w, mrz_text(hub.entry("approved_ministerial").presented))
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_F12)  # issued offline
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.PRINTED, timeout=60_000)
    # The issuance, the print sent and printed are several journal rows but one badge.
    qtbot.waitUntil(lambda: bar.outbox.text() == "1 badge not yet reported", timeout=60_000)
    assert bar.state.text().startswith("⚠ Offline 0\u00a0min")  # the kiosk's clock stands still
    assert TROUBLE in bar.state.styleSheet()  # system trouble, never the REFUSE red

    hub.start()
    qtbot.waitUntil(lambda: online(bar), timeout=60_000)  # drained


@pytest.mark.slow
def test_conflicts_naming_this_kiosk_are_shown_in_both_languages(qtbot, hub, counter):
    w, relay, _ = counter
    bar = w.sync_bar
    qtbot.waitUntil(lambda: online(bar), timeout=60_000)
    set_hub_url(w.p.kiosk.store, f"http://127.0.0.1:{free_port()}")  # cut off from the hub
    qtbot.waitUntil(lambda: bar.state.text().startswith("⚠ Offline"), timeout=60_000)
    hub.revoke("approved_ministerial")  # …which it does not hear of
    scan(qtbot, w, hub.code("approved_ministerial"))
    scan(qtbot, w, mrz_text(hub.entry("approved_ministerial").presented))
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)
    qtbot.keyClick(w.scan_field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.PRINTED, timeout=60_000)
    assert w.banner.text() == "NO CARD PRINTED: PDF ONLY"
    set_hub_url(w.p.kiosk.store, hub.url)
    relay.wake()
    qtbot.waitUntil(lambda: bar.conflicts.isVisible(), timeout=60_000)
    # The revocation names the badge on screen: the banner flips, never green beside it.
    qtbot.waitUntil(
        lambda: w.banner.text() == "BADGE REVOKED: NO CARD WAS PRINTED", timeout=60_000
    )  # the folder printer wrote a PDF: no card to take back
    assert w.pictogram.shape is Shape.CROSS and "#1b5e20" not in w.verdict_box.styleSheet()
    assert not w.status.isVisible()  # no "Badge … issued." left under the revocation
    serial = w.p.print.serial
    assert w.print_panel.headline.text() == (
        f"Badge {serial} is revoked, and no card of it was printed: do not print it"
    )
    english = bar.conflicts.text()
    assert english.startswith("A conflict about this kiosk's badge: Badge ")
    assert w.p.print.serial in english
    speak(Language.FR)
    try:
        french = bar.conflicts.text()
        assert french != english and w.p.print.serial in french
        assert w.banner.text() == "BADGE RÉVOQUÉ : AUCUNE CARTE IMPRIMÉE"
    finally:
        speak(Language.EN)
    # The office settles it at the hub's web console: the banner goes at the next sync.
    with hub.db.reading() as s:
        [conflict] = s.scalars(select(ConflictRow)).all()
    settle(hub.db, conflict.id, HANDLED, "security retained it", "web:chief", utc_now())
    relay.wake()
    qtbot.waitUntil(lambda: not bar.conflicts.isVisible(), timeout=60_000)


def test_the_bar_shows_a_first_sync_in_progress(qtbot):
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    assert bar.state.text() == "Connecting to the accreditation office…"
    status = SyncStatus(True, True, None, 0, 400, "", 0, progress=(400, 1000))
    bar.show_status(SyncView(status))
    assert bar.receiving.text() == "Receiving approvals: 40%"
    assert bar.progress.value() == 400 and bar.last.text() == "Not synced yet"
    offline = SyncStatus(True, False, NOON, 7, 1000, "unreachable", 0)
    bar.show_status(SyncView(offline, badges=1, at=NOON + timedelta(minutes=12, seconds=40)))
    assert bar.state.text() == "⚠ Offline 12\u00a0min: working on the last approvals received"
    assert bar.outbox.text() == "1 badge not yet reported"
    assert bar.last.text() == "Last sync 10:00:00"
    assert bar.receiving.isHidden()
    bar.show_status(SyncView(offline, badges=3, at=NOON))
    assert bar.outbox.text() == "3 badges not yet reported"
    # past an hour, as the security post says an age (it said "Offline 125 min")
    bar.show_status(SyncView(offline, at=NOON + timedelta(minutes=125)))
    assert bar.state.text().startswith("⚠ Offline 2\u00a0h\u00a005\u00a0min: working")
    bar.show_status(SyncView(offline, badges=0, at=NOON))  # decisions journalled, no badge
    assert bar.outbox.text() == "Journal entries not yet reported: 7"
    never = SyncStatus(True, False, None, 0, 0, "unreachable", 0)
    bar.show_status(SyncView(never, at=NOON))
    assert bar.state.text().startswith("⚠ Offline, never synced")
    assert bar.outbox.text() == "Everything sent"


def test_the_bar_says_when_the_kiosk_refuses_its_hub_in_both_languages(qtbot):
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    font = bar.font()
    font.setPixelSize(BASE_PX)  # the counter screen's font (ui/theme.py)
    bar.setFont(font)
    shown, widths = {}, []
    for code in ("certificate_mismatch", "plain_http_refused", "feed_key_retired"):
        status = SyncStatus(True, False, NOON, 2, 10, "the hub presented …", 0, error_code=code)
        bar.show_status(SyncView(status))
        shown[code, Language.EN] = bar.state.text()
        speak(Language.FR)
        try:
            shown[code, Language.FR] = bar.state.text()
            widths.append(bar.minimumSizeHint().width())
        finally:
            speak(Language.EN)
    assert shown["certificate_mismatch", Language.EN] == (
        "● Not syncing: the hub's certificate is not the trusted one. Call the office."
    )
    assert shown["certificate_mismatch", Language.FR] == (
        "● Pas de synchronisation : certificat du hub non reconnu. Appeler le bureau."
    )
    assert shown["plain_http_refused", Language.EN].startswith("● Not syncing: unprotected")
    assert "non protégée" in shown["plain_http_refused", Language.FR]
    assert shown["feed_key_retired", Language.EN] == (
        "● Not syncing: this kiosk must be enrolled again. Call the office."
    )
    assert shown["feed_key_retired", Language.FR] == (
        "● Pas de synchronisation : ce poste doit être réinscrit. Appeler le bureau."
    )
    assert bar.outbox.text() == "Journal entries not yet reported: 2"  # still shown
    assert max(widths) < 1366 - 40  # the bar fits the smallest counter screen, in French


@pytest.mark.slow
def test_a_counter_whose_clock_is_three_hours_ahead_is_warned_until_it_is_set(qtbot, hub, tmp_path):
    shift = [timedelta(hours=3)]
    kiosk = open_kiosk(
        tmp_path / "G2", Counter.GROUPS, kiosk_id="G2", clock=lambda: utc_now() + shift[0]
    )
    token = enrol(hub.db, "G2", HubRole.COUNTER)
    enrol_kiosk(kiosk.store, enrolment(hub.db, "G2", HubRole.COUNTER, token, hub.url))
    relay = start_sync(kiosk, interval=0.2, max_backoff=0.5)
    bar = SyncStatusBar(relay)
    qtbot.addWidget(bar)
    bar.show()
    try:
        qtbot.waitUntil(lambda: bar.clock.isVisible(), timeout=60_000)
        assert bar.clock.text() == (
            "⚠ This kiosk's clock is 3 h 00 min ahead of the hub's: dates and opening hours "
            "may be judged wrong. Ask IT to set the clock."
        )
        assert TROUBLE in bar.clock.styleSheet() and "#b71c1c" not in bar.clock.styleSheet()
        speak(Language.FR)
        assert bar.clock.text().startswith("⚠ L'horloge de ce poste a 3 h 00 min d'avance")
        speak(Language.EN)
        shift[0] = timedelta(0)  # IT sets the clock: the next page clears the warning
        relay.wake()
        qtbot.waitUntil(lambda: not bar.clock.isVisible(), timeout=60_000)
        assert bar.view.status.clock is not None and not bar.view.status.clock.off
    finally:
        relay.stop()
        kiosk.close()
