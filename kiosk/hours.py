"""Counters' opening hours and closures, kept in the store and checked before they are.

A span opens a counter every `weekday` or on one `day`; Groups counter spans may be for
one event's badges (per event), Visitors spans never are (the pass office's own hours).
On a day, spans for that exact day replace the weekday's; the Groups counter uses the
spans of the badge's events when it has any, else its own. Changes are an
administrator's and are journalled; an inverted or overlapping span, a closure without
a reason, or a day already gone (`check_ahead`) is refused with a sentence and changes
nothing.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.ledger import Ledger
from kiosk.model import BRUSSELS, Counter, CounterDay, Event
from kiosk.office_texts import FrenchTextError, check_french
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.case_reader import Source
from kiosk.store.database import Store
from kiosk.store.schema import CounterClosureRow, CounterHoursRow, EventRow, SyncStateRow
from kiosk.typed import shown

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
REASON_MAX = 200


COUNTER_WORDS = {Counter.GROUPS: ("Groups", "Groupes"), Counter.VISITORS: ("Visitors", "Visiteurs")}


def counter_words(counter: Counter) -> tuple[str, str]:
    """'The Groups counter' and 'Le guichet Groupes', as the screens name the counters."""
    en, fr = COUNTER_WORDS[counter]
    return f"The {en} counter", f"Le guichet {fr}"


class HoursError(ValueError):
    """Hours that cannot be kept; the messages say why. Nothing was changed."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


@dataclass(frozen=True)
class Span:
    """One opening span as stored: on `weekday` (0 Monday) or on `day`."""

    counter: Counter
    opens: time
    closes: time
    weekday: int | None = None
    day: date | None = None
    event_id: str | None = None
    id: int | None = None
    hub_id: int | None = None  # its number at the hub, when the hub set it

    def when(self) -> tuple[str, str]:
        """The day(s) it applies to, in English and French."""
        if self.day is not None:
            return f"{self.day:%d.%m.%Y}", f"{self.day:%d.%m.%Y}"
        assert self.weekday is not None
        return f"every {WEEKDAYS[self.weekday]}", f"chaque {WEEKDAYS_FR[self.weekday]}"


_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$", re.ASCII)  # 08:00-17:30


def parse_span(text: str) -> tuple[time, time]:
    """ "08:00-17:30" as two times; HoursError if it is not that."""
    found = _SPAN.match(text.replace("–", "-"))
    try:
        if not found:
            raise ValueError
        h1, m1, h2, m2 = (int(part) for part in found.groups())
        return time(h1, m1), time(h2, m2)
    except ValueError:
        raise HoursError(
            f"{shown(text)} is not opening hours: type them as HH:MM-HH:MM (e.g. 08:00-17:30).",
            f"{shown(text)} n'est pas un horaire : le saisir HH:MM-HH:MM (p. ex. 08:00-17:30).",
        ) from None


def _to_span(row: CounterHoursRow) -> Span:
    return Span(
        Counter(row.counter),
        row.opens,
        row.closes,
        row.weekday,
        row.day,
        row.event_id,
        row.id,
        row.hub_id,
    )


def _fmt(s: Span) -> str:
    return f"{s.opens:%H:%M}–{s.closes:%H:%M}"


class HoursBook:
    """The opening hours and closures of the counters in one store."""

    def __init__(self, store: Store, clock: Callable[[], datetime], kiosk_id: str) -> None:
        self.store, self.clock, self.kiosk_id = store, clock, kiosk_id

    def spans(self, counter: Counter | None = None) -> list[Span]:
        """Every span on file (of `counter`, if given), by counter, event, day."""
        with self.store.reading() as s:
            query = select(CounterHoursRow)
            if counter is not None:
                query = query.where(CounterHoursRow.counter == counter.value)
            rows = [_to_span(r) for r in s.scalars(query)]
        return sorted(
            rows,
            key=lambda r: (r.counter, r.event_id or "", r.day or date.min, r.weekday or 0, r.opens),
        )

    def closures(self, counter: Counter | None = None) -> list[tuple[Counter, date, str]]:
        """Every closure on file: (counter, day, reason), by day."""
        with self.store.reading() as s:
            query = select(CounterClosureRow).order_by(CounterClosureRow.day)
            if counter is not None:
                query = query.where(CounterClosureRow.counter == counter.value)
            return [(Counter(r.counter), r.day, r.reason) for r in s.scalars(query)]

    def add(self, span: Span, by: Actor) -> Span:
        """Keep `span` (an administrator's change, journalled); HoursError if it is
        inverted, overlaps a span of the same counter, event and day, names an event
        the store does not hold, or is for a day gone or hours over (`check_ahead`)."""
        require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            _refuse_if_enrolled(s)
            _validate(s, span)
            check_ahead(span, self.clock())
            row = CounterHoursRow(
                counter=span.counter.value,
                event_id=span.event_id,
                weekday=span.weekday,
                day=span.day,
                opens=span.opens,
                closes=span.closes,
            )
            s.add(row)
            s.flush()
            when, _ = span.when()
            self._journal(
                s, by, "hours_add", span.counter, hours=f"{when} {_fmt(span)}", event=span.event_id
            )
            return _to_span(row)

    def remove(self, span_id: int, counter: Counter, by: Actor) -> Span:
        """Remove the span with id `span_id` of `counter`; HoursError if there is none (a
        number of the other counter's hours removes nothing: the administrator said which
        counter they meant)."""
        require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            _refuse_if_enrolled(s)
            row = s.get(CounterHoursRow, span_id)
            if row is None or row.counter != counter.value:
                en, fr = counter_words(counter)
                raise HoursError(
                    f"{en} has no opening hours numbered {span_id}: see `kiosk hours list`.",
                    f"{fr} n'a pas d'horaire numéro {span_id} : voir `kiosk hours list`.",
                )
            span = _to_span(row)
            s.delete(row)
            when, _ = span.when()
            self._journal(
                s,
                by,
                "hours_remove",
                span.counter,
                hours=f"{when} {_fmt(span)}",
                event=span.event_id,
            )
            return span

    def close_day(
        self, counter: Counter, day: date, reason: str, by: Actor, reason_fr: str = ""
    ) -> None:
        """Close `counter` all of `day` for `reason` (and its optional French `reason_fr`);
        HoursError without a reason, with a bad one, for a day gone, or if it is closed
        that day already."""
        require(by.role, Action.SETTINGS)
        reason, reason_fr = check_reason(reason), check_reason_fr(reason_fr)
        with self.store.writing() as s:
            _refuse_if_enrolled(s)
            check_day_ahead(day, self.clock())
            taken = s.execute(
                select(CounterClosureRow.reason, CounterClosureRow.reason_fr).where(
                    CounterClosureRow.counter == counter.value, CounterClosureRow.day == day
                )
            ).first()
            if taken is not None:
                raise closed_already(counter, day, taken[0], taken[1])
            s.add(
                CounterClosureRow(
                    counter=counter.value, day=day, reason=reason, reason_fr=reason_fr
                )
            )
            french = {"reason_fr": reason_fr} if reason_fr else {}
            self._journal(
                s, by, "hours_close", counter, day=day.isoformat(), reason=reason, **french
            )

    def reopen_day(self, counter: Counter, day: date, by: Actor) -> None:
        """Lift a closure; HoursError if the counter is not closed that day."""
        require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            _refuse_if_enrolled(s)
            done = s.execute(
                delete(CounterClosureRow).where(
                    CounterClosureRow.counter == counter.value, CounterClosureRow.day == day
                )
            )
            if not done.rowcount:
                raise not_closed(counter, day)
            self._journal(s, by, "hours_reopen", counter, day=day.isoformat())

    def day(self, counter: Counter, day: date, event_ids: Iterable[str] = ()) -> CounterDay:
        """`counter`'s hours on `day` for badges of `event_ids` (see the module's rule)."""
        with self.store.reading() as s:
            return counter_day(s, counter, day, tuple(event_ids))

    def _journal(self, s: Session, by: Actor, action: str, counter: Counter, **details) -> None:
        ensure_enabled(s, by)  # before the transaction commits: a stopped session changes nothing
        Ledger(self.kiosk_id, counter).journal(s, action, by, None, self.clock(), **details)


def _fetch(s: Source, sql: str, params: tuple) -> list[tuple]:
    """Rows of `sql` on an ORM session or on the scan's raw SQLite snapshot alike."""
    if isinstance(s, sqlite3.Connection):
        return s.execute(sql, params).fetchall()
    return list(s.connection().exec_driver_sql(sql, params).fetchall())


def counter_day(s: Source, counter: Counter, day: date, event_ids: tuple[str, ...]) -> CounterDay:
    """`counter`'s hours on `day`, read in the caller's session or snapshot (the counter
    desk's scan path reads without the ORM: kiosk/store/case_reader.py)."""
    rows = _fetch(
        s,
        "SELECT event_id, day, opens, closes FROM counter_hours"
        " WHERE counter = ? AND (day = ? OR weekday = ?)",
        (counter.value, day.isoformat(), day.weekday()),
    )
    configured = bool(rows) or bool(
        _fetch(s, "SELECT 1 FROM counter_hours WHERE counter = ? LIMIT 1", (counter.value,))
    )
    closed = _fetch(
        s,
        "SELECT reason, reason_fr FROM counter_closures WHERE counter = ? AND day = ?",
        (counter.value, day.isoformat()),
    )
    spans = [
        (event, dated is not None, _clock(opens), _clock(closes))
        for event, dated, opens, closes in rows
    ]
    reason, reason_fr = closed[0] if closed else ("", "")
    return choose_day(spans, counter, day, event_ids, reason, configured, reason_fr or "")


def choose_day(
    spans: Iterable[tuple[str | None, bool, time, time]],
    counter: Counter,
    day: date,
    event_ids: tuple[str, ...],
    closed: str,
    configured: bool,
    closed_fr: str = "",
) -> CounterDay:
    """The module's rule over the spans that fall on `day` (event, dated?, opens, closes):
    the badge's events' spans at the Groups counter if any, else the counter's own; a
    date's spans replace the weekday's. The one rule for the kiosk and the hub."""
    spans = list(spans)
    own = [r for r in spans if r[0] in event_ids] if counter is Counter.GROUPS else []
    chosen = own or [r for r in spans if r[0] is None]
    if any(r[1] for r in chosen):  # a date's spans replace the weekday's
        chosen = [r for r in chosen if r[1]]
    hours = tuple(sorted({(r[2], r[3]) for r in chosen}))
    return CounterDay(counter, day, hours, closed, configured, closed_fr)


def _clock(value: str | time) -> time:
    """A stored time (SQLite keeps "07:30:00.000000")."""
    return value if isinstance(value, time) else time.fromisoformat(value)


def _refuse_if_enrolled(s: Session) -> None:
    """An enrolled kiosk takes its hours from the office's hub (sync/hours_apply.py)."""
    if s.get(SyncStateRow, 1) is not None:
        raise HoursError(
            "This kiosk is enrolled: its opening hours and closures are set at the office's "
            "hub (kiosk-hub hours).",
            "Ce kiosque est enrôlé : ses horaires et fermetures se règlent au hub du bureau "
            "(kiosk-hub hours).",
        )


def check_reason(reason: str) -> str:
    """A closure's reason, stripped; HoursError if it is blank or too long."""
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise HoursError(
            f"A closure needs a reason of at most {REASON_MAX} characters (e.g. a public holiday).",
            f"Une fermeture exige un motif de {REASON_MAX} caractères au plus (p. ex. un "
            "jour férié).",
        )
    return reason


def check_day_ahead(day: date, now: datetime) -> None:
    """HoursError if `day` is gone (before today in Brussels at `now`): hours or a
    closure for it change nothing, so it is almost surely a typo ("2025" for "2026").
    Today is allowed (a closure for the rest of today is an alert). Removing or lifting
    what is on file is never refused: a past entry may be tidied away."""
    today = now.astimezone(BRUSSELS).date()
    if day < today:
        raise HoursError(
            f"{day:%d.%m.%Y} is already past (today is {today:%d.%m.%Y}): opening hours and "
            "closures are for today or later. Check the year.",
            f"Le {day:%d.%m.%Y} est déjà passé (nous sommes le {today:%d.%m.%Y}) : horaires "
            "et fermetures valent pour aujourd'hui ou plus tard. Vérifier l'année.",
        )


def check_ahead(span: Span, now: datetime) -> None:
    """HoursError if dated `span` is for a day gone, or for today and already over at
    `now` (08:00–10:00 added at 14:00 opens nothing); hours still to come today are
    kept (today's hours changed). A weekday's span is always ahead."""
    if span.day is None:
        return
    check_day_ahead(span.day, now)
    local = now.astimezone(BRUSSELS)
    if span.day == local.date() and span.closes <= local.time().replace(tzinfo=None):
        raise HoursError(
            f"Opening hours {_fmt(span)} today ({span.day:%d.%m.%Y}) are already over (it is "
            f"{local:%H:%M}): they would open nothing. Check the day and the hours.",
            f"L'horaire {_fmt(span)} d'aujourd'hui ({span.day:%d.%m.%Y}) est déjà passé (il "
            f"est {local:%H:%M}) : il n'ouvrirait rien. Vérifier le jour et les heures.",
        )


def check_reason_fr(reason_fr: object) -> str:
    """A closure's optional French reason, stripped ("" for none); HoursError if it is
    too long or holds a control character (kiosk/office_texts.py)."""
    try:
        return check_french(reason_fr, REASON_MAX, ("reason", "motif"))
    except FrenchTextError as err:
        raise HoursError(err.message_en, err.message_fr) from err


def french_reasons(closed: Iterable[tuple[date, str, str | None]]) -> dict[date, str]:
    """The French reasons given among closures read as (day, reason, reason_fr)."""
    return {day: fr for day, _, fr in closed if fr}


def _validate(s: Session, span: Span) -> None:
    known = span.event_id is None or s.get(EventRow, span.event_id) is not None
    same = s.scalars(
        select(CounterHoursRow).where(
            CounterHoursRow.counter == span.counter.value,
            CounterHoursRow.event_id.is_(None)
            if span.event_id is None
            else CounterHoursRow.event_id == span.event_id,
            CounterHoursRow.day == span.day
            if span.day is not None
            else CounterHoursRow.weekday == span.weekday,
        )
    )
    check_span(span, known, map(_to_span, same), ("this kiosk", "ce guichet"))


def check_span(span: Span, event_known: bool, held: Iterable[Span], where: tuple[str, str]) -> None:
    """HoursError unless `span` can be kept beside the spans `held` (those of the same
    counter, event and day or weekday): a weekday or a date, open before close, event
    hours at the Groups counter only and for an event known `where`, no overlap."""
    if (span.weekday is None) == (span.day is None):
        raise HoursError(
            "Opening hours are for a weekday or for one date, not both or neither.",
            "Un horaire vaut pour un jour de la semaine ou pour une date, pas les deux ni aucun.",
        )
    if span.weekday is not None and not 0 <= span.weekday <= 6:
        raise HoursError("A weekday is mon to sun.", "Un jour de la semaine va de lun à dim.")
    if span.opens >= span.closes:
        raise HoursError(
            f"Opening hours {_fmt(span)} are inverted: the counter must open before it "
            "closes (a span past midnight is two spans, one each day).",
            f"L'horaire {_fmt(span)} est inversé : le guichet doit ouvrir avant de fermer "
            "(un horaire après minuit se saisit en deux, un par jour).",
        )
    if span.event_id is not None:
        if span.counter is not Counter.GROUPS:
            raise HoursError(
                "Only the Groups counter has hours per event; the Visitors pass office keeps "
                "its own hours.",
                "Seul le guichet Groupes a des horaires par événement ; le bureau Visiteurs "
                "garde ses propres horaires.",
            )
        if not event_known:
            raise HoursError(
                f"There is no event {span.event_id!r} on {where[0]}.",
                f"Il n'y a pas d'événement {span.event_id!r} sur {where[1]}.",
            )
    for other in held:
        if span.opens < other.closes and other.opens < span.closes:
            when_en, when_fr = span.when()
            en, fr = COUNTER_WORDS[span.counter]
            raise HoursError(
                f"{_fmt(span)} overlaps the {en} counter's hours "
                f"{_fmt(other)} {when_en} (no. {other.id}): change or remove those first.",
                f"{_fmt(span)} chevauche l'horaire {_fmt(other)} du guichet "
                f"{fr} {when_fr} (n° {other.id}) : le modifier ou le supprimer d'abord.",
            )


@dataclass(frozen=True)
class Timetable:
    """Every span and closure of one counter, wherever they are kept (this kiosk's store,
    the hub's tables): what a confirmation letter states."""

    counter: Counter
    spans: tuple[Span, ...]
    closures: dict[date, str]
    closures_fr: dict[date, str] = field(default_factory=dict)  # French reasons given

    def day(self, day: date, event_ids: tuple[str, ...]) -> CounterDay:
        """The counter's hours on `day` for badges of `event_ids` (the module's rule)."""
        rows = [
            (s.event_id, s.day is not None, s.opens, s.closes)
            for s in self.spans
            if s.day == day or (s.day is None and s.weekday == day.weekday())
        ]
        closed, closed_fr = self.closures.get(day, ""), self.closures_fr.get(day, "")
        return choose_day(rows, self.counter, day, event_ids, closed, True, closed_fr)

    def weekly(self, weekday: int) -> CounterDay:
        """The counter's own hours every `weekday` (no event's, no date's)."""
        spans = {(s.opens, s.closes) for s in self.spans if s.weekday == weekday and not s.event_id}
        return CounterDay(self.counter, date.min, tuple(sorted(spans)), "", True)


def timetable(s: Session, counter: Counter) -> Timetable:
    """`counter`'s spans and closures in this kiosk's store."""
    rows = s.scalars(select(CounterHoursRow).where(CounterHoursRow.counter == counter.value))
    closed = s.execute(
        select(CounterClosureRow.day, CounterClosureRow.reason, CounterClosureRow.reason_fr).where(
            CounterClosureRow.counter == counter.value
        )
    ).all()
    reasons = {day: why for day, why, _ in closed}
    return Timetable(counter, tuple(map(_to_span, rows)), reasons, french_reasons(closed))


def collection_hours(
    s: Session, counter: Counter, event: Event | None, events: tuple[str, ...] = ()
) -> tuple[str, str]:
    """`letter_hours` of `counter` from this kiosk's store."""
    return letter_hours(timetable(s, counter), event, events)


def letter_hours(
    table: Timetable, event: Event | None, events: tuple[str, ...] = ()
) -> tuple[str, str]:
    """When the counter hands the badges out, for a confirmation letter, in English and
    French: each collection day of `event` (and `events` declared valid with it), or the
    counter's weekly hours (annual badges). Empty when no hours are on file."""
    if not table.spans:
        return "", ""
    if event is not None:
        first = event.collection_opens.astimezone(BRUSSELS).date()
        last = event.collection_closes.astimezone(BRUSSELS).date()
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        ids = (event.id, *event.valid_with, *events)
        lines = [(f"{d:%d.%m.%Y}", table.day(d, ids)) for d in days]
    else:
        lines = [(WEEKDAYS[n], table.weekly(n)) for n in range(7)]
    en = "; ".join(f"{when} {_day_text(day, 'closed')}" for when, day in _grouped(lines))
    fr = "; ".join(f"{_fr_when(when)} {_day_text(day, 'fermé')}" for when, day in _grouped(lines))
    return en, fr


def _day_text(day: CounterDay, closed: str) -> str:
    if day.closed or not day.spans:
        return closed
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in day.spans)


def _grouped(lines: list[tuple[str, CounterDay]]) -> list[tuple[str, CounterDay]]:
    """Consecutive days with the same hours as one range ("mon–fri", "13.02.2026 –
    15.02.2026")."""
    out: list[tuple[str, CounterDay]] = []
    start = 0
    for i in range(1, len(lines) + 1):
        same = i < len(lines) and (lines[i][1].spans, lines[i][1].closed) == (
            lines[start][1].spans,
            lines[start][1].closed,
        )
        if not same:
            sep = "–" if lines[start][0] in WEEKDAYS else " – "
            first, last = lines[start][0], lines[i - 1][0]
            name = first if i - 1 == start else f"{first}{sep}{last}"
            out.append((name, lines[start][1]))
            start = i
    return out


def _fr_when(when: str) -> str:
    for en, fr in zip(WEEKDAYS, WEEKDAYS_FR, strict=True):
        when = when.replace(en, fr[:3] + ".")
    return when


def closed_already(counter: Counter, day: date, reason: str, reason_fr: str | None) -> HoursError:
    """A day closed twice: said with its reason in each language (the English when the
    office gave no French one)."""
    en, fr = counter_words(counter)
    return HoursError(
        f"{en} is already closed on {day:%d.%m.%Y} ({reason}).",
        f"{fr} est déjà fermé le {day:%d.%m.%Y} ({reason_fr or reason}).",
    )


def not_closed(counter: Counter, day: date) -> HoursError:
    """A day reopened that was not closed."""
    en, fr = counter_words(counter)
    return HoursError(
        f"{en} is not closed on {day:%d.%m.%Y}.", f"{fr} n'est pas fermé le {day:%d.%m.%Y}."
    )
