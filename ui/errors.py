"""What an error says to the person at the screen.

The core's errors carry their own sentences (`message_en` and `message_fr`, or a sentence
as their text). A Python or library error does not, and its name means nothing to a
clerk: it goes to the log with its traceback, and the screen says what happened in words.
"""

from __future__ import annotations

import logging

from kiosk.store.trouble import store_trouble

log = logging.getLogger(__name__)

OWN_PACKAGES = ("kiosk", "printing", "scanning", "sync")  # errors written for people
UNEXPECTED = (
    "an unexpected error (the details are in the kiosk's log)",
    "une erreur inattendue (le détail est dans le journal technique du kiosque)",
)


def in_words(error: BaseException) -> tuple[str, str]:
    """`error` as the person at the screen reads it, in English and in French: the core's
    own sentence when it has one; otherwise a plain sentence, the detail logged."""
    en = getattr(error, "message_en", None)
    if isinstance(en, str) and en:
        fr = getattr(error, "message_fr", None)
        return en, fr if isinstance(fr, str) and fr else en
    text = str(error)
    if type(error).__module__.partition(".")[0] in OWN_PACKAGES and text:
        log.info("shown to the clerk: %s", text)
        return text, text  # the core's own sentence, written in English only
    if trouble := store_trouble(error):  # locked, full, read-only: the clerk can act
        log.warning("the store's trouble shown to the clerk", exc_info=error)
        return trouble
    log.error("an error shown to the clerk in words", exc_info=error)
    return UNEXPECTED
