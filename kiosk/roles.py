"""Who may do what at a kiosk, and PINs kept with a slow hash.

Enforced in the core (a service calls `require` before acting), not only by hiding
buttons: a clerk's session cannot override, a security post cannot issue.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The people who sign in at a kiosk."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    SECURITY = "security"
    ADMINISTRATOR = "administrator"


class Action(StrEnum):
    """What a signed-in person may ask the kiosk to do."""

    CHECK = "check"  # scan and see a verdict at a counter
    ISSUE = "issue"
    OVERRIDE = "override"  # a soft refusal, with a written reason (reprint included)
    UNDO_HANDOVER = "undo_handover"
    VERIFY_BADGE = "verify_badge"  # security's check of a worn badge
    PRINT_BATCH = "print_batch"
    SETTINGS = "settings"
    AUDIT_EXPORT = "audit_export"
    PURGE = "purge"
    POOL_CARDS = "pool_cards"  # hand out and take back pool cards at the pool desk
    VOID_BADGE = "void_badge"  # report a badge lost, stolen or damaged (kiosk/badge_life.py)
    TAKE_BACK_BADGE = "take_back_badge"  # record a badge found, or returned, at the desk


# A card handed in at the desk (found, returned) is counter work; voiding one its holder
# may still wear (lost, stolen, damaged) cannot be undone: a supervisor's call.
_COUNTER = {
    Action.CHECK,
    Action.ISSUE,
    Action.VERIFY_BADGE,
    Action.POOL_CARDS,
    Action.TAKE_BACK_BADGE,
}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset(_COUNTER),
    Role.SUPERVISOR: frozenset(
        _COUNTER | {Action.OVERRIDE, Action.UNDO_HANDOVER, Action.PRINT_BATCH, Action.VOID_BADGE}
    ),
    Role.SECURITY: frozenset({Action.VERIFY_BADGE}),
    # The administrator configures the kiosk; issuing badges is the counter staff's job.
    Role.ADMINISTRATOR: frozenset(
        {Action.SETTINGS, Action.AUDIT_EXPORT, Action.PURGE, Action.PRINT_BATCH}
    ),
}


@dataclass(frozen=True)
class Actor:
    """Someone signed in at a kiosk: the name the journal keeps, and the role checked."""

    name: str
    role: Role


# A role and an action as a refusal names them to a person (English, French): the
# refusal used to name the code ("Un rôle « clerk » ne peut pas faire ceci (void_badge).").
ROLE_WORDS = {
    Role.CLERK: ("a clerk", "un agent de guichet"),
    Role.SUPERVISOR: ("a supervisor", "un superviseur"),
    Role.SECURITY: ("a security officer", "un agent de sécurité"),
    Role.ADMINISTRATOR: ("an administrator", "un administrateur"),
}
ACTION_WORDS = {
    Action.CHECK: ("checking applicants at a counter", "contrôler les demandeurs au guichet"),
    Action.ISSUE: ("issuing a badge", "délivrer un badge"),
    Action.OVERRIDE: ("overriding a refusal", "lever un refus"),
    Action.UNDO_HANDOVER: ("undoing a badge's hand-over", "annuler la remise d'un badge"),
    Action.VERIFY_BADGE: ("verifying worn badges", "vérifier les badges portés"),
    Action.PRINT_BATCH: ("pre-printing badges", "pré-imprimer des badges"),
    Action.SETTINGS: (
        "changing the kiosk's settings or accounts",
        "modifier les paramètres ou les comptes du kiosque",
    ),
    Action.AUDIT_EXPORT: ("exporting the journal", "exporter le journal"),
    Action.PURGE: ("purging personal data", "purger les données personnelles"),
    Action.POOL_CARDS: ("handing out pool cards", "remettre des cartes de pool"),
    Action.VOID_BADGE: (
        "reporting a badge lost, stolen or damaged",
        "déclarer un badge perdu, volé ou endommagé",
    ),
    Action.TAKE_BACK_BADGE: (
        "recording a badge found or returned",
        "enregistrer un badge retrouvé ou rendu",
    ),
}


def _either(names: list[str], word: str) -> str:
    """ "a, b or c"."""
    return f"{', '.join(names[:-1])} {word} {names[-1]}" if len(names) > 1 else "".join(names)


class AccessDenied(PermissionError):
    """A role asked for an action it may not take: the message says what the action is
    and who may take it, in English and French."""

    def __init__(self, role: Role, action: Action) -> None:
        self.role, self.action = role, action
        who = [ROLE_WORDS[r] for r in Role if action in PERMISSIONS[r]]
        who_en, who_fr = _either([w[0] for w in who], "or"), _either([w[1] for w in who], "ou")
        what_en, what_fr = ACTION_WORDS[action]
        role_en, role_fr = ROLE_WORDS[role]
        self.message_en = f"{role_en.capitalize()} may not do this: {what_en} needs {who_en}."
        self.message_fr = (
            f"{role_fr.capitalize()} ne peut pas faire ceci : il faut {who_fr} pour {what_fr}."
        )
        super().__init__(self.message_en)


def allowed(role: Role, action: Action) -> bool:
    """Whether `role` may take `action`."""
    return action in PERMISSIONS[role]


def require(role: Role, action: Action) -> None:
    """Raise AccessDenied unless `role` may take `action`."""
    if not allowed(role, action):
        raise AccessDenied(role, action)


# Who holds which PIN length. A supervisor's or an administrator's PIN unlocks overrides,
# reprints, purges and accounts: 6 digits at least. A clerk's or a security post's PIN
# unlocks only what the counter's rules allow anyway (an approved applicant whose code,
# ID document and face match) or a read-only check: 4 digits, quick at a busy counter.
PIN_MIN = {Role.CLERK: 4, Role.SECURITY: 4, Role.SUPERVISOR: 6, Role.ADMINISTRATOR: 6}

# scrypt, n=2**16, r=8, p=1: 64 MiB and, measured on this project's 2-core machines,
# 0.17 s per check (n=2**14: 0.03 s; 2**15: 0.08 s; 2**17: 0.37 s). A sign-in waits
# that long once; an offline guesser pays it for every PIN tried: all 10**6 6-digit PINs
# take ~47 core-hours (~24 h on both cores), all 10**4 4-digit ones ~28 core-minutes
# (docs/staff-and-roles.md). Older hashes keep verifying and are re-made at next sign-in.
_N, _R, _P = SCRYPT = (2**16, 8, 1)
_N_MAX = 2**18  # a stored hash asking for more memory than this is not ours: refused


def pin_min(role: Role) -> int:
    """The fewest characters a PIN of `role` may have."""
    return PIN_MIN[Role(role)]


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int = 64) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=129 * r * n * p + 2**20
    )


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN or password, self-describing for later upgrades."""
    if len(pin) < 4:
        raise ValueError("a PIN has at least 4 characters")
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, _N, _R, _P)
    enc = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${enc(salt).decode()}${enc(digest).decode()}"


def needs_rehash(stored: str) -> bool:
    """Whether `stored` was made with other parameters than today's (re-made at sign-in)."""
    return not stored.startswith(f"scrypt${_N}${_R}${_P}$")


def check_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches a hash made by `hash_pin` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or not 0 < int(n) * int(r) * int(p) <= _N_MAX * 8:
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(pin, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)
