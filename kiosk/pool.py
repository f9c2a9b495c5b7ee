"""Pool cards: some moments are open only to a pool of visual journalists.

2023 advisory: "A few elements of the Meeting ... will be accessible only to a pool of
visual journalists. These include the start of some ministerial sessions and the
official photo ... Pool cards will be distributed on the first floor of the Public
Square of NATO HQ on 13 February" (the day before the meeting). So a pool card is its
own card, handed out at its own place and time for one pooled moment, never printed
into the badge, and never for a year: an annual accreditation entitles its holder to
the pool cards of the moments of HQ events that admit annual holders, one at a time.

Rules chosen where the sources are silent:
- Entitled: an approved accreditation on which the office granted a pool card (it is
  requested by e-mail), of a photographer, TV journalist or film crew, for the
  moment's event (or an event it is declared valid for). Technicians are not: the
  sources open pools to "visual journalists", and the accreditation criteria name
  "TV journalists, film crews and press photographers", not technicians.
- A card is handed out only inside the moment's hand-out window, once per person and
  moment until it is returned; hand-out and return are journalled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.ledger import Ledger
from kiosk.model import (
    BRUSSELS,
    Accreditation,
    Counter,
    Event,
    Flow,
    MediaKind,
    Person,
    Status,
    french,
)
from kiosk.office_texts import FrenchTextError, check_french
from kiosk.roles import Action, Actor, require
from kiosk.staff import ensure_enabled
from kiosk.store.database import Store
from kiosk.store.records import to_accreditation, to_event, to_person
from kiosk.store.schema import (
    AccreditationRow,
    EventRow,
    LetterRow,
    PersonRow,
    PoolCardRow,
    PoolMomentRow,
    SyncStateRow,
)

VISUAL = frozenset({MediaKind.PHOTOGRAPHER, MediaKind.TV, MediaKind.FILM_CREW})


class PoolError(Exception):
    """A pool card that cannot be handed out or taken back; nothing was changed."""

    def __init__(self, message_en: str, message_fr: str) -> None:
        self.message_en, self.message_fr = message_en, message_fr
        super().__init__(message_en)


@dataclass(frozen=True)
class PoolMoment:
    """A pooled moment of an event, and where and when its cards are handed out."""

    id: str
    event_id: str
    name: str
    starts_at: datetime
    handout_place: str
    handout_opens: datetime
    handout_closes: datetime
    name_fr: str = ""  # the office's French texts, "" when it gave none (kiosk.model.french)
    handout_place_fr: str = ""

    @property
    def french_name(self) -> str:
        """The moment's name on French screens."""
        return french(self.name, self.name_fr)

    def handout_text(self) -> tuple[str, str]:
        """Where and when its cards are handed out, in English and French."""
        opens, closes = (t.astimezone(BRUSSELS) for t in (self.handout_opens, self.handout_closes))
        when = f"{opens:%d.%m.%Y %H:%M}–{closes:%H:%M}"
        if opens.date() != closes.date():
            when = f"{opens:%d.%m.%Y %H:%M} – {closes:%d.%m.%Y %H:%M}"
        return (
            f"{self.handout_place}, {when}",
            f"{french(self.handout_place, self.handout_place_fr)}, {when}",
        )


@dataclass(frozen=True)
class PoolEntry:
    """One entitled person on a moment's list, and where their card stands."""

    accreditation_id: int
    registration: str
    name: str
    organisation: str
    media_kind: MediaKind
    handed_by: str | None = None
    handed_at: datetime | None = None
    returned_at: datetime | None = None

    @property
    def state(self) -> str:
        """waiting (not handed out), out (handed out) or returned."""
        if self.handed_at is None:
            return "waiting"
        return "returned" if self.returned_at else "out"


def entitlement(
    acc: Accreditation, person: Person, acc_event: Event | None, moment_event: Event
) -> tuple[bool, str, str]:
    """Whether `acc` entitles `person` to the pool cards of `moment_event`'s moments,
    and why not, in English and French (see the module's rules)."""
    if acc.status is not Status.APPROVED:
        return False, "The accreditation is not approved.", "L'accréditation n'est pas approuvée."
    if not acc.pool:
        return (
            False,
            "No pool card was granted on this accreditation (it is requested from NATO Media "
            "Operations by e-mail).",
            "Aucune carte de pool n'a été accordée sur cette accréditation (elle se demande "
            "par courriel aux opérations médias de l'OTAN).",
        )
    if person.media_kind not in VISUAL:
        return (
            False,
            f"Pool cards are for visual journalists (photographers, TV and film crews), not "
            f"{person.media_kind.value}.",
            "Les cartes de pool sont réservées aux journalistes de l'image (photographes, "
            f"équipes TV et de tournage), pas « {person.media_kind.value} ».",
        )
    if acc.flow is Flow.ANNUAL:
        covers = (
            moment_event.at_hq
            and moment_event.annual_admitted
            and acc.year == moment_event.first_day.year
        )
    else:
        linked = acc_event.valid_with if acc_event else ()
        covers = acc.event_id == moment_event.id or moment_event.id in linked
    if not covers:
        return (
            False,
            f"The accreditation does not cover {moment_event.name}.",
            f"L'accréditation ne couvre pas {moment_event.french_name}.",
        )
    return True, "Entitled to a pool card.", "A droit à une carte de pool."


ID_MAX, TEXT_MAX = 40, 200  # the store's widths (kiosk/store/schema.py PoolMomentRow)


def check_moment(moment: PoolMoment, event_known: bool, where: tuple[str, str]) -> None:
    """PoolError unless `moment` can be kept: an id, a name and a place within the
    store's widths, an event known `where` (this kiosk, the hub), a hand-out window that
    opens before it closes, aware times. The one check for the kiosk and the hub."""
    texts = (moment.id, moment.name, moment.handout_place)
    if not all(isinstance(x, str) and x.strip() for x in texts):
        raise PoolError(
            "A pooled moment needs an id, a name and the place its cards are handed out.",
            "Un moment de pool a besoin d'un identifiant, d'un nom et du lieu de remise.",
        )
    if len(moment.id) > ID_MAX or max(len(moment.name), len(moment.handout_place)) > TEXT_MAX:
        raise PoolError(
            f"A pooled moment's id has at most {ID_MAX} characters, its name and place at "
            f"most {TEXT_MAX}.",
            f"L'identifiant d'un moment de pool a {ID_MAX} caractères au plus, son nom et "
            f"son lieu {TEXT_MAX} au plus.",
        )
    try:
        check_french(moment.name_fr, TEXT_MAX, ("name", "nom"))
        check_french(moment.handout_place_fr, TEXT_MAX, ("hand-out place", "lieu de remise"))
    except FrenchTextError as err:
        raise PoolError(err.message_en, err.message_fr) from err
    if not event_known:
        raise PoolError(
            f"There is no event {moment.event_id!r} on {where[0]}.",
            f"Il n'y a pas d'événement {moment.event_id!r} sur {where[1]}.",
        )
    times = (moment.starts_at, moment.handout_opens, moment.handout_closes)
    if not all(isinstance(x, datetime) and x.tzinfo is not None for x in times):
        raise PoolError(
            "A pooled moment's times need a date, a time and a time zone.",
            "Les heures d'un moment de pool exigent une date, une heure et un fuseau.",
        )
    if moment.handout_opens >= moment.handout_closes:
        raise PoolError(
            "The pool cards' hand-out must open before it closes.",
            "La remise des cartes de pool doit ouvrir avant de fermer.",
        )


def check_moment_ahead(moment: PoolMoment, now: datetime) -> None:
    """PoolError if `moment`'s hand-out has already closed at `now`: no card could be
    handed out, so a past date is almost surely a typo ("2025" for "2026"). A hand-out
    still open today is kept. Removing a moment is never refused for its date."""
    closes = moment.handout_closes.astimezone(BRUSSELS)
    if closes <= now:
        today = now.astimezone(BRUSSELS)
        raise PoolError(
            f"The pool cards' hand-out for {moment.id} closes on {closes:%d.%m.%Y %H:%M}, "
            f"already past (today is {today:%d.%m.%Y}, {today:%H:%M}): check the dates.",
            f"La remise des cartes de pool de {moment.id} ferme le {closes:%d.%m.%Y %H:%M}, "
            f"déjà passé (nous sommes le {today:%d.%m.%Y}, {today:%H:%M}) : vérifier les "
            "dates.",
        )


def moment_of(row) -> PoolMoment:
    """A pooled moment from a stored row (the kiosk's or the hub's: the same columns)."""
    return PoolMoment(
        row.id,
        row.event_id,
        row.name,
        row.starts_at,
        row.handout_place,
        row.handout_opens,
        row.handout_closes,
        row.name_fr or "",
        row.handout_place_fr or "",
    )


class PoolDesk:
    """The pool desk of kiosk `kiosk_id`: lists who is entitled per pooled moment and
    records the cards handed out and returned."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime], kiosk_id: str, counter: Counter
    ) -> None:
        self.store, self.clock = store, clock
        self._ledger = Ledger(kiosk_id, counter)
        self.kiosk_id = kiosk_id

    def moments(self, event_ids: tuple[str, ...] = ()) -> list[PoolMoment]:
        """The pooled moments on file (of `event_ids`, if given), by start."""
        with self.store.reading() as s:
            query = select(PoolMomentRow).order_by(PoolMomentRow.starts_at, PoolMomentRow.id)
            if event_ids:
                query = query.where(PoolMomentRow.event_id.in_(event_ids))
            return [moment_of(r) for r in s.scalars(query)]

    def add_moment(self, moment: PoolMoment, by: Actor) -> None:
        """Put a pooled moment on file (an administrator's set-up, journalled; the same id
        again replaces it); PoolError if its event is unknown or its hand-out window is
        inverted, blank or already closed."""
        require(by.role, Action.SETTINGS)
        with self.store.writing() as s:
            ensure_enabled(s, by)
            if s.get(SyncStateRow, 1) is not None:
                raise PoolError(
                    "This kiosk is enrolled: its pooled moments are set at the office's hub "
                    "(kiosk-hub pool add-moment).",
                    "Ce kiosque est enrôlé : ses moments en pool se règlent au hub du bureau "
                    "(kiosk-hub pool add-moment).",
                )
            known = s.get(EventRow, moment.event_id) is not None
            check_moment(moment, known, ("this kiosk", "ce guichet"))
            check_moment_ahead(moment, self.clock())
            s.merge(PoolMomentRow(**moment.__dict__))
            self._ledger.journal(
                s, "pool_moment", by, None, self.clock(), moment=moment.id, event=moment.event_id
            )

    def roster(self, moment_id: str) -> list[PoolEntry]:
        """Everyone entitled to a card for `moment_id`, by name, with their card's state;
        PoolError if there is no such moment."""
        with self.store.reading() as s:
            moment, event = self._moment(s, moment_id)
            cards = {
                r.accreditation_id: r
                for r in s.scalars(
                    select(PoolCardRow)
                    .where(PoolCardRow.moment_id == moment.id)
                    .order_by(PoolCardRow.id)
                )
            }  # the latest card of each accreditation
            entries = [
                _entry(acc, person, cards.get(acc.id))
                for acc, person, acc_event in _pool_accreditations(s)
                if entitlement(acc, person, acc_event, event)[0]
            ]
        return sorted(entries, key=lambda e: e.name.casefold())

    def hand_out(self, moment_id: str, accreditation_id: int, actor: Actor) -> PoolEntry:
        """Record the card of `moment_id` handed to `accreditation_id`'s holder (journalled);
        PoolError if they are not entitled, outside the hand-out window, or hold it."""
        require(actor.role, Action.POOL_CARDS)
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            moment, event = self._moment(s, moment_id)
            acc, person = self._entitled(s, accreditation_id, event)
            if not moment.handout_opens <= now < moment.handout_closes:
                where, ou = moment.handout_text()
                raise PoolError(
                    f"Pool cards for {moment.name} are handed out at {where} only.",
                    f"Les cartes de pool pour {moment.french_name} sont remises à {ou} uniquement.",
                )
            held = _latest(s, moment.id, acc.id)
            if held is not None and held.returned_at is None:
                raise PoolError(
                    f"{acc.registration} already holds the pool card for {moment.name} "
                    f"(handed out by {held.handed_by}).",
                    f"{acc.registration} a déjà la carte de pool pour {moment.french_name} "
                    f"(remise par {held.handed_by}).",
                )
            row = PoolCardRow(
                moment_id=moment.id,
                accreditation_id=acc.id,
                kiosk_id=self.kiosk_id,
                handed_by=actor.name,
                handed_at=now,
            )
            s.add(row)
            self._ledger.journal(
                s, "pool_handout", actor, None, now, accreditation_id=acc.id, moment=moment.id
            )
            return _entry(acc, person, row)

    def take_back(self, moment_id: str, accreditation_id: int, actor: Actor) -> PoolEntry:
        """Record the card of `moment_id` returned by `accreditation_id`'s holder
        (journalled); PoolError if it was not handed out or is back already."""
        require(actor.role, Action.POOL_CARDS)
        now = self.clock()
        with self.store.writing() as s:
            ensure_enabled(s, actor)
            moment, _ = self._moment(s, moment_id)
            held = _latest(s, moment.id, accreditation_id)
            if held is None or held.returned_at is not None:
                state_en = "was never handed out" if held is None else "was returned already"
                state_fr = "n'a jamais été remise" if held is None else "a déjà été rendue"
                raise PoolError(
                    f"The pool card for {moment.name} of A{accreditation_id:07d} {state_en}.",
                    f"La carte de pool pour {moment.french_name} de A{accreditation_id:07d} "
                    f"{state_fr}.",
                )
            held.returned_to, held.returned_at = actor.name, now
            self._ledger.journal(
                s,
                "pool_return",
                actor,
                None,
                now,
                accreditation_id=accreditation_id,
                moment=moment.id,
            )
            acc_row = s.get(AccreditationRow, accreditation_id)
            assert acc_row is not None
            person = to_person(s.get(PersonRow, acc_row.person_id), False)
            return _entry(to_accreditation(acc_row, None), person, held)

    def _moment(self, s: Session, moment_id: str) -> tuple[PoolMoment, Event]:
        row = s.get(PoolMomentRow, moment_id)
        event = s.get(EventRow, row.event_id) if row else None
        if row is None or event is None:
            raise PoolError(
                f"There is no pooled moment {moment_id!r}: see `kiosk pool list`.",
                f"Il n'y a pas de moment en pool {moment_id!r} : voir `kiosk pool list`.",
            )
        return moment_of(row), to_event(event)

    def _entitled(
        self, s: Session, accreditation_id: int, event: Event
    ) -> tuple[Accreditation, Person]:
        row = s.get(AccreditationRow, accreditation_id)
        if row is None:
            raise PoolError(
                f"Accreditation A{accreditation_id:07d} is not on this kiosk.",
                f"L'accréditation A{accreditation_id:07d} n'est pas sur ce guichet.",
            )
        letter = s.get(LetterRow, row.letter_id) if row.letter_id else None
        acc = to_accreditation(row, letter)
        person = to_person(s.get(PersonRow, row.person_id), False)
        acc_event = s.get(EventRow, row.event_id) if row.event_id else None
        ok, en, fr = entitlement(acc, person, to_event(acc_event) if acc_event else None, event)
        if not ok:
            raise PoolError(f"Not entitled: {en}", f"Pas de droit : {fr}")
        return acc, person


def _latest(s: Session, moment_id: str, accreditation_id: int) -> PoolCardRow | None:
    return s.scalar(
        select(PoolCardRow)
        .where(
            PoolCardRow.moment_id == moment_id,
            PoolCardRow.accreditation_id == accreditation_id,
        )
        .order_by(PoolCardRow.id.desc())
        .limit(1)
    )


def _pool_accreditations(s: Session) -> list[tuple[Accreditation, Person, Event | None]]:
    """Approved accreditations with a pool card granted, their people and events."""
    rows = s.execute(
        select(AccreditationRow, PersonRow, EventRow)
        .join(PersonRow, PersonRow.id == AccreditationRow.person_id)
        .outerjoin(EventRow, EventRow.id == AccreditationRow.event_id)
        .where(
            AccreditationRow.pool.is_(True),
            AccreditationRow.status == Status.APPROVED.value,
            AccreditationRow.purged_at.is_(None),
        )
    )
    return [
        (to_accreditation(a, None), to_person(p, False), to_event(e) if e else None)
        for a, p, e in rows
    ]


def _entry(acc: Accreditation, person: Person, card: PoolCardRow | None) -> PoolEntry:
    return PoolEntry(
        acc.id,
        acc.registration,
        f"{person.surname.upper()}, {person.given_names}",
        person.organisation,
        person.media_kind,
        card.handed_by if card else None,
        card.handed_at if card else None,
        card.returned_at if card else None,
    )
