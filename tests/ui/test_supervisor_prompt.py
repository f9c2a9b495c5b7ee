"""The supervisor's approval at a clerk's counter: name, PIN (masked) and a reason; only a
role that may take the action gets through, and every refusal says why and keeps the
dialog open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Action, Actor, Role
from ui.supervisor_prompt import SupervisorPrompt


@pytest.fixture
def staff(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k.staff
    k.close()


def answer(qtbot, staff, action: Action, name: str, pin: str, reason: str) -> SupervisorPrompt:
    prompt = SupervisorPrompt(staff, "Override", action)
    qtbot.addWidget(prompt)
    prompt.show()
    qtbot.keyClicks(prompt.name, name)
    qtbot.keyClicks(prompt.pin, pin)
    qtbot.keyClicks(prompt.why, reason)
    prompt.accept()
    return prompt


def test_a_supervisor_approves_with_pin_and_reason(qtbot, staff):
    prompt = answer(qtbot, staff, Action.UNDO_HANDOVER, "supervisor", "222222", " wrong person ")
    assert prompt.pin.echoMode() is QLineEdit.EchoMode.Password
    assert prompt.result() == QDialog.DialogCode.Accepted
    assert (prompt.supervisor, prompt.reason) == (
        Actor("supervisor", Role.SUPERVISOR),
        "wrong person",
    )


@pytest.mark.parametrize(
    ("name", "pin", "reason", "error"),
    [
        ("supervisor", "1234", "lost", "Name or PIN not recognised."),
        (
            "security",
            "3333",
            "lost",
            "A security officer may not do this: overriding a refusal needs a supervisor.",
        ),
        ("supervisor", "222222", "", "Write the reason: it goes into the journal."),
        ("", "", "lost", "Enter the supervisor's name and PIN."),
    ],
)
def test_a_refusal_keeps_the_dialog_open(qtbot, staff, name, pin, reason, error):
    prompt = answer(qtbot, staff, Action.OVERRIDE, name, pin, reason)
    assert prompt.isVisible() and prompt.supervisor is None
    assert prompt.error.text().startswith(error)
    if error.startswith(("Name", "A security")):
        assert prompt.pin.text() == ""  # typed again, not left in the field


def test_enter_goes_from_name_to_pin_to_reason_then_approves(qtbot, staff):
    """As at the sign-in screen: name, Enter, PIN, Enter; never an error for a field the
    supervisor was about to fill."""
    prompt = SupervisorPrompt(staff, "Override", Action.OVERRIDE)
    qtbot.addWidget(prompt)
    prompt.show()
    for field, text, then in (
        (prompt.name, "supervisor", prompt.pin),
        (prompt.pin, "222222", prompt.why),
    ):
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert prompt.focusWidget() is then and prompt.error.text() == ""
        assert prompt.isVisible()
    qtbot.keyClicks(prompt.why, "lost badge")
    qtbot.keyClick(prompt.why, Qt.Key.Key_Return)
    assert prompt.result() == QDialog.DialogCode.Accepted
    assert prompt.supervisor == Actor("supervisor", Role.SUPERVISOR)


def test_a_long_refusal_grows_the_dialog_and_squeezes_no_field(qtbot, staff, themed):
    """A three-line refusal in French under a two-line case squeezed the fields (22 px
    instead of 25) and overlapped them (exploratory testing under Xvfb)."""
    what = (
        "Dérogation du superviseur : Pas la pièce utilisée pour la demande (n° YA7654321, "
        "demande avec un numéro finissant par ...567) : demander cette pièce, ou un superviseur."
    )
    prompt = SupervisorPrompt(staff, what, Action.OVERRIDE)
    qtbot.addWidget(prompt)
    prompt.show()
    refusal = (
        "Nom ou code PIN non reconnu. Après 3 codes erronés, attendez avant de réessayer : "
        "15 secondes, puis le double, jusqu'à 5 minutes. Un administrateur peut lever l'attente."
    )
    prompt._refused(refusal, refusal)
    fields = (prompt.name, prompt.pin, prompt.why)
    qtbot.waitUntil(lambda: all(f.height() >= f.sizeHint().height() for f in fields))
    assert prompt.why.geometry().bottom() < prompt.error.geometry().top()
