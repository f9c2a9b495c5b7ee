"""The hub's certificate as an operator makes and uses it: `kiosk-hub tls init` (the key
readable by its owner only), its fingerprint as OpenSSL computes it, `serve`'s checks of
the pair, and enrolment files that carry the pin or refuse what a kiosk would refuse."""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import timedelta

import pytest
from cryptography import x509
from sqlalchemy import select

from hub.cli import main
from hub.database import HubDatabase, utc_now
from hub.schema import ClientRow
from hub.tls import TLSFilesInvalid, check_pair, make_self_signed, validity_warning
from sync.transport import format_fingerprint


def hub(tmp_path, *args: str) -> int:
    return main([*args, "--db", f"sqlite:///{tmp_path / 'hub.sqlite3'}"])


def openssl_fingerprint(cert) -> str:
    out = subprocess.run(
        ["openssl", "x509", "-in", str(cert), "-noout", "-fingerprint", "-sha256"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().split("=", 1)[1]


def test_tls_init_makes_a_key_only_its_owner_reads(tmp_path, capsys):
    out = tmp_path / "tls"
    hub(tmp_path, "tls", "init", "--out", str(out), "--host", "hub.office", "--host", "10.1.2.3")
    cert, key = out / "hub-cert.pem", out / "hub-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    shown = capsys.readouterr().out
    assert f"SHA-256     {openssl_fingerprint(cert)}" in shown  # what kiosks pin
    names = (
        x509.load_pem_x509_certificate(cert.read_bytes())
        .extensions.get_extension_for_class(x509.SubjectAlternativeName)
        .value
    )
    assert names.get_values_for_type(x509.DNSName) == ["hub.office"]
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["10.1.2.3"]
    hub(tmp_path, "tls", "fingerprint", str(cert))
    assert openssl_fingerprint(cert) in capsys.readouterr().out

    before = key.read_bytes()
    with pytest.raises(SystemExit, match="exists already"):
        hub(tmp_path, "tls", "init", "--out", str(out), "--host", "hub.office")
    assert key.read_bytes() == before  # never overwritten
    with pytest.raises(SystemExit, match="neither a host name nor an IP address"):
        hub(tmp_path, "tls", "init", "--out", str(tmp_path / "x"), "--host", "a b")


def test_serve_checks_the_pair_and_warns_about_its_dates(tmp_path):
    now = utc_now()
    cert, key = make_self_signed(tmp_path / "a", ["127.0.0.1"], now)
    short, short_key = make_self_signed(tmp_path / "b", ["127.0.0.1"], now, days=10)
    assert check_pair(cert, key) == openssl_fingerprint(cert).replace(":", "").lower()
    with pytest.raises(TLSFilesInvalid, match="does not belong"):
        check_pair(cert, short_key)
    with pytest.raises(TLSFilesInvalid, match="not a PEM certificate"):
        check_pair(key, key)
    with pytest.raises(TLSFilesInvalid, match="not an unencrypted PEM private key"):
        check_pair(cert, cert)
    assert validity_warning(cert, now) == ""
    assert "expires on" in validity_warning(short, now)
    assert "kiosks pinning it still sync" in validity_warning(short, now + timedelta(days=11))
    assert "valid only from" in validity_warning(short, now - timedelta(days=1))
    with pytest.raises(SystemExit, match="--cert and --key go together"):
        hub(tmp_path, "serve", "--cert", str(cert))
    with pytest.raises(SystemExit, match="does not belong"):
        hub(tmp_path, "serve", "--cert", str(cert), "--key", str(short_key))


def clients(tmp_path) -> list[str]:
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    with db.reading() as s:
        found = list(s.scalars(select(ClientRow.id)))
    db.close()
    return found


def test_the_enrolment_file_carries_the_pin_or_is_not_written(tmp_path):
    cert, _ = make_self_signed(tmp_path / "tls", ["hub.office"], utc_now())
    out = tmp_path / "G1.json"
    url = "https://hub.office:8750"
    hub(
        tmp_path,
        "enrol",
        "G1",
        "--role",
        "counter",
        "--url",
        url,
        "--cert",
        str(cert),
        "--out",
        str(out),
    )
    content = json.loads(out.read_text())
    assert format_fingerprint(content["hub_cert_sha256"]) == openssl_fingerprint(cert)
    assert "allow_plain_http" not in content

    # What a kiosk would refuse is refused here, before a token is made.
    for args, message in (
        (["--url", url], "is https: give --cert FILE, the certificate the hub serves"),
        (["--url", "http://hub.office:8750"], "plain http to hub.office refused"),
    ):
        with pytest.raises(SystemExit, match=message):
            hub(tmp_path, "enrol", "G2", "--role", "counter", "--out", str(tmp_path / "G2"), *args)
    assert clients(tmp_path) == ["G1"] and not (tmp_path / "G2").exists()

    plain = tmp_path / "V1.json"
    hub(
        tmp_path,
        "enrol",
        "V1",
        "--role",
        "counter",
        "--url",
        "http://hub.office:8750",
        "--allow-plain-http",
        "--out",
        str(plain),
    )
    assert json.loads(plain.read_text())["allow_plain_http"] is True


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://hub.office:99999", "'http://hub.office:99999': the port is a number from 1 to"),
        ("http://hub.office:0", "the port is a number from 1 to 65535"),
        ("http://hub.office:80a", "the port is a number from 1 to 65535"),
        ("https://anna:s3cret@hub.office", "holds a user name or a password, which a kiosk"),
        ("http://anna@hub.office:8750", "holds a user name or a password"),
        ("ftp://hub.office", "is not a hub address: it starts http:// or https://"),
        ("hub.office:8750", "is not a hub address: it starts http:// or https://"),
        ("https://:8750", "names no host (https://HOST:PORT)"),
        ("https://[::1:8750", "is not a hub address (https://HOST:PORT)"),
        ("http://hub.office:8750/?kiosk=G1", "holds a query or a fragment"),
        ("http://hub.office:8750/#top", "holds a query or a fragment"),
        ("http://hub.office:8750\n", "must be one line of text"),
    ],
)
def test_an_enrolment_url_no_kiosk_could_use_is_refused(tmp_path, capsys, url, why):
    """`enrol --url` took a port of 99999 and a password in the URL into the enrolment
    file (exploratory testing): refused now, before the database is opened."""
    out = tmp_path / "G1.json"
    with pytest.raises(SystemExit) as stopped:
        hub(tmp_path, "enrol", "G1", "--role", "counter", "--url", url, "--out", str(out))
    assert stopped.value.code == 2
    refusal = capsys.readouterr().err.splitlines()[-1]
    assert refusal.startswith("kiosk-hub enrol: error: argument --url: ") and why in refusal
    assert not out.exists() and not (tmp_path / "hub.sqlite3").exists()
