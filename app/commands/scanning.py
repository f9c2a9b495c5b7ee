"""`kiosk decode` and `kiosk mrz`: the scanners' reading, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_commands(subparsers, common: argparse.ArgumentParser) -> None:
    """Add `decode` and `mrz` to the `kiosk` command."""
    d = subparsers.add_parser(
        "decode", parents=[common], help="print the barcodes and QR codes in images or PDFs"
    )
    d.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG... or PDF files")
    d.add_argument("--json", action="store_true", help="machine-readable output")
    d.set_defaults(func=cmd_decode)
    m = subparsers.add_parser(
        "mrz", parents=[common], help="parse an ID document's MRZ, from text or a picture"
    )
    m.add_argument("text", nargs="?", metavar="TEXT", help="the MRZ lines, or - for stdin")
    m.add_argument("--image", metavar="FILE", help="read the MRZ from a picture instead")
    m.add_argument("--json", action="store_true", help="machine-readable output")
    m.set_defaults(func=cmd_mrz)


def cmd_decode(args: argparse.Namespace) -> int:
    """Decode every image; exit 1 if one could not be read or showed no code."""
    from scanning.decoders import default_decoder

    decoder = default_decoder()
    report, failed = [], False
    for name in args.images:
        try:
            pages = _pages(Path(name))
        except ValueError as err:
            report.append({"image": name, "error": str(err), "codes": []})
            failed = True
            continue
        codes = [
            {
                "format": s.format,
                "text": s.text,
                "page": page,
                "position": [list(p) for p in s.corners],
            }
            for page, image in enumerate(pages, 1)
            for s in decoder.decode(image)
        ]
        failed |= not codes
        report.append({"image": name, "codes": codes})
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for entry in report:
            _print_decoded(entry)
    return 1 if failed else 0


def _print_decoded(entry: dict) -> None:
    if "error" in entry:
        print(f"{entry['image']}: {entry['error']}")
    elif not entry["codes"]:
        print(f"{entry['image']}: no code found")
    for code in entry["codes"]:
        x, y = code["position"][0]
        page = f" page {code['page']}" if code["page"] > 1 else ""
        print(f"{entry['image']}{page}: {code['format']} at ({x},{y}): {code['text']}")


def _pages(path: Path) -> list:
    """The image, or a PDF's pages rendered at 200 dpi; ValueError with a clear reason."""
    import cv2

    if path.is_dir():
        raise ValueError("a folder, not an image: name one of its files")
    if not path.is_file():
        raise ValueError("no such file")
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path)
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ValueError("not an image OpenCV can read")
    return [image]


def _pdf_pages(path: Path) -> list:
    import subprocess
    import tempfile

    import cv2

    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            ["pdftoppm", "-gray", "-png", "-r", "200", str(path), f"{tmp}/page"],
            capture_output=True,
            check=False,
        )
        if run.returncode:
            raise ValueError("not a PDF pdftoppm can render")
        return [cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in sorted(Path(tmp).iterdir())]


def cmd_mrz(args: argparse.Namespace) -> int:
    """Parse an MRZ from text, stdin or a picture; exit 1 when it is invalid."""
    from scanning.keyboard_layout import normalise_mrz
    from scanning.mrz import MrzError, parse

    if bool(args.image) == bool(args.text):
        raise SystemExit("kiosk mrz: give the MRZ text (or - for stdin), or --image FILE")
    source, layout = "text", None
    try:
        if args.image:
            result, source = _mrz_from_image(Path(args.image))
        else:
            text = sys.stdin.read() if args.text == "-" else args.text
            lines, layout = normalise_mrz(text.split())
            result = parse("\n".join(lines))
    except (MrzError, ValueError) as err:
        if args.json:
            print(json.dumps({"valid": False, "error": str(err)}, ensure_ascii=False))
        else:
            print(f"INVALID MRZ: {err}")
        return 1
    fields = _fields(result)
    if layout:
        fields["keyboard_layout"] = f"corrected: {layout}"
    if args.json:
        print(json.dumps({"valid": True, "source": source, **fields}, ensure_ascii=False))
    else:
        for key, value in fields.items():
            print(f"{key.replace('_', ' '):<17} {value}")
    return 0


def _mrz_from_image(path: Path):
    import cv2

    from scanning.mrz_glyphs import read_mrz_glyphs
    from scanning.mrz_image import MrzImageError

    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) if path.is_file() else None
    if image is None:
        raise ValueError(f"{path}: no such picture, or not one OpenCV can read")
    try:
        read = read_mrz_glyphs(image)
    except MrzImageError as err:
        raise ValueError(str(err)) from err
    return read.result, f"image (read as {read.text!r})"


# A date of birth partly unknown in ISO 8601's reduced precision: 1974-08, 1974; wholly
# unknown, "" (printed as null).
_ISO_LENGTH = {"": 10, "day": 7, "month": 4, "year": 0}


def _fields(r) -> dict:
    return {
        "format": r.format,
        "document_type": r.document_code,
        "issuing_state": r.issuing_state,
        "document_number": r.document_number,
        "surname": r.surname,
        "given_names": r.given_names,
        "nationality": r.nationality,
        "birth_date": r.birth_date.isoformat()[: _ISO_LENGTH[r.birth_unknown]] or None,
        "sex": r.sex,
        "expiry_date": r.expiry_date.isoformat(),
        "optional_data": r.optional_data,
        "names_truncated": r.names_truncated,
        "repairs": list(r.repairs),
    }
