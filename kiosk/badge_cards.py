"""Badge cards: everything printed on a badge, as the printing adapter lays it out.

A `BadgeCard` joins the badge row, the applicant's case and photo, and the signed claim
security reads from the card's QR code (kiosk/codes.py).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.codes import BadgeClaim, Signer, badge_code, split_serial
from kiosk.model import Badge, BadgeCard, Case
from kiosk.store.database import Store
from kiosk.store.records import load_case, photo, to_badge
from kiosk.store.schema import BadgeRow

DEFAULT_COLOUR = "#1565c0"  # a badge with no event's colour


class BadgeCards:
    """Builds the cards of one kiosk's badges; `signer` (None: unsigned) gives the key
    that signs their QR codes, asked for at the first one (the kiosk's key may be made
    only then)."""

    def __init__(self, store: Store, signer: Callable[[], Signer] | None = None) -> None:
        self.store = store
        self.signer = signer

    def card(self, serial: str) -> BadgeCard:
        """Everything the printer needs for badge `serial` (KeyError if there is none)."""
        with self.store.reading() as s:
            row = s.get(BadgeRow, serial)
            if row is None:
                raise KeyError(f"no badge {serial}")
            case = load_case(s, row.accreditation_id)
            assert case is not None
            jpeg = photo(s, case.person.id)
        badge = to_badge(row)
        event = case.event
        return BadgeCard(
            serial=badge.serial,
            flow=case.accreditation.flow,
            surname=case.person.surname,
            given_names=case.person.given_names,
            organisation=case.person.organisation,
            media_kind=case.person.media_kind,
            valid_from=badge.valid_from,
            valid_until=badge.valid_until,
            photo_jpeg=jpeg,
            event_name=event.name if event else None,
            event_name_fr=event.french_name if event else None,
            colour=event.colour if event else DEFAULT_COLOUR,
            counter=badge.counter,
            # Pool cards are their own cards, for one moment (kiosk/pool.py): a badge,
            # above all a year-long annual one, never carries the POOL marker.
            pool=False,
            issued_at=badge.issued_at,
            event_id=event.id if event else None,
            badge_code=self._badge_code(badge, case),
        )

    def _badge_code(self, badge: Badge, case: Case) -> str | None:
        """The signed claim security reads from the badge's QR code (None: unsigned)."""
        if self.signer is None:
            return None
        kiosk_id, sequence = split_serial(badge.serial)
        acc = case.accreditation
        claim = BadgeClaim(
            acc.id,
            kiosk_id,
            sequence,
            badge.valid_from,
            badge.valid_until,
            acc.flow,
            badge.counter,
            acc.event_id,
        )
        return badge_code(self.signer(), claim)
