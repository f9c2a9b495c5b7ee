"""Bulk applicants for load: many ordinary journalists around the named situations."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from app.demo.scenarios import (
    ISSUE,
    POOL_ENTRIES,
    REDIRECT,
    REFUSE,
    Entry,
    late_entries,
    named_entries,
    pool_entries,
    slug,
)
from kiosk.model import (
    Accreditation,
    Counter,
    Flow,
    IdDocument,
    MediaKind,
    Person,
    Proof,
    Status,
)

# Names as applicants write them, accents included (the MRZ side is transliterated).
SURNAMES = {
    "BEL": ["Peeters", "Maes", "Dubois", "Lambert", "Claes", "Dupont", "Willems", "Goossens"],
    "FRA": ["Martin", "Bernard", "Lefèvre", "Moreau", "Fournier", "Girard", "Rousseau"],
    "DEU": ["Müller", "Schäfer", "Weiß", "Köhler", "Hoffmann", "Schröder", "Krüger"],
    "NLD": ["de Jong", "Jansen", "van Dijk", "Visser", "Smit", "Meijer", "de Boer"],
    "ITA": ["Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno"],
    "ESP": ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez"],
    "POL": ["Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński"],
    "NOR": ["Hansen", "Johansen", "Olsen", "Larsen", "Sørensen", "Håland"],
    "GRC": ["Papadopoulos", "Vlachos", "Nikolaidis", "Georgiou", "Oikonomou"],
    "USA": ["Smith", "Johnson", "Williams", "Brown", "O'Connor", "Miller", "Davis"],
    "GBR": ["Taylor", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright"],
    "TUR": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"],
}
GIVEN = {
    "BEL": ["Lucas", "Emma", "Louis", "Olivia", "Noah", "Marie"],
    "FRA": ["Jean-Baptiste", "Chloé", "Hélène", "François", "Inès", "Théo"],
    "DEU": ["Jürgen", "Anna Lena", "Björn", "Käthe", "Lukas", "Sophie"],
    "NLD": ["Daan", "Sanne", "Bram", "Fleur", "Sem", "Lieke"],
    "ITA": ["Giuseppe", "Francesca", "Matteo", "Chiara", "Luca", "Giulia"],
    "ESP": ["José María", "Lucía", "Álvaro", "Núria", "Iñigo", "Carmen"],
    "POL": ["Łukasz", "Agnieszka", "Paweł", "Małgorzata", "Piotr", "Zofia"],
    "NOR": ["Øyvind", "Ingrid", "Åse", "Magnus", "Sigrid", "Bjørn"],
    "GRC": ["Eleni", "Giorgos", "Dimitra", "Nikos", "Katerina", "Yannis"],
    "USA": ["Michael", "Jennifer", "David", "Sarah", "James", "Emily"],
    "GBR": ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava"],
    "TUR": ["Mehmet", "Ayşe", "Emre", "Zeynep", "Burak", "Elif"],
}
OUTLETS = [
    "Reuters",
    "AFP",
    "dpa",
    "ANSA",
    "EFE",
    "PAP",
    "BBC",
    "Euronews",
    "Politico Europe",
    "Le Soir",
    "Der Spiegel",
    "El País",
    "Kathimerini",
    "NRK",
    "Anadolu",
    "AP",
    "",
]
KINDS = list(MediaKind)


def _document(rng: random.Random, p: Person, today: date) -> IdDocument:
    passport = rng.random() < 0.6
    letters = "".join(rng.choice("CFGHJKLMNPRTVWXYZ") for _ in range(2))
    number = f"{letters}{rng.randrange(10**7):07d}" if passport else f"{rng.randrange(10**9):09d}"
    return IdDocument(
        number=number,
        issuing_state=p.nationality,
        surname=p.surname,
        given_names=p.given_names,
        date_of_birth=p.date_of_birth,
        expiry=today + timedelta(days=rng.randrange(60, 3650)),
        kind="P" if passport else "I",
    )


def _status(rng: random.Random) -> Status:
    r = rng.random()
    if r < 0.85:
        return Status.APPROVED
    if r < 0.92:
        return Status.PENDING
    return Status.DENIED if r < 0.97 else Status.REVOKED


def bulk_entries(
    count: int, first_person: int, first_acc: int, today: date, seed: int = 2024
) -> Iterator[Entry]:
    """`count` ordinary applicants: ministerial or annual, mostly approved."""
    rng = random.Random(seed)
    states = list(SURNAMES)
    for i in range(count):
        nat = rng.choice(states)
        org = rng.choice(OUTLETS)
        pid, aid = first_person + i, first_acc + i
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
        p = Person(
            pid,
            rng.choice(SURNAMES[nat]),
            rng.choice(GIVEN[nat]),
            born,
            nat,
            f"journalist{pid}@{slug(org) or 'freelance'}.example",
            org,
            rng.choice(KINDS),
        )
        annual = rng.random() < 0.15
        status = _status(rng)
        doc = _document(rng, p, today)
        acc = Accreditation(
            id=aid,
            person_id=pid,
            flow=Flow.ANNUAL if annual else Flow.EVENT,
            status=status,
            id_document=doc,
            proof=Proof(press_card=f"PC-{nat}-{pid}"),
            year=today.year if annual else None,
            event_id=None if annual else "DEFMIN",
            pool=not annual and rng.random() < 0.03,
        )
        if status is not Status.APPROVED:
            expect = {Counter.GROUPS: REFUSE, Counter.VISITORS: REFUSE}
            redirect = {}
        elif annual:
            expect = {Counter.GROUPS: REDIRECT, Counter.VISITORS: ISSUE}
            redirect = {Counter.GROUPS: Counter.VISITORS}
        else:
            expect = {Counter.GROUPS: ISSUE, Counter.VISITORS: REDIRECT}
            redirect = {Counter.VISITORS: Counter.GROUPS}
        yield Entry(
            f"bulk_{acc.flow.value}_{status.value}",
            "Generated applicant.",
            p,
            acc,
            doc,
            expect,
            redirect_to=redirect,
            # A pending application is one the office can fix: a hand-off slip.
            handoff=("pending",) if status is Status.PENDING else (),
        )


def demo_entries(today: date, people: int) -> list[Entry]:
    """The named situations first, then generated applicants, then the pool cases
    (`scenarios.pool_entries`) and the badge life ones (`scenarios.late_entries`):
    `people` in all, when it leaves room for them."""
    named = named_entries(today)
    last_person = max(e.person.id for e in named)
    last_acc = max(e.accreditation.id for e in named)
    late = len(late_entries(today, 1, 1))
    count = max(0, people - len(named) - POOL_ENTRIES - late)
    bulk = list(bulk_entries(count, last_person + 1, last_acc + 1, today))
    tail = pool_entries(today, last_person + count + 1, last_acc + count + 1)
    first_person, first_acc = last_person + count + 1 + len(tail), last_acc + count + 1 + len(tail)
    return named + bulk + tail + late_entries(today, first_person, first_acc)


def fewest_people() -> int:
    """The smallest world: one accreditation per situation the demo shows (the same number
    on any day)."""
    return len(demo_entries(date(2026, 2, 14), 0))
