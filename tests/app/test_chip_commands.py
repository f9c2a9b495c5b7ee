"""`kiosk chip trust import` and `kiosk chip read`, as a shell runs them, against the
emulated passport chip on a private pcscd (tests/chip_fixtures.py)."""

from __future__ import annotations

import json
import subprocess

import pytest
from chip_passports import Holder, make_authority, make_passport

from kiosk.exports import recorded_exports
from tests import cli_process

pytestmark = pytest.mark.slow  # each command is a new process; the reader is a real pcscd

ADMIN = ["--admin", "admin", "--pin-stdin"]
ADMIN_PIN = "444444\n"


def kiosk(data_dir, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin=stdin)


@pytest.fixture(scope="module")
def authority():
    return make_authority()


def test_trust_import_needs_an_administrator(demo_dir, tmp_path, authority):
    pem = tmp_path / "csca.pem"
    pem.write_bytes(authority.csca_pem())
    clerk = kiosk(demo_dir, "chip", "trust", "import", str(pem), "--admin", "clerk",
                  "--pin-stdin", stdin="1111\n")  # fmt: skip
    assert clerk.returncode != 0 and "may not do this" in clerk.stderr
    assert not (demo_dir / "secrets" / "csca").exists()
    done = kiosk(demo_dir, "chip", "trust", "import", str(pem), *ADMIN, stdin=ADMIN_PIN)
    assert done.returncode == 0, done.stderr
    assert "added    Utopia Test CSCA, UT (from csca.pem)" in done.stdout
    missing = kiosk(demo_dir, "chip", "trust", "import", str(tmp_path / "nope"), *ADMIN)
    assert missing.returncode != 0 and "does not exist" in missing.stderr


def test_read_a_genuine_chip_then_one_that_differs_from_the_mrz(
    reader, demo_dir, tmp_path, authority
):
    pem = tmp_path / "csca.pem"
    pem.write_bytes(authority.csca_pem())
    kiosk(demo_dir, "chip", "trust", "import", str(pem), *ADMIN, stdin=ADMIN_PIN)
    passport = make_passport(authority, chip_auth="AES-128")
    reader.insert(passport.files, passport.holder.mrz(), ca_key=passport.ca_key)
    face = tmp_path / "face.jpg"
    out = kiosk(demo_dir, "chip", "read", "--mrz", passport.holder.mrz(), "--json",
                "--face", str(face))  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert report["status"] == "verified" and report["reason_en"].startswith("Chip verified")
    assert (report["chip_authentication"], report["active_authentication"]) == (True, None)
    assert face.read_bytes() == passport.face
    assert [e.path for e in recorded_exports(demo_dir)] == [face.resolve()]  # for the purge
    printed = Holder(surname="ERIKSON").mrz()  # same number and dates: the chip opens
    out = kiosk(demo_dir, "chip", "read", "--mrz", printed)
    assert out.returncode == 1
    assert "surname: chip ERIKSSON, printed ERIKSON" in out.stdout
    assert "nom : puce ERIKSSON, imprimé ERIKSON" in out.stdout


def test_read_without_a_reader_or_with_a_can_says_what_to_do(demo_dir, monkeypatch):
    monkeypatch.setenv("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm")
    mrz = Holder().mrz()
    out = kiosk(demo_dir, "chip", "read", "--mrz", mrz)
    assert out.returncode == 1
    assert out.stdout.startswith("No chip reader: the printed document is checked alone.")
    out = kiosk(demo_dir, "chip", "read", "--can", "12345")
    assert out.returncode != 0 and "six digits printed on the document" in out.stderr
    out = kiosk(demo_dir, "chip", "read", "--mrz", "P<UTOERIKSSON")
    assert out.returncode != 0 and "the MRZ given is not valid" in out.stderr


def test_read_a_pace_chip_with_its_can(reader, demo_dir, tmp_path, authority):
    pem = tmp_path / "csca.pem"
    pem.write_bytes(authority.csca_pem())
    kiosk(demo_dir, "chip", "trust", "import", str(pem), *ADMIN, stdin=ADMIN_PIN)
    passport = make_passport(authority, pace=True)
    reader.insert(passport.files, passport.holder.mrz(), can="271828")
    out = kiosk(demo_dir, "chip", "read", "--can", "271828", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads(out.stdout)
    assert (report["status"], report["access"]) == ("verified", "PACE")
    assert report["chip_mrz"] == passport.holder.mrz().replace("\n", "")
    out = kiosk(demo_dir, "chip", "read", "--can", "314159")
    assert out.returncode == 1
    assert out.stdout.startswith("The chip refused the card access number")
    assert "La puce a refusé le numéro d'accès à la carte" in out.stdout
    reader.clear()
    bac_only = make_passport(authority)
    reader.insert(bac_only.files, bac_only.holder.mrz())
    out = kiosk(demo_dir, "chip", "read", "--can", "271828")
    assert out.returncode == 1
    assert out.stdout.startswith("This chip does not take a card access number")
    assert "Cette puce n'accepte pas de numéro d'accès" in out.stdout
