"""The suite's `--dist loadgroup` keeps an `xdist_group` in one worker.

pytest 9.2 stopped honouring it (pytest-xdist#1386): the groups' tests were silently
spread over the workers, each starting the group's services again. A grouped test is
scheduled as a group only if its id carries the group's name.
"""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("grouping-check")
def test_a_grouped_test_is_scheduled_with_its_group(request: pytest.FixtureRequest) -> None:
    if not hasattr(request.config, "workerinput"):
        pytest.skip("not run on pytest-xdist workers")
    if not request.config.getoption("loadgroup", False):
        pytest.skip("not run with --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping-check")
