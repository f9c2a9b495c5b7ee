"""The page that asks for confirmation before an action the console cannot undo:
revoking a kiosk or post, revoking an accreditation, confirming a badge's revocation or
reinstating a badge in a conflict. The first post of such a form changes nothing: it is
checked as the action would be (a refusal comes back at once) and answered with what the
action will do; only the post of that page (`confirm=yes`) acts."""

from __future__ import annotations

from dataclasses import dataclass

from hub.settle import REINSTATED, Settlement
from hub.statuses import FINAL
from hub.web.applicants import AccreditationRevocation
from hub.web.kiosk_revoke import KioskRevocation
from hub.web.texts import stolen_label
from kiosk.model import BadgeStatus

CONFIRMED = "yes"  # the value of the `confirm` field that makes the action happen


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page shows and posts back."""

    title: str
    lines: list[str]
    button: str
    action: str  # where the page posts
    fields: dict[str, str]  # the form's fields, posted back with confirm=yes
    back: str  # the page to return to on Cancel


def confirmed(fields: dict[str, str]) -> bool:
    """Whether a posted form comes from the confirmation page."""
    return fields.get("confirm") == CONFIRMED


def kiosk(found: KioskRevocation, t: dict, action: str, fields: dict, back: str) -> Confirmation:
    """Confirming the revocation of a kiosk or post."""
    c = t["confirm"]
    role = t["client_roles"].get(found.role, found.role)
    reason = stolen_label(found.stolen, found.typed, t)
    lines = [c["reason"].format(reason), c["kiosk_token"].format(id=found.kiosk_id)]
    if found.keys:
        keys = ", ".join(f"#{k}" for k in found.keys)
        lines.append(c["kiosk_keys"].format(keys=keys))
    if found.live_badges:
        lines.append(c["kiosk_live"].format(n=found.live_badges))
    lines.append(c["cannot_undo"])
    return Confirmation(
        c["kiosk_title"].format(id=found.kiosk_id, role=role),
        lines,
        c["kiosk_button"].format(id=found.kiosk_id),
        action,
        fields,
        back,
    )


def accreditation(
    found: AccreditationRevocation, t: dict, action: str, fields: dict, back: str
) -> Confirmation:
    """Confirming the revocation of an accreditation."""
    c = t["confirm"]
    reg = f"A{found.id:07d}"
    lines = [c["reason"].format(found.reason), c["acc_counters"]]
    if found.reason_fr:  # what French screens will say
        lines.insert(1, c["reason_fr"].format(found.reason_fr))
    if found.live_badges:
        lines.append(c["acc_badges"].format(serials=", ".join(found.live_badges)))
    lines.append(c["acc_undo"])
    return Confirmation(
        c["acc_title"].format(reg=reg, name=found.name),
        lines,
        c["acc_button"].format(reg=reg),
        action,
        fields,
        back,
    )


def settlement(
    found: Settlement, note: str, t: dict, action: str, fields: dict, back: str
) -> Confirmation:
    """Confirming a badge's revocation, or a reinstatement, in a conflict."""
    c, states = t["confirm"], t["badge_states"]
    if found.outcome == REINSTATED:
        a, b = found.badge, found.cancels
        lines = [c["reinstate_valid"].format(a=a)]
        if found.cancels_status in FINAL:
            state = states.get(found.cancels_status, found.cancels_status)
            lines.append(c["badge_stays"].format(serial=b, state=state))
        else:
            lines.append(c["reinstate_revoked"].format(b=b))
        title, button = c["reinstate_title"].format(a=a, b=b), t["reinstate"].format(a=a, b=b)
    else:
        serial = found.badge
        if found.badge_status == BadgeStatus.REVOKED.value:
            lines = [c["badge_stays"].format(serial=serial, state=states["revoked"])]
        else:
            state = states.get(found.badge_status, found.badge_status)
            lines = [c["revocation_now"].format(serial=serial, state=state)]
        title, button = c["revocation_title"].format(serial=serial), t["confirm_revocation"]
    lines += [c["note"].format(note.strip()), c["cannot_undo"]]
    return Confirmation(title, lines, button, action, fields, back)
