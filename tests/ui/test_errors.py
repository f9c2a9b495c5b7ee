"""An error as the person at the screen reads it: the core's sentence, or plain words."""

from __future__ import annotations

import logging

from kiosk.print_states import PrintStateError
from kiosk.roles import AccessDenied, Action, Role
from ui.errors import UNEXPECTED, in_words


def test_the_cores_bilingual_sentence_is_kept():
    refused = AccessDenied(Role.CLERK, Action.OVERRIDE)
    assert in_words(refused) == (refused.message_en, refused.message_fr)


def test_the_cores_own_sentence_is_kept():
    error = PrintStateError("badge G1-000001 is active, not printing")
    assert in_words(error) == (str(error), str(error))


def test_a_python_error_is_words_and_its_detail_goes_to_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        try:
            {}["missing"]
        except KeyError as err:
            said = in_words(err)
    assert said == UNEXPECTED
    assert "KeyError" not in " ".join(said)
    assert "KeyError" in caplog.text  # the traceback is logged for whoever fixes it
