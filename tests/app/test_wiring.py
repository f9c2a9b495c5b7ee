"""The composition root: what a kiosk is built from, and what it picks up from sync."""

from __future__ import annotations

from app.wiring import open_kiosk, read_mrz
from kiosk.codes import Signer, confirmation_code
from kiosk.model import Counter, Verdict
from kiosk.store.schema import KeyRow, SyncStateRow


def test_a_key_synced_after_start_is_used_without_a_restart(demo_dir, manifest, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        a = next(x for x in manifest["applicants"] if x["situation"] == "approved_ministerial")
        rotated = Signer.generate(2)
        code = confirmation_code(rotated, a["accreditation_id"])
        assert kiosk.desk.evaluate(code).failures[0].name == "code"  # not trusted yet
        with kiosk.store.writing() as s:  # what a sync page brings
            s.add(KeyRow(key_id=2, public_key=rotated.public_bytes(), purpose="confirmation"))
        d = kiosk.desk.evaluate(code, read_mrz(a["mrz"]))
        assert d.verdict is Verdict.ISSUE
    finally:
        kiosk.close()


def test_an_enrolled_kiosk_takes_the_id_the_hub_gave_it(demo_dir, demo_now):
    first = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    assert first.desk.kiosk_id == "G1"
    with first.store.writing() as s:
        s.add(
            SyncStateRow(
                id=1,
                hub_url="http://127.0.0.1:8750",
                hub_id="HUB",
                hub_key=b"k" * 32,
                kiosk_id="G7",
                role="counter",
                cursor=0,
                acked_journal_id=0,
                last_error="",
            )
        )
    first.close()
    enrolled = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        assert enrolled.desk.kiosk_id == "G7"
    finally:
        enrolled.close()
