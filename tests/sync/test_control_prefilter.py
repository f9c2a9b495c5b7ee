"""A page's plain-text verdict (sync/protocol.py `_control_in_json`) is the regex's own:
the byte prefilter only skips places where no match can start."""

from __future__ import annotations

import random

import orjson
import pytest

from sync.protocol import (
    _BYTES_PER_TRY,
    _CANNOT_START,
    _CONTROL_IN_JSON,
    _MATCH_STARTS,
    _control_in_json,
)

# Every pattern of the regex, in its cases, and near misses around each.
MATCHES = [
    *(b"\\" + bytes([c]) for c in b"bfBF"),
    *(b"\\u00%02x" % n for n in (*range(0x20), *range(0x80, 0xA0))),
    b"\\u007f",
    b"\\u007F",
    *(b"\\u%04x" % n for n in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))),
    b"\\u202A",
    b"\\U202e",
    *(b"\\u%04x" % n for n in (0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xDABC)),
    b"\\uD83D",
    *(bytes([n]) for n in (*range(0x20), 0x7F)),
    *(chr(n).encode() for n in range(0x80, 0xA0)),  # C1 in UTF-8: c2 80 to c2 9f
    *(chr(n).encode() for n in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))),
]
NEAR = [
    b"\\n",  # escapes that are no control (newlines and tabs are taken as they are)
    b"\\t",
    b"\\r",
    b'\\"',
    b"\\\\",
    b"\\\\b",  # an escaped backslash, then b: no match at the b
    b"\\/",
    b"\\u0020",
    b"\\u00a0",
    b"\\u00e9",
    b"\\u0100",
    b"\\u2029",
    b"\\u202f",
    b"\\u2065",
    b"\\u206a",
    b"\\ue000",
    b"\\u7f00",
    b"\\u00",
    b"\\u",
    b"\\",
    "’".encode(),  # e2 80 99
    "‘“”–—…".encode(),
    "\u2028\u2029\u202f\u2060\u2065\u206a".encode(),
    "\u00a0".encode(),  # c2 a0
    "©«»¿".encode(),
    b"\xc2",
    b"\xe2",
    b"\xe2\x80",
    b"\xe2\x81",
    "Dœ-Müller, 東京, Şahin".encode(),
    b" ",
    b"~",
    b"\x80",
    b"\xff",
]
PLAIN = [b'{"surname":"Peeters","id":17,', b'"a":[1,2],', b"null,", b"true}", b'"x"']


def _old(body: bytes, start: int, end: int) -> bool:
    return _CONTROL_IN_JSON.search(body, start, end) is not None


def test_no_match_starts_with_a_byte_the_prefilter_deletes():
    """Whatever follows it, a byte outside _MATCH_STARTS begins no match."""
    tails = [m[1:] for m in MATCHES] + [m for m in MATCHES] + [b"", b"u00" + b"1f"]
    for first in set(range(256)) - _MATCH_STARTS:
        for tail in tails:
            assert _CONTROL_IN_JSON.match(bytes([first]) + tail) is None, (first, tail)
    assert {m[0] for m in MATCHES} == _MATCH_STARTS  # and each start byte is needed


@pytest.mark.parametrize("piece", MATCHES + NEAR)
def test_each_piece_alone_and_in_text(piece):
    for body in (piece, b"xx" + piece + b"yy", PLAIN[0] + piece + PLAIN[1]):
        assert _control_in_json(body, 0, len(body)) == _old(body, 0, len(body))
    escaped_backslash_then_b = piece == b"\\\\b"  # the regex takes it: a match may be none
    assert _old(piece, 0, len(piece)) == (piece in MATCHES or escaped_backslash_then_b)


def test_generated_headers_give_the_regex_verdict():
    """Random headers of plain JSON, matches and near misses, searched whole and in every
    kind of window (a match cut by its start or end, many places to try or few)."""
    rng = random.Random(18)
    pieces = [*PLAIN * 6, *NEAR * 2, *MATCHES]
    verdicts, searched_whole = [], 0
    for n in range(4000):
        count = rng.choice((1, 3, 10, 40, 100))
        near_only = n % 3 == 0
        parts = rng.choices(NEAR + PLAIN if near_only else pieces, k=count)
        if n % 7 == 0:  # few places to try in much plain text
            parts = [*parts[:2], *PLAIN * count]
        body = b"".join(parts)
        start = rng.choice((0, 0, rng.randrange(len(body) + 1)))
        end = rng.choice((len(body), len(body), rng.randrange(start, len(body) + 1)))
        verdict = _old(body, start, end)
        assert _control_in_json(body, start, end) == verdict, (body, start, end)
        verdicts.append(verdict)
        places = len(body[start:end].translate(None, _CANNOT_START))
        searched_whole += places * _BYTES_PER_TRY > end - start
    assert 500 < verdicts.count(False) < 3500  # both verdicts, often
    assert 500 < searched_whole < 3500  # and both ways of finding them


def test_a_real_header_with_framing_around_it():
    header = orjson.dumps(
        {"people": [{"surname": "O’Brien\u00a0Şahin", "n": i} for i in range(50)]}
    )
    body = b"\x00\x00\x00\x10" + header + b"\x1b\x00photo"  # framing and blobs: outside
    assert not _control_in_json(body, 4, 4 + len(header))
    assert _old(body, 4, 4 + len(header)) is False
    bad = orjson.dumps({"surname": "Evil\u202eNAME"})
    body = b"\x00\x00\x00\x10" + bad
    assert _control_in_json(body, 4, len(body)) and _old(body, 4, len(body))
