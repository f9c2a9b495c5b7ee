"""The list of files the commands wrote (kiosk/exports.py), which the purge reads: a
damaged line is skipped, never the end of the purge."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.exports import LIST_NAME, record_export, recorded_exports

AT = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def test_damaged_lines_are_skipped_and_the_others_listed(tmp_path):
    kept = tmp_path / "day.csv"
    kept.write_text("x")
    record_export(tmp_path, kept, "overview", AT)
    with (tmp_path / LIST_NAME).open("ab") as fh:
        fh.write(b"\xff\xfe not UTF-8\n")  # was a UnicodeDecodeError that stopped the purge
        fh.write(b'{"path": "a\\u0000b", "what": "x", "at": "2026-12-05T10:00"}\n')
        fh.write(b'{"path": 1, "what": [], "at": "yesterday"}\n{"what": "x"}\n[]\n')
    record_export(tmp_path, tmp_path / "gone.pdf", "letter", AT)  # not on disk: not listed
    assert [(e.path, e.what, e.at) for e in recorded_exports(tmp_path)] == [
        (kept.resolve(), "overview", AT)
    ]
