"""The security post's data line, in English and French: online or offline, how old its
data is, and a warning once it is older than the post's limit. The post screen and
`kiosk security verify` both say it, so a guard reads the same words on either."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.verify import PostData

_NB = "\u00a0"  # an age is never split over two lines


def age_text(age: timedelta) -> str:
    """An age as the post says it: 3 min, 1 h 05 min."""
    hours, minutes = divmod(int(age.total_seconds()) // 60, 60)
    return f"{hours}{_NB}h{_NB}{minutes:02d}{_NB}min" if hours else f"{minutes}{_NB}min"


def data_words(d: PostData) -> tuple[str, str]:
    """The data line of `d` as (English, French)."""
    if not d.enrolled:
        return (
            "Local data: no hub feeds this post.",
            "Données locales : aucun hub n'alimente ce poste.",
        )
    en, fr = ("ONLINE", "EN LIGNE") if d.online else ("OFFLINE", "HORS LIGNE")
    if d.age is None:
        en, fr = f"{en} · never synced", f"{fr} · jamais synchronisé"
    elif d.age < timedelta(0):  # last synced "after" now: the clock was set back since
        en = f"{en} · data of unknown age (the post's clock was set back since its last sync)"
        fr = (
            f"{fr} · données d'âge inconnu (l'horloge du poste a reculé depuis sa dernière "
            "synchronisation)"
        )
    else:
        age = age_text(d.age)
        en, fr = f"{en} · data {age} old", f"{fr} · données vieilles de {age}"
    if d.stale:
        limit = age_text(d.limit)
        en += (
            f" — older than the {limit} limit: recent revocations may be missing. "
            "Call the pass office about any doubtful badge."
        )
        fr += (
            f" — au-delà de la limite de {limit} : des révocations récentes peuvent manquer. "
            "Appeler le bureau des badges pour tout badge douteux."
        )
    if d.clock:  # the post's clock off the hub's: a warning, never a verdict
        en, fr = f"{en} — ⚠ {d.clock.en}", f"{fr} — ⚠ {d.clock.fr}"
    return en, fr
