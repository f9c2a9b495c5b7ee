"""Run `python -m app.cli …` or `python -m app.hub_cli …` as a test's command line.

A separate process each time, as an operator's shell would start it, but forked from a
zygote (tests/cli_zygote.py) that imported the command lines once per test worker: a
command then costs its own work, not 0.4 s of imports again (docs/testing.md). Any
`PYTHON*` variable unlike the zygote's, or `real=True`, runs a fresh interpreter instead;
tests/app/test_cli_process.py checks that both give the same answer."""

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_lock = threading.Lock()
_zygote: tuple[subprocess.Popen, str, dict[str, str]] | None = None


def run(
    module: str,
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 60,
    stdout: int | None = None,
    real: bool = False,
) -> subprocess.CompletedProcess:
    """Run the command line `module` (app.cli or app.hub_cli) with `args` to its end.

    Like `subprocess.run(..., input=stdin, capture_output=True, text=True)`; `stdout` may
    name a file descriptor to write to instead of capturing."""
    argv = [sys.executable, "-m", module, *args]
    env = dict(os.environ if env is None else env)
    cwd = str(cwd or os.getcwd())
    with _lock:
        zygote = None if real else _started()
    if zygote is None or _python_settings(env) != _python_settings(zygote[2]):
        return subprocess.run(
            argv,
            input=stdin,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
            timeout=timeout,
        )
    mask = os.umask(0o077)  # the test's umask, which a child takes as a process would
    os.umask(mask)
    request = {"module": module, "args": list(args), "env": env, "cwd": cwd, "umask": mask}
    with _lock, tempfile.TemporaryDirectory(prefix="cli-") as folder, ExitStack() as files:
        stdin_file, out, err = (
            files.enter_context(open(Path(folder, name), "w+b")) for name in ("in", "out", "err")
        )
        stdin_file.write(stdin.encode())
        stdin_file.seek(0)
        fds = [stdin_file.fileno(), out.fileno() if stdout is None else stdout, err.fileno()]
        status = _forked(zygote[1], request, fds, timeout, argv)
        output = None if stdout is not None else _text(out)
        return subprocess.CompletedProcess(
            argv, os.waitstatus_to_exitcode(status), output, _text(err)
        )


def _forked(path: str, request: dict, fds: list[int], timeout: float, argv: list[str]) -> int:
    """Have the zygote listening at `path` fork the command; its wait status."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(path)
        socket.send_fds(conn, [json.dumps(request).encode()], fds)
        answers = conn.makefile("r")
        pid = int(answers.readline())
        try:
            return int(answers.readline())
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            raise subprocess.TimeoutExpired(argv, timeout) from None


def _text(file) -> str:
    file.seek(0)
    return file.read().decode().replace("\r\n", "\n")


def _python_settings(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith("PYTHON")}


def _started() -> tuple[subprocess.Popen, str, dict[str, str]]:
    """This worker's zygote, started at its first use; it says when it listens."""
    global _zygote
    if _zygote is None or _zygote[0].poll() is not None:
        path = str(Path(tempfile.mkdtemp(prefix="kiosk-zygote-"), "socket"))
        env = dict(os.environ)
        zygote = subprocess.Popen(
            [sys.executable, "-m", "tests.cli_zygote", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        if zygote.stdout.readline() != b"listening\n":
            raise RuntimeError(f"the command-line zygote quit with {zygote.wait()}")
        atexit.register(_stop, zygote, path)
        _zygote = (zygote, path, env)
    return _zygote


def _stop(zygote: subprocess.Popen, path: str) -> None:
    zygote.stdin.close()
    zygote.wait(timeout=10)
    Path(path).unlink(missing_ok=True)
    Path(path).parent.rmdir()
