"""Roles and PINs."""

from __future__ import annotations

import pytest

from kiosk.roles import (
    PERMISSIONS,
    AccessDenied,
    Action,
    Role,
    allowed,
    check_pin,
    hash_pin,
    require,
)


@pytest.mark.parametrize(
    ("role", "action", "ok"),
    [
        (Role.CLERK, Action.ISSUE, True),
        (Role.CLERK, Action.OVERRIDE, False),
        (Role.CLERK, Action.UNDO_HANDOVER, False),
        (Role.SUPERVISOR, Action.OVERRIDE, True),
        (Role.SUPERVISOR, Action.SETTINGS, False),
        (Role.SECURITY, Action.VERIFY_BADGE, True),
        (Role.SECURITY, Action.ISSUE, False),
        (Role.SECURITY, Action.CHECK, False),
        (Role.ADMINISTRATOR, Action.SETTINGS, True),
        (Role.ADMINISTRATOR, Action.ISSUE, False),
    ],
)
def test_permissions(role, action, ok):
    assert allowed(role, action) is ok
    if ok:
        require(role, action)
    else:
        with pytest.raises(AccessDenied) as err:
            require(role, action)
        assert err.value.message_fr and role.value in err.value.message_en


def test_every_action_belongs_to_some_role():
    assert {a for a in Action if any(allowed(r, a) for r in Role)} == set(Action)


@pytest.mark.slow
def test_pin_hash_is_salted_and_checks():
    a, b = hash_pin("482913"), hash_pin("482913")
    assert a != b and a.startswith("scrypt$") and "482913" not in a
    assert check_pin("482913", a) and check_pin("482913", b)
    assert not check_pin("482914", a)


@pytest.mark.parametrize(
    "stored", ["", "plain", "scrypt$1$2", "md5$a$b$c$d$e", "scrypt$x$8$1$AAAA$AAAA"]
)
def test_malformed_stored_hash_never_matches(stored):
    assert check_pin("1234", stored) is False


def test_short_pin_is_refused():
    with pytest.raises(ValueError):
        hash_pin("12")


def test_a_refusal_names_the_action_and_who_may_take_it_in_words():
    """It used to name codes: "Un rôle « clerk » ne peut pas faire ceci (undo_handover)."."""
    for role in Role:
        for action in Action:
            if action in PERMISSIONS[role]:
                continue
            refused = AccessDenied(role, action)
            for message in (refused.message_en, refused.message_fr):
                assert f"({action.value})" not in message and "_" not in message, message
            assert " needs " in refused.message_en and " il faut " in refused.message_fr
    clerk = AccessDenied(Role.CLERK, Action.UNDO_HANDOVER)
    assert clerk.message_en == (
        "A clerk may not do this: undoing a badge's hand-over needs a supervisor."
    )
    assert clerk.message_fr == (
        "Un agent de guichet ne peut pas faire ceci : il faut un superviseur pour annuler la "
        "remise d'un badge."
    )
    guard = AccessDenied(Role.SECURITY, Action.PRINT_BATCH)
    assert guard.message_en == (
        "A security officer may not do this: pre-printing badges needs a supervisor or an "
        "administrator."
    )
