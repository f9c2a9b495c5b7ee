"""`kiosk-hub import` refuses implausible values with a problem line, never a traceback."""

from __future__ import annotations

import pytest

from hub.database import utc_now
from hub.importer import FORMAT, ExportInvalid, import_files


def test_a_number_too_long_to_read_is_a_problem_line(tmp_path, sqlite_hub_db):
    path = tmp_path / "big.json"
    path.write_text(f'{{"format": "{FORMAT}", "people": [{{"id": {"9" * 5000}}}]}}')
    with pytest.raises(ExportInvalid) as err:
        import_files(sqlite_hub_db, [path], utc_now())
    assert err.value.errors == ["big.json: not a platform export: a number too long to read"]
