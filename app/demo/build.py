"""`kiosk demo`: write a complete demo world into a data directory.

What it writes:
- ``kiosk.sqlite3``: the store, as a counter would hold it after a sync;
- ``office/confirmation-key-1.bin``: the accreditation office's signing key (it lives
  with the office, never on a real counter; the demo plays both parts);
- ``letters/A0000001.pdf``...: the confirmation e-mail printout of each applicant (the
  first thousand; `kiosk letter` renders any other);
- the sign-in accounts of `DEMO_STAFF` (one per role: clerk 1111, supervisor 222222,
  security 3333, admin 444444);
- ``scenarios.json``: per accreditation the code, the MRZ of the document the applicant
  shows, the situation and the verdict each counter must reach.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.demo.desk_cases import desk_cases, insert_hours_and_pool
from app.demo.population import demo_entries
from app.demo.scenarios import Entry, events
from app.wiring import DEMO_BADGE_KEY_IDS, make_badge_key
from kiosk import documents
from kiosk.badge_life import BadgeLife, LifeEvent
from kiosk.codes import Signer, confirmation_code
from kiosk.counter import CounterDesk, load_keyring
from kiosk.hours import collection_hours
from kiosk.model import (
    BRUSSELS,
    Counter,
    IdDocument,
    IdReading,
    Letter,
)
from kiosk.roles import Actor, Role
from kiosk.staff import StaffBook
from kiosk.store.database import DB_NAME, Store
from kiosk.store.schema import (
    AccreditationRow,
    EventRow,
    KeyRow,
    LetterRow,
    PersonRow,
    PhotoRow,
)
from printing.letter_pdf import ConfirmationLetter, confirmation_letter, render_letter
from printing.sample_photo import portrait
from scanning.mrz import compose_td1, compose_td3

KEY_ID = 1
CHUNK = 5000
# A letter takes about 0.1 s to render: a 100,000-applicant world writes the first
# thousand (every named situation among them) and `kiosk letter` renders any other.
LETTERS_WRITTEN = 1000
Progress = Callable[[str], None]
# Demo sign-in accounts: name, role, PIN (documented in the README; demo only).
DEMO_STAFF = (
    ("clerk", Role.CLERK, "1111"),
    ("supervisor", Role.SUPERVISOR, "222222"),
    ("security", Role.SECURITY, "3333"),
    ("admin", Role.ADMINISTRATOR, "444444"),
)


def office_key_path(data_dir: Path) -> Path:
    """Where the demo keeps the office's private signing key."""
    return data_dir / "office" / f"confirmation-key-{KEY_ID}.bin"


def mrz_text(doc: IdDocument) -> str:
    """The machine-readable zone of a document: TD3 for passports, TD1 for ID cards."""
    compose = compose_td3 if doc.kind == "P" else compose_td1
    return compose(
        document_code=doc.kind,
        issuing_state=doc.issuing_state,
        surname=doc.surname,
        given_names=doc.given_names,
        document_number=doc.number,
        nationality=doc.issuing_state,
        birth_date=doc.date_of_birth,
        sex="X",
        expiry_date=doc.expiry,
    )


def reading_of(doc: IdDocument) -> IdReading:
    """What an MRZ reader reports for `doc` (used to stage the demo's earlier badges)."""
    return IdReading(
        doc.kind,
        doc.issuing_state,
        doc.number,
        doc.surname,
        doc.given_names,
        doc.issuing_state,
        doc.date_of_birth,
        "X",
        doc.expiry,
    )


def _wipe(data_dir: Path) -> None:
    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "scenarios.json"):
        (data_dir / name).unlink(missing_ok=True)
    for sub in ("letters", "office", "badges"):
        shutil.rmtree(data_dir / sub, ignore_errors=True)


def _letter_ids(entries: list[Entry]) -> dict[Letter, int]:
    ids: dict[Letter, int] = {}
    for e in entries:
        letter = e.accreditation.proof.letter
        if letter is not None and letter not in ids:
            ids[letter] = len(ids) + 1
    return ids


def insert_static(
    s: Session, signer: Signer, today: date, letters: dict[Letter, int], key: bytes
) -> None:
    """The office's public key, the events and the letters of a world (members' document
    numbers hashed with the document `key`)."""
    s.add(
        KeyRow(
            key_id=signer.key_id,
            public_key=signer.public_bytes(),
            purpose="confirmation",
            owner="office",
        )
    )
    for ev in events(today):
        s.add(EventRow(**{**ev.__dict__, "valid_with": list(ev.valid_with)}))
    for letter, lid in letters.items():
        members = [
            documents.hashed_member(
                key,
                {
                    "surname": m.surname,
                    "given_names": m.given_names,
                    "date_of_birth": m.date_of_birth.isoformat(),
                    "document_number": m.document_number,
                },
            )
            for m in letter.members
        ]
        s.add(
            LetterRow(
                id=lid,
                kind=letter.kind.value,
                organisation=letter.organisation,
                signed=letter.signed,
                members=members,
            )
        )


def person_row(e: Entry) -> dict:
    """The `people` row of an entry's person."""
    p = e.person
    return {
        "id": p.id,
        "surname": p.surname,
        "given_names": p.given_names,
        "date_of_birth": p.date_of_birth,
        "nationality": p.nationality,
        "email": p.email,
        "organisation": p.organisation,
        "media_kind": p.media_kind.value,
    }


def accreditation_row(e: Entry, letters: dict[Letter, int], key: bytes) -> dict:
    """The `accreditations` row of an entry (letters: letter -> id), its document number
    hashed with the document `key`."""
    a, d = e.accreditation, e.accreditation.id_document
    return {
        "id": a.id,
        "person_id": a.person_id,
        "flow": a.flow.value,
        "year": a.year,
        "event_id": a.event_id,
        "status": a.status.value,
        "status_reason": a.status_reason,
        "status_reason_fr": a.status_reason_fr,
        "status_changed_at": a.status_changed_at,
        "pool": a.pool,
        "doc_kind": d.kind,
        "doc_number_digest": documents.document_digest(key, d.number),
        "doc_number_tail": documents.doc_number_tail(d.number),
        "doc_state": d.issuing_state,
        "doc_surname": d.surname,
        "doc_given_names": d.given_names,
        "doc_birth_date": d.date_of_birth,
        "doc_expiry": d.expiry,
        "press_card": a.proof.press_card,
        "letter_id": letters.get(a.proof.letter) if a.proof.letter else None,
    }


def _insert_entries(
    store: Store, entries: list[Entry], letters: dict[Letter, int], key: bytes, progress: Progress
) -> None:
    seen: set[int] = set()
    for start in range(0, len(entries), CHUNK):
        chunk = entries[start : start + CHUNK]
        fresh = []
        for e in chunk:
            if e.person.id not in seen:
                seen.add(e.person.id)
                fresh.append(e)
        with store.writing() as s:
            if fresh:
                s.execute(insert(PersonRow), [person_row(e) for e in fresh])
                photos = [
                    {"person_id": e.person.id, "jpeg": portrait(e.person.id)}
                    for e in fresh
                    if e.photo
                ]
                if photos:
                    s.execute(insert(PhotoRow), photos)
            s.execute(insert(AccreditationRow), [accreditation_row(e, letters, key) for e in chunk])
        progress(f"stored {min(start + CHUNK, len(entries))} of {len(entries)} accreditations")


def _stage_prior_badges(
    store: Store, entries: list[Entry], codes: dict[int, str], today: date
) -> dict[int, str]:
    """Badges handed out earlier this morning, for the 'already issued' situations; for
    the badge life ones, handed out yesterday afternoon and reported lost or returned
    (a day's figures of today count neither)."""
    morning = datetime.combine(today, time(8, 30), tzinfo=BRUSSELS)
    yesterday = datetime.combine(today - timedelta(days=1), time(16, 0), tzinfo=BRUSSELS)
    keyring = load_keyring(store)
    clerk, chief = Actor("demo", Role.CLERK), Actor("demo-chief", Role.SUPERVISOR)
    serials = {}
    for e in entries:
        if not e.prior_badge:
            continue
        at = yesterday if e.prior_life else morning
        counter = e.accreditation.flow.counter
        kiosk_id = "G1" if counter is Counter.GROUPS else "V1"
        desk = CounterDesk(store, keyring, kiosk_id, counter, lambda at=at: at)
        done = desk.issue(codes[e.accreditation.id], reading_of(e.presented), clerk)
        job = desk.prints.print_sent(done.badge.serial, "folder", "demo", clerk)
        desk.prints.print_done(job.id, clerk)
        if e.prior_life:
            later = at + timedelta(hours=1)
            life = BadgeLife(store, kiosk_id, counter, lambda later=later: later)
            life.record(done.badge.serial, LifeEvent(e.prior_life), chief, "demo")
        serials[e.accreditation.id] = done.badge.serial
    return serials


def _add_demo_staff(store: Store, today: date) -> None:
    """One account per role, with the PINs the README gives (a real kiosk's accounts are
    made with `kiosk staff add`)."""
    morning = datetime.combine(today, time(7, 0), tzinfo=BRUSSELS)
    staff = StaffBook(store, lambda: morning, "G1")
    for name, role, pin in DEMO_STAFF:
        staff.add(name, role, pin)


def _prior(e: Entry, serials: dict[int, str]) -> dict:
    """The badge issued earlier for `e`, and the reason a security post gives for it."""
    return {"serial": serials[e.accreditation.id], "post": e.prior_life or "ok"}


def _manifest(
    entries: list[Entry], codes: dict[int, str], today: date, prior: dict[int, str]
) -> dict:
    return {
        "today": today.isoformat(),
        "office_key": f"office/confirmation-key-{KEY_ID}.bin",
        "events": [ev.id for ev in events(today)],
        "desk_cases": desk_cases(today),
        "applicants": [
            {
                "accreditation_id": e.accreditation.id,
                "registration": e.accreditation.registration,
                "situation": e.situation,
                "description": e.description,
                "name": f"{e.person.given_names} {e.person.surname}",
                "flow": e.accreditation.flow.value,
                "event": e.accreditation.event_id,
                "code": codes[e.accreditation.id],
                "mrz": mrz_text(e.presented),
                "letter": f"letters/{e.accreditation.registration}.pdf"
                if i < LETTERS_WRITTEN
                else None,
                "expect": {c.value: v.value for c, v in e.expect.items()},
                "redirect_to": {c.value: v.value for c, v in e.redirect_to.items()},
                # The badge issued earlier, and what a security post says of it.
                **({"prior_badge": _prior(e, prior)} if e.prior_badge else {}),
                "handoff": list(e.handoff),
            }
            for i, e in enumerate(entries)
        ],
    }


def _render_letters(jobs: list[tuple[ConfirmationLetter, Path]]) -> None:
    for letter, out in jobs:
        render_letter(letter, out)


def _write_letters(
    data_dir: Path,
    entries: list[Entry],
    codes: dict[int, str],
    today: date,
    progress: Progress,
    workers: int,
    hours: dict[str, tuple[str, str]],
) -> None:
    out_dir = data_dir / "letters"
    out_dir.mkdir(parents=True, exist_ok=True)
    by_id = {ev.id: ev for ev in events(today)}
    jobs = [
        (
            confirmation_letter(
                e.accreditation,
                e.person,
                by_id.get(e.accreditation.event_id or ""),
                codes[e.accreditation.id],
                hours.get(e.accreditation.event_id or "", ("", "")),
            ),
            out_dir / f"{e.accreditation.registration}.pdf",
        )
        for e in entries[:LETTERS_WRITTEN]
    ]
    batches = [jobs[i : i + 250] for i in range(0, len(jobs), 250)]
    if workers <= 1 or len(batches) == 1:
        _render_letters(jobs)
        return
    with ProcessPoolExecutor(workers) as pool:
        for done, _ in enumerate(pool.map(_render_letters, batches), 1):
            progress(f"letters: {min(done * 250, len(jobs))} of {len(jobs)}")


def build(
    data_dir: Path,
    people: int = 60,
    today: date | None = None,
    progress: Progress = lambda _m: None,
    workers: int = 2,
) -> Path:
    """Replace whatever demo world is in `data_dir` with a fresh one; returns the manifest.

    `people` counts accreditations: the named situations first, then generated ones.
    """
    today = today or datetime.now(BRUSSELS).date()
    data_dir.mkdir(parents=True, exist_ok=True)
    _wipe(data_dir)
    entries = demo_entries(today, people)
    signer = Signer.generate(KEY_ID)
    key_path = office_key_path(data_dir)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(signer.private_bytes())
    key_path.chmod(0o600)
    store = Store.in_dir(data_dir)
    try:
        letters = _letter_ids(entries)
        key = documents.ensure_key(data_dir)
        with store.writing() as s:
            insert_static(s, signer, today, letters, key)
            insert_hours_and_pool(s, today)
        _insert_entries(store, entries, letters, key, progress)
        codes = {e.accreditation.id: confirmation_code(signer, e.accreditation.id) for e in entries}
        for kiosk_id, key_id in DEMO_BADGE_KEY_IDS.items():  # a post here knows both
            make_badge_key(data_dir, store, kiosk_id, key_id)
        prior = _stage_prior_badges(store, entries, codes, today)
        _add_demo_staff(store, today)
        with store.reading() as s:
            hours = {ev.id: collection_hours(s, Counter.GROUPS, ev) for ev in events(today)}
            hours[""] = collection_hours(s, Counter.VISITORS, None)
    finally:
        store.close()
    manifest = data_dir / "scenarios.json"
    content = _manifest(entries, codes, today, prior)
    manifest.write_text(json.dumps(content, indent=1, ensure_ascii=False))
    _write_letters(data_dir, entries, codes, today, progress, workers, hours)
    return manifest
