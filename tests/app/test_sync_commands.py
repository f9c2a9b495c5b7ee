"""`kiosk sync` as an operator runs it: enrol, one round, status, a hub that is away,
TLS with the pinned certificate, and plain http only where the operator allowed it."""

from __future__ import annotations

import base64
import json
import os
import subprocess

import pytest

from app.cli import main as cli_main
from hub.clients import Role, enrol, enrolment
from sync.transport import format_fingerprint
from tests import cli_process


def kiosk(data, *args: str) -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(data), timeout=120)


def _lines(proc: subprocess.Popen, count: int, timeout: float = 60) -> list[str]:
    """The first `count` lines `proc` prints, fewer if they do not come within `timeout`
    seconds (read in a thread: a process that says less must not hang the test)."""
    import threading

    lines: list[str] = []

    def read() -> None:
        while len(lines) < count and (line := proc.stdout.readline()):
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[:count]


def test_enrol_sync_once_and_status(sqlite_site, tmp_path, unused_port):
    site, data = sqlite_site, tmp_path / "kiosk"
    refused = kiosk(data, "sync", "--once")
    assert refused.returncode != 0 and "kiosk sync enrol FILE" in refused.stderr
    good = tmp_path / "G1.json"
    token = enrol(site.db, "G1", Role.COUNTER)
    good.write_text(json.dumps(enrolment(site.db, "G1", Role.COUNTER, token, site.server.url)))
    assert "enrolled as G1 (counter)" in kiosk(data, "sync", "enrol", str(good)).stdout

    once = kiosk(data, "sync", "--once")
    assert once.returncode == 0, once.stderr
    assert "pulled up to change" in once.stdout and "outbox 0" in once.stdout
    status = json.loads(kiosk(data, "sync", "status", "--json").stdout)
    assert status["kiosk"] == "G1" and status["cursor"] > 0 and status["last_error"] == ""

    # An address no hub answers at (mistyped, or the hub is down): the round fails, says
    # why, the status shows it, and the address held before stays (it was remembered).
    away = kiosk(data, "sync", "--once", "--hub", f"http://127.0.0.1:{unused_port}")
    assert away.returncode == 1 and "hub unreachable" in away.stderr
    assert f"the hub's address stays {site.server.url}" in away.stderr
    shown = kiosk(data, "sync", "status").stdout
    assert "FAILED: hub unreachable" in shown and "outbox:       0" in shown
    assert json.loads(kiosk(data, "sync", "status", "--json").stdout)["hub"] == site.server.url
    assert kiosk(data, "sync", "--once").returncode == 0


@pytest.mark.parametrize("transport", ["https"])
def test_a_kiosk_syncs_over_tls_with_the_pin_from_its_enrolment_file(sqlite_site, tmp_path):
    site, data = sqlite_site, tmp_path / "kiosk"
    file = tmp_path / "G1.json"
    token = enrol(site.db, "G1", Role.COUNTER)
    file.write_text(json.dumps(site.enrolment("G1", Role.COUNTER, token)))
    assert "enrolled as G1" in kiosk(data, "sync", "enrol", str(file)).stdout
    once = kiosk(data, "sync", "--once")
    assert once.returncode == 0, once.stderr
    shown = kiosk(data, "sync", "status").stdout
    assert f"TLS, hub certificate pinned (SHA-256 {format_fingerprint(site.server.pin)})" in shown
    assert "WARNING" not in shown
    facts = json.loads(kiosk(data, "sync", "status", "--json").stdout)
    assert (facts["hub_cert_sha256"], facts["allow_plain_http"]) == (site.server.pin, False)

    # Enrolled with another certificate than the one the hub shows: refused, and said.
    other = tmp_path / "other.json"
    other.write_text(json.dumps(json.loads(file.read_text()) | {"hub_cert_sha256": "ab" * 32}))
    kiosk(data, "sync", "enrol", str(other))
    refused = kiosk(data, "sync", "--once")
    assert refused.returncode == 1 and "nothing was sent" in refused.stderr
    assert (
        "REFUSED: the hub's certificate is not the pinned one"
        in kiosk(data, "sync", "status").stdout
    )


def test_plain_http_beyond_loopback_takes_the_operators_word_and_is_warned_about(
    sqlite_site, tmp_path
):
    site, data = sqlite_site, tmp_path / "kiosk"
    file = tmp_path / "G1.json"
    token = enrol(site.db, "G1", Role.COUNTER)
    content = enrolment(site.db, "G1", Role.COUNTER, token, "http://hub.office.invalid:8750")
    file.write_text(json.dumps(content))
    refused = kiosk(data, "sync", "enrol", str(file))
    assert refused.returncode != 0 and "plain http to hub.office.invalid refused" in refused.stderr
    assert "holds no kiosk store" in kiosk(data, "sync", "status").stderr

    allowed = kiosk(data, "sync", "enrol", str(file), "--allow-plain-http")
    assert allowed.returncode == 0, allowed.stderr
    shown = kiosk(data, "sync", "status").stdout
    assert "transport:    plain http" in shown
    assert "WARNING: plain http beyond this machine is allowed" in shown
    assert json.loads(kiosk(data, "sync", "status", "--json").stdout)["allow_plain_http"]


def test_moving_to_plain_http_elsewhere_is_refused_before_any_round(sqlite_site, tmp_path):
    site, data = sqlite_site, tmp_path / "kiosk"
    file = tmp_path / "G1.json"
    token = enrol(site.db, "G1", Role.COUNTER)
    file.write_text(json.dumps(enrolment(site.db, "G1", Role.COUNTER, token, site.server.url)))
    kiosk(data, "sync", "enrol", str(file))
    moved = kiosk(data, "sync", "--once", "--hub", "http://192.0.2.7:8750")
    assert moved.returncode != 0 and "plain http to 192.0.2.7 refused" in moved.stderr
    facts = json.loads(kiosk(data, "sync", "status", "--json").stdout)
    assert (facts["hub"], facts["last_sync_at"]) == (site.server.url, None)


def test_status_warns_of_a_clock_found_ahead_and_says_when_in_step(sqlite_site, tmp_path):
    from datetime import timedelta

    from hub.database import utc_now
    from kiosk.store.database import Store
    from sync.client import SyncClient

    site, data = sqlite_site, tmp_path / "kiosk"
    file = tmp_path / "G1.json"
    token = enrol(site.db, "G1", Role.COUNTER)
    file.write_text(json.dumps(site.enrolment("G1", Role.COUNTER, token)))
    assert "enrolled as G1" in kiosk(data, "sync", "enrol", str(file)).stdout
    assert "clock:        not measured yet" in kiosk(data, "sync", "status").stdout
    assert kiosk(data, "sync", "--once").returncode == 0  # this machine's clock: in step
    shown = kiosk(data, "sync", "status").stdout
    assert "clock:        in step with the hub's (" in shown and "WARNING" not in shown

    store = Store.in_dir(data)  # the same kiosk, its clock 3 hours ahead
    client = SyncClient(store, lambda: utc_now() + timedelta(hours=3))
    try:
        client.sync_once()
    finally:
        client.close()
        store.close()
    shown = kiosk(data, "sync", "status").stdout
    assert (
        "WARNING: This kiosk's clock is 3 h 00 min ahead of the hub's: dates and opening "
        "hours may be judged wrong. Ask IT to set the clock. (Measured " in shown
    )  # measured "3 hours from now" by this process's clock: it says when
    facts = json.loads(kiosk(data, "sync", "status", "--json").stdout)["clock"]
    assert facts["off"] and 3 * 3600 <= facts["ahead_high_s"] < 3 * 3600 + 30
    assert facts["warning"].startswith("This kiosk's clock is 3 h 00 min ahead")


def test_once_and_the_loop_warn_of_a_clock_off_the_hubs(sqlite_site, tmp_path):
    """An operator syncing by hand, or leaving `kiosk sync` running, is told what the screen
    would show: this kiosk's clock is hours off the hub's (here the hub's runs 3 h late)."""
    import os
    import signal
    import sys
    from datetime import timedelta

    from hub.app import create_app
    from hub.database import utc_now
    from tests.site_fixtures import HubServer

    site, data = sqlite_site, tmp_path / "kiosk"
    file = tmp_path / "G1.json"
    file.write_text(
        json.dumps(site.enrolment("G1", Role.COUNTER, enrol(site.db, "G1", Role.COUNTER)))
    )
    assert kiosk(data, "sync", "enrol", str(file)).returncode == 0
    in_step = kiosk(data, "sync", "--once")
    assert in_step.returncode == 0 and "WARNING" not in in_step.stdout + in_step.stderr

    late = HubServer(site.db, create_app(site.db, lambda: utc_now() - timedelta(hours=3)))
    late.start()
    try:
        once = kiosk(data, "sync", "--once", "--hub", late.url)
        assert once.returncode == 0, once.stderr
        assert once.stderr.startswith(
            "WARNING: This kiosk's clock is 3 h 00 min ahead of the hub's: dates and opening "
            "hours may be judged wrong. Ask IT to set the clock."
        )
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        loop = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "sync", "--interval", "1", "--data-dir", str(data)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            said = _lines(loop, 2)
        finally:
            loop.send_signal(signal.SIGTERM)
            rest, errors = loop.communicate(timeout=60)
    finally:
        late.stop()
    assert len(said) == 2 and said[0].startswith("online "), (said, errors)
    assert "outbox 0" in said[0] and said[1].startswith(
        "WARNING: This kiosk's clock is 3 h 00 min ahead of the hub's"
    )
    assert loop.returncode == 0 and "stopping after the round under way" in rest


@pytest.mark.parametrize("interval", ["0", "-1", "nan", "1e300"])
def test_an_interval_that_is_no_wait_is_refused_in_a_sentence(tmp_path, interval):
    # 0 or less made every retry a tight loop; past TIMEOUT_MAX the thread's wait died.
    data = tmp_path / "kiosk"  # in this process: a sentence, not a traceback
    with pytest.raises(SystemExit, match="is not a wait between rounds: give a positive"):
        cli_main(["sync", "--interval", interval, "--data-dir", str(data)])
    assert not data.exists()  # refused before anything was created


def test_a_counters_enrolment_file_without_its_document_key_is_refused(sqlite_site, tmp_path):
    # Accepted before: the counter then refused every applicant found by search.
    site, data = sqlite_site, tmp_path / "kiosk"
    content = enrolment(site.db, "G7", Role.COUNTER, enrol(site.db, "G7", Role.COUNTER), "")
    del content["document_key"]
    bad = tmp_path / "G7.json"
    bad.write_text(json.dumps(content | {"hub_url": site.server.url}))
    refused = kiosk(data, "sync", "enrol", str(bad))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "lacks document_key, which a counter needs" in refused.stderr
    assert not (data / "kiosk.sqlite3").exists()


@pytest.mark.parametrize("kind", ["pipe", "large"])
def test_enrol_refuses_a_pipe_or_a_file_far_larger_than_an_enrolment(tmp_path, kind):
    # A pipe hung the command; a link to /dev/zero grew it until the OOM killer came.
    data, given = tmp_path / "kiosk", tmp_path / "G1.json"
    if kind == "pipe":
        os.mkfifo(given)  # refused before it is opened: no writer needed
    else:
        given.write_bytes(b" " * (64 * 1024) + b"{}")
    refused = kiosk(data, "sync", "enrol", str(given))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    said = "is not a regular file" if kind == "pipe" else "larger than an enrolment file can be"
    assert said in refused.stderr


def _counter_file(site, tmp_path, kiosk_id: str, **change) -> str:
    """A counter's enrolment file as `kiosk-hub enrol` writes it, with `change` made."""
    token = enrol(site.db, kiosk_id, Role.COUNTER)
    content = enrolment(site.db, kiosk_id, Role.COUNTER, token, site.server.url) | change
    path = tmp_path / f"{kiosk_id}.json"
    path.write_text(json.dumps(content))
    return str(path)


def test_a_refused_enrolment_leaves_a_fresh_folder_as_it_was(sqlite_site, tmp_path):
    # A refused file left kiosk.sqlite3 and secrets/journal.key: the folder looked a kiosk's.
    empty, missing = tmp_path / "empty", tmp_path / "missing" / "kiosk"
    empty.mkdir()
    bad = _counter_file(sqlite_site, tmp_path, "G7", hub_key="***")
    for data in (empty, missing):
        refused = kiosk(data, "sync", "enrol", bad)
        assert refused.returncode != 0 and "hub_key is not base64" in refused.stderr
    assert list(empty.iterdir()) == [] and not missing.parent.exists()


def test_an_enrolment_failing_once_the_store_is_made_removes_what_it_made(sqlite_site, tmp_path):
    # A file named keys stands where the document key goes: the store exists by then.
    data = tmp_path / "kiosk"
    data.mkdir()
    (data / "keys").write_text("the clerk's")
    refused = kiosk(data, "sync", "enrol", _counter_file(sqlite_site, tmp_path, "G8"))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "not enrolled: cannot read the document key" in refused.stderr
    assert [p.name for p in data.iterdir()] == ["keys"]
    assert (data / "keys").read_text() == "the clerk's"


def _offline_file(tmp_path, hub_url: str) -> str:
    """A counter's enrolment file naming `hub_url` (enrolment reaches no hub)."""
    key = base64.b64encode(b"k" * 32).decode()
    content = {
        "format": "pass-office-enrolment/1",
        "hub_url": hub_url,
        "hub_id": "hub-1",
        "kiosk_id": "G1",
        "role": "counter",
        "token": "t" * 43,
        "hub_key": key,
        "document_key": base64.b64encode(b"d" * 32).decode(),
    }
    path = tmp_path / "G1.json"
    path.write_text(json.dumps(content))
    return str(path)


@pytest.mark.parametrize(
    "url, said",
    [
        ("http://127.0.0.1:99999", "the port is a number from 1 to 65535"),
        ("http://anna:s3cret@127.0.0.1:8750", "holds a user name or a password"),
    ],
)
def test_a_hub_address_kiosk_hub_enrol_would_refuse_is_refused_by_the_kiosk(
    tmp_path, capsys, url, said
):
    # An enrolment file or `--hub` with a port of 99999 or a password was taken: sync failed
    # only when it connected, and `sync status` showed the password.
    data = tmp_path / "kiosk"
    with pytest.raises(SystemExit, match=said):
        cli_main(["sync", "enrol", _offline_file(tmp_path, url), "--data-dir", str(data)])
    assert not data.exists()
    good = _offline_file(tmp_path, "http://127.0.0.1:8750")
    assert cli_main(["sync", "enrol", good, "--data-dir", str(data)]) == 0
    with pytest.raises(SystemExit, match=said):
        cli_main(["sync", "--once", "--hub", url, "--data-dir", str(data)])
    capsys.readouterr()
    assert cli_main(["sync", "status", "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["hub"] == "http://127.0.0.1:8750"
