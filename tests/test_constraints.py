"""constraints.txt pins what pyproject.toml asks for: every package named there (the
kiosk's own and the dev tools), at one version, inside the range pyproject.toml gives."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pinned() -> dict[str, str]:
    """constraints.txt as {canonical name: version}; every line is `name==version`."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"not pinned to one version: {line!r}"
            pins[canonicalize_name(name)] = version.strip()
    return pins


def required() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    ]


def test_every_package_pyproject_names_is_pinned_within_its_range():
    pins, needed = pinned(), required()
    assert len(needed) > 30  # the kiosk's packages and the dev tools were read
    missing = [str(r) for r in needed if canonicalize_name(r.name) not in pins]
    assert missing == []
    outside = [
        f"{r} (pinned {pins[canonicalize_name(r.name)]})"
        for r in needed
        if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]
    assert outside == []
