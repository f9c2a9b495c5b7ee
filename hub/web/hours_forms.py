"""The Hours page's forms: each turns the posted fields into one change of
hub/site_hours.py, checked there as `kiosk-hub hours|pool` checks it. A field that cannot
be read raises HoursError (or PoolError) with a sentence in English and French, before
anything is written."""

from __future__ import annotations

from datetime import date, datetime

from hub import site_hours
from hub.database import HubDatabase
from kiosk.hours import WEEKDAYS, HoursError, Span, parse_span
from kiosk.model import Counter
from kiosk.pool import PoolError, PoolMoment
from kiosk.typed import brussels_time, line_refusal, shown


def one_line(fields: dict[str, str]) -> None:
    """HoursError unless every posted field is one line: none of the Hours page's fields
    takes a line break or a tab (a browser's one-line field sends none; a hand-made post
    put a closure's reason over two lines at every counter and in `kiosk-hub hours list`)."""
    for value in fields.values():
        if refused := line_refusal(value):
            raise HoursError(*refused)


def _counter(fields: dict[str, str]) -> Counter:
    try:
        return Counter(fields.get("counter", ""))
    except ValueError:
        raise HoursError("Choose a counter.", "Choisir un guichet.") from None


def _day(fields: dict[str, str], name: str = "day") -> date | None:
    text = fields.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HoursError(
            f"{shown(text)} is not a date: type it as YYYY-MM-DD.",
            f"{shown(text)} n'est pas une date : la saisir AAAA-MM-JJ.",
        ) from None


def _required_day(fields: dict[str, str]) -> date:
    day = _day(fields)
    if day is None:
        raise HoursError("Give the date (YYYY-MM-DD).", "Indiquer la date (AAAA-MM-JJ).")
    return day


def _weekday(fields: dict[str, str]) -> int | None:
    text = fields.get("weekday", "")
    if not text:
        return None
    if text not in WEEKDAYS:
        raise HoursError("A weekday is mon to sun.", "Un jour de la semaine va de lun à dim.")
    return WEEKDAYS.index(text)


def add_span(db: HubDatabase, fields: dict[str, str], by: str, now: datetime) -> Span:
    """Open a counter: `span` HH:MM-HH:MM on a `weekday` or a `day`, for an `event`'s
    badges at the Groups counter if one is named."""
    opens, closes = parse_span(fields.get("span", ""))
    event = fields.get("event", "").strip() or None
    span = Span(_counter(fields), opens, closes, _weekday(fields), _day(fields), event)
    return site_hours.add_hours(db, span, by, now)


def remove_span(db: HubDatabase, fields: dict[str, str], by: str, now: datetime) -> Span:
    """Remove the span numbered `number` of the posted counter."""
    text = fields.get("number", "")
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31):
        raise HoursError("Choose the opening hours to remove.", "Choisir l'horaire à supprimer.")
    return site_hours.remove_hours(db, int(text), _counter(fields), by, now)


def close(db: HubDatabase, fields: dict[str, str], by: str, now: datetime) -> None:
    """Close the posted counter all of `day` for `reason` (and `reason_fr`, optional)."""
    counter, day = _counter(fields), _required_day(fields)
    reason, reason_fr = fields.get("reason", ""), fields.get("reason_fr", "")
    site_hours.close_day(db, counter, day, reason, by, now, reason_fr)


def reopen(db: HubDatabase, fields: dict[str, str], by: str, now: datetime) -> None:
    """Lift the posted counter's closure of `day`."""
    site_hours.reopen_day(db, _counter(fields), _required_day(fields), by, now)


def _moment_time(fields: dict[str, str], name: str) -> datetime:
    text = fields.get(name, "").strip()
    try:
        return brussels_time(text)
    except ValueError:
        raise PoolError(
            f"{shown(text)} is not a date and time: type it as YYYY-MM-DDTHH:MM (Brussels).",
            f"{shown(text)} n'est pas une date et une heure : la saisir AAAA-MM-JJTHH:MM "
            "(Bruxelles).",
        ) from None


def add_moment(db: HubDatabase, fields: dict[str, str], by: str, now: datetime) -> PoolMoment:
    """Put the posted pooled moment on file (the same id again replaces it)."""
    moment = PoolMoment(
        fields.get("moment", "").strip(),
        fields.get("event", "").strip(),
        fields.get("name", "").strip(),
        _moment_time(fields, "starts"),
        fields.get("place", "").strip(),
        _moment_time(fields, "opens"),
        _moment_time(fields, "closes"),
        fields.get("name_fr", "").strip(),
        fields.get("place_fr", "").strip(),
    )
    site_hours.add_moment(db, moment, by, now)
    return moment


def remove_moment(db: HubDatabase, fields: dict[str, str], by: str, now: datetime) -> None:
    """Take the posted pooled moment off every counter."""
    site_hours.remove_moment(db, fields.get("moment", "").strip(), by, now)
