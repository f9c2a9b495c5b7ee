"""The small picture of the badge just issued: laid out from its template on a worker,
the picture of a badge no longer wanted is dropped, a badge that cannot be laid out
says so."""

from __future__ import annotations

import pytest

from app.wiring import open_kiosk, read_mrz
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.badge_preview import BadgePreview

CLERK = Actor("ann", Role.CLERK)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def issued(kiosk, manifest, situation: str) -> str:
    a = next(a for a in manifest["applicants"] if a["situation"] == situation)
    return kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), CLERK).badge.serial


def test_the_issued_badge_is_shown_small_and_the_latest_wins(qtbot, kiosk, manifest):
    first = issued(kiosk, manifest, "approved_ministerial")
    second = issued(kiosk, manifest, "pool_photographer")
    preview = BadgePreview(kiosk)
    qtbot.addWidget(preview)
    preview.resize(340, 220)
    preview.show()
    assert preview.text() == "The badge appears here once issued."
    preview.show_badge(first)
    preview.show_badge(second)  # the clerk moved on before the first was ready
    qtbot.waitUntil(lambda: preview.shown, timeout=60_000)
    preview.background.wait()
    assert preview.serial == second
    picture = preview.pixmap()
    assert not picture.isNull() and picture.width() > picture.height()  # a landscape card
    assert picture.width() <= preview.width()
    preview.clear_badge()
    assert not preview.shown and preview.text() == "The badge appears here once issued."


def test_a_badge_that_cannot_be_laid_out_says_so(qtbot, kiosk, manifest):
    serial = issued(kiosk, manifest, "approved_ministerial")
    templates = kiosk.data_dir / "templates"
    templates.mkdir()
    (templates / "event.toml").write_text('name = "broken"\nkind = "event"\n')
    preview = BadgePreview(kiosk)
    qtbot.addWidget(preview)
    preview.show_badge(serial)
    qtbot.waitUntil(lambda: preview.text() == f"No preview for badge {serial}.", timeout=60_000)
    assert not preview.shown
