"""Values typed at a command line (kiosk/typed.py): what is taken, what is refused and
how it is said. The refused ones were found by mutating real `kiosk` and `kiosk-hub`
invocations; each ended in a traceback from deeper down."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest

from kiosk.model import BRUSSELS
from kiosk.private import check_writable, write_private
from kiosk.typed import as_text, brussels_time, calendar_day, row_id, unreadable_argument


def test_a_time_without_a_zone_is_brussels_time_and_a_zone_is_kept():
    assert brussels_time(" 2026-12-05T10:30 ") == datetime(2026, 12, 5, 10, 30, tzinfo=BRUSSELS)
    assert brussels_time("2026-12-05T10:30+00:00").utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "text", ["yesterday", "", "2026-12-05T25:61", "0001-01-01", "9999-12-31T23:59", "1999-12-31"]
)
def test_a_time_that_is_not_one_or_out_of_reach_is_refused_with_a_sentence(text):
    with pytest.raises(ValueError, match=r"is not a date and time from 2000 to 2099 \(ISO 8601"):
        brussels_time(text)


def test_a_day_is_yyyy_mm_dd_within_the_years_a_pass_office_names():
    assert calendar_day("2026-12-05") == date(2026, 12, 5)
    bad = ("2026-02-30", "0001-01-01", "05/12/2026", "\x01", "2026-W49-5", "2026W495", "20261205")
    for text in (*bad, "2026-340", "２０２６-１２-０５"):
        with pytest.raises(ValueError, match="is not a day from 2000 to 2099"):
            calendar_day(text)


def test_an_id_is_a_whole_number_within_what_the_store_holds():
    assert row_id(" 42 ") == 42 and row_id("0", least=0) == 0
    for text in ("0", "-1", "1e3", "٣", "", "99999999999999999999999", "9223372036854775808"):
        with pytest.raises(ValueError, match="is not a whole number from 1 to"):
            row_id(text)
    with pytest.raises(ValueError, match="from 0 to 2,147,483,647"):
        row_id("2147483648", least=0, most=2**31 - 1)


def test_an_argument_of_bytes_that_were_not_utf8_or_of_control_characters_is_found():
    assert unreadable_argument(["mrz", "P<UTOERIKSSON<<ANNA\nL898902C36UTO", "Lefèvre\t"]) is None
    assert unreadable_argument(["check", "--clerk", "\udcff\udcfe"]) == 3
    assert unreadable_argument(["staff", "add", "ann\x1b[31m"]) == 3
    assert unreadable_argument(["staff", "add", "ann\u202egnp.exe"]) == 3


def test_a_private_file_is_never_written_over_a_device_a_pipe_or_a_folder(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(OSError, match="not a regular file") as refused:
        write_private(pipe, b"token")
    assert refused.value.filename == str(pipe) and pipe.is_fifo()
    for folder in (tmp_path, tmp_path / "sub" / ".."):
        with pytest.raises(IsADirectoryError):
            check_writable(folder)
    with pytest.raises(OSError, match="File name too long"):
        check_writable(tmp_path / ("x" * 256))
    assert write_private(tmp_path / "new" / "file", b"ok").read_bytes() == b"ok"


def test_typed_text_keeps_its_line_breaks_and_loses_its_control_characters():
    typed = {"note": "a\x00b\nc\t", "names": ["x\u202ey", 3], "ok": None}
    assert as_text(typed) == {"note": "a\ufffdb\nc\t", "names": ["x\ufffdy", 3], "ok": None}


def test_a_refusal_quotes_a_long_entry_cut_short():
    with pytest.raises(ValueError) as refused:
        brussels_time("9" * 5000)
    assert str(refused.value).startswith("'" + "9" * 39 + "…' is not a date and time")
    assert len(str(refused.value)) < 150
