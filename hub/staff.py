"""Staff accounts of the whole site, kept at the hub and sent to every kiosk by the feed.

The office adds an account once (`kiosk-hub staff add NAME --role ROLE`, the PIN from
stdin); the hub keeps the name, the role and the PIN's scrypt hash exactly as a kiosk
does (kiosk/roles.py), never the PIN. Disabling, enabling or a new PIN is a new change
number, so each kiosk takes it at its next sync (sync/staff_apply.py). Every change is
kept in `staff_changes`: who did what to which account, and when (`staff history`), and
in the hub's own chained journal (`staff_add`, `staff_pin`, `staff_disable`,
`staff_enable`), which `kiosk-hub audit verify` checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.database import HubDatabase, allocate, lock_changes
from hub.purge import journal  # the hub's own chained journal
from hub.schema import StaffAccountRow, StaffChangeRow
from kiosk.roles import Role, hash_pin
from kiosk.staff import NAME_MAX, StaffError, valid_name, valid_pin


@dataclass(frozen=True)
class HubAccount:
    """An account as `kiosk-hub staff list` shows it."""

    name: str
    role: Role
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class StaffChange:
    """One change to an account, as the office's history shows it."""

    name: str
    change: str
    role: str
    by: str
    at: datetime


def _valid_by(by: str) -> str:
    by = " ".join(by.split())
    if not by or len(by) > NAME_MAX or not by.isprintable():
        raise StaffError(
            f"Who makes the change is named with 1 to {NAME_MAX} printable characters.",
            f"L'auteur du changement est nommé par 1 à {NAME_MAX} caractères imprimables.",
        )
    return by


def _find(s: Session, name: str) -> StaffAccountRow:
    typed = " ".join(name.split())
    row = s.scalar(select(StaffAccountRow).where(StaffAccountRow.name_key == typed.casefold()))
    if row is None:
        raise StaffError(
            f"There is no account named {typed} at the hub.",
            f"Aucun compte nommé {typed} au hub.",
        )
    return row


def _record(s: Session, row: StaffAccountRow, change: str, by: str, now: datetime) -> None:
    """Give the changed row a new change number and keep who changed it."""
    row.seq = allocate(s)
    _kept(s, row.name, change, row.role, by, now)


def _kept(s: Session, name: str, change: str, role: str, by: str, now: datetime) -> None:
    """A change in the staff history and in the hub's journal (never the PIN)."""
    s.add(StaffChangeRow(name=name, change=change, role=role, by=by, at=now))
    journal(s, f"staff_{change}", by, {"name": name, "role": role}, now)


def add_account(
    db: HubDatabase, name: str, role: Role, pin: str, by: str, now: datetime
) -> HubAccount:
    """Add an account for the whole site; StaffError if the name is taken (in any case)
    or the name, PIN or `by` is not acceptable. Nothing is written then."""
    name, role, by = valid_name(name), Role(role), _valid_by(by)
    pin_hash = hash_pin(valid_pin(pin, role))  # slow: before the change counter's lock
    with db.writing() as s:
        lock_changes(s)
        held = s.scalar(select(StaffAccountRow).where(StaffAccountRow.name_key == name.casefold()))
        if held is not None:
            raise StaffError(
                f"There is already an account named {held.name}.",
                f"Un compte nommé {held.name} existe déjà.",
            )
        row = StaffAccountRow(
            name=name,
            name_key=name.casefold(),
            role=role.value,
            pin_hash=pin_hash,
            created_at=now,
            seq=allocate(s),
        )
        s.add(row)
        _kept(s, name, "add", role.value, by, now)
    return HubAccount(name, role, False, now)


def set_disabled(db: HubDatabase, name: str, disabled: bool, by: str, now: datetime) -> str:
    """Disable (or enable again) an account everywhere from each kiosk's next sync; its
    name as kept. StaffError if there is no such account, it is already so, or it is the
    site's last enabled administrator (every kiosk would be left without one)."""
    by = _valid_by(by)
    with db.writing() as s:
        lock_changes(s)
        row = _find(s, name)
        if row.disabled == disabled:
            state_en, state_fr = ("disabled", "désactivé") if disabled else ("enabled", "actif")
            raise StaffError(
                f"{row.name} is already {state_en}: nothing was changed.",
                f"{row.name} est déjà {state_fr} : rien n'a été changé.",
            )
        if disabled and row.role == Role.ADMINISTRATOR.value and _admins(s) <= 1:
            raise StaffError(
                f"{row.name} is the site's last enabled administrator: add or enable another"
                " first (kiosk-hub staff add NAME --role administrator). Nothing was changed.",
                f"{row.name} est le dernier administrateur actif du site : en ajouter ou en"
                " activer un autre d'abord (kiosk-hub staff add NOM --role administrator)."
                " Rien n'a été changé.",
            )
        row.disabled = disabled
        _record(s, row, "disable" if disabled else "enable", by, now)
        return row.name


def _admins(s: Session) -> int:
    """How many enabled administrators the site has."""
    enabled = (StaffAccountRow.role == Role.ADMINISTRATOR.value) & StaffAccountRow.disabled.is_(
        False
    )
    return s.scalar(select(func.count()).select_from(StaffAccountRow).where(enabled)) or 0


def set_pin(db: HubDatabase, name: str, pin: str, by: str, now: datetime) -> str:
    """Give an account a new PIN everywhere from each kiosk's next sync; its name as kept."""
    by = _valid_by(by)
    with db.reading() as s:
        role = Role(_find(s, name).role)
    pin_hash = hash_pin(valid_pin(pin, role))
    with db.writing() as s:
        lock_changes(s)
        row = _find(s, name)
        row.pin_hash = pin_hash
        _record(s, row, "pin", by, now)
        return row.name


def accounts(db: HubDatabase) -> list[HubAccount]:
    """Every account of the site, by name."""
    with db.reading() as s:
        rows = s.scalars(select(StaffAccountRow).order_by(StaffAccountRow.name_key))
        return [HubAccount(r.name, Role(r.role), r.disabled, r.created_at) for r in rows]


def changes(db: HubDatabase) -> list[StaffChange]:
    """Every change made to accounts at the hub, oldest first."""
    with db.reading() as s:
        rows = s.scalars(select(StaffChangeRow).order_by(StaffChangeRow.id))
        return [StaffChange(r.name, r.change, r.role, r.by, r.at) for r in rows]
