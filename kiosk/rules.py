"""The pass office's rules: one pure function per rule, and `decide` that runs them all.

Sources are quoted where a rule comes from them (../shared/seeds). Rules chosen where
the sources are silent are stated in the docstring of the rule that applies them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from kiosk.desk_checks import check_hours, check_press_card, is_card_number
from kiosk.model import (
    BRUSSELS,
    Badge,
    BadgeStatus,
    Case,
    Check,
    Counter,
    CounterDay,
    Decision,
    Flow,
    IdDocument,
    IdReading,
    LetterKind,
    PressCardSeen,
    Status,
    Verdict,
)
from kiosk.names import names_match

# English names, and French ones with their preposition ("à" + "le" contracts to "au"):
# "remis au guichet…", "ALLER AU GUICHET…".
COUNTER_NAMES = {
    Counter.GROUPS: ("the Groups entrance counter", "au guichet de l'entrée Groupes"),
    Counter.VISITORS: (
        "the main pass office at the Visitors entrance",
        "au bureau des badges de l'entrée Visiteurs",
    ),
}

LETTER_KINDS_FR = {LetterKind.EDITOR: "de la rédaction", LetterKind.GROUP: "collective"}


def _ok(name: str, en: str, fr: str) -> Check:
    return Check(name, True, en, fr)


def _fail(
    name: str, en: str, fr: str, on_fail: Verdict, redirect_to: Counter | None = None
) -> Check:
    return Check(name, False, en, fr, on_fail, redirect_to)


def _day(moment: datetime) -> date:
    """The calendar day in Brussels, where the counters are."""
    return moment.astimezone(BRUSSELS).date()


def _fmt(d: date | datetime) -> str:
    if isinstance(d, datetime):
        return d.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M")
    return d.strftime("%d.%m.%Y")


def _fmt_end(end: datetime) -> str:
    """The end of a period as a clerk reads it: one ending at midnight is "until" its
    last day (31.12.2026), not the next day at 00:00."""
    local = end.astimezone(BRUSSELS)
    if local.time() == time(0, 0):
        return _fmt((local - timedelta(days=1)).date())
    return _fmt(local)


def check_status(case: Case) -> Check:
    """Only an approved accreditation gets a badge; a revoked one never ("NATO reserves
    the right to deny accreditation or to revoke it even if already confirmed")."""
    acc = case.accreditation
    if acc.status is Status.APPROVED:
        return _ok("status", "Accreditation approved.", "Accréditation approuvée.")
    if acc.status is Status.PENDING:
        return _fail(
            "status",
            "The accreditation is not approved yet: refer the applicant to the accreditation "
            "office.",
            "L'accréditation n'est pas encore approuvée : adresser le demandeur au bureau des "
            "accréditations.",
            Verdict.REFUSE,
        )
    if acc.status is Status.DENIED:
        return _fail(
            "status",
            "The accreditation was denied by the accreditation office.",
            "L'accréditation a été refusée par le bureau des accréditations.",
            Verdict.REFUSE,
        )
    when = f" on {_fmt(acc.status_changed_at)}" if acc.status_changed_at else ""
    quand = f" le {_fmt(acc.status_changed_at)}" if acc.status_changed_at else ""
    why = f": {acc.status_reason}" if acc.status_reason else "."
    pourquoi = f" : {acc.french_reason}" if acc.status_reason else "."
    return _fail(
        "status",
        f"The accreditation was revoked{when}{why}",
        f"L'accréditation a été révoquée{quand}{pourquoi}",
        Verdict.REFUSE,
    )


def check_place(case: Case) -> Check:
    """Counters are at HQ; an event held elsewhere hands out its badges at its venue."""
    event = case.event
    if event is None or event.at_hq:
        return _ok("place", "Held at HQ.", "Se tient au siège.")
    return _fail(
        "place",
        f"{event.name} is held outside HQ ({event.place}): its badges are handed out there, "
        "not at this pass office.",
        f"{event.french_name} se tient hors du siège ({event.french_place}) : les badges y "
        "sont remis, pas à ce bureau.",
        Verdict.REFUSE,
    )


def check_counter(case: Case, counter: Counter) -> Check:
    """Annual badges at the Visitors entrance, ministerial badges at the Groups entrance
    (2024 advisory). A wrong counter is a redirect, not a refusal."""
    right = case.accreditation.flow.counter
    if right is counter:
        en, fr = COUNTER_NAMES[counter]
        return _ok("counter", f"Right counter: {en}.", f"Bon guichet : ces badges sont remis {fr}.")
    en, fr = COUNTER_NAMES[right]
    what_en, what_fr = (
        ("Annual badges", "Les badges annuels")
        if case.accreditation.flow is Flow.ANNUAL
        else ("Ministerial (event) badges", "Les badges ministériels (événement)")
    )
    return _fail(
        "counter",
        f"{what_en} are handed out at {en}: send the applicant there.",
        f"{what_fr} sont remis {fr} : y envoyer le demandeur.",
        Verdict.REDIRECT,
        right,
    )


def annual_covers(case: Case) -> bool:
    """An annual holder needs no ministerial badge for an HQ event "unless otherwise
    specified" (2022 procedures), when the event's accreditation scanned is itself
    approved: a code revoked, denied or pending is refused as such, never served by the
    annual flow in its place (the holder scans their annual confirmation for that)."""
    event = case.event
    return (
        case.accreditation.flow is Flow.EVENT
        and case.accreditation.status is Status.APPROVED
        and case.holds_annual
        and event is not None
        and event.at_hq
        and event.annual_admitted
    )


def check_annual_covers(case: Case, counter: Counter) -> Check:
    """No ministerial badge for an annual holder at an HQ event (`annual_covers`).

    Our rule, so that no counter sends the holder to itself: with the annual badge in hand
    there is nothing to print (NOT_NEEDED, at either counter); without it, the Groups
    counter sends them to the Visitors entrance to collect it, and the Visitors counter
    serves the annual flow (the desk decides on the annual accreditation instead; this
    line is what remains when it cannot, e.g. the annual record is not synced)."""
    if not annual_covers(case):
        return _ok("annual_cover", "A badge is needed for this visit.", "Un badge est requis.")
    event = case.event
    assert event is not None
    en = f"No ministerial badge is needed: the annual accreditation covers {event.name} at HQ"
    fr = (
        "Aucun badge ministériel n'est nécessaire : l'accréditation annuelle couvre "
        f"{event.french_name} au siège"
    )
    badge = case.annual_badge
    if badge is not None:
        return _fail(
            "annual_cover",
            f"{en}. The holder enters with the annual badge {badge.serial}.",
            f"{fr}. Le titulaire entre avec son badge annuel {badge.serial}.",
            Verdict.NOT_NEEDED,
        )
    if counter is Counter.VISITORS:
        return _fail(
            "annual_cover",
            f"{en}. The annual badge is not issued yet: scan the annual confirmation (or "
            "find it by search) to issue it here.",
            f"{fr}. Le badge annuel n'est pas encore émis : scanner la confirmation annuelle "
            "(ou la trouver par recherche) pour l'émettre ici.",
            Verdict.NOT_NEEDED,
        )
    return _fail(
        "annual_cover",
        f"{en}. The annual badge is not issued yet: send the applicant to the main pass "
        "office at the Visitors entrance to collect it.",
        f"{fr}. Le badge annuel n'est pas encore émis : envoyer le demandeur au bureau des "
        "badges de l'entrée Visiteurs pour le retirer.",
        Verdict.REDIRECT,
        Counter.VISITORS,
    )


def check_annual_instead(event_case: Case) -> Check:
    """The line that says why an event code led to the annual badge (the annual flow at
    the Visitors counter, `CounterDesk`)."""
    event = event_case.event
    assert event is not None
    return _ok(
        "annual_cover",
        f"Ministerial code scanned: no ministerial badge is needed, the annual accreditation "
        f"covers {event.name} at HQ. This is the annual badge, collected here.",
        f"Code ministériel scanné : aucun badge ministériel n'est nécessaire, l'accréditation "
        f"annuelle couvre {event.french_name} au siège. Voici le badge annuel, retiré ici.",
    )


def annual_window(year: int) -> tuple[datetime, datetime]:
    """Annual badges for YEAR are handed out from 1 December of the year before until the
    end of YEAR (our rule: the sources give no date; renewals start before January)."""
    return (
        datetime(year - 1, 12, 1, tzinfo=BRUSSELS),
        datetime(year + 1, 1, 1, tzinfo=BRUSSELS),
    )


def collection_window(case: Case) -> tuple[datetime, datetime]:
    """When badges of this accreditation may be handed out: for an event, from the first
    opening to the last closing of its own window and those of the events declared valid
    with it (its badge is the way in to all of them)."""
    if case.accreditation.flow is Flow.ANNUAL:
        return annual_window(case.accreditation.year or 0)
    assert case.event is not None
    evs = (case.event, *case.linked_events)
    return min(e.collection_opens for e in evs), max(e.collection_closes for e in evs)


def badge_validity(case: Case) -> tuple[date, date]:
    """The days a badge is valid: the calendar year for an annual badge; for an event,
    its media days and those of the events declared valid with it."""
    if case.accreditation.flow is Flow.ANNUAL:
        year = case.accreditation.year or 0
        return date(year, 1, 1), date(year, 12, 31)
    assert case.event is not None
    evs = (case.event, *case.linked_events)
    return min(e.first_day for e in evs), max(e.last_day for e in evs)


def check_window(case: Case, now: datetime) -> Check:
    """Today must fall inside the collection window, in Brussels time."""
    if case.accreditation.flow is Flow.EVENT and case.event is None:
        return _fail(
            "window",
            "The accreditation names an event this counter does not know: sync, then retry.",
            "L'accréditation cite un événement inconnu de ce guichet : synchroniser et réessayer.",
            Verdict.REFUSE,
        )
    opens, closes = collection_window(case)
    if now < opens:
        return _fail(
            "window",
            f"Too early: these badges are handed out from {_fmt(opens)}.",
            f"Trop tôt : ces badges sont remis à partir du {_fmt(opens)}.",
            Verdict.REFUSE,
        )
    if now >= closes:
        return _fail(
            "window",
            f"Too late: these badges were handed out until {_fmt_end(closes)}.",
            f"Trop tard : ces badges étaient remis jusqu'au {_fmt_end(closes)}.",
            Verdict.REFUSE,
        )
    return _ok(
        "window",
        f"Within the collection period (until {_fmt_end(closes)}).",
        f"Dans la période de remise (jusqu'au {_fmt_end(closes)}).",
    )


def check_id_document(case: Case, reading: IdReading | None, now: datetime) -> list[Check]:
    """The same ID document as at application ("Please bring the same ID document that you
    used to apply"): number, names, date of birth, and not expired.

    A different document of the same person (number differs, names and birth date match)
    is a soft refusal a supervisor may accept; different names or birth date, or an
    expired document, are refusals. Numbers are compared as keyed hashes
    (`kiosk.documents`): the counter hashes the number it read with the site's document
    key; a counter without the key cannot compare, which a supervisor must settle.
    """
    if reading is None:
        return [
            _fail(
                "id_document",
                "Scan the ID document (passport or ID card) used to apply.",
                "Scanner la pièce d'identité (passeport ou carte) utilisée pour la demande.",
                Verdict.INCOMPLETE,
            )
        ]
    if reading.document_type.startswith("V"):  # a visa (MRV-A, MRV-B): no ID document
        return [
            _fail(
                "id_document",
                "A visa is not an ID document: scan the passport or ID card used to apply.",
                "Un visa n'est pas une pièce d'identité : scanner le passeport ou la carte "
                "utilisé pour la demande.",
                Verdict.INCOMPLETE,
            )
        ]
    doc = case.accreditation.id_document
    checks = [_check_number(reading, doc.number_digest, doc.number_tail)]
    if checks[0].ok and doc.issuing_state and reading.issuing_state != doc.issuing_state:
        checks[0] = _fail(  # the same number, but another state's document
            "id_number",
            f"Not the ID document used to apply: issued by {reading.issuing_state}, the "
            f"application's by {doc.issuing_state}. Ask for that document, or a supervisor.",
            f"Pas la pièce utilisée pour la demande : émise par {reading.issuing_state}, "
            f"celle de la demande par {doc.issuing_state}. Demander cette pièce, ou un "
            "superviseur.",
            Verdict.SUPERVISOR,
        )
    match = names_match(
        doc.surname,
        doc.given_names,
        reading.surname,
        reading.given_names,
        truncated=reading.names_truncated,
    )
    if match.ok:
        checks.append(_ok("id_names", "Names match.", "Les noms correspondent."))
    elif _umlaut_typed_plain(doc, reading):
        checks.append(
            _fail(
                "id_names",
                f"Names differ only where the ID document writes an umlaut as AE, OE or UE "
                f"and the application a plain letter ({match.reason}): a supervisor checks "
                "that it is the same name.",
                f"Les noms ne diffèrent que là où la pièce écrit un tréma AE, OE ou UE et la "
                f"demande une lettre simple ({match.reason_fr}) : un superviseur vérifie que "
                "c'est le même nom.",
                Verdict.SUPERVISOR,
            )
        )
    else:
        checks.append(
            _fail(
                "id_names",
                f"Names on the ID document differ from the application: {match.reason}.",
                f"Les noms de la pièce diffèrent de la demande : {match.reason_fr}.",
                Verdict.REFUSE,
            )
        )
    if reading.birth_unknown == "year":
        checks.append(
            _fail(
                "id_birth",
                "The ID document gives no date of birth (unknown to its issuer), so it cannot "
                "confirm the one on file: a supervisor must check it on another document.",
                "La pièce ne donne pas de date de naissance (inconnue de l'émetteur) et ne peut "
                "confirmer celle du dossier : un superviseur doit la vérifier sur un autre "
                "document.",
                Verdict.SUPERVISOR,
            )
        )
    elif reading.born_on(doc.date_of_birth):
        checks.append(_ok("id_birth", "Date of birth matches.", "Date de naissance conforme."))
    else:
        checks.append(
            _fail(
                "id_birth",
                f"Date of birth on the ID document ({reading.birth_text()}) differs from "
                f"the application ({_fmt(doc.date_of_birth)}).",
                f"La date de naissance de la pièce ({reading.birth_text()}) diffère de "
                f"la demande ({_fmt(doc.date_of_birth)}).",
                Verdict.REFUSE,
            )
        )
    if reading.expiry_date >= _day(now):
        checks.append(_ok("id_expiry", "ID document valid.", "Pièce d'identité valide."))
    else:
        checks.append(
            _fail(
                "id_expiry",
                f"The ID document expired on {_fmt(reading.expiry_date)}.",
                f"La pièce d'identité a expiré le {_fmt(reading.expiry_date)}.",
                Verdict.REFUSE,
            )
        )
    return checks


def _umlaut_typed_plain(doc: IdDocument, reading: IdReading) -> bool:
    """Whether the names match once the document's AE, OE and UE are read as A, O and U:
    "Jurgen" typed in the application for a passport's JUERGEN (Ü by ICAO 9303), which
    transliteration alone cannot tell from another name."""

    def plain(name: str) -> str:
        return re.sub(r"([AOU])E", r"\1", name)

    return names_match(
        doc.surname,
        doc.given_names,
        plain(reading.surname),
        plain(reading.given_names),
        truncated=reading.names_truncated,
    ).ok


def _check_number(reading: IdReading, digest: str, tail: str) -> Check:
    if reading.document_digest is None:
        return _fail(
            "id_number",
            "This counter holds no document key, so the ID number cannot be compared: a "
            "supervisor must check the document (and the counter be enrolled again).",
            "Ce guichet n'a pas de clé des pièces : le numéro ne peut pas être comparé ; un "
            "superviseur doit vérifier la pièce (et le guichet être réinscrit).",
            Verdict.SUPERVISOR,
        )
    if digest and reading.document_digest == digest:
        return _ok("id_number", "Same ID document as at application.", "Même pièce.")
    return _fail(
        "id_number",
        f"Not the ID document used to apply (no. {reading.document_number}, applied with a "
        f"number ending …{tail}): ask for that document, or a supervisor.",
        f"Pas la pièce utilisée pour la demande (n° {reading.document_number}, demande avec "
        f"un numéro finissant par …{tail}) : demander cette pièce, ou un superviseur.",
        Verdict.SUPERVISOR,
    )


def check_proof(case: Case) -> Check:
    """A press card number, or "N/A" with a signed editor's letter; a group letter must list
    this crew member (SURNAME, Name, date of birth, ID/passport number).

    Missing or doubtful proof is a soft refusal: a supervisor may accept the original
    that the applicant brings (2024: "the same press card or editor's letter").
    """
    proof = case.accreditation.proof
    if is_card_number(proof.press_card):  # "N/A", "none", "-" or blank are no card
        return _ok(
            "proof",
            f"Press card no. {proof.press_card} on file.",
            f"Carte de presse n° {proof.press_card} au dossier.",
        )
    letter = proof.letter
    if letter is None:
        return _fail(
            "proof",
            "No press card or editor's letter on file: a supervisor must see the original.",
            "Ni carte de presse ni lettre de la rédaction au dossier : un superviseur doit "
            "voir l'original.",
            Verdict.SUPERVISOR,
        )
    if not letter.signed:
        return _fail(
            "proof",
            f"The letter from {letter.organisation} on file is not signed: a supervisor must "
            "see the signed original.",
            f"La lettre de {letter.organisation} au dossier n'est pas signée : un superviseur "
            "doit voir l'original signé.",
            Verdict.SUPERVISOR,
        )
    if letter.kind is LetterKind.GROUP and not _listed(case):
        return _fail(
            "proof",
            f"The group letter from {letter.organisation} does not list this person with the "
            "same date of birth and ID number: a supervisor must decide.",
            f"La lettre collective de {letter.organisation} ne mentionne pas cette personne "
            "avec la même date de naissance et le même numéro de pièce : un superviseur doit "
            "décider.",
            Verdict.SUPERVISOR,
        )
    return _ok(
        "proof",
        f"Signed {letter.kind.value} letter from {letter.organisation} on file.",
        f"Lettre {LETTER_KINDS_FR[letter.kind]} signée de {letter.organisation} au dossier.",
    )


def _listed(case: Case) -> bool:
    doc = case.accreditation.id_document
    letter = case.accreditation.proof.letter
    assert letter is not None
    return any(
        m.document_digest
        and m.document_digest == doc.number_digest
        and m.date_of_birth == doc.date_of_birth
        and names_match(m.surname, m.given_names, doc.surname, doc.given_names).ok
        for m in letter.members
    )


def check_photo(case: Case) -> Check:
    """A JPEG identity photo must be on file: the badge carries it and the clerk compares
    it with the face at the counter."""
    if case.photo_ok:
        return _ok(
            "photo",
            "Photo on file: compare it with the face at the counter.",
            "Photo au dossier : la comparer avec le visage au guichet.",
        )
    return _fail(
        "photo",
        "No identity photo on file: the accreditation office must add one before a badge "
        "can be printed.",
        "Aucune photo d'identité au dossier : le bureau des accréditations doit en ajouter "
        "une avant l'impression du badge.",
        Verdict.REFUSE,
    )


def check_no_badge(case: Case) -> Check:
    """One valid badge per accreditation; a reprint (lost, damaged) needs a supervisor and
    supersedes the earlier badge.

    A badge counts as issued once it is handed over (active) or while it is printing at a
    counter. A badge pre-printed the day before and not handed over yet, or one whose
    printing failed, does NOT count (our rule: the applicant never had that card): the
    counter hands the pre-printed card over, or prints the failed one again under the
    same serial, instead of printing a new badge, so a badge is never issued twice.
    """
    if case.active_badges:
        return _already_issued(case.active_badges[0])
    waiting = case.waiting_badges[0] if case.waiting_badges else None
    if waiting is not None and waiting.status is BadgeStatus.PREPRINTED:
        return _ok(
            "badge",
            f"Badge {waiting.serial} was pre-printed: hand it over (nothing to print).",
            f"Le badge {waiting.serial} a été pré-imprimé : le remettre (rien à imprimer).",
        )
    if waiting is not None:
        return _ok(
            "badge",
            f"Badge {waiting.serial} failed to print: it will be printed again.",
            f"L'impression du badge {waiting.serial} a échoué : il sera réimprimé.",
        )
    if case.void_badges:
        return _voided(case.void_badges[0])
    if case.ended_badges:
        return _ended(case.ended_badges[0], case.accreditation.status is Status.APPROVED)
    return _ok("badge", "No badge issued yet.", "Aucun badge émis.")


def _ended(b: Badge, approved: bool) -> Check:
    """The newest revoked or superseded badge, when none is active or waiting."""
    if b.status is BadgeStatus.SUPERSEDED:
        en, fr = "was replaced", "a été remplacé"
    else:
        en, fr = "was revoked", "a été révoqué"
    if approved:  # e.g. revoked, then approved again: a new badge may be issued
        return _ok(
            "badge",
            f"Badge {b.serial} {en} and is no longer valid: a new badge will be issued.",
            f"Le badge {b.serial} {fr} et n'est plus valable : un nouveau badge sera émis.",
        )
    return _fail(
        "badge",
        f"Badge {b.serial} {en}: take its card back, if one was handed over.",
        f"Le badge {b.serial} {fr} : en reprendre la carte, si elle a été remise.",
        Verdict.REFUSE,
    )


# A voided badge as the clerk is told of it (kiosk/badge_life.py records these).
VOIDED_NAMES = {
    BadgeStatus.LOST: ("reported lost", "déclaré perdu"),
    BadgeStatus.STOLEN: ("reported stolen", "déclaré volé"),
    BadgeStatus.DAMAGED: ("reported damaged", "déclaré endommagé"),
    BadgeStatus.FOUND: ("reported lost, then handed in", "déclaré perdu, puis rapporté"),
    BadgeStatus.RETURNED: ("handed back", "rendu"),
}


def _voided(b: Badge) -> Check:
    """Our rule: a badge voided in its holder's life (lost, stolen, damaged, returned) is
    never replaced by the counter alone. A replacement is a separate step that needs a
    supervisor and a written reason ("reprint after a lost badge", DOMAIN.md)."""
    en, fr = VOIDED_NAMES[b.status]
    return _fail(
        "badge",
        f"Badge {b.serial}, issued on {_fmt(b.issued_at)}, was {en}: a replacement needs a "
        "supervisor and a written reason.",
        f"Le badge {b.serial}, remis le {_fmt(b.issued_at)}, a été {fr} : un remplacement "
        "exige un superviseur et un motif écrit.",
        Verdict.SUPERVISOR,
    )


def _already_issued(b: Badge) -> Check:
    where_en, where_fr = COUNTER_NAMES[b.counter]
    if b.status is BadgeStatus.PRINTING:
        return _fail(
            "badge",
            f"Badge {b.serial} is being printed since {_fmt(b.issued_at)} at {where_en}: wait "
            "for it; a reprint needs a supervisor and cancels that badge.",
            f"Le badge {b.serial} est en cours d'impression depuis le {_fmt(b.issued_at)} "
            f"{where_fr} : l'attendre ; une réimpression exige un superviseur et annule ce "
            "badge.",
            Verdict.SUPERVISOR,
        )
    return _fail(
        "badge",
        f"Badge {b.serial} was already issued on {_fmt(b.issued_at)} at {where_en}: a reprint "
        "needs a supervisor and cancels that badge.",
        f"Le badge {b.serial} a déjà été émis le {_fmt(b.issued_at)} {where_fr} : une "
        "réimpression exige un superviseur et annule ce badge.",
        Verdict.SUPERVISOR,
    )


def check_preprint(case: Case) -> list[Check]:
    """The failing checks that keep a badge from being pre-printed the day before.

    Pre-printed: approved, held at HQ, needed (not covered by an annual badge), proof and
    photo on file, no badge issued and none pre-printed or waiting for a retry. The
    counter still runs every rule (ID document, window, counter) before it hands the card
    over, so a card pre-printed for someone refused later is only a card to destroy.
    """
    checks = [
        check_status(case),
        check_place(case),
        check_annual_covers(case, Counter.GROUPS),
        check_proof(case),
        check_photo(case),
        check_no_badge(case),
    ]
    if case.waiting_badges:
        b = case.waiting_badges[0]
        checks.append(
            _fail(
                "badge",
                f"Badge {b.serial} is already waiting ({b.status.value}).",
                f"Le badge {b.serial} attend déjà ({b.status.value}).",
                Verdict.REFUSE,
            )
        )
    return [c for c in checks if not c.ok]


def _without_supervisor(check: Check) -> Check:
    """`check` as said after a search: a refusal no supervisor overrides, so never "or
    a supervisor"."""
    if check.ok or check.on_fail is not Verdict.SUPERVISOR:
        return check
    return replace(
        check,
        reason_en=check.reason_en.replace(", or a supervisor.", "."),
        reason_fr=check.reason_fr.replace(", ou un superviseur.", "."),
        on_fail=Verdict.REFUSE,
    )


def check_found_by_search(id_checks: list[Check]) -> Check:
    """An applicant without the printout, found by the clerk's search: the ID document is
    then the only proof of identity (no signed code ties them to the application).

    Our rule: INCOMPLETE until the ID document is scanned; then every ID check must pass
    (`id_checks`, from `check_id_document`): a different document, which a supervisor may
    accept beside a printout, is here a refusal (ask for the printout or that document).
    """
    en, fr = (
        "No printout: found by search; identity by the ID document",
        "Pas de convocation imprimée : trouvé par recherche ; identité par la pièce d'identité",
    )
    if any(not c.ok and c.on_fail is Verdict.INCOMPLETE for c in id_checks):
        return _fail(
            "code",
            f"{en}: scan it.",
            f"{fr} : la scanner.",
            Verdict.INCOMPLETE,
        )
    if any(not c.ok for c in id_checks):
        return _fail(
            "code",
            f"{en}, and it does not match the application: ask for the printout (on paper "
            "or a phone) or the ID document used to apply.",
            f"{fr}, et elle ne correspond pas à la demande : demander la convocation (papier "
            "ou téléphone) ou la pièce utilisée pour la demande.",
            Verdict.REFUSE,
        )
    return _ok("code", f"{en}: it matches.", f"{fr} : elle correspond.")


def decide(
    case: Case,
    counter: Counter,
    now: datetime,
    reading: IdReading | None,
    found_by_search: bool = False,
    instead_of: Case | None = None,
    hours: CounterDay | None = None,
    press_card: PressCardSeen | None = None,
) -> Decision:
    """Run every rule on a genuine, known accreditation and pick the verdict.

    The verdict is the most severe failing check's (refuse, redirect, not needed,
    supervisor, incomplete); failing checks come first, most severe first, so the clerk
    reads the reason that decides. `now` must be timezone-aware. `found_by_search`: no
    printout was scanned (see `check_found_by_search`). `instead_of`: the event case
    whose code was scanned, when `case` is the holder's annual accreditation served
    instead (`check_annual_instead`). A case the annual badge covers is not sent to
    another counter for its flow: `check_annual_covers` says where it goes. `hours`: the
    counter's opening hours today; `press_card`: the card the clerk saw
    (`kiosk.desk_checks`).
    """
    id_checks = check_id_document(case, reading, now)
    by_search = [check_found_by_search(id_checks)] if found_by_search else []
    if found_by_search:  # no supervisor accepts another document without the printout
        id_checks = [_without_supervisor(c) for c in id_checks]
    instead = [check_annual_instead(instead_of)] if instead_of else []
    covered = annual_covers(case)
    checks: list[Check] = [
        *by_search,
        *instead,
        check_status(case),
        check_place(case),
        check_annual_covers(case, counter),
        *([] if covered else [check_counter(case, counter)]),
        check_window(case, now),
        check_hours(hours, now),
        *id_checks,
        check_proof(case),
        check_press_card(case.accreditation.proof.press_card, press_card, now),
        check_photo(case),
        check_no_badge(case),
    ]
    return replace(_conclude(checks, case), press_card=press_card)


def refuse_unreadable(name: str, reason_en: str, reason_fr: str) -> Decision:
    """A refusal before any accreditation is known: a code not genuine or not on file."""
    return _conclude([_fail(name, reason_en, reason_fr, Verdict.REFUSE)], None)


def scan_again(name: str, reason_en: str, reason_fr: str) -> Decision:
    """A scan read only in part (a confirmation code cut short by the scanner): no one is
    named yet, so nothing to refuse; INCOMPLETE, its reason asking for the scan again (our
    rule: a misread never reads REFUSE, which would send an accredited applicant away)."""
    return _conclude([_fail(name, reason_en, reason_fr, Verdict.INCOMPLETE)], None)


def asks_to_scan_again(decision: Decision) -> bool:
    """Whether `decision` is `scan_again`'s: a screen keeps what it shows and says why."""
    return decision.case is None and decision.verdict is Verdict.INCOMPLETE


def _conclude(checks: list[Check], case: Case | None) -> Decision:
    failed = sorted((c for c in checks if not c.ok), key=lambda c: c.on_fail.rank)
    passed = [c for c in checks if c.ok]
    verdict = failed[0].on_fail if failed else Verdict.ISSUE
    redirect = next((c.redirect_to for c in failed if c.on_fail is Verdict.REDIRECT), None)
    if verdict is not Verdict.REDIRECT:
        redirect = None
    return Decision(verdict, (*failed, *passed), redirect, case)


def with_check(decision: Decision, check: Check) -> Decision:
    """`decision` with one more check (a passport chip's, kiosk/chip_check.py), its verdict
    taken again; a decision on no accreditation (an unreadable code) is left as it is."""
    if decision.case is None:
        return decision
    return replace(
        _conclude([*decision.checks, check], decision.case), press_card=decision.press_card
    )


def overridable(decision: Decision) -> bool:
    """A supervisor may override only soft refusals: every failing check is of the
    supervisor kind (never a refusal, a redirect, or a missing ID scan)."""
    return decision.verdict is Verdict.SUPERVISOR and all(
        c.on_fail is Verdict.SUPERVISOR for c in decision.failures
    )
