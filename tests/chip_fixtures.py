"""A real PC/SC stack for the chip tests: a private pcscd with vsmartcard's virtual
reader (vpcd) on its own port and socket, and test passports put on it by the card
emulator in tests/chip/chip_card.py.

pcscd runs in its own mount namespace with its own /run/pcscd, so parallel test runs
and a system pcscd do not collide. The client library reads PCSCLITE_CSOCK_NAME once per
process, so it is set when this plugin loads: before the fixture starts pcscd, the
tests see no reader at all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from site_fixtures import free_port

# Made when pcscd starts and removed when it stops; named now, before pyscard reads it.
SOCKET_DIR = Path(tempfile.gettempdir()) / f"kiosk-pcscd-{os.getpid()}"
os.environ["PCSCLITE_CSOCK_NAME"] = str(SOCKET_DIR / "pcscd.comm")
CARD_SCRIPT = Path(__file__).parent / "chip" / "chip_card.py"
VPCD_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"


def wait_for(
    condition: Callable[[], bool],
    what: str,
    timeout: float = 30,
    explain: Callable[[], str] = str,
) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{explain()}")
        time.sleep(0.02)


def _free_port_pair() -> int:
    """A port P with P + 1 free too: vpcd listens on one port per slot of its reader."""
    while True:
        port = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def _reader_state() -> tuple[bool, int]:
    """Whether pcscd shows the reader empty, and its count of card events so far.

    pcsc-lite keeps the count in the state's upper 16 bits and moves it when its event
    thread sees a card come or go (it asks vpcd about every 400 ms). The state itself
    reads empty as soon as a command fails on a vanished card, before that thread has
    seen the card go; a card put on before then is never reported.
    """
    from smartcard import scard

    rv, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if rv != scard.SCARD_S_SUCCESS:
        return False, -1
    try:
        rv, states = scard.SCardGetStatusChange(
            context, 0, [(PcscSite.READER, scard.SCARD_STATE_UNAWARE)]
        )
        if rv != scard.SCARD_S_SUCCESS:
            return False, -1
        return bool(states[0][1] & scard.SCARD_STATE_EMPTY), states[0][1] >> 16
    finally:
        scard.SCardReleaseContext(context)


def _card_present() -> bool:
    from chip import pcsc

    try:
        pcsc.connect(PcscSite.READER).close()
    except (pcsc.NoCard, pcsc.NoReader):
        return False
    return True


@dataclass
class PcscSite:
    """The private pcscd and the port its virtual reader waits on for a card."""

    READER = "Virtual PCD 00 00"
    port: int
    tmp: Path
    cards: list[subprocess.Popen] = field(default_factory=list)
    events_on: int = -1  # pcscd's card event count once the last card was on the reader

    def insert(
        self,
        files: dict[int, bytes],
        mrz: str,
        remove_after: int | None = None,
        aa_key: bytes | None = None,
        can: str | None = None,
        ca_key: bytes | None = None,
    ):
        """Put a passport on the reader (its files, the MRZ that opens it, its Active and
        Chip Authentication keys and its CAN if any); returns the emulator's process."""
        folder = Path(tempfile.mkdtemp(dir=self.tmp))
        for fid, data in files.items():
            (folder / f"{fid:04X}.bin").write_bytes(data)
        (folder / "mrz.txt").write_text(mrz.replace("\n", ""))
        if aa_key is not None:
            (folder / "aa_key.pem").write_bytes(aa_key)
        if can is not None:
            (folder / "can.txt").write_text(can)
        if ca_key is not None:
            (folder / "ca_key.pem").write_bytes(ca_key)
        cmd = [sys.executable, str(CARD_SCRIPT), str(folder), str(self.port)]
        if remove_after is not None:
            cmd += ["--remove-after", str(remove_after)]
        proc = subprocess.Popen(cmd)
        self.cards.append(proc)
        wait_for(
            lambda: proc.poll() is not None or _card_present(),
            "the card on the reader",
            explain=self._link_state,
        )
        assert proc.poll() is None, "the card emulator stopped"
        self.events_on = _reader_state()[1]
        return proc

    def _link_state(self) -> str:
        """The emulator's TCP link to vpcd and the reader's state, for a failure message."""
        sockets = subprocess.run(["ss", "-tanp"], capture_output=True, text=True).stdout
        links = [line for line in sockets.splitlines() if f":{self.port} " in line]
        empty, events = _reader_state()
        return "\n".join([*links, f"reader empty: {empty}, card events: {events}"])

    def clear(self) -> None:
        """Take every passport off the reader and wait until the reader sees it empty."""
        while self.cards:
            proc = self.cards.pop()
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=10)
        # Gone as pcscd's event thread sees it, not merely unanswering: a card put on
        # before that thread saw the last one go would never be reported (see
        # _reader_state); vpcd must also have let the last emulator's connection go.
        wait_for(self._emptied, "the card to leave the reader", explain=self._link_state)

    def _emptied(self) -> bool:
        empty, events = _reader_state()
        return empty and events > self.events_on


@contextlib.contextmanager
def running_pcscd(tmp: Path) -> Iterator[PcscSite]:
    """pcscd with one virtual reader in `tmp` (also used by bench/chip_read.py)."""
    from chip import pcsc

    port = _free_port_pair()
    SOCKET_DIR.mkdir(mode=0o700, exist_ok=True)
    conf = tmp / "reader.conf.d"
    conf.mkdir()
    (conf / "vpcd").write_text(
        f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:0x{port:X}\n'
        f"LIBPATH {VPCD_DRIVER}\nCHANNELID 0x{port:X}\n"
    )
    if os.geteuid() == 0:
        Path("/run/pcscd").mkdir(exist_ok=True)  # the mount point; pcscd's own is bound on it
        ns = ["unshare", "-m"]
    else:
        ns = ["unshare", "-Urm"]
    script = f'mount --bind "{SOCKET_DIR}" /run/pcscd && exec pcscd -f -c "{conf}"'
    log = (tmp / "pcscd.log").open("w")
    proc = subprocess.Popen([*ns, "sh", "-c", script], stdout=log, stderr=subprocess.STDOUT)
    site = PcscSite(port, tmp)
    try:
        log_text = lambda: (tmp / "pcscd.log").read_text()  # noqa: E731
        wait_for(
            lambda: proc.poll() is not None or bool(pcsc.reader_names()),
            "pcscd's reader",
            explain=log_text,
        )
        assert proc.poll() is None, log_text()
        yield site
    finally:
        site.clear()
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
        shutil.rmtree(SOCKET_DIR, ignore_errors=True)


@pytest.fixture(scope="module")
def pcsc_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscSite]:
    """pcscd with one virtual reader, for one test module (it is gone for the next, so
    screens elsewhere see no reader)."""
    with running_pcscd(tmp_path_factory.mktemp("pcsc")) as site:
        yield site


@pytest.fixture
def reader(pcsc_site: PcscSite) -> Iterator[PcscSite]:
    """The reader, emptied again after the test."""
    try:
        yield pcsc_site
    finally:
        pcsc_site.clear()
