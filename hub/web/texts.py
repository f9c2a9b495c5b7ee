"""Every word the web console shows, in English and French, and how it writes times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from kiosk.clock_check import TOLERANCE, span_words
from kiosk.model import BRUSSELS

LANGS = ("en", "fr")

# key: (English, French). Nested tables name enumerated values (check names, kinds...).
_WORDS: dict[str, tuple[str, str]] = {
    "console": ("Pass office hub", "Hub du bureau des accréditations"),
    "nav_today": ("Site today", "Site aujourd'hui"),
    "nav_kiosks": ("Kiosks and posts", "Guichets et postes"),
    "nav_conflicts": ("Conflicts", "Conflits"),
    "nav_accreditations": ("Accreditations", "Accréditations"),
    "nav_handoffs": ("Hand-offs", "Transmissions"),
    "nav_hours": ("Hours", "Horaires"),
    "sign_in": ("Sign in", "Connexion"),
    "sign_out": ("Sign out", "Déconnexion"),
    "earlier_post_checks": (
        "{n} earlier checks at security posts are not listed here (the journal holds them).",
        "{n} contrôles antérieurs aux postes de sécurité ne sont pas listés ici (le journal"
        " les garde).",
    ),
    "name": ("Name", "Nom"),
    "password": ("Password", "Mot de passe"),
    "refused_title": ("Not done", "Non effectué"),
    "missing": ("Not found", "Introuvable"),
    "missing_text": (
        "There is no such page, accreditation or conflict.",
        "Cette page, cette accréditation ou ce conflit n'existe pas.",
    ),
    "today_title": ("The site on", "Le site le"),
    "as_of": ("As of", "À"),
    "refreshes": ("this page refreshes every minute", "cette page se met à jour chaque minute"),
    "issued_per_hour": ("Badges issued per hour", "Badges émis par heure"),
    "issued_per_kiosk": ("Badges issued per counter", "Badges émis par guichet"),
    "none_yet": ("None yet today.", "Aucun aujourd'hui pour l'instant."),
    "preprinted_queue": ("Pre-printed cards waiting", "Badges pré-imprimés en attente"),
    "cards_waiting": ("cards", "badges"),
    "queue_empty": ("No pre-printed card is waiting.", "Aucun badge pré-imprimé en attente."),
    "refusals_by_reason": ("Refusals at the desks, by reason", "Refus aux guichets, par motif"),
    "reason": ("Reason", "Motif"),
    "reason_fr": ("Reason in French (optional)", "Motif en français (facultatif)"),
    "name_fr": ("Name in French (optional)", "Nom en français (facultatif)"),
    "place_fr": ("Place in French (optional)", "Lieu en français (facultatif)"),
    "count": ("Count", "Nombre"),
    "kiosks": ("Kiosks", "Guichets"),
    "no_refusals": ("No refusal.", "Aucun refus."),
    "turned_away": (
        "Badges turned away at the security posts, by reason",
        "Badges refusés aux postes de sécurité, par motif",
    ),
    "posts": ("Posts", "Postes"),
    "none_turned_away": ("No badge turned away.", "Aucun badge refusé."),
    "collection_title": (
        "Collection per event, by media kind",
        "Retrait par événement, par type de média",
    ),
    "event": ("Event", "Événement"),
    "approved": ("Approved", "Approuvées"),
    "collected": ("Collected", "Retirés"),
    "rate": ("Rate", "Taux"),
    "no_shows": ("No-shows", "Absents"),
    "still_to_collect": ("{} to collect", "{} à retirer"),
    "by_media": ("By media kind (collected/approved)", "Par type de média (retirés/approuvées)"),
    "download": ("Download", "Télécharger"),
    "annual_of": ("Annual {}", "Annuelle {}"),
    "kiosks_title": ("Kiosks and security posts", "Guichets et postes de sécurité"),
    "kiosks_note": (
        "journal rows not yet received as far as the hub knows; clock drift as the kiosk"
        " last reported its clock, highlighted beyond 2 minutes; \u201cestimated\u201d for a"
        " kiosk that does not report it: from the freshest deliveries, where rows delivered"
        " late (a kiosk synced by hand) read as behind",
        "entrées du journal non reçues, autant que le hub le sache ; décalage d'horloge"
        " tel que le guichet a donné son heure la dernière fois, signalé au-delà de"
        " 2 minutes ; \u00ab estimé \u00bb pour un guichet qui ne la donne pas : d'après les"
        " dernières livraisons, où des entrées livrées tard (un guichet synchronisé à la"
        " main) le font paraître en retard",
    ),
    "kiosk": ("Kiosk", "Guichet"),
    "kind": ("Kind", "Type"),
    "state": ("State", "État"),
    "last_contact": ("Last contact", "Dernier contact"),
    "unreceived": ("Rows not received", "Entrées non reçues"),
    "drift": ("Clock drift", "Décalage d'horloge"),
    "in_step": ("in step", "à l'heure"),
    "clock_ahead": ("{} ahead", "{} d'avance"),
    "clock_behind": ("{} behind", "{} de retard"),
    "clock_measured": ("measured {}", "mesuré {}"),
    "estimated": ("estimated", "estimé"),
    "key_list": ("Keys", "Clés"),
    "online": ("online", "en ligne"),
    "offline_for": ("offline for {}", "hors ligne depuis {}"),
    "never_seen": ("never seen", "jamais vu"),
    "ago": ("{} ago", "il y a {}"),
    "unknown": ("unknown", "inconnu"),
    "revoked": ("revoked", "révoqué"),
    "stolen": ("stolen", "volé"),
    "revoke_kiosk": ("Revoke", "Révoquer"),
    "no_kiosks": ("No kiosk is enrolled.", "Aucun guichet n'est inscrit."),
    "done_client_revoked": (
        "Revoked: its token is refused from now on; every kiosk stops trusting its badge keys "
        "at its next sync.",
        "Révoqué : son jeton est refusé désormais ; chaque kiosque cesse de se fier à ses clés "
        "de badge à sa prochaine synchronisation.",
    ),
    "conflicts_title": ("Conflicts", "Conflits"),
    "settled": ("settled", "réglé"),
    "open": ("open", "ouvert"),
    "accreditation": ("Accreditation", "Accréditation"),
    "detected": ("Detected", "Détecté"),
    "badge": ("Badge", "Badge"),
    "settlement": ("Settlement", "Règlement"),
    "note": ("Note", "Note"),
    "mark_handled": ("Mark handled", "Marquer réglé"),
    "confirm_revocation": ("Confirm the revocation", "Confirmer la révocation"),
    "reinstate": ("Reinstate {a}, revoke {b}", "Rétablir {a}, révoquer {b}"),
    "no_conflicts": ("No conflict.", "Aucun conflit."),
    "done_settled": (
        "Settled: the counters receive it at their next sync.",
        "Réglé : les guichets le reçoivent à leur prochaine synchronisation.",
    ),
    "handoffs_title": (
        "Hand-offs: applicants the counters sent to the office",
        "Transmissions au bureau : demandeurs envoyés par les guichets",
    ),
    "registration": ("Registration", "Enregistrement"),
    "holder": ("Holder", "Titulaire"),
    "to_fix": ("To fix", "À corriger"),
    "counter_clerk": ("Counter, clerk", "Guichet, agent"),
    "status_now": ("Status now", "Statut actuel"),
    "handled": ("handled", "réglée"),
    "mark_handoff_handled": ("Mark handled", "Marquer réglée"),
    "to_handle": ("to handle", "à traiter"),
    "handled_by": ("Handled by {by} on {at}", "Réglée par {by} le {at}"),
    "no_handoffs": ("No hand-off.", "Aucune transmission au bureau."),
    "done_handled": ("Marked handled.", "Marquée réglée."),
    "accreditations_title": ("Accreditations", "Accréditations"),
    "search_hint": ("Name, organisation or A0000042", "Nom, organisation ou A0000042"),
    "search": ("Search", "Rechercher"),
    "organisation": ("Organisation", "Organisation"),
    "status": ("Status", "Statut"),
    "nothing_found": ("Nothing found.", "Aucun résultat."),
    "approval": ("Approval", "Approbation"),
    "code": ("Confirmation code", "Code de confirmation"),
    "decisions": ("The office's decisions", "Décisions du bureau"),
    "no_decisions": (
        "None recorded at the hub: the status came with the platform's export.",
        "Aucune enregistrée au hub : le statut vient de l'export de la plateforme.",
    ),
    "at": ("When", "Quand"),
    "source": ("Source", "Source"),
    "print_letter": (
        "Print the confirmation letter (PDF)",
        "Imprimer la lettre de confirmation (PDF)",
    ),
    "letter_not_approved": (
        "{reg} is {status}: a confirmation letter is only printed for an approved accreditation.",
        "{reg} est {status} : une lettre de confirmation n'est imprimée que pour une "
        "accréditation approuvée.",
    ),
    "revoke_accreditation": ("Revoke the accreditation", "Révoquer l'accréditation"),
    "done_revoked": (
        "Revoked: its badges are revoked and security refuses them after their next sync.",
        "Révoquée : ses badges sont révoqués et la sécurité les refuse après sa prochaine "
        "synchronisation.",
    ),
    "badges": ("Badges", "Badges"),
    "issued_by": ("Issued at {kiosk} by {clerk} on {at}", "Remis à {kiosk} par {clerk} le {at}"),
    "no_badges": ("No badge.", "Aucun badge."),
    "desk_refusals": ("Refusals at the desks", "Refus aux guichets"),
    "verdict": ("Verdict", "Verdict"),
    "hours_title": (
        "Counter hours, closures and pooled moments",
        "Horaires des guichets, fermetures et moments en pool",
    ),
    "hours_enforced": (
        "What the counters enforce, today and the next seven days",
        "Ce que les guichets appliquent, aujourd'hui et les sept jours suivants",
    ),
    "hours_enforced_note": (
        "as each counter computes it from the hours below once it has synced",
        "tel que chaque guichet le calcule à partir des horaires ci-dessous après sa "
        "synchronisation",
    ),
    "day": ("Day", "Jour"),
    "for_event": ("{counter}, badges of {event}", "{counter}, badges de {event}"),
    "closed_because": ("Closed: {}", "Fermé : {}"),
    "closed_no_hours": ("closed (no hours that day)", "fermé (aucun horaire ce jour)"),
    "not_held": ("no hours on file: not held to any", "aucun horaire : aucune contrainte"),
    "spans_title": ("Opening hours in force", "Horaires en vigueur"),
    "number": ("No.", "N°"),
    "counter": ("Counter", "Guichet"),
    "when_applies": ("Applies", "S'applique"),
    "hours": ("Hours", "Heures"),
    "all_badges": ("all badges", "tous les badges"),
    "no_spans": ("No opening hours are set at the hub.", "Aucun horaire n'est réglé au hub."),
    "remove": ("Remove", "Supprimer"),
    "add_span": ("Add opening hours", "Ajouter un horaire"),
    "span_hint": ("HH:MM-HH:MM", "HH:MM-HH:MM"),
    "weekday": ("Every", "Chaque"),
    "or_day": ("or on the date", "ou à la date"),
    "event_hours": ("For the badges of (Groups only)", "Pour les badges de (Groupes seulement)"),
    "none": ("—", "—"),
    "add": ("Add", "Ajouter"),
    "closures_title": ("Closures from today", "Fermetures à partir d'aujourd'hui"),
    "no_closures": ("No closure to come.", "Aucune fermeture à venir."),
    "reopen": ("Reopen", "Rouvrir"),
    "close_day": ("Close a counter for a day", "Fermer un guichet pour une journée"),
    "close": ("Close", "Fermer"),
    "moments_title": ("Pooled moments to come", "Moments en pool à venir"),
    "no_moments": ("No pooled moment to come.", "Aucun moment en pool à venir."),
    "moment_id": ("Id", "Identifiant"),
    "starts": ("Starts", "Début"),
    "cards_at": ("Pool cards handed out", "Remise des cartes de pool"),
    "place": ("Place", "Lieu"),
    "handout_opens": ("Hand-out opens", "Début de la remise"),
    "handout_closes": ("Hand-out closes", "Fin de la remise"),
    "add_moment": ("Put a pooled moment on file", "Enregistrer un moment en pool"),
    "brussels_time": ("Brussels time", "heure de Bruxelles"),
}
_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "roles": {"office": ("office", "bureau"), "chief": ("chief", "chef")},
    "client_roles": {
        "counter": ("counter", "guichet"),
        "security": ("security post", "poste de sécurité"),
        "office": ("office", "bureau"),
    },
    "counters": {"groups": ("Groups", "Groupes"), "visitors": ("Visitors", "Visiteurs")},
    "key_states": {
        "trusted": ("trusted", "de confiance"),
        "pending": ("pending", "en attente"),
        "retired": ("retired", "retirée"),
    },
    "kinds": {
        "duplicate_issue": ("Two badges issued", "Deux badges émis"),
        "revoked_while_offline": ("Revoked while offline", "Révoquée hors ligne"),
        "issued_not_approved": ("Issued though not approved", "Remis sans approbation"),
        "stale_approval": ("Issued on changed data", "Remis sur données modifiées"),
        "unknown_accreditation": ("Unknown accreditation", "Accréditation inconnue"),
        "journal_chain_broken": ("Journal chain broken", "Chaîne du journal rompue"),
        "journal_truncated": ("Journal cut short", "Journal tronqué"),
        "journal_rewritten": ("Journal rewritten", "Journal réécrit"),
        "journal_head_invalid": ("Journal head invalid", "Tête de journal invalide"),
        "badge_key_pending": ("Badge key awaiting approval", "Clé de badge en attente"),
        "delivery_refused": ("Delivery refused", "Livraison refusée"),
    },
    "outcomes": {
        "handled": ("handled", "réglé"),
        "revocation_confirmed": ("revocation confirmed", "révocation confirmée"),
        "reinstated": ("badge reinstated", "badge rétabli"),
    },
    "statuses": {
        "approved": ("approved", "approuvée"),
        "pending": ("pending", "en attente"),
        "denied": ("denied", "refusée"),
        "revoked": ("revoked", "révoquée"),
    },
    "badge_states": {
        "printing": ("printing", "en impression"),
        "print_failed": ("print failed", "impression échouée"),
        "preprinted": ("pre-printed", "pré-imprimé"),
        "active": ("active", "actif"),
        "superseded": ("superseded", "remplacé"),
        "revoked": ("revoked", "révoqué"),
        "lost": ("reported lost", "déclaré perdu"),
        "stolen": ("reported stolen", "déclaré volé"),
        "damaged": ("reported damaged", "déclaré abîmé"),
        "found": ("found", "retrouvé"),
        "returned": ("returned", "rendu"),
    },
    "verdicts": {
        "refuse": ("refused", "refusé"),
        "redirect": ("redirected", "redirigé"),
        "supervisor": ("needs a supervisor", "superviseur requis"),
    },
    "actions": {
        "issue": ("issued", "émis"),
        "reprint": ("reprinted", "réimprimé"),
        "handover": ("handed over", "remis"),
        "print_retry": ("printed again", "réimprimé"),
        "print_sent": ("sent to the printer", "envoyé à l'imprimante"),
        "printed": ("printed and handed over", "imprimé et remis"),
        "print_failed": ("print failed", "impression échouée"),
        "preprint": ("queued for pre-printing", "mis en pré-impression"),
        "preprinted": ("pre-printed", "pré-imprimé"),
        "undo_handover": ("hand-over undone", "remise annulée"),
        "badge_lost": ("reported lost", "déclaré perdu"),
        "badge_stolen": ("reported stolen", "déclaré volé"),
        "badge_damaged": ("reported damaged", "déclaré abîmé"),
        "badge_found": ("found", "retrouvé"),
        "badge_returned": ("returned", "rendu"),
        "handoff": ("sent to the office", "envoyé au bureau"),
        "photo_replaced": ("photo replaced at the desk", "photo remplacée au guichet"),
        "decision": ("checked", "vérifié"),
        "refusal": ("refused", "refusé"),
        "post_check": ("checked at a security post", "contrôlé à un poste de sécurité"),
    },
    "post_reasons": {  # a security post's headline reasons (kiosk/verify.py)
        "forged": ("forged", "falsifié"),
        "not_a_badge": ("not a badge", "pas un badge"),
        "wrong_kiosk": ("signed with another kiosk's key", "signé d'une clé d'un autre guichet"),
        "key_owner_unknown": ("key of no known kiosk", "clé d'aucun guichet connu"),
        "unknown": ("accreditation not on file", "accréditation inconnue"),
        "bad_dates": ("more days than allowed", "plus de jours que permis"),
        "revoked": ("revoked", "révoqué"),
        "not_handed_over": ("never handed over", "jamais remis"),
        "superseded": ("replaced by a newer badge", "remplacé par un badge plus récent"),
        "lost": ("reported lost", "déclaré perdu"),
        "stolen": ("reported stolen", "déclaré volé"),
        "damaged": ("reported damaged", "déclaré abîmé"),
        "found": ("found after a loss", "retrouvé après une perte"),
        "returned": ("returned", "rendu"),
        "unknown_serial": ("serial never issued", "numéro jamais émis"),
        "expired": ("expired", "expiré"),
        "not_yet_valid": ("not valid yet", "pas encore valable"),
        "wrong_event": ("not for the post's event", "pas pour l'événement du poste"),
        "no_keys": ("post never synced", "poste jamais synchronisé"),
    },
    "post_answers": {  # kiosk/post_journal.py
        "valid": ("VALID", "VALABLE"),
        "not_valid": ("NOT VALID", "PAS VALABLE"),
        "undecided": ("no verdict yet", "pas encore de verdict"),
    },
    "checks": {
        "code": ("confirmation code", "code de confirmation"),
        "status": ("not approved", "non approuvée"),
        "place": ("event outside HQ", "événement hors du siège"),
        "counter": ("wrong counter", "mauvais guichet"),
        "annual_cover": ("annual badge covers it", "couvert par le badge annuel"),
        "window": ("outside the collection window", "hors de la période de retrait"),
        "id_document": ("ID document", "pièce d'identité"),
        "id_number": ("document number differs", "numéro du document différent"),
        "id_names": ("names differ", "noms différents"),
        "id_birth": ("date of birth differs", "date de naissance différente"),
        "id_expiry": ("document expired", "document expiré"),
        "proof": ("professional proof", "preuve professionnelle"),
        "photo": ("photo missing", "photo manquante"),
        "badge": ("badge issued already", "badge déjà émis"),
        "found_by_search": ("found by search", "trouvé par recherche"),
        "unknown": ("unknown", "inconnu"),
    },
    "media": {
        "written press": ("written press", "presse écrite"),
        "online": ("online", "en ligne"),
        "radio": ("radio", "radio"),
        "tv": ("TV", "télévision"),
        "film crew": ("film crew", "équipe de tournage"),
        "photographer": ("photographer", "photographe"),
        "technician": ("technician", "technicien"),
    },
    "weekdays": {
        "mon": ("Mon", "lun."),
        "tue": ("Tue", "mar."),
        "wed": ("Wed", "mer."),
        "thu": ("Thu", "jeu."),
        "fri": ("Fri", "ven."),
        "sat": ("Sat", "sam."),
        "sun": ("Sun", "dim."),
    },
    "hours_done": {
        "hours_added": (
            "Opening hours added: every counter takes them at its next sync.",
            "Horaire ajouté : chaque guichet le reçoit à sa prochaine synchronisation.",
        ),
        "hours_removed": (
            "Opening hours removed: every counter drops them at its next sync.",
            "Horaire supprimé : chaque guichet le retire à sa prochaine synchronisation.",
        ),
        "day_closed": (
            "Closed: every counter takes the closure at its next sync.",
            "Fermé : chaque guichet reçoit la fermeture à sa prochaine synchronisation.",
        ),
        "day_reopened": (
            "Open again: every counter lifts the closure at its next sync.",
            "Rouvert : chaque guichet lève la fermeture à sa prochaine synchronisation.",
        ),
        "moment_added": (
            "Pooled moment on file: every counter takes it at its next sync.",
            "Moment en pool enregistré : chaque guichet le reçoit à sa prochaine synchronisation.",
        ),
        "moment_removed": (
            "Pooled moment removed: every counter drops it at its next sync.",
            "Moment en pool supprimé : chaque guichet le retire à sa prochaine synchronisation.",
        ),
    },
    "confirm": {
        "reason": ("Reason: {}", "Motif : {}"),
        "reason_fr": ("In French: {}", "En français : {}"),
        "note": ("Note: {}", "Note : {}"),
        "cannot_undo": ("This cannot be undone.", "Cette action est irréversible."),
        "cancel": ("Cancel: change nothing", "Annuler : ne rien modifier"),
        "kiosk_title": (
            "Revoke {id} ({role}) for good?",
            "Révoquer {id} ({role}) définitivement ?",
        ),
        "kiosk_token": (
            "Its token is refused at once, and {id} is never given one again: a replacement "
            "is enrolled under a new id.",
            "Son jeton est refusé aussitôt et {id} n'en recevra plus jamais : un remplaçant "
            "est inscrit sous un nouvel identifiant.",
        ),
        "kiosk_keys": (
            "Badge key(s) retired: {keys}. From their next sync, security posts and counters "
            "read every badge it signed as forged.",
            "Clé(s) de badge retirée(s) : {keys}. Dès leur prochaine synchronisation, les "
            "postes de sécurité et les guichets lisent chaque badge qu'il a signé comme falsifié.",
        ),
        "kiosk_live": (
            "{n} badge(s) it issued are still valid: their holders need a reprint at another "
            "counter.",
            "{n} badge(s) qu'il a remis sont encore valables : leurs titulaires doivent en "
            "faire réimprimer un à un autre guichet.",
        ),
        "kiosk_button": ("Revoke {id} for good", "Révoquer {id} définitivement"),
        "acc_title": ("Revoke {reg} · {name}?", "Révoquer {reg} · {name} ?"),
        "acc_counters": (
            "Counters refuse it from their next sync.",
            "Les guichets la refusent dès leur prochaine synchronisation.",
        ),
        "acc_badges": (
            "Its valid badges {serials} are revoked: security posts refuse them after their "
            "next sync.",
            "Ses badges valables {serials} sont révoqués : les postes de sécurité les refusent "
            "après leur prochaine synchronisation.",
        ),
        "acc_undo": (
            "This cannot be undone from the console.",
            "Cette action ne peut pas être annulée depuis la console.",
        ),
        "acc_button": ("Revoke {reg}", "Révoquer {reg}"),
        "revocation_title": (
            "Confirm the revocation of badge {serial}?",
            "Confirmer la révocation du badge {serial} ?",
        ),
        "revocation_now": (
            "Badge {serial} ({state}) is revoked now: security posts refuse it after their "
            "next sync.",
            "Le badge {serial} ({state}) est révoqué maintenant : les postes de sécurité le "
            "refusent après leur prochaine synchronisation.",
        ),
        "badge_stays": ("Badge {serial} stays {state}.", "Le badge {serial} reste {state}."),
        "reinstate_title": ("Reinstate {a} and revoke {b}?", "Rétablir {a} et révoquer {b} ?"),
        "reinstate_valid": (
            "Badge {a} is valid again: security posts accept it after their next sync.",
            "Le badge {a} redevient valable : les postes de sécurité l'acceptent après leur "
            "prochaine synchronisation.",
        ),
        "reinstate_revoked": (
            "Badge {b} is revoked: security posts refuse it after their next sync; its holder "
            "must hand it in.",
            "Le badge {b} est révoqué : les postes de sécurité le refusent après leur "
            "prochaine synchronisation ; son titulaire doit le rendre.",
        ),
    },
    "refusals_why": {
        "csrf_refused": (
            "This form has expired or did not come from this console: reload the page and "
            "try again.",
            "Ce formulaire a expiré ou ne vient pas de cette console : rechargez la page et "
            "réessayez.",
        ),
        "not_allowed": (
            "Your account's role may not do this.",
            "Le rôle de votre compte ne permet pas cette action.",
        ),
        "form_too_large": ("This form is too large.", "Ce formulaire est trop volumineux."),
        "form_unreadable": (
            "This form or address holds characters the console does not keep (control "
            "characters such as a null byte, or text that is not UTF-8): nothing was changed. "
            "Retype it.",
            "Ce formulaire ou cette adresse contient des caractères que la console ne garde "
            "pas (caractères de contrôle comme un octet nul, ou texte qui n'est pas en UTF-8) : "
            "rien n'a été modifié. Ressaisissez-le.",
        ),
    },
}


def texts(lang: str) -> dict:
    """The console's words in `lang` ("en" or "fr")."""
    i = 1 if lang == "fr" else 0
    words: dict = {key: pair[i] for key, pair in _WORDS.items()}
    for name, table in _TABLES.items():
        words[name] = {key: pair[i] for key, pair in table.items()}
    return words


def stolen_label(stolen: bool, reason: str, t: dict) -> str:
    """A kiosk revocation's reason in the page's language: "stolen (taken from …)"."""
    if not stolen:
        return reason
    return f"{t['stolen']} ({reason})" if reason else t["stolen"]


def _ago(span: timedelta) -> str:
    seconds = max(int(span.total_seconds()), 0)
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d}" if hours < 48 else f"{hours // 24} d"


def _drift(span: timedelta | None) -> str:
    if span is None:
        return "—"
    seconds = round(span.total_seconds())
    return f"{seconds:+d} s" if abs(seconds) < 600 else f"{seconds / 60:+.0f} min"


def _clock(lang: str) -> Callable[[timedelta], str]:
    """A kiosk's measured clock offset in words: "in step", "2 h 14 min ahead"."""
    t = texts(lang)

    def words(span: timedelta) -> str:
        if abs(span) <= TOLERANCE:
            return t["in_step"]
        size = span_words(span)[1 if lang == "fr" else 0]
        return (t["clock_ahead"] if span > timedelta(0) else t["clock_behind"]).format(size)

    return words


def formatters(lang: str) -> dict:
    """How `lang` writes moments, spans and shares (Brussels time)."""
    space = "\u202f" if lang == "fr" else ""
    return {
        "when": lambda t: t.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M"),
        "hm": lambda t: t.astimezone(BRUSSELS).strftime("%H:%M"),
        "date": lambda d: d.strftime("%d.%m.%Y") if isinstance(d, date | datetime) else str(d),
        "ago": _ago,
        "drift": _drift,
        "clock": _clock(lang),
        "pct": lambda x: f"{round(100 * x)}{space}%",
    }
