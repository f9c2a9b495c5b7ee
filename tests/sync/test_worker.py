"""Background sync: offline while the hub is away, backing off, online when it returns."""

from __future__ import annotations

import random
import time

import pytest

from hub.database import utc_now
from kiosk.store.database import Store
from kiosk.store.schema import AccreditationRow
from sync.client import SyncClient
from sync.worker import SyncWorker, backoff
from tests.store_lock import held_by_another_process


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


@pytest.mark.slow
def test_a_store_locked_by_another_program_pauses_the_sync_and_no_more(sqlite_site):
    """Another process (a backup, a database tool) holds the store's write lock for longer
    than the store waits: the round fails, and so does recording why. The sync thread
    died there and never synced again; now it says why and catches up once released."""
    site = sqlite_site
    g1 = site.kiosk("G1")
    # The kiosk's store, opened as the product opens it but waiting 0.3 s for the lock
    # instead of 5 s: the round and the record of its failure each wait it out once.
    impatient = Store(g1.store.path, busy_timeout=0.3)
    worker = SyncWorker(SyncClient(impatient, utc_now), interval=0.2, max_backoff=0.4)
    with held_by_another_process(g1.store.path):
        site.revoke(site.entry("approved_ministerial").accreditation.id)  # news to pull
        worker.start()
        assert wait_for(lambda: "busy in another program" in worker.status().last_error, 60)
    try:
        assert wait_for(lambda: worker.status().online and worker.status().last_error == "", 60)
        with g1.store.reading() as s:
            entry = site.entry("approved_ministerial")
            assert s.get(AccreditationRow, entry.accreditation.id).status == "revoked"
        assert worker.running
    finally:
        worker.stop()
        worker.client.close()
        impatient.close()
