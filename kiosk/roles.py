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


_COUNTER = {Action.CHECK, Action.ISSUE, Action.VERIFY_BADGE}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CLERK: frozenset(_COUNTER),
    Role.SUPERVISOR: frozenset(
        _COUNTER | {Action.OVERRIDE, Action.UNDO_HANDOVER, Action.PRINT_BATCH}
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


class AccessDenied(PermissionError):
    """A role asked for an action it may not take."""

    def __init__(self, role: Role, action: Action) -> None:
        self.role, self.action = role, action
        self.message_en = f"A {role.value} may not do this ({action.value})."
        self.message_fr = f"Un rôle « {role.value} » ne peut pas faire ceci ({action.value})."
        super().__init__(self.message_en)


def allowed(role: Role, action: Action) -> bool:
    """Whether `role` may take `action`."""
    return action in PERMISSIONS[role]


def require(role: Role, action: Action) -> None:
    """Raise AccessDenied unless `role` may take `action`."""
    if not allowed(role, action):
        raise AccessDenied(role, action)


# scrypt with n=2**14, r=8: about 50 ms and 16 MB per check on a counter PC, which
# makes guessing a stolen kiosk's 6-digit PINs cost hours instead of a second.
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN or password, self-describing for later upgrades."""
    if len(pin) < 4:
        raise ValueError("a PIN has at least 4 characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P)
    enc = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${enc(salt).decode()}${enc(digest).decode()}"


def check_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches a hash made by `hash_pin` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
