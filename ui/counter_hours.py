"""Today's opening hours of this counter, as a line at the top of the counter screen
(`kiosk/hours.py`): its own hours, and at the Groups counter each event's that differ."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kiosk.desk_checks import hours_text
from kiosk.model import BRUSSELS, CounterDay
from kiosk.services import Kiosk
from kiosk.store.schema import CounterHoursRow
from ui.language import Retranslating, pick
from ui.plain_label import Label


def todays_hours(kiosk: Kiosk, day: date) -> list[tuple[str, CounterDay]]:
    """(event id or "", hours) of this kiosk's counter on `day`: its own first, then
    each event with hours of its own that day."""
    counter = kiosk.desk.counter
    with kiosk.store.reading() as s:
        events = sorted(
            set(
                s.scalars(
                    select(CounterHoursRow.event_id).where(
                        CounterHoursRow.counter == counter.value,
                        CounterHoursRow.event_id.is_not(None),
                        CounterHoursRow.day == day,
                    )
                )
            )
        )
    own = kiosk.hours.day(counter, day)
    return [("", own)] + [(e, kiosk.hours.day(counter, day, (e,))) for e in events]


class CounterHours(Retranslating, Label):
    """One line: this counter's hours today, in the current language."""

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__()
        self.setObjectName("counterHours")
        self.setWordWrap(True)
        self.setStyleSheet("font-size: 13px; color: #37474f;")
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
        for event, hours in self._hours:
            text = pick(*hours_text(hours))
            parts.append(
                self.tr("{event}: {hours}").format(event=event, hours=text) if event else text
            )
        self.setText(self.tr("Hours:") + " " + "  ·  ".join(parts))
