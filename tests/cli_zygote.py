"""For test runs only: a process that has imported the kiosk's command lines once and forks
a child for each command a test runs, so that child starts where `python -m app.cli`
would be after 0.4 s of imports (tests/cli_process.py is the client; docs/testing.md).

Run as `python -m tests.cli_zygote SOCKET`. Each connection sends one JSON request (the
module, its arguments, the environment, the working directory and the umask) with three file
descriptors for stdin, stdout and stderr; the zygote says "listening" on its stdout once
ready, then answers the child's pid, then its
wait status once it has ended. It quits when its stdin, a pipe from the test worker that
started it, reaches its end."""

import contextlib
import gc
import json
import os
import runpy
import selectors
import socket
import sys

import app.cli
import app.hub_cli  # noqa: F401


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
    runpy.run_module(request["module"], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    gc.freeze()  # a child's collections and its exit then leave the zygote's pages unshared
    asked = serve(sys.argv[1])
    if asked is not None:
        become(asked)
