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


def test_the_stores_trouble_is_said_as_such(tmp_path):
    """A store another program holds locked: the clerk reads what it is and what to do."""
    import sqlite3

    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        sqlite3.connect(path, timeout=0).execute("CREATE TABLE t (x)")
    except sqlite3.OperationalError as err:
        en, fr = in_words(err)
    holder.close()
    assert "busy in another program" in en and "occupée par un autre programme" in fr
