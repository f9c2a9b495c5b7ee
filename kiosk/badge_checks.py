"""The security post's rules: one small pure function per thing a worn badge must be.

Each takes plain values (the badge's signed claim, what the post's store says) and gives
a `PostCheck` that says in English and French what was found, passed or not; a failing
check carries the machine code the post acts on (`kiosk/verify.py` gathers the values
and puts the most useful failure first). Dates are shown as security reads them on the
card: 13.02.2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk import rules
from kiosk.codes import BadgeClaim
from kiosk.model import BRUSSELS, BadgeStatus, Case, Event, Flow, Status

# A post syncs every few seconds while the hub answers (sync/worker.py); a list older
# than this means it has not for a while, and the guard is told how old it is.
STALE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class PostCheck:
    """One rule's outcome at the post: what was checked, whether it held, the machine code
    of the refusal ("ok" when it held) and what was found in both languages."""

    name: str
    ok: bool
    code: str
    reason_en: str
    reason_fr: str


@dataclass(frozen=True)
class BadgeList:
    """What the post knows of the site's badges besides the one scanned.

    `enrolled` False: no hub feeds this store, so it is the whole site's list (its own
    counters write each badge into it as they issue it). Otherwise the list is the hub's
    as of `synced_at` (None: never synced), `complete` unless the last sync failed (pages
    may have been applied in part), and `highest_seq` is the highest sequence number it
    holds of the badge's kiosk."""

    enrolled: bool
    synced_at: datetime | None = None
    highest_seq: int | None = None
    complete: bool = True


def _ok(name: str, en: str, fr: str) -> PostCheck:
    return PostCheck(name, True, "ok", en, fr)


def _no(name: str, code: str, en: str, fr: str) -> PostCheck:
    return PostCheck(name, False, code, en, fr)


def fmt(d: date) -> str:
    """A day as printed on the badge."""
    return d.strftime("%d.%m.%Y")


def check_key_owner(claim: BadgeClaim, key_id: int, owner: str | None) -> PostCheck:
    """The key that signed the badge is the key of the kiosk the badge names: a kiosk's
    key (stolen, or its kiosk gone rogue) cannot make badges in another kiosk's name.
    Owners come from the hub, which records who reported each key."""
    if owner is None:
        return _no(
            "key_owner",
            "key_owner_unknown",
            f"NOT VALID: this post does not know whose key {key_id} is. Sync and scan "
            "again; if it stays so, take the badge from the holder and call the pass office.",
            f"NON VALABLE : ce poste ne sait pas à qui est la clé {key_id}. Synchroniser "
            "et scanner à nouveau ; si cela persiste, retirer le badge à son porteur et appeler le "
            "bureau des badges.",
        )
    if owner != claim.kiosk_id:
        return _no(
            "key_owner",
            "wrong_kiosk",
            f"FORGED: the badge names kiosk {claim.kiosk_id} but is signed with the key "
            f"of {owner}. Take the badge from the holder.",
            f"FALSIFIÉ : le badge nomme le poste {claim.kiosk_id} mais est signé avec la "
            f"clé de {owner}. Retirer le badge à son porteur.",
        )
    return _ok(
        "key_owner",
        f"Signed with the key of {owner}, the kiosk it names.",
        f"Signé avec la clé de {owner}, le poste qu'il nomme.",
    )


def check_record(claim: BadgeClaim, case: Case | None, held_by: int | None = None) -> PostCheck:
    """The accreditation the badge names is on file here, with the same flow and event,
    and it is the one whose badge the post holds under the claim's serial (`held_by`; None:
    the post holds no such badge, `check_listed` says more). No kiosk gives a serial to
    another accreditation (the hub holds it fixed: hub/delivery_checks.py); a counter's
    key could otherwise sign one person's claim under another's listed, valid serial."""
    if case is None:
        return _no(
            "record",
            "unknown",
            "Unknown here: this post has no record of the accreditation "
            "(sync, or call the pass office).",
            "Inconnu ici : ce poste n'a pas trace de l'accréditation (synchroniser, "
            "ou appeler le bureau des badges).",
        )
    acc = case.accreditation
    if (claim.flow, claim.event_id) != (acc.flow, acc.event_id):
        return _no(
            "record",
            "forged",
            "FORGED: the badge does not match the accreditation on record. Take the badge "
            "from the holder.",
            "FALSIFIÉ : le badge ne correspond pas à l'accréditation enregistrée. Retirer le "
            "badge à son porteur.",
        )
    if held_by not in (None, claim.accreditation_id):
        return _no(
            "record",
            "forged",
            f"FORGED: badge {claim.serial} was issued to another accreditation. Take the "
            "badge from the holder and call the pass office.",
            f"FALSIFIÉ : le badge {claim.serial} a été délivré pour une autre accréditation. "
            "Retirer le badge à son porteur et appeler le bureau des badges.",
        )
    return _ok(
        "record",
        f"Matches accreditation {acc.registration}.",
        f"Correspond à l'accréditation {acc.registration}.",
    )


def check_dates(
    claim: BadgeClaim, case: Case, held_days: tuple[date, date] | None = None
) -> PostCheck:
    """The badge's days fit what its accreditation allows (`rules.badge_validity`, the
    counter's own rule): an event's media days and those of the events declared valid
    with it; an annual badge's calendar year. A badge signed for more days is refused,
    however genuine its signature; so is one whose days are not those of the badge the
    post holds under its serial (`held_days`: fixed once issued, hub/delivery_checks.py)."""
    if case.accreditation.flow is Flow.EVENT and case.event is None:
        return _no(
            "dates",
            "unknown",
            "Unknown here: this post does not know the badge's event (sync, or call the "
            "pass office).",
            "Inconnu ici : ce poste ne connaît pas l'événement du badge (synchroniser, "
            "ou appeler le bureau des badges).",
        )
    first, last = rules.badge_validity(case)
    span = f"{fmt(first)}–{fmt(last)}"
    what_en, what_fr = _allowance(case)
    if claim.valid_from < first or claim.valid_until > last:
        days = f"{fmt(claim.valid_from)}–{fmt(claim.valid_until)}"
        return _no(
            "dates",
            "bad_dates",
            f"NOT VALID: the badge's days ({days}) go beyond {what_en} ({span}). Take the "
            "badge from the holder and call the pass office.",
            f"NON VALABLE : les jours du badge ({days}) dépassent {what_fr} ({span}). "
            "Retirer le badge à son porteur et appeler le bureau des badges.",
        )
    if held_days not in (None, (claim.valid_from, claim.valid_until)):
        days, issued = (
            f"{fmt(a)}–{fmt(b)}" for a, b in ((claim.valid_from, claim.valid_until), held_days)
        )
        return _no(
            "dates",
            "bad_dates",
            f"NOT VALID: the badge's days ({days}) are not those badge {claim.serial} was "
            f"issued for ({issued}). Take the badge from the holder and call the pass office.",
            f"NON VALABLE : les jours du badge ({days}) ne sont pas ceux pour lesquels le "
            f"badge {claim.serial} a été délivré ({issued}). Retirer le badge à son porteur "
            "et appeler le bureau des badges.",
        )
    return _ok(
        "dates", f"Its days fit {what_en} ({span}).", f"Ses jours respectent {what_fr} ({span})."
    )


def _allowance(case: Case) -> tuple[str, str]:
    if case.accreditation.flow is Flow.ANNUAL:
        year = case.accreditation.year
        return f"the year {year}", f"l'année {year}"
    event, event_id = case.event, case.accreditation.event_id
    name, nom = (event.name, event.french_name) if event else (event_id, event_id)
    return f"the media days of {name}", f"les journées médias de {nom}"


# Why a badge voided in its holder's life is refused (kiosk/badge_life.py), as the guard
# reads it: what happened, and what to do with the card.
VOIDED_AT_POST = {
    BadgeStatus.LOST.value: (
        "REPORTED LOST",
        "DÉCLARÉ PERDU",
        "Take the badge from the person wearing it: they are not its holder, or have not "
        "said it was found.",
        "Retirer le badge à son porteur : qui le porte n'en est pas le titulaire, ou n'a "
        "pas signalé l'avoir retrouvé.",
    ),
    BadgeStatus.STOLEN.value: (
        "REPORTED STOLEN",
        "DÉCLARÉ VOLÉ",
        "Take the badge from the holder and call the pass office.",
        "Retirer le badge à son porteur et appeler le bureau des badges.",
    ),
    BadgeStatus.DAMAGED.value: (
        "REPORTED DAMAGED",
        "DÉCLARÉ ENDOMMAGÉ",
        "Take the badge from the holder: they collect a replacement at the pass office.",
        "Retirer le badge à son porteur : il en retire un autre au bureau des badges.",
    ),
    BadgeStatus.FOUND.value: (
        "LOST, THEN HANDED IN",
        "PERDU, PUIS RAPPORTÉ",
        "It should be at the pass office: take the badge from the holder.",
        "Il devrait être au bureau des badges : retirer le badge à son porteur.",
    ),
    BadgeStatus.RETURNED.value: (
        "RETURNED",
        "RENDU",
        "It was handed back and is void: take the badge from the holder.",
        "Il a été rendu et n'est plus valable : retirer le badge à son porteur.",
    ),
}


def check_status(
    acc_status: Status,
    serial: str,
    badge_status: str | None,
    superseded_by: str | None,
    voided: tuple[datetime, str] | None = None,
) -> PostCheck:
    """The accreditation still stands, and the badge was handed over and not replaced,
    lost, stolen, damaged or returned (`badge_status` None: the post does not hold the
    badge; `check_listed` says more). `voided`: when and at which kiosk a voided badge's
    last event was recorded, if the post holds it."""
    if badge_status in VOIDED_AT_POST:
        head_en, head_fr, do_en, do_fr = VOIDED_AT_POST[badge_status]
        when_en = when_fr = ""
        if voided is not None:
            at = voided[0].astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M")
            when_en, when_fr = f" on {at} at {voided[1]}", f" le {at} à {voided[1]}"
        return _no(
            "status",
            badge_status,
            f"{head_en}: badge {serial} was voided{when_en}. {do_en}",
            f"{head_fr} : le badge {serial} a été annulé{when_fr}. {do_fr}",
        )
    if acc_status is not Status.APPROVED or badge_status == BadgeStatus.REVOKED:
        return _no(
            "status",
            "revoked",
            "REVOKED: the accreditation was withdrawn. Take the badge from the holder.",
            "RÉVOQUÉ : l'accréditation a été retirée. Retirer le badge à son porteur.",
        )
    if badge_status in (BadgeStatus.PREPRINTED, BadgeStatus.PRINT_FAILED):
        return _no(
            "status",
            "not_handed_over",
            f"NOT HANDED OVER: badge {serial} was never given to its holder at a counter. "
            "Take the badge from the holder.",
            f"NON REMIS : le badge {serial} n'a jamais été remis à son titulaire à un "
            "guichet. Retirer le badge à son porteur.",
        )
    if badge_status == BadgeStatus.SUPERSEDED:
        return _no(
            "status",
            "superseded",
            f"SUPERSEDED: badge {serial} was replaced by {superseded_by}. Take the badge "
            "from the holder.",
            f"REMPLACÉ : le badge {serial} a été remplacé par {superseded_by}. "
            "Retirer le badge à son porteur.",
        )
    return _ok(
        "status",
        "Accreditation approved; badge not revoked, replaced, lost or returned.",
        "Accréditation approuvée ; badge ni révoqué, ni remplacé, ni perdu, ni rendu.",
    )


def check_listed(claim: BadgeClaim, listed: bool, badges: BadgeList, now: datetime) -> PostCheck:
    """The badge is on the site's list. A store no hub feeds is the whole list: a serial
    missing from it was never issued. A synced post refuses a serial below the highest it
    holds of that kiosk (counters number their badges in order, and the hub passes each
    kiosk's badges on in that order: the gap was never issued). A serial above may have
    been issued since the post's last sync: the guard is told to sync now or check by
    radio, and how old the list is once it is older than STALE_AFTER. So is a gap while
    the list may be partial (the last sync failed half-way: a later badge's row can come
    before an earlier one that changed since)."""
    serial = claim.serial
    if listed:
        return _ok(
            "listed",
            f"Badge {serial} is on the site's badge list.",
            f"Le badge {serial} figure sur la liste des badges du site.",
        )
    if not badges.enrolled:
        return _no(
            "listed",
            "unknown_serial",
            f"NEVER ISSUED: badge {serial} is not on the site's badge list. Take the badge "
            "from the holder.",
            f"JAMAIS DÉLIVRÉ : le badge {serial} ne figure pas sur la liste des badges du "
            "site. Retirer le badge à son porteur.",
        )
    if badges.complete and (badges.highest_seq or 0) >= claim.sequence:
        return _no(
            "listed",
            "unknown_serial",
            f"NEVER ISSUED: badge {serial} is not on the site's badge list, which holds "
            f"later badges of {claim.kiosk_id}. Take the badge from the holder.",
            f"JAMAIS DÉLIVRÉ : le badge {serial} ne figure pas sur la liste des badges du "
            f"site, qui contient des badges ultérieurs de {claim.kiosk_id}. "
            "Retirer le badge à son porteur.",
        )
    age_en, age_fr = _age(badges.synced_at, now)
    return _no(
        "listed",
        "unlisted",
        f"NOT ON THIS POST'S LIST: badge {serial} was issued after this post's last sync "
        f"({age_en}), or never. Sync now, or check by radio with the pass office.",
        f"PAS SUR LA LISTE DE CE POSTE : le badge {serial} a été délivré après la dernière "
        f"synchronisation de ce poste ({age_fr}), ou jamais. Synchroniser maintenant, ou "
        "vérifier par radio auprès du bureau des badges.",
    )


def _age(synced_at: datetime | None, now: datetime) -> tuple[str, str]:
    """When the post last synced, with the list's age once it is stale."""
    if synced_at is None:
        return "never synced", "jamais synchronisé"
    at = synced_at.astimezone(now.tzinfo).strftime("%d.%m.%Y %H:%M")
    age = now - synced_at
    if age <= STALE_AFTER:
        return at, at
    hours, minutes = divmod(int(age.total_seconds()) // 60, 60)
    nb = "\u00a0"  # "3 h 05 min" never split over two lines on the post's screen
    took = f"{hours}{nb}h{nb}{minutes:02d}{nb}min" if hours else f"{minutes}{nb}min"
    return f"{at}, list {took} old", f"{at}, liste vieille de {took}"


def check_today(claim: BadgeClaim, today: date) -> PostCheck:
    """Today, in Brussels, is one of the badge's days."""
    if today > claim.valid_until:
        return _no(
            "today",
            "expired",
            f"EXPIRED on {fmt(claim.valid_until)}: do not let the holder in.",
            f"EXPIRÉ le {fmt(claim.valid_until)} : ne pas laisser entrer son porteur.",
        )
    if today < claim.valid_from:
        return _no(
            "today",
            "not_yet_valid",
            f"NOT VALID before {fmt(claim.valid_from)}: do not let the holder in before that day.",
            f"PAS VALABLE avant le {fmt(claim.valid_from)} : ne pas laisser entrer son "
            "porteur avant ce jour.",
        )
    return _ok("today", "Valid today.", "Valable aujourd'hui.")


def check_event(case: Case, post_event_id: str | None, post_event: Event | None) -> PostCheck:
    """An event badge opens its own event and those declared valid with it; an annual
    badge opens HQ events that admit annual holders, never events outside HQ. A post with
    no event (`post_event_id` None) admits to the headquarters."""
    if post_event_id is None:
        return _ok(
            "event", "This post admits to the headquarters.", "Ce poste donne accès au siège."
        )
    name, nom = (post_event.name, post_event.french_name) if post_event else (post_event_id,) * 2
    acc = case.accreditation
    if acc.flow is Flow.ANNUAL:
        ok = post_event is not None and post_event.at_hq and post_event.annual_admitted
    else:
        linked = case.event.valid_with if case.event else ()
        ok = acc.event_id == post_event_id or post_event_id in linked
    if ok:
        return _ok("event", f"Valid for {name}.", f"Valable pour {nom}.")
    return _no(
        "event",
        "wrong_event",
        f"NOT VALID for {name}: do not let the holder in to it.",
        f"PAS VALABLE pour {nom} : ne pas y laisser entrer son porteur.",
    )
