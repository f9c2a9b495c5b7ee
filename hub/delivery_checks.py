"""What a kiosk may deliver: sizes, values and ownership, checked before anything is stored.

A kiosk reports what it did; it is not trusted to speak for another kiosk. Every journal
row is checked for its size, the form of each field and every enumerated value (badge
status and counter, verdict, the signed-in role, the action's form); a badge it carries
must be the sender's own (its serial starts with the sender's id), or an existing badge
of another kiosk in a state change a counter makes on a card it did not print (handing
over a pre-printed card, printing a failed one again, taking a hand-over back, a reprint
superseding it). Nothing else of another kiosk's badge may change, and no kiosk creates
a serial of another's: V1's next serial can never be claimed from G1.

A security post records the badges it checks and never a counter's desk work: a verdict
on an applicant, a hand-off slip or a photo taken at the desk (`desk_refusal`). Moments
and badge days fall within the years of YEARS.

A badge's life event (lost, stolen, damaged: a supervisor's; found, returned: a clerk's
too, kiosk/badge_life.py) must name its badge and a role that may record it, a
hand-off (kiosk/handoff.py) must name its accreditation and only reasons the office's
list knows, and a security post's check (kiosk/post_journal.py) one of its three
answers, a reason's code and a role that checks badges.

Refusals carry a machine reason and an English and French sentence; hub/receive.py turns
one into a conflict the office sees and refuses the whole delivery.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from kiosk import roles
from kiosk.badge_life import JOURNAL_ACTIONS, NOTE_MAX, VOIDED
from kiosk.codes import SERIAL_FORM as SERIAL
from kiosk.counter import REASON_MAX
from kiosk.desk_photos import ACTION as PHOTO_REPLACED
from kiosk.handoff import ACTION as HANDOFF
from kiosk.handoff import OFFICE_FIXES
from kiosk.model import BadgeStatus, Counter, Verdict
from kiosk.post_journal import ACTION as POST_CHECK
from kiosk.post_journal import ANSWERS
from kiosk.typed import CONTROL, as_text
from sync.clock_header import EARLIEST, LATEST

# A journal row with its badge, as JSON: an honest one weighs under 2 KB, one quoting a
# supervisor's longest reason twice (badge and details) under 50 KB.
MAX_ROW_BYTES = 64 * 1024
MAX_KEYS = 8  # badge keys reported with one delivery
MAX_SUPERSEDED = 16
MAX_INT = 2**31 - 1  # INTEGER columns at the hub (PostgreSQL)
NAME_MAX = 80  # actors, clerks, supervisors (the stores' columns)
KIOSK = re.compile(r"[A-Z][A-Z0-9]{0,14}")  # forms matched whole (fullmatch)
ACTION = re.compile(r"[a-z][a-z0-9_]{0,19}")
HASH = re.compile(r"[0-9a-f]{64}")
REASON_CODE = re.compile(r"[a-z][a-z_]{0,39}")  # a post's headline reason: revoked, forged
# The years a kiosk's moments and badge days may fall in, as for its clock header: a
# year 9999 overflows when shown in Brussels time, and broke every page that showed it.
YEARS = range(EARLIEST.year, LATEST.year)
STATUSES = frozenset(s.value for s in BadgeStatus)
COUNTERS = frozenset(c.value for c in Counter)
VERDICTS = frozenset(v.value for v in Verdict)
ROLES = frozenset(r.value for r in roles.Role)
# Changes another kiosk's badge may undergo at a counter that did not print it
# (kiosk/counter.py: _take_waiting, undo_handover), and whether the sender takes the
# badge over (it names itself, its counter, clerk and time) or changes its status only.
FOREIGN_MOVES = {
    (BadgeStatus.PREPRINTED.value, BadgeStatus.ACTIVE.value): True,  # hand-over
    (BadgeStatus.PREPRINTED.value, BadgeStatus.PRINTING.value): True,
    (BadgeStatus.PRINT_FAILED.value, BadgeStatus.PRINTING.value): True,  # print retry
    (BadgeStatus.PRINT_FAILED.value, BadgeStatus.ACTIVE.value): True,
    (BadgeStatus.ACTIVE.value, BadgeStatus.PREPRINTED.value): False,  # hand-over undone
}
# What a badge's record says of who issued it and why; another kiosk changes none of it
# but by taking the badge over.
RECORD = ("counter", "kiosk_id", "clerk", "supervisor", "reason", "issued_at")
FIXED = ("accreditation_id", "valid_from", "valid_until")
FINAL = (BadgeStatus.SUPERSEDED.value, BadgeStatus.REVOKED.value, *VOIDED)


@dataclass(frozen=True)
class Refusal:
    """Why a delivery is refused: `status` is the HTTP status to answer."""

    status: int
    reason: str  # machine reason: size, malformed, foreign, value
    en: str
    fr: str
    journal_id: int | None = None


def _bad(reason: str, en: str, fr: str, journal_id: int | None = None) -> Refusal:
    return Refusal(413 if reason == "size" else 422, reason, en, fr, journal_id)


def owner_of(serial: str) -> str:
    """The kiosk whose counter made serial "G1-000042" (G1)."""
    return serial.rpartition("-")[0]


def _whole(value: object, low: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_INT


def _text(value: object, most: int, least: int = 1) -> bool:
    return isinstance(value, str) and least <= len(value) <= most and not CONTROL.search(value)


def _plain(value: object) -> bool:
    """Whether no text in `value` (objects and lists walked) holds a control character
    or a direction override: PostgreSQL cannot keep a NUL, the console would show the rest.
    A kiosk journals what people typed so (kiosk/typed.as_text)."""
    return as_text(value) == value


def _within(value: object, kind: type[date]) -> bool:
    """A day or moment (`kind`) within YEARS."""
    return isinstance(value, kind) and value.year in YEARS


def _one_of(value: object, allowed: frozenset, optional: bool = False) -> bool:
    return (optional and value is None) or (isinstance(value, str) and value in allowed)


def _serial(value: object, optional: bool = False) -> bool:
    return (optional and value is None) or (
        isinstance(value, str) and bool(SERIAL.fullmatch(value))
    )


def wire_size(wire: object) -> int:
    """The bytes of a wire row as JSON (what the kiosk sent, give or take spacing)."""
    return len(json.dumps(wire, separators=(",", ":"), default=str).encode())


def size_refusal(wire: object, position: int) -> Refusal | None:
    """A row larger than MAX_ROW_BYTES, refused before it is decoded."""
    size = wire_size(wire)
    if size <= MAX_ROW_BYTES:
        return None
    jid = wire.get("id") if isinstance(wire, dict) else None
    jid = jid if _whole(jid) else None
    return _bad(
        "size",
        f"journal row {jid or f'#{position + 1}'} is {size} bytes; a row may hold at most "
        f"{MAX_ROW_BYTES}",
        f"l'entrée {jid or f'n° {position + 1}'} du journal fait {size} octets ; une entrée "
        f"ne peut dépasser {MAX_ROW_BYTES} octets",
        jid,
    )


def _row_fields(row: dict) -> str | None:
    """The first field of a decoded journal row that is not as a kiosk writes it."""
    checks = (
        ("id", _whole(row["id"])),
        ("at", _within(row["at"], datetime)),
        ("seen_cursor", _whole(row["seen_cursor"], 0)),
        # What a passer-by typed at sign-in is journalled as typed (empty included).
        ("actor", _text(row["actor"], NAME_MAX, 0)),
        ("action", isinstance(row["action"], str) and bool(ACTION.fullmatch(row["action"]))),
        ("accreditation_id", row["accreditation_id"] is None or _whole(row["accreditation_id"])),
        ("badge_serial", _serial(row["badge_serial"], optional=True)),
        ("verdict", _one_of(row["verdict"], VERDICTS, optional=True)),
        ("details", isinstance(row["details"], dict) and _plain(row["details"])),
        ("prev_hash", isinstance(row["prev_hash"], str) and bool(HASH.fullmatch(row["prev_hash"]))),
        ("hash", isinstance(row["hash"], str) and bool(HASH.fullmatch(row["hash"]))),
    )
    for name, ok in checks:
        if not ok:
            return name
    details = row["details"]
    if "counter" in details and not _one_of(details["counter"], COUNTERS):
        return "details.counter"
    if "role" in details and not _one_of(details["role"], ROLES):
        return "details.role"
    superseded = details.get("superseded", [])
    if not isinstance(superseded, list) or len(superseded) > MAX_SUPERSEDED:
        return "details.superseded"
    if not all(_serial(s) for s in superseded):
        return "details.superseded"
    return None


def _badge_fields(badge: dict) -> str | None:
    """The first field of a carried badge that is not as a counter writes it."""
    checks = (
        ("serial", _serial(badge["serial"])),
        ("accreditation_id", _whole(badge["accreditation_id"])),
        ("counter", _one_of(badge["counter"], COUNTERS)),
        (
            "kiosk_id",
            isinstance(badge["kiosk_id"], str) and bool(KIOSK.fullmatch(badge["kiosk_id"])),
        ),
        ("clerk", _text(badge["clerk"], NAME_MAX)),
        ("supervisor", badge["supervisor"] is None or _text(badge["supervisor"], NAME_MAX)),
        ("reason", _text(badge["reason"], REASON_MAX, 0)),
        ("status", _one_of(badge["status"], STATUSES)),
        ("superseded_by", _serial(badge["superseded_by"], optional=True)),
        ("issued_at", _within(badge["issued_at"], datetime)),
        (
            "valid_until",
            _within(badge["valid_from"], date)
            and _within(badge["valid_until"], date)
            and badge["valid_from"] <= badge["valid_until"],
        ),
    )
    return next((name for name, ok in checks if not ok), None)


def row_refusal(row: dict, sender: str) -> Refusal | None:
    """Why a decoded journal row (with its badge) may not come from `sender`, or None."""
    jid = row["id"] if _whole(row["id"]) else None
    if row["kiosk_id"] != sender:
        return _bad(
            "foreign",
            f"journal row {jid} was written by kiosk {row['kiosk_id']!r} but delivered by "
            f"{sender}: a kiosk reports its own journal only, under its enrolled id",
            f"l'entrée {jid} du journal a été écrite par le guichet {row['kiosk_id']!r} mais "
            f"livrée par {sender} : un guichet ne livre que son propre journal, sous son "
            "identifiant enrôlé",
            jid,
        )
    field = _row_fields(row)
    badge = row["badge"]
    if field is None and badge is not None:
        field = _badge_fields(badge)
        field = field and f"badge.{field}"
        if field is None and badge["serial"] != row["badge_serial"]:
            field = "badge.serial"
    if field is None and row["action"] == HANDOFF and not _handoff_holds(row):
        field = "details.reasons"
    if field is None and row["action"] == POST_CHECK:
        field = _post_check_field(row)
    life = field is None and row["action"] in JOURNAL_ACTIONS
    if life and (refusal := _life_refusal(row, sender)):
        return refusal
    checked = field is None and row["action"] == POST_CHECK
    if checked and (refusal := _post_check_refusal(row, sender)):
        return refusal
    if field is not None:
        return _bad(
            "value",
            f"journal row {jid} of {sender} has an invalid {field} (unknown value, wrong "
            "form or too long)",
            f"l'entrée {jid} du journal de {sender} a un champ {field} invalide (valeur "
            "inconnue, forme fausse ou trop long)",
            jid,
        )
    return None


def _handoff_holds(row: dict) -> bool:
    """A hand-off (kiosk/handoff.py) names its accreditation and what the office must fix,
    as names of OFFICE_FIXES only (the office's list shows their fixed sentences)."""
    reasons = row["details"].get("reasons")
    return (
        row["accreditation_id"] is not None
        and isinstance(reasons, list)
        and 0 < len(reasons) <= len(OFFICE_FIXES)
        and all(isinstance(r, str) and r in OFFICE_FIXES for r in reasons)
    )


def _post_check_field(row: dict) -> str | None:
    """The first field of a security post's check (kiosk/post_journal.py) that is not as
    a post writes it: the answer one of three words, the reason a code, no verdict (Site
    today counts these by reason)."""
    details = row["details"]
    if details.get("answer") not in ANSWERS:
        return "details.answer"
    if not (isinstance(details.get("reason"), str) and REASON_CODE.fullmatch(details["reason"])):
        return "details.reason"
    return "verdict" if row["verdict"] is not None else None


def desk_refusal(row: dict, sender: str) -> Refusal | None:
    """Why security post `sender` may not deliver `row`, a counter's desk work (a verdict,
    a hand-off, a desk photo: the console counts them as a counter's), or None."""
    if row["verdict"] is None and row["action"] not in (HANDOFF, PHOTO_REPLACED):
        return None
    jid, what = row["id"], row["verdict"] or row["action"]
    return _bad(
        "forbidden",
        f"journal row {jid} of security post {sender} records a counter's desk work "
        f"({what}): a post checks badges and records none",
        f"l'entrée {jid} du journal du poste de sécurité {sender} enregistre le travail "
        f"d'un guichet ({what}) : un poste contrôle les badges et n'en enregistre aucun",
        jid,
    )


def _post_check_refusal(row: dict, sender: str) -> Refusal | None:
    """Why a security post's check may not be taken: its role checks no badge (as a
    badge's life event, `_life_refusal`), or None."""
    role = row["details"].get("role")
    if role in ROLES and roles.allowed(roles.Role(role), roles.Action.VERIFY_BADGE):
        return None
    jid = row["id"]
    return _bad(
        "forbidden",
        f"journal row {jid} of {sender} records a badge checked at a security post by a "
        f"{role}, who checks no badge: a kiosk's own rules never allow it",
        f"l'entrée {jid} du journal de {sender} enregistre un badge contrôlé à un poste de "
        f"sécurité par un rôle « {role} » qui n'en contrôle pas : les règles d'un guichet ne "
        "le permettent jamais",
        jid,
    )


def _life_refusal(row: dict, sender: str) -> Refusal | None:
    """A badge's life event (kiosk/badge_life.py) names its badge, and was recorded by
    someone whose role may record it: a clerk's session cannot void a badge."""
    jid, event = row["id"], JOURNAL_ACTIONS[row["action"]]
    details = row["details"]
    if row["badge"] is None or row["accreditation_id"] is None:
        return _bad(
            "value",
            f"journal row {jid} of {sender} records a badge {event.value} without its badge",
            f"l'entrée {jid} du journal de {sender} enregistre un badge « {event.value} » "
            "sans ce badge",
            jid,
        )
    note = details.get("note", "")
    if not _text(note, NOTE_MAX, 0):
        return _bad(
            "value",
            f"journal row {jid} of {sender} has an invalid details.note (not text, or longer "
            f"than {NOTE_MAX} characters)",
            f"l'entrée {jid} du journal de {sender} a un champ details.note invalide",
            jid,
        )
    role = details.get("role")
    if role not in ROLES or not roles.allowed(roles.Role(role), event.action):
        return _bad(
            "forbidden",
            f"journal row {jid} of {sender} records badge {row['badge_serial']} "
            f"{event.value} by a {role}, who may not: a kiosk's own rules never allow it",
            f"l'entrée {jid} du journal de {sender} enregistre le badge "
            f"{row['badge_serial']} « {event.value} » par un rôle « {role} » qui ne le peut "
            "pas : les règles d'un guichet ne le permettent jamais",
            jid,
        )
    return None


def as_carried(badge: dict) -> dict:
    """A delivered badge as the hub takes it: a status of its holder's life (lost...) is
    taken from the life event rows only, each checked for its role (`_life_refusal`), and
    only a badge handed over (active) enters that life, so the badge a row carries counts
    as active in its place (rows carry the badge as it is when delivered, not as it was)."""
    if badge["status"] in VOIDED:
        return {**badge, "status": BadgeStatus.ACTIVE.value}
    return badge


def foreign_badge_refusal(row: dict, sender: str, held: dict | None) -> Refusal | None:
    """Why `sender` may not report the badge its row carries, as the hub holds it
    (`held`: its columns, or None), or None. Of its own badges, a kiosk may not move
    one to another accreditation; of another kiosk's, see FOREIGN_MOVES and `stored`."""
    badge = row["badge"]
    owner = owner_of(badge["serial"])
    if owner == sender:
        if held is not None and held["accreditation_id"] != badge["accreditation_id"]:
            return _foreign(row, sender, "moves its badge to another accreditation")
        return None
    if held is None:
        return _foreign(row, sender, f"creates badge {badge['serial']} of kiosk {owner}")
    if any(held[name] != badge[name] for name in FIXED):
        return _foreign(row, sender, f"changes the holder or dates of {owner}'s badge")
    old, new = held["status"], badge["status"]
    if not stored(row, sender, held):
        return None  # nothing of it is taken (see `stored`)
    takes = FOREIGN_MOVES.get((old, new))
    if old != new and takes is None:
        return _foreign(row, sender, f"changes {owner}'s badge from {old} to {new}")
    if takes and badge["kiosk_id"] != sender:
        return _foreign(row, sender, f"hands {owner}'s badge over in another kiosk's name")
    if not takes and any(held[name] != badge[name] for name in RECORD):
        return _foreign(row, sender, f"rewrites who issued {owner}'s badge, or why")
    return None


def stored(row: dict, sender: str, held: dict | None) -> bool:
    """Whether the hub stores the state of the badge a row carries. Not for another
    kiosk's badge the hub has made final (its word stands), nor one reported superseded
    (the reprint's own row supersedes it, checked: receive.py)."""
    badge = row["badge"]
    if held is None or owner_of(badge["serial"]) == sender:
        return True
    return held["status"] not in FINAL and badge["status"] != BadgeStatus.SUPERSEDED.value


def _foreign(row: dict, sender: str, what: str) -> Refusal:
    jid, serial = row["id"], row["badge"]["serial"]
    return _bad(
        "foreign",
        f"journal row {jid} of {sender} {what} ({serial}): a kiosk reports its own badges, "
        "and on another kiosk's only a hand-over, a reprint or a print retry",
        f"l'entrée {jid} du journal de {sender} modifie le badge {serial} d'un autre "
        "guichet d'une façon interdite : un guichet ne déclare que ses propres badges, et "
        "sur ceux d'un autre seulement une remise, une réimpression ou une nouvelle impression",
        jid,
    )


def superseded_refusal(
    row: dict, sender: str, serial: str, accreditation_id: int
) -> Refusal | None:
    """A reprint may supersede only badges of the same accreditation."""
    if accreditation_id == row["badge"]["accreditation_id"]:
        return None
    return _bad(
        "foreign",
        f"journal row {row['id']} of {sender} supersedes badge {serial}, which belongs to "
        "another accreditation",
        f"l'entrée {row['id']} du journal de {sender} remplace le badge {serial}, qui "
        "appartient à une autre accréditation",
        row["id"],
    )
