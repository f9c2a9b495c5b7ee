"""Every printed badge carries a QR code that a security post verifies offline."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
from PIL import Image
from pyzbar.pyzbar import ZBarSymbol, decode

from app.wiring import open_kiosk, read_mrz
from kiosk.counter import load_keyring
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from kiosk.verify import verify_badge

ANN = Actor("ann", Role.CLERK)


def qr_of(pdf, tmp_path) -> str:
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(tmp_path / "card")],
        check=True,
    )
    found = decode(Image.open(tmp_path / "card.png"), symbols=[ZBarSymbol.QRCODE])
    assert len(found) == 1
    return found[0].data.decode()


def test_counter_prints_a_signed_badge_that_security_accepts(
    demo_dir, manifest, demo_now, tmp_path
):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        a = next(x for x in manifest["applicants"] if x["situation"] == "pool_photographer")
        done = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN)
        pdf = kiosk.printing.print_issued(done.badge.serial, ANN)
        code = qr_of(pdf, tmp_path)
        with kiosk.store.reading() as s:
            v = verify_badge(code, load_keyring(kiosk.store, "badge"), s, demo_now, "DEFMIN")
        assert v.valid and v.serial == done.badge.serial
        # The key stays with the kiosk, owner-only; the store holds its public half only.
        key_file = demo_dir / "keys" / "badge-G1.key"
        assert key_file.stat().st_mode & 0o077 == 0
        assert key_file.read_bytes()[1:] not in (demo_dir / "kiosk.sqlite3").read_bytes()
    finally:
        kiosk.close()


def test_a_second_kiosk_gets_its_own_key(demo_dir, demo_now):
    groups = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    visitors = open_kiosk(demo_dir, Counter.VISITORS, clock=lambda: demo_now)
    try:
        a, b = groups.desk.cards.signer(), visitors.desk.cards.signer()
        assert a.key_id != b.key_id and a.public_bytes() != b.public_bytes()
        assert len(load_keyring(groups.store, "badge")) >= 2
    finally:
        groups.close()
        visitors.close()


def test_a_badge_rendered_at_the_shell_is_signed_by_the_kiosk_that_issued_it(
    demo_dir, manifest, demo_now, tmp_path
):
    # `kiosk badge render` opened the Groups kiosk whatever the serial: a V1 badge's QR came
    # out signed with G1's key, and every post read it FORGED.
    from app.cli import main

    visitors = open_kiosk(demo_dir, Counter.VISITORS, clock=lambda: demo_now)
    try:
        a = next(x for x in manifest["applicants"] if x["situation"] == "approved_annual")
        serial = visitors.desk.issue(a["code"], read_mrz(a["mrz"]), ANN).badge.serial
    finally:
        visitors.close()
    assert serial.startswith("V1-")
    pdf = tmp_path / "v1.pdf"
    assert (
        main(
            ["badge", "render", "--serial", serial, "--out", str(pdf), "--data-dir", str(demo_dir)]
        )
        == 0
    )
    groups = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        with groups.store.reading() as s:
            keyring = load_keyring(groups.store, "badge")
            v = verify_badge(qr_of(pdf, tmp_path), keyring, s, demo_now, None)
        assert v.valid and v.serial == serial
    finally:
        groups.close()


def test_a_badge_of_another_kiosk_is_not_rendered_here(demo_dir, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "x.pdf"
    with sqlite3.connect(demo_dir / "kiosk.sqlite3") as db:  # a badge of X9, as sync brings
        row = db.execute("select * from badges limit 1").fetchone()
        names = [d[0] for d in db.execute("select * from badges limit 1").description]
        values = dict(zip(names, row, strict=True)) | {"serial": "X9-000001", "kiosk_id": "X9"}
        marks = ", ".join("?" for _ in values)
        db.execute(
            f"insert into badges ({', '.join(values)}) values ({marks})", list(values.values())
        )
    with pytest.raises(SystemExit, match="badge X9-000001 was issued at X9: its card is signed"):
        main(
            [
                "badge",
                "render",
                "--serial",
                "X9-000001",
                "--out",
                str(out),
                "--data-dir",
                str(demo_dir),
            ]
        )
    assert not out.exists()
