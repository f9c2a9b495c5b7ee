"""The CSCA trust list kept by the hub: imported there, sent to counters by the signed
feed, checked again by each kiosk, and verifying a real chip at a counter."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chip_passports import make_authority, make_passport
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from app.cli import main as kiosk_main
from app.wiring import chip_reader
from chip import trust
from hub import csca
from hub.cli import main
from hub.clients import Role
from hub.database import HubDatabase, allocate, utc_now
from hub.schema import SCHEMA_VERSION, CscaRow
from kiosk.chip_check import ChipStatus
from kiosk.store.schema import CscaRow as KioskCscaRow
from kiosk.store.schema import SyncStateRow
from scanning import mrz
from sync.client import SyncError
from sync.protocol import join_page, split_page


def _pem(folder: Path, authority, name: str = "csca.pem") -> Path:
    path = folder / name
    path.write_bytes(authority.csca_pem())
    return path


def _trusted(station) -> set[x509.Name]:
    return {c.subject for c in trust.load(station.site.tmp / "none", station.store)}


def _ca(folder: Path, name: str, *, days: int = 3650, country: str | None = "UT") -> Path:
    """A self-made CA certificate (expired when `days` is negative), as a PEM file."""
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(x509.NameOID.COMMON_NAME, name)]
    if country:
        attrs.append(x509.NameAttribute(x509.NameOID.COUNTRY_NAME, country))
    subject, now = x509.Name(attrs), datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=4000))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = folder / f"{name}.pem"
    path.write_bytes(cert.public_bytes(Encoding.PEM))
    return path


def test_a_csca_imported_at_the_hub_reaches_a_counter_after_one_sync_and_verifies_a_chip(
    sqlite_site, reader, tmp_path, capsys
):
    site = sqlite_site
    station = site.kiosk("G1")
    authority = make_authority()
    assert main(["chip-trust", "import", str(_pem(tmp_path, authority)), "--db", site.db.url]) == 0
    assert "1 added" in capsys.readouterr().out
    assert _trusted(station) == set()  # nothing arrives before the next sync
    station.sync()
    assert _trusted(station) == {authority.csca.subject}
    passport = make_passport(authority)
    reader.insert(passport.files, passport.holder.mrz())
    read = chip_reader(site.tmp / "G1", station.store).read
    printed = mrz.parse(passport.holder.mrz(), today=utc_now().date()).to_id_reading()
    chip = read(printed)
    assert chip.status is ChipStatus.VERIFIED, chip.detail
    assert chip.issuer == "Utopia Test CSCA, UT"


def test_a_csca_removed_at_the_hub_leaves_counters_and_their_own_imports_stay(
    site, tmp_path, capsys
):
    utopia, atlantis, local = (make_authority(c, f"{c} CSCA") for c in ("UT", "XA", "XB"))
    folder = tmp_path / "list"
    folder.mkdir()
    _pem(folder, utopia, "ut.pem"), _pem(folder, atlantis, "xa.pem")
    counter, post = site.kiosk("G1"), site.kiosk("SEC1", Role.SECURITY)
    own = trust.import_path(site.tmp / "G1", _pem(tmp_path, local))  # the kiosk's own
    assert own.added
    assert csca.import_path(site.db, folder, utc_now()).added
    counter.sync(), post.sync()
    both = {utopia.csca.subject, atlantis.csca.subject}
    assert {c.subject for c in trust.load(site.tmp / "G1", counter.store)} == both | {
        local.csca.subject
    }
    assert _trusted(post) == set()  # a security post reads no chips: it is not sent the list
    assert kiosk_main(["chip", "trust", "list", "--data-dir", str(site.tmp / "G1")]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert sorted(line.split()[1] for line in listing[:-1]) == ["hub", "hub", "kiosk"]
    assert listing[-1] == "3 trusted."
    fingerprint = hashlib.sha256(utopia.csca.public_bytes(Encoding.DER)).hexdigest()
    assert main(["chip-trust", "remove", fingerprint[:12], "--db", site.db.url]) == 0
    assert "removed: counters stop trusting it" in capsys.readouterr().out
    counter.sync()
    assert {c.subject for c in trust.load(site.tmp / "G1", counter.store)} == {
        atlantis.csca.subject,
        local.csca.subject,
    }
    assert main(["chip-trust", "list", "--db", site.db.url]) == 0
    listing = capsys.readouterr().out
    assert "removed" in listing and "XA CSCA" in listing
    again = csca.import_path(site.db, folder, utc_now())  # imported again: trusted again
    assert len(again.added) == 1 and len(again.known) == 1
    counter.sync()
    assert _trusted(counter) == both


def test_what_is_no_csca_is_refused_at_the_hub_with_the_reason_and_nothing_changes(
    sqlite_hub_db, tmp_path, capsys
):
    authority = make_authority()
    folder = tmp_path / "offered"
    folder.mkdir()
    _ca(folder, "Old CSCA", days=-1)
    _ca(folder, "Stateless CSCA", country=None)
    (folder / "signer.pem").write_bytes(authority.ds.public_bytes(Encoding.PEM))
    (folder / "notes.txt").write_text("not a certificate")
    url = sqlite_hub_db.url
    assert main(["chip-trust", "import", str(folder), "--db", url]) == 1
    err = capsys.readouterr().err
    assert "Old CSCA, UT (from Old CSCA.pem): expired on" in err
    assert "Stateless CSCA (from Stateless CSCA.pem): its subject names no country" in err
    assert "(from signer.pem): not a certificate authority" in err
    assert "notes.txt: neither a certificate nor a CSCA master list" in err
    assert csca.list_cscas(sqlite_hub_db) == []
    assert main(["chip-trust", "import", str(tmp_path / "absent.pem"), "--db", url]) == 1
    assert "does not exist; nothing was done" in capsys.readouterr().err
    assert main(["chip-trust", "remove", "abc", "--db", url]) == 1
    assert "at least 8 hex digits" in capsys.readouterr().err


class InjectCsca:
    """A man in the middle on the hub's link: adds a CSCA of its own to every feed page,
    the hub's signature header left as it was."""

    def __init__(self, row: dict) -> None:
        self.app = None
        self.row = row
        self.active = False

    async def __call__(self, scope, receive, send):
        if not self.active or scope["type"] != "http" or scope["path"] != "/v1/feed":
            return await self.app(scope, receive, send)
        start: dict = {}
        chunks: list[bytes] = []

        async def altered(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if start["status"] == 200:
                page, blobs = split_page(body)
                der = self.row["der"]  # its certificate goes after the page's bytes
                page["csca"].append({**self.row, "der": [len(blobs), len(der)]})
                body = join_page(page, bytes(blobs) + der)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", b"%d" % len(body))]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, altered)


def _wire(der: bytes) -> dict:
    return {"fingerprint": hashlib.sha256(der).hexdigest(), "der": der, "removed_at": None}


def test_a_csca_slipped_into_the_feed_on_the_way_is_refused_and_nothing_applies(
    sqlite_hub_db, site_factory
):
    forger = make_authority("UT", "Utopia Test CSCA")  # the forger's own, same name
    injector = InjectCsca(_wire(forger.csca.public_bytes(Encoding.DER)))
    site = site_factory(sqlite_hub_db, wrap=lambda app: setattr(injector, "app", app) or injector)
    station = site.kiosk("G1")  # enrolled and synced while the link was clean
    injector.active = True
    with station.store.reading() as s:
        cursor = s.get(SyncStateRow, 1).cursor
    site.revoke(site.entries[0].accreditation.id)  # something new to pull
    with pytest.raises(SyncError, match="signature does not verify"):
        station.sync()
    assert _trusted(station) == set()
    with station.store.reading() as s:
        assert s.get(SyncStateRow, 1).cursor == cursor


def test_a_feed_row_that_is_no_csca_is_refused_by_the_kiosk_and_the_rest_applies(
    sqlite_site, tmp_path
):
    site = sqlite_site
    station = site.kiosk("G1")
    authority, good = make_authority(), make_authority("XA", "Atlantis CSCA")
    signer_der = authority.ds.public_bytes(Encoding.DER)  # a document signer: no CA
    good_der = good.csca.public_bytes(Encoding.DER)
    with site.db.writing() as s:  # rows a hub should never have held
        for der, fingerprint in (
            (signer_der, hashlib.sha256(signer_der).hexdigest()),
            (authority.csca.public_bytes(Encoding.DER), "0" * 64),  # not its fingerprint
            (good_der, hashlib.sha256(good_der).hexdigest()),
        ):
            s.add(
                CscaRow(
                    fingerprint=fingerprint,
                    der=der,
                    subject="x",
                    country="UT",
                    not_after=utc_now(),
                    added_at=utc_now(),
                    seq=allocate(s),
                )
            )
    done = station.sync()
    assert done.entities >= 1
    with station.store.reading() as s:
        kept = list(s.scalars(select(KioskCscaRow.der)))
    assert kept == [good_der]


def test_a_version_7_hub_gains_the_trust_list_in_place(tmp_path):
    path = tmp_path / "hub.sqlite3"
    HubDatabase(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as con:  # as a version 7 hub left it
        con.execute("DROP TABLE csca")
        con.execute("UPDATE hub_meta SET value = '7' WHERE key = 'schema_version'")
    db = HubDatabase(f"sqlite:///{path}")
    try:
        assert csca.import_path(db, _pem(tmp_path, make_authority()), utc_now()).added
    finally:
        db.close()
    with sqlite3.connect(path) as con:
        version = con.execute("SELECT value FROM hub_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (SCHEMA_VERSION,)
