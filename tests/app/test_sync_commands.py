"""`kiosk sync` as an operator runs it: enrol, one round, status, and a hub that is away."""

from __future__ import annotations

import json
import subprocess
import sys

from hub.clients import Role, enrol, enrolment


def kiosk(data, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )


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

    # The hub moved (or is down): the round fails, says why, and the status shows it.
    away = kiosk(data, "sync", "--once", "--hub", f"http://127.0.0.1:{unused_port}")
    assert away.returncode == 1 and "hub unreachable" in away.stderr
    shown = kiosk(data, "sync", "status").stdout
    assert "FAILED: hub unreachable" in shown and "outbox:       0" in shown
