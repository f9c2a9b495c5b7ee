"""The demo world's events and named situations, with the verdict each one calls for.

Expected verdicts are written here by hand from ../shared/DOMAIN.md, not computed by the
rules: the tests compare what the rules decide against them. Dates are relative to
`today` so the demo works on any day.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from kiosk.model import (
    BRUSSELS,
    Accreditation,
    Counter,
    Event,
    Flow,
    IdDocument,
    Letter,
    LetterKind,
    LetterMember,
    MediaKind,
    Person,
    Proof,
    Status,
    Verdict,
)

ISSUE, REDIRECT, REFUSE, SUPERVISOR = (
    Verdict.ISSUE,
    Verdict.REDIRECT,
    Verdict.REFUSE,
    Verdict.SUPERVISOR,
)


@dataclass(frozen=True)
class Entry:
    """One accreditation of the demo world, the document its holder shows, and what the
    counters must decide when the confirmation code and that document are scanned."""

    situation: str
    description: str
    person: Person
    accreditation: Accreditation
    presented: IdDocument  # the document shown at the counter: its MRZ is in the manifest
    expect: dict[Counter, Verdict]
    photo: bool = True
    prior_badge: bool = False  # a badge was issued for it earlier today
    prior_life: str | None = None  # and then reported so (kiosk.badge_life.LifeEvent)
    # What a hand-off slip asks the office to fix (kiosk.handoff.OFFICE_FIXES), if any.
    handoff: tuple[str, ...] = ()
    redirect_to: dict[Counter, Counter] = field(default_factory=dict)


def slug(text: str) -> str:
    """ASCII letters and hyphens only, for demo e-mail domains."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().split())


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=BRUSSELS)


HQ_FR = "Siège de l'OTAN, Bruxelles"


def events(today: date) -> list[Event]:
    """A Defence Ministers meeting at HQ (preview press conference the day before), the
    Ukraine Defense Contact Group meeting its accreditation is valid for, a summit outside
    HQ, a future meeting, and a session that annual holders are not admitted to."""
    return [
        Event(
            id="DEFMIN",
            name="Meeting of NATO Ministers of Defence",
            place="NATO Headquarters, Brussels",
            at_hq=True,
            first_day=today - timedelta(days=1),
            last_day=today + timedelta(days=1),
            collection_opens=_at(today - timedelta(days=1), 7, 30),
            collection_closes=_at(today + timedelta(days=1), 18),
            valid_with=("UDCG",),
            colour="#c62828",
            name_fr="Réunion des ministres de la Défense des pays de l'OTAN",
            place_fr=HQ_FR,
        ),
        Event(
            id="UDCG",
            name="Ukraine Defense Contact Group meeting",
            place="NATO Headquarters, Brussels",
            at_hq=True,
            first_day=today,
            last_day=today,
            collection_opens=_at(today, 7, 30),
            collection_closes=_at(today, 18),
            colour="#f9a825",
            name_fr="Réunion du Groupe de contact sur la défense de l'Ukraine",
            place_fr=HQ_FR,
        ),
        Event(
            id="SUMMIT",
            name="Summit of Heads of State and Government",
            place="Vilnius, Lithuania",
            at_hq=False,
            first_day=today + timedelta(days=40),
            last_day=today + timedelta(days=41),
            collection_opens=_at(today + timedelta(days=39), 8),
            collection_closes=_at(today + timedelta(days=41), 18),
            annual_admitted=False,
            colour="#2e7d32",
            name_fr="Sommet des chefs d'État et de gouvernement",
            place_fr="Vilnius (Lituanie)",
        ),
        Event(
            id="FORMIN",
            name="Meeting of NATO Ministers of Foreign Affairs",
            place="NATO Headquarters, Brussels",
            at_hq=True,
            first_day=today + timedelta(days=14),
            last_day=today + timedelta(days=15),
            collection_opens=_at(today + timedelta(days=13), 7, 30),
            collection_closes=_at(today + timedelta(days=15), 18),
            colour="#6a1b9a",
            name_fr="Réunion des ministres des Affaires étrangères des pays de l'OTAN",
            place_fr=HQ_FR,
        ),
        Event(
            id="NAC-SPECIAL",
            name="Special session of the North Atlantic Council",
            place="NATO Headquarters, Brussels",
            at_hq=True,
            first_day=today,
            last_day=today + timedelta(days=1),
            collection_opens=_at(today - timedelta(days=1), 7, 30),
            collection_closes=_at(today + timedelta(days=1), 18),
            annual_admitted=False,  # "unless otherwise specified for some events"
            colour="#00838f",
            name_fr="Session extraordinaire du Conseil de l'Atlantique Nord",
            place_fr=HQ_FR,
        ),
    ]


class _Maker:
    """Hands out person and accreditation ids and builds consistent records."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.next_person = 1
        self.next_acc = 1

    def person(
        self,
        surname: str,
        given: str,
        born: date,
        nat: str,
        org: str,
        kind: MediaKind,
    ) -> Person:
        pid = self.next_person
        self.next_person += 1
        email = f"applicant{pid}@{slug(org) or 'freelance'}.example"
        return Person(pid, surname, given, born, nat, email, org, kind)

    def document(self, p: Person, number: str, kind: str = "P", years: int = 6) -> IdDocument:
        return IdDocument(
            number=number,
            issuing_state=p.nationality,
            surname=p.surname,
            given_names=p.given_names,
            date_of_birth=p.date_of_birth,
            expiry=self.today + timedelta(days=365 * years),
            kind=kind,
        )

    def accreditation(
        self,
        p: Person,
        doc: IdDocument,
        flow: Flow = Flow.EVENT,
        event_id: str | None = "DEFMIN",
        proof: Proof | None = None,
        **kw: object,
    ) -> Accreditation:
        aid = self.next_acc
        self.next_acc += 1
        return Accreditation(
            id=aid,
            person_id=p.id,
            flow=flow,
            status=kw.pop("status", Status.APPROVED),  # type: ignore[arg-type]
            id_document=doc,
            proof=proof or Proof(press_card=f"PC-{p.nationality}-{40000 + p.id}"),
            year=self.today.year if flow is Flow.ANNUAL else None,
            event_id=None if flow is Flow.ANNUAL else event_id,
            **kw,  # type: ignore[arg-type]
        )


def _doc_number(p: Person) -> str:
    """A passport number of 9 characters, unique to the person: E01FR7731 for the first
    ones, the id in base 36 for those numbered after the generated applicants
    (E255VFR77 for 100,003; up to 1,679,615): the MRZ holds 9."""
    if p.id < 100:
        return f"E{p.id:02d}{p.nationality[:2]}7731"
    digits, n = "", p.id
    while n:
        n, r = divmod(n, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[r] + digits
    return f"E{digits:0>4}{p.nationality[:2]}77"


def _event_entry(
    m: _Maker,
    situation: str,
    description: str,
    p: Person,
    expect_groups: Verdict,
    expect_visitors: Verdict = REDIRECT,
    **kw: object,
) -> Entry:
    doc = kw.pop("doc", None) or m.document(p, _doc_number(p))
    presented = kw.pop("presented", doc)
    entry_kw = {k: kw.pop(k) for k in ("photo", "prior_badge", "prior_life", "handoff") if k in kw}
    acc = m.accreditation(p, doc, **kw)  # type: ignore[arg-type]
    redirect = {
        c: v for c, v in ((Counter.VISITORS, Counter.GROUPS),) if expect_visitors is REDIRECT
    }
    return Entry(
        situation,
        description,
        p,
        acc,
        presented,
        {Counter.GROUPS: expect_groups, Counter.VISITORS: expect_visitors},
        redirect_to=redirect,
        **entry_kw,  # type: ignore[arg-type]
    )


def named_entries(today: date) -> list[Entry]:
    """One applicant (or crew) in every situation a counter meets."""
    m = _Maker(today)
    entries: list[Entry] = []
    add = entries.append

    p = m.person("Lefèvre", "Camille", date(1986, 4, 12), "FRA", "Le Quotidien", MediaKind.WRITTEN)
    add(_event_entry(m, "approved_ministerial", "Approved for the ministerial meeting.", p, ISSUE))

    p = m.person("Janssens", "Pieter", date(1979, 9, 3), "BEL", "De Standaard", MediaKind.WRITTEN)
    doc = m.document(p, "592847163", kind="I")
    acc = m.accreditation(p, doc, flow=Flow.ANNUAL)
    add(
        Entry(
            "approved_annual",
            "Approved annual accreditation: collects the new annual badge.",
            p,
            acc,
            doc,
            {Counter.GROUPS: REDIRECT, Counter.VISITORS: ISSUE},
            redirect_to={Counter.GROUPS: Counter.VISITORS},
        )
    )

    p = m.person("Kowalski", "Tomasz", date(1990, 1, 30), "POL", "Radio Wolna", MediaKind.RADIO)
    add(
        _event_entry(
            m,
            "pending",
            "Application not yet decided.",
            p,
            REFUSE,
            REFUSE,
            status=Status.PENDING,
            handoff=("pending",),
        )
    )

    p = m.person("Novak", "Ivana", date(1984, 6, 17), "HRV", "Portal Vijesti", MediaKind.ONLINE)
    add(_event_entry(m, "denied", "Application denied.", p, REFUSE, REFUSE, status=Status.DENIED))

    p = m.person("Brennan", "Siobhán", date(1982, 11, 8), "IRL", "Dublin Wire", MediaKind.ONLINE)
    add(
        _event_entry(
            m,
            "revoked",
            "Approved, then revoked after the confirmation e-mail.",
            p,
            REFUSE,
            REFUSE,
            status=Status.REVOKED,
            status_reason="revoked by the accreditation office after confirmation",
            status_reason_fr="révoquée par le bureau des accréditations après confirmation",
            status_changed_at=datetime.combine(
                today - timedelta(days=2), time(15, 20), tzinfo=BRUSSELS
            ),
        )
    )

    p = m.person("Rossi", "Giulia", date(1988, 2, 21), "ITA", "Corriere Estero", MediaKind.TV)
    applied = m.document(p, "CA1234567", kind="I")
    other = m.document(p, "YA7654321")
    add(
        _event_entry(
            m,
            "wrong_id_document",
            "Applied with her ID card, shows her passport.",
            p,
            SUPERVISOR,
            doc=applied,
            presented=other,
        )
    )

    p = m.person("Dubois", "Marc", date(1975, 7, 5), "BEL", "Télé Bruxelles", MediaKind.TV)
    stranger = IdDocument(
        "EH9911223", "BEL", "DUPONT", "JEAN", date(1971, 3, 14), today + timedelta(days=900)
    )
    add(
        _event_entry(
            m,
            "impostor_document",
            "Shows somebody else's passport.",
            p,
            REFUSE,
            REFUSE,
            presented=stranger,
        )
    )

    p = m.person("Schmidt", "Anna", date(1992, 12, 1), "DEU", "Tagesblatt", MediaKind.WRITTEN)
    expired = replace(m.document(p, "C01X00T47"), expiry=today - timedelta(days=1))
    add(
        _event_entry(
            m,
            "expired_id_document",
            "Her passport expired yesterday.",
            p,
            REFUSE,
            REFUSE,
            doc=expired,
        )
    )

    p = m.person("Andersen", "Mette", date(1980, 3, 9), "DNK", "Politiken Int", MediaKind.WRITTEN)
    add(
        _event_entry(
            m,
            "badge_already_issued",
            "Collected a badge this morning, says it was lost.",
            p,
            SUPERVISOR,
            prior_badge=True,
        )
    )

    letter_members = []
    crew = [
        m.person(
            "Van den Berg", "Sander", date(1983, 5, 2), "NLD", "NOS Nieuws", MediaKind.FILM_CREW
        ),
        m.person("de Vries", "Lotte", date(1991, 8, 19), "NLD", "NOS Nieuws", MediaKind.TV),
        m.person("Bakker", "Joost", date(1977, 10, 23), "NLD", "NOS Nieuws", MediaKind.TECHNICIAN),
    ]
    crew_docs = [m.document(c, f"NX{c.id:02d}R8K{c.id % 10}", kind="P") for c in crew]
    for c, d in zip(crew, crew_docs, strict=True):
        letter_members.append(
            LetterMember(c.surname.upper(), c.given_names, c.date_of_birth, d.number)
        )
    group_letter = Letter(LetterKind.GROUP, "NOS Nieuws", True, tuple(letter_members))
    for c, d in zip(crew, crew_docs, strict=True):
        add(
            _event_entry(
                m,
                "crew_group_letter",
                "TV crew member listed on the editor's signed group letter.",
                c,
                ISSUE,
                doc=d,
                proof=Proof(None, group_letter),
            )
        )
    p = m.person("Smit", "Daan", date(1994, 4, 4), "NLD", "NOS Nieuws", MediaKind.TECHNICIAN)
    add(
        _event_entry(
            m,
            "crew_not_on_letter",
            "Uploaded the crew's group letter, but is not listed on it.",
            p,
            SUPERVISOR,
            proof=Proof(None, group_letter),
            handoff=("proof",),
        )
    )

    p = m.person(
        "García", "Lucía", date(1987, 9, 27), "ESP", "Agencia Foto", MediaKind.PHOTOGRAPHER
    )
    add(_event_entry(m, "pool_photographer", "Photographer with a pool card.", p, ISSUE, pool=True))

    p = m.person("Petrauskas", "Jonas", date(1985, 2, 11), "LTU", "LRT", MediaKind.TV)
    add(
        _event_entry(
            m,
            "event_outside_hq",
            "Accredited for the summit held outside HQ.",
            p,
            REFUSE,
            REFUSE,
            event_id="SUMMIT",
        )
    )

    p = m.person("Martin", "Sophie", date(1981, 1, 15), "BEL", "RTBF", MediaKind.RADIO)
    doc = m.document(p, "591036627", kind="I")
    acc = m.accreditation(p, doc, flow=Flow.ANNUAL)
    add(
        Entry(
            "annual_holder_annual_code",
            "Annual holder, with her annual confirmation.",
            p,
            acc,
            doc,
            {Counter.GROUPS: REDIRECT, Counter.VISITORS: ISSUE},
            redirect_to={Counter.GROUPS: Counter.VISITORS},
        )
    )
    acc = m.accreditation(p, doc)
    add(
        Entry(
            "annual_holder_at_groups",
            "Annual holder who also applied for the ministerial: needs no ministerial badge.",
            p,
            acc,
            doc,
            # Visitors: the annual flow serves her (her annual badge is not issued yet).
            {Counter.GROUPS: REDIRECT, Counter.VISITORS: ISSUE},
            redirect_to={Counter.GROUPS: Counter.VISITORS},
        )
    )
    acc = m.accreditation(p, doc, event_id="NAC-SPECIAL")
    add(
        Entry(
            "annual_holder_restricted_event",
            "Annual holder for a session that annual accreditation does not cover.",
            p,
            acc,
            doc,
            {Counter.GROUPS: ISSUE, Counter.VISITORS: REDIRECT},
            redirect_to={Counter.VISITORS: Counter.GROUPS},
        )
    )

    p = m.person("Horvat", "Luka", date(1993, 6, 6), "SVN", "Delo", MediaKind.WRITTEN)
    add(
        _event_entry(
            m,
            "no_photo",
            "No identity photo on file.",
            p,
            REFUSE,
            REFUSE,
            photo=False,
            handoff=("photo",),
        )
    )

    p = m.person(
        "Müller-Lüdenscheidt", "Jürgen Karl", date(1970, 8, 8), "DEU", "", MediaKind.WRITTEN
    )
    editor = Letter(LetterKind.EDITOR, "Freie Presse Agentur", True)
    add(
        _event_entry(
            m,
            "editor_letter",
            "Freelancer, no press card, signed editor's letter.",
            p,
            ISSUE,
            doc=m.document(p, "L01X00T47", kind="I"),
            proof=Proof(None, editor),
        )
    )

    p = m.person("Sørensen", "Øyvind", date(1989, 12, 24), "NOR", "NRK", MediaKind.TV)
    add(
        _event_entry(
            m,
            "unsigned_letter",
            "Editor's letter on file is not signed.",
            p,
            SUPERVISOR,
            proof=Proof(None, Letter(LetterKind.EDITOR, "NRK", False)),
            handoff=("proof",),
        )
    )

    p = m.person("Yılmaz", "Elif", date(1995, 3, 3), "TUR", "Haber Ajansı", MediaKind.ONLINE)
    add(
        _event_entry(
            m,
            "no_proof",
            "Entered N/A for the press card and sent no letter.",
            p,
            SUPERVISOR,
            proof=Proof(None, None),
            handoff=("proof",),
        )
    )

    p = m.person("Papadopoulou", "Eleni", date(1990, 10, 10), "GRC", "ERT", MediaKind.TV)
    add(
        _event_entry(
            m,
            "too_early",
            "Accredited for the Foreign Ministers in two weeks.",
            p,
            REFUSE,
            REFUSE,
            event_id="FORMIN",
        )
    )
    return entries


POOL_ENTRIES = 3  # how many `pool_entries` makes


def pool_entries(today: date, first_person: int, first_acc: int) -> list[Entry]:
    """Pool cards granted to people the pool is not for, and to an annual holder: their
    badges are issued as any other (the pool card is handed out at the pool desk). Their
    ids follow the generated applicants', so that those keep theirs."""
    m = _Maker(today)
    m.next_person, m.next_acc = first_person, first_acc
    entries: list[Entry] = []
    add = entries.append
    p = m.person("Dubois", "Louise", date(1984, 6, 2), "FRA", "Le Soir", MediaKind.WRITTEN)
    add(
        _event_entry(
            m, "pool_written_press", "Written press granted a pool card.", p, ISSUE, pool=True
        )
    )
    p = m.person("Horáček", "Vojtěch", date(1991, 3, 19), "CZE", "CT24", MediaKind.TECHNICIAN)
    add(
        _event_entry(
            m, "pool_technician", "Uplink technician granted a pool card.", p, ISSUE, pool=True
        )
    )
    p = m.person(
        "Olsen", "Ingeborg", date(1988, 8, 8), "DNK", "Ritzau Foto", MediaKind.PHOTOGRAPHER
    )
    doc = m.document(p, "DK7731802")
    acc = m.accreditation(p, doc, flow=Flow.ANNUAL, pool=True)
    add(
        Entry(
            "pool_annual_photographer",
            "Annual photographer granted a pool card: the annual badge carries no POOL.",
            p,
            acc,
            doc,
            {Counter.GROUPS: REDIRECT, Counter.VISITORS: ISSUE},
            redirect_to={Counter.GROUPS: Counter.VISITORS},
        )
    )
    return entries


def late_entries(today: date, first_person: int, first_acc: int) -> list[Entry]:
    """Badges whose life went on after the counter (kiosk/badge_life.py) and a typo the
    office must fix (kiosk/handoff.py), numbered after every other applicant (so adding
    them moved no one's number)."""
    m = _Maker(today)
    m.next_person, m.next_acc = first_person, first_acc
    entries: list[Entry] = []
    add = entries.append

    p = m.person("Moreau", "Julien", date(1987, 2, 21), "FRA", "Radio Centre", MediaKind.RADIO)
    add(
        _event_entry(
            m,
            "badge_reported_lost",
            "Reported the badge lost this morning (voided, nothing printed); comes back for "
            "a replacement, which needs a supervisor.",
            p,
            SUPERVISOR,
            prior_badge=True,
            prior_life="lost",
        )
    )

    p = m.person("Dupont", "Hélène", date(1969, 7, 14), "BEL", "Le Soir", MediaKind.WRITTEN)
    doc = m.document(p, "592118804", kind="I")
    add(
        Entry(
            "annual_badge_returned",
            "Handed the annual badge back on leaving the Brussels office; a new one needs a "
            "supervisor.",
            p,
            m.accreditation(p, doc, flow=Flow.ANNUAL),
            doc,
            {Counter.GROUPS: REDIRECT, Counter.VISITORS: SUPERVISOR},
            prior_badge=True,
            prior_life="returned",
            redirect_to={Counter.GROUPS: Counter.VISITORS},
        )
    )
    p = m.person(
        "Kowalczyk", "Agnieszka", date(1991, 5, 6), "POL", "Gazeta Polska", MediaKind.ONLINE
    )
    real = m.document(p, "EK4455667")
    add(
        _event_entry(
            m,
            "typo_in_application",
            "The application spells her surname KOWALCZIK; her passport, the one she applied "
            "with, says KOWALCZYK: the office corrects the typo (hand-off slip).",
            p,
            REFUSE,
            REFUSE,
            doc=replace(real, surname="Kowalczik"),
            presented=real,
            handoff=("id_names",),
        )
    )
    return entries
