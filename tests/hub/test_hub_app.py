"""The hub's API: who may call what, the OpenAPI description, codes and letters, and
`kiosk-hub serve` as a process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys

import httpx
import pytest
from sqlalchemy import select

from hub.clients import Role, enrol
from hub.keys import ensure_keys, feed_public_key
from hub.schema import AccreditationRow
from hub.tls import certificate_fingerprint, make_self_signed
from kiosk.codes import read_confirmation
from sync.protocol import CURSOR_AHEAD, SIGNATURE_HEADER, ProtocolError, read_answer, read_page
from sync.transport import certificate_mismatch, hub_transport


def call(site, token: str | None, method: str, path: str, **kw) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return site.http(method, path, headers=headers, **kw)


def test_each_role_reaches_only_its_calls(sqlite_site):
    site = sqlite_site
    counter, security = enrol(site.db, "G1", Role.COUNTER), enrol(site.db, "SEC1", Role.SECURITY)
    office = enrol(site.db, "OFFICE", Role.OFFICE)
    feed = ("GET", "/v1/feed", {"params": {"nonce": "0123456789"}})
    status = ("POST", "/v1/office/status", {"json": {"accreditation_id": 1, "status": "denied"}})
    expected = {
        (None, "feed"): 401,
        ("wrong-token", "feed"): 401,
        (counter, "feed"): 200,
        (security, "feed"): 200,
        (office, "feed"): 403,
        (counter, "status"): 403,
        (security, "status"): 403,
        (office, "status"): 200,
    }
    calls = {"feed": feed, "status": status}
    for (token, name), code in expected.items():
        method, path, kw = calls[name]
        assert call(site, token, method, path, **kw).status_code == code, (token, name)
    deliver = call(site, office, "POST", "/v1/journal", json={"rows": []})
    assert deliver.status_code == 403


def test_the_api_describes_itself_and_answers_a_cursor_ahead(sqlite_site):
    site = sqlite_site
    spec = httpx.get(site.server.url + "/openapi.json").json()
    assert {"/v1/feed", "/v1/journal", "/v1/office/status", "/v1/office/conflicts"} <= set(
        spec["paths"]
    )
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert httpx.get(site.server.url + "/docs").status_code == 200
    token = enrol(site.db, "G1", Role.COUNTER)
    ahead = call(site, token, "GET", "/v1/feed", params={"nonce": "0123456789", "cursor": 10**9})
    assert ahead.status_code == 409
    # Signed for this kiosk and this request, over a domain no page is signed in.
    answer = read_answer(ahead.content, ahead.headers[SIGNATURE_HEADER], feed_public_key(site.db))
    assert (answer.answer, answer.kiosk, answer.nonce, answer.cursor) == (
        CURSOR_AHEAD,
        "G1",
        "0123456789",
        10**9,
    )
    assert "pull from 0" in ahead.json()["detail"]
    with pytest.raises(ProtocolError, match="signature"):
        read_page(ahead.content, ahead.headers[SIGNATURE_HEADER], feed_public_key(site.db))


def test_the_office_gets_confirmation_codes_and_letters(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    code = site.office("GET", "/v1/office/accreditations/1/code").json()["code"]
    assert read_confirmation(code, g1.kiosk.desk.keyring) == 1  # the key came by sync
    letter = site.office("GET", "/v1/office/accreditations/1/letter.pdf")
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    assert site.office("GET", "/v1/office/accreditations/999999/code").status_code == 404
    denied = {"accreditation_id": 1, "status": "denied", "reason": "not a journalist"}
    assert site.office("POST", "/v1/office/status", json=denied).status_code == 200
    refused = site.office("GET", "/v1/office/accreditations/1/letter.pdf")
    assert refused.status_code == 409, refused.text
    assert "denied" in refused.json()["detail"]  # no "confirmed" letter for it


def _serving(proc: subprocess.Popen) -> tuple[str, str]:
    """The base URL `kiosk-hub serve` says it listens on (it says so once bound), and all
    it said up to that."""
    said = ""
    for line in proc.stdout:
        said += line
        if " on http" in line:
            return line.split(" on ", 1)[1].split()[0], said
    pytest.fail(f"kiosk-hub serve ended without listening: {said}{proc.stderr.read()}")


def _serve(url: str, *args: str) -> subprocess.Popen:
    """`kiosk-hub serve` on a free port of the kernel's choosing (no port picked, then
    raced for by another test's server)."""
    serve = [sys.executable, "-m", "hub.cli", "serve", "--db", url, "--port", "0", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    pipe = subprocess.PIPE
    return subprocess.Popen(serve, stdout=pipe, stderr=pipe, text=True, env=env)


def _hub_file(tmp_path) -> str:
    from hub.database import HubDatabase

    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    ensure_keys(db := HubDatabase(url))
    db.close()
    return url


@pytest.mark.slow
def test_kiosk_hub_serve_runs_as_a_process(tmp_path):
    proc = _serve(_hub_file(tmp_path))
    try:
        base, _ = _serving(proc)
        assert base.startswith("http://127.0.0.1:") and not base.endswith(":0")
        assert httpx.get(f"{base}/v1/health", timeout=10).json()["ok"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0


@pytest.mark.slow
def test_a_port_in_use_or_an_unknown_host_is_refused_in_words(tmp_path):
    serve = [sys.executable, "-m", "hub.cli", "serve", "--db", _hub_file(tmp_path)]
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        in_use = subprocess.run(
            [*serve, "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert in_use.returncode == 1 and in_use.stdout == ""  # it never said it listened
    assert in_use.stderr.strip().endswith(
        f"kiosk-hub: cannot listen on 127.0.0.1 port {port}: Address already in use"
    )
    unknown = subprocess.run(
        [*serve, "--host", "no-such-host.invalid"], capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert "kiosk-hub: cannot listen on no-such-host.invalid port 8750: " in unknown.stderr


def test_out_of_range_ids_are_refused_not_errors(site):
    """Ids beyond 32 bits name nothing: 422 before the database, on SQLite and PostgreSQL."""
    huge = "99999999999999999999"
    for acc_id, code in ((huge, 422), ("0", 422), ("2147483647", 404)):
        for what in ("letter.pdf", "code"):
            path = f"/v1/office/accreditations/{acc_id}/{what}"
            assert site.office("GET", path).status_code == code, path
    for acc_id, code in ((int(huge), 422), (-1, 422), (2147483647, 404)):
        change = {"accreditation_id": acc_id, "status": "denied"}
        assert site.office("POST", "/v1/office/status", json=change).status_code == code
    counter = enrol(site.db, "G9", Role.COUNTER)
    params = {"nonce": "0123456789", "cursor": huge}
    assert call(site, counter, "GET", "/v1/feed", params=params).status_code == 422


def test_an_id_or_reason_that_is_not_plainly_one_is_refused_and_changes_nothing(sqlite_site):
    """true, "3" and 3.0 are no accreditation id (JSON's true once denied accreditation 1);
    a lone surrogate is no text (it was a 500 when stored). 422, and no status moves."""
    site = sqlite_site
    before = site.office("GET", "/v1/office/conflicts").json()
    with site.db.reading() as s:
        statuses = dict(s.execute(select(AccreditationRow.id, AccreditationRow.status)).all())
    for acc_id in (True, "3", 3.0):
        change = {"accreditation_id": acc_id, "status": "denied", "reason": "not an id"}
        answer = site.office("POST", "/v1/office/status", json=change)
        assert answer.status_code == 422, acc_id
    surrogate = b'{"accreditation_id": 3, "status": "denied", "reason": "x\\ud800"}'
    office = enrol(site.db, "OFFICE3", Role.OFFICE)
    headers = {"Authorization": f"Bearer {office}", "Content-Type": "application/json"}
    answer = site.http("POST", "/v1/office/status", content=surrogate, headers=headers)
    assert answer.status_code == 422
    (refused,) = answer.json()["detail"]  # where and why; what was sent is not echoed
    assert refused["loc"] == ["body", "reason"] and "input" not in refused
    with site.db.reading() as s:
        assert dict(s.execute(select(AccreditationRow.id, AccreditationRow.status)).all()) == (
            statuses
        )
    assert site.office("GET", "/v1/office/conflicts").json() == before


def test_office_request_bodies_are_bounded(sqlite_site):
    site = sqlite_site
    long_reason = {"accreditation_id": 1, "status": "denied", "reason": "x" * 2001}
    assert site.office("POST", "/v1/office/status", json=long_reason).status_code == 422
    padded = json.dumps({"accreditation_id": 1, "status": "denied", "pad": "x" * 100_000})
    office = enrol(site.db, "OFFICE2", Role.OFFICE)
    headers = {"Authorization": f"Bearer {office}", "Content-Type": "application/json"}
    url = site.server.url + "/v1/office/status"
    r = httpx.post(url, content=padded, headers=headers, timeout=10)
    assert r.status_code == 413 and "over 64 KB" in r.json()["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b" " * 10_000

    r = httpx.post(url, content=chunks(), headers=headers, timeout=10)
    assert r.status_code == 413 and "over 64 KB" in r.json()["detail"]
    with site.db.reading() as s:
        assert s.get(AccreditationRow, 1).status != "denied"


@pytest.mark.slow
def test_kiosk_hub_serve_runs_over_tls_as_a_process(tmp_path):
    from hub.database import utc_now

    url = _hub_file(tmp_path)
    cert, key = make_self_signed(tmp_path / "tls", ["127.0.0.1"], utc_now())
    other, _ = make_self_signed(tmp_path / "other", ["127.0.0.1"], utc_now())
    serve = [sys.executable, "-m", "hub.cli", "serve", "--db", url, "--port", "0"]
    wrong = subprocess.run(
        [*serve, "--cert", str(other), "--key", str(key)], capture_output=True, text=True
    )
    assert wrong.returncode != 0 and "does not belong to the certificate" in wrong.stderr
    proc = _serve(url, "--cert", str(cert), "--key", str(key))
    pinned = httpx.Client(transport=hub_transport(certificate_fingerprint(cert)), timeout=10)
    mispinned = httpx.Client(transport=hub_transport(certificate_fingerprint(other)), timeout=10)
    try:
        base, said = _serving(proc)
        assert base.startswith("https://127.0.0.1:")
        assert pinned.get(f"{base}/v1/health").json()["ok"] is True
        with pytest.raises(httpx.ConnectError) as refused:
            mispinned.get(f"{base}/v1/health")
        assert certificate_mismatch(refused.value) is not None
    finally:
        pinned.close()
        mispinned.close()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert certificate_fingerprint(cert)[:4].upper() in said.replace(":", "")
