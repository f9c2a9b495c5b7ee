"""Every `kiosk` and `kiosk-hub` command the README and docs/ name exists as written: its
subcommands (each of `a|b` alternatives) and its options, on the parsers the entry points
build. docs/personal-data.md named a `kiosk render` that had become `kiosk badge render`."""

from __future__ import annotations

import argparse
import re

import pytest

from app.cli import _parser as kiosk_parser
from app.hub_cli import add_demo_commands
from hub.cli import _parser as hub_parser
from tests.test_docs import FENCE, INLINE_CODE, PAGES, README

WORD = re.compile(r"^[a-z][a-z0-9-]*$")
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
PROMPT = re.compile(r"^\s*(?:\$ |sudo |\S*/bin/)*")  # "$ ", "sudo ", ".venv/bin/"


@pytest.fixture(scope="module")
def parsers() -> dict[str, argparse.ArgumentParser]:
    return {"kiosk": kiosk_parser(), "kiosk-hub": hub_parser(add_demo_commands)}


def commands(text: str) -> list[str]:
    """The commands a page shows: inline code, and lines of its code blocks."""
    found = [span.strip("`") for span in INLINE_CODE.findall(FENCE.sub("", text))]
    for block in FENCE.finditer(text):
        lines = block.group(0).splitlines()[1:-1]  # inside the fences
        found += [PROMPT.sub("", line).split(" #")[0] for line in lines]
    return [c.strip() for c in found if re.match(r"kiosk(-hub)? \S", c.strip())]


def _subcommands(parser: argparse.ArgumentParser) -> dict | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return None


def problems(command: str, parsers: dict[str, argparse.ArgumentParser]) -> list[str]:
    """What of `command` its parser does not have: a subcommand, then an option."""
    words = command.replace("\\|", "|").split()
    reached, wrong, rest = [parsers[words[0]]], [], words[1:]
    while rest and reached:  # subcommands (each of a|b, [optional] too), as far as they go
        names = rest[0].strip("[]").split("|")
        levels = [(p, _subcommands(p)) for p in reached]
        if not all(WORD.match(n) for n in names) or all(s is None for _, s in levels):
            break
        wrong += [f"no subcommand {n!r}" for _, s in levels if s for n in names if n not in s]
        reached = [s[n] for _, s in levels if s for n in names if n in s]
        rest = rest[1:]
    options = {o for p in reached for a in p._actions for o in a.option_strings}
    flags = [f for word in rest for f in FLAG.findall(word)] if reached else []
    return wrong + [f"no option {f}" for f in flags if f not in options]


def test_the_pages_name_many_commands():
    named = [c for page in (README, *PAGES) for c in commands(page.read_text())]
    assert len(named) > 100
    assert {c.split()[0] for c in named} == {"kiosk", "kiosk-hub"}


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: p.name)
def test_every_command_a_page_names_exists_as_written(page, parsers):
    wrong = {c: found for c in commands(page.read_text()) if (found := problems(c, parsers))}
    assert wrong == {}


@pytest.mark.parametrize(
    ("command", "found"),
    [
        ("kiosk render --out FILE", ["no subcommand 'render'"]),
        ("kiosk badge render --output FILE", ["no option --output"]),
        ("kiosk hours list|add|erase", ["no subcommand 'erase'"]),
        ("kiosk-hub conflicts [settle ID --outcome handled]", []),
        ("kiosk sync [status\\|enrol FILE]", []),
    ],
)
def test_a_command_the_parser_lacks_is_found(command, found, parsers):
    assert problems(command, parsers) == found
