"""Plain values that cross layers: what was scanned, what is on file, what was decided.

These are frozen dataclasses with no behaviour beyond small derived properties; the
store turns its rows into them and the rules, the UI, the printer and the scanners
only ever see these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def french(english: str, french_text: str | None) -> str:
    """An office text in French: its French version, or the English one when the office
    gave none (never a blank where the English has words). Every text the office types
    or imports (an event's name, a closure's reason...) may come with a French version in
    a field named like the English one plus ``_fr``."""
    return french_text or english


class Counter(StrEnum):
    """Where a badge is handed out (2024 advisory)."""

    GROUPS = "groups"  # "a counter specifically designated" for ministerial badges
    VISITORS = "visitors"  # main pass office: annual badges


class Flow(StrEnum):
    """The two badge flows, kept apart end to end."""

    ANNUAL = "annual"
    EVENT = "event"

    @property
    def counter(self) -> Counter:
        """The counter that hands out badges of this flow."""
        return Counter.VISITORS if self is Flow.ANNUAL else Counter.GROUPS


class Status(StrEnum):
    """Where the accreditation office's decision stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    REVOKED = "revoked"


class MediaKind(StrEnum):
    """Kinds of media named by the accreditation rules."""

    WRITTEN = "written press"
    ONLINE = "online"
    RADIO = "radio"
    TV = "tv"
    FILM_CREW = "film crew"
    PHOTOGRAPHER = "photographer"
    TECHNICIAN = "technician"


class LetterKind(StrEnum):
    """Professional proof for applicants without a national press card."""

    EDITOR = "editor"  # a signed letter from the editorial staff for one person
    GROUP = "group"  # one signed letter listing several crew members


class BadgeStatus(StrEnum):
    """Life of a badge, from the printer to the wearer.

    Only ACTIVE badges are valid. PRINTING counts as issued (a card is on its way out
    of a printer); PRINT_FAILED and PREPRINTED do not: the counter prints the failed
    one again under the same serial, or hands the pre-printed card over.
    """

    PRINTING = "printing"  # sent to a printer, not yet confirmed printed
    PRINT_FAILED = "print_failed"  # the job failed or was cancelled: retry it
    PREPRINTED = "preprinted"  # printed the day before, not handed over yet
    ACTIVE = "active"  # printed and handed over at a counter
    SUPERSEDED = "superseded"  # a supervisor reprinted it; security must reject it
    REVOKED = "revoked"  # its accreditation was revoked
    # Voided in its holder's life (kiosk/badge_life.py): refused at every post, never
    # valid again; a new badge is a separate, supervised step.
    LOST = "lost"  # reported lost
    STOLEN = "stolen"  # reported stolen
    DAMAGED = "damaged"  # reported damaged (the card is unusable)
    FOUND = "found"  # reported lost or stolen, then handed in
    RETURNED = "returned"  # handed back (an event's end, an annual holder leaving)


class PrintPurpose(StrEnum):
    """Why a badge is printed, which decides where a finished job leaves it."""

    COUNTER = "counter"  # printed for the applicant at the counter: handed over (active)
    BATCH = "batch"  # pre-printed the day before: waits until the counter hands it over


class Verdict(StrEnum):
    """What the clerk is told to do, from most to least severe."""

    REFUSE = "refuse"
    REDIRECT = "redirect"
    NOT_NEEDED = "not_needed"  # no badge to print: the holder's annual badge covers it
    SUPERVISOR = "supervisor"  # a soft refusal that a supervisor may override
    INCOMPLETE = "incomplete"  # nothing wrong yet, but a scan is missing (the ID document)
    ISSUE = "issue"

    @property
    def rank(self) -> int:
        """Lower is more severe; the decision takes the most severe failing check."""
        return list(Verdict).index(self)


@dataclass(frozen=True)
class Event:
    """A meeting media are accredited for, and the days its badges are good for."""

    id: str
    name: str
    place: str
    at_hq: bool
    first_day: date  # first media day (e.g. the preview press conference)
    last_day: date
    collection_opens: datetime  # aware; when its counter starts handing out badges
    collection_closes: datetime  # aware
    annual_admitted: bool = True  # "unless otherwise specified for some events"
    valid_with: tuple[str, ...] = ()  # events its accreditation is also valid for
    colour: str = "#c62828"
    name_fr: str = ""  # the office's French name, "" when it gave none
    place_fr: str = ""

    @property
    def french_name(self) -> str:
        """The name French screens and the French side of papers show."""
        return french(self.name, self.name_fr)

    @property
    def french_place(self) -> str:
        """The place in French (the English one when the office gave none)."""
        return french(self.place, self.place_fr)


@dataclass(frozen=True)
class Person:
    """One applicant profile: one person, one unique e-mail address."""

    id: int
    surname: str
    given_names: str
    date_of_birth: date
    nationality: str  # ICAO three-letter code
    email: str
    organisation: str
    media_kind: MediaKind
    has_photo: bool = False


@dataclass(frozen=True)
class IdDocument:
    """The identity document an applicant used to apply, as the office recorded it.

    Stores keep the number as a keyed hash (`kiosk.documents`): `number_digest` to compare
    with a reading, `number_tail` (its last 3 characters) to show. `number` in clear is
    known only where applications come from (the platform's export, the demo world's
    sources); a document read from a kiosk's or the hub's store has it empty.
    """

    number: str
    issuing_state: str
    surname: str
    given_names: str
    date_of_birth: date
    expiry: date
    kind: str = "P"  # ICAO document code: P passport, I/A/C identity card
    number_digest: str = ""
    number_tail: str = ""


# The date of birth of an IdReading whose document gives none (birth_unknown == "year").
UNKNOWN_BIRTH = date.min


@dataclass(frozen=True)
class IdReading:
    """What the machine-readable zone of a presented ID document says."""

    document_type: str  # "P", "I", "ID", "V"...
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date
    sex: str
    expiry_date: date
    names_truncated: bool = False  # the MRZ name field was full: names may be cut short
    document_digest: str | None = None  # keyed hash of the number (kiosk.documents)
    # Doc 9303 Part 3: a date of birth partly unknown has fillers for its unknown parts;
    # "day" (the day unknown) or "month" (month and day), `birth_date` then on the 1st;
    # "year": wholly unknown (six fillers), `birth_date` then UNKNOWN_BIRTH, meaning nothing.
    birth_unknown: str = ""

    def born_on(self, day: date) -> bool:
        """Whether `day` is the date of birth, in the parts the document gives (never, if it
        gives none: `rules` asks a supervisor then)."""
        if self.birth_unknown == "year":
            return False
        if self.birth_unknown == "month":
            return day.year == self.birth_date.year
        if self.birth_unknown == "day":
            return (day.year, day.month) == (self.birth_date.year, self.birth_date.month)
        return day == self.birth_date

    def birth_text(self) -> str:
        """The date of birth as the counter writes it: 17.05.1980, 05.1980, 1980 or "—"."""
        if self.birth_unknown == "year":
            return "—"
        formats = {"day": "%m.%Y", "month": "%Y"}
        return self.birth_date.strftime(formats.get(self.birth_unknown, "%d.%m.%Y"))


@dataclass(frozen=True)
class LetterMember:
    """One crew member as listed on a group letter: SURNAME, Name, birth, ID number
    (in clear only where applications come from; stores keep its digest and tail)."""

    surname: str
    given_names: str
    date_of_birth: date
    document_number: str
    document_digest: str = ""
    document_tail: str = ""


@dataclass(frozen=True)
class Letter:
    """An editor's or group letter on file."""

    kind: LetterKind
    organisation: str
    signed: bool
    members: tuple[LetterMember, ...] = ()


@dataclass(frozen=True)
class Proof:
    """Professional proof: a press card number, or "N/A" and a signed letter."""

    press_card: str | None = None  # None when the applicant entered "N/A"
    letter: Letter | None = None


@dataclass(frozen=True)
class Accreditation:
    """An accreditation decided by the office: annual for a year, or for one event."""

    id: int
    person_id: int
    flow: Flow
    status: Status
    id_document: IdDocument
    proof: Proof
    year: int | None = None  # annual only
    event_id: str | None = None  # event only
    status_reason: str = ""
    status_changed_at: datetime | None = None
    pool: bool = False  # entitled to a pool card for pool-only moments
    status_reason_fr: str = ""  # the office's reason in French, "" when it gave none

    @property
    def french_reason(self) -> str:
        """The office's reason for its decision, in French (else in English)."""
        return french(self.status_reason, self.status_reason_fr)

    @property
    def registration(self) -> str:
        """The registration number the applicant and the office quote."""
        return f"A{self.id:07d}"


@dataclass(frozen=True)
class Badge:
    """A badge issued at a counter."""

    serial: str
    accreditation_id: int
    counter: Counter
    kiosk_id: str
    clerk: str
    issued_at: datetime
    valid_from: date
    valid_until: date
    status: BadgeStatus = BadgeStatus.ACTIVE
    supervisor: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Case:
    """Everything the rules need about one scanned accreditation, read from the store."""

    accreditation: Accreditation
    person: Person
    event: Event | None  # the accreditation's event (event flow only)
    linked_events: tuple[Event, ...] = ()  # events declared valid with it
    active_badges: tuple[Badge, ...] = ()  # issued: handed over, or printing at a counter
    waiting_badges: tuple[Badge, ...] = ()  # pre-printed or print failed: not yet issued
    void_badges: tuple[Badge, ...] = ()  # lost, stolen, damaged, found, returned (newest first)
    holds_annual: bool = False  # the person also holds an approved annual accreditation
    annual_badge: Badge | None = None  # that annual accreditation's badge, once issued
    ended_badges: tuple[Badge, ...] = ()  # revoked or superseded, newest first
    photo_ok: bool = False  # a JPEG identity photo is on file


@dataclass(frozen=True)
class Check:
    """One rule's outcome, with the reason in both official languages."""

    name: str
    ok: bool
    reason_en: str
    reason_fr: str
    on_fail: Verdict = Verdict.REFUSE  # what a failure of this check calls for
    redirect_to: Counter | None = None


@dataclass(frozen=True)
class PressCardSeen:
    """The press card the clerk saw at the counter: its number, the body that issued it,
    and the day it expires."""

    number: str
    issuer: str
    expiry: date


@dataclass(frozen=True)
class CounterDay:
    """A counter's opening hours on one day (Brussels wall-clock times): its spans, or
    the reason it is closed that day; `configured` False when no hours are on file."""

    counter: Counter
    day: date
    spans: tuple[tuple[time, time], ...] = ()
    closed: str = ""
    configured: bool = True
    closed_fr: str = ""  # the closure's reason in French, "" when the office gave none

    @property
    def french_closed(self) -> str:
        """Why the counter is closed, in French (else in English)."""
        return french(self.closed, self.closed_fr)


@dataclass(frozen=True)
class Decision:
    """The verdict shown to the clerk, and every check behind it."""

    verdict: Verdict
    checks: tuple[Check, ...]
    redirect_to: Counter | None = None
    case: Case | None = None
    press_card: PressCardSeen | None = None  # the card the clerk recorded, if any

    @property
    def failures(self) -> tuple[Check, ...]:
        """Failing checks, the one that sets the verdict first."""
        return tuple(c for c in self.checks if not c.ok)

    @property
    def headline_en(self) -> str:
        """The most useful reason, or the go-ahead."""
        f = self.failures
        return f[0].reason_en if f else "All checks passed: issue the badge."

    @property
    def headline_fr(self) -> str:
        """Same as `headline_en`, in French."""
        f = self.failures
        return f[0].reason_fr if f else "Tous les contrôles sont réussis : émettre le badge."


@dataclass(frozen=True)
class BadgeCard:
    """Everything printed on a badge; the printer needs nothing else."""

    serial: str
    flow: Flow
    surname: str
    given_names: str
    organisation: str
    media_kind: MediaKind
    valid_from: date
    valid_until: date
    photo_jpeg: bytes | None = None
    event_name: str | None = None
    colour: str = "#1565c0"
    counter: Counter = Counter.VISITORS
    pool: bool = False
    badge_code: str | None = None  # signed payload for the QR code, when there is one
    issued_at: datetime | None = None
    event_id: str | None = None  # picks the event's own badge template, when it has one
    event_name_fr: str | None = None  # the French side's name (event_name when unset)
