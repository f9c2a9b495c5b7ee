"""What a kiosk makes of a hub (or whatever answers in its place: a proxy, a captive
portal, an impostor on plain http) whose answers are not what the protocol says: a
sentence as the round's error, nothing acknowledged, nothing applied, no traceback."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from kiosk.codes import Signer
from kiosk.ledger import Ledger
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from kiosk.store.database import Store
from sync.client import HubUnavailable, SyncClient, SyncError, SyncRefused
from sync.protocol import SIGNATURE_HEADER, FeedSigner, page_body
from sync.state import enrol, outbox_length, require_state
from tests.enrolment_file import enrolment

FEED_KEY = Signer.generate(0)
ENROLMENT = enrolment(FEED_KEY.public_bytes())


def feed_page(request: httpx.Request) -> httpx.Response:
    """The genuine, empty page answering `request`."""
    cursor = int(request.url.params["cursor"])
    body = page_body(
        **dict(hub="hub-1", kiosk="G1", nonce=request.url.params["nonce"], more=False),
        **dict(at=datetime.now(UTC), cursor_from=cursor, cursor_to=cursor, head=cursor),
        **dict(received_up_to=0, entities={}),
    )
    signature = FeedSigner(FEED_KEY.private_bytes()).sign(body)
    return httpx.Response(200, headers={SIGNATURE_HEADER: signature}, content=body)


@pytest.fixture
def kiosk(tmp_path):
    """`sync(journal_answer)`: a round of a kiosk holding 3 journal rows not delivered,
    against a hub answering deliveries so; (what the round raised, the sync state)."""
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, ENROLMENT)
    with store.writing() as s:
        for _ in range(3):
            Ledger("G1", Counter.GROUPS).journal(
                s, "sign_in", Actor("anna", Role.CLERK), None, datetime.now(UTC)
            )
    clients: list[SyncClient] = []

    def sync(answer: httpx.Response):
        def hub(request: httpx.Request) -> httpx.Response:
            return answer if request.url.path == "/v1/journal" else feed_page(request)

        clients.append(SyncClient(store, lambda: datetime.now(UTC), transport=hub_of(hub)))
        with pytest.raises(SyncError) as raised:
            clients[-1].sync_once()
        return raised.value, require_state(store)

    yield sync
    for client in clients:
        client.close()
    assert outbox_length(store) == 3  # nothing was taken as delivered
    store.close()


def hub_of(answer) -> httpx.MockTransport:
    return httpx.MockTransport(answer)


def receipt(**counts) -> httpx.Response:
    return httpx.Response(200, json={"received": 3, "duplicates": 0, "up_to": 3} | counts)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html><body>Welcome to the hotel Wi-Fi</body></html>"),
        httpx.Response(200, json=[1]),
        httpx.Response(200, json={"received": 3}),
        receipt(up_to="3"),
        receipt(up_to=2**63),
        receipt(up_to=-1),
        receipt(received="3"),
        receipt(duplicates=None),
    ],
    ids=["html", "list", "no up_to", "text", "past 64 bits", "negative", "text count", "null"],
)
def test_an_answer_to_a_delivery_that_is_not_a_receipt_acknowledges_nothing(kiosk, answer):
    """Each ended the round with a traceback (JSONDecodeError, TypeError, KeyError,
    OverflowError) and nothing recorded; "3" was even stored as the acknowledged row."""
    raised, state = kiosk(answer)
    assert type(raised) is HubUnavailable
    assert str(raised).startswith("the answer to the journal delivery is not a receipt")
    assert (state.acked_journal_id, state.last_error) == (0, str(raised))


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (httpx.Response(403, json=["not", "an", "object"]), "403: ["),
        (httpx.Response(401, json={"detail": "A" * 5_000_000}), '401: {"detail":"AAAA'),
        (
            httpx.Response(403, json={"detail": "\x1b[2J\x1b[31mCall 555\r\nnow\x07"}),
            "403: \ufffd[2J\ufffd[31mCall 555 now\ufffd",
        ),
        (httpx.Response(302, headers={"Location": "https://elsewhere.example/"}), "302: no reason"),
    ],
    ids=["list", "5 MB", "escapes", "redirect"],
)
def test_a_refusal_reason_is_shown_cut_short_on_one_line_without_control_characters(
    kiosk, answer, shown
):
    """The reason came from the body as it was: a list body ended the round with an
    AttributeError, 5 MB of detail went into the store, escape sequences reached the
    terminal of `kiosk sync status`, and a redirect read "refused the journal: "."""
    raised, state = kiosk(answer)
    assert type(raised) is SyncRefused
    assert shown in str(raised) and str(raised) == state.last_error
    assert len(state.last_error) < 300
