"""Every argument of `kiosk` and `kiosk-hub` says in `--help` what it takes and means,
and every command's `--help` fits an 80-column terminal (parsers built in-process, as
the entry points build them)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from app.cli import _parser as kiosk_parser
from app.hub_cli import add_demo_commands
from hub.cli import _parser as hub_parser

Command = tuple[str, argparse.ArgumentParser]


def _commands(parser: argparse.ArgumentParser, path: str) -> Iterator[Command]:
    """The parser and every subcommand under it, each with the words that name it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")


def _every_command() -> list[Command]:
    return [
        *_commands(kiosk_parser(), "kiosk"),
        *_commands(hub_parser(add_demo_commands), "kiosk-hub"),
    ]


COMMANDS = _every_command()


def _words(text: str) -> str:
    """Lower-case letters and digits only: `--log-level` and "log level" are the same."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _unexplained(action: argparse.Action) -> bool:
    """True if the argument's help is missing, is a single word (a form such as
    "YYYY-MM-DD" says nothing of what the day is for), or only repeats its own name."""
    if not action.help or action.help == argparse.SUPPRESS or len(action.help.split()) < 2:
        return True
    names = {*action.option_strings, action.dest, str(action.metavar or "")}
    return _words(action.help) in {_words(n) for n in names}


def _default_unsaid(action: argparse.Action) -> bool:
    """True if the argument has a default value that its help does not mention."""
    if action.default in (None, False, "", argparse.SUPPRESS) or action.nargs == 0:
        return False
    return "default" not in (action.help or "").lower()


def test_the_walk_reaches_the_nested_commands_of_both_command_lines():
    """The walk itself: it sees the nested commands the tests below rely on."""
    names = {name for name, _ in COMMANDS}
    assert {"kiosk badge print", "kiosk staff add", "kiosk security verify"} <= names
    assert {"kiosk-hub serve", "kiosk-hub hours add", "kiosk-hub demo-export"} <= names


@pytest.mark.parametrize("name,parser", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_argument_says_what_it_is(name: str, parser: argparse.ArgumentParser):
    unexplained = [
        "/".join(a.option_strings) or a.dest
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction) and _unexplained(a)
    ]
    assert not unexplained, f"{name}: no help for {', '.join(unexplained)}"


@pytest.mark.parametrize("name,parser", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_default_is_said(name: str, parser: argparse.ArgumentParser):
    unsaid = [f"{a.dest}={a.default!r}" for a in parser._actions if _default_unsaid(a)]
    assert not unsaid, f"{name}: defaults not in the help: {', '.join(unsaid)}"


@pytest.mark.parametrize("name,parser", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_subcommand_is_listed_with_what_it_does(name: str, parser: argparse.ArgumentParser):
    listed = [
        choice
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for choice in action._choices_actions
    ]
    assert all(c.help for c in listed), f"{name}: {[c.dest for c in listed if not c.help]}"


@pytest.mark.parametrize("name,parser", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_the_help_fits_80_columns(name: str, parser: argparse.ArgumentParser, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    wide = [line for line in parser.format_help().splitlines() if len(line) > 80]
    assert not wide, f"{name} --help: lines over 80 columns: {wide}"
