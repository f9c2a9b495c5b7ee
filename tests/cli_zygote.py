"""For test runs only: a process that has imported the kiosk's command lines once and forks
a child for each command a test runs, so that child starts where `python -m app.cli`
would be after 0.4 s of imports (tests/cli_process.py is the client; docs/testing.md).

Run as `python -m tests.cli_zygote SOCKET`. Each connection sends one JSON request (the
module, its arguments, the environment, the working directory and the umask) with three file
descriptors for stdin, stdout and stderr; the zygote says "listening" on its stdout once
ready, then answers the child's pid, then its
wait status once it has ended. It quits when its stdin, a pipe from the test worker that
started it, reaches its end. It also imports what the commands import at first need
(`PRELOADED`), and a child ends as the interpreter would minus freeing every module's
objects (`leave`): 0.23 → 0.10 s of CPU a command on average (docs/testing.md)."""

import atexit
import contextlib
import gc
import importlib
import json
import os
import runpy
import selectors
import signal
import socket
import sys
import threading
from typing import NoReturn

from sqlalchemy.orm import configure_mappers

import app.cli
import app.hub_cli  # noqa: F401

# What the commands import at first need (app/commands/*, hub/cli.py import their heavy
# libraries inside the command), imported here once as well: each child that syncs,
# prints, migrates or reaches PostgreSQL otherwise imported it again (0.1 to 0.25 s of
# CPU each; ~230 children a run). Only when a command runs its import becomes a lookup:
# what it does and answers is the same.
PRELOADED = (
    "alembic.command",  # migrating a store that is not at the head (a new one)
    "chip.passive",
    "chip.reading",
    "psycopg",
    "printing.badge_printing",  # reportlab, PIL, numpy, barcode, zxingcpp
    "printing.printers",
    "scanning.mrz",
    "sync.client",
    "sync.files",
    "sync.outbox",
    "sync.state",  # httpx
)


def preload() -> None:
    """Import the modules the commands would import lazily, and set up the ORM's mapped
    classes, which SQLAlchemy does at the first query of each process (20 ms)."""
    for name in PRELOADED:
        importlib.import_module(name)
    configure_mappers()


def serve(path: str) -> dict | None:
    """Answer requests until the worker goes; in a forked child, return its request."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen()
    os.write(sys.stdout.fileno(), b"listening\n")
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    events.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in events.select():
            if key.fileobj is sys.stdin:
                if not os.read(sys.stdin.fileno(), 1024):
                    return None
                continue
            conn, _ = listener.accept()
            request = fork(conn)
            if request is not None:
                listener.close()
                events.close()
                return request


def fork(conn: socket.socket) -> dict | None:
    """Fork a child for the request on `conn`; in the child return the request."""
    with conn:
        message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
            for fd in fds:
                os.close(fd)
            return request
        for fd in fds:
            os.close(fd)
        _said(conn, pid)
        _, status = os.waitpid(pid, 0)
        _said(conn, status)
    return None


def _said(conn: socket.socket, number: int) -> None:
    """Send one number, unless the test gave up waiting and went away."""
    with contextlib.suppress(OSError):
        conn.sendall(f"{number}\n".encode())


def become(request: dict) -> None:
    """Take the request's environment, directory and arguments, then run its module."""
    os.chdir(request["cwd"])
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[0] = request["cwd"]  # where `python -m` looks first
    sys.argv = [request["module"], *request["args"]]  # runpy puts the file's path first
    sys.modules.pop(request["module"], None)  # as `python -m` runs it before any import
    leave(run_main(request["module"]))


def run_main(module: str) -> int | None:
    """Run `module` as `__main__`; the exit status the interpreter would give (None for an
    uncaught KeyboardInterrupt, which it ends by SIGINT), its error printed as it would."""
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
        return None
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


def leave(status: int | None) -> NoReturn:
    """End as the interpreter ends after its main module: the other threads joined, the
    atexit functions run, what is unreachable collected (a store left in a cycle closes
    its SQLite file as at a real exit), the standard streams flushed; but without freeing
    every object of every module one by one, which wrote to nearly every page shared with
    the zygote (40 ms of CPU a command, 70 with the modules preloaded; ~230 a run). The
    command's own stores are closed before: its frames are gone once `main` returned."""
    threading._shutdown()  # what the interpreter calls first at its exit
    atexit._run_exitfuncs()
    gc.collect()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken stream, as at a real exit
            stream.flush()
    if status is None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(status if status is not None else 1)


if __name__ == "__main__":
    preload()
    gc.freeze()  # a child's collections and its exit then leave the zygote's pages unshared
    asked = serve(sys.argv[1])
    if asked is not None:
        become(asked)
