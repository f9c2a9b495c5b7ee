"""The wire format: entities round-trip, and a page verifies only as the hub signed it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.codes import Signer
from kiosk.typed import CONTROL
from sync import protocol
from sync.protocol import (
    FIELDS,
    KEY_FIELDS,
    PROTOCOL,
    FeedSigner,
    ProtocolError,
    decode,
    encode,
    page_body,
    read_page,
)


@pytest.fixture(scope="module")
def keys():
    signer = Signer.generate(0)
    return FeedSigner(signer.private_bytes()), signer.public_bytes()


def body(**over) -> bytes:
    badge = {
        "serial": "G1-000001",
        "accreditation_id": 1,
        "counter": "groups",
        "kiosk_id": "G1",
        "clerk": "anna",
        "supervisor": None,
        "reason": "",
        "issued_at": datetime(2026, 2, 14, 9, tzinfo=UTC),
        "valid_from": date(2026, 2, 13),
        "valid_until": date(2026, 2, 15),
        "status": "revoked",
        "superseded_by": None,
    }
    kw = dict(
        hub="hub-1",
        kiosk="G1",
        nonce="n-1",
        at=datetime(2026, 2, 14, tzinfo=UTC),
        cursor_from=0,
        cursor_to=9,
        head=9,
        more=False,
        received_up_to=3,
        entities={"badges": [encode(FIELDS["badges"], badge)]},
    )
    return page_body(**(kw | over))


def test_a_page_reads_back_as_signed(keys):
    signer, public = keys
    raw = body()
    page = read_page(raw, signer.sign(raw), public)
    [badge] = page.entities["badges"]
    assert badge["issued_at"] == datetime(2026, 2, 14, 9, tzinfo=UTC)
    assert badge["valid_until"] == date(2026, 2, 15)
    assert (page.kiosk, page.cursor_to, page.received_up_to, page.size) == ("G1", 9, 3, 1)


def test_any_change_to_a_signed_page_is_rejected(keys):
    signer, public = keys
    raw = body()
    signature = signer.sign(raw)
    for i in range(0, len(raw), 7):
        altered = raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :]
        with pytest.raises(ProtocolError, match="signature"):
            read_page(altered, signature, public)
    other = Signer.generate(0)
    with pytest.raises(ProtocolError, match="signature"):
        read_page(raw, FeedSigner(other.private_bytes()).sign(raw), public)
    with pytest.raises(ProtocolError, match="signature"):
        read_page(raw, "not base64!", public)


def test_a_signed_page_of_another_protocol_or_shape_is_refused(keys):
    signer, public = keys
    raw = body().replace(b'"protocol":%d' % PROTOCOL, b'"protocol":1')  # an older hub's page
    with pytest.raises(ProtocolError, match="unsupported feed protocol"):
        read_page(raw, signer.sign(raw), public)
    raw = body(entities={"people": [{"id": 1}]})  # one malformed row: left out, not the page
    page = read_page(raw, signer.sign(raw), public)
    assert page.entities["people"] == []
    [why] = page.refused
    assert why.startswith("people: missing field")


@pytest.mark.parametrize(
    ("over", "why"),
    [
        ({"cursor_to": 2**63}, "cursor_to 9223372036854775808 is not a change number"),
        ({"cursor_to": 1e300}, "cursor_to 1e\\+300 is not a change number"),
        ({"cursor_to": 1.5}, "cursor_to 1.5 is not a change number"),
        ({"cursor_to": "7"}, "cursor_to '7' is not a change number"),
        ({"cursor_to": True}, "cursor_to True is not a change number"),
        ({"cursor_from": -1}, "cursor_from -1 is not a change number"),
        ({"received_up_to": 2**64 - 1}, "received_up_to 18446744073709551615 is not"),
        ({"head": -5}, "head -5 is not a change number"),
        ({"more": "no"}, "more 'no' is not true or false"),
        ({"cursor_from": 9, "cursor_to": 4}, "it ends at change 4, before it starts \\(9\\)"),
        ({"cursor_from": 9, "more": True}, "more follows, yet its cursor does not move"),
    ],
)
def test_a_signed_page_whose_numbers_the_store_cannot_hold_or_that_goes_nowhere_is_refused(
    keys, over, why
):
    """A hub gone wrong signs them: a number past 64 bits stopped the round with SQLite's
    OverflowError (a traceback, nothing recorded), a float or text was taken as a cursor,
    and "more" without moving on had the kiosk ask for the same page for ever."""
    signer, public = keys
    header, blobs = protocol.split_page(body())
    raw = protocol.join_page(header | over, blobs.tobytes())
    with pytest.raises(ProtocolError, match=f"malformed feed page: .*{why}"):
        read_page(raw, signer.sign(raw), public)


def conflict_row(**changed) -> dict:
    row = {
        "id": 1,
        "kind": "duplicate_issue",
        "accreditation_id": 7,
        "badge_serial": "G1-000001",
        "kiosk_id": "G1",
        "detected_at": datetime(2026, 2, 14, 9, tzinfo=UTC),
        "message_en": "en",
        "message_fr": "fr",
        "settled_at": None,
        "settlement": None,
        "settle_note": None,
    }
    return encode(FIELDS["conflicts"], row | changed)


def test_a_page_is_plain_text_only_without_any_character_the_kiosk_replaces(keys):
    """The kiosk searches rows for control characters (sync/feed_forms.py) only when the
    page's header holds one, escaped or raw: none may slip through that pre-scan."""
    signer, public = keys

    def plain(text: str) -> bool:
        raw = body(entities={"conflicts": [conflict_row(message_en=text)]})
        return read_page(raw, signer.sign(raw), public).plain_text

    replaced = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    replaced = [c for c in replaced if CONTROL.match(c)]
    assert len(replaced) > 60 and not any(plain(f"a{c}b") for c in replaced)
    assert plain("Dœ-Müller, 東京 — «ok»\ttab\nline")  # text, escaped as \\t and \\n


def test_decoding_names_the_bad_field():
    wire = encode(KEY_FIELDS, {"key_id": 1, "public_key": b"k" * 32, "purpose": "x"})
    assert decode(KEY_FIELDS, wire)["public_key"] == b"k" * 32
    with pytest.raises(ProtocolError, match="public_key"):
        decode(KEY_FIELDS, {**wire, "public_key": "***"})
    with pytest.raises(ProtocolError, match="retired_at"):
        decode(FIELDS["keys"], wire)  # the feed says whether a key is retired
    with pytest.raises(ProtocolError, match="no time zone"):
        decode({"at": "datetime"}, {"at": "2026-02-14T10:00"})


def test_a_conflict_from_a_hub_that_does_not_settle_yet_reads_as_open():
    settled = {
        "id": 1,
        "kind": "duplicate_issue",
        "accreditation_id": 7,
        "badge_serial": "G1-000001",
        "kiosk_id": "G1",
        "detected_at": datetime(2026, 2, 14, 9, tzinfo=UTC),
        "message_en": "en",
        "message_fr": "fr",
        "settled_at": datetime(2026, 2, 14, 10, tzinfo=UTC),
        "settlement": "handled",
        "settle_note": "kept the first badge",
    }
    wire = encode(FIELDS["conflicts"], settled)
    assert decode(FIELDS["conflicts"], wire) == settled
    older = {k: v for k, v in wire.items() if k not in ("settled_at", "settlement", "settle_note")}
    read = decode(FIELDS["conflicts"], older)
    assert (read["settled_at"], read["settlement"], read["settle_note"]) == (None, None, None)
    with pytest.raises(ProtocolError, match="kind"):
        decode(FIELDS["conflicts"], {k: v for k, v in older.items() if k != "kind"})


FRENCH = ("name_fr", "place_fr", "status_reason_fr", "reason_fr", "handout_place_fr")
EVENT = {
    "id": "DEFMIN",
    "name": "Meeting of NATO Ministers of Defence",
    "place": "NATO Headquarters, Brussels",
    "at_hq": True,
    "first_day": date(2026, 2, 13),
    "last_day": date(2026, 2, 15),
    "collection_opens": datetime(2026, 2, 13, 7, tzinfo=UTC),
    "collection_closes": datetime(2026, 2, 15, 17, tzinfo=UTC),
    "annual_admitted": True,
    "colour": "#c62828",
    "valid_with": [],
    "retention_days": 30,
    "name_fr": "Réunion des ministres de la Défense des pays de l'OTAN",
    "place_fr": "Siège de l'OTAN, Bruxelles",
}


def test_french_texts_are_absent_from_an_older_hub_and_left_out_by_an_older_kiosk(
    keys, monkeypatch
):
    signer, public = keys
    wire = encode(FIELDS["events"], EVENT)
    newer = body(entities={"events": [wire]})
    [event] = read_page(newer, signer.sign(newer), public).entities["events"]
    assert event == EVENT
    # A hub older than the kiosk sends no French texts: they read as None (the English shows).
    older_wire = {k: v for k, v in wire.items() if k not in FRENCH}
    older = body(entities={"events": [older_wire]})
    page = read_page(older, signer.sign(older), public)
    assert page.refused == () and page.entities["events"][0]["name_fr"] is None
    # A kiosk older than the hub knows no such fields: it takes the row without them.
    known = {
        kind: {n: how for n, how in f.items() if n not in FRENCH} for kind, f in FIELDS.items()
    }
    monkeypatch.setattr(protocol, "FIELDS", known)
    page = read_page(newer, signer.sign(newer), public)
    assert page.refused == ()
    assert page.entities["events"] == [{k: v for k, v in EVENT.items() if k not in FRENCH}]
