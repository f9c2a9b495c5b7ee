"""The office's texts in French beside the English ones, checked alike wherever they come
from (the platform's export, the hub's forms and command line, the feed).

Convention: a text the office writes for people to read (an event's ``name`` and
``place``, an accreditation's ``status_reason``, a closure's ``reason``, a pooled moment's
``name`` and ``handout_place``) may come with its French version in a field of the same
name plus ``_fr`` (``name_fr``, ``place_fr``, ``status_reason_fr``, ``reason_fr``,
``handout_place_fr``). It is optional: when it is missing or blank, French screens and
the French side of papers show the English (`kiosk.model.french`), never a blank. It has
the English field's limit, and like it no control character or direction override.
"""

from __future__ import annotations

from kiosk.typed import CONTROL


class FrenchTextError(ValueError):
    """A French text that cannot be kept, said in English and French."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


def check_french(value: object, most: int, what: tuple[str, str]) -> str:
    """`value` as a French text to keep ("" for none: None or blank), stripped;
    FrenchTextError naming `what` (in English and French) when it is not text, is longer
    than `most` characters or holds a control character."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FrenchTextError(
            f"The French {what[0]} must be text.", f"Le {what[1]} en français doit être du texte."
        )
    text = value.strip()
    if len(text) > most:
        raise FrenchTextError(
            f"The French {what[0]} has {len(text)} characters: at most {most} are accepted.",
            f"Le {what[1]} en français a {len(text)} caractères : {most} au plus sont acceptés.",
        )
    if CONTROL.search(text):
        raise FrenchTextError(
            f"The French {what[0]} holds a control character or a direction override.",
            f"Le {what[1]} en français contient un caractère de contrôle ou d'inversion.",
        )
    return text
