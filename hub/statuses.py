"""The office's status decisions and what they do to badges already out there.

A badge's life at the hub: `active` / `printing` while it is (being) handed out, or one
of the issuing counter's print states; `superseded` and `revoked` are final and are the
hub's word, and so are the statuses of its holder's life (lost, stolen, damaged, found,
returned: kiosk/badge_life.py). Revoking (or denying) an accreditation revokes every
badge of it that is not final yet, so security rejects them all; approving it again
brings none back (a new badge must be issued). A superseded badge comes back only by the
office's reinstatement (hub/settle.py), which no counter's delivery undoes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.database import allocate
from hub.schema import AccreditationRow, BadgeRow, ReinstatementRow, StatusChangeRow
from kiosk.badge_life import VOIDED
from kiosk.model import BadgeStatus, Status
from kiosk.typed import cut

# Voided in its holder's life (lost, stolen, damaged, found, returned): final too, but a
# badge lost or stolen may still be found (hub/receive.py, kiosk.badge_life.follows).
FINAL = frozenset({BadgeStatus.SUPERSEDED.value, BadgeStatus.REVOKED.value, *VOIDED})
# Handed out (or coming out of a printer): what counts as a badge issued. A failed print
# or a pre-printed card not handed over is not one.
LIVE = frozenset({BadgeStatus.ACTIVE.value, "printing"})
# Where a decision came from ("import " and every file's name): cut to what the column holds,
# past which PostgreSQL refused the whole import and SQLite kept it whole.
SOURCE_MAX = StatusChangeRow.__table__.c.source.type.length


def reinstated(s: Session, serial: str, by: str | None) -> bool:
    """Whether the office reinstated `serial` over `by` (hub/settle.py): `serial`
    superseded by `by` is then never true again, whoever says so."""
    found = select(ReinstatementRow.id).where(
        ReinstatementRow.serial == serial, ReinstatementRow.cancels == by
    )
    return by is not None and s.scalar(found.limit(1)) is not None


def apply_status(
    s: Session,
    acc: AccreditationRow,
    status: Status,
    reason: str,
    at: datetime,
    source: str,
    now: datetime,
    reason_fr: str = "",
) -> list[str]:
    """Set an accreditation's status, with the office's reason (and its optional French
    `reason_fr`) and where it came from (`source`, its start kept: SOURCE_MAX); returns
    the serials of the badges it revoked."""
    seq = allocate(s)
    acc.status, acc.status_reason, acc.status_changed_at = status.value, reason, at
    acc.status_reason_fr = reason_fr
    acc.seq = acc.status_seq = seq
    s.add(
        StatusChangeRow(
            accreditation_id=acc.id,
            status=status.value,
            reason=reason,
            reason_fr=reason_fr,
            at=at,
            source=cut(source, SOURCE_MAX),
            recorded_at=now,
        )
    )
    if status is Status.APPROVED:
        return []
    revoked = []
    for badge in s.scalars(select(BadgeRow).where(BadgeRow.accreditation_id == acc.id)):
        if badge.status not in FINAL:
            badge.status = BadgeStatus.REVOKED.value
            badge.seq = allocate(s)
            revoked.append(badge.serial)
    return revoked
