"""Staff accounts: who may sign in at this kiosk, in which role, with a slow hash of the PIN.

Sign-in refuses an unknown name, a wrong PIN and a waiting name with the same words, so a
screen tells no one which names exist. Guessing is slowed without handing a passer-by a
way to keep a supervisor out (docs/staff-and-roles.md, "Staff PINs and lockout"):

- per name, the first 3 wrong PINs in a row cost nothing (typing slips); each further
  one makes the name wait 15 s, then 30 s, doubling up to 5 minutes. Tries during a
  wait are refused unchecked and do not lengthen it. No wait is longer than 5 minutes,
  nothing locks for good, and an administrator lifts a wait at once (`unlock`);
- per kiosk, after 10 refused sign-ins within 10 minutes, a sign-in within 30 s of the
  last refused one is refused unchecked, which slows trying one PIN on every name.

The counts live in the store, so the screens and the command line share them. Every
sign-in, refused sign-in and sign-out goes into the (hash-chained) journal; a refused
one names what was typed and not why it failed.

An administrator (or the operator at the kiosk's shell) sets a new PIN for a name, which
also lifts its wait, and disables or enables an account: a disabled name is refused with
the same words as a wrong PIN. No one disables their own account, and the last enabled
administrator stays enabled, so the kiosk always has someone who can reach its settings.

Accounts from the hub (docs/staff-and-roles.md, "Staff accounts from the hub"): once a
store is enrolled, its accounts come from the office's signed feed (sync/staff_apply.py)
and no account is added here; those accounts are changed at the hub only. Accounts made
here before enrolment keep working until the hub sends one of the same name, which
replaces it. A name disabled by the feed is refused at its next sign-in; a session still
open is refused its next action (`ensure_enabled`), and the screens end it within seconds
(`session_stopped`). So is a session whose role the hub changed.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.roles import (
    ROLE_WORDS,
    AccessDenied,
    Action,
    Actor,
    Role,
    check_pin,
    hash_pin,
    needs_rehash,
    pin_min,
    require,
)
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow, SignInPaceRow, StaffRow, SyncStateRow

Clock = Callable[[], datetime]
FREE_TRIES = 3  # wrong PINs in a row before a name waits
FIRST_WAIT = timedelta(seconds=15)  # then doubling with each further wrong PIN
LONGEST_WAIT = timedelta(minutes=5)
KIOSK_REFUSALS, KIOSK_WINDOW = 10, timedelta(minutes=10)  # then pace the whole kiosk
KIOSK_PACE = timedelta(seconds=30)
NAME_MAX = 80
PIN_MAX = 64
OPERATOR = "operator"  # who adds accounts from the kiosk's own shell (no one signed in)


def wait_after(wrong: int) -> timedelta:
    """How long a name waits after its `wrong`-th wrong PIN in a row."""
    if wrong <= FREE_TRIES:
        return timedelta(0)
    doublings = min(wrong - FREE_TRIES - 1, 16)  # past the longest wait long before 16
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


class SignInRefused(Exception):
    """Name or PIN not accepted; the same message whatever the cause."""

    message_en = (
        f"Name or PIN not recognised. After {FREE_TRIES} wrong PINs, wait before trying again:"
        f" {FIRST_WAIT.seconds} seconds, doubling up to {LONGEST_WAIT.seconds // 60} minutes."
        " An administrator can lift the wait."
    )
    message_fr = (
        f"Nom ou code PIN non reconnu. Après {FREE_TRIES} codes erronés, attendez avant de"
        f" réessayer : {FIRST_WAIT.seconds} secondes, puis le double, jusqu'à"
        f" {LONGEST_WAIT.seconds // 60} minutes. Un administrateur peut lever l'attente."
    )

    def __init__(self) -> None:
        super().__init__(self.message_en)


class KioskPaced(SignInRefused):
    """A sign-in while the whole kiosk waits after many refusals: refused whoever signs
    in, so it says to wait, not that the PIN is wrong (it told an administrator who typed
    theirs right that it was not), and tells no name from another."""

    message_en = (
        f"Too many refused sign-ins at this kiosk: wait {KIOSK_PACE.seconds} seconds, then try"
        " again."
    )
    message_fr = (
        f"Trop de connexions refusées à ce kiosque : attendez {KIOSK_PACE.seconds} secondes,"
        " puis réessayez."
    )


class StaffError(ValueError):
    """An account that cannot be added as asked; the messages say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


@dataclass(frozen=True)
class StaffAccount:
    """One account as an administrator's list shows it."""

    name: str
    role: Role
    disabled: bool
    from_hub: bool = False
    waiting_until: datetime | None = None  # refused at sign-in until then (wrong PINs)


class AccountStopped(AccessDenied):
    """A signed-in account was disabled, or given another role, since it signed in (by an
    administrator here or by the hub's feed): the session does nothing more."""

    def __init__(self, actor: Actor, disabled: bool = True) -> None:
        super().__init__(actor.role, Action.CHECK)
        if disabled:
            self.message_en = f"{actor.name}'s account is disabled: sign in with another account."
            self.message_fr = (
                f"Le compte de {actor.name} est désactivé : connectez-vous avec un autre compte."
            )
        else:
            self.message_en = f"{actor.name}'s role has changed: sign in again."
            self.message_fr = f"Le rôle de {actor.name} a changé : reconnectez-vous."
        self.args = (self.message_en,)


def stopped(s: Session, actor: Actor) -> AccountStopped | None:
    """Why `actor`'s session may do nothing more (its account disabled, or its role not
    the one it signed in with), or None. A name with no account here (the hub's feed, the
    operator at the shell) is never stopped."""
    row = s.get(StaffRow, actor.name)
    if row is None:
        return None
    if row.disabled:
        return AccountStopped(actor)
    if row.role != actor.role.value:
        return AccountStopped(actor, disabled=False)
    return None


def ensure_enabled(s: Session, *actors: Actor | None) -> None:
    """Raise AccountStopped if one of `actors` was disabled or given another role since
    it signed in. Called inside an action's write transaction, so a sync that disabled
    the account a moment ago stops the very next action."""
    for actor in actors:
        if actor is not None and (why := stopped(s, actor)) is not None:
            raise why


def _from_hub_refusal(row: StaffRow) -> StaffError:
    return StaffError(
        f"{row.name}'s account comes from the office's hub: change it there"
        " (kiosk-hub staff). Nothing was changed here.",
        f"Le compte de {row.name} vient du hub du bureau : modifiez-le là-bas"
        " (kiosk-hub staff). Rien n'a été changé ici.",
    )


@functools.cache
def _decoy_hash() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    return hash_pin(secrets.token_hex(8))


def valid_name(name: str) -> str:
    """`name` with its spaces tidied; StaffError unless 1 to NAME_MAX printable characters."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise StaffError(
            f"A name has 1 to {NAME_MAX} printable characters.",
            f"Un nom compte de 1 à {NAME_MAX} caractères imprimables.",
        )
    return name


def valid_pin(pin: str, role: Role) -> str:
    """`pin` if long enough for `role` and printable; StaffError otherwise."""
    least = pin_min(role)
    if not least <= len(pin) <= PIN_MAX or not pin.isprintable():
        who_en, who_fr = ROLE_WORDS[role]
        raise StaffError(
            f"{who_en.capitalize()}'s PIN has {least} to {PIN_MAX} printable characters.",
            f"Le code PIN d'{who_fr} compte de {least} à {PIN_MAX} caractères imprimables.",
        )
    return pin


class StaffBook:
    """The accounts of one kiosk's store, and signing in and out."""

    def __init__(self, store: Store, clock: Clock, kiosk_id: str = "") -> None:
        self.store = store
        self.clock = clock
        self.kiosk_id = kiosk_id  # the journal's kiosk id

    def add(self, name: str, role: Role, pin: str, by: Actor | None = None) -> Actor:
        """Create an account; StaffError if the name is taken or the name or PIN is not
        acceptable. `by` (someone signed in) must be allowed to change settings; None
        is the kiosk's operator at its shell."""
        if by is not None:
            require(by.role, Action.SETTINGS)
        name, role = valid_name(name), Role(role)
        pin_hash = hash_pin(valid_pin(pin, role))  # ~0.2 s: outside the write lock
        now = self.clock()
        with self.store.writing() as s:
            if s.get(SyncStateRow, 1) is not None:
                raise StaffError(
                    "This kiosk is enrolled: its accounts come from the office's hub"
                    " (kiosk-hub staff add). Nothing was added.",
                    "Ce kiosque est enrôlé : ses comptes viennent du hub du bureau"
                    " (kiosk-hub staff add). Rien n'a été ajouté.",
                )
            if (held := named(s, name)) is not None:
                raise StaffError(
                    f"There is already an account named {held.name}.",
                    f"Un compte nommé {held.name} existe déjà.",
                )
            s.add(
                StaffRow(
                    name=name, role=role.value, pin_hash=pin_hash, failed_count=0, created_at=now
                )
            )
            by_role = {"role": by.role.value} if by else {}
            who = by.name if by else OPERATOR
            self._journal(s, "staff_add", who, now, added=name, added_role=role.value, **by_role)
        return Actor(name, role)

    def sign_in(self, name: str, pin: str) -> Actor:
        """The Actor of `name` if `pin` is theirs and the name is not locked; otherwise
        SignInRefused (journalled, a wrong PIN counted towards the lock)."""
        typed = " ".join(name.split())[:NAME_MAX]
        with self.store.reading() as s:
            row = named(s, typed)
            stored = row.pin_hash if row else _decoy_hash()
            held = row.name if row else typed
        # Slow, so outside the write lock; run for unknown names too (against the decoy)
        # so that the time taken does not tell which names exist.
        ok = check_pin(pin, stored) and row is not None
        # A hash made with older parameters is made again now that the PIN is known.
        fresh = hash_pin(pin) if ok and needs_rehash(stored) else None
        now = self.clock()
        with self.store.writing() as s:
            paced = _kiosk_paced(s, now)
            actor = None if paced else self._settle(s, held, stored, ok, now)
            if actor is None:
                _count_refusal(s, now)
                self._journal(s, "sign_in_refused", typed, now)
            else:
                if fresh is not None:
                    s.get(StaffRow, actor.name).pin_hash = fresh
                self._journal(s, "sign_in", actor.name, now, role=actor.role.value)
        if actor is None:
            raise KioskPaced if paced else SignInRefused
        return actor

    @staticmethod
    def _settle(s: Session, name: str, checked: str, ok: bool, now: datetime) -> Actor | None:
        """Count the attempt against the account (read again under the write lock). A try
        while the name waits is refused and not counted, so it does not lengthen the wait."""
        row = s.get(StaffRow, name) if name else None
        if row is None or row.pin_hash != checked:  # unknown, or its PIN changed meanwhile
            return None
        if row.disabled or (row.locked_until is not None and row.locked_until > now):
            return None
        if not ok:
            row.failed_count += 1
            wait = wait_after(row.failed_count)
            row.locked_until = now + wait if wait else None
            return None
        row.failed_count, row.locked_until = 0, None
        return Actor(row.name, Role(row.role))

    def unlock(self, name: str, by: Actor | None = None) -> None:
        """Lift `name`'s wait and forget its wrong PINs (its PIN unchanged); `by` as for
        `add`."""
        if by is not None:
            require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            row = _account(s, name)
            row.failed_count, row.locked_until = 0, None
            self._journal_change(s, "staff_unlock", row.name, by)

    def sign_out(self, actor: Actor, why: str = "") -> None:
        """Journal that `actor` signed out, or was signed out (`why`: "idle", "stopped")."""
        now = self.clock()
        ended = {"why": why} if why else {}
        with self.store.writing() as s:
            self._journal(s, "sign_out", actor.name, now, role=actor.role.value, **ended)

    def session_stopped(self, actor: Actor) -> AccountStopped | None:
        """Why `actor`'s open session must end now (`stopped`), or None: the screens ask
        every few seconds, so a sync that disabled an account ends its session too."""
        with self.store.reading() as s:
            return stopped(s, actor)

    def members(self) -> list[Actor]:
        """Every account, by name (disabled ones included)."""
        return [Actor(a.name, a.role) for a in self.accounts()]

    def accounts(self) -> list[StaffAccount]:
        """Every account with whether it is disabled, and until when it waits after wrong
        PINs, by name."""
        now = self.clock()
        with self.store.reading() as s:
            rows = s.scalars(select(StaffRow).order_by(StaffRow.name))
            return [
                StaffAccount(
                    r.name,
                    Role(r.role),
                    r.disabled,
                    r.from_hub,
                    r.locked_until if r.locked_until and r.locked_until > now else None,
                )
                for r in rows
            ]

    def set_pin(self, name: str, pin: str, by: Actor | None = None) -> None:
        """Give `name` a new PIN and lift its lock; StaffError if there is no such account
        or the PIN is not acceptable. `by` as for `add`. The PIN is never journalled."""
        if by is not None:
            require(by.role, Action.SETTINGS)
        with self.store.reading() as s:
            role = Role(_local_account(s, name).role)
        pin_hash = hash_pin(valid_pin(pin, role))  # slow: outside the write lock
        with self.store.writing() as s:
            row = _local_account(s, name)
            row.pin_hash, row.failed_count, row.locked_until = pin_hash, 0, None
            self._journal_change(s, "staff_pin", row.name, by)

    def pin_renewal_due(self, actor: Actor, pin: str) -> bool:
        """Whether `actor`, just signed in with `pin`, must choose a longer one first: a
        PIN set before the minimum for their role rose (an account of the hub's PIN is
        changed at the hub)."""
        if len(pin) >= pin_min(actor.role):
            return False
        with self.store.reading() as s:
            row = s.get(StaffRow, actor.name)
            return row is not None and not row.from_hub

    def renew_pin(self, actor: Actor, old_pin: str, new_pin: str) -> None:
        """`actor` replaces their own PIN `old_pin` with `new_pin` (journalled as theirs);
        StaffError if the new one is not acceptable or is the old one, SignInRefused if the
        old one is not theirs (or was changed meanwhile), AccountStopped if their session
        must end. Nothing changes then."""
        valid_pin(new_pin, actor.role)
        if new_pin == old_pin:
            raise StaffError(
                "Choose a PIN other than the old one.", "Choisissez un autre code PIN que l'ancien."
            )
        with self.store.reading() as s:
            stored = _local_account(s, actor.name).pin_hash
        if not check_pin(old_pin, stored):  # slow, like the hashing: outside the write lock
            raise SignInRefused
        pin_hash = hash_pin(new_pin)
        with self.store.writing() as s:
            row = _local_account(s, actor.name)
            if row.pin_hash != stored:  # changed meanwhile (an administrator, the hub)
                raise SignInRefused
            row.pin_hash, row.failed_count, row.locked_until = pin_hash, 0, None
            self._journal_change(s, "staff_pin", row.name, actor)

    def disable(self, name: str, by: Actor | None = None) -> None:
        """Refuse `name` at sign-in from now on; StaffError if there is no such account,
        it is `by`'s own, or it is the last enabled administrator."""
        if by is not None:
            require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            row = _local_account(s, name)
            _not_already(row, disabled=True)
            if by is not None and row.name.casefold() == by.name.casefold():
                raise StaffError(
                    "You cannot disable your own account.",
                    "Vous ne pouvez pas désactiver votre propre compte.",
                )
            if row.role == Role.ADMINISTRATOR and not row.disabled and _admins(s) <= 1:
                raise StaffError(
                    f"{row.name} is the last enabled administrator: enable or add another first.",
                    f"{row.name} est le dernier administrateur actif : en activer ou en ajouter"
                    " un autre d'abord.",
                )
            row.disabled = True
            self._journal_change(s, "staff_disable", row.name, by)

    def enable(self, name: str, by: Actor | None = None) -> None:
        """Let a disabled account sign in again (its PIN unchanged)."""
        if by is not None:
            require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            row = _local_account(s, name)
            _not_already(row, disabled=False)
            row.disabled = False
            self._journal_change(s, "staff_enable", row.name, by)

    def _journal_change(self, s: Session, action: str, name: str, by: Actor | None) -> None:
        ensure_enabled(s, by)  # before the transaction commits: a stopped session changes nothing
        by_role = {"role": by.role.value} if by else {}
        self._journal(s, action, by.name if by else OPERATOR, self.clock(), account=name, **by_role)

    def _journal(self, s: Session, action: str, actor: str, now: datetime, **details: str) -> None:
        s.add(
            JournalRow(at=now, kiosk_id=self.kiosk_id, actor=actor, action=action, details=details)
        )


def _not_already(row: StaffRow, disabled: bool) -> None:
    """StaffError if the account is disabled (or enabled) already: nothing to journal."""
    if row.disabled == disabled:
        state_en, state_fr = ("disabled", "désactivé") if disabled else ("enabled", "actif")
        raise StaffError(
            f"{row.name} is already {state_en}: nothing was changed.",
            f"{row.name} est déjà {state_fr} : rien n'a été changé.",
        )


def _account(s: Session, name: str) -> StaffRow:
    """The account named `name` (however spaced or cased), or StaffError."""
    typed = " ".join(name.split())
    row = named(s, typed)
    if row is None:
        raise StaffError(f"There is no account named {typed}.", f"Aucun compte nommé {typed}.")
    return row


def named(s: Session, name: str) -> StaffRow | None:
    """The account called `name` in any case, accented letters included: the store's
    NOCASE folds ASCII letters only, so "élise" would not find "Élise" by its key."""
    if not name:
        return None
    row = s.get(StaffRow, name)
    if row is not None:
        return row
    key = name.casefold()
    return next((r for r in s.scalars(select(StaffRow)) if r.name.casefold() == key), None)


def _local_account(s: Session, name: str) -> StaffRow:
    """The account named `name`, or StaffError if there is none or it is the hub's."""
    row = _account(s, name)
    if row.from_hub:
        raise _from_hub_refusal(row)
    return row


def _kiosk_paced(s: Session, now: datetime) -> bool:
    """Whether this kiosk refuses sign-ins for now: many refused lately, the last one
    less than KIOSK_PACE ago."""
    pace = s.get(SignInPaceRow, 1)
    return (
        pace is not None
        and pace.refused >= KIOSK_REFUSALS
        and now - pace.window_start < KIOSK_WINDOW
        and now - pace.last_refused < KIOSK_PACE
    )


def _count_refusal(s: Session, now: datetime) -> None:
    """Count a refused sign-in in this kiosk's current window (a new one every 10 min)."""
    pace = s.get(SignInPaceRow, 1)
    if pace is None:
        pace = SignInPaceRow(id=1, window_start=now, refused=0, last_refused=now)
        s.add(pace)
    if now - pace.window_start >= KIOSK_WINDOW:
        pace.window_start, pace.refused = now, 0
    pace.refused += 1
    pace.last_refused = now


def _admins(s: Session) -> int:
    """How many enabled administrator accounts there are."""
    enabled = (StaffRow.role == Role.ADMINISTRATOR.value) & StaffRow.disabled.is_(False)
    return s.scalar(select(func.count()).select_from(StaffRow).where(enabled)) or 0
