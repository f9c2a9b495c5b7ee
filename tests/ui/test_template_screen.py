"""The template screen: the file a badge uses, its sample badge, and the office's mistakes
named with file and setting; Reload after editing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from printing.badge_template import BUILTIN_DIR
from ui.language import Language, language
from ui.template_screen import KINDS, TemplateScreen, split_problem

ADMIN = Actor("ada", Role.ADMINISTRATOR)


@pytest.fixture
def kiosk(demo_dir: Path, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    yield k
    k.close()


def _settled(qtbot, screen: TemplateScreen) -> None:
    qtbot.waitUntil(lambda: screen.look is not None and not screen.background.busy, timeout=60_000)


@pytest.fixture
def screen(qtbot, kiosk):
    s = TemplateScreen(kiosk, ADMIN)
    qtbot.addWidget(s)
    s.resize(1366, 700)
    s.show()
    _settled(qtbot, s)
    yield s
    s.background.wait()


def _reload(qtbot, screen: TemplateScreen) -> None:
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    _settled(qtbot, screen)


def _choose_event(qtbot, screen: TemplateScreen, event_id: str) -> None:
    ids = [screen.event.itemData(i) for i in range(screen.event.count())]
    screen.event.setCurrentIndex(ids.index(event_id))
    _settled(qtbot, screen)


def _files(screen: TemplateScreen) -> dict[str, str]:
    t = screen.files
    return {t.item(r, 0).text(): t.item(r, 2).text() for r in range(t.rowCount())}


def _office_copy(kiosk, name: str, replace: tuple[str, str] | None = None) -> Path:
    folder = kiosk.data_dir / "templates"
    folder.mkdir(exist_ok=True)
    text = (BUILTIN_DIR / "event.toml").read_text()
    if replace:
        assert replace[0] in text
        text = text.replace(*replace, 1)
    path = folder / name
    path.write_text(text)
    return path


def test_shows_the_shipped_event_template_and_its_sample_badge(screen):
    assert screen.kind.currentText() == "Event badge"
    assert screen.path.text() == (
        f"Template file: {BUILTIN_DIR / 'event.toml'} (shipped with the kiosk; copy it to "
        "change it)"
    )
    picture = screen.preview.pixmap()
    assert not picture.isNull()
    assert picture.width() >= 700  # big enough to read on a 1366-wide screen
    assert not screen.error.isVisible()
    assert _files(screen) == {
        "annual.toml": "OK — Annual badge",
        "event.toml": "OK — Event badge",
        "pool.toml": "OK — Pool card",
    }
    assert screen.files.accessibleName() == "Template files"


def test_each_kind_its_file(qtbot, screen):
    for i, kind in enumerate(KINDS):
        screen.kind.setCurrentIndex(i)
        _settled(qtbot, screen)
        assert screen.path.text().startswith(f"Template file: {BUILTIN_DIR / kind}.toml")
        assert screen.preview_png.startswith(b"\x89PNG")
        assert screen.event.isEnabled() == (kind != "annual")  # annual badges have no event


def test_an_events_own_design_is_previewed_in_the_events_colour(qtbot, screen, kiosk):
    _office_copy(kiosk, "DEFMIN.event.toml")
    _choose_event(qtbot, screen, "DEFMIN")
    assert screen.path.text().endswith("DEFMIN.event.toml (the pass office's own)")
    assert _files(screen)["DEFMIN.event.toml"] == "OK — Event badge"
    colour = next(e.colour for e in screen.events if e.id == "DEFMIN")
    band = QImage.fromData(screen.preview_png).pixelColor(60, 60)  # inside the band
    assert band.name() == colour.lower()


def test_a_mistake_is_named_with_file_and_setting_and_reload_shows_the_fix(qtbot, screen, kiosk):
    path = _office_copy(kiosk, "DEFMIN.event.toml", ("w = 56.92", 'w = "wide"'))
    _choose_event(qtbot, screen, "DEFMIN")
    assert screen.error.isVisible()
    assert screen.error.text().splitlines() == [
        "This template cannot be used: badges it lays out are not printed until it is fixed.",
        "File: DEFMIN.event.toml",
        "Setting: text[2] (surname).box.w",
        'Problem: must be a number above 0, not "wide"',
    ]
    assert screen.preview.pixmap().isNull()
    assert screen.preview.text() == "No preview until the template is fixed."
    assert _files(screen)["DEFMIN.event.toml"].startswith("✘ text[2] (surname).box.w:")
    path.write_text((BUILTIN_DIR / "event.toml").read_text())  # the office fixes it
    _reload(qtbot, screen)
    assert not screen.error.isVisible()
    assert not screen.preview.pixmap().isNull()


def test_broken_toml_is_named_as_such(qtbot, screen, kiosk):
    (kiosk.data_dir / "templates").mkdir(exist_ok=True)
    (kiosk.data_dir / "templates" / "event.toml").write_text("name = 'x'\nkind = \n")
    _reload(qtbot, screen)
    lines = screen.error.text().splitlines()
    assert lines[1] == "File: event.toml"
    assert lines[2].startswith("Problem: not valid TOML:")
    assert "line 2" in lines[2]


def test_split_problem():
    p = split_problem("pool.toml: pool: a pool card needs a [pool] marker")
    assert (p.file, p.setting, p.problem) == (
        "pool.toml",
        "pool",
        "a pool card needs a [pool] marker",
    )
    assert split_problem("no template x.toml in /a").problem == "no template x.toml in /a"


def test_in_french(qtbot, screen):
    try:
        language().set(Language.FR)
        qtbot.waitUntil(lambda: screen.title.text() == "Modèles de badges")
        assert screen.kind.currentText() == "Badge d'événement"
        assert screen.path.text().startswith("Fichier du modèle :")
        assert screen.reload_button.text() == "Recharger [F5]"
        assert screen.files.accessibleName() == "Fichiers de modèles"
        states = {screen.files.item(r, 0).text(): screen.files.item(r, 2).text() for r in range(3)}
        assert states["annual.toml"] == "OK — Badge annuel"  # it read "OK — Annual badge"
    finally:
        language().set(Language.EN)
