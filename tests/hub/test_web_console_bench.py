"""bench/web_console.py at a test's size: the site it builds and the page it times."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import web_console

pytestmark = pytest.mark.slow


def test_the_benchmark_builds_a_site_and_times_the_page_it_shows(tmp_path):
    url, built = web_console.site(tmp_path / "web", 300, 3)
    assert built["badges"] > 0 and built["journal_rows"] >= 2 * built["badges"]
    result = web_console.measure(url, 2)
    assert result["site_today"]["n"] == 2
    html = result["html"]
    total = int(re.search(r'class="total">(\d+)<', html).group(1))
    assert total == built["badges"]  # every badge of the day is counted, once
    assert all(f"G{k} (Groups)" in html for k in (1, 2, 3))
    assert "Refusals at the desks" in html
