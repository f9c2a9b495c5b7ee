"""What a kiosk takes from a feed page: every row's enumerated values and form, checked.

The feed is signed by the hub, but the hub may hold rows written before it checked what
kiosks deliver (or be wrong): a kiosk never lets one row stop its sync or its counter.
A row with an unknown status, counter, kind, flow or media kind, or a value that does
not fit its column in the store (sync/feed_forms.py), is refused with a logged reason
and the rest of the page applies (sync/apply.py). A badge whose serial is this kiosk's
own but which this kiosk never made is refused too: no one else hands out this kiosk's
serials. A reinstatement must name two different badge serials (the badge made valid
again, the one it cancels), who and when. A CSCA certificate is taken only if it
parses, is a certificate authority, names a country and is the one its fingerprint
names. Hours, closures and pooled moments are checked by the kiosk's own rules
(sync/hours_apply.py). A person's photo larger than the hub's importer takes or not a
JPEG (by its first bytes: decoding every photo of a first sync would cost seconds) is
dropped, and the person taken without one (`odd_photos`).
"""

from __future__ import annotations

import hashlib
import re
from operator import itemgetter

from cryptography import x509
from cryptography.x509.oid import NameOID

from kiosk.badge_life import LifeEvent
from kiosk.codes import SERIAL_FORM
from kiosk.model import BadgeStatus, Counter, Flow, LetterKind, MediaKind, Status
from kiosk.photo_rules import JPEG_MAGIC, PHOTO_LIMIT
from kiosk.typed import is_colour
from sync.feed_forms import form_refusal, forms_pass
from sync.hours_apply import hours_refusal
from sync.staff_apply import staff_refusal

KEY_PURPOSES = frozenset({"confirmation", "badge"})
MAX_INT = 2**31 - 1
MAX_CERTIFICATE = 16 * 1024  # bytes: a CSCA certificate is one or two kilobytes
FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_ENUMS = {
    "letters": {"kind": frozenset(k.value for k in LetterKind)},
    "people": {"media_kind": frozenset(k.value for k in MediaKind)},
    "accreditations": {
        "status": frozenset(s.value for s in Status),
        "flow": frozenset(f.value for f in Flow),
    },
    "badges": {
        "status": frozenset(s.value for s in BadgeStatus),
        "counter": frozenset(c.value for c in Counter),
    },
    "badge_events": {"event": frozenset(e.value for e in LifeEvent)},
    "keys": {"purpose": KEY_PURPOSES},
}
_WHOLE = {
    "letters": ("id",),
    "people": ("id",),
    "accreditations": ("id", "person_id"),
    "badges": ("accreditation_id",),
    "keys": ("key_id",),
    "conflicts": ("id", "accreditation_id"),
    "badge_events": ("journal_id", "accreditation_id"),
    "reinstatements": ("accreditation_id",),
}


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT


# Kinds whose rows `refusal` checks by the tables above only (no rule of their own).
_SCREENED = frozenset({"letters", "people", "accreditations", "conflicts", "badge_events"})


def all_pass(kind: str, rows: list[dict]) -> bool:
    """Whether `refusal` takes every row of `kind`, tested column by column (a few C-level
    passes over each column instead of a Python call per row: on a first sync the checks
    per row cost a fifth of applying). False means some row may be refused: ask
    `refusal` of each, for its reason."""
    if kind not in _SCREENED:
        return not rows
    if not rows:
        return True
    try:
        for name, allowed in _ENUMS.get(kind, {}).items():
            if not allowed.issuperset(map(itemgetter(name), rows)):
                return False
        for name in _WHOLE.get(kind, ()):
            values = list(map(itemgetter(name), rows))
            if set(map(type, values)) != {int} or min(values) < 0 or max(values) > MAX_INT:
                return False
        return forms_pass(kind, rows)
    except (KeyError, TypeError):  # a row without a field, or an unhashable value
        return False


def refusal(kind: str, row: dict, kiosk_id: str) -> str | None:
    """Why this kiosk does not take `row` of `kind` from a page, or None: its meaning
    first (the clearer reason), then whether each value fits its column."""
    for name, allowed in _ENUMS.get(kind, {}).items():
        if row[name] not in allowed:
            return f"unknown {name} {row[name]!r}"
    for name in _WHOLE.get(kind, ()):
        if not _whole(row[name]):
            return f"{name} {row[name]!r} is not a whole number"
    return _rule_refusal(kind, row, kiosk_id) or form_refusal(kind, row)


def _rule_refusal(kind: str, row: dict, kiosk_id: str) -> str | None:
    """Why `row` breaks a rule of its kind's own, or None."""
    if kind == "badges":
        return _badge_refusal(row, kiosk_id)
    if kind == "reinstatements":
        return _reinstatement_refusal(row)
    if kind == "staff":
        return staff_refusal(row)
    if kind in ("counter_hours", "closures", "pool_moments"):
        return hours_refusal(kind, row)
    if kind == "keys" and not (1 <= row["key_id"] <= 255 and len(row["public_key"]) == 32):
        return "not an Ed25519 key with an id from 1 to 255"
    if kind == "csca":
        return _csca_refusal(row)
    if kind == "events" and not (
        isinstance(row["valid_with"], list) and all(isinstance(e, str) for e in row["valid_with"])
    ):
        return "valid_with is not a list of event ids"
    if kind == "events" and not is_colour(row["colour"]):
        return f"colour {row['colour']!r} is not a colour (#RRGGBB): no badge could be printed"
    return None


def _badge_refusal(row: dict, kiosk_id: str) -> str | None:
    if not (isinstance(row["serial"], str) and SERIAL_FORM.fullmatch(row["serial"])):
        return f"serial {row['serial']!r} is not a badge serial"
    if row["valid_from"] > row["valid_until"]:
        return "valid from a day after it is valid until"
    return None


def _reinstatement_refusal(row: dict) -> str | None:
    for name in ("serial", "cancels"):
        if not (isinstance(row[name], str) and SERIAL_FORM.fullmatch(row[name])):
            return f"{name} {row[name]!r} is not a badge serial"
    if row["serial"] == row["cancels"]:
        return "a badge cannot cancel itself"
    if row["at"] is None or row["actor"] is None:
        return "who reinstated it, when and why are missing"
    return None


def _csca_refusal(row: dict) -> str | None:
    fingerprint, der = row["fingerprint"], row["der"]
    if not (isinstance(fingerprint, str) and FINGERPRINT.fullmatch(fingerprint)):
        return "fingerprint is not a SHA-256 in hex"
    if row["removed_at"] is not None:
        return None  # removing needs no certificate
    if not isinstance(der, bytes) or not 0 < len(der) <= MAX_CERTIFICATE:
        return f"not a certificate of at most {MAX_CERTIFICATE} bytes"
    if hashlib.sha256(der).hexdigest() != fingerprint:
        return "the certificate is not the one its fingerprint names"
    try:
        cert = x509.load_der_x509_certificate(der)
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (ValueError, x509.ExtensionNotFound):
        return "not a certificate authority's certificate"
    if not ca:
        return "not a certificate authority's certificate"
    if not cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME):
        return "the certificate names no country"
    return None


def own_serial(serial: str, kiosk_id: str) -> bool:
    """Whether `serial` is one this kiosk hands out."""
    return serial.rpartition("-")[0] == kiosk_id


def odd_photos(people: list[dict]) -> list[tuple[dict, str]]:
    """The people rows whose photo no identity photo can be, and why: larger than the
    hub's importer takes (kiosk/photo_rules.py PHOTO_LIMIT) or not a JPEG by its first
    bytes. Not decoded (the badge printer checks that the photo it prints decodes)."""
    odd = []
    for row in people:
        photo = row["photo"]
        if photo is None:
            continue
        if len(photo) > PHOTO_LIMIT:
            odd.append((row, f"a photo of {len(photo)} bytes, over the {PHOTO_LIMIT} taken"))
        elif not photo.startswith(JPEG_MAGIC):
            odd.append((row, "a photo that is not a JPEG"))
    return odd
