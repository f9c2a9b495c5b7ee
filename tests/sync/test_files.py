"""Air-gapped transfer: a bundle from the hub into a kiosk that never went online, its
outbox back to the hub, and damaged files refused. The kiosk side runs the real `kiosk`
commands; `kiosk-hub` runs in this process."""

from __future__ import annotations

import io
import os
import subprocess
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.demo.build import mrz_text
from app.wiring import open_kiosk, read_mrz
from hub import schema as h
from hub.cli import main as hub_main
from kiosk.codes import Signer
from kiosk.model import BRUSSELS, Counter
from kiosk.store.database import Store
from sync.files import import_bundle, read_bundle, read_outbox, write_bundle
from sync.protocol import FeedSigner, ProtocolError, page_body
from sync.state import outbox_length, require_state
from tests import cli_process

DEMO_AT = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture
def hub(capsys, sqlite_site):
    """`kiosk-hub ARGS --db` the site's database: (exit code, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code, message = hub_main([*args, "--db", sqlite_site.db.url]), ""
        except SystemExit as stop:
            code, message = 1, str(stop.code)
        out, err = capsys.readouterr()
        return code, out, err + message

    return call


def test_bundle_in_and_outbox_out_on_a_usb_stick(sqlite_site, hub, tmp_path, monkeypatch):
    site, data, usb = sqlite_site, tmp_path / "offline-kiosk", tmp_path / "usb"
    usb.mkdir()

    def kiosk(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
        return cli_process.run(
            "app.cli", *args, "--data-dir", str(data), stdin=stdin, env={**os.environ, **env}
        )

    def status() -> tuple[int, int]:
        store = Store.in_dir(data)
        try:
            return require_state(store).cursor, outbox_length(store)
        finally:
            store.close()

    assert hub("enrol", "G1", "--role", "counter", "--out", str(usb / "G1.json"))[0] == 0
    assert kiosk("sync", "enrol", str(usb / "G1.json")).returncode == 0
    # Its clerk's account is made at the hub and travels in the bundle (PIN from stdin).
    monkeypatch.setattr("sys.stdin", io.StringIO("5150\n"))
    assert hub("staff", "add", "anna", "--role", "clerk")[0] == 0
    bundle = usb / "to-G1.bundle"
    assert hub("export-bundle", "--kiosk", "G1", "--out", str(bundle))[0] == 0

    # A bundle altered on the way, or cut short, is refused and changes nothing.
    raw = bundle.read_bytes()
    altered = tmp_path / "altered.bundle"
    altered.write_bytes(raw.replace(b'"approved"', b'"revoked" ', 1))  # the same length
    refused = kiosk("import-bundle", str(altered))
    assert refused.returncode != 0
    assert "nothing changed" in refused.stderr and "signature" in refused.stderr
    cut = tmp_path / "cut.bundle"
    cut.write_bytes(raw[: len(raw) // 2])
    store = Store.in_dir(data)
    with pytest.raises(ProtocolError, match="incomplete"):
        import_bundle(store, cut)
    store.close()
    assert status() == (0, 0)

    done = kiosk("import-bundle", str(bundle))
    assert done.returncode == 0, done.stderr
    cursor, _ = status()
    assert cursor > 0

    # The counter works on what the bundle brought: its clerk, from the hub, issues a
    # badge; an account of its own is refused (it is enrolled).
    added = kiosk("staff", "add", "bo", "--role", "clerk", "--pin-stdin", stdin="5150\n")
    assert added.returncode == 1 and "accounts come from the office's hub" in added.stderr
    entry = site.entry("approved_ministerial")
    # At the demo's day, so in this process: `kiosk issue --at` is for demo worlds only.
    counter = open_kiosk(data, Counter.GROUPS, kiosk_id="G1", clock=lambda: DEMO_AT)
    try:
        anna = counter.staff.sign_in("anna", "5150")
        code, mrz = site.code(entry.accreditation.id), read_mrz(mrz_text(entry.presented))
        serial = counter.desk.issue(code, mrz, anna).badge.serial
    finally:
        counter.close()
    _, waiting = status()
    assert waiting > 0

    outbox = usb / "from-G1.outbox"
    assert kiosk("export-outbox", str(outbox)).returncode == 0
    forged = tmp_path / "forged.outbox"
    forged.write_bytes(outbox.read_bytes().replace(b'"anna"', b'"mallory"'))
    code, _, err = hub("import-outbox", str(forged))
    assert code == 1 and "not authentic" in err
    assert (
        f"received {waiting} journal row(s), 0 held already" in hub("import-outbox", str(outbox))[1]
    )
    assert (
        f"received 0 journal row(s), {waiting} held already" in hub("import-outbox", str(outbox))[1]
    )
    with site.db.reading() as s:
        assert s.get(h.BadgeRow, serial).kiosk_id == "G1"
        count = select(func.count()).where(h.JournalRow.kiosk_id == "G1")
        assert s.scalar(count) == waiting
        # The file brought the journal's sealed head; the hub found it whole.
        seen = s.get(h.JournalHeadRow, "G1")
        last = s.scalar(
            select(func.max(h.JournalRow.journal_id)).where(h.JournalRow.kiosk_id == "G1")
        )
        assert (seen.journal_id, seen.problem) == (last, "")
        assert s.scalar(select(func.count()).select_from(h.ConflictRow)) == 0

    # The next bundle tells the kiosk the hub holds its journal, and brings its badge back.
    bundle2 = usb / "to-G1-2.bundle"
    assert (
        hub("export-bundle", "--kiosk", "G1", "--since", str(cursor), "--out", str(bundle2))[0] == 0
    )
    assert kiosk("import-bundle", str(bundle2)).returncode == 0
    later, left = status()
    assert left == 0 and later > cursor
    code, _, err = hub(
        "export-bundle", "--kiosk", "G1", "--since", "999999", "--out", str(tmp_path / "x.bundle")
    )
    assert code == 1 and "ahead" in err
    assert not (tmp_path / "x.bundle").exists()


def bundle_bytes(tmp_path) -> tuple[bytes, bytes]:
    """A genuine one-page bundle for G1 (its bytes) and the feed key it verifies with."""
    key = Signer.generate(0)
    body = page_body(
        **dict(hub="hub-1", kiosk="G1", nonce="bundle-1", at=DEMO_AT, head=3, more=False),
        **dict(cursor_from=0, cursor_to=3, received_up_to=0, entities={}),
    )
    made = tmp_path / "made.bundle"
    write_bundle(made, {"kiosk": "G1"}, [(body, FeedSigner(key.private_bytes()).sign(body))])
    return made.read_bytes(), key.public_bytes()


@pytest.fixture
def pipe_writer(tmp_path):
    """`write(data)`: a named pipe a thread writes `data` into once a reader opens it."""
    made: list[tuple[Path, threading.Thread]] = []

    def write(data: bytes) -> Path:
        path = tmp_path / f"pipe{len(made)}"
        os.mkfifo(path)
        writer = threading.Thread(target=path.write_bytes, args=(data,), daemon=True)
        writer.start()
        made.append((path, writer))
        return path

    yield write
    for path, writer in made:  # a reader that never came: be one, so the writer ends
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        writer.join(60)
        os.close(reader)


@pytest.mark.parametrize("kind", ["bundle", "outbox"])
@pytest.mark.parametrize("where", ["pipe", "device"])
def test_a_bundle_or_outbox_file_that_is_a_pipe_or_a_device_is_refused_unread(
    tmp_path, pipe_writer, kind, where
):
    """A pipe hung `kiosk import-bundle` (and `kiosk-hub import-outbox`) and a link to
    /dev/zero filled the memory; here the pipe holds a genuine bundle, /dev/null nothing."""
    data, hub_key = bundle_bytes(tmp_path)
    path = pipe_writer(data) if where == "pipe" else Path("/dev/null")
    with pytest.raises(ProtocolError, match=f"{path} is not a regular file: a.* file"):
        read_bundle(path, hub_key, "G1") if kind == "bundle" else read_outbox(path)


def test_a_bundle_that_cannot_be_written_whole_leaves_no_half_file(tmp_path):
    # A disk filling up mid-bundle ended `kiosk-hub export-bundle` in a traceback (the
    # error named no file) and left the half bundle beside it.
    out = tmp_path / "G1.bundle"

    def pages():
        yield b"{}", "sig"
        raise OSError(28, "No space left on device")  # what a full disk's write raises

    with pytest.raises(OSError) as err:
        write_bundle(out, {"kiosk_id": "G1"}, pages())
    assert (err.value.filename, err.value.strerror) == (str(out), "No space left on device")
    assert not out.exists()
    (tmp_path / "other.bundle").write_text("an operator's file")
    with pytest.raises(FileExistsError):
        write_bundle(tmp_path / "other.bundle", {}, iter(()))
    assert (tmp_path / "other.bundle").read_text() == "an operator's file"  # never removed
