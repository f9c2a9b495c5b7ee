"""Staff accounts from the hub's feed, checked and written into a kiosk's store.

The hub sends each account's name, role, scrypt PIN hash and whether it is disabled,
inside its signed page (sync/protocol.py): nothing else writes `from_hub` accounts. A row
is refused (logged, the rest of the page applies) unless its name is as a kiosk would
keep it, its role known and its hash a scrypt hash within kiosk/roles.py's bounds. An
account of the same name made here before enrolment is replaced: the office's word
wins. Each change is journalled (`staff_from_hub`, by "hub"), so the hub sees which
kiosk took which account when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kiosk.roles import Role
from kiosk.staff import NAME_MAX, StaffError, named, valid_name
from kiosk.store.schema import JournalRow, StaffRow

HUB_ACTOR = "hub"
_ROLES = frozenset(r.value for r in Role)
_N_MAX = 2**18  # as kiosk/roles.py: a hash asking for more memory is not the hub's


def _hash_refusal(pin_hash: object) -> str | None:
    if not isinstance(pin_hash, str) or len(pin_hash) > 200:
        return "pin_hash is not text of at most 200 characters"
    parts = pin_hash.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(p.isdigit() for p in parts[1:4]):
        return "pin_hash is not a scrypt hash"
    n, r, p = (int(x) for x in parts[1:4])
    if not (0 < n <= _N_MAX and 0 < r <= 16 and 0 < p <= 4):
        return "pin_hash asks for scrypt parameters out of bounds"
    return None


def staff_refusal(row: dict) -> str | None:
    """Why a kiosk does not take this staff row from a page, or None."""
    name = row["name"]
    if not isinstance(name, str) or len(name) > NAME_MAX:
        return f"name is not text of at most {NAME_MAX} characters"
    try:
        if valid_name(name) != name:
            return "name is not as a kiosk keeps it"
    except StaffError:
        return "name is not printable text"
    if row["role"] not in _ROLES:
        return f"unknown role {row['role']!r}"
    if not isinstance(row["disabled"], bool):
        return "disabled is not true or false"
    return _hash_refusal(row["pin_hash"])


def _change(local: StaffRow, row: dict) -> str:
    """What the hub's row changes in the local account ("" for nothing)."""
    if not local.from_hub:
        return "replaced"
    if local.role != row["role"]:
        return "role"
    if local.pin_hash != row["pin_hash"]:
        return "pin"
    if local.disabled != row["disabled"]:
        return "disabled" if row["disabled"] else "enabled"
    return ""


def apply_staff(s: Session, rows: list[dict], at: datetime, kiosk_id: str) -> None:
    """Write the hub's accounts (checked already) and journal each change."""
    for row in rows:
        local = named(s, row["name"])  # a local account of the same name, in any case
        if local is None:
            change = "added"
            s.add(
                StaffRow(
                    name=row["name"],
                    role=row["role"],
                    pin_hash=row["pin_hash"],
                    failed_count=0,
                    created_at=at,
                    disabled=row["disabled"],
                    from_hub=True,
                )
            )
        else:
            change = _change(local, row)
            if not change:
                continue
            if local.pin_hash != row["pin_hash"] or not local.from_hub:
                local.failed_count, local.locked_until = 0, None
            local.role, local.pin_hash = row["role"], row["pin_hash"]
            local.disabled, local.from_hub = row["disabled"], True
        details = {"account": row["name"], "account_role": row["role"], "change": change}
        s.add(
            JournalRow(
                at=at, kiosk_id=kiosk_id, actor=HUB_ACTOR, action="staff_from_hub", details=details
            )
        )
