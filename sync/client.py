"""One kiosk talking to its hub over HTTP: deliver the outbox, then pull the feed.

A round delivers the journal first (so the pull that follows brings back the hub's view
of what this kiosk just did), then pulls pages until the feed is drained, or up to the
head its first page announced, or ROUND_PAGES pages: the next round goes on from there. Each page is
checked (signature, kiosk, nonce, cursor) and applied in its own transaction, so a cut
at any moment loses nothing and the next round resumes at the last page applied.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import httpx
import orjson
from sqlalchemy.orm import Session

from kiosk.clock_check import ClockReading, measure
from kiosk.store.database import Store
from kiosk.store.schema import SyncStateRow
from kiosk.typed import as_text, cut
from sync.apply import apply_page, journal_end, sqlite_of
from sync.clock_header import CLOCK_HEADER, clock_header
from sync.outbox import acknowledge, next_delivery, pending
from sync.protocol import (
    CURSOR_AHEAD,
    SIGNATURE_HEADER,
    Page,
    ProtocolError,
    Receipt,
    read_answer,
    read_page,
    read_receipt,
)
from sync.state import SyncState, note_attempt, position, record_attempt, require_state
from sync.transport import (
    TransportRefused,
    certificate_mismatch,
    check_url,
    format_fingerprint,
    hub_transport,
)

Progress = Callable[[int, int], None]  # (cursor, head)
# Pages one round applies at most: a first sync of 10,000 accreditations is 21 pages of
# 1,000 changes (bench/hub_sync.py), of 1,000,000 some 2,100; a hub sending pages of one
# change each for ever (a compromised one) no longer holds the round, which ends and
# goes on at the next.
ROUND_PAGES = 10_000
Finish = Callable[[Session], None]  # run in the last page's transaction


class SyncError(Exception):
    """A round that did not complete; the message is for the operator, `code` says what
    kind of failure it is when a screen shows it apart."""

    code = ""


class HubUnavailable(SyncError):
    """No answer, a cut connection or a server error: try again later."""


class SyncRefused(SyncError):
    """The hub refused this kiosk (token, delivery): an operator must look."""


class HubNotTrusted(SyncRefused):
    """The hub's address or certificate is not one this kiosk trusts: nothing was sent.
    `code`: "certificate_mismatch", "plain_http_refused", "no_pin" or "bad_url"."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class FeedKeyRetired(SyncRefused):
    """The hub no longer signs with the feed key this kiosk holds (docs/keys.md): the
    kiosk must be enrolled again."""

    code = "feed_key_retired"


class FeedRejected(SyncError):
    """A page failed its checks (signature, kiosk, nonce, cursor): nothing applied."""


class HubClaimsMore(SyncError):
    """The hub says it holds more of this kiosk's journal than the kiosk wrote: the hub is
    wrong or the kiosk's store was replaced. The round applied the feed; the kiosk keeps
    its own last row as acknowledged (sync/apply.py `held_acknowledgement`)."""

    code = "hub_claims_more"

    def __init__(self, claimed: int, end: int) -> None:
        super().__init__(
            f"the hub says it holds this kiosk's journal up to row {claimed}, but the journal "
            f"ends at row {end}: the hub is wrong or this kiosk's store was replaced; the "
            "feed was applied and the journal is delivered from its own last row on: call a "
            "technician"
        )


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


def _refuse_mismatch(state: SyncState, err: httpx.TransportError) -> None:
    """HubNotTrusted when the connection failed because the hub's certificate is not the
    pinned one (the handshake was cut before the request, the token, was written)."""
    mismatch = certificate_mismatch(err)
    if mismatch is None:
        return
    seen = format_fingerprint(mismatch.seen) if mismatch.seen else "none"
    raise HubNotTrusted(
        f"the hub at {state.hub_url} presented a certificate (SHA-256 {seen}) other than "
        f"the one this kiosk was enrolled with ({format_fingerprint(mismatch.pinned)}); "
        "nothing was sent. If the hub's certificate was renewed, enrol this kiosk again "
        "with a new enrolment file; otherwise someone may be posing as the hub",
        "certificate_mismatch",
    ) from err


def _cursor_ahead(state: SyncState, response: httpx.Response, nonce: str, cursor: int) -> SyncError:
    """CursorAhead for a 409 the hub signed for this very request; an unsigned, forged or
    replayed one changes nothing (FeedRejected)."""
    try:
        answer = read_answer(
            response.content, response.headers.get(SIGNATURE_HEADER, ""), state.hub_key
        )
    except ProtocolError as err:
        return FeedRejected(f"a 'cursor ahead' answer not signed by the hub was ignored: {err}")
    if (answer.answer, answer.kiosk, answer.nonce, answer.cursor) != (
        CURSOR_AHEAD,
        state.kiosk_id,
        nonce,
        cursor,
    ):
        return FeedRejected(
            "a 'cursor ahead' answer to another request (a replay?) was ignored, nothing changed"
        )
    return CursorAhead()


DETAIL_MOST = 200  # characters of a refusal's reason kept for the operator
_DETAIL_READ = 64 * 1024  # bytes of an error answer parsed for its reason


def _detail(response: httpx.Response) -> str:
    """The reason an error answer gives (its `detail`, else its text), for the operator:
    cut short, on one line, without control characters. Error answers are not signed: a
    proxy's page, a body of megabytes or an escape sequence for the operator's terminal."""
    head = response.content[:_DETAIL_READ]
    try:
        data = orjson.loads(head)
    except orjson.JSONDecodeError:
        data = None
    said = data.get("detail") if isinstance(data, dict) else None
    text = said if isinstance(said, str) else head[: DETAIL_MOST * 4].decode("utf-8", "replace")
    text = as_text(" ".join(text.split()))
    return f"{response.status_code}: {cut(text, DETAIL_MOST) or 'no reason given'}"


def _receipt(response: httpx.Response) -> Receipt:
    """The receipt of a delivery; HubUnavailable, nothing acknowledged, for anything else
    (a 200 with a portal's page or a list ended the round with a traceback)."""
    try:
        return read_receipt(response.content)
    except ProtocolError as err:
        raise HubUnavailable(
            f"the answer to the journal delivery is {err}: nothing is taken as delivered"
        ) from err


def _last(page: Page, goal: int, pages: int) -> bool:
    """Whether the round ends with `page`, its `pages`-th: the feed is drained, the head
    the round's first page announced is reached (what came since waits for the next
    round), or the round has applied ROUND_PAGES pages."""
    return not page.more or page.cursor_to >= goal or pages >= ROUND_PAGES


class SyncClient:
    """Sync rounds for the kiosk whose store is `store`. Connections are pinned to the
    hub's certificate (sync/transport.py); a `transport` given replaces that (tests put
    faults in the way with it), the hub's address is checked before either is used."""

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
        self._timeout, self._transport = timeout, transport
        self._clients: dict[str, httpx.Client] = {}  # by pinned fingerprint
        self._clients_lock = threading.Lock()
        self._heads_taken: dict[tuple[str, str, str], dict] = {}  # by (hub, kiosk, token)
        self.clock_reading: ClockReading | None = None  # the latest, from a feed page
        self._claimed = 0  # the most of this kiosk's journal the hub said it held this round

    def close(self) -> None:
        """Release the connections."""
        with self._clients_lock:
            for http in self._clients.values():
                http.close()
            self._clients.clear()

    def _http_for(self, state: SyncState) -> httpx.Client:
        """The HTTP client for the hub as `state` names it: the address is checked first
        (no connection is attempted to one refused), TLS is pinned to its certificate."""
        try:
            check_url(state.hub_url, state.hub_cert_sha256, state.allow_plain_http)
        except TransportRefused as err:
            raise HubNotTrusted(str(err), err.code) from err
        pin = state.hub_cert_sha256
        with self._clients_lock:
            if pin not in self._clients:
                transport = self._transport or hub_transport(pin)
                self._clients[pin] = httpx.Client(
                    timeout=self._timeout, transport=transport, trust_env=False
                )
            return self._clients[pin]

    def _call(self, state: SyncState, method: str, path: str, **kw) -> httpx.Response:
        http = self._http_for(state)
        try:
            response = http.request(
                method,
                state.hub_url.rstrip("/") + path,
                headers={
                    "Authorization": f"Bearer {state.token}",
                    CLOCK_HEADER: clock_header(self.clock()),  # the hub measures its drift
                },
                **kw,
            )
            response.read()
        except httpx.TransportError as err:
            _refuse_mismatch(state, err)
            raise HubUnavailable(f"hub unreachable at {state.hub_url}: {err!r}") from err
        if response.status_code >= 500:
            raise HubUnavailable(f"hub error {_detail(response)}")
        if response.status_code in (401, 403):
            raise SyncRefused(
                f"the hub refused this kiosk ({_detail(response)}): "
                "enrol it again with a new enrolment file"
            )
        return response

    def deliver(self, state: SyncState) -> tuple[int, int]:
        """Send the outbox in batches, each with the journal's sealed head; returns (rows
        received, rows the hub held already). With nothing to send, the head still goes
        whenever it is not the one the hub took last from this client (and at its first
        round), so the hub notices a journal cut short or rewritten. A hub holding less
        than it acknowledged (restored from an older backup) takes nothing and says how far
        it holds the journal: the rows after that go again, once a round."""
        delivered = duplicates = 0
        who = (state.hub_url, state.kiosk_id, state.token)
        after, counter = state.acked_journal_id, state.role == "counter"
        head, rows, keys = next_delivery(self.store, self.batch, after, counter)
        if not rows and self._heads_taken.get(who) == head:
            return 0, 0  # the hub holds this head: a delivery would tell it nothing
        rewound = False
        while True:
            more = len(rows) == self.batch
            body = {"rows": rows, "keys": keys if rows else [], "head": head, "more": more}
            response = self._call(state, "POST", "/v1/journal", json=body | {"after": after})
            if response.status_code != 200:
                raise SyncRefused(f"the hub refused the journal ({_detail(response)})")
            receipt = _receipt(response)
            if receipt.up_to < after and not rewound:
                rewound, after = True, receipt.up_to
                acknowledge(self.store, after)
                head, rows, keys = next_delivery(self.store, self.batch, after, counter)
                continue
            self._claimed = max(self._claimed, receipt.up_to)
            kept = acknowledge(self.store, receipt.up_to) if rows else receipt.up_to
            delivered += receipt.received
            duplicates += receipt.duplicates
            if rows and receipt.up_to < rows[-1]["id"]:
                raise SyncRefused(
                    f"the hub holds the journal up to {receipt.up_to} after a delivery "
                    f"up to {rows[-1]['id']}"
                )
            if not more:
                self._heads_taken[who] = head
                return delivered, duplicates
            after = kept
            rows = pending(self.store, self.batch, after)

    def _page(self, state: SyncState, cursor: int) -> Page:
        """The page after `cursor`, checked; it measures the kiosk's clock against the
        hub's signed time (`clock_reading`)."""
        nonce = secrets.token_hex(12)
        sent = self.clock()
        response = self._call(
            state,
            "GET",
            "/v1/feed",
            params={
                "cursor": cursor,
                "limit": self.page_limit,
                "nonce": nonce,
                "key": state.hub_key.hex(),  # the hub signs with the feed key this kiosk holds
            },
        )
        received = self.clock()
        if response.status_code == 409:
            raise _cursor_ahead(state, response, nonce, cursor)
        if response.status_code == 410:
            raise FeedKeyRetired(f"the hub refused the feed ({_detail(response)})")
        if response.status_code != 200:
            raise SyncRefused(f"the hub refused the feed ({_detail(response)})")
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
        # the nonce is ours: the hub signed `at` between `sent` and `received`
        self.clock_reading = measure(sent, received, page.at)
        return page

    def pull(self, progress: Progress | None = None) -> tuple[int, int]:
        """Apply pages until the feed is drained (or the round's bound: `_last`); returns
        (pages, entities). The next page is fetched (and checked) while the current one
        is applied."""
        return self._pull_all(require_state(self.store), progress)

    def _pull_all(
        self, state: SyncState, progress: Progress | None, then: Finish | None = None
    ) -> tuple[int, int]:
        try:
            return self._pull(state, progress, then)
        except CursorAhead:
            self._heads_taken.clear()  # a hub restored from a backup: tell it the head again
            self._restart_feed()
            return self._pull(require_state(self.store), progress, then)

    def _pull(
        self, state: SyncState, progress: Progress | None, then: Finish | None
    ) -> tuple[int, int]:
        """Pages from the state's cursor; `then(session)` runs in the last one's
        transaction. The first page is fetched here, later ones in a thread."""
        pages = entities = 0
        page = self._page(state, state.cursor)
        goal = page.head  # the round ends there at the latest
        with ThreadPoolExecutor(1, thread_name_prefix="kiosk-feed") as fetcher:
            while True:
                last = _last(page, goal, pages + 1)
                handover = bool(page.entities.get("feed_keys"))
                if not last and not handover:  # a hand-over: fetch with the new key, after
                    coming = fetcher.submit(self._page, state, page.cursor_to)
                self._claimed = max(self._claimed, page.received_up_to)
                try:
                    applied = apply_page(
                        self.store, page, online=True, then=then if last else None, last=last
                    )
                except ProtocolError as err:
                    raise FeedRejected(f"feed page rejected, nothing applied: {err}") from err
                pages, entities = pages + 1, entities + applied.entities
                if progress:
                    progress(applied.cursor, page.head)
                if last:
                    return pages, entities
                if handover:
                    state = require_state(self.store)
                    page = self._page(state, page.cursor_to)
                else:
                    page = coming.result()

    def _restart_feed(self) -> None:
        """The hub has fewer changes than this kiosk applied (restored from a backup):
        pull everything again; applying is idempotent."""
        with self.store.writing() as s:
            s.get(SyncStateRow, 1).cursor = 0

    def sync_once(self, progress: Progress | None = None) -> Round:
        """Deliver, then pull; the outcome is recorded in the store either way (on
        success in the last page's transaction, with what the round returns)."""
        ended: dict[str, int] = {}
        claims: list[HubClaimsMore] = []

        def finish(s: Session) -> None:
            end = journal_end(sqlite_of(s))
            claims.extend([HubClaimsMore(self._claimed, end)] if self._claimed > end else [])
            error, code = (str(claims[0]), claims[0].code) if claims else ("", "")
            note_attempt(s, self.clock(), error, code, clock=self.clock_reading)
            ended["cursor"], ended["outbox"] = position(s)

        self.clock_reading, self._claimed = None, 0
        try:
            state = require_state(self.store)
            delivered, duplicates = self.deliver(state)
            pages, entities = self._pull_all(state, progress, finish)
        except SyncError as err:
            failure = str(err) or type(err).__name__
            record_attempt(self.store, self.clock(), failure, err.code, self.clock_reading)
            raise
        if claims:  # recorded with the last page
            raise claims[0]
        return Round(delivered, duplicates, pages, entities, ended["cursor"], ended["outbox"])
