"""Security's verification of worn badges: a suite of forgeries, and valid badges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.wiring import open_kiosk, read_mrz
from kiosk.codes import (
    ALPHABET,
    SERIAL_TYPED_MOST,
    BadgeClaim,
    Keyring,
    Signer,
    badge_code,
    split_serial,
)
from kiosk.model import Counter, Flow
from kiosk.post_data_line import data_words
from kiosk.roles import Actor, Role
from kiosk.store.schema import AccreditationRow, BadgeRow, KeyRow, SyncStateRow
from kiosk.verify import SecurityPost, typed_misread, verify_badge

# Each counter's badge key, and the keyring a post holds them in, with their owners.
KEYS = {
    "G1": Signer.from_private_bytes(65, bytes(range(1, 33))),
    "V1": Signer.from_private_bytes(66, bytes(range(2, 34))),
}
KIOSK_KEY = KEYS["G1"]
BADGE_KEYS = Keyring(
    {k.key_id: k.public_bytes() for k in KEYS.values()},
    {k.key_id: owner for owner, k in KEYS.items()},
)


ANN, BOB = Actor("ann", Role.CLERK), Actor("bob", Role.SUPERVISOR)


@pytest.fixture
def issued(demo_dir, manifest, demo_now):
    """A kiosk with one ministerial and one annual badge issued; their signed codes."""
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    annual_desk = open_kiosk(demo_dir, Counter.VISITORS, clock=lambda: demo_now)
    codes = {}
    for situation, k in (("approved_ministerial", kiosk), ("approved_annual", annual_desk)):
        a = next(x for x in manifest["applicants"] if x["situation"] == situation)
        done = k.desk.issue(a["code"], read_mrz(a["mrz"]), ANN)
        claim = claim_of(done.badge, a)
        codes[situation] = (badge_code(KEYS[claim.kiosk_id], claim), done.badge, a)
    yield kiosk, codes
    annual_desk.close()
    kiosk.close()


def claim_of(badge, applicant) -> BadgeClaim:
    kiosk_id, seq = split_serial(badge.serial)
    return BadgeClaim(
        badge.accreditation_id,
        kiosk_id,
        seq,
        badge.valid_from,
        badge.valid_until,
        Flow(applicant["flow"]),
        badge.counter,
        applicant["event"],
    )


def check(kiosk, text, now, event_id=None):
    with kiosk.store.reading() as s:
        return verify_badge(text, BADGE_KEYS, s, now, event_id)


def test_valid_badges_are_accepted(issued, demo_now):
    kiosk, codes = issued
    for text, badge, a in codes.values():
        v = check(kiosk, text, demo_now)
        assert v.valid and v.reason == "ok" and v.serial == badge.serial
        assert v.case.person.surname in a["name"]


def test_every_altered_letter_is_rejected(issued, demo_now):
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    for i in range(0, len(text), 7):
        altered = text[:i] + ALPHABET[(ALPHABET.index(text[i]) + 3) % 16] + text[i + 1 :]
        v = check(kiosk, altered, demo_now)
        assert not v.valid and v.reason in {"forged", "not_a_badge"}, i


def test_badge_signed_with_an_unknown_key_is_forged(issued, demo_now):
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    for forger in (Signer.generate(66), Signer.generate(65)):  # unknown id; known id, other key
        v = check(kiosk, badge_code(forger, claim_of(badge, a)), demo_now)
        assert (v.valid, v.reason) == (False, "forged")


@pytest.mark.parametrize("change", [{"event_id": "SUMMIT"}, {"flow": Flow.ANNUAL}])
def test_signed_claim_that_contradicts_the_record_is_rejected(issued, demo_now, change):
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    altered = replace(claim_of(badge, a), **change)
    v = check(kiosk, badge_code(KIOSK_KEY, altered), demo_now, event_id="SUMMIT")
    assert (v.valid, v.reason) == (False, "forged")


def test_ministerial_badge_opens_its_linked_event_but_not_another(issued, demo_now):
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    assert check(kiosk, text, demo_now, event_id="UDCG").valid  # declared valid with it
    v = check(kiosk, text, demo_now, event_id="NAC-SPECIAL")
    assert (v.valid, v.reason) == (False, "wrong_event")


def test_annual_badge_opens_hq_events_that_admit_annual_holders_only(issued, demo_now):
    kiosk, codes = issued
    text = codes["approved_annual"][0]
    assert check(kiosk, text, demo_now, event_id="DEFMIN").valid
    assert check(kiosk, text, demo_now, event_id="NAC-SPECIAL").reason == "wrong_event"
    assert check(kiosk, text, demo_now, event_id="SUMMIT").reason == "wrong_event"


@pytest.mark.parametrize(("days", "reason"), [(-2, "not_yet_valid"), (3, "expired")])
def test_badge_outside_its_days(issued, demo_now, days, reason):
    kiosk, codes = issued
    v = check(kiosk, codes["approved_ministerial"][0], demo_now + timedelta(days=days))
    assert (v.valid, v.reason) == (False, reason)


def test_superseded_badge_is_rejected_and_its_reprint_accepted(issued, demo_now):
    kiosk, codes = issued
    text, _, a = codes["approved_ministerial"]
    reprint = kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, BOB, "lost")
    v = check(kiosk, text, demo_now)
    assert (v.valid, v.reason) == (False, "superseded")
    assert reprint.badge.serial in v.reason_en
    assert check(kiosk, badge_code(KIOSK_KEY, claim_of(reprint.badge, a)), demo_now).valid


def test_badge_of_a_revoked_accreditation_is_rejected(issued, demo_now):
    kiosk, codes = issued
    text, badge, _ = codes["approved_ministerial"]
    with kiosk.store.writing() as s:
        s.get(AccreditationRow, badge.accreditation_id).status = "revoked"
    v = check(kiosk, text, demo_now)
    assert (v.valid, v.reason) == (False, "revoked")
    assert "RÉVOQUÉ" in v.reason_fr


def test_genuine_badge_for_an_accreditation_unknown_here(issued, demo_now):
    kiosk, _ = issued
    stranger = BadgeClaim(
        987_654, "G1", 1, date(2026, 2, 13), date(2026, 2, 15), Flow.EVENT, Counter.GROUPS, "DEFMIN"
    )
    v = check(kiosk, badge_code(KIOSK_KEY, stranger), demo_now)
    assert (v.valid, v.reason) == (False, "unknown")


def test_confirmation_code_shown_as_a_badge(issued, manifest, demo_now):
    kiosk, _ = issued
    v = check(kiosk, manifest["applicants"][0]["code"], demo_now)
    assert (v.valid, v.reason) == (False, "not_a_badge")


def test_badge_code_round_trips_and_fits_the_badge_qr():
    claim = BadgeClaim(
        4_000_000_000,
        "VISIT-12",
        999_999,
        date(2026, 1, 1),
        date(2026, 12, 31),
        Flow.ANNUAL,
        Counter.VISITORS,
        None,
    )
    from kiosk.codes import read_badge

    text = badge_code(KIOSK_KEY, claim)
    assert read_badge(text, BADGE_KEYS) == (claim, 65)
    assert len(text) <= 200


@pytest.mark.parametrize("status", ["preprinted", "print_failed"])
def test_badge_never_handed_over_is_rejected(issued, demo_now, status):
    kiosk, codes = issued
    text, badge, _ = codes["approved_ministerial"]
    with kiosk.store.writing() as s:
        s.get(BadgeRow, badge.serial).status = status
    v = check(kiosk, text, demo_now)
    assert (v.valid, v.reason) == (False, "not_handed_over")


def test_a_genuine_signature_by_another_kiosks_key_is_refused(issued, demo_now):
    """A stolen or rogue counter (V1) cannot make a badge in another counter's name."""
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    v = check(kiosk, badge_code(KEYS["V1"], claim_of(badge, a)), demo_now)
    assert (v.valid, v.reason) == (False, "wrong_kiosk")
    assert "signed with the key of V1" in v.reason_en
    assert v.case is not None  # the holder is still shown, to compare with the face


def test_a_key_of_no_known_owner_is_refused(issued, demo_now):
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    ownerless = Keyring({65: KIOSK_KEY.public_bytes()})
    with kiosk.store.reading() as s:
        v = verify_badge(text, ownerless, s, demo_now)
    assert (v.valid, v.reason) == (False, "key_owner_unknown")


@pytest.mark.parametrize(
    ("situation", "stretch"),
    [
        ("approved_ministerial", {"valid_until": date(2026, 3, 31)}),
        ("approved_ministerial", {"valid_from": date(2026, 1, 1)}),
        ("approved_annual", {"valid_until": date(2027, 12, 31)}),
    ],
)
def test_a_correctly_signed_badge_with_days_beyond_its_accreditation(
    issued, demo_now, situation, stretch
):
    kiosk, codes = issued
    _, badge, a = codes[situation]
    longer = replace(claim_of(badge, a), **stretch)
    v = check(kiosk, badge_code(KEYS[longer.kiosk_id], longer), demo_now)
    assert (v.valid, v.reason) == (False, "bad_dates")
    assert "Take the badge from the holder" in v.reason_en
    assert "Retirer le badge à son porteur" in v.reason_fr


def _other_approved(kiosk, accreditation_id: int, event_id: str) -> int:
    """Another approved accreditation for the same event."""
    from sqlalchemy import select

    from kiosk.model import Status

    with kiosk.store.reading() as s:
        return s.scalars(
            select(AccreditationRow.id).where(
                AccreditationRow.event_id == event_id,
                AccreditationRow.status == Status.APPROVED,
                AccreditationRow.id != accreditation_id,
            )
        ).first()


def test_a_correctly_signed_claim_under_another_holders_serial_is_forged(issued, demo_now):
    """A counter's key could sign anyone's claim under a listed, valid serial of another
    holder; the post read VALID, since it never compared the claim with the badge it
    holds under that serial."""
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    other = _other_approved(kiosk, badge.accreditation_id, a["event"])
    borrowed = replace(claim_of(badge, a), accreditation_id=other)
    v = check(kiosk, badge_code(KIOSK_KEY, borrowed), demo_now)
    assert (v.valid, v.reason) == (False, "forged")
    assert f"badge {badge.serial} was issued to another accreditation" in v.reason_en
    assert "Retirer le badge à son porteur" in v.reason_fr


def test_a_correctly_signed_badge_with_other_days_than_its_serials(issued, demo_now):
    """Days within the event's but not the badge's own (fixed once issued) read VALID."""
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    today = demo_now.date()
    assert (badge.valid_from, badge.valid_until) != (today, today)
    moved = replace(claim_of(badge, a), valid_from=today, valid_until=today)
    v = check(kiosk, badge_code(KIOSK_KEY, moved), demo_now)
    assert (v.valid, v.reason) == (False, "bad_dates")
    assert f"not those badge {badge.serial} was issued for" in v.reason_en


def test_a_serial_the_site_never_issued_is_refused(issued, demo_now):
    """This demo store is fed by no hub: its counters write every badge they issue into
    it, so a serial it lacks was never issued, however good the signature."""
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    invented = replace(claim_of(badge, a), sequence=4321)
    v = check(kiosk, badge_code(KIOSK_KEY, invented), demo_now)
    assert (v.valid, v.reason) == (False, "unknown_serial")


def enrol_as_post(kiosk, last_sync_at):
    with kiosk.store.writing() as s:
        s.add(
            SyncStateRow(
                id=1,
                hub_url="http://127.0.0.1:9",
                hub_id="HUB",
                hub_key=bytes(32),
                kiosk_id="SEC1",
                role="security",
                cursor=1,
                acked_journal_id=0,
                last_sync_at=last_sync_at,
                last_error="",
            )
        )


def test_a_synced_post_tells_a_gap_from_a_badge_newer_than_its_list(issued, demo_now):
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    enrol_as_post(kiosk, demo_now - timedelta(minutes=1))
    kiosk_id, seq = split_serial(badge.serial)
    newer = replace(claim_of(badge, a), sequence=seq + 1)
    v = check(kiosk, badge_code(KIOSK_KEY, newer), demo_now)
    assert (v.valid, v.reason, v.verdict) == (False, "unlisted", "CHECK")
    assert "after this post's last sync" in v.reason_en and "Sync now" in v.reason_en
    with kiosk.store.writing() as s:  # the list now holds a later badge of G1
        later = s.get(BadgeRow, badge.serial)
        s.add(
            BadgeRow(
                **{c: getattr(later, c) for c in ("accreditation_id", "counter", "clerk")},
                serial=f"{kiosk_id}-{seq + 2:06d}",
                kiosk_id=kiosk_id,
                reason="",
                issued_at=demo_now,
                valid_from=later.valid_from,
                valid_until=later.valid_until,
                status="active",
            )
        )
    v = check(kiosk, badge_code(KIOSK_KEY, newer), demo_now)
    assert (v.valid, v.reason, v.verdict) == (False, "unknown_serial", "NOT VALID")


def test_every_reason_is_given_in_both_languages_failures_first(issued, demo_now):
    kiosk, codes = issued
    valid = check(kiosk, codes["approved_ministerial"][0], demo_now, event_id="UDCG")
    names = [c.name for c in valid.checks]
    assert names == [
        "signature",
        "key_owner",
        "record",
        "dates",
        "status",
        "listed",
        "today",
        "event",
    ]
    assert all(c.ok and c.reason_en and c.reason_fr for c in valid.checks)
    late = check(kiosk, codes["approved_ministerial"][0], demo_now + timedelta(days=5), "SUMMIT")
    assert [c.code for c in late.checks[:2]] == ["expired", "wrong_event"]
    assert late.reason == "expired" and late.verdict == "NOT VALID"


def test_the_post_notices_keys_and_owners_sync_changes_without_a_restart(issued, demo_now):
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    newcomer = Signer.generate(90)
    text = badge_code(newcomer, claim_of(badge, a))
    post = SecurityPost(kiosk.store, lambda: demo_now)
    assert post.verify(text).reason == "forged"  # not trusted yet
    with kiosk.store.writing() as s:  # as sync would bring it
        s.add(KeyRow(key_id=90, public_key=newcomer.public_bytes(), purpose="badge", owner="G1"))
    assert post.verify(text).valid
    with kiosk.store.writing() as s:
        s.get(KeyRow, 90).owner = "V1"
    assert post.verify(text).reason == "wrong_kiosk"
    assert post.photo(post.verify(text)) is not None


# --- A serial scanned from the badge's Code128 barcode ---------------------------------


def post(kiosk, demo_now, event_id=None) -> SecurityPost:
    return SecurityPost(kiosk.store, lambda: demo_now, event_id)


def test_a_valid_badges_serial_asks_for_the_qr_code_never_not_valid(issued, demo_now):
    kiosk, codes = issued
    for _, badge, a in codes.values():
        v = post(kiosk, demo_now).verify(badge.serial)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "serial_only", True)
        assert not v.valid  # a serial can be copied: never VALID on its own
        assert v.serial == badge.serial and v.case.person.surname in a["name"]
        assert "scan the QR code" in v.reason_en and "scanner le code QR" in v.reason_fr
        assert [c.ok for c in v.checks] == [False, True, True, True]  # signature: not read


def test_a_serial_typed_without_its_hyphen_reads_as_the_serial(issued, demo_now):
    """G1000003 for G1-000003 read NOT VALID, "not a badge code" (exploratory testing)."""
    kiosk, codes = issued
    for _, badge, _ in codes.values():
        typed = badge.serial.replace("-", "").lower()
        v = post(kiosk, demo_now).verify(typed)
        assert (v.verdict, v.reason, v.serial) == ("SCAN QR", "serial_only", badge.serial)
    unheld = post(kiosk, demo_now).verify("G7000999")
    assert (unheld.verdict, unheld.case) == ("SCAN QR", None)
    assert "G7-000999" in unheld.reason_en
    assert post(kiosk, demo_now).verify("G7").verdict == "NOT VALID"  # no serial at all


def test_a_serial_read_in_part_or_twice_asks_for_the_qr_code_never_not_valid(issued, demo_now):
    """G1-0000 (a barcode read in part) and two serials run together read NOT VALID, "not
    a badge code", where a badge code cut short reads SCAN QR: a misread is no verdict."""
    kiosk, codes = issued
    serial, other = (badge.serial for _, badge, _ in list(codes.values())[:2])
    cut = (serial[:-2], serial[: serial.index("-") + 1], serial.lower()[:-5])
    for text in cut:
        v = post(kiosk, demo_now).verify(text)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "misread", True), text
        assert "serial read only in part" in v.reason_en and "lu en partie" in v.reason_fr
        assert text.upper() in v.reason_en
    for text in (serial + other, serial + serial + serial, serial + "000001"):
        v = post(kiosk, demo_now).verify(text)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "misread", True), text
        assert "read twice, or two serials run together" in v.reason_en
        assert "lu deux fois" in v.reason_fr
    for text in ("G1-00X", "-000001", "G1-000001-", serial * 4):
        assert post(kiosk, demo_now).verify(text).verdict == "NOT VALID", text


def test_a_serial_read_in_part_or_twice_without_its_hyphen_asks_for_the_qr_code(issued, demo_now):
    """G10000 (G1-0000 typed without its hyphen) read NOT VALID, "not a badge code", where
    G1-0000 reads SCAN QR: a guard must never refuse a badge over a misread."""
    kiosk, codes = issued
    serial, other = (badge.serial for _, badge, _ in list(codes.values())[:2])
    bare, bare_other = serial.replace("-", ""), other.replace("-", "")
    kiosk_id = serial.split("-")[0]
    for text in (bare[:-2], bare.lower()[:-5], f"{kiosk_id}0"):
        v = post(kiosk, demo_now).verify(text)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "misread", True), text
        assert "serial read only in part" in v.reason_en and text.upper() in v.reason_en
    for text in (bare + bare_other, bare * 3, bare + "000001"):
        v = post(kiosk, demo_now).verify(text)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "misread", True), text
        assert "read twice, or two serials run together" in v.reason_en
    assert post(kiosk, demo_now).verify("HELLO1").verdict == "NOT VALID"  # no kiosk's id
    for text in ("G70000", "X" + bare[:-2]):  # no kiosk the post knows starts it
        assert post(kiosk, demo_now).verify(text).verdict == "NOT VALID", text
    assert post(kiosk, demo_now).verify(bare * 4).verdict == "NOT VALID"  # past any misread
    forged = codes["approved_ministerial"][0][:-3] + "AAA"
    assert post(kiosk, demo_now).verify(forged).verdict == "NOT VALID"
    v = post(kiosk, demo_now).verify(bare)  # a full serial: still read as the serial
    assert (v.verdict, v.reason, v.serial) == ("SCAN QR", "serial_only", serial)


class NoLookups:
    """A session that fails the test if asked anything."""

    def scalars(self, *_args):
        raise AssertionError("looked up")


def test_text_longer_than_any_misread_serial_is_not_searched_for_kiosk_ids():
    # Every start and end of a kiosk id in it was tried, and looked up: 100,000 letters
    # (`kiosk security verify`) took 10 minutes.
    for text in ("A" * (SERIAL_TYPED_MOST + 1), "G1" + "0" * 2_000, "G1" * 1_000):
        assert typed_misread(text, NoLookups()) is None


def test_a_serial_this_post_does_not_hold_asks_for_the_qr_code(issued, demo_now):
    kiosk, _ = issued
    v = post(kiosk, demo_now).verify("G7-000999")
    assert (v.verdict, v.reason, v.case) == ("SCAN QR", "serial_only", None)
    assert "holds no badge" in v.reason_en


def test_a_replaced_badges_serial_is_not_valid(issued, demo_now):
    kiosk, codes = issued
    _, badge, a = codes["approved_ministerial"]
    kiosk.desk.issue(a["code"], read_mrz(a["mrz"]), ANN, BOB, "lost")
    v = post(kiosk, demo_now).verify(badge.serial)
    assert (v.verdict, v.reason) == ("NOT VALID", "superseded")
    assert "Take the badge from the holder" in v.reason_en
    assert not any("record holds" in c.reason_en for c in v.checks)  # no line says it is fine


def test_a_lost_badges_serial_says_when_and_where_as_its_qr_code_does(issued, demo_now):
    """The serial of a badge reported lost read "was voided." where its QR code read
    "was voided on 05.12.2026 17:00 at G1."."""
    from sqlalchemy import select

    kiosk, _ = issued
    with kiosk.store.reading() as s:
        lost = s.scalars(select(BadgeRow).where(BadgeRow.status == "lost")).first()
        serial, acc = lost.serial, s.get(AccreditationRow, lost.accreditation_id)
        claim = BadgeClaim(
            acc.id, *split_serial(serial), lost.valid_from, lost.valid_until,
            Flow(acc.flow), Counter(lost.counter), acc.event_id,
        )  # fmt: skip
    by_qr = check(kiosk, badge_code(KEYS[claim.kiosk_id], claim), demo_now)
    by_serial = post(kiosk, demo_now).verify(serial)
    assert by_qr.reason == by_serial.reason == "lost"
    assert "was voided on " in by_qr.reason_en
    assert by_serial.reason_en == by_qr.reason_en and by_serial.reason_fr == by_qr.reason_fr


def test_a_revoked_badges_serial_is_not_valid(issued, demo_now):
    kiosk, codes = issued
    _, badge, _ = codes["approved_annual"]
    with kiosk.store.writing() as s:
        s.get(AccreditationRow, badge.accreditation_id).status = "revoked"
    v = post(kiosk, demo_now).verify(badge.serial)
    assert (v.verdict, v.reason) == ("NOT VALID", "revoked")


def test_a_serial_is_checked_for_its_days_and_the_posts_event(issued, demo_now):
    kiosk, codes = issued
    serial = codes["approved_ministerial"][1].serial
    later = post(kiosk, demo_now + timedelta(days=30)).verify(serial)
    assert (later.verdict, later.reason) == ("NOT VALID", "expired")
    elsewhere = post(kiosk, demo_now, "NAC-SPECIAL").verify(serial)
    assert (elsewhere.verdict, elsewhere.reason) == ("NOT VALID", "wrong_event")


# --- How current the post's data is ----------------------------------------------------


def _enrol(kiosk, synced_at, error: str = "") -> None:
    with kiosk.store.writing() as s:
        s.add(
            SyncStateRow(
                id=1,
                hub_url="https://hub.example",
                hub_id="hub",
                hub_key=bytes(32),
                kiosk_id="S1",
                role="security",
                last_sync_at=synced_at,
                last_error=error,
            )
        )


def test_a_post_not_fed_by_a_hub_reads_its_own_store_and_is_never_stale(issued, demo_now):
    kiosk, _ = issued
    data = post(kiosk, demo_now).data()
    assert (data.enrolled, data.online, data.stale) == (False, True, False)


@pytest.mark.parametrize(
    ("synced_ago", "error", "online", "stale"),
    [
        (timedelta(minutes=2), "", True, False),
        (timedelta(minutes=31), "", True, True),
        (timedelta(minutes=10), "hub unreachable", False, False),
        (None, "hub unreachable", False, True),
        (None, "", False, True),  # enrolled, never tried: it said ONLINE
        (-timedelta(minutes=90), "", True, True),  # the clock set back: "-1 h 30 min old"
    ],
)
def test_a_posts_data_age_and_whether_it_is_online(
    issued, demo_now, synced_ago, error, online, stale
):
    kiosk, _ = issued
    _enrol(kiosk, demo_now - synced_ago if synced_ago else None, error)
    data = SecurityPost(kiosk.store, lambda: demo_now, data_limit=timedelta(minutes=30)).data()
    assert (data.enrolled, data.online, data.age, data.stale) == (True, online, synced_ago, stale)


def test_a_post_that_holds_no_badge_key_yet_says_so_never_forged(issued, demo_now):
    # An enrolled post never synced read every genuine badge FORGED: "take the badge".
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    with kiosk.store.reading() as s:
        v = verify_badge(text, Keyring({}), s, demo_now)
    assert (v.valid, v.reason, v.verdict, v.undecided) == (False, "no_keys", "CHECK", True)
    assert "never synced" in v.reason_en and "Take the badge" not in v.reason_en
    unknown_key = badge_code(Signer.generate(9), claim_of(*codes["approved_ministerial"][1:]))
    assert check(kiosk, unknown_key, demo_now).reason == "forged"  # a post holding keys


def test_a_last_sync_after_now_is_data_of_unknown_age_not_a_negative_one(issued, demo_now):
    kiosk, _ = issued
    _enrol(kiosk, demo_now + timedelta(minutes=90))  # synced before the clock was set back
    en, fr = data_words(SecurityPost(kiosk.store, lambda: demo_now).data())
    assert en.startswith("ONLINE · data of unknown age (the post's clock was set back")
    assert "older than the 30" in en and "-" not in en.split("·")[1].split("(")[0]
    assert fr.startswith("EN LIGNE · données d'âge inconnu")


def test_a_post_for_several_events_admits_a_badge_valid_for_any_of_them(issued, manifest, demo_now):
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    for case in manifest["desk_cases"]["posts"]:
        v = check(kiosk, text, demo_now, event_id=",".join(case["events"]))
        assert v.valid is case["valid"], case
    v = check(kiosk, text, demo_now, event_id="NAC-SPECIAL,FORMIN")
    assert v.reason == "wrong_event"
    assert v.reason_en == (
        "NOT VALID for any event of this post (Special session of the North Atlantic "
        "Council, Meeting of NATO Ministers of Foreign Affairs): do not let the holder in."
    )
    post = SecurityPost(kiosk.store, lambda: demo_now, "DEFMIN, UDCG")
    printed = kiosk.desk.cards.card(codes["approved_ministerial"][1].serial).badge_code
    assert post.event_known() and post.verify(printed).valid
    assert not SecurityPost(kiosk.store, lambda: demo_now, "DEFMIN,NOPE").event_known()


# --- What the guard reads: a misread is no verdict, and every refusal says what to do -----


def test_a_badge_code_cut_short_asks_for_the_qr_again_never_not_valid(issued, manifest, demo_now):
    """A scanner's burst that lost its end (or a letter) gave a red NOT VALID on a valid
    badge; it now asks for the QR code again, in a neutral colour, and says what a repeat
    would mean. A confirmation letter's code and other text stay NOT VALID."""
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    cuts = (text[:120], text[:60] + text[61:], text[:2], text[:-2], text[:-4], text[:-30])
    for misread in cuts:  # an even number of letters lost read FORGED before
        v = check(kiosk, misread, demo_now)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "misread", True)
        assert "scan the QR code on the badge again" in v.reason_en
        assert "scanner à nouveau le code QR du badge" in v.reason_fr
    letter = check(kiosk, manifest["applicants"][0]["code"], demo_now)
    assert (letter.verdict, letter.reason) == ("NOT VALID", "not_a_badge")
    assert letter.reason_en.startswith("A confirmation letter's code, not a badge")
    assert letter.reason_fr.startswith("Code d'une lettre de confirmation")
    # ("BDGC-12" is a serial read in part now: kiosk BDGC, its dash, two digits.)
    for other in ("hello world", "https://example.org/BD", "BDGC 12"):
        assert check(kiosk, other, demo_now).verdict == "NOT VALID", other


def test_a_badge_code_run_on_asks_for_the_qr_again_never_forged(issued, demo_now):
    """Two scans run together in the field (a scanner sending no Enter), or a letter read
    twice, read FORGED ("take the badge") on a valid badge when the extra letters were
    even in number, and "cut short" when odd; they now ask for the QR code again."""
    kiosk, codes = issued
    text = codes["approved_ministerial"][0]
    run_on = (text + text, text + "BC", text + "B", text + text[:40], text[:90] + text[89:])
    for misread in run_on:
        v = check(kiosk, misread, demo_now)
        assert (v.verdict, v.reason, v.undecided) == ("SCAN QR", "misread", True)
        assert v.reason_en.startswith("More letters than a badge's code")
        assert v.reason_fr.startswith("Plus de lettres qu'un code de badge")
    assert check(kiosk, text, demo_now).valid
    assert check(kiosk, text + "B" * 1000, demo_now).reason == "forged"  # no scan of a badge
    serial = codes["approved_ministerial"][1].serial  # the QR, then the barcode: NOT VALID
    for run_on in (text + serial, text + " " + serial.lower()):
        v = check(kiosk, run_on, demo_now)
        assert (v.verdict, v.reason) == ("SCAN QR", "misread"), run_on


DO_EN = ("take the badge from the holder", "take it from the holder", "do not let the holder")
DO_FR = ("retirer le badge à son porteur", "le retirer à son porteur", "laisser entrer son porteur")


def test_every_refusal_tells_the_guard_what_to_do(issued, demo_now):
    """Expired, not yet valid, another event, a forged signature, a claim against the
    record: each headline used to stop at the fact ("EXPIRED on 15.02.2026.")."""
    kiosk, codes = issued
    text, badge, a = codes["approved_ministerial"]
    other_key = badge_code(Signer.generate(65), claim_of(badge, a))
    wrong_flow = badge_code(KIOSK_KEY, replace(claim_of(badge, a), flow=Flow.ANNUAL))
    seen = {
        check(kiosk, text, demo_now + timedelta(days=30)),
        check(kiosk, text, demo_now - timedelta(days=30)),
        check(kiosk, text, demo_now, "NAC-SPECIAL"),
        check(kiosk, text, demo_now, "NAC-SPECIAL,SUMMIT"),
        check(kiosk, other_key, demo_now),
        check(kiosk, wrong_flow, demo_now),
    }
    reasons = {v.reason for v in seen}
    assert reasons == {"expired", "not_yet_valid", "wrong_event", "forged"}
    for v in seen:
        assert v.verdict == "NOT VALID"
        assert any(words in v.reason_en.lower() for words in DO_EN), v.reason_en
        assert any(words in v.reason_fr.lower() for words in DO_FR), v.reason_fr


def test_a_serial_is_read_in_the_one_form_every_kiosk_writes():
    from kiosk.verify import is_serial

    assert is_serial("G1-000042") and is_serial(" V12-1000000 ")  # past a million badges
    assert not is_serial("g1-000042")  # lower case: the layout undoing comes first
    assert not is_serial("1G-000042")  # no kiosk id starts with a digit
    assert not is_serial("G1-00042")  # six digits at least


def test_every_reason_the_post_gives_is_listed_and_named_at_the_hub():
    import ast
    from pathlib import Path

    from hub.web.texts import texts
    from kiosk.badge_life import VOIDED
    from kiosk.verify import REASONS, UNDECIDED

    written = set()
    for source in ("kiosk/badge_checks.py", "kiosk/verify.py"):
        tree = ast.parse((Path(__file__).parents[2] / source).read_text())
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = getattr(call.func, "id", "")
            at = {"_no": 1, "PostCheck": 2}.get(name)
            if at is not None and isinstance(call.args[at], ast.Constant):
                written.add(call.args[at].value)
    written |= set(VOIDED)  # a voided badge's status is its code
    assert len(written) > 15 and written <= set(REASONS)
    for lang in ("en", "fr"):  # Site today and the applicant's page name each refusal
        named = texts(lang)["post_reasons"]
        assert set(REASONS) - {"ok", *UNDECIDED} <= set(named), lang
