"""GET /v1/feed as the hub serves it: token, feed key and page read in one snapshot per
request, nothing cached, so what another process writes (the CLI) counts at the next
request; the kiosk's cursor noted after the page."""

from __future__ import annotations

import time

import httpx
import uvicorn
import uvloop
from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from hub.clients import Role, enrol, revoke
from hub.database import HubDatabase, head, utc_now
from hub.feed_keys import retire, rotate
from hub.keys import feed_public_key
from hub.schema import ClientRow
from sync.protocol import SIGNATURE_HEADER, read_page

NONCE = "0123456789"


def feed(site, token: str | None, **params) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return site.http("GET", "/v1/feed", params={"nonce": NONCE} | params, headers=headers)


def test_a_revocation_and_a_retired_key_written_elsewhere_count_at_the_next_request(site):
    token = enrol(site.db, "G7", Role.COUNTER)
    old = feed_public_key(site.db)
    assert feed(site, token, key=old.hex()).status_code == 200
    cli = HubDatabase(site.db.url)  # as `kiosk-hub` run beside the server writes
    try:
        rotate(cli, utc_now())
        answer = feed(site, token, key=old.hex())  # the old key still signs for its kiosks
        assert answer.status_code == 200
        read_page(answer.content, answer.headers[SIGNATURE_HEADER], old)
        retire(cli, 0, utc_now())
        assert feed(site, token, key=old.hex()).status_code == 410
        newest = feed(site, token)
        read_page(newest.content, newest.headers[SIGNATURE_HEADER], feed_public_key(cli))
        revoke(cli, "G7", "stolen", utc_now())
        refused = feed(site, token)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
    finally:
        cli.close()


def test_a_missing_token_is_refused_before_the_query_is_read(sqlite_site):
    assert feed(sqlite_site, None, cursor=-1).status_code == 401
    token = enrol(sqlite_site.db, "G7", Role.COUNTER)
    assert feed(sqlite_site, token, cursor=-1).status_code == 422


def test_the_kiosks_cursor_is_noted_after_each_page_that_moves_it(sqlite_site):
    site = sqlite_site
    token = enrol(site.db, "G7", Role.COUNTER)
    with site.db.reading() as s:
        top = head(s)
    for cursor in (0, top, 0):
        assert feed(site, token, cursor=cursor).status_code == 200
        deadline = time.monotonic() + 30  # written after the body: wait for it
        while time.monotonic() < deadline:
            with site.db.reading() as s:
                row = s.get(ClientRow, "G7")
            if row.cursor == cursor and row.last_seen_at is not None:
                break
            time.sleep(0.02)
        assert (row.cursor, row.last_seen_at is not None) == (cursor, True)


def test_the_hub_is_served_on_httptools_and_uvloop():
    """`kiosk-hub serve` leaves uvicorn's choice on "auto": both are dependencies (less of
    the hub's CPU per request, docs/benchmarks-sync.md), so auto must find them."""
    assert AutoHTTPProtocol is HttpToolsProtocol
    assert uvicorn.Config(app=None).get_loop_factory() is uvloop.new_event_loop
