"""A network link of a set rate between the benchmark (the kiosk) and the hub: a veth pair
into a network namespace of its own, shaped both ways to a rate by a token bucket (tc's
`tbf`; this machine's kernel has no netem, so no delay is added: a veth's own is a few
microseconds, a switched LAN's 0.1-0.3 ms). Loopback has no wire: there a sync is bound by
CPU alone.

Needs root and iproute2 (`ip`, `tc`); nothing else on the machine sees the link.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

NAMESPACE = "kiosk-bench-hub"
HOST_SIDE, HUB_SIDE = "kbench0", "kbench1"
KIOSK_IP, HUB_IP = "10.77.0.1", "10.77.0.2"
BURST = "512kb"  # above a 64 KB segment and a timer tick's worth at 1 Gbit/s


@dataclass(frozen=True)
class Link:
    """Where the hub listens and how to start a command on its side."""

    rate: str
    hub_ip: str
    prefix: tuple[str, ...]  # prepend to a command to run it in the hub's namespace


def _run(*cmd: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")


def _remove() -> None:
    subprocess.run(["ip", "link", "del", HOST_SIDE], capture_output=True)
    subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)


@contextmanager
def shaped_link(rate: str) -> Iterator[Link]:
    """A link of `rate` (tc's units: "1gbit", "100mbit") for the time of the block."""
    if os.geteuid() != 0 or not (shutil.which("ip") and shutil.which("tc")):
        raise SystemExit("--link needs root and iproute2 (ip, tc): run without it on loopback")
    _remove()  # a link left by a run that was killed
    ns = ("ip", "netns", "exec", NAMESPACE)
    try:
        _run("ip", "netns", "add", NAMESPACE)
        _run("ip", "link", "add", HOST_SIDE, "type", "veth", "peer", "name", HUB_SIDE)
        _run("ip", "link", "set", HUB_SIDE, "netns", NAMESPACE)
        _run("ip", "addr", "add", f"{KIOSK_IP}/30", "dev", HOST_SIDE)
        _run(*ns, "ip", "addr", "add", f"{HUB_IP}/30", "dev", HUB_SIDE)
        for prefix, dev in (((), HOST_SIDE), (ns, HUB_SIDE)):
            _run(*prefix, "ip", "link", "set", dev, "up")
            _run(*prefix, "tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate", rate,
                 "burst", BURST, "latency", "50ms")  # fmt: skip
        _run(*ns, "ip", "link", "set", "lo", "up")
        yield Link(rate, HUB_IP, ns)
    finally:
        _remove()
