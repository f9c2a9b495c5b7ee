"""Today's opening hours of this counter, as a line at the top of the counter screen
(`kiosk/hours.py`): its own hours, and at the Groups counter each event's that differ."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kiosk.desk_checks import hours_text
from kiosk.model import BRUSSELS, CounterDay
from kiosk.services import Kiosk
from kiosk.store.schema import CounterHoursRow, EventRow
from ui.language import Retranslating, pick
from ui.plain_label import Label


def todays_hours(kiosk: Kiosk, day: date) -> list[tuple[tuple[str, str] | None, CounterDay]]:
    """(event's name in English and French, or None for the counter's own; hours) of this
    kiosk's counter on `day`: its own first, then each event with hours of its own that
    day (by its id when the store holds no such event)."""
    counter = kiosk.desk.counter
    with kiosk.store.reading() as s:
        ids = set(
            s.scalars(
                select(CounterHoursRow.event_id).where(
                    CounterHoursRow.counter == counter.value,
                    CounterHoursRow.event_id.is_not(None),
                    CounterHoursRow.day == day,
                )
            )
        )
        rows = {r.id: r for r in s.scalars(select(EventRow).where(EventRow.id.in_(ids)))}
        names = {e: _names(rows.get(e), e) for e in sorted(ids)}
    own = kiosk.hours.day(counter, day)
    return [(None, own)] + [(names[e], kiosk.hours.day(counter, day, (e,))) for e in names]


def _names(row: EventRow | None, event_id: str) -> tuple[str, str]:
    """An event's name in English and French (the English when none was given)."""
    if row is None:
        return event_id, event_id
    return row.name, row.name_fr or row.name


class CounterHours(Retranslating, Label):
    """One line: this counter's hours today, in the current language."""

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__()
        self.setObjectName("counterHours")
        self.setWordWrap(True)
        self.setStyleSheet("font-size: 16px; color: #37474f;")  # the theme's least
        self.kiosk = kiosk
        self.refresh()

    def refresh(self) -> None:
        """Read today's hours again (Brussels day, by the kiosk's clock)."""
        day = self.kiosk.desk.clock().astimezone(BRUSSELS).date()
        self._hours = todays_hours(self.kiosk, day)
        self.retranslate()

    def retranslate(self) -> None:
        """The line in the current language."""
        parts = []
        for names, hours in self._hours:
            text = pick(*hours_text(hours))
            event = pick(*names) if names else ""
            parts.append(
                self.tr("{event}: {hours}").format(event=event, hours=text) if names else text
            )
        self.setText(self.tr("This counter:") + " " + "  ·  ".join(parts))
