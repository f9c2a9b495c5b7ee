"""Shared fixtures: a demo world built once per test run, around a fixed day."""

from __future__ import annotations

import fcntl
import gc
import json
import os
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.dependencies import models as fastapi_models
from hypothesis import settings

from kiosk import roles
from kiosk.model import BRUSSELS
from tests import compiled_cache, store_template
from tests.demo_copy import copy_world

# The hub, its databases and enrolled kiosks (tests/site_fixtures.py), for the sync and
# hub tests; a private pcscd and emulated passports (tests/chip_fixtures.py) for the chip;
# the counter's presenter (tests/presenter_fixtures.py) for the presenter tests.
pytest_plugins = ["site_fixtures", "chip_fixtures", "cups_server", "presenter_fixtures"]

# Widgets render without a display unless a test asks for a real X11 window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# PINs and passwords are hashed at scrypt n=2**10 instead of 2**16 (a fortieth of the
# time) in the tests and in the processes they start (tests/cheap_scrypt): they test
# rules that count sign-ins, not the hash's cost, which `real_scrypt` tests bring back.
# Done at import, before the demo world is built, so its accounts are cheap to check too.
REAL_SCRYPT_N = roles.SCRYPT[0]  # not roles._N: xdist workers start with it cheap already
roles._N = 2**10
# A new kiosk store starts as a copy of an empty one the migrations made once per process.
store_template.install()
# Every engine of a test process shares one cache of compiled SQL (tests/compiled_cache.py).
compiled_cache.install()
CHEAP_SITE = str(Path(__file__).resolve().parent / "cheap_scrypt")
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (CHEAP_SITE, os.environ.get("PYTHONPATH", "")) if p
)

DEMO_DAY = date(2026, 2, 14)
DEMO_NOON = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A demo world built once per run: the first worker to ask builds it under a lock in
    the run's temporary folder, the others wait and use it (each worker built its own
    before, about 4 s of CPU each). Nothing writes to it (tests read it in place, and
    `kiosk check` leaves its store's bytes as they were); tests that change it take a
    copy (`demo_dir`)."""
    from app.demo.build import build

    run_dir = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # pytest-xdist: the workers' folders share a parent
        run_dir = run_dir.parent
    data_dir, built = run_dir / "demo-master", run_dir / "demo-master.built"
    with (run_dir / "demo-master.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            shutil.rmtree(data_dir, ignore_errors=True)  # a worker that died half-way
            build(data_dir, people=60, today=DEMO_DAY)
            built.touch()
    return data_dir


@pytest.fixture
def demo_dir(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo world (`tests/demo_copy.py`)."""
    return copy_world(demo_master, tmp_path / "data")


@pytest.fixture(scope="session")
def manifest(demo_master: Path) -> dict:
    """The demo world's scenarios.json."""
    return json.loads((demo_master / "scenarios.json").read_text())


@pytest.fixture
def real_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real scrypt cost, for a test of it (ask for it before the fixtures that hash)."""
    monkeypatch.setattr(roles, "_N", REAL_SCRYPT_N)


@pytest.fixture
def themed():
    """The kiosk's own font and stylesheet, as `kiosk run` applies them; then Qt's again."""
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_theme

    app = QApplication.instance()
    font, sheet = app.font(), app.styleSheet()
    apply_theme(app)
    yield
    app.setStyleSheet(sheet)
    app.setFont(font)


@pytest.fixture(scope="session")
def demo_now() -> datetime:
    """The moment demo tests run at: mid-morning on the demo world's day."""
    return DEMO_NOON


# Hypothesis's default 200 ms deadline per example measures the machine, not the code: on a
# busy 2-core machine an example can wait that long for a core. Examples run unbounded.
settings.register_profile("kiosk", deadline=None)
settings.load_profile("kiosk")

# The fast lane (`-m "not slow"`) leaves out every test that starts a real service: a
# hub on loopback, a PostgreSQL cluster, cupsd, an Xvfb display. Tests that use these
# fixtures are marked slow here, so a new test that uses them is too.
REAL_SERVICES = {
    "postgres", "hub_db", "sqlite_hub_db", "site", "sqlite_site", "site_factory",
    "cups", "cups_scheduler", "display", "pcsc_site", "reader",
}  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that start a real service as slow."""
    for item in items:
        if REAL_SERVICES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


# FastAPI keeps the last 4,096 route functions it classified (functools caches in
# fastapi.dependencies.models), and with them each test's hub app, its database and the
# engine's statement cache: some 60 hubs' worth stayed alive, and every full garbage
# collection walked them. Forgotten after each test.
_FASTAPI_CACHES = [
    cached
    for name in (
        "_is_gen_callable_cached",
        "_is_async_gen_callable_cached",
        "_is_coroutine_callable_cached",
    )
    if (cached := getattr(fastapi_models, name, None)) is not None
]


def _screens_back_in_english() -> None:
    """A test that left the screens in French (a shell opened on French settings, say)
    does not make the next test in its worker read French where it expects English."""
    language_module = sys.modules.get("ui.language")
    if language_module is not None and language_module.language().current.value != "en":
        language_module.language().set(language_module.Language.EN)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After each test, FastAPI's caches cleared; after each module, what is still alive
    is frozen (gc.freeze), so full collections no longer walk it again and again."""
    yield
    for cached in _FASTAPI_CACHES:
        cached.cache_clear()
    _screens_back_in_english()
    if nextitem is None or nextitem.module is not item.module:
        gc.collect()
        gc.freeze()
