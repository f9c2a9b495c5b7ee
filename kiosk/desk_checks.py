"""Two checks of the counter beside `kiosk.rules`: the counter's opening hours, and the
press card the clerk saw.

Rules chosen where the sources are silent:
- The seeds give no counter hours ("Please check the media programme for the timing"):
  hours are data (`kiosk/hours.py`). A badge is handed out only while the counter is
  open, even inside the collection window, which is one continuous interval from its
  first opening to its last closing (so a badge is not issued at 03:00). A counter with
  no hours on file at all is not held to any (a store from before hours existed).
- 2024 advisory: "You must bring ... the same press card or editor's letter that you
  used to apply". A card seen with another number than the one on file, or an expired
  card, is a supervisor's case; an applicant who applied with a letter may show a card
  too (it is recorded, the letter stays the proof).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from kiosk.model import BRUSSELS, Check, CounterDay, PressCardSeen, Verdict
from kiosk.typed import line_refusal, shown

ISSUER_MAX = 120
NUMBER_MAX = 60


class PressCardError(ValueError):
    """What the clerk typed is not a press card; the messages say why."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


def _hhmm(spans: tuple) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in spans)


def hours_text(day: CounterDay) -> tuple[str, str]:
    """A counter's day in a line, in English and French."""
    if day.closed:
        return f"Closed today: {day.closed}.", f"Fermé aujourd'hui : {day.french_closed}."
    if not day.configured:
        return "No opening hours on file.", "Aucun horaire d'ouverture enregistré."
    if not day.spans:
        return "Closed today.", "Fermé aujourd'hui."
    return f"Open today {_hhmm(day.spans)}.", f"Ouvert aujourd'hui {_hhmm(day.spans)}."


def check_hours(day: CounterDay | None, now: datetime) -> Check:
    """The counter must be open at `now` (Brussels wall-clock time). A closure closes it
    even when no hours are on file (one set at the hub for an alert reaches counters that
    keep none)."""
    if day is None or (not day.configured and not day.closed):
        return Check("hours", True, "No opening hours on file.", "Aucun horaire enregistré.")
    clock = now.astimezone(BRUSSELS).time()
    en, fr = hours_text(day)
    if not day.closed and any(a <= clock < b for a, b in day.spans):
        today = _hhmm(day.spans)  # not "Counter open: Open today …"
        return Check(
            "hours", True, f"Counter open today {today}.", f"Guichet ouvert aujourd'hui {today}."
        )
    return Check(
        "hours",
        False,
        f"The counter is closed at {clock:%H:%M}: {en} Come back during opening hours.",
        f"Le guichet est fermé à {clock:%H:%M} : {fr} Revenir pendant les heures d'ouverture.",
        Verdict.REFUSE,
    )


def normalise_card(number: str) -> str:
    """A press card number as compared: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Z]", "", number.upper())


# What a clerk types for "no card" (the application's "N/A" beside a letter), compared
# as normalise_card leaves it; a card of that number would be recorded as seen.
_PLACEHOLDERS = frozenset({"NA", "NONE", "NIL", "NULL"})


def is_card_number(number: str | None) -> bool:
    """Whether `number` names a press card: some letter or digit, and no "N/A", "none",
    "-" or the like an application holds where there is no card."""
    typed = normalise_card(number or "")
    return bool(typed) and typed not in _PLACEHOLDERS


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # the form's YYYY-MM-DD only


def read_press_card(number: str, issuer: str, expiry: str) -> PressCardSeen:
    """The card the clerk typed (number, issuing body, expiry as YYYY-MM-DD);
    PressCardError with a sentence if any part is missing or malformed."""
    for typed in (number, issuer, expiry):
        if refused := line_refusal(typed):
            raise PressCardError(*refused)
    number, issuer, expiry = number.strip(), issuer.strip(), expiry.strip()
    if normalise_card(number) in _PLACEHOLDERS:
        raise PressCardError(
            f"{shown(number)} is no press card number: record no card when the applicant "
            "shows none (an editor's letter on file is checked instead).",
            f"{shown(number)} n'est pas un numéro de carte de presse : ne saisir aucune "
            "carte si le demandeur n'en montre pas (la lettre de la rédaction est vérifiée).",
        )
    if not normalise_card(number) or len(number) > NUMBER_MAX:
        raise PressCardError(
            f"Type the press card's number (letters and digits, at most {NUMBER_MAX}).",
            f"Saisir le numéro de la carte de presse (lettres et chiffres, {NUMBER_MAX} au plus).",
        )
    if not issuer or len(issuer) > ISSUER_MAX:
        raise PressCardError(
            f"Type the body that issued the press card (at most {ISSUER_MAX} characters).",
            f"Saisir l'organisme qui a délivré la carte ({ISSUER_MAX} caractères au plus).",
        )
    try:
        until = date.fromisoformat(expiry) if _ISO_DAY.fullmatch(expiry) else None
    except ValueError:
        until = None
    if until is None:
        raise PressCardError(
            f"The press card's expiry {shown(expiry)} is not a date: type it as YYYY-MM-DD.",
            f"L'échéance {shown(expiry)} de la carte n'est pas une date : la saisir AAAA-MM-JJ.",
        )
    return PressCardSeen(number, issuer, until)


def check_press_card(on_file: str | None, seen: PressCardSeen | None, now: datetime) -> Check:
    """The card seen against the one used to apply (`on_file`, None or "N/A" for a
    letter), and its expiry."""
    if seen is None:
        return Check(
            "press_card", True, "No press card recorded.", "Aucune carte de presse saisie."
        )
    today = now.astimezone(BRUSSELS).date()
    if seen.expiry < today:
        return Check(
            "press_card",
            False,
            f"The press card shown expired on {seen.expiry:%d.%m.%Y}: a supervisor must decide.",
            f"La carte de presse présentée a expiré le {seen.expiry:%d.%m.%Y} : un "
            "superviseur doit décider.",
            Verdict.SUPERVISOR,
        )
    applied = on_file if on_file and on_file.strip().upper() != "N/A" else None
    if applied is None:
        return Check(
            "press_card",
            True,
            "Press card recorded; the application's proof is a letter.",
            "Carte de presse notée ; la preuve de la demande est une lettre.",
        )
    if normalise_card(applied) == normalise_card(seen.number):
        return Check(
            "press_card",
            True,
            "Same press card as used to apply.",
            "Même carte de presse que pour la demande.",
        )
    tail = applied[-3:]
    return Check(
        "press_card",
        False,
        f"Not the press card used to apply (no. {seen.number}, applied with a number "
        f"ending …{tail}): ask for that card, or a supervisor.",
        f"Pas la carte de presse de la demande (n° {seen.number}, demande avec un numéro "
        f"finissant par …{tail}) : demander cette carte, ou un superviseur.",
        Verdict.SUPERVISOR,
    )
