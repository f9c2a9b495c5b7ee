"""The command lines the tests run are forked from a zygote that imported them once
(tests/cli_process.py): each child takes the test's arguments, stdin, environment,
working directory and umask, and answers as a fresh `python -m` does."""

import json
import os
import subprocess

import pytest

from tests import cli_process

pytestmark = pytest.mark.slow
ROOT = cli_process.ROOT


def probe(tmp_path, *args: str, real: bool = False) -> subprocess.CompletedProcess:
    """tests/cli_probe.py run from `tmp_path`, where `python -m` finds it through a link."""
    if not (tmp_path / "tests").exists():
        (tmp_path / "tests").symlink_to(ROOT / "tests")
    before = os.umask(0o027)
    try:
        env = {**os.environ, "PROBE": "é"}
        return cli_process.run("tests.cli_probe", *args, stdin="1234\n", env=env, cwd=tmp_path,
                               real=real)  # fmt: skip
    finally:
        os.umask(before)


def test_a_forked_child_sees_what_a_fresh_process_sees(tmp_path):
    forked, fresh = probe(tmp_path, "3", "--x"), probe(tmp_path, "3", "--x", real=True)
    assert (
        (forked.returncode, forked.stderr) == (fresh.returncode, fresh.stderr) == (3, "to stderr\n")
    )
    seen = json.loads(forked.stdout)
    assert seen == json.loads(fresh.stdout)
    assert seen == {"argv": ["3", "--x"], "cwd": str(tmp_path), "umask": 0o027, "probe": "é",
                    "stdin": "1234\n"}  # fmt: skip


@pytest.mark.parametrize("args", [["--help"], ["staff", "nonsense"], ["check", "--code", "@@"]])
def test_the_kiosk_command_line_answers_as_a_fresh_process(demo_dir, args):
    forked = cli_process.run("app.cli", *args, "--data-dir", str(demo_dir))
    fresh = cli_process.run("app.cli", *args, "--data-dir", str(demo_dir), real=True)
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        fresh.returncode, fresh.stdout, fresh.stderr)  # fmt: skip
    assert forked.stdout or forked.stderr


def test_a_child_past_its_time_is_killed_and_the_next_one_runs(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):
        cli_process.run("tests.cli_probe", "0", "hang", cwd=ROOT, timeout=0.5)
    assert probe(tmp_path, "0").returncode == 0
