"""Two counters and a security post syncing through a real hub (SQLite and PostgreSQL),
in plain http on loopback and over TLS with the hub's certificate pinned; a hub with
another certificate, plain http beyond loopback and forged answers are refused."""

from __future__ import annotations

import socket
import sqlite3
import time

import httpx
import pytest
from site_fixtures import HubServer
from sqlalchemy import func, select

from hub import schema as h
from hub.clients import Role
from hub.database import utc_now
from kiosk.counter import load_keyring
from kiosk.model import Counter, Verdict
from kiosk.store import schema as k
from kiosk.verify import verify_badge
from sync.client import FeedRejected, HubClaimsMore, HubNotTrusted, SyncClient, SyncRefused
from sync.protocol import SIGNATURE_HEADER
from sync.state import outbox_length, require_state
from sync.transport import hub_transport
from sync.worker import SyncWorker


@pytest.fixture(params=["http", "https"])
def transport(request) -> str:
    """Every site of this module is served in plain http on loopback and over TLS."""
    return request.param


def kiosk_badges(station) -> dict[str, str]:
    with station.store.reading() as s:
        return {b.serial: b.status for b in s.scalars(select(k.BadgeRow))}


def hub_badges(db) -> dict[str, str]:
    with db.reading() as s:
        return {b.serial: b.status for b in s.scalars(select(h.BadgeRow))}


def accreditations(session, table) -> dict[int, tuple]:
    return {
        a.id: (a.status, a.doc_number_digest, a.person_id) for a in session.scalars(select(table))
    }


def test_two_counters_and_a_security_post_sync_through_the_hub(site):
    g1 = site.kiosk("G1", counter=Counter.GROUPS)
    v1 = site.kiosk("V1", counter=Counter.VISITORS)
    sec = site.kiosk("SEC1", Role.SECURITY)

    # First sync: a counter holds the office's approvals as the hub does, photos included.
    with site.db.reading() as s:
        at_hub = accreditations(s, h.AccreditationRow)
        photos_at_hub = s.scalar(select(func.count()).where(h.PersonRow.photo.is_not(None)))
    with g1.store.reading() as s:
        assert accreditations(s, k.AccreditationRow) == at_hub
        assert s.scalar(select(func.count()).select_from(k.PhotoRow)) == photos_at_hub
    with sec.store.reading() as s:  # a security post holds no accreditation without a badge
        assert s.scalar(select(func.count()).select_from(k.AccreditationRow)) == 0
        assert s.scalar(select(func.count()).select_from(k.EventRow)) == 5

    ministerial, annual = site.entry("approved_ministerial"), site.entry("approved_annual")
    assert g1.check(ministerial).verdict is Verdict.ISSUE
    g_badge = g1.issue(ministerial).badge.serial
    v_badge = v1.issue(annual).badge.serial
    for station in (g1, v1, g1, v1, sec):  # each delivers, then learns what the other did
        station.sync()

    assert set(hub_badges(site.db)) == {g_badge, v_badge}
    assert set(kiosk_badges(v1)) == {g_badge, v_badge} == set(kiosk_badges(sec))
    # The Visitors counter knows the badge issued at the Groups entrance.
    badge_check = next(c for c in v1.check(ministerial).checks if c.name == "badge")
    assert not badge_check.ok and g_badge in badge_check.reason_en

    # The security post holds the badge holders with photos, but no documents or proof.
    with sec.store.reading() as s:
        acc = s.get(k.AccreditationRow, ministerial.accreditation.id)
        person = s.get(k.PersonRow, ministerial.person.id)
        assert (acc.doc_number_digest, acc.press_card, acc.letter_id) == ("", None, None)
        assert person.surname == ministerial.person.surname
        assert person.email.endswith("@redacted.invalid")
        assert s.get(k.PhotoRow, ministerial.person.id) is not None
        assert s.scalar(select(func.count()).select_from(k.LetterRow)) == 0

    # Every journal row of both counters is at the hub, once.
    with site.db.reading() as s:
        held = {(j.kiosk_id, j.journal_id) for j in s.scalars(select(h.JournalRow))}
    for station, kid in ((g1, "G1"), (v1, "V1")):
        with station.store.reading() as s:
            ids = set(s.scalars(select(k.JournalRow.id)))
        assert ids and {(kid, i) for i in ids} == {x for x in held if x[0] == kid}

    # The office revokes: the badge is revoked at every kiosk, and the counter refuses.
    assert site.revoke(ministerial.accreditation.id, "press card withdrawn") == [g_badge]
    for station in (g1, v1, sec):
        station.sync()
        assert kiosk_badges(station)[g_badge] == "revoked"
        with station.store.reading() as s:
            assert s.get(k.AccreditationRow, ministerial.accreditation.id).status == "revoked"
    refused = g1.check(ministerial)
    assert refused.verdict is Verdict.REFUSE
    assert "press card withdrawn" in refused.headline_en


def test_a_revocation_reaches_online_kiosks_within_one_interval(sqlite_site):
    """The first round a worker starts after the office revokes brings the revocation:
    at most one interval later, however slow the machine (rounds counted, not timed)."""
    site = sqlite_site
    g1 = site.kiosk("G1")
    sec = site.kiosk("SEC1", Role.SECURITY)
    entry = site.entry("approved_ministerial")
    serial = g1.issue(entry).badge.serial
    g1.sync()
    sec.sync()
    revoked_at: list[float] = []
    seen: dict[str, str | None] = {}  # after the first round begun after the revocation
    rounds: dict[str, int] = {}  # rounds each worker ended

    def watch(name: str, station) -> None:
        sync_once = station.client.sync_once

        def round_(*args, **kw):
            began = time.monotonic()
            done = sync_once(*args, **kw)
            rounds[name] = rounds.get(name, 0) + 1
            if revoked_at and began > revoked_at[0] and name not in seen:
                seen[name] = kiosk_badges(station).get(serial)
            return done

        station.client.sync_once = round_

    watch("G1", g1), watch("SEC1", sec)
    workers = [SyncWorker(st.client, interval=0.5) for st in (g1, sec)]
    for w in workers:
        w.start()
    try:
        deadline = time.monotonic() + 60
        while len(rounds) < 2 and time.monotonic() < deadline:  # each ended a round: the
            time.sleep(0.02)  # workers are in their rhythm
        site.revoke(entry.accreditation.id)
        revoked_at.append(time.monotonic())
        deadline = time.monotonic() + 60
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        for w in workers:
            w.stop()
    assert seen == {"G1": "revoked", "SEC1": "revoked"}
    assert all(w.status().online for w in workers)


def test_a_tampered_feed_is_rejected_and_nothing_is_applied(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    site.revoke(site.entry("approved_ministerial").accreditation.id)

    class Tamper(httpx.BaseTransport):
        """Changes one byte of every feed page on its way to the kiosk."""

        def __init__(self) -> None:
            self.inner = hub_transport(site.server.pin)

        def handle_request(self, request):
            response = self.inner.handle_request(request)
            body = response.read()
            response.close()
            if request.url.path == "/v1/feed":
                body = body.replace(b'"revoked"', b'"approved"', 1)
            return httpx.Response(response.status_code, headers=response.headers, content=body)

        def close(self) -> None:
            self.inner.close()

    before = g1.client.store
    tampered = SyncClient(before, utc_now, transport=Tamper())
    with pytest.raises(FeedRejected, match="signature"):
        tampered.sync_once()
    tampered.close()
    with g1.store.reading() as s:
        acc = s.get(k.AccreditationRow, site.entry("approved_ministerial").accreditation.id)
        assert acc.status == "approved"
    g1.sync()  # the genuine feed goes through
    with g1.store.reading() as s:
        acc = s.get(k.AccreditationRow, site.entry("approved_ministerial").accreditation.id)
        assert acc.status == "revoked"


def test_a_replayed_page_is_rejected(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    state_token = g1.client.store
    from sync.state import require_state

    state = require_state(state_token)
    old = site.http(
        "GET",
        "/v1/feed",
        params={"cursor": state.cursor, "nonce": "an-old-nonce"},
        headers={"Authorization": f"Bearer {state.token}"},
    )

    class Replay(httpx.BaseTransport):
        def handle_request(self, request):
            return httpx.Response(
                200, headers={SIGNATURE_HEADER: old.headers[SIGNATURE_HEADER]}, content=old.content
            )

    replayed = SyncClient(g1.store, utc_now, transport=Replay())
    with pytest.raises(FeedRejected, match="replay"):
        replayed.pull()
    replayed.close()


def test_a_kiosk_ahead_of_a_restored_hub_pulls_everything_again(sqlite_site):
    g1 = sqlite_site.kiosk("G1")
    with g1.store.writing() as s:  # as if the hub had been restored from an older backup
        s.get(k.SyncStateRow, 1).cursor = 10**6
        s.get(k.AccreditationRow, 1).status = "pending"
    done = g1.sync()
    assert done.cursor < 10**6
    with g1.store.reading() as s:
        assert s.get(k.AccreditationRow, 1).status == "approved"


def test_a_security_post_verifies_badges_from_any_counter_until_revoked(sqlite_site, demo_now):
    site = sqlite_site
    g1, v1 = site.kiosk("G1"), site.kiosk("V1", counter=Counter.VISITORS)
    sec = site.kiosk("SEC1", Role.SECURITY)
    ministerial, annual = site.entry("approved_ministerial"), site.entry("approved_annual")
    codes = {}
    for station, entry in ((g1, ministerial), (v1, annual)):
        serial = station.issue(entry).badge.serial
        codes[serial] = station.kiosk.desk.cards.card(serial).badge_code
        station.sync()
    sec.sync()  # the counters' badge keys came with the badges

    def verify(code):
        with sec.store.reading() as s:
            return verify_badge(code, load_keyring(sec.store, "badge"), s, demo_now)

    assert all(verify(code).valid for code in codes.values())
    site.revoke(ministerial.accreditation.id, "security concern")
    sec.sync()
    results = {serial: verify(code) for serial, code in codes.items()}
    assert [r.reason for r in results.values()] == ["revoked", "ok"]


def test_a_badge_key_id_used_twice_on_the_site_is_refused(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1", badge_key_id=77)
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()
    g2 = site.kiosk("G2", badge_key_id=77)
    g2.issue(site.entry("editor_letter"))
    with pytest.raises(SyncRefused, match="key id 77 of G2 is taken by another key"):
        g2.sync()
    assert require_state(g2.store).last_error.startswith("the hub refused the journal")


class Recorder:
    """An ASGI wrapper that notes every HTTP request reaching the app."""

    def __init__(self, app) -> None:
        self.app, self.requests = app, []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.requests.append((scope["path"], dict(scope["headers"])))
        await self.app(scope, receive, send)


def sync_facts(station) -> tuple:
    state = require_state(station.store)
    with station.store.reading() as s:
        journal = s.scalar(select(func.count()).select_from(k.JournalRow))
    return state.cursor, state.acked_journal_id, journal


@pytest.mark.parametrize("transport", ["https"])
def test_a_hub_with_another_certificate_gets_nothing(sqlite_site, hub_certificates):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))  # waits in the outbox
    before = sync_facts(g1)
    # Someone else answers on the hub's address, with a certificate of their own for the
    # same names (and even the hub's own data behind it).
    g1.client.close()  # no connection to the genuine hub stays open
    site.server.stop()
    impostor_app = Recorder(site.server.app)
    impostor = HubServer(site.db, impostor_app, site.server.port, hub_certificates[1]).start()
    worker = SyncWorker(g1.client)
    try:
        with pytest.raises(HubNotTrusted, match="other than the one this kiosk was enrolled"):
            g1.client.sync_once()
    finally:
        impostor.stop()
    assert impostor_app.requests == []  # the handshake was cut before the token went out
    assert sync_facts(g1) == before
    status = worker.status()
    assert (status.online, status.error_code) == (False, "certificate_mismatch")
    assert hub_certificates[1].pin[:2].upper() in status.last_error

    site.server.start()  # the genuine hub is back on the same port
    done = g1.sync()
    assert done.delivered >= 1 and require_state(g1.store).last_error_code == ""


def no_connections(monkeypatch) -> list:
    """From now on every attempt to open a TCP connection is noted and fails."""
    attempts: list = []

    def refuse(address, *args, **kw):
        attempts.append(address)
        raise OSError("no connection in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize("transport", ["http"])
@pytest.mark.parametrize("url", ["http://192.0.2.1:8750", "http://hub.example.invalid:8750"])
def test_plain_http_beyond_loopback_is_refused_before_connecting(sqlite_site, monkeypatch, url):
    g1 = sqlite_site.kiosk("G1")
    g1.client.close()
    attempts = no_connections(monkeypatch)
    with g1.store.writing() as s:  # as a store from before the rule would hold it
        s.get(k.SyncStateRow, 1).hub_url = url
    before = sync_facts(g1)
    for client in (g1.client, SyncClient(g1.store, utc_now)):
        with pytest.raises(HubNotTrusted, match=r"plain http to .* refused") as refused:
            client.sync_once()
        assert refused.value.code == "plain_http_refused"
        client.close()
    assert attempts == []
    assert sync_facts(g1) == before
    assert require_state(g1.store).last_error_code == "plain_http_refused"


def test_a_forged_cursor_ahead_answer_changes_nothing(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    state = require_state(g1.store)
    # A genuine signed 409, but for another request (cursor and nonce): replayable bytes.
    genuine = site.http(
        "GET",
        "/v1/feed",
        params={"cursor": 10**6, "nonce": "captured-nonce"},
        headers={"Authorization": f"Bearer {state.token}"},
    )
    assert genuine.status_code == 409 and genuine.headers[SIGNATURE_HEADER]
    signature = genuine.headers[SIGNATURE_HEADER]
    unsigned = b'{"detail":"cursor_ahead: this hub has fewer changes; pull from 0"}'
    forgeries = [  # (why it is ignored, body, headers)
        ("not signed by the hub", unsigned, {}),
        ("not signed by the hub", genuine.content, {}),
        ("not signed by the hub", genuine.content, {SIGNATURE_HEADER: "AAAA"}),
        (
            "not signed by the hub",
            genuine.content.replace(b"10000", b"20000"),
            {SIGNATURE_HEADER: signature},
        ),
        ("another request", genuine.content, {SIGNATURE_HEADER: signature}),
    ]

    class Forge(httpx.BaseTransport):
        """Passes the journal through to the hub; answers every feed request 409."""

        def __init__(self, content: bytes, headers: dict) -> None:
            self.inner, self.content, self.headers = (
                hub_transport(site.server.pin),
                content,
                headers,
            )

        def handle_request(self, request):
            if request.url.path == "/v1/feed":
                return httpx.Response(409, headers=self.headers, content=self.content)
            return self.inner.handle_request(request)

        def close(self) -> None:
            self.inner.close()

    before = sync_facts(g1)
    for reason, content, headers in forgeries:
        forged = SyncClient(g1.store, utc_now, transport=Forge(content, headers))
        with pytest.raises(FeedRejected, match=reason):
            forged.sync_once()
        forged.close()
        assert sync_facts(g1) == before
    with g1.store.reading() as s:
        assert s.get(k.AccreditationRow, 1).status == "approved"


def test_a_round_with_nothing_to_deliver_still_reports_the_journal_head(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    g1.issue(site.entry("approved_ministerial"))
    g1.sync()
    with sqlite3.connect(g1.store.path) as db:  # the last entry, delivered, and the head go
        db.execute("delete from journal where id = (select max(id) from journal)")
        db.execute("delete from journal_head")
    with pytest.raises(HubClaimsMore, match="hub says it holds this kiosk's journal up to row"):
        g1.sync()  # it holds the row deleted: the kiosk says so too, and nothing is owed
    assert require_state(g1.store).last_error_code == "hub_claims_more"
    assert outbox_length(g1.store) == 0
    with site.db.reading() as s:
        kinds = set(s.scalars(select(h.ConflictRow.kind).where(h.ConflictRow.kiosk_id == "G1")))
    assert {"journal_truncated", "journal_head_invalid"} <= kinds


class Recording(httpx.BaseTransport):
    """The hub's own transport, noting the path of every request."""

    def __init__(self, pin: str) -> None:
        self.inner, self.paths = hub_transport(pin), []

    def handle_request(self, request):
        self.paths.append(request.url.path)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def rounds_paths(station, recording: Recording, cut: bool = False) -> list[str]:
    """The paths of a round's requests; `cut`: the kiosk's journal was cut short after
    the hub took it (the round says the hub holds more)."""
    recording.paths.clear()
    if cut:
        with pytest.raises(HubClaimsMore):
            station.sync()
    else:
        station.sync()
    return list(recording.paths)


def test_the_journal_head_goes_whenever_the_hub_does_not_hold_it(sqlite_site):
    site = sqlite_site
    recording = Recording(site.server.pin)
    g1 = site.kiosk("G1", transport=recording)
    g1.sync()  # delivers what its first sync wrote (the staff accounts taken)
    assert rounds_paths(g1, recording) == ["/v1/feed"]  # nothing the hub does not hold
    g1.issue(site.entry("approved_ministerial"))
    assert rounds_paths(g1, recording) == ["/v1/journal", "/v1/feed"]
    assert rounds_paths(g1, recording) == ["/v1/feed"]

    with sqlite3.connect(g1.store.path) as db:  # the last entry, delivered, and the head go
        db.execute("delete from journal where id = (select max(id) from journal)")
        db.execute("delete from journal_head")
    assert rounds_paths(g1, recording, cut=True) == ["/v1/journal", "/v1/feed"]  # another head
    with site.db.reading() as s:
        kinds = set(s.scalars(select(h.ConflictRow.kind).where(h.ConflictRow.kiosk_id == "G1")))
    assert "journal_truncated" in kinds

    restarted = Recording(site.server.pin)  # a new process tells the hub its head at once
    client = SyncClient(g1.store, utc_now, transport=restarted)
    with pytest.raises(HubClaimsMore):
        client.sync_once()
    client.close()
    assert restarted.paths == ["/v1/journal", "/v1/feed"]


def test_a_round_with_nothing_new_writes_the_kiosk_store_once(sqlite_site, monkeypatch):
    g1 = sqlite_site.kiosk("G1")
    g1.sync()
    before = require_state(g1.store)
    writing, writes = g1.store.writing, []

    def counted(**kw):
        writes.append(kw)
        return writing(**kw)

    monkeypatch.setattr(g1.store, "writing", counted)
    done = g1.sync()
    after = require_state(g1.store)
    assert writes == [{"lasting": False}]  # page and outcome in one transaction, no fsync
    assert after.last_sync_at > before.last_sync_at and after.last_error == ""
    assert (done.pages, done.cursor, done.outbox) == (1, after.cursor, 0)
