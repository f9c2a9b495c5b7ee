"""Importing the office's CSCA trust list: certificates, folders, ICAO master lists."""

from __future__ import annotations

import stat

import pytest
from chip_passports import make_authority, master_list
from cryptography.hazmat.primitives.serialization import Encoding

from chip import trust


@pytest.fixture(scope="module")
def states():
    return [make_authority("UT", "Utopia Test CSCA"), make_authority("XA", "Atlantis CSCA")]


def test_pem_and_der_files_of_a_folder_are_imported_once(tmp_path, states):
    folder = tmp_path / "certs"
    folder.mkdir()
    (folder / "utopia.pem").write_bytes(states[0].csca_pem())
    (folder / "atlantis.der").write_bytes(states[1].csca.public_bytes(Encoding.DER))
    data = tmp_path / "data"
    report = trust.import_path(data, folder)
    assert sorted(report.added) == [
        "Atlantis CSCA, XA (from atlantis.der)",
        "Utopia Test CSCA, UT (from utopia.pem)",
    ]
    assert trust.import_path(data, folder).known and not trust.import_path(data, folder).added
    assert {c.subject for c in trust.load(data)} == {s.csca.subject for s in states}
    stored = trust.trust_dir(data)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in stored.iterdir())


def test_a_master_lists_certificates_are_imported(tmp_path, states):
    ml = tmp_path / "masterlist.ml"
    ml.write_bytes(master_list([s.csca for s in states], states[0]))
    report = trust.import_path(tmp_path / "data", ml)
    assert len(report.added) == 2 and not report.refused


def test_a_tampered_master_list_is_refused_whole(tmp_path, states):
    data = bytearray(master_list([s.csca for s in states], states[0]))
    data[-5] ^= 0x01
    ml = tmp_path / "masterlist.ml"
    ml.write_bytes(bytes(data))
    report = trust.import_path(tmp_path / "data", ml)
    assert not report.added and "signature" in report.refused[0]
    assert trust.load(tmp_path / "data") == []


def test_a_document_signer_or_junk_is_not_trusted(tmp_path, states):
    ds = tmp_path / "ds.pem"
    ds.write_bytes(states[0].ds.public_bytes(Encoding.PEM))
    junk = tmp_path / "notes.txt"
    junk.write_text("not a certificate")
    data = tmp_path / "data"
    assert trust.import_path(data, ds).refused == [
        "Utopia Test CSCA document signer, UT (from ds.pem): not a certificate authority"
    ]
    assert "neither a certificate" in trust.import_path(data, junk).refused[0]
    assert trust.load(data) == []
