"""A day at the pass office in figures: badges handed over per hour and per counter, the
pre-printed cards still waiting, refusals by reason, print failures; and the badge
lists the supervisor's tools act on. Read-only; `write_csv` exports a day for the office.

Where the figures come from:
- **handed over** — the badges table, which sync fills with every counter's badges: a
  badge counts on the day and hour of its `issued_at` (a pre-printed card's is the
  moment it was handed over) when it is active, or was active and has since been
  superseded, revoked, lost, stolen, damaged or returned.
- **voided or handed in** — the badge events (kiosk/badge_life.py) of every kiosk synced
  here: lost, stolen, damaged, found, returned that day.
- **refusals, redirects, applicants seen, print failures** — this kiosk's journal (each
  kiosk journals what it did; the hub holds everyone's). A refusal is a decision or a
  refused issue whose verdict is `refuse` or `supervisor`, counted once per
  accreditation and reason (an applicant scanned three times is one refusal), under the
  check that set the verdict.
"""

from __future__ import annotations

import csv
import io
from collections import Counter as Tally
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.model import BRUSSELS, BadgeStatus, Counter, Event, Verdict
from kiosk.private import write_private
from kiosk.store.case_reader import VOIDED
from kiosk.store.database import Store
from kiosk.store.records import to_event
from kiosk.store.schema import (
    AccreditationRow,
    BadgeEventRow,
    BadgeRow,
    EventRow,
    JournalRow,
    PersonRow,
    PrintJobRow,
)

# Handed over that day, whatever became of the badge since (replaced, revoked, lost...).
HANDED_OVER = (BadgeStatus.ACTIVE, BadgeStatus.SUPERSEDED, BadgeStatus.REVOKED, *VOIDED)
REFUSALS = (Verdict.REFUSE, Verdict.SUPERVISOR)

# What each check of kiosk.rules is about, for a table of refusals by reason.
CHECK_LABELS: dict[str, tuple[str, str]] = {
    "code": (
        "Confirmation code not genuine or unreadable",
        "Code de confirmation non authentique ou illisible",
    ),
    "accreditation": (
        "Accreditation not in the synced approvals",
        "Accréditation absente des approbations synchronisées",
    ),
    "status": (
        "Not approved (pending, denied, revoked)",
        "Non approuvée (en attente, refusée, révoquée)",
    ),
    "place": (
        "Event held outside HQ",
        "Événement hors du siège",
    ),
    "annual_cover": (
        "Annual badge holder: no event badge needed",
        "Titulaire d'un badge annuel : pas de badge d'événement",
    ),
    "counter": (
        "Wrong counter",
        "Mauvais guichet",
    ),
    "window": (
        "Outside the collection window",
        "Hors de la période de remise",
    ),
    "id_document": (
        "ID document not scanned",
        "Pièce d'identité non scannée",
    ),
    "id_number": (
        "Another ID document than at application",
        "Autre pièce que celle de la demande",
    ),
    "id_names": (
        "Names do not match the ID document",
        "Les noms ne correspondent pas à la pièce",
    ),
    "id_birth": (
        "Date of birth does not match",
        "La date de naissance ne correspond pas",
    ),
    "id_expiry": (
        "ID document expired",
        "Pièce d'identité expirée",
    ),
    "proof": (
        "Professional proof missing or unsigned",
        "Justificatif professionnel absent ou non signé",
    ),
    "photo": (
        "No photo on file",
        "Pas de photo au dossier",
    ),
    "hours": (
        "Counter closed (opening hours)",
        "Guichet fermé (heures d'ouverture)",
    ),
    "press_card": (
        "Not the press card used to apply, or expired",
        "Pas la carte de presse de la demande, ou expirée",
    ),
    "badge": (
        "A badge was already issued",
        "Un badge a déjà été remis",
    ),
}


@dataclass(frozen=True)
class BadgeLine:
    """A badge as the supervisor's lists show it."""

    serial: str
    accreditation_id: int
    surname: str
    given_names: str
    organisation: str
    event_name: str | None
    year: int | None
    counter: Counter
    kiosk_id: str
    status: BadgeStatus
    issued_at: datetime
    clerk: str
    printer: str = ""  # the last print attempt's printer, for a badge whose print failed
    message: str = ""  # and what the clerk was told
    batch: str | None = None  # and its pre-printing run (a retry pre-prints it again)
    event_name_fr: str | None = None  # the office's French name, when it gave one

    @property
    def registration(self) -> str:
        """The accreditation's registration number."""
        return f"A{self.accreditation_id:07d}"

    @property
    def name(self) -> str:
        """SURNAME, Given names."""
        return f"{self.surname.upper()}, {self.given_names}"

    @property
    def what(self) -> str:
        """The event, or the annual accreditation's year."""
        return self.event_name or f"Annual {self.year}"


@dataclass(frozen=True)
class HourCount:
    """Badges handed over in one hour (local time) at one counter."""

    hour: int
    counter: Counter
    count: int


@dataclass(frozen=True)
class RefusalCount:
    """How many applicants were refused for one reason (the check that set the verdict)."""

    check: str
    verdict: Verdict
    count: int

    @property
    def label_en(self) -> str:
        return CHECK_LABELS.get(self.check, (self.check, self.check))[0]

    @property
    def label_fr(self) -> str:
        return CHECK_LABELS.get(self.check, (self.check, self.check))[1]


@dataclass(frozen=True)
class PrintFailure:
    """One failed print attempt of the day, as journalled."""

    at: datetime
    serial: str
    printer: str
    reason: str


@dataclass(frozen=True)
class DayOverview:
    """One day's figures."""

    day: date
    issued: tuple[HourCount, ...]
    queue: tuple[BadgeLine, ...]  # pre-printed, waiting to be handed over
    refusals: tuple[RefusalCount, ...]  # most frequent first
    redirects: int  # applicants sent to the other counter
    applicants: int  # accreditations scanned or found at this kiosk
    print_failures: tuple[PrintFailure, ...]
    failed_now: tuple[BadgeLine, ...]  # badges whose printing failed, still waiting
    # Badges handed over that day per event (id, or "annual YEAR"), most first: a pass
    # office serves several events at once.
    by_event: tuple[tuple[str, int], ...] = ()
    # Badges lost, stolen, damaged, found or returned that day, at any kiosk synced here
    # (kiosk/badge_life.py): event -> count.
    life: dict[str, int] = field(default_factory=dict)

    @property
    def issued_total(self) -> int:
        return sum(h.count for h in self.issued)

    def issued_at(self, counter: Counter) -> int:
        """Badges handed over at `counter` that day."""
        return sum(h.count for h in self.issued if h.counter is counter)

    def per_hour(self) -> dict[int, dict[Counter, int]]:
        """Hour -> counter -> badges, for the hours with any."""
        out: dict[int, dict[Counter, int]] = {}
        for h in self.issued:
            out.setdefault(h.hour, {})[h.counter] = h.count
        return out

    @property
    def refused_total(self) -> int:
        return sum(r.count for r in self.refusals)


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Midnight to midnight of `day` in `tz`, aware."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def day_overview(store: Store, day: date, tz: tzinfo = BRUSSELS) -> DayOverview:
    """The figures of `day` (its hours in `tz`)."""
    start, end = day_bounds(day, tz)
    with store.reading() as s:
        issued = _issued(s, start, end, tz)
        refusals, redirects, applicants = _decisions(s, start, end)
        return DayOverview(
            day=day,
            issued=issued,
            queue=tuple(_lines(s, BadgeRow.status == BadgeStatus.PREPRINTED.value, tz)),
            refusals=refusals,
            redirects=redirects,
            applicants=applicants,
            print_failures=_print_failures(s, start, end, tz),
            failed_now=tuple(_failed_lines(s, tz)),
            by_event=_by_event(s, start, end),
            life=_life_events(s, start, end),
        )


def preprinted_queue(store: Store, tz: tzinfo = BRUSSELS) -> list[BadgeLine]:
    """Cards pre-printed and not handed over yet, by surname (as they sit in the drawer)."""
    with store.reading() as s:
        return _lines(s, BadgeRow.status == BadgeStatus.PREPRINTED.value, tz)


def handovers(store: Store, day: date, tz: tzinfo = BRUSSELS) -> list[BadgeLine]:
    """Badges handed over on `day` and still active, latest first (what an undo acts on)."""
    start, end = day_bounds(day, tz)
    with store.reading() as s:
        lines = _lines(
            s,
            (BadgeRow.status == BadgeStatus.ACTIVE.value)
            & (BadgeRow.issued_at >= start)
            & (BadgeRow.issued_at < end),
            tz,
        )
    return sorted(lines, key=lambda b: b.issued_at, reverse=True)


def failed_prints(store: Store, tz: tzinfo = BRUSSELS) -> list[BadgeLine]:
    """Badges whose printing failed, with the last printer and what the clerk was told."""
    with store.reading() as s:
        return _failed_lines(s, tz)


def badges_of(store: Store, accreditation_id: int, tz: tzinfo = BRUSSELS) -> list[BadgeLine]:
    """Every badge of one accreditation, in the order they were made."""
    with store.reading() as s:
        lines = _lines(s, BadgeRow.accreditation_id == accreditation_id, tz)
    return sorted(lines, key=lambda b: (b.issued_at, b.serial))


def list_events(store: Store) -> list[Event]:
    """The events on file, soonest first (to choose one on a screen)."""
    with store.reading() as s:
        rows = s.scalars(select(EventRow).order_by(EventRow.first_day, EventRow.id))
        return [to_event(r) for r in rows]


def _issued(s: Session, start: datetime, end: datetime, tz: tzinfo) -> tuple[HourCount, ...]:
    rows = s.execute(
        select(BadgeRow.issued_at, BadgeRow.counter).where(
            BadgeRow.issued_at >= start,
            BadgeRow.issued_at < end,
            BadgeRow.status.in_([b.value for b in HANDED_OVER]),
        )
    )
    tally = Tally((at.astimezone(tz).hour, Counter(counter)) for at, counter in rows)
    return tuple(HourCount(h, c, n) for (h, c), n in sorted(tally.items()))


def _by_event(s: Session, start: datetime, end: datetime) -> tuple[tuple[str, int], ...]:
    rows = s.execute(
        select(AccreditationRow.event_id, AccreditationRow.year)
        .join(BadgeRow, BadgeRow.accreditation_id == AccreditationRow.id)
        .where(
            BadgeRow.issued_at >= start,
            BadgeRow.issued_at < end,
            BadgeRow.status.in_([b.value for b in HANDED_OVER]),
        )
    )
    tally = Tally(event or f"annual {year}" for event, year in rows)
    return tuple(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def _life_events(s: Session, start: datetime, end: datetime) -> dict[str, int]:
    rows = s.execute(
        select(BadgeEventRow.event, func.count())
        .where(BadgeEventRow.at >= start, BadgeEventRow.at < end)
        .group_by(BadgeEventRow.event)
    )
    return {event: count for event, count in rows}


def _decisions(
    s: Session, start: datetime, end: datetime
) -> tuple[tuple[RefusalCount, ...], int, int]:
    rows = s.execute(
        select(JournalRow.id, JournalRow.accreditation_id, JournalRow.verdict, JournalRow.details)
        .where(
            JournalRow.at >= start,
            JournalRow.at < end,
            JournalRow.action.in_(["decision", "refusal"]),
        )
        .order_by(JournalRow.id)
    )
    refused: dict[tuple[object, str], Verdict] = {}
    redirected: set[object] = set()
    seen: set[int] = set()
    for entry_id, acc_id, verdict, details in rows:
        if acc_id is not None:
            seen.add(acc_id)
        who = acc_id if acc_id is not None else f"entry {entry_id}"  # an unreadable code
        failed = (details or {}).get("failed") or ["?"]
        if verdict == Verdict.REDIRECT.value:
            redirected.add(who)
        elif verdict in (v.value for v in REFUSALS):
            refused.setdefault((who, failed[0]), Verdict(verdict))
    tally = Tally((check, verdict) for (_who, check), verdict in refused.items())
    counts = sorted(
        (RefusalCount(check, verdict, n) for (check, verdict), n in tally.items()),
        key=lambda r: (-r.count, r.verdict.rank, r.check),
    )
    return tuple(counts), len(redirected), len(seen)


def _print_failures(
    s: Session, start: datetime, end: datetime, tz: tzinfo
) -> tuple[PrintFailure, ...]:
    rows = s.execute(
        select(JournalRow.at, JournalRow.badge_serial, JournalRow.details)
        .where(JournalRow.at >= start, JournalRow.at < end, JournalRow.action == "print_failed")
        .order_by(JournalRow.id)
    )
    return tuple(
        PrintFailure(
            at.astimezone(tz),
            serial or "",
            (details or {}).get("printer", ""),
            (details or {}).get("reason", ""),
        )
        for at, serial, details in rows
    )


def _lines(s: Session, where, tz: tzinfo) -> list[BadgeLine]:
    rows = s.execute(
        select(BadgeRow, AccreditationRow.year, PersonRow, EventRow.name, EventRow.name_fr)
        .join(AccreditationRow, AccreditationRow.id == BadgeRow.accreditation_id)
        .join(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .outerjoin(EventRow, EventRow.id == AccreditationRow.event_id)
        .where(where)
        .order_by(PersonRow.surname, PersonRow.given_names, BadgeRow.serial)
    )
    return [
        BadgeLine(
            serial=b.serial,
            accreditation_id=b.accreditation_id,
            surname=p.surname,
            given_names=p.given_names,
            organisation=p.organisation,
            event_name=event_name,
            event_name_fr=event_name_fr,
            year=year,
            counter=Counter(b.counter),
            kiosk_id=b.kiosk_id,
            status=BadgeStatus(b.status),
            issued_at=b.issued_at.astimezone(tz),
            clerk=b.clerk,
        )
        for b, year, p, event_name, event_name_fr in rows
    ]


def _failed_lines(s: Session, tz: tzinfo) -> list[BadgeLine]:
    lines = _lines(s, BadgeRow.status == BadgeStatus.PRINT_FAILED.value, tz)
    if not lines:
        return []
    last: dict[str, PrintJobRow] = {}
    jobs = s.scalars(
        select(PrintJobRow)
        .where(PrintJobRow.badge_serial.in_([b.serial for b in lines]))
        .order_by(PrintJobRow.id)
    )
    for job in jobs:
        last[job.badge_serial] = job
    out = []
    for b in lines:
        job = last.get(b.serial)
        out.append(
            replace(b, printer=job.printer, message=job.message, batch=job.batch) if job else b
        )
    return out


# --- Export --------------------------------------------------------------------------


def write_csv(overview: DayOverview, path: Path) -> Path:
    """Write the day's figures as CSV, one block per table (a title row, a header row,
    the rows, a blank row), so a spreadsheet opens it as it reads."""
    hours = overview.per_hour()
    counters = list(Counter)
    blocks: list[tuple[str, list[str], list[list[object]]]] = [
        (
            f"Badges handed over on {overview.day.isoformat()}, per hour",
            ["hour", *(c.value for c in counters), "total"],
            [
                [f"{h:02d}:00", *(hours[h].get(c, 0) for c in counters), sum(hours[h].values())]
                for h in sorted(hours)
            ]
            + [["total", *(overview.issued_at(c) for c in counters), overview.issued_total]],
        ),
        (
            "Refusals at this kiosk, by reason",
            ["check", "reason", "verdict", "applicants"],
            [[r.check, r.label_en, r.verdict.value, r.count] for r in overview.refusals]
            + [["redirect", "Sent to the other counter", "redirect", overview.redirects]],
        ),
        (
            "Pre-printed badges not handed over",
            ["serial", "registration", "name", "organisation", "accreditation", "printed at"],
            [
                [b.serial, b.registration, b.name, b.organisation, b.what, _when(b.issued_at)]
                for b in overview.queue
            ],
        ),
        (
            "Print failures at this kiosk",
            ["time", "serial", "printer", "reason"],
            [[_when(f.at), f.serial, f.printer, f.reason] for f in overview.print_failures],
        ),
    ]
    text = io.StringIO(newline="")
    out = csv.writer(text)
    for title, header, rows in blocks:
        out.writerow([title])
        out.writerow(header)
        out.writerows(rows)
        out.writerow([])
    return write_private(path, text.getvalue().encode("utf-8"))  # names and reasons


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def summary_text(o: DayOverview) -> str:
    """The day's figures as a few lines of text."""
    per_counter = ", ".join(f"{c.value} {o.issued_at(c)}" for c in Counter)
    lines = [
        f"{o.day.isoformat()}: {o.issued_total} badge{'s' * (o.issued_total != 1)} handed over"
        f" ({per_counter})",
        f"  pre-printed, waiting: {len(o.queue)}",
        f"  applicants at this kiosk: {o.applicants}; refused: {o.refused_total}; "
        f"sent to the other counter: {o.redirects}",
        f"  print failures: {len(o.print_failures)}; badges waiting for a reprint: "
        f"{len(o.failed_now)}",
    ]
    if o.by_event:
        lines.append("  by event: " + ", ".join(f"{e} {n}" for e, n in o.by_event))
    if o.life:
        lines.append(
            "  badges voided or handed in: "
            + ", ".join(f"{event} {count}" for event, count in sorted(o.life.items()))
        )
    for h, counts in sorted(o.per_hour().items()):
        row = "  ".join(f"{c.value} {counts.get(c, 0):>3}" for c in Counter)
        lines.append(f"  {h:02d}:00  {row}")
    for r in o.refusals:
        lines.append(f"  {r.count:>4}  {r.verdict.value:<10} {r.label_en}")
    return "\n".join(lines)
