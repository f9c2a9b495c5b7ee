"""The feed checks over columns (`all_pass`) against the checks of each row (`refusal`):
a page passes whole only when every row would; otherwise each row is asked for its reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sync import feed_checks
from sync.feed_checks import all_pass, refusal
from sync.feed_forms import FORMS

AT = datetime(2026, 2, 14, 9, tzinfo=UTC)
GOOD = {
    "letters": {
        "id": 1,
        "kind": "editor",
        "organisation": "Paper",
        "signed": True,
        "members": [],
        "purged_at": None,
    },
    "people": {
        "id": 1,
        "surname": "Roe",
        "given_names": "Ann",
        "date_of_birth": date(1990, 1, 1),
        "nationality": "BEL",
        "email": "ann@example.org",
        "organisation": "Paper",
        "media_kind": "online",
        "photo": None,
        "purged_at": None,
    },
    "accreditations": {
        "id": 1,
        "person_id": 1,
        "flow": "event",
        "year": None,
        "event_id": "summit",
        "status": "approved",
        "status_reason": "",
        "status_changed_at": AT,
        "pool": False,
        "doc_kind": "P",
        "doc_number_digest": "d" * 64,
        "doc_number_tail": "123",
        "doc_state": "BEL",
        "doc_surname": "ROE",
        "doc_given_names": "ANN",
        "doc_birth_date": date(1990, 1, 1),
        "doc_expiry": date(2030, 1, 1),
        "press_card": None,
        "letter_id": None,
        "purged_at": None,
        "status_reason_fr": None,  # a hub older than the kiosk sends none
    },
    "conflicts": {
        "id": 1,
        "kind": "double_issue",
        "accreditation_id": 1,
        "badge_serial": "G1-000001",
        "kiosk_id": "G1",
        "detected_at": AT,
        "message_en": "Two badges",
        "message_fr": "Deux badges",
        "settled_at": None,
        "settlement": None,
        "settle_note": None,
    },
    "badge_events": {
        "kiosk_id": "G1",
        "journal_id": 7,
        "serial": "G1-000001",
        "accreditation_id": 1,
        "event": "lost",
        "at": AT,
        "actor": "clerk",
        "note": "",
    },
}
BAD_VALUES = (None, -1, True, 2**31, 2**63, 1.5, "1", "x" * 4001, b"bytes", ["list"], {"a": 1})
BAD_VALUES += (date(2026, 2, 14), AT)


def mutations():
    """Each screened kind's good row with one checked field set to each bad value, or
    left out."""
    for kind, good in GOOD.items():
        checked = {
            *feed_checks._ENUMS.get(kind, {}),
            *feed_checks._WHOLE.get(kind, ()),
            *FORMS.get(kind, {}),
        }
        for name in sorted(checked):
            yield kind, name, {k: v for k, v in good.items() if k != name}
            for value in BAD_VALUES:
                yield kind, name, good | {name: value}


def reason(kind: str, row: dict) -> str | None:
    try:
        return refusal(kind, row, "G1")
    except (KeyError, TypeError, ValueError) as err:
        return f"malformed ({err!r})"


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_good_rows_pass_over_columns_as_row_by_row(kind):
    rows = [GOOD[kind] | {"id": i} if "id" in GOOD[kind] else GOOD[kind] for i in range(5)]
    assert all(reason(kind, r) is None for r in rows)
    assert all_pass(kind, rows) and all_pass(kind, [])


def test_no_page_passes_over_columns_with_a_row_its_own_check_refuses():
    """The column checks never take what the row checks refuse (each bad value, in each
    checked field of each kind, between two good rows)."""
    tried = 0
    for kind, name, bad in mutations():
        if reason(kind, bad) is not None:
            tried += 1
            page = [GOOD[kind], bad, GOOD[kind]]
            assert not all_pass(kind, page), (kind, name, bad.get(name, "(missing)"))
    assert tried > 600


BADGE = {
    "serial": "G1-000001",
    "accreditation_id": 1,
    "counter": "groups",
    "status": "active",
    "kiosk_id": "G1",
    "clerk": "c",
    "supervisor": None,
    "superseded_by": None,
    "valid_from": date(2026, 2, 14),
    "valid_until": date(2026, 2, 14),
    "reason": "",
    "issued_at": AT,
}


def test_kinds_with_rules_of_their_own_are_checked_row_by_row():
    serial = BADGE | {"valid_until": date(2026, 2, 13)}  # refused by the badge's own rule
    assert reason("badges", BADGE) is None
    assert reason("badges", serial) == "valid from a day after it is valid until"
    assert not all_pass("badges", [serial])


def test_a_serial_with_a_newline_after_it_is_refused():
    # `$` matches before a final newline: the serial's form is matched whole.
    badge = BADGE | {"serial": "G1-000001\n"}
    assert reason("badges", badge) == "serial 'G1-000001\\n' is not a badge serial"
    assert not all_pass("badges", [badge])
