"""read_page decodes a kind's rows a column at a time (sync/protocol.py `_decoded_whole`):
whatever a page holds, what it reads is what `decode` gives row by row, the same rows
and the same refusals (randomly altered pages, every encoded field kind)."""

from __future__ import annotations

import copy
import random
from datetime import UTC, date, datetime, time

import pytest

from kiosk.codes import Signer
from sync.protocol import (
    FIELDS,
    Blobs,
    FeedSigner,
    ProtocolError,
    _decoded_whole,
    decode,
    encode,
    join_page,
    page_body,
    read_page,
    split_page,
)

AT = datetime(2026, 2, 14, 9, 30, 15, 123456, tzinfo=UTC)
BAD = [
    None,
    True,
    0,
    -1,
    2**64 - 1,
    1.5,
    "",
    "x",
    "2026-02-14",
    "2026-02-14T09:30:00",
    "2026-02-14T09:30:00+01:00",
    "2026-02-14 09:30:00.5Z",
    "14/02/2026",
    "09:30",
    "25:00",
    [],
    [0],
    [0, 1, 2],
    [0, 5],
    [-1, 2],
    [3, -1],
    [0, 10**9],
    [True, 1],
    [0, 1.0],
    ["0", "1"],
    {"a": 1},
]


@pytest.fixture(scope="module")
def keys():
    signer = Signer.generate(0)
    return FeedSigner(signer.private_bytes()), signer.public_bytes()


def _people(n: int) -> list[dict]:
    return [
        {
            "id": i,
            "surname": f"Dœ{i}",
            "given_names": "Jo",
            "date_of_birth": date(1990, 1, 1 + i % 28),
            "nationality": "BEL",
            "email": None,
            "organisation": "Le Soir",
            "media_kind": "written",
            "photo": None if i % 4 == 0 else b"\xff\xd8" + bytes([i % 256]) * (i % 7),
            "purged_at": AT if i % 5 == 0 else None,
        }
        for i in range(1, n + 1)
    ]


def _hours(n: int) -> list[dict]:
    return [
        {
            "id": i,
            "counter": "press",
            "event_id": None,
            "weekday": i % 7,
            "day": None if i % 2 else date(2026, 3, i % 28 + 1),
            "opens": time(8, i % 60),
            "closes": time(17, 30),
            "removed_at": None if i % 3 else AT,
        }
        for i in range(1, n + 1)
    ]


def _page(rows: dict[str, list[dict]]) -> tuple[dict, bytes]:
    blobs = Blobs()
    wires = {kind: [encode(FIELDS[kind], r, blobs) for r in rs] for kind, rs in rows.items()}
    body = page_body(
        hub="hub-1",
        kiosk="G1",
        nonce="n-1",
        at=AT,
        cursor_from=0,
        cursor_to=9,
        head=9,
        more=False,
        received_up_to=0,
        entities=wires,
        blobs=blobs,
    )
    return split_page(body)[0], bytes(split_page(body)[1])


def _row_by_row(header: dict, tail: bytes) -> tuple[dict, list[str]]:
    entities, refused = {}, []
    for kind, fields in FIELDS.items():
        entities[kind] = []
        for wire in header.get(kind, []):
            try:
                entities[kind].append(decode(fields, copy.deepcopy(wire), memoryview(tail)))
            except ProtocolError as err:
                refused.append(f"{kind}: {err}")
    return entities, refused


def _altered(rng: random.Random, header: dict) -> None:
    """Some values of the header's rows replaced by odd ones, or a field added or removed."""
    for _ in range(rng.choice((0, 1, 1, 2, 5))):
        kind = rng.choice(("people", "counter_hours"))
        row = rng.choice(header[kind])
        what = rng.random()
        if what < 0.05:
            row.pop(rng.choice(list(row)))
        elif what < 0.1:
            row["extra"] = 1
        else:  # most often a field that is decoded (photos, days, times, moments)
            encoded = [name for name in row if FIELDS[kind].get(name)]
            name = rng.choice(encoded if encoded and what < 0.8 else list(row))
            row[name] = copy.deepcopy(rng.choice(BAD))


def test_altered_pages_read_as_row_by_row_decoding_reads_them(keys):
    signer, public = keys
    rng = random.Random(18)
    whole = 0
    for _ in range(1000):
        header, tail = _page({"people": _people(rng.randrange(1, 30)), "counter_hours": _hours(9)})
        _altered(rng, header)
        expected, refused = _row_by_row(header, tail)
        body = join_page(header, tail)
        read = read_page(body, signer.sign(body), public)
        assert read.entities == expected
        assert list(read.refused) == refused
        whole += not refused
    assert 100 < whole < 900  # pages read whole and pages with refusals, both often


def test_a_kind_decoded_whole_or_not_at_all(keys):
    """`_decoded_whole` gives exactly the rows `decode` gives, or None (row by row then)."""
    rng = random.Random(7)
    outcomes = set()
    for _ in range(300):
        header, tail = _page({"people": _people(12)})
        _altered(rng, {"people": header["people"], "counter_hours": header["people"]})
        wires = copy.deepcopy(header["people"])
        got = _decoded_whole(FIELDS["people"], wires, memoryview(tail))
        try:
            expected = [decode(FIELDS["people"], w, memoryview(tail)) for w in header["people"]]
        except ProtocolError:
            expected = None
        if got is None:
            assert wires == header["people"]  # nothing changed before all values decode
        outcomes.add(got is None)
        assert got == expected or (got is None and expected is not None and _extra(header))


def _extra(header: dict) -> bool:
    """Rows with a field too many decode one by one (their extra field left out)."""
    return any(len(w) != len(FIELDS["people"]) for w in header["people"])
