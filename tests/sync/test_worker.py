"""Background sync: offline while the hub is away, backing off, online when it returns."""

from __future__ import annotations

import random
import time

from sync.worker import SyncWorker, backoff


def test_backoff_doubles_to_a_ceiling_with_jitter():
    rng = random.Random(1)
    assert backoff(0, 3.0, 60.0, rng) == 3.0
    waits = [backoff(n, 3.0, 60.0, rng) for n in range(1, 9)]
    assert 3.0 <= waits[0] <= 6.0 and 6.0 <= waits[1] <= 12.0
    assert all(30.0 <= w <= 60.0 for w in waits[-3:])


def test_backoff_stays_at_its_ceiling_however_long_the_hub_is_away():
    # 1,024 failures in a row (12.9 hours) overflowed the float and killed the thread.
    rng = random.Random(1)
    for failures in (1_023, 1_024, 10_000):
        assert 30.0 <= backoff(failures, 3.0, 60.0, rng) <= 60.0


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_the_kiosk_works_offline_and_catches_up(sqlite_site):
    site = sqlite_site
    g1 = site.kiosk("G1")
    seen = []
    worker = SyncWorker(g1.client, interval=0.2, max_backoff=0.4, on_status=seen.append)
    site.server.stop()
    worker.start()
    try:
        assert wait_for(lambda: seen and not seen[-1].online)
        g1.issue(site.entry("approved_ministerial"))  # the counter keeps working
        worker.wake()
        assert wait_for(lambda: worker.status().outbox > 0 and not worker.status().online)
        offline = worker.status()
        assert "unreachable" in offline.last_error
        site.server.start()

        def caught_up() -> bool:
            status = worker.status()
            return status.online and status.outbox == 0 and status.last_error == ""

        assert wait_for(caught_up)
        assert worker.status().last_sync_at > offline.last_sync_at
    finally:
        worker.stop()
    assert not worker.running
