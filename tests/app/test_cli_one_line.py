"""One-line values of `kiosk` refuse a line break or a tab, as kiosk-hub's do (hub/
arguments.py): `kiosk hours close --reason $'Public\\nholiday'` was kept and printed as
"closed visitors 05.01.2027 Public" and a line "holiday" that is not there in `hours list`
(exploratory testing). Refused by argparse, before the store is opened: exit 2, the usage
line and one sentence, nothing created."""

from __future__ import annotations

import pytest

from app.cli import main

ONE_LINE = "must be one line of text, without a line break, a tab or a control character"
CLOSE = ["hours", "close", "--counter", "visitors", "--day", "2030-02-14", "--admin", "admin"]
MOMENT = [
    "pool", "add-moment", "SUMMIT-FAMILY", "--event", "SUMMIT", "--starts", "2030-02-16T12:00",
    "--opens", "2030-02-15T09:00", "--closes", "2030-02-15T17:00", "--admin", "admin",
]  # fmt: skip
NAMED, PLACE = ("--name", "Family photo"), ("--place", "Public Square")
HOURS = ["hours", "add", "08:00-17:00", "--weekday", "mon", "--counter", "groups", "--admin", "a"]
HAND_OUT = ["pool", "hand-out", "--accreditation", "7", "--clerk", "clerk"]
SCAN = ["--counter", "groups", "--accreditation", "7", "--mrz", "P<UTO"]
ISSUE = ["issue", *SCAN, "--clerk", "clerk", "--supervisor", "sup"]
CARD = ["--press-card-expiry", "2030-01-01"]


@pytest.mark.parametrize(
    "args",
    [
        [*CLOSE, "--reason", "Public\nholiday"],
        [*CLOSE, "--reason", "Holiday", "--reason-fr", "Jour\r\nférié"],
        [*MOMENT, "--name", "Family\nphoto", *PLACE],
        [*MOMENT, *NAMED, "--name-fr", "Photo\tde famille", *PLACE],
        [*MOMENT, *NAMED, "--place", "Public\rSquare"],
        [*MOMENT, *NAMED, *PLACE, "--place-fr", "Agora\n"],
        ["pool", "add-moment", "SUMMIT\nFAMILY", *MOMENT[3:], *NAMED, *PLACE],
        [*MOMENT[:3], "--event", "SUM\tMIT", *MOMENT[5:], *NAMED, *PLACE],
        [*HOURS, "--event", "DEF\nMIN"],
        ["pool", "list", "--event", "SUMMIT\n"],
        [*HAND_OUT, "--moment", "SUMMIT\nFAMILY"],
        ["badge", "lost", "G1-000001", "--note", "left on\nthe train", "--clerk", "sup"],
        [*ISSUE, "--reason", "reprint:\tlost"],
        ["undo-handover", "--serial", "G1-000001", "--supervisor", "s", "--reason", "wrong\nman"],
        ["check", *SCAN, "--press-card", "PC\n1", "--press-card-issuer", "CCIJP", *CARD],
        ["check", *SCAN, "--press-card", "PC-1", "--press-card-issuer", "CCI\nJP", *CARD],
    ],
)
def test_a_line_break_or_a_tab_in_a_one_line_value_is_refused_before_anything(
    tmp_path, capsys, args
):
    data = tmp_path / "kiosk"
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--data-dir", str(data)])
    assert stopped.value.code == 2
    refusal = capsys.readouterr().err.splitlines()[-1]
    assert refusal.startswith("kiosk ") and ": error: argument " in refusal, refusal
    assert ONE_LINE in refusal
    assert not data.exists()
