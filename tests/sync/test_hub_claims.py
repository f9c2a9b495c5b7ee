"""A hub that claims more than it can: more of the kiosk's journal than the kiosk wrote,
a photo no identity photo can be, a feed that never ends. The kiosk keeps to what it
holds, drops the photo, and ends its round."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import select

from kiosk.ledger import Ledger
from kiosk.model import Counter
from kiosk.photo_rules import PHOTO_LIMIT
from kiosk.roles import Actor, Role
from kiosk.store.bulk_load import DEFERRED
from kiosk.store.database import Store
from kiosk.store.schema import PersonRow, PhotoRow
from sync import client as client_module
from sync.client import HubClaimsMore, HubUnavailable, SyncClient, SyncError
from sync.protocol import FIELDS, SIGNATURE_HEADER, Blobs, FeedSigner, encode, page_body
from sync.state import enrol, outbox_length, require_state
from tests.sync.test_hostile_hub import ENROLMENT, FEED_KEY, hub_of

CLAIM = 10**12


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "G1" / "kiosk.sqlite3")
    enrol(store, ENROLMENT)
    journal(store, 3)
    yield store
    store.close()


def journal(store: Store, rows: int) -> None:
    """`rows` more journal rows, as a clerk's sign-ins write them."""
    with store.writing() as s:
        for _ in range(rows):
            Ledger("G1", Counter.GROUPS).journal(
                s, "sign_in", Actor("anna", Role.CLERK), None, datetime.now(UTC)
            )


def signed(request: httpx.Request, **header) -> httpx.Response:
    """A page signed by the kiosk's hub answering `request`, with `header`'s values."""
    cursor = int(request.url.params["cursor"])
    blobs = Blobs()
    people = [encode(FIELDS["people"], p, blobs) for p in header.pop("people", [])]
    values = dict(cursor_from=cursor, cursor_to=cursor, head=cursor, more=False)
    values |= dict(received_up_to=0) | header
    body = page_body(
        hub="hub-1",
        kiosk="G1",
        nonce=request.url.params["nonce"],
        at=datetime.now(UTC),
        entities={"people": people},
        blobs=blobs,
        **values,
    )
    signature = FeedSigner(FEED_KEY.private_bytes()).sign(body)
    return httpx.Response(200, headers={SIGNATURE_HEADER: signature}, content=body)


def round_against(store: Store, journal_answer, feed_answer):
    """One round against a hub answering so; the error it ended with, or None."""

    def hub(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/journal":
            return journal_answer(request)
        return feed_answer(request)

    client = SyncClient(store, lambda: datetime.now(UTC), transport=hub_of(hub))
    try:
        client.sync_once()
    except SyncError as err:
        return err
    finally:
        client.close()
    return None


def receipt(up_to: int) -> httpx.Response:
    return httpx.Response(200, json={"received": 3, "duplicates": 0, "up_to": up_to})


def test_a_receipt_beyond_the_journal_keeps_later_rows_in_the_outbox(store, caplog):
    """A receipt's `up_to` of 10^12 was stored as the acknowledged row (here the feed
    does not answer after it): the rows the kiosk journalled later were never delivered."""
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        raised = round_against(store, lambda _r: receipt(CLAIM), lambda _r: httpx.Response(503))
    assert isinstance(raised, HubUnavailable)
    assert require_state(store).acked_journal_id == 3
    assert "up to 1000000000000, which ends at 3" in caplog.text
    journal(store, 2)
    assert outbox_length(store) == 2  # delivered at the next round


@pytest.mark.parametrize("route", ["receipt", "page"])
def test_a_hub_claiming_more_of_the_journal_is_the_rounds_error(store, route, caplog):
    """A page's `received_up_to` of 10^12 was stored as the acknowledged row, and
    nothing told the operator that the hub claims rows this kiosk never wrote."""
    claimed = {"receipt": CLAIM, "page": 3}[route]
    on_page = {"receipt": 3, "page": CLAIM}[route]
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        raised = round_against(
            store, lambda _r: receipt(claimed), lambda r: signed(r, received_up_to=on_page)
        )
    state = require_state(store)
    assert state.acked_journal_id == 3
    assert isinstance(raised, HubClaimsMore) and state.last_error == str(raised)
    assert state.last_error_code == "hub_claims_more" and "row 1000000000000" in str(raised)
    assert "up to 1000000000000, which ends at 3" in caplog.text
    journal(store, 2)
    assert outbox_length(store) == 2  # delivered at the next round


def test_an_acknowledgement_within_the_journal_is_no_error(store):
    raised = round_against(store, lambda _r: receipt(3), lambda r: signed(r, received_up_to=3))
    state = require_state(store)
    assert raised is None
    assert (state.acked_journal_id, state.last_error, state.last_error_code) == (3, "", "")


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000


def person(id_: int, photo: bytes | None) -> dict:
    return {
        "id": id_,
        "surname": f"Doe{id_}",
        "given_names": "Jo",
        "date_of_birth": date(1980, 1, 2),
        "nationality": "BEL",
        "email": f"jo{id_}@lesoir.be",
        "organisation": "Le Soir",
        "media_kind": "online",
        "photo": photo,
        "purged_at": None,
    }


def photos_after(store: Store, *pages: list[dict]) -> tuple[set[int], dict[int, bytes]]:
    """The people and photos the store holds after rounds bringing `pages` of people."""
    for cursor, people in enumerate(pages):
        after = cursor + 1
        raised = round_against(
            store,
            lambda _r: receipt(3),
            lambda r, people=people, after=after: signed(
                r, people=people, cursor_to=after, head=after, received_up_to=3
            ),
        )
        assert raised is None
    with store.reading() as s:
        photos = s.execute(select(PhotoRow.person_id, PhotoRow.jpeg))
        return set(s.scalars(select(PersonRow.id))), {i: bytes(j) for i, j in photos}


def test_a_photo_too_large_or_not_a_jpeg_is_dropped_and_the_person_kept(store, caplog):
    """A 50 MB or a PNG "photo" in a signed page was kept as the person's photo."""
    largest = JPEG + b"\x00" * (PHOTO_LIMIT - len(JPEG))
    people = [
        person(1, JPEG),
        person(2, largest),
        person(3, largest + b"\x00"),
        person(4, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        person(5, None),
    ]
    with caplog.at_level(logging.WARNING, logger="sync.apply"):
        held, photos = photos_after(store, people)
    assert held == {1, 2, 3, 4, 5}
    assert photos == {1: JPEG, 2: largest}
    assert "people 3: a photo of 102401 bytes, over the 102400 taken" in caplog.text
    assert "people 4: a photo that is not a JPEG" in caplog.text


def test_a_photo_replaced_by_one_dropped_is_not_kept(store):
    """The office's photo is the odd one now: the one held before is no longer its."""
    held, photos = photos_after(store, [person(1, JPEG)], [person(1, b"GIF89a")])
    assert (held, photos) == ({1}, {})


GIVES_UP = 1000


class EndlessHub:
    """A feed of pages one change each, `more` until `end` (never: None); its head `ahead`
    of each page's cursor (growing as the feed goes) or at `head`. Counts the pages it
    serves; says no more after GIVES_UP of them (a kiosk without a bound fails, not hangs)."""

    def __init__(self, head: int | None = None, ahead: int = 0, end: int | None = None):
        self.head, self.ahead, self.end, self.served = head, ahead, end, 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.served += 1
        to = int(request.url.params["cursor"]) + 1
        head = self.head if self.head is not None else to + self.ahead
        more = (self.end is None or to < self.end) and self.served < GIVES_UP
        return signed(request, cursor_to=to, head=head, more=more, received_up_to=3)


def pulled(store: Store, hub: EndlessHub) -> tuple[int, list[int], int]:
    """One round's (pages, cursors reported, cursor kept) against `hub`."""
    seen: list[int] = []
    client = SyncClient(
        store,
        lambda: datetime.now(UTC),
        transport=hub_of(lambda r: receipt(3) if r.url.path == "/v1/journal" else hub(r)),
    )
    try:
        done = client.sync_once(lambda cursor, _head: seen.append(cursor))
    finally:
        client.close()
    state = require_state(store)
    assert state.last_error == "" and state.last_sync_at is not None
    assert done.cursor == state.cursor
    return done.pages, seen, state.cursor


def test_a_round_ends_at_the_head_its_first_page_announced(store):
    """A hub whose head moves on with every page held the round for ever."""
    hub = EndlessHub(ahead=4)
    assert pulled(store, hub) == (5, [1, 2, 3, 4, 5], 5)
    assert hub.served == 5  # none fetched beyond
    assert pulled(store, hub)[2] == 10  # the next round goes on


def test_a_round_ends_after_its_most_pages(store, monkeypatch):
    """A hub announcing a head of 10^12 and sending one change a page held the round for
    ever; the round ends after ROUND_PAGES, the first sync's index built."""
    monkeypatch.setattr(client_module, "ROUND_PAGES", 7)
    hub = EndlessHub(head=CLAIM)
    assert pulled(store, hub) == (7, [1, 2, 3, 4, 5, 6, 7], 7)
    with sqlite3.connect(store.path) as db:
        held = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert {index.name for index in DEFERRED} <= held
    assert pulled(store, hub)[2] == 14


def test_a_feed_within_its_head_is_pulled_in_one_round(store):
    """A genuine feed: pages up to the head the first one announced, all in one round."""
    hub = EndlessHub(head=300, end=300)
    pages, seen, cursor = pulled(store, hub)
    assert (pages, cursor, seen[-1]) == (300, 300, 300)
