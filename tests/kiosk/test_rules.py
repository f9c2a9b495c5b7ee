"""Each rule alone, then `decide` over the combinations a counter meets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk import documents, rules
from kiosk.model import (
    BRUSSELS,
    Accreditation,
    Badge,
    BadgeStatus,
    Case,
    Counter,
    Event,
    Flow,
    IdDocument,
    IdReading,
    Letter,
    LetterKind,
    LetterMember,
    MediaKind,
    Person,
    Proof,
    Status,
    Verdict,
)

DAY = date(2026, 2, 14)


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=BRUSSELS)


NOON = at(DAY, 12)
DEFMIN = Event(
    "DEFMIN",
    "Defence Ministers",
    "NATO HQ",
    True,
    DAY,
    DAY + timedelta(days=1),
    at(DAY - timedelta(days=1), 7, 30),
    at(DAY + timedelta(days=1), 18),
    valid_with=("UDCG",),
)
PERSON = Person(
    1,
    "Müller",
    "Jürgen",
    date(1980, 5, 17),
    "DEU",
    "j@x.example",
    "dpa",
    MediaKind.WRITTEN,
    has_photo=True,
)
KEY = bytes(range(32))  # the site's document key: stores hold numbers as keyed hashes
DOC = documents.hashed_document(
    KEY, IdDocument("C01X00T47", "DEU", "Müller", "Jürgen", date(1980, 5, 17), date(2030, 1, 1))
)
READING = IdReading(
    "P", "DEU", "C01X00T47", "MUELLER", "JUERGEN", "DEU", date(1980, 5, 17), "M", date(2030, 1, 1)
)
EVENT_ACC = Accreditation(
    7, 1, Flow.EVENT, Status.APPROVED, DOC, Proof("PC-123"), event_id="DEFMIN"
)
ANNUAL_ACC = replace(EVENT_ACC, flow=Flow.ANNUAL, event_id=None, year=DAY.year)


def case(acc: Accreditation = EVENT_ACC, event: Event | None = DEFMIN, **kw) -> Case:
    kw.setdefault("photo_ok", True)
    return Case(acc, PERSON, event if acc.flow is Flow.EVENT else None, **kw)


def decide(
    c: Case,
    counter: Counter = Counter.GROUPS,
    now: datetime = NOON,
    reading: IdReading | None = READING,
):
    return rules.decide(c, counter, now, documents.with_digest(reading, KEY))


def test_everything_in_order_issues():
    d = decide(case())
    assert d.verdict is Verdict.ISSUE
    assert all(c.ok for c in d.checks)
    assert d.headline_en.startswith("All checks passed")


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (Status.APPROVED, Verdict.ISSUE),
        (Status.PENDING, Verdict.REFUSE),
        (Status.DENIED, Verdict.REFUSE),
        (Status.REVOKED, Verdict.REFUSE),
    ],
)
def test_status(status, verdict):
    d = decide(case(replace(EVENT_ACC, status=status)))
    assert d.verdict is verdict
    if verdict is Verdict.REFUSE:
        assert d.failures[0].name == "status"


def test_revocation_gives_its_time_and_reason_in_both_languages():
    acc = replace(
        EVENT_ACC,
        status=Status.REVOKED,
        status_reason="security assessment",
        status_changed_at=at(DAY - timedelta(days=2), 15, 20),
    )
    c = rules.check_status(case(acc))
    assert "12.02.2026 15:20" in c.reason_en and "security assessment" in c.reason_en
    assert "révoquée" in c.reason_fr and "security assessment" in c.reason_fr


@pytest.mark.parametrize(
    ("flow", "counter", "verdict", "redirect"),
    [
        (Flow.EVENT, Counter.GROUPS, Verdict.ISSUE, None),
        (Flow.EVENT, Counter.VISITORS, Verdict.REDIRECT, Counter.GROUPS),
        (Flow.ANNUAL, Counter.VISITORS, Verdict.ISSUE, None),
        (Flow.ANNUAL, Counter.GROUPS, Verdict.REDIRECT, Counter.VISITORS),
    ],
)
def test_counter_per_flow(flow, counter, verdict, redirect):
    acc = EVENT_ACC if flow is Flow.EVENT else ANNUAL_ACC
    d = decide(case(acc), counter)
    assert (d.verdict, d.redirect_to) == (verdict, redirect)


@pytest.mark.parametrize(
    ("at_hq", "admitted", "verdict"),
    [(True, True, Verdict.REDIRECT), (True, False, Verdict.ISSUE), (False, True, Verdict.REFUSE)],
)
def test_annual_holder_needs_no_ministerial_badge_for_an_hq_event(at_hq, admitted, verdict):
    event = replace(DEFMIN, at_hq=at_hq, annual_admitted=admitted)
    d = decide(case(event=event, holds_annual=True))
    assert d.verdict is verdict
    if verdict is Verdict.REDIRECT:
        assert d.redirect_to is Counter.VISITORS
        assert "No ministerial badge is needed" in d.headline_en
        assert "collect it" in d.headline_en


ANNUAL_BADGE = Badge(
    "V1-000009", 8, Counter.VISITORS, "V1", "ann", NOON, date(2026, 1, 1), date(2026, 12, 31)
)


@pytest.mark.parametrize("counter", list(Counter))
def test_an_annual_holder_with_the_annual_badge_needs_nothing_at_either_counter(counter):
    d = decide(case(holds_annual=True, annual_badge=ANNUAL_BADGE), counter)
    assert (d.verdict, d.redirect_to) == (Verdict.NOT_NEEDED, None)
    assert d.headline_en.startswith("No ministerial badge is needed")
    assert "V1-000009" in d.headline_en and "V1-000009" in d.headline_fr


def test_annual_holder_at_the_visitors_counter_is_never_sent_to_it_or_away():
    d = decide(case(holds_annual=True), Counter.VISITORS)
    assert (d.verdict, d.redirect_to) == (Verdict.NOT_NEEDED, None)
    assert "issue it here" in d.headline_en
    assert not any(c.redirect_to for c in d.checks), "no line sends them to another counter"


@pytest.mark.parametrize("counter", list(Counter))
@pytest.mark.parametrize("holds_annual", [False, True])
@pytest.mark.parametrize("flow", list(Flow))
def test_no_decision_redirects_to_the_counter_it_is_made_at(counter, holds_annual, flow):
    acc = EVENT_ACC if flow is Flow.EVENT else ANNUAL_ACC
    d = decide(case(acc, holds_annual=holds_annual), counter)
    assert d.redirect_to is not counter
    assert all(c.redirect_to is not counter for c in d.checks)
    if d.verdict is Verdict.REDIRECT:  # the lines that redirect agree with the verdict
        assert {c.redirect_to for c in d.failures if c.redirect_to} == {d.redirect_to}


def test_the_annual_flow_says_why_an_event_code_led_to_the_annual_badge():
    event_case = case(holds_annual=True)
    d = rules.decide(
        case(ANNUAL_ACC),
        Counter.VISITORS,
        NOON,
        documents.with_digest(READING, KEY),
        instead_of=event_case,
    )
    assert d.verdict is Verdict.ISSUE
    line = next(c for c in d.checks if c.name == "annual_cover")
    assert line.ok and "This is the annual badge" in line.reason_en


def _ended(status: BadgeStatus) -> Badge:
    return replace(ANNUAL_BADGE, serial="G1-000042", accreditation_id=7, status=status)


def test_a_rescanned_revoked_badge_is_named_never_no_badge_issued_yet():
    revoked = replace(EVENT_ACC, status=Status.REVOKED)
    d = decide(case(revoked, ended_badges=(_ended(BadgeStatus.REVOKED),)))
    assert d.verdict is Verdict.REFUSE
    badge_line = next(c for c in d.checks if c.name == "badge")
    assert not badge_line.ok
    # never "take it from the holder" of a badge no card was printed of (a PDF only)
    assert "G1-000042 was revoked: take its card back, if one was handed over" in (
        badge_line.reason_en
    )
    assert not any("No badge issued yet" in c.reason_en for c in d.checks)


def test_a_revoked_badge_of_an_accreditation_approved_again_is_replaced():
    d = decide(case(ended_badges=(_ended(BadgeStatus.REVOKED),)))
    assert d.verdict is Verdict.ISSUE
    badge_line = next(c for c in d.checks if c.name == "badge")
    assert badge_line.ok and "no longer valid: a new badge will be issued" in badge_line.reason_en


def test_event_outside_hq_is_refused_at_either_counter():
    event = replace(DEFMIN, at_hq=False, place="Vilnius")
    for counter in Counter:
        d = decide(case(event=event), counter)
        assert d.verdict is Verdict.REFUSE
        assert d.failures[0].name == "place" and "Vilnius" in d.headline_en


@pytest.mark.parametrize(
    ("now", "ok"),
    [
        (at(DAY - timedelta(days=1), 7, 29), False),  # a minute before opening
        (at(DAY - timedelta(days=1), 7, 30), True),  # opening minute
        (at(DAY + timedelta(days=1), 17, 59), True),
        (at(DAY + timedelta(days=1), 18, 0), False),  # closing is exclusive
        # 06:45 UTC is 07:45 in Brussels in winter: open, though 06:45 < 07:30.
        (datetime(2026, 2, 13, 6, 45, tzinfo=UTC), True),
    ],
)
def test_collection_window_in_brussels_time(now, ok):
    assert rules.check_window(case(), now).ok is ok


def test_collection_window_across_the_spring_dst_change():
    # 29 March 2026: clocks go from 02:00 CET to 03:00 CEST. A window closing at 18:00
    # Brussels time closes at 16:00 UTC that day, not 17:00.
    event = replace(
        DEFMIN,
        collection_opens=at(date(2026, 3, 28), 8),
        collection_closes=at(date(2026, 3, 29), 18),
        valid_with=(),
    )
    c = case(event=event)
    assert rules.check_window(c, datetime(2026, 3, 29, 15, 59, tzinfo=UTC)).ok
    assert not rules.check_window(c, datetime(2026, 3, 29, 16, 0, tzinfo=UTC)).ok


def test_event_valid_with_another_widens_window_and_validity():
    # The contact group meets the day before the ministers' meeting; the ministerial
    # accreditation is valid for it, so its badge is handed out and valid from then.
    udcg = Event(
        "UDCG",
        "Contact Group",
        "NATO HQ",
        True,
        DAY - timedelta(days=1),
        DAY - timedelta(days=1),
        at(DAY - timedelta(days=2), 8),
        at(DAY - timedelta(days=1), 18),
    )
    event = replace(DEFMIN, collection_opens=at(DAY, 7, 30))
    before = at(DAY - timedelta(days=2), 9)
    assert not rules.check_window(case(event=event), before).ok
    linked = case(event=event, linked_events=(udcg,))
    assert rules.check_window(linked, before).ok
    assert rules.badge_validity(linked) == (DAY - timedelta(days=1), DAY + timedelta(days=1))


def test_annual_window_and_validity():
    c = case(ANNUAL_ACC)
    assert not rules.check_window(c, at(date(2025, 11, 30), 23, 59)).ok
    assert rules.check_window(c, at(date(2025, 12, 1), 0, 0)).ok
    assert rules.check_window(c, at(date(2026, 12, 31), 23, 59)).ok
    assert not rules.check_window(c, at(date(2027, 1, 1), 0, 0)).ok
    assert rules.badge_validity(c) == (date(2026, 1, 1), date(2026, 12, 31))


def test_a_window_ending_at_midnight_is_said_until_its_last_day():
    """Not "until 01.01.2027 00:00", which a clerk reads as one day too many."""
    inside = rules.check_window(case(ANNUAL_ACC), at(date(2026, 6, 1), 10, 0))
    assert inside.reason_en == "Within the collection period (until 31.12.2026)."
    assert inside.reason_fr == "Dans la période de remise (jusqu'au 31.12.2026)."
    event = rules.check_window(case(), at(DAY, 10, 0))  # the event's own end, an hour
    assert event.reason_en.endswith(" 18:00).")
    late = rules.check_window(case(ANNUAL_ACC), at(date(2027, 1, 2), 10, 0))  # said 01.01.2027
    assert late.reason_en == "Too late: these badges were handed out until 31.12.2026."
    assert late.reason_fr == "Trop tard : ces badges étaient remis jusqu'au 31.12.2026."


def test_without_an_id_scan_the_verdict_waits_for_it():
    d = decide(case(), reading=None)
    assert d.verdict is Verdict.INCOMPLETE
    assert "Scan the ID document" in d.headline_en


@pytest.mark.parametrize(
    ("change", "failed", "verdict"),
    [
        ({"document_number": "X99999999"}, "id_number", Verdict.SUPERVISOR),
        ({"document_number": "c01x 00t47"}, None, Verdict.ISSUE),  # spacing, case
        ({"surname": "MULLER"}, None, Verdict.ISSUE),  # Ü as U
        ({"surname": "MEIER"}, "id_names", Verdict.REFUSE),
        ({"given_names": "HANS"}, "id_names", Verdict.REFUSE),
        ({"birth_date": date(1980, 5, 18)}, "id_birth", Verdict.REFUSE),
        ({"expiry_date": DAY - timedelta(days=1)}, "id_expiry", Verdict.REFUSE),
        ({"expiry_date": DAY}, None, Verdict.ISSUE),  # valid through its last day
        # the same number on another state's document, and a visa: both passed
        ({"issuing_state": "AUT"}, "id_number", Verdict.SUPERVISOR),
        ({"document_type": "V"}, "id_document", Verdict.INCOMPLETE),
        ({"document_type": "VB"}, "id_document", Verdict.INCOMPLETE),
        ({"document_type": "ID"}, None, Verdict.ISSUE),  # an ID card of that number
    ],
)
def test_same_id_document(change, failed, verdict):
    d = decide(case(), reading=replace(READING, **change))
    assert d.verdict is verdict
    assert (d.failures[0].name if d.failures else None) == failed


@pytest.mark.parametrize(
    ("surname", "given", "verdict"),
    [
        ("Müller", "Jürgen", Verdict.ISSUE),  # Ü as UE, as ICAO 9303 writes it
        ("Muller", "Jurgen", Verdict.SUPERVISOR),  # typed plain: it was refused outright
        ("Muller", "Hans", Verdict.REFUSE),  # another name all the same
    ],
)
def test_an_umlaut_the_application_typed_plain_goes_to_a_supervisor(surname, given, verdict):
    typed = replace(DOC, surname=surname, given_names=given)
    d = decide(case(replace(EVENT_ACC, id_document=typed)))  # the passport: MUELLER, JUERGEN
    assert d.verdict is verdict
    if verdict is Verdict.SUPERVISOR:
        assert d.failures[0].name == "id_names" and "a supervisor checks" in d.headline_en


@pytest.mark.parametrize(
    ("born", "unknown", "ok"),
    [
        (date(1980, 5, 1), "day", True),  # the document gives May 1980
        (date(1980, 6, 1), "day", False),
        (date(1980, 1, 1), "month", True),  # the document gives 1980
        (date(1981, 1, 1), "month", False),
        (date(1980, 5, 1), "", False),  # a full date must be the same day
    ],
)
def test_a_date_of_birth_partly_unknown_matches_in_the_parts_it_gives(born, unknown, ok):
    """Doc 9303 Part 3: fillers where the day (or month and day) of birth is unknown."""
    reading = replace(READING, birth_date=born, birth_unknown=unknown)
    check = next(c for c in decide(case(), reading=reading).checks if c.name == "id_birth")
    assert check.ok is ok


def test_a_date_of_birth_partly_unknown_is_written_as_given():
    reading = replace(READING, birth_date=date(1981, 5, 1), birth_unknown="day")
    check = next(c for c in decide(case(), reading=reading).checks if c.name == "id_birth")
    assert check.reason_en.startswith("Date of birth on the ID document (05.1981) differs")


def test_a_date_of_birth_wholly_unknown_needs_a_supervisor():
    """Six fillers (Doc 9303 Part 3): the document cannot confirm the date on file."""
    reading = replace(READING, birth_unknown="year")
    decision = decide(case(), reading=reading)
    check = next(c for c in decision.checks if c.name == "id_birth")
    assert (check.ok, check.on_fail) == (False, Verdict.SUPERVISOR)
    assert check.reason_en.startswith("The ID document gives no date of birth")
    assert decision.verdict is Verdict.SUPERVISOR


def test_reasons_in_french_are_french():
    names = decide(case(), reading=replace(READING, surname="MEIER")).failures[0]
    assert names.reason_fr == (
        "Les noms de la pièce diffèrent de la demande : le nom MUELLER dans la demande, "
        "MEIER sur la pièce."
    )
    editor = Proof(None, Letter(LetterKind.EDITOR, "dpa", True))
    letter = rules.check_proof(case(replace(EVENT_ACC, proof=editor)))
    assert letter.reason_fr == "Lettre de la rédaction signée de dpa au dossier."
    redirect = decide(case(ANNUAL_ACC), Counter.GROUPS).failures[0]
    assert redirect.reason_fr == (
        "Les badges annuels sont remis au bureau des badges de l'entrée Visiteurs : y envoyer "
        "le demandeur."
    )


def test_id_document_expiry_uses_the_brussels_day():
    reading = replace(READING, expiry_date=DAY)
    late_utc = datetime(DAY.year, DAY.month, DAY.day, 23, 30, tzinfo=UTC)  # 00:30 next day
    checks = {c.name: c for c in rules.check_id_document(case(), reading, late_utc)}
    assert not checks["id_expiry"].ok


def hashed(m: LetterMember) -> LetterMember:
    """A member as a store holds it (see kiosk/documents.py)."""
    digest = documents.document_digest(KEY, m.document_number)
    tail = documents.doc_number_tail(m.document_number)
    return replace(m, document_number="", document_digest=digest, document_tail=tail)


MEMBER = hashed(LetterMember("MÜLLER", "Jürgen", date(1980, 5, 17), "C01X00T47"))
OTHER_MEMBER = hashed(replace(MEMBER, document_number="OTHER1"))


@pytest.mark.parametrize(
    ("proof", "ok"),
    [
        (Proof("PC-123"), True),
        (Proof("N/A"), False),
        # "NA", "none", "-" and blanks were taken as card numbers: "Press card no. NA"
        (Proof("NA"), False),
        (Proof("none"), False),
        (Proof("-"), False),
        (Proof("   "), False),
        (Proof(None), False),
        (Proof(None, Letter(LetterKind.EDITOR, "dpa", True)), True),
        (Proof(None, Letter(LetterKind.EDITOR, "dpa", False)), False),
        (Proof(None, Letter(LetterKind.GROUP, "ZDF", True, (MEMBER,))), True),
        (
            Proof(
                None,
                Letter(LetterKind.GROUP, "ZDF", True, (OTHER_MEMBER,)),
            ),
            False,
        ),
        (
            Proof(
                None,
                Letter(
                    LetterKind.GROUP,
                    "ZDF",
                    True,
                    (replace(MEMBER, date_of_birth=date(1981, 1, 1)),),
                ),
            ),
            False,
        ),
    ],
)
def test_professional_proof(proof, ok):
    d = decide(case(replace(EVENT_ACC, proof=proof)))
    assert d.verdict is (Verdict.ISSUE if ok else Verdict.SUPERVISOR)
    assert rules.overridable(d) is not ok


def test_no_photo_is_refused():
    d = decide(case(photo_ok=False))
    assert d.verdict is Verdict.REFUSE and d.failures[0].name == "photo"


def test_badge_already_issued_needs_a_supervisor():
    earlier = Badge("G1-000001", 7, Counter.GROUPS, "G1", "ann", at(DAY, 8, 30), DAY, DAY)
    d = decide(case(active_badges=(earlier,)))
    assert d.verdict is Verdict.SUPERVISOR
    assert "G1-000001" in d.headline_en and rules.overridable(d)


def test_refusal_outranks_redirect_and_redirect_outranks_supervisor():
    earlier = Badge("G1-000001", 7, Counter.GROUPS, "G1", "ann", at(DAY, 8, 30), DAY, DAY)
    d = decide(case(active_badges=(earlier,)), Counter.VISITORS)
    assert d.verdict is Verdict.REDIRECT  # the other counter will ask for a supervisor
    d = decide(case(replace(EVENT_ACC, status=Status.REVOKED)), Counter.VISITORS)
    assert d.verdict is Verdict.REFUSE and d.redirect_to is None
    assert [c.name for c in d.failures] == ["status", "counter"]


def test_supervisor_cannot_override_a_missing_id_scan():
    earlier = Badge("G1-000001", 7, Counter.GROUPS, "G1", "ann", at(DAY, 8, 30), DAY, DAY)
    d = decide(case(active_badges=(earlier,)), reading=None)
    assert d.verdict is Verdict.SUPERVISOR and not rules.overridable(d)


def test_unreadable_code_is_a_plain_refusal():
    d = rules.refuse_unreadable("code", "bad", "mauvais")
    assert d.verdict is Verdict.REFUSE and d.case is None and d.headline_fr == "mauvais"
