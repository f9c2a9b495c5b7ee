"""Protocol 7's framing: a page's bytes fields travel raw after its JSON header, covered by
the signature; a page cut short, with a wrong header length or altered on the way is
refused whole and nothing is applied; a row naming bytes outside its page is left out."""

from __future__ import annotations

import base64
import hashlib
import struct
from datetime import UTC, date, datetime

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from hub import schema as h
from hub.keys import feed_signer
from kiosk.codes import Signer
from kiosk.store import schema as k
from sync.client import FeedRejected
from sync.files import read_bundle, write_bundle
from sync.protocol import (
    FIELDS,
    SIGNATURE_HEADER,
    Blobs,
    FeedSigner,
    ProtocolError,
    decode,
    dumps,
    encode,
    join_page,
    page_body,
    read_page,
    split_page,
)
from sync.state import require_state
from sync.transport import hub_transport

PHOTO = b"\xff\xd8\xff\xe0 a photo\n with new lines \x00 and zeros \xff\xd9"


@pytest.fixture(scope="module")
def keys():
    signer = Signer.generate(0)
    return FeedSigner(signer.private_bytes()), signer.public_bytes()


def person(person_id: int, photo: bytes | None) -> dict:
    return {
        "id": person_id,
        "surname": "Dœ-Müller",  # UTF-8 in the header
        "given_names": "Jo",
        "date_of_birth": date(1990, 1, 2),
        "nationality": "BEL",
        "email": "jo@example.org",
        "organisation": "Le Soir",
        "media_kind": "written",
        "photo": photo,
        "purged_at": None,
    }


def page(people: list[dict], blobs: Blobs) -> bytes:
    return page_body(
        hub="hub-1",
        kiosk="G1",
        nonce="n-1",
        at=datetime(2026, 2, 14, tzinfo=UTC),
        cursor_from=0,
        cursor_to=9,
        head=9,
        more=False,
        received_up_to=0,
        entities={"people": people},
        blobs=blobs,
    )


def test_photos_travel_raw_after_the_header_and_read_back_whole(keys):
    signer, public = keys
    blobs = Blobs()
    wire = [encode(FIELDS["people"], person(1, PHOTO), blobs)]
    wire.append(encode(FIELDS["people"], person(2, None), blobs))
    wire.append(encode(FIELDS["people"], person(3, PHOTO[::-1]), blobs))
    body = page(wire, blobs)
    header, tail = split_page(body)
    assert bytes(tail) == PHOTO + PHOTO[::-1]  # raw, one after the other
    assert header["people"][0]["photo"] == [0, len(PHOTO)]
    assert base64.b64encode(PHOTO) not in body
    read = read_page(body, signer.sign(body), public)
    assert [p["photo"] for p in read.entities["people"]] == [PHOTO, None, PHOTO[::-1]]
    assert read.entities["people"][0]["surname"] == "Dœ-Müller"
    assert read.refused == ()


def test_a_page_cut_short_or_with_a_wrong_header_length_is_refused(keys):
    signer, public = keys
    blobs = Blobs()
    body = page([encode(FIELDS["people"], person(1, PHOTO), blobs)], blobs)
    length = struct.unpack(">I", body[:4])[0]
    cut = body[: len(body) - 5]
    with pytest.raises(ProtocolError, match="signature"):  # cut on the way
        read_page(cut, signer.sign(body), public)
    wrong = [  # each signed by the hub's key: a hub that framed it wrong
        (body[:3], "no header"),
        (body[: 4 + length // 2], "runs past"),
        (struct.pack(">I", len(body)) + body[4:], "runs past"),
        (struct.pack(">I", length - 1) + body[4:], "not JSON"),
        (struct.pack(">I", 2) + b"[]", "not an object"),
        (dumps({"protocol": 6, "people": []}), "older hub"),
    ]
    for framed, why in wrong:
        with pytest.raises(ProtocolError, match=why):
            read_page(framed, signer.sign(framed), public)
    older = dumps({"protocol": 6, "people": []})  # an older hub signs otherwise: said so
    with pytest.raises(ProtocolError, match=r"signature does not verify.*hub older than"):
        read_page(older, signer.sign(older + b"x"), public)


def test_a_row_naming_bytes_outside_its_page_is_left_out_not_the_page(keys):
    signer, public = keys
    blobs = Blobs()
    rows = [encode(FIELDS["people"], person(i, PHOTO), blobs) for i in (1, 2, 3, 4, 5)]
    header, tail = split_page(page(rows, blobs))
    size = len(tail)
    header["people"][1]["photo"] = [size - 3, 4]  # one byte past the end
    header["people"][2]["photo"] = [-1, 2]
    header["people"][3]["photo"] = "AAAA"  # base64 is protocol 6
    header["people"][4]["photo"] = [0, 1, 2]
    body = join_page(header, bytes(tail))
    read = read_page(body, signer.sign(body), public)
    assert [p["id"] for p in read.entities["people"]] == [1]
    assert len(read.refused) == 4
    assert f"bytes {size - 3} to {size + 1} lie outside the page's {size} bytes" in read.refused[0]
    assert all("[offset, length]" in why for why in read.refused[2:])


class Alter(httpx.BaseTransport):
    """Between the kiosk and the real hub: changes every feed page as `how` says,
    keeping the hub's signature unless `resign` (then it is a page the hub framed so)."""

    def __init__(self, site) -> None:
        self.inner, self.site = hub_transport(site.server.pin), site
        self.how = None
        self.resign = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path != "/v1/feed" or self.how is None:
            return response
        body = self.how(response.read())
        signature = response.headers[SIGNATURE_HEADER]
        if self.resign:
            signature = feed_signer(self.site.db).sign(body)
        return httpx.Response(200, headers={SIGNATURE_HEADER: signature}, content=body)

    def close(self) -> None:
        self.inner.close()


def _flip_last_byte(body: bytes) -> bytes:
    return body[:-1] + bytes([body[-1] ^ 0x01])


def _header_too_long(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body[4:]


def test_a_first_sync_altered_on_the_way_applies_nothing(sqlite_site):
    site = sqlite_site
    alter = Alter(site)
    alter.how = _flip_last_byte  # raw bytes (a photo, a key) changed, the signature kept
    with pytest.raises(FeedRejected, match="signature"):
        site.kiosk("G1", transport=alter)
    g1 = site.stations[-1]
    alter.how = lambda body: body[: len(body) // 2]  # cut short
    with pytest.raises(FeedRejected, match="signature"):
        g1.sync()
    alter.how, alter.resign = _header_too_long, True
    with pytest.raises(FeedRejected, match="malformed feed page"):
        g1.sync()
    assert require_state(g1.store).cursor == 0
    with g1.store.reading() as s:
        assert s.scalar(select(func.count()).select_from(k.PersonRow)) == 0
        assert s.scalar(select(func.count()).select_from(k.PhotoRow)) == 0
    alter.how = None
    g1.sync()
    with site.db.reading() as s:
        at_hub = dict(s.execute(select(h.PersonRow.id, h.PersonRow.photo)).all())
    with g1.store.reading() as s:
        at_kiosk = dict(s.execute(select(k.PhotoRow.person_id, k.PhotoRow.jpeg)).all())
    assert at_kiosk and at_kiosk == {i: photo for i, photo in at_hub.items() if photo}


def test_only_a_signature_over_the_digest_in_the_feed_domain_verifies(keys):
    signer, public = keys
    private = Signer.generate(0)
    blobs = Blobs()
    body = page([encode(FIELDS["people"], person(1, PHOTO), blobs)], blobs)
    key = Ed25519PrivateKey.from_private_bytes(private.private_bytes())
    hub = private.public_bytes()
    digest = hashlib.sha256(body).digest()
    for message in (b"POKFEED1" + body, body, b"POKANSW2" + digest, digest):
        forged = base64.b64encode(key.sign(message)).decode()
        with pytest.raises(ProtocolError, match="signature"):
            read_page(body, forged, hub)
    right = base64.b64encode(key.sign(b"POKFEED2" + digest)).decode()
    assert read_page(body, right, hub).entities["people"][0]["photo"] == PHOTO
    with pytest.raises(ProtocolError, match="signature"):
        read_page(body, right, public)
    assert read_page(body, signer.sign(body), public).size == 1


def test_a_bundle_counts_its_pages_bytes_and_refuses_damage(keys, tmp_path):
    signer, public = keys
    blobs = Blobs()
    body = page([encode(FIELDS["people"], person(1, PHOTO), blobs)], blobs)
    bundle = tmp_path / "G1.bundle"
    assert write_bundle(bundle, {"hub": "hub-1"}, [(body, signer.sign(body))]) == 1
    [read] = read_bundle(bundle, public, "G1")
    assert read.entities["people"][0]["photo"] == PHOTO  # new lines in it and all
    raw = bundle.read_bytes()
    signature = raw.split(b"\n")[1].partition(b" ")[0]
    damaged = [
        (b"POK-BUNDLE/1 {}\n" + signature + b" " + body + b"\n", "made by an older hub"),
        (raw[:-1], "incomplete"),  # the last new line lost
        (raw.replace(b" %d\n" % len(body), b" %d\n" % (len(body) - 1)), "incomplete"),
        (raw.replace(b" %d\n" % len(body), b" many\n"), "damaged"),
        (raw.replace(b" %d\n" % len(body), b" %s\n" % (b"9" * 5000)), "damaged"),
        (b"PK\x03\x04 a zip file\n", "not a bundle"),
    ]
    for data, why in damaged:
        bundle.write_bytes(data)
        with pytest.raises(ProtocolError, match=why):
            read_bundle(bundle, public, "G1")


def test_rows_decoded_over_columns_are_those_decode_gives_row_by_row(keys):
    """read_page decodes a kind's rows column by column (sync/protocol.py): each row is
    what `decode` makes of it, photos, dates, times and missing ones alike."""
    signer, public = keys
    blobs = Blobs()
    people = [person(1, PHOTO), person(2, None), person(3, PHOTO[:5])]
    people[1]["purged_at"] = datetime(2026, 2, 14, 9, 30, tzinfo=UTC)
    rows = [encode(FIELDS["people"], p, blobs) for p in people]
    body = page(rows, blobs)
    header, tail = split_page(body)
    expected = [decode(FIELDS["people"], wire, tail) for wire in header["people"]]
    read = read_page(body, signer.sign(body), public)
    assert read.entities["people"] == expected == people
    assert read.refused == ()


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("date_of_birth", "14/02/1990", "date_of_birth: '14/02/1990' is not a valid date"),
        ("purged_at", "2026-02-14T09:30:00", "purged_at: '2026-02-14T09:30:00' is not a valid"),
        ("photo", [0, 10**9], "lie outside the page's"),
        ("surname", None, None),  # not converted: taken as it is (the feed checks judge it)
    ],
)
def test_one_bad_value_leaves_out_its_row_only_with_its_reason(keys, field, value, why):
    signer, public = keys
    blobs = Blobs()
    rows = [encode(FIELDS["people"], person(i, PHOTO), blobs) for i in (1, 2, 3)]
    header, tail = split_page(page(rows, blobs))
    header["people"][1][field] = value
    body = join_page(header, bytes(tail))
    read = read_page(body, signer.sign(body), public)
    ids = [p["id"] for p in read.entities["people"]]
    if why is None:
        assert (ids, read.refused, read.entities["people"][1][field]) == ([1, 2, 3], (), None)
    else:
        assert ids == [1, 3] and len(read.refused) == 1 and why in read.refused[0]
        assert read.entities["people"][0]["photo"] == PHOTO  # the others decoded whole


def test_rows_with_a_field_too_many_or_missing_are_read_row_by_row(keys):
    signer, public = keys
    blobs = Blobs()
    rows = [encode(FIELDS["people"], person(i, None), blobs) for i in (1, 2, 3)]
    header, tail = split_page(page(rows, blobs))
    header["people"][0]["extra"] = 1  # a newer hub's field: not taken into the row
    del header["people"][2]["email"]
    body = join_page(header, bytes(tail))
    read = read_page(body, signer.sign(body), public)
    assert [sorted(p) for p in read.entities["people"]] == [sorted(FIELDS["people"])] * 2
    assert len(read.refused) == 1 and "missing field(s) email" in read.refused[0]
