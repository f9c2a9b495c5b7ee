"""One kiosk talking to its hub over HTTP: deliver the outbox, then pull the feed.

A round delivers the journal first (so the pull that follows brings back the hub's view
of what this kiosk just did), then pulls pages until the feed is drained. Each page is
checked (signature, kiosk, nonce, cursor) and applied in its own transaction, so a cut
at any moment loses nothing and the next round resumes at the last page applied.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import httpx

from kiosk.store.database import Store
from kiosk.store.schema import SyncStateRow
from sync.apply import apply_page
from sync.outbox import acknowledge, badge_keys, pending
from sync.protocol import SIGNATURE_HEADER, Page, ProtocolError, read_page
from sync.state import SyncState, outbox_length, record_attempt, require_state

Progress = Callable[[int, int], None]  # (cursor, head)


class SyncError(Exception):
    """A round that did not complete; the message is for the operator."""


class HubUnavailable(SyncError):
    """No answer, a cut connection or a server error: try again later."""


class SyncRefused(SyncError):
    """The hub refused this kiosk (token, delivery): an operator must look."""


class FeedRejected(SyncError):
    """A page failed its checks (signature, kiosk, nonce, cursor): nothing applied."""


class CursorAhead(SyncError):
    """The hub has fewer changes than this kiosk applied (a hub restored from a backup)."""


@dataclass(frozen=True)
class Round:
    """What one sync round did."""

    delivered: int
    duplicates: int
    pages: int
    entities: int
    cursor: int
    outbox: int


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", response.text))
    except ValueError:
        return response.text[:200]


class SyncClient:
    """Sync rounds for the kiosk whose store is `store`."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        timeout: float = 10.0,
        page_limit: int = 1000,
        batch: int = 500,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.store, self.clock = store, clock
        self.page_limit, self.batch = page_limit, batch
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        """Release the connections."""
        self._http.close()

    def _call(self, state: SyncState, method: str, path: str, **kw) -> httpx.Response:
        try:
            response = self._http.request(
                method,
                state.hub_url.rstrip("/") + path,
                headers={"Authorization": f"Bearer {state.token}"},
                **kw,
            )
            response.read()
        except httpx.TransportError as err:
            raise HubUnavailable(f"hub unreachable at {state.hub_url}: {err!r}") from err
        if response.status_code >= 500:
            raise HubUnavailable(f"hub error {response.status_code}: {_detail(response)}")
        if response.status_code in (401, 403):
            raise SyncRefused(
                f"the hub refused this kiosk ({response.status_code}: {_detail(response)}): "
                "enrol it again with a new enrolment file"
            )
        return response

    def deliver(self, state: SyncState) -> tuple[int, int]:
        """Send the outbox in batches; returns (rows received, rows the hub held already)."""
        delivered = duplicates = 0
        after = state.acked_journal_id
        keys = badge_keys(self.store) if state.role == "counter" else []
        while rows := pending(self.store, self.batch, after):
            response = self._call(state, "POST", "/v1/journal", json={"rows": rows, "keys": keys})
            if response.status_code != 200:
                raise SyncRefused(f"the hub refused the journal: {_detail(response)}")
            receipt = response.json()
            acknowledge(self.store, receipt["up_to"])
            delivered += receipt["received"]
            duplicates += receipt["duplicates"]
            if receipt["up_to"] < rows[-1]["id"]:
                raise SyncRefused(
                    f"the hub holds the journal up to {receipt['up_to']} after a delivery "
                    f"up to {rows[-1]['id']}"
                )
            after = receipt["up_to"]
        return delivered, duplicates

    def _page(self, state: SyncState, cursor: int) -> Page:
        nonce = secrets.token_hex(12)
        response = self._call(
            state,
            "GET",
            "/v1/feed",
            params={"cursor": cursor, "limit": self.page_limit, "nonce": nonce},
        )
        if response.status_code == 409:
            raise CursorAhead()
        if response.status_code != 200:
            raise SyncRefused(f"the hub refused the feed: {_detail(response)}")
        try:
            page = read_page(
                response.content, response.headers.get(SIGNATURE_HEADER, ""), state.hub_key
            )
        except ProtocolError as err:
            raise FeedRejected(f"feed page rejected, nothing applied: {err}") from err
        if page.nonce != nonce or page.cursor_from != cursor:
            raise FeedRejected(
                "feed page rejected, nothing applied: it answers another request (a replay?)"
            )
        return page

    def pull(self, progress: Progress | None = None) -> tuple[int, int]:
        """Apply pages until the feed is drained; returns (pages, entities). The next page
        is fetched (and checked) while the current one is applied."""
        state = require_state(self.store)
        with ThreadPoolExecutor(1, thread_name_prefix="kiosk-feed") as fetcher:
            try:
                return self._pull(state, fetcher, progress)
            except CursorAhead:
                self._restart_feed()
                return self._pull(require_state(self.store), fetcher, progress)

    def _pull(
        self, state: SyncState, fetcher: ThreadPoolExecutor, progress: Progress | None
    ) -> tuple[int, int]:
        pages = entities = 0
        coming = fetcher.submit(self._page, state, state.cursor)
        while True:
            page = coming.result()
            if page.more:
                coming = fetcher.submit(self._page, state, page.cursor_to)
            try:
                applied = apply_page(self.store, page, online=True)
            except ProtocolError as err:
                raise FeedRejected(f"feed page rejected, nothing applied: {err}") from err
            pages, entities = pages + 1, entities + applied.entities
            if progress:
                progress(applied.cursor, page.head)
            if not page.more:
                return pages, entities

    def _restart_feed(self) -> None:
        """The hub has fewer changes than this kiosk applied (restored from a backup):
        pull everything again; applying is idempotent."""
        with self.store.writing() as s:
            s.get(SyncStateRow, 1).cursor = 0

    def sync_once(self, progress: Progress | None = None) -> Round:
        """Deliver, then pull; the outcome is recorded in the store either way."""
        state = require_state(self.store)
        try:
            delivered, duplicates = self.deliver(state)
            pages, entities = self.pull(progress)
        except SyncError as err:
            record_attempt(self.store, self.clock(), str(err) or type(err).__name__)
            raise
        record_attempt(self.store, self.clock())
        state = require_state(self.store)
        return Round(
            delivered, duplicates, pages, entities, state.cursor, outbox_length(self.store)
        )
