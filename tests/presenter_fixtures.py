"""The groups counter's presenter for the presenter tests (tests/ui/test_presenter_*.py),
registered by tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def presenter(qtbot, demo_dir, demo_now):
    """The groups counter's presenter on a private demo world, signed in as a clerk.
    Imported when asked for: every worker and the controller load this plugin."""
    from app.wiring import open_kiosk
    from kiosk.model import Counter
    from kiosk.roles import Actor, Role
    from ui.presenter import CounterPresenter

    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    p = CounterPresenter(kiosk, Actor("ann", Role.CLERK))
    yield p
    p.background.wait()
    p.journalled()
    kiosk.close()
