"""Web console accounts and sessions: who may sign in, for how long, and with what.

Passwords are kept as kiosk/roles.py's salted scrypt hashes. After `FREE_TRIES` wrong
passwords in a row a name waits before the next try, doubling up to `LONGEST_WAIT`
(kiosk/staff.py's rule); an unknown name costs the same hash and its tries are counted
the same way (in memory, `Strangers`), so neither the answers nor their time tell which
names exist. A session is a random cookie the hub keeps as a SHA-256, with its
own CSRF token; it ends after `IDLE` without use or `LONGEST` after sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from sqlalchemy import delete, select, update

from hub.database import HubDatabase
from hub.purge import journal
from hub.schema import WebSessionRow, WebUserRow
from kiosk.roles import check_pin, hash_pin, needs_rehash
from kiosk.staff import FREE_TRIES, LONGEST_WAIT, wait_after

IDLE = timedelta(minutes=30)
LONGEST = timedelta(hours=12)
PASSWORD_MIN, PASSWORD_MAX = 12, 200
NAME = re.compile(r"[a-z][a-z0-9._-]{1,39}")
STRANGERS_KEPT = 10_000  # names that are no account whose wrong tries are counted


class WebRole(StrEnum):
    """Who signs in to the console; both see every page."""

    OFFICE = "office"  # the accreditation office: revokes accreditations, prints letters,
    # sets the counters' hours
    CHIEF = "chief"  # the pass office chief: runs the site, revokes a stolen kiosk


class Permission(StrEnum):
    """What a console account may do beyond looking."""

    SETTLE_CONFLICT = "settle_conflict"
    REVOKE_ACCREDITATION = "revoke_accreditation"
    PRINT_LETTER = "print_letter"
    REVOKE_CLIENT = "revoke_client"
    HANDLE_HANDOFF = "handle_handoff"
    REINSTATE_BADGE = "reinstate_badge"
    SET_HOURS = "set_hours"  # counter hours, closures and pooled moments (hub/site_hours.py)


PERMISSIONS = {
    WebRole.OFFICE: frozenset(
        {
            Permission.SETTLE_CONFLICT,
            Permission.REVOKE_ACCREDITATION,
            Permission.PRINT_LETTER,
            Permission.HANDLE_HANDOFF,
            Permission.REINSTATE_BADGE,
            Permission.SET_HOURS,
        }
    ),
    WebRole.CHIEF: frozenset({Permission.SETTLE_CONFLICT, Permission.REVOKE_CLIENT}),
}


class AccountError(ValueError):
    """An account that cannot be made, or a sign-in refused: English and French."""

    def __init__(self, en: str, fr: str) -> None:
        super().__init__(en)
        self.en, self.fr = en, fr


SIGN_IN_REFUSED = AccountError(
    f"Name or password not recognised. After {FREE_TRIES} wrong passwords, wait before "
    f"trying again, up to {LONGEST_WAIT.seconds // 60} minutes.",
    f"Nom ou mot de passe non reconnu. Après {FREE_TRIES} erreurs, attendez avant de "
    f"réessayer, jusqu'à {LONGEST_WAIT.seconds // 60} minutes.",
)


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser."""

    user: str
    role: WebRole
    csrf: str

    def may(self, permission: Permission) -> bool:
        """Whether this account's role allows `permission`."""
        return permission in PERMISSIONS[self.role]


@cache
def _decoy() -> str:
    """A hash no password matches: an unknown name costs a check like a known one."""
    return hash_pin(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    db: HubDatabase,
    name: str,
    role: WebRole,
    password: str,
    now: datetime,
    by: str = "office",
) -> None:
    """Create a console account, or give an existing one a new password and role;
    journalled as `by`'s."""
    if not NAME.fullmatch(name):
        raise AccountError(
            f"{name!r} is not an account name: 2 to 40 lower-case letters, digits, '.', "
            "'_' or '-', starting with a letter",
            f"{name!r} n'est pas un nom de compte : 2 à 40 minuscules, chiffres, '.', '_' "
            "ou '-', commençant par une lettre",
        )
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountError(
            f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters",
            f"un mot de passe a de {PASSWORD_MIN} à {PASSWORD_MAX} caractères",
        )
    hashed = hash_pin(password)
    with db.writing() as s:
        row = s.get(WebUserRow, name)
        if row is None:
            s.add(WebUserRow(name=name, role=role.value, password_hash=hashed, created_at=now))
        else:
            row.role, row.password_hash, row.wrong, row.wait_until = role.value, hashed, 0, None
            s.execute(delete(WebSessionRow).where(WebSessionRow.user == name))
        journal(s, "web_user_set", by, {"user": name, "role": role.value}, now)


def remove_user(db: HubDatabase, name: str, by: str, now: datetime) -> None:
    """Remove a console account and end its sessions (someone who left the office);
    AccountError, nothing changed, if there is no such account."""
    with db.writing() as s:
        row = s.get(WebUserRow, name)
        if row is None:
            raise AccountError(
                f"there is no web console account {name!r} (kiosk-hub web-user list)",
                f"il n'y a pas de compte de console {name!r} (kiosk-hub web-user list)",
            )
        s.execute(delete(WebSessionRow).where(WebSessionRow.user == name))
        s.delete(row)
        journal(s, "web_user_removed", by, {"user": name, "role": row.role}, now)


@dataclass(frozen=True)
class Tries:
    """Wrong passwords in a row, and until when the name waits."""

    wrong: int = 0
    wait_until: datetime | None = None


class Strangers:
    """The wrong tries of names that are no account, counted as an account's are, so that
    the answers (waits included) do not tell which names exist. Only the `kept` names
    tried most recently are remembered (a name is kept as its SHA-256)."""

    def __init__(self, kept: int = STRANGERS_KEPT) -> None:
        self._tries: OrderedDict[bytes, Tries] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tries)

    def of(self, name: str) -> Tries:
        """The tries of `name` so far (asking keeps nothing)."""
        with self._lock:
            return self._tries.get(_key(name)) or Tries()

    def count_wrong(self, name: str, now: datetime) -> None:
        """Count one more wrong password for `name`, forgetting the least recent name
        once more than `kept` are remembered."""
        key = _key(name)
        with self._lock:
            tries = self._tries.pop(key, None) or Tries()
            self._tries[key] = _counted(tries, now)
            while len(self._tries) > self._kept:
                self._tries.popitem(last=False)


def _key(name: str) -> bytes:
    """What a name is remembered by: 32 bytes, however long the name typed."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()


def _counted(tries: Tries, now: datetime) -> Tries:
    """`tries` with one more wrong password, and the wait that follows it."""
    wait = wait_after(tries.wrong + 1)
    return Tries(tries.wrong + 1, now + wait if wait else None)


def _refuse_if_waiting(wait_until: datetime | None, now: datetime) -> None:
    """AccountError saying how long to wait, if the name waits until after `now`."""
    if wait_until is not None and now < wait_until:
        left = int((wait_until - now).total_seconds()) + 1
        raise AccountError(
            f"Too many wrong passwords: try again in {left} seconds.",
            f"Trop de mots de passe erronés : réessayez dans {left} secondes.",
        )


def _account(db: HubDatabase, name: str) -> WebUserRow | None:
    """The account `name`; None for a name no account can have (never a shortened one)."""
    if not NAME.fullmatch(name):
        return None
    with db.reading() as s:
        return s.get(WebUserRow, name)


def sign_in(db: HubDatabase, name: str, password: str, now: datetime, strangers: Strangers) -> str:
    """A new session's cookie value for `name`; AccountError (SIGN_IN_REFUSED, or a
    wait) otherwise. A name that must wait is refused before its password is checked.
    A name that is no account (`strangers` counts its tries) gets the same answers."""
    row = _account(db, name)
    _refuse_if_waiting(row.wait_until if row else strangers.of(name).wait_until, now)
    ok = check_pin(password[:PASSWORD_MAX], row.password_hash if row else _decoy())
    if row is None:
        strangers.count_wrong(name, now)
        raise SIGN_IN_REFUSED
    if not ok:
        _count_wrong(db, name, now)
        raise SIGN_IN_REFUSED
    return _open_session(db, name, password, now)


def _count_wrong(db: HubDatabase, name: str, now: datetime) -> None:
    """One more wrong password for account `name`, journalled."""
    with db.writing() as s:
        row = s.get(WebUserRow, name, with_for_update=True)
        if row is None:  # removed meanwhile
            return
        counted = _counted(Tries(row.wrong, row.wait_until), now)
        row.wrong, row.wait_until = counted.wrong, counted.wait_until
        journal(s, "web_sign_in_refused", name, {"wrong": row.wrong}, now)


def _open_session(db: HubDatabase, name: str, password: str, now: datetime) -> str:
    """A new session of account `name`, whose `password` was just checked."""
    token = secrets.token_urlsafe(32)
    with db.writing() as s:
        row = s.get(WebUserRow, name, with_for_update=True)
        if row is None:  # removed meanwhile
            raise SIGN_IN_REFUSED
        row.wrong, row.wait_until = 0, None
        if needs_rehash(row.password_hash):
            row.password_hash = hash_pin(password)
        s.execute(_ended(now))  # sessions nobody came back to
        s.add(
            WebSessionRow(
                token_digest=_digest(token),
                user=name,
                csrf=secrets.token_urlsafe(32),
                created_at=now,
                last_used_at=now,
            )
        )
        journal(s, "web_sign_in", name, {"role": row.role}, now)
    return token


TOUCH_EVERY = timedelta(seconds=30)  # a session's last use is written at most this often


def _ended(now: datetime):
    """The sessions unused for IDLE, or signed in LONGEST ago."""
    return delete(WebSessionRow).where(
        (WebSessionRow.last_used_at < now - IDLE) | (WebSessionRow.created_at < now - LONGEST)
    )


def session_of(db: HubDatabase, token: str, now: datetime, touch: bool = True) -> WebSession | None:
    """The live session of cookie value `token`, or None. A page read writes nothing but
    now and then its last use, so it does not wait for the kiosks' deliveries; a page's
    own refresh (`touch` False) is no use: a console left open on a refreshing page ends
    after IDLE like any other."""
    if not token or len(token) > 100:
        return None
    digest = _digest(token)
    with db.reading() as s:
        row = s.get(WebSessionRow, digest)
        user = s.get(WebUserRow, row.user) if row else None
    if row is None:
        return None
    if now - row.last_used_at > IDLE or now - row.created_at > LONGEST:
        sign_out(db, token)
        return None
    if touch and now - row.last_used_at > TOUCH_EVERY:
        with db.writing() as s:
            s.execute(
                update(WebSessionRow)
                .where(WebSessionRow.token_digest == digest)
                .values(last_used_at=now)
            )
    return WebSession(user.name, WebRole(user.role), row.csrf)


def sign_out(db: HubDatabase, token: str) -> None:
    """End the session of cookie value `token` (nothing if there is none)."""
    with db.writing() as s:
        s.execute(delete(WebSessionRow).where(WebSessionRow.token_digest == _digest(token)))


def csrf_ok(session: WebSession, sent: str) -> bool:
    """Whether a posted form carries this session's CSRF token."""
    return hmac.compare_digest(session.csrf.encode(), (sent or "").encode())


def users(db: HubDatabase) -> list[tuple[str, str]]:
    """Every console account: (name, role)."""
    with db.reading() as s:
        return [(r.name, r.role) for r in s.scalars(select(WebUserRow).order_by(WebUserRow.name))]
