"""The feed: pages that each leave a kiosk whole, cut to the kiosk's role."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

from sqlalchemy import func, select

from hub import schema as h
from hub.clients import Client, Role, enrol, enrolment
from hub.database import utc_now
from hub.feed import build_page
from hub.importer import import_data
from hub.keys import ensure_keys, feed_public_key, feed_signer
from kiosk.store import schema as k
from kiosk.store.database import Store
from sync.apply import apply_page
from sync.protocol import read_page
from sync.state import enrol as enrol_kiosk


def kiosk_store(db, tmp: Path, kiosk_id: str, role: Role) -> Store:
    ensure_keys(db)
    store = Store(tmp / kiosk_id / "kiosk.sqlite3")
    token = enrol(db, kiosk_id, role)
    enrol_kiosk(store, enrolment(db, kiosk_id, role, token, "http://127.0.0.1:1"))
    return store


def pull(db, store: Store, client: Client, limit: int) -> list:
    """Every page from the kiosk's cursor, each applied alone (foreign keys enforced)."""
    signer, key, pages = feed_signer(db), feed_public_key(db), []
    while True:
        with store.reading() as s:
            cursor = s.get(k.SyncStateRow, 1).cursor
        body = build_page(db, client, cursor, limit, "test-nonce", utc_now())
        page = read_page(body, signer.sign(body), key)
        apply_page(store, page, online=True)
        pages.append(page)
        if not page.more:
            return pages


def test_every_page_applied_alone_leaves_the_store_whole(
    sqlite_hub_db, export_and_entries, tmp_path
):
    db, export = sqlite_hub_db, copy.deepcopy(export_and_entries[0])
    import_data(db, export, "first.json", utc_now())
    # People and letters changed after their accreditations: their change numbers are
    # now above those of the accreditations that name them.
    for p in export["people"]:
        p["organisation"] += " (Brussels)"
    for x in export["letters"]:
        x["signed"] = not x["signed"]
    import_data(db, export, "second.json", utc_now())
    store = kiosk_store(db, tmp_path, "G1", Role.COUNTER)
    pages = pull(db, store, Client("G1", Role.COUNTER), limit=7)
    assert len(pages) > 20
    assert all(a.cursor_to == b.cursor_from for a, b in itertools.pairwise(pages))
    with store.reading() as s, db.reading() as hs:
        assert s.scalar(select(func.count()).select_from(k.AccreditationRow)) == len(
            export["accreditations"]
        )
        kiosk_orgs = {p.id: p.organisation for p in s.scalars(select(k.PersonRow))}
        hub_orgs = {p.id: p.organisation for p in hs.scalars(select(h.PersonRow))}
        assert kiosk_orgs == hub_orgs
    # Nothing new: one empty page, and the cursor stays.
    [again] = pull(db, store, Client("G1", Role.COUNTER), limit=7)
    assert again.size == 0 and again.cursor_to == pages[-1].cursor_to


def test_a_security_post_gets_badges_their_holders_and_no_documents(site, tmp_path):
    g1 = site.kiosk("G1")
    holder = site.entry("crew_group_letter")
    g1.issue(holder)
    g1.sync()
    store = kiosk_store(site.db, tmp_path, "SEC9", Role.SECURITY)
    [page] = pull(site.db, store, Client("SEC9", Role.SECURITY), limit=1000)
    assert [a["id"] for a in page.entities["accreditations"]] == [holder.accreditation.id]
    assert [p["id"] for p in page.entities["people"]] == [holder.person.id]
    assert page.entities["letters"] == [] and page.entities["conflicts"] == []
    acc, person = page.entities["accreditations"][0], page.entities["people"][0]
    assert (acc["doc_number_digest"], acc["press_card"], acc["letter_id"]) == ("", None, None)
    assert person["email"] == f"person-{holder.person.id}@redacted.invalid"
    assert person["date_of_birth"].year == 1900 and person["photo"]
    store.close()
