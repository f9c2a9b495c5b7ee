"""A photo taken at one desk and approved there reaches the hub with its journal row,
then every kiosk; the hub takes only a photo that is the one named and meets the rules."""

from __future__ import annotations

import base64
import io

import cv2
import pytest
from PIL import Image
from sqlalchemy import select

from app.cli import main as kiosk_main
from hub import schema as h
from hub.cli import main as hub_main
from hub.clients import Client, Role
from hub.database import utc_now
from hub.desk_photos import photo_changes
from hub.receive import receive
from kiosk.desk_photos import PhotoRefused, replace_photo, sha256
from kiosk.roles import AccessDenied, Actor
from kiosk.roles import Role as StaffRole
from kiosk.store import schema as k
from kiosk.store.database import Store
from scanning.camera import FolderSource
from scanning.desk_photo import take_photo
from sync.outbox import journal_head, pending
from tests.face_photo import counter_frame

CLERK = Actor("Cleo Clerk", StaffRole.CLERK)
CHIEF = Actor("Sam Super", StaffRole.SUPERVISOR)


def taken(tmp_path, seed: int) -> bytes:
    """A photo taken with the counter camera (a folder holding one frame), accepted."""
    frame = counter_frame(seed)
    (tmp_path / f"cam{seed}").mkdir()
    cv2.imwrite(str(tmp_path / f"cam{seed}" / "000.png"), frame)
    photo = take_photo(FolderSource(tmp_path / f"cam{seed}"))
    assert photo is not None and photo.accepted
    return photo.jpeg


def held(station, person_id: int) -> bytes | None:
    with station.store.reading() as s:
        row = s.get(k.PhotoRow, person_id)
        return row.jpeg if row else None


def wide_jpeg() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((300, 200)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def test_a_desk_photo_reaches_the_hub_and_the_other_kiosks_and_a_forged_one_is_refused(
    sqlite_site, tmp_path, capsys
):
    site = sqlite_site
    g1, g2 = site.kiosk("G1"), site.kiosk("G2")
    person_id = site.entry("approved_ministerial").person.id
    before = held(g1, person_id)
    new = taken(tmp_path, 5)
    old = replace_photo(g1.store, utc_now, "G1", person_id, new, CLERK, CHIEF)
    assert old == sha256(before) and held(g1, person_id) == new

    g1.sync()
    with site.db.reading() as s:
        assert s.get(h.PersonRow, person_id).photo == new, photo_changes(site.db)
    [change] = photo_changes(site.db)
    assert (change.kiosk_id, change.person_id, change.taken_by, change.approved_by) == (
        "G1",
        person_id,
        "Cleo Clerk",
        "Sam Super",
    )
    assert (change.old_sha256, change.new_sha256, change.refused) == (old, sha256(new), "")
    g2.sync()
    assert held(g2, person_id) == new
    assert hub_main(["photos", "--db", site.db.url]) == 0
    listed = capsys.readouterr().out
    assert "G1" in listed and "taken by Cleo Clerk, approved by Sam Super" in listed
    assert f"-> {sha256(new)[:12]}  taken" in listed

    # A delivery whose photo is not the one its journal row names changes no photo.
    replace_photo(g1.store, utc_now, "G1", person_id, taken(tmp_path, 6), CLERK, CHIEF)
    rows = pending(g1.store, 100)
    [row] = [r for r in rows if r["action"] == "photo_replaced"]
    row["photo"] = base64.b64encode(wide_jpeg()).decode()
    receive(site.db, Client("G1", Role.COUNTER), rows, utc_now(), head=journal_head(g1.store))
    refused = photo_changes(site.db)[-1]
    assert refused.refused == "the photo carried is not the one the journal row names"
    with site.db.reading() as s:
        assert s.get(h.PersonRow, person_id).photo == new, photo_changes(site.db)


def test_the_desk_refuses_a_photo_it_may_not_put_on_file_and_changes_nothing(sqlite_site):
    g1 = sqlite_site.kiosk("G1")
    person_id = sqlite_site.entry("approved_ministerial").person.id
    before = held(g1, person_id)
    with g1.store.reading() as s:
        journal = len(s.scalars(select(k.JournalRow)).all())
    with pytest.raises(PhotoRefused, match=r"not in the 3\.5 x 4\.5 cm proportions"):
        replace_photo(g1.store, utc_now, "G1", person_id, wide_jpeg(), CLERK, CHIEF)
    with pytest.raises(PhotoRefused, match="There is no person 999999"):
        replace_photo(g1.store, utc_now, "G1", 999_999, before, CLERK, CHIEF)
    with pytest.raises(AccessDenied):  # a clerk cannot approve a photo
        replace_photo(g1.store, utc_now, "G1", person_id, before, CLERK, CLERK)
    assert held(g1, person_id) == before
    with g1.store.reading() as s:
        assert len(s.scalars(select(k.JournalRow)).all()) == journal


@pytest.mark.slow
def test_kiosk_photo_approve_signs_both_in_and_puts_the_photo_on_file(
    demo_dir, tmp_path, monkeypatch, capsys
):
    store = Store.in_dir(demo_dir)
    with store.reading() as s:
        person_id = s.scalar(select(k.PersonRow.id).where(k.PersonRow.purged_at.is_(None)))
    store.close()
    photo = tmp_path / "taken.jpg"
    photo.write_bytes(taken(tmp_path, 7))
    args = ["photo", "approve", str(photo), "--person", str(person_id), "--data-dir"]
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n222222\n"))
    assert (
        kiosk_main(
            [
                *args,
                str(demo_dir),
                "--clerk",
                "clerk",
                "--supervisor",
                "supervisor",
                "--pin-stdin",
                "--at",
                "2026-02-14T10:00",
            ]
        )
        == 0
    )
    assert "taken by clerk, approved by supervisor" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n1111\n"))
    with pytest.raises(SystemExit, match="may not do this"):
        kiosk_main(
            [
                *args,
                str(demo_dir),
                "--clerk",
                "clerk",
                "--supervisor",
                "clerk",
                "--pin-stdin",
                "--at",
                "2026-02-14T10:00",
            ]
        )
    wide = tmp_path / "wide.jpg"
    wide.write_bytes(wide_jpeg())
    with pytest.raises(SystemExit, match=r"proportions\. Nothing was changed"):
        kiosk_main(
            [
                "photo",
                "approve",
                str(wide),
                "--person",
                "1",
                "--data-dir",
                str(demo_dir),
                "--clerk",
                "clerk",
                "--supervisor",
                "supervisor",
                "--pin-stdin",
                "--at",
                "2026-02-14T10:00",
            ]
        )
