"""`kiosk decode` and `kiosk mrz` as a clerk or a script would run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from app.cli import main
from scanning import specimens as sp
from scanning.keyboard_layout import MISMATCHES, retype

pytestmark = pytest.mark.slow  # runs the command line end to end

KIOSK = Path(sys.executable).with_name("kiosk")
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(stdin))
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_decode_prints_each_code_of_a_letter_pdf_and_a_photo(
    capsys, tmp_path, demo_master, manifest
):
    first = manifest["applicants"][0]
    letter = demo_master / first["letter"]
    photo = tmp_path / "counter.png"
    cv2.imwrite(str(photo), sp.CONDITIONS["rotated"]([sp.letter_item(letter)], sp.FRAME_720P, 1))
    code, out = run(capsys, "decode", str(letter), str(photo))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert all(line.endswith(first["code"]) and ": QR at (" in line for line in lines)


def test_decode_json_gives_format_text_and_outline(capsys, tmp_path, demo_master, manifest):
    first = manifest["applicants"][0]
    code, out = run(capsys, "decode", str(demo_master / first["letter"]), "--json")
    (entry,) = json.loads(out)
    (found,) = entry["codes"]
    assert code == 0 and found["format"] == "QR" and found["text"] == first["code"]
    assert len(found["position"]) == 4 and found["page"] == 1


def test_decode_says_what_it_could_not_read_and_exits_1(capsys, tmp_path):
    empty = tmp_path / "desk.png"
    cv2.imwrite(str(empty), sp.desk())
    (tmp_path / "notes.txt").write_text("hello")
    named = (empty, tmp_path / "notes.txt", tmp_path / "x", tmp_path)
    code, out = run(capsys, "decode", *map(str, named))
    assert code == 1
    assert out.splitlines() == [
        f"{empty}: no code found",
        f"{tmp_path / 'notes.txt'}: not an image OpenCV can read",
        f"{tmp_path / 'x'}: no such file",
        f"{tmp_path}: a folder, not an image: name one of its files",  # said no such file
    ]


def test_mrz_prints_the_fields_with_iso_dates(capsys):
    code, out = run(capsys, "mrz", TD3.replace("\n", " "))
    assert code == 0
    assert "document number   L898902C3" in out
    assert "birth date        1974-08-12" in out
    assert "expiry date       2012-04-15" in out
    assert "surname           ERIKSSON" in out and "given names       ANNA MARIA" in out


def test_mrz_json_from_stdin(capsys, monkeypatch):
    code, out = run(capsys, "mrz", "-", "--json", stdin=TD3 + "\n", monkeypatch=monkeypatch)
    data = json.loads(out)
    assert code == 0 and data["valid"] and data["document_type"] == "P"
    assert (data["nationality"], data["sex"], data["birth_date"]) == ("UTO", "F", "1974-08-12")


def test_mrz_invalid_names_the_field_and_exits_1(capsys):
    code, out = run(capsys, "mrz", TD3[:-1] + "9")
    assert code == 1
    assert out.strip() == "INVALID MRZ: composite: check digit is 9 but the data gives 0"


@pytest.mark.parametrize("mismatch", MISMATCHES, ids=str)
def test_mrz_typed_through_a_keyboard_layout_mismatch_is_corrected(capsys, mismatch):
    typed = " ".join(retype(line, mismatch) for line in TD3.splitlines())
    code, out = run(capsys, "mrz", typed, "--json")
    data = json.loads(out)
    assert code == 0 and data["document_number"] == "L898902C3"
    assert data["keyboard_layout"] == f"corrected: {mismatch}"


def test_mrz_from_a_picture_as_a_real_process(tmp_path, manifest):
    mrz = manifest["applicants"][0]["mrz"]
    doc = sp.id_document(mrz)
    picture = tmp_path / "passport.png"
    cv2.imwrite(str(picture), sp.place(sp.desk(), doc, sp.Placement(0.5, 0.5, sp.fitting(doc))))
    done = subprocess.run(
        [KIOSK, "mrz", "--image", str(picture), "--json"], capture_output=True, text=True
    )
    data = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr
    assert data["document_number"] == mrz.splitlines()[1][:9].rstrip("<")
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), sp.desk())
    done = subprocess.run([KIOSK, "mrz", "--image", str(blank)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "no machine-readable zone found" in done.stdout


def test_mrz_from_a_garbled_picture_says_why_in_a_sentence(capsys, tmp_path):
    lines = TD3.splitlines()
    garbled = lines[1][:13] + "1" + lines[1][14:]  # the birth date no longer fits its check
    doc = sp.id_document(f"{lines[0]}\n{garbled}")
    picture = tmp_path / "garbled.png"
    cv2.imwrite(str(picture), sp.place(sp.desk(), doc, sp.Placement(0.5, 0.5, sp.fitting(doc))))
    code, out = run(capsys, "mrz", "--image", str(picture))
    assert code == 1
    assert out.startswith("INVALID MRZ: a machine-readable zone was found but not read: ")
    assert "birth date" in out and "Error" not in out and "Traceback" not in out


def test_mrz_needs_text_or_a_picture(capsys):
    with pytest.raises(SystemExit, match="give the MRZ text"):
        main(["mrz"])
