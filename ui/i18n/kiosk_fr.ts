<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AccountDialog</name>
    <message>
        <source>New account</source>
        <translation>Nouveau compte</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Nouveau code PIN</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Code PIN à nouveau</translation>
    </message>
    <message>
        <source>The two PINs differ: type the same PIN twice.</source>
        <translation>Les deux codes PIN diffèrent : saisir deux fois le même code.</translation>
    </message>
</context>
<context>
    <name>BadgeLifeScreen</name>
    <message>
        <source>Badge life — {name}</source>
        <translation>Vie des badges — {name}</translation>
    </message>
    <message>
        <source>Badge serial or registration</source>
        <translation>Numéro de badge ou d&apos;enregistrement</translation>
    </message>
    <message>
        <source>G1-000042 or A0000123</source>
        <translation>G1-000042 ou A0000123</translation>
    </message>
    <message>
        <source>Note (what happened)</source>
        <translation>Note (ce qui s&apos;est passé)</translation>
    </message>
    <message>
        <source>optional; goes into the journal</source>
        <translation>facultative ; inscrite au journal</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Perdu</translation>
    </message>
    <message>
        <source>Stolen</source>
        <translation>Volé</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>Endommagé</translation>
    </message>
    <message>
        <source>Found, handed in</source>
        <translation>Retrouvé, rapporté</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Rendu</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Badge history</source>
        <translation>Historique des badges</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>issued</source>
        <translation>émis</translation>
    </message>
    <message>
        <source>reprinted (supervisor)</source>
        <translation>réimprimé (superviseur)</translation>
    </message>
    <message>
        <source>reported lost</source>
        <translation>déclaré perdu</translation>
    </message>
    <message>
        <source>reported stolen</source>
        <translation>déclaré volé</translation>
    </message>
    <message>
        <source>reported damaged</source>
        <translation>déclaré endommagé</translation>
    </message>
    <message>
        <source>found, handed in</source>
        <translation>retrouvé, rapporté</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>rendu</translation>
    </message>
    <message>
        <source>(holder not on file: deleted after the event)</source>
        <translation>(données du titulaire effacées après l&apos;événement)</translation>
    </message>
</context>
<context>
    <name>BadgePreview</name>
    <message>
        <source>Badge preview</source>
        <translation>Aperçu du badge</translation>
    </message>
    <message>
        <source>The badge appears here once issued.</source>
        <translation>Le badge s&apos;affiche ici une fois émis.</translation>
    </message>
    <message>
        <source>Preparing the preview of badge {serial}…</source>
        <translation>Préparation de l&apos;aperçu du badge {serial}…</translation>
    </message>
    <message>
        <source>No preview for badge {serial}.</source>
        <translation>Pas d&apos;aperçu pour le badge {serial}.</translation>
    </message>
</context>
<context>
    <name>ChipPanel</name>
    <message>
        <source>On file</source>
        <translation>Au dossier</translation>
    </message>
    <message>
        <source>Chip</source>
        <translation>Puce</translation>
    </message>
    <message>
        <source>Chip (DG1)</source>
        <translation>Puce (DG1)</translation>
    </message>
    <message>
        <source>Printed MRZ</source>
        <translation>MRZ imprimée</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Demande</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Né(e) le</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expire le</translation>
    </message>
    <message>
        <source>Reading the chip… keep the document on the reader.</source>
        <translation>Lecture de la puce… laisser le document sur le lecteur.</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>Pas de photo</translation>
    </message>
</context>
<context>
    <name>CounterHours</name>
    <message>
        <source>{event}: {hours}</source>
        <translation>{event} : {hours}</translation>
    </message>
    <message>
        <source>This counter:</source>
        <translation>Ce guichet :</translation>
    </message>
</context>
<context>
    <name>CounterPresenter</name>
    <message>
        <source>That is badge {serial}, not a confirmation code: scan the code of the confirmation e-mail.</source>
        <translation>C&apos;est le badge {serial}, pas un code de confirmation : scanner le code de l&apos;e-mail de confirmation.</translation>
    </message>
    <message>
        <source>Not a confirmation code or an ID document line: scan again.</source>
        <translation>Ni un code de confirmation ni une ligne de pièce d&apos;identité : scanner à nouveau.</translation>
    </message>
    <message>
        <source>Found by search: now scan the applicant&apos;s ID document to confirm who they are.</source>
        <translation>Trouvé par recherche : scanner maintenant la pièce d&apos;identité du demandeur pour confirmer son identité.</translation>
    </message>
    <message>
        <source>ID document read: now scan the confirmation code.</source>
        <translation>Pièce d&apos;identité lue : scanner maintenant le code de confirmation.</translation>
    </message>
    <message>
        <source>ID document not read ({detail}): scan it again.</source>
        <translation>Pièce d&apos;identité non lue ({detail}) : la scanner à nouveau.</translation>
    </message>
    <message>
        <source>Badge {badges} was revoked by the office: it left the waiting strip; do not print it.</source>
        <translation>Le badge {badges} a été révoqué par le bureau : il a quitté la liste d&apos;attente ; ne pas l&apos;imprimer.</translation>
    </message>
    <message>
        <source>Hand-over of badge {serial} undone: keep the card; it waits, pre-printed.</source>
        <translation>Remise du badge {serial} annulée : garder la carte ; elle attend, pré-imprimée.</translation>
    </message>
    <message>
        <source>Badge {serial} issued; it replaces {old}, which security now refuses.</source>
        <translation>Badge {serial} émis ; il remplace {old}, que la sécurité refuse désormais.</translation>
    </message>
    <message>
        <source>Badge {serial} issued.</source>
        <translation>Badge {serial} émis.</translation>
    </message>
    <message>
        <source>Nothing to cancel: the badge has not reached a printer.</source>
        <translation>Rien à annuler : le badge n&apos;a pas atteint d&apos;imprimante.</translation>
    </message>
    <message>
        <source>Not issued: {why}</source>
        <translation>Non émis : {why}</translation>
    </message>
    <message>
        <source>Something went wrong; nothing was lost. Try again. ({detail})</source>
        <translation>Un problème est survenu ; rien n&apos;a été perdu. Réessayer. ({detail})</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <source>Groups entrance — ministerial badges</source>
        <translation>Entrée Groupes — badges ministériels</translation>
    </message>
    <message>
        <source>Visitors entrance — annual badges</source>
        <translation>Entrée Visiteurs — badges annuels</translation>
    </message>
    <message>
        <source>Scan the confirmation code, then the ID document</source>
        <translation>Scanner le code de confirmation, puis la pièce d&apos;identité</translation>
    </message>
    <message>
        <source>Scan field</source>
        <translation>Champ de scan</translation>
    </message>
    <message>
        <source>Search [F3]</source>
        <translation>Rechercher [F3]</translation>
    </message>
    <message>
        <source>Applicant&apos;s photo</source>
        <translation>Photo du demandeur</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>Contrôles</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Issue and print</source>
        <translation>Émettre et imprimer</translation>
    </message>
    <message>
        <source>Supervisor override</source>
        <translation>Dérogation du superviseur</translation>
    </message>
    <message>
        <source>Hand-off slip for the office</source>
        <translation>Fiche pour le bureau</translation>
    </message>
    <message>
        <source>Take a new photo</source>
        <translation>Prendre une nouvelle photo</translation>
    </message>
    <message>
        <source>Next applicant</source>
        <translation>Demandeur suivant</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Demande</translation>
    </message>
    <message>
        <source>ID document scanned</source>
        <translation>Pièce scannée</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Né(e) le</translation>
    </message>
    <message>
        <source>Document no.</source>
        <translation>N° de pièce</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expire le</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Accreditation</source>
        <translation>Accréditation</translation>
    </message>
    <message>
        <source>Pool card</source>
        <translation>Carte pool</translation>
    </message>
    <message>
        <source>Issue and print [F12]</source>
        <translation>Émettre et imprimer [F12]</translation>
    </message>
    <message>
        <source>Supervisor override [F9]</source>
        <translation>Dérogation du superviseur [F9]</translation>
    </message>
    <message>
        <source>Print the slip again [F7]</source>
        <translation>Réimprimer la fiche [F7]</translation>
    </message>
    <message>
        <source>Hand-off slip for the office [F7]</source>
        <translation>Fiche pour le bureau [F7]</translation>
    </message>
    <message>
        <source>New photo [F6]</source>
        <translation>Nouvelle photo [F6]</translation>
    </message>
    <message>
        <source>Next applicant [Esc]</source>
        <translation>Demandeur suivant [Échap]</translation>
    </message>
    <message>
        <source>No card was printed (badge {serial} is a PDF file only), so no hand-over to undo. For a card, the counter needs a card printer; then a supervisor reprints the badge.</source>
        <translation>Aucune carte imprimée (le badge {serial} n&apos;est qu&apos;un fichier PDF), donc aucune remise à annuler. Pour une carte, il faut une imprimante à cartes au guichet ; un superviseur réimprime alors le badge.</translation>
    </message>
    <message>
        <source>Nothing to issue: {why}</source>
        <translation>Rien à émettre : {why}</translation>
    </message>
    <message>
        <source>Not yet: {step}</source>
        <translation>Pas encore : {step}</translation>
    </message>
    <message>
        <source>A supervisor cannot override this: {why}</source>
        <translation>Pas de dérogation possible par un superviseur : {why}</translation>
    </message>
    <message>
        <source>Supervisor override: {why}</source>
        <translation>Dérogation du superviseur : {why}</translation>
    </message>
    <message>
        <source>The applicant changed meanwhile: ask the supervisor again.</source>
        <translation>Le demandeur a changé entre-temps : redemander au superviseur.</translation>
    </message>
    <message>
        <source>Undo the hand-over of badge {serial}: the card goes back to the tray, pre-printed.</source>
        <translation>Annuler la remise du badge {serial} : la carte retourne dans le bac, pré-imprimée.</translation>
    </message>
    <message>
        <source>Print the slip [F7]</source>
        <translation>Imprimer la fiche [F7]</translation>
    </message>
    <message>
        <source>New photo [F6]: take one here, for a supervisor to approve.</source>
        <translation>Nouvelle photo [F6] : la prendre ici, un superviseur l&apos;approuve.</translation>
    </message>
    <message>
        <source>BADGE REVOKED: NO CARD WAS PRINTED</source>
        <translation>BADGE RÉVOQUÉ : AUCUNE CARTE IMPRIMÉE</translation>
    </message>
    <message>
        <source>BADGE REVOKED: TAKE IT BACK</source>
        <translation>BADGE RÉVOQUÉ : LE REPRENDRE</translation>
    </message>
    <message>
        <source>PRINT FAILED: SEE THE PANEL</source>
        <translation>IMPRESSION ÉCHOUÉE : VOIR LE PANNEAU</translation>
    </message>
    <message>
        <source>THE PRINTER NEEDS ATTENTION</source>
        <translation>L&apos;IMPRIMANTE DEMANDE UNE INTERVENTION</translation>
    </message>
    <message>
        <source>PRINTING THE BADGE…</source>
        <translation>IMPRESSION DU BADGE…</translation>
    </message>
    <message>
        <source>NO CARD PRINTED: PDF ONLY</source>
        <translation>AUCUNE CARTE IMPRIMÉE : PDF SEUL</translation>
    </message>
    <message>
        <source>HAND THE BADGE OVER</source>
        <translation>REMETTRE LE BADGE AU DEMANDEUR</translation>
    </message>
    <message>
        <source>SCAN THE CONFIRMATION CODE</source>
        <translation>SCANNER LE CODE DE CONFIRMATION</translation>
    </message>
    <message>
        <source>ISSUE THE BADGE</source>
        <translation>ÉMETTRE LE BADGE</translation>
    </message>
    <message>
        <source>SUPERVISOR NEEDED</source>
        <translation>SUPERVISEUR REQUIS</translation>
    </message>
    <message>
        <source>SCAN THE ID DOCUMENT</source>
        <translation>SCANNER LA PIÈCE D&apos;IDENTITÉ</translation>
    </message>
    <message>
        <source>REFUSE</source>
        <translation>REFUSER</translation>
    </message>
    <message>
        <source>SEND TO THE OTHER COUNTER</source>
        <translation>ENVOYER À L&apos;AUTRE GUICHET</translation>
    </message>
    <message>
        <source>NO BADGE NEEDED: THE ANNUAL BADGE COVERS IT</source>
        <translation>AUCUN BADGE REQUIS : LE BADGE ANNUEL SUFFIT</translation>
    </message>
    <message>
        <source>GO TO {counter}</source>
        <translation>ALLER {counter}</translation>
    </message>
    <message>
        <source>freelance</source>
        <translation>indépendant</translation>
    </message>
    <message>
        <source>annual {year}</source>
        <translation>annuelle {year}</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>approuvée</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>refusée</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>révoquée</translation>
    </message>
    <message>
        <source>Entitled: pool cards are handed out at the pool desk</source>
        <translation>Oui : les cartes de pool sont remises au guichet du pool</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>Pas de photo</translation>
    </message>
</context>
<context>
    <name>OverviewScreen</name>
    <message>
        <source>Refresh [F5]</source>
        <translation>Actualiser [F5]</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Badges handed over</source>
        <translation>Badges remis</translation>
    </message>
    <message>
        <source>Pre-printed, waiting</source>
        <translation>Pré-imprimés, en attente</translation>
    </message>
    <message>
        <source>Applicants seen here</source>
        <translation>Demandeurs vus ici</translation>
    </message>
    <message>
        <source>Refused here</source>
        <translation>Refusés ici</translation>
    </message>
    <message>
        <source>Sent to the other counter</source>
        <translation>Envoyés à l&apos;autre guichet</translation>
    </message>
    <message>
        <source>Print failures</source>
        <translation>Échecs d&apos;impression</translation>
    </message>
    <message>
        <source>Voided, handed back</source>
        <translation>Annulés, rendus</translation>
    </message>
    <message>
        <source>Badges handed over per hour</source>
        <translation>Badges remis par heure</translation>
    </message>
    <message>
        <source>Refusals at this kiosk, by reason</source>
        <translation>Refus à ce poste, par motif</translation>
    </message>
    <message>
        <source>Pre-printed badges not handed over</source>
        <translation>Badges pré-imprimés non remis</translation>
    </message>
    <message>
        <source>Print failures today at this kiosk</source>
        <translation>Échecs d&apos;impression du jour à ce poste</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Décision</translation>
    </message>
    <message>
        <source>Applicants</source>
        <translation>Demandeurs</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Accreditation</source>
        <translation>Accréditation</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Imprimé</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Imprimante</translation>
    </message>
    <message>
        <source>Groups entrance</source>
        <translation>Entrée Groupes</translation>
    </message>
    <message>
        <source>Visitors entrance</source>
        <translation>Entrée Visiteurs</translation>
    </message>
    <message>
        <source>No badge handed over this day.</source>
        <translation>Aucun badge remis ce jour-là.</translation>
    </message>
    <message>
        <source>Reading the figures…</source>
        <translation>Lecture des chiffres…</translation>
    </message>
    <message>
        <source>Figures read at {time}.</source>
        <translation>Chiffres lus à {time}.</translation>
    </message>
    <message>
        <source>The figures could not be read: {error}</source>
        <translation>Les chiffres n&apos;ont pas pu être lus : {error}</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>perdus</translation>
    </message>
    <message>
        <source>stolen</source>
        <translation>volés</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>endommagés</translation>
    </message>
    <message>
        <source>found</source>
        <translation>retrouvés</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>rendus</translation>
    </message>
    <message>
        <source>Day overview — {day}</source>
        <translation>Bilan de la journée — {day}</translation>
    </message>
    <message>
        <source>cards in the drawer</source>
        <translation>cartes dans le tiroir</translation>
    </message>
    <message>
        <source>scanned or found</source>
        <translation>scannés ou trouvés</translation>
    </message>
    <message>
        <source>incl. supervisor needed: {n}</source>
        <translation>dont superviseur requis : {n}</translation>
    </message>
    <message>
        <source>waiting for a reprint: {n}</source>
        <translation>en attente de réimpression : {n}</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refusé</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>superviseur</translation>
    </message>
    <message>
        <source>Groups {g} · Visitors {v}</source>
        <translation>Groupes {g} · Visiteurs {v}</translation>
    </message>
    <message>
        <source>Annual {year}</source>
        <translation>Annuelle {year}</translation>
    </message>
    <message>
        <source>Sync: this kiosk is not enrolled with a hub; it works on the approvals on file.</source>
        <translation>Synchronisation : ce poste n&apos;est inscrit auprès d&apos;aucun hub ; il travaille sur les approbations enregistrées.</translation>
    </message>
    <message>
        <source>Sync: OFFLINE — the hub {hub} did not answer ({error}); last synced {last}; {n} actions wait to be sent.</source>
        <translation>Synchronisation : HORS LIGNE — le hub {hub} n&apos;a pas répondu ({error}) ; dernière synchronisation {last} ; {n} actions attendent d&apos;être envoyées.</translation>
    </message>
    <message>
        <source>Sync: online with {hub}; last synced {last}; {n} actions wait to be sent.</source>
        <translation>Synchronisation : en ligne avec {hub} ; dernière synchronisation {last} ; {n} actions attendent d&apos;être envoyées.</translation>
    </message>
    <message>
        <source>Printer {name}: ready.</source>
        <translation>Imprimante {name} : prête.</translation>
    </message>
    <message>
        <source>Printer {name}: NOT READY — {problem}</source>
        <translation>Imprimante {name} : PAS PRÊTE — {problem}</translation>
    </message>
    <message>
        <source>Export the day&apos;s figures</source>
        <translation>Exporter les chiffres du jour</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Nothing to export yet: refresh first.</source>
        <translation>Rien à exporter encore : actualiser d&apos;abord.</translation>
    </message>
    <message>
        <source>The CSV file could not be written: {error}</source>
        <translation>Le fichier CSV n&apos;a pas pu être écrit : {error}</translation>
    </message>
    <message>
        <source>Written: {path}</source>
        <translation>Écrit : {path}</translation>
    </message>
</context>
<context>
    <name>PhotoDialog</name>
    <message>
        <source>New photo</source>
        <translation>Nouvelle photo</translation>
    </message>
    <message>
        <source>New identity photo for {name}</source>
        <translation>Nouvelle photo d&apos;identité de {name}</translation>
    </message>
    <message>
        <source>No photo taken yet</source>
        <translation>Aucune photo prise</translation>
    </message>
    <message>
        <source>Take the photo with the counter camera.</source>
        <translation>Prendre la photo avec la caméra du guichet.</translation>
    </message>
    <message>
        <source>Take photo</source>
        <translation>Prendre la photo</translation>
    </message>
    <message>
        <source>Supervisor&apos;s name</source>
        <translation>Nom du superviseur</translation>
    </message>
    <message>
        <source>Supervisor&apos;s PIN</source>
        <translation>Code PIN du superviseur</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Approve photo</source>
        <translation>Approuver la photo</translation>
    </message>
    <message>
        <source>The counter camera cannot be opened: ask an administrator to check it in the settings.</source>
        <translation>La caméra du guichet ne s&apos;ouvre pas : demander à un administrateur de la vérifier dans les réglages.</translation>
    </message>
    <message>
        <source>The camera gave no picture: take the photo again.</source>
        <translation>La caméra n&apos;a donné aucune image : reprendre la photo.</translation>
    </message>
    <message>
        <source>The photo meets the published requirements checked here and shows one face, centred: compare it with the person at the desk.</source>
        <translation>La photo respecte les exigences publiées vérifiées ici et montre un seul visage, centré : la comparer avec la personne au guichet.</translation>
    </message>
    <message>
        <source>Take a photo that meets the requirements first.</source>
        <translation>Prendre d&apos;abord une photo qui respecte les exigences.</translation>
    </message>
    <message>
        <source>Enter the supervisor&apos;s name and PIN.</source>
        <translation>Saisir le nom et le code PIN du superviseur.</translation>
    </message>
</context>
<context>
    <name>PoolDeskScreen</name>
    <message>
        <source>Pool cards</source>
        <translation>Cartes de pool</translation>
    </message>
    <message>
        <source>Pooled moment</source>
        <translation>Moment en pool</translation>
    </message>
    <message>
        <source>People entitled to a pool card</source>
        <translation>Personnes ayant droit à une carte de pool</translation>
    </message>
    <message>
        <source>Hand out pool card</source>
        <translation>Remettre la carte de pool</translation>
    </message>
    <message>
        <source>Take back pool card</source>
        <translation>Reprendre la carte de pool</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>N° d&apos;enregistrement</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Media</source>
        <translation>Média</translation>
    </message>
    <message>
        <source>Pool card</source>
        <translation>Carte de pool</translation>
    </message>
    <message>
        <source>Handed out by</source>
        <translation>Remise par</translation>
    </message>
    <message>
        <source>No pooled moment on file.</source>
        <translation>Aucun moment en pool enregistré.</translation>
    </message>
    <message>
        <source>Cards handed out at {where}. Entitled: {count}.</source>
        <translation>Cartes remises à {where}. Ayants droit : {count}.</translation>
    </message>
    <message>
        <source>written press</source>
        <translation>presse écrite</translation>
    </message>
    <message>
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <source>radio</source>
        <translation>radio</translation>
    </message>
    <message>
        <source>television</source>
        <translation>télévision</translation>
    </message>
    <message>
        <source>film crew</source>
        <translation>équipe de tournage</translation>
    </message>
    <message>
        <source>photographer</source>
        <translation>photographe</translation>
    </message>
    <message>
        <source>technician</source>
        <translation>technicien</translation>
    </message>
    <message>
        <source>not handed out</source>
        <translation>non remise</translation>
    </message>
    <message>
        <source>handed out</source>
        <translation>remise</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>rendue</translation>
    </message>
</context>
<context>
    <name>PressCardForm</name>
    <message>
        <source>Press card no.</source>
        <translation>N° carte presse</translation>
    </message>
    <message>
        <source>Press card seen: number</source>
        <translation>Carte de presse vue : numéro</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Délivrée par</translation>
    </message>
    <message>
        <source>Press card seen: issued by</source>
        <translation>Carte de presse vue : délivrée par</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-JJ</translation>
    </message>
    <message>
        <source>Press card seen: expires</source>
        <translation>Carte de presse vue : échéance</translation>
    </message>
    <message>
        <source>Record card</source>
        <translation>Enregistrer la carte</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Recorded: card {number} ({issuer}), expires {expiry}.</source>
        <translation>Enregistrée : carte {number} ({issuer}), expire le {expiry}.</translation>
    </message>
</context>
<context>
    <name>PrintPanel</name>
    <message>
        <source>Retry [F12]</source>
        <translation>Réessayer [F12]</translation>
    </message>
    <message>
        <source>Send to another printer… [F8]</source>
        <translation>Envoyer à une autre imprimante… [F8]</translation>
    </message>
    <message>
        <source>Badge printing</source>
        <translation>Impression du badge</translation>
    </message>
    <message>
        <source>No badge printing.</source>
        <translation>Aucun badge en impression.</translation>
    </message>
    <message>
        <source>Badge {serial} is revoked, and no card of it was printed: do not print it</source>
        <translation>Le badge {serial} est révoqué, et aucune carte n&apos;en a été imprimée : ne pas l&apos;imprimer</translation>
    </message>
    <message>
        <source>Badge {serial} is revoked: take it back from the holder</source>
        <translation>Le badge {serial} est révoqué : le reprendre à son titulaire</translation>
    </message>
    <message>
        <source>No card printed: badge {serial} was saved as a PDF file</source>
        <translation>Aucune carte imprimée : le badge {serial} a été enregistré en fichier PDF</translation>
    </message>
    <message>
        <source>Printing badge {serial}…</source>
        <translation>Impression du badge {serial}…</translation>
    </message>
    <message>
        <source>Printing badge {serial} on {printer}…</source>
        <translation>Impression du badge {serial} sur {printer}…</translation>
    </message>
    <message>
        <source>⚠ {printer} needs attention: badge {serial} waits</source>
        <translation>⚠ {printer} demande une intervention : le badge {serial} attend</translation>
    </message>
    <message>
        <source>Printed on {printer}: hand badge {serial} over</source>
        <translation>Imprimé sur {printer} : remettre le badge {serial}</translation>
    </message>
    <message>
        <source>⚠ Print failed: badge {serial}</source>
        <translation>⚠ Impression échouée : badge {serial}</translation>
    </message>
    <message>
        <source>The folder printer only writes a PDF file: no card came out of a printer.</source>
        <translation>L&apos;imprimante dossier n&apos;écrit qu&apos;un fichier PDF : aucune carte n&apos;est sortie d&apos;une imprimante.</translation>
    </message>
    <message>
        <source>Pre-printed: take card {serial} from the tray and hand it over</source>
        <translation>Pré-imprimé : prendre la carte {serial} dans le bac et la remettre</translation>
    </message>
    <message>
        <source>Cancel printing [F10]</source>
        <translation>Annuler l&apos;impression [F10]</translation>
    </message>
    <message>
        <source>Undo hand-over… [F9]</source>
        <translation>Annuler la remise… [F9]</translation>
    </message>
    <message>
        <source>Pool cards are handed out at the pool desk, not printed on the badge.</source>
        <translation>Les cartes de pool sont remises au guichet du pool, pas imprimées sur le badge.</translation>
    </message>
    <message>
        <source>Hand-over undone: card {serial} waits, pre-printed</source>
        <translation>Remise annulée : la carte {serial} attend, pré-imprimée</translation>
    </message>
    <message>
        <source>Retry, or send the badge to another printer.</source>
        <translation>Réessayer, ou envoyer le badge à une autre imprimante.</translation>
    </message>
</context>
<context>
    <name>PrinterDialog</name>
    <message>
        <source>Printers</source>
        <translation>Imprimantes</translation>
    </message>
    <message>
        <source>Send badge {badge} to which printer?</source>
        <translation>Envoyer le badge {badge} à quelle imprimante ?</translation>
    </message>
    <message>
        <source>Send the badge to which printer?</source>
        <translation>Envoyer le badge à quelle imprimante ?</translation>
    </message>
    <message>
        <source>Send to another printer</source>
        <translation>Envoyer à une autre imprimante</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>prête</translation>
    </message>
    <message>
        <source>not ready</source>
        <translation>pas prête</translation>
    </message>
    <message>
        <source> (the printer that failed)</source>
        <translation> (l&apos;imprimante en échec)</translation>
    </message>
    <message>
        <source>PDF files only, no card is printed</source>
        <translation>fichiers PDF seulement, aucune carte n&apos;est imprimée</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Clerk</source>
        <translation>Agent de guichet</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sécurité</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Find an applicant</source>
        <translation>Trouver un demandeur</translation>
    </message>
    <message>
        <source>Name, registration number, e-mail or ID document number</source>
        <translation>Nom, numéro d&apos;inscription, e-mail ou numéro de pièce d&apos;identité</translation>
    </message>
    <message>
        <source>Accreditations found</source>
        <translation>Accréditations trouvées</translation>
    </message>
    <message>
        <source>↑ ↓ choose in the list — Enter: take this applicant — Esc: cancel</source>
        <translation>↑ ↓ choisir dans la liste — Entrée : prendre ce demandeur — Échap : annuler</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>The search failed: {error}</source>
        <translation>La recherche a échoué : {error}</translation>
    </message>
    <message>
        <source>Type a name (surname or given names, in any order), a registration number, an e-mail or an ID document number.</source>
        <translation>Taper un nom (nom de famille ou prénoms, dans n&apos;importe quel ordre), un numéro d&apos;inscription, un e-mail ou un numéro de pièce d&apos;identité.</translation>
    </message>
    <message>
        <source>Nothing found for “{text}”.</source>
        <translation>Rien trouvé pour « {text} ».</translation>
    </message>
    <message>
        <source>The first {n} found for “{text}”: type more to narrow it.</source>
        <translation>Les {n} premiers trouvés pour « {text} » : taper davantage pour affiner.</translation>
    </message>
    <message>
        <source>{n} found for “{text}”.</source>
        <translation>{n} trouvé(s) pour « {text} ».</translation>
    </message>
    <message>
        <source>Annual {year}</source>
        <translation>Annuelle {year}</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>approuvée</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>refusée</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>révoquée</translation>
    </message>
    <message>
        <source>born {date}</source>
        <translation>né(e) le {date}</translation>
    </message>
    <message>
        <source>freelance</source>
        <translation>indépendant</translation>
    </message>
</context>
<context>
    <name>SecurityScreen</name>
    <message>
        <source>Scan the badge&apos;s QR code (or its barcode)</source>
        <translation>Scanner le code QR du badge (ou son code-barres)</translation>
    </message>
    <message>
        <source>Badge scan field</source>
        <translation>Champ de lecture du badge</translation>
    </message>
    <message>
        <source>Holder photo</source>
        <translation>Photo du titulaire</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Badge</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Valable</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>N° de série</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Read at</source>
        <translation>Lu à</translation>
    </message>
    <message>
        <source>SCAN A BADGE</source>
        <translation>SCANNER UN BADGE</translation>
    </message>
    <message>
        <source>VALID</source>
        <translation>VALABLE</translation>
    </message>
    <message>
        <source>CHECK</source>
        <translation>À VÉRIFIER</translation>
    </message>
    <message>
        <source>SCAN THE QR CODE</source>
        <translation>SCANNER LE CODE QR</translation>
    </message>
    <message>
        <source>NOT VALID</source>
        <translation>NON VALABLE</translation>
    </message>
    <message>
        <source>checks the journal could not take: {n} (the kiosk&apos;s log says why). Tell the pass office.</source>
        <translation>contrôles que le journal n&apos;a pas pu garder : {n} (le journal technique du kiosque dit pourquoi). Prévenir le bureau des badges.</translation>
    </message>
    <message>
        <source>ANNUAL {year}</source>
        <translation>ANNUEL {year}</translation>
    </message>
    <message>
        <source>MEDIA — {event}</source>
        <translation>MÉDIAS — {event}</translation>
    </message>
    <message>
        <source>(holder not on file: deleted after the event)</source>
        <translation>(données du titulaire effacées après l&apos;événement)</translation>
    </message>
    <message>
        <source>freelance</source>
        <translation>indépendant</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Settings of this kiosk</source>
        <translation>Paramètres de ce kiosque</translation>
    </message>
    <message>
        <source>This kiosk</source>
        <translation>Ce kiosque</translation>
    </message>
    <message>
        <source>Hub (sync)</source>
        <translation>Hub (synchronisation)</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Guichet</translation>
    </message>
    <message>
        <source>Printer, Groups counter</source>
        <translation>Imprimante, guichet Groupes</translation>
    </message>
    <message>
        <source>Printer, Visitors counter</source>
        <translation>Imprimante, guichet Visiteurs</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Caméra</translation>
    </message>
    <message>
        <source>Language at sign-in</source>
        <translation>Langue à la connexion</translation>
    </message>
    <message>
        <source>Sign out after (minutes idle)</source>
        <translation>Déconnexion après (minutes d&apos;inactivité)</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Adresse du hub</translation>
    </message>
    <message>
        <source>Enrolment file</source>
        <translation>Fichier d&apos;inscription</translation>
    </message>
    <message>
        <source>Groups entrance (ministerial badges)</source>
        <translation>Entrée Groupes (badges ministériels)</translation>
    </message>
    <message>
        <source>Visitors entrance (annual badges)</source>
        <translation>Entrée Visiteurs (badges annuels)</translation>
    </message>
    <message>
        <source>none (0, 1…, video file, image folder)</source>
        <translation>aucune (0, 1…, vidéo, dossier d&apos;images)</translation>
    </message>
    <message>
        <source>file from `kiosk-hub enrol`</source>
        <translation>fichier de `kiosk-hub enrol`</translation>
    </message>
    <message>
        <source>Enrol with this file</source>
        <translation>S&apos;inscrire avec ce fichier</translation>
    </message>
    <message>
        <source>Tones (counter, security post)</source>
        <translation>Sons (guichet, poste de sécurité)</translation>
    </message>
    <message>
        <source>Counter: issue, redirect, refuse, printer fault. Security post: valid, check, not valid. From the next sign-in.</source>
        <translation>Guichet : émission, réorientation, refus, panne d&apos;imprimante. Poste de sécurité : valide, à vérifier, non valide. Dès la prochaine connexion.</translation>
    </message>
    <message>
        <source>Save [Ctrl+S]</source>
        <translation>Enregistrer [Ctrl+S]</translation>
    </message>
    <message>
        <source>The counter and the camera take effect at the kiosk&apos;s next start, the language at the next sign-in, the idle time at once.</source>
        <translation>Le guichet et la caméra s&apos;appliquent au prochain démarrage du kiosque, la langue à la prochaine connexion, le délai d&apos;inactivité tout de suite.</translation>
    </message>
    <message>
        <source>Not enrolled with a hub: this kiosk works alone.</source>
        <translation>Non inscrit auprès d&apos;un hub : ce kiosque fonctionne seul.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Kiosk {kiosk} of hub {hub}; last sync: {last}; outbox: {n}.</source>
        <translation>Kiosque {kiosk} du hub {hub} ; dernière synchronisation : {last} ; à envoyer : {n}.</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Dernière erreur : {error}</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Switch the screens to English or French</source>
        <translation>Passer les écrans en anglais ou en français</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Quit the kiosk</source>
        <translation>Quitter le kiosque</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Personne n&apos;est connecté</translation>
    </message>
    <message>
        <source>{name} — {role}</source>
        <translation>{name} — {role}</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Guichet</translation>
    </message>
    <message>
        <source>Supervisor tools</source>
        <translation>Outils du superviseur</translation>
    </message>
    <message>
        <source>Badge life</source>
        <translation>Vie des badges</translation>
    </message>
    <message>
        <source>Day overview</source>
        <translation>Bilan de la journée</translation>
    </message>
    <message>
        <source>Security post</source>
        <translation>Poste de sécurité</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Badge templates</source>
        <translation>Modèles de badge</translation>
    </message>
    <message>
        <source>Pool desk</source>
        <translation>Guichet du pool</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Pass Office Kiosk — sign in</source>
        <translation>Kiosque du bureau des badges — connexion</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Nouveau code PIN</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>Nouveau code PIN, encore</translation>
    </message>
    <message>
        <source>Save the new PIN and sign in [Enter]</source>
        <translation>Enregistrer le nouveau code PIN et se connecter [Entrée]</translation>
    </message>
    <message>
        <source>Type the new PIN and Enter, then the same again and Enter. Esc cancels.</source>
        <translation>Tapez le nouveau code PIN puis Entrée, puis le même encore et Entrée. Échap annule.</translation>
    </message>
    <message>
        <source>Sign in [Enter]</source>
        <translation>Se connecter [Entrée]</translation>
    </message>
    <message>
        <source>No one can sign in yet: add an account at the kiosk&apos;s shell with `kiosk staff add NAME --role administrator`.</source>
        <translation>Personne ne peut encore se connecter : ajouter un compte dans le terminal du kiosque avec `kiosk staff add NOM --role administrator`.</translation>
    </message>
    <message>
        <source>Type your name and press Enter, then your PIN and Enter.</source>
        <translation>Saisissez votre nom puis Entrée, puis votre code PIN et Entrée.</translation>
    </message>
    <message>
        <source>Sign in first, then scan again.</source>
        <translation>Connectez-vous d&apos;abord, puis scannez à nouveau.</translation>
    </message>
    <message>
        <source>Type your name and your PIN.</source>
        <translation>Saisissez votre nom et votre code PIN.</translation>
    </message>
    <message>
        <source>{name}, your PIN is shorter than a {role}&apos;s PIN must now be ({least} characters at least): choose a new one.</source>
        <translation>{name}, votre code PIN est plus court que ce qu&apos;exige désormais le rôle {role} ({least} caractères au moins) : choisissez-en un nouveau.</translation>
    </message>
    <message>
        <source>The two PINs differ: type the new one twice again.</source>
        <translation>Les deux codes PIN diffèrent : tapez à nouveau deux fois le nouveau.</translation>
    </message>
    <message>
        <source>No new PIN was chosen: sign in again to choose one.</source>
        <translation>Aucun nouveau code PIN n&apos;a été choisi : reconnectez-vous pour en choisir un.</translation>
    </message>
    <message>
        <source>{name}: a {role} account has no screen at this post. Sign in with a {taken} account.</source>
        <translation>{name} : un compte {role} n&apos;a pas d&apos;écran à ce poste. Se connecter avec un compte {taken}.</translation>
    </message>
</context>
<context>
    <name>StaffAccountsBox</name>
    <message>
        <source>Staff accounts</source>
        <translation>Comptes du personnel</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Add an account…</source>
        <translation>Ajouter un compte…</translation>
    </message>
    <message>
        <source>Set a new PIN…</source>
        <translation>Nouveau code PIN…</translation>
    </message>
    <message>
        <source>Lift the wait</source>
        <translation>Lever l&apos;attente</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>actif</translation>
    </message>
    <message>
        <source>waiting after wrong PINs, until {time}</source>
        <translation>en attente après des codes erronés, jusqu&apos;à {time}</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Désactiver</translation>
    </message>
</context>
<context>
    <name>StripRow</name>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Retry [Ctrl+F12]</source>
        <translation>Réessayer [Ctrl+F12]</translation>
    </message>
    <message>
        <source>Send to…</source>
        <translation>Envoyer à…</translation>
    </message>
    <message>
        <source>Send to… [Ctrl+F8]</source>
        <translation>Envoyer à… [Ctrl+F8]</translation>
    </message>
    <message>
        <source>Cancel printing</source>
        <translation>Annuler l&apos;impression</translation>
    </message>
    <message>
        <source>Cancel printing [Ctrl+F10]</source>
        <translation>Annuler l&apos;impression [Ctrl+F10]</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>Remis</translation>
    </message>
    <message>
        <source>Handed over [Ctrl+F12]</source>
        <translation>Remis [Ctrl+F12]</translation>
    </message>
    <message>
        <source>Badge {serial} ({holder}) is still printing: nothing to retry or hand over yet. Wait for it, or cancel its printing [Ctrl+F10].</source>
        <translation>Le badge {serial} ({holder}) est encore en impression : rien à réessayer ni à remettre pour l&apos;instant. L&apos;attendre, ou annuler son impression [Ctrl+F10].</translation>
    </message>
    <message>
        <source>print failed</source>
        <translation>impression échouée</translation>
    </message>
    <message>
        <source>printing</source>
        <translation>en impression</translation>
    </message>
    <message>
        <source>pre-printed: take it from the tray and hand it over</source>
        <translation>pré-imprimé : le prendre dans le bac et le remettre</translation>
    </message>
    <message>
        <source>printed on {printer}: hand it over</source>
        <translation>imprimé sur {printer} : le remettre</translation>
    </message>
    <message>
        <source>saved as a PDF file, no card printed</source>
        <translation>enregistré en fichier PDF, aucune carte imprimée</translation>
    </message>
    <message>
        <source>{words}: {said}</source>
        <translation>{words} : {said}</translation>
    </message>
</context>
<context>
    <name>SupervisorPrompt</name>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>Supervisor&apos;s name</source>
        <translation>Nom du superviseur</translation>
    </message>
    <message>
        <source>Supervisor&apos;s PIN</source>
        <translation>Code PIN du superviseur</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Required: it goes into the journal</source>
        <translation>Obligatoire : il est inscrit au journal</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Enter the supervisor&apos;s name and PIN.</source>
        <translation>Saisir le nom et le code PIN du superviseur.</translation>
    </message>
    <message>
        <source>Write the reason: it goes into the journal.</source>
        <translation>Écrire le motif : il est inscrit au journal.</translation>
    </message>
</context>
<context>
    <name>SupervisorScreen</name>
    <message>
        <source>Supervisor tools — {name}</source>
        <translation>Outils du superviseur — {name}</translation>
    </message>
    <message>
        <source>Refresh [F5]</source>
        <translation>Actualiser [F5]</translation>
    </message>
    <message>
        <source>Print failed: retry, or send to another printer</source>
        <translation>Impression échouée : réessayer, ou envoyer à une autre imprimante</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Send to another printer…</source>
        <translation>Envoyer à une autre imprimante…</translation>
    </message>
    <message>
        <source>Handed over today, still valid</source>
        <translation>Remis aujourd&apos;hui, encore valables</translation>
    </message>
    <message>
        <source>Undo hand-over…</source>
        <translation>Annuler la remise…</translation>
    </message>
    <message>
        <source>Pre-printed, waiting to be handed over</source>
        <translation>Pré-imprimés, en attente de remise</translation>
    </message>
    <message>
        <source>Reprint a lost or damaged badge</source>
        <translation>Réimprimer un badge perdu ou endommagé</translation>
    </message>
    <message>
        <source>At the counter: scan the applicant&apos;s confirmation code, or search for the applicant [F3]; scan the ID document; then press Supervisor override [F9] and give the reason. The new badge supersedes the old one, which security then refuses. A soft refusal is overridden the same way.</source>
        <translation>Au guichet : scanner le code de confirmation du demandeur, ou le rechercher [F3] ; scanner la pièce d&apos;identité ; puis appuyer sur Dérogation du superviseur [F9] et donner le motif. Le nouveau badge remplace l&apos;ancien, que la sécurité refuse dès lors. Un refus levable se lève de la même façon.</translation>
    </message>
    <message>
        <source>Find an applicant&apos;s badges… [F3]</source>
        <translation>Trouver les badges d&apos;un demandeur… [F3]</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Numéro</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Accreditation</source>
        <translation>Accréditation</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Imprimante</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Ce qui s&apos;est passé</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>Guichet</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Agent de guichet</translation>
    </message>
    <message>
        <source>Could not read the badges: {error}</source>
        <translation>Impossible de lire les badges : {error}</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <source>Visitors</source>
        <translation>Visiteurs</translation>
    </message>
    <message>
        <source>Annual {year}</source>
        <translation>Annuelle {year}</translation>
    </message>
    <message>
        <source>Printing badge {serial}…</source>
        <translation>Impression du badge {serial}…</translation>
    </message>
    <message>
        <source>Undo hand-over</source>
        <translation>Annuler la remise</translation>
    </message>
    <message>
        <source>Why is the hand-over of badge {serial} ({name}) undone? (required)</source>
        <translation>Pourquoi la remise du badge {serial} ({name}) est-elle annulée ? (obligatoire)</translation>
    </message>
    <message>
        <source>Nothing was undone: a written reason is required.</source>
        <translation>Rien n&apos;a été annulé : un motif écrit est obligatoire.</translation>
    </message>
    <message>
        <source>Hand-over of badge {serial} undone: the card waits, pre-printed, until the applicant is checked again.</source>
        <translation>Remise du badge {serial} annulée : la carte attend, pré-imprimée, que le demandeur soit de nouveau contrôlé.</translation>
    </message>
    <message>
        <source>No applicant of this kiosk has that confirmation code: search by name or number [F3].</source>
        <translation>Aucun demandeur de ce kiosque n&apos;a ce code de confirmation : chercher par nom ou numéro [F3].</translation>
    </message>
    <message>
        <source>{registration}: no badge yet. Nothing to reprint: the counter issues the first badge after the usual checks.</source>
        <translation>{registration} : pas encore de badge. Rien à réimprimer : le guichet remet le premier badge après les contrôles habituels.</translation>
    </message>
    <message>
        <source>printing</source>
        <translation>en impression</translation>
    </message>
    <message>
        <source>print failed</source>
        <translation>impression échouée</translation>
    </message>
    <message>
        <source>pre-printed, waiting</source>
        <translation>pré-imprimé, en attente</translation>
    </message>
    <message>
        <source>active (handed over)</source>
        <translation>actif (remis)</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>remplacé</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>révoqué</translation>
    </message>
    <message>
        <source>reported lost</source>
        <translation>déclaré perdu</translation>
    </message>
    <message>
        <source>reported stolen</source>
        <translation>déclaré volé</translation>
    </message>
    <message>
        <source>reported damaged</source>
        <translation>déclaré endommagé</translation>
    </message>
    <message>
        <source>found, handed in</source>
        <translation>retrouvé, rapporté</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>rendu</translation>
    </message>
    <message>
        <source>• {serial}: {state}, {when} by {clerk}</source>
        <translation>• {serial} : {state}, {when} par {clerk}</translation>
    </message>
    <message>
        <source>To reprint: at the counter, F3 or scan the code, scan the ID document, then F9 with the reason.</source>
        <translation>Pour réimprimer : au guichet, F3 ou scanner le code, scanner la pièce d&apos;identité, puis F9 avec le motif.</translation>
    </message>
    <message>
        <source>Not done: {reason}</source>
        <translation>Non effectué : {reason}</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Sync with the accreditation office</source>
        <translation>Synchronisation avec le bureau des accréditations</translation>
    </message>
    <message>
        <source>Connecting to the accreditation office…</source>
        <translation>Connexion au bureau des accréditations…</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● En ligne</translation>
    </message>
    <message>
        <source>Last sync {time}</source>
        <translation>Dernière synchro {time}</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Pas encore synchronisé</translation>
    </message>
    <message>
        <source>⚠ Offline {age}: working on the last approvals received</source>
        <translation>⚠ Hors ligne depuis {age} : travail sur les dernières approbations reçues</translation>
    </message>
    <message>
        <source>Everything sent</source>
        <translation>Tout est envoyé</translation>
    </message>
    <message>
        <source>● Not syncing: the hub&apos;s certificate is not the trusted one. Call the office.</source>
        <translation>● Pas de synchronisation : certificat du hub non reconnu. Appeler le bureau.</translation>
    </message>
    <message>
        <source>● Not syncing: unprotected connection to the hub refused. Call the office.</source>
        <translation>● Pas de synchronisation : connexion non protégée au hub refusée. Appeler le bureau.</translation>
    </message>
    <message>
        <source>● Not syncing: this kiosk must be enrolled again. Call the office.</source>
        <translation>● Pas de synchronisation : ce poste doit être réinscrit. Appeler le bureau.</translation>
    </message>
    <message>
        <source>⚠ Offline, never synced: working on the approvals loaded</source>
        <translation>⚠ Hors ligne, jamais synchronisé : travail sur les approbations chargées</translation>
    </message>
    <message>
        <source>1 badge not yet reported</source>
        <translation>1 badge pas encore transmis</translation>
    </message>
    <message>
        <source>{n} badges not yet reported</source>
        <translation>{n} badges pas encore transmis</translation>
    </message>
    <message>
        <source>Journal entries not yet reported: {n}</source>
        <translation>Entrées du journal pas encore transmises : {n}</translation>
    </message>
    <message>
        <source>Receiving approvals: {percent}%</source>
        <translation>Réception des approbations : {percent} %</translation>
    </message>
    <message>
        <source>A conflict about this kiosk&apos;s badge: {first}</source>
        <translation>Un conflit sur un badge de ce kiosque : {first}</translation>
    </message>
    <message>
        <source>{n} conflicts about this kiosk&apos;s badges; the latest: {first}</source>
        <translation>{n} conflits sur les badges de ce kiosque ; le plus récent : {first}</translation>
    </message>
</context>
<context>
    <name>TemplateScreen</name>
    <message>
        <source>Badge templates</source>
        <translation>Modèles de badges</translation>
    </message>
    <message>
        <source>&amp;Badge:</source>
        <translation>&amp;Badge :</translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation>&amp;Événement :</translation>
    </message>
    <message>
        <source>Annual badge</source>
        <translation>Badge annuel</translation>
    </message>
    <message>
        <source>Event badge</source>
        <translation>Badge d&apos;événement</translation>
    </message>
    <message>
        <source>Pool card</source>
        <translation>Carte pool</translation>
    </message>
    <message>
        <source>Any event (the kind&apos;s template)</source>
        <translation>Tout événement (le modèle du type)</translation>
    </message>
    <message>
        <source>Badge kind</source>
        <translation>Type de badge</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Reload [F5]</source>
        <translation>Recharger [F5]</translation>
    </message>
    <message>
        <source>Template files</source>
        <translation>Fichiers de modèles</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Où</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Sample badge</source>
        <translation>Badge d&apos;exemple</translation>
    </message>
    <message>
        <source>To change a design, copy the file into {folder}, edit it in a text editor, save it, then press Reload [F5]. A file named &lt;event id&gt;.&lt;kind&gt;.toml (e.g. DEFMIN.event.toml) is used for that event only.</source>
        <translation>Pour changer un modèle, copier le fichier dans {folder}, le modifier dans un éditeur de texte, l&apos;enregistrer, puis appuyer sur Recharger [F5]. Un fichier nommé &lt;id d&apos;événement&gt;.&lt;type&gt;.toml (p. ex. DEFMIN.event.toml) ne sert qu&apos;à cet événement.</translation>
    </message>
    <message>
        <source>The template could not be shown: {error}</source>
        <translation>Le modèle n&apos;a pas pu être affiché : {error}</translation>
    </message>
    <message>
        <source>No template file for this badge.</source>
        <translation>Aucun fichier de modèle pour ce badge.</translation>
    </message>
    <message>
        <source>the pass office&apos;s own</source>
        <translation>propre au bureau des badges</translation>
    </message>
    <message>
        <source>shipped with the kiosk; copy it to change it</source>
        <translation>livré avec le kiosque ; le copier pour le modifier</translation>
    </message>
    <message>
        <source>Template file: {path} ({where})</source>
        <translation>Fichier du modèle : {path} ({where})</translation>
    </message>
    <message>
        <source>pass office</source>
        <translation>bureau des badges</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>livré</translation>
    </message>
    <message>
        <source>This template cannot be used: badges it lays out are not printed until it is fixed.</source>
        <translation>Ce modèle est inutilisable : les badges qu&apos;il met en page ne sont pas imprimés tant qu&apos;il n&apos;est pas corrigé.</translation>
    </message>
    <message>
        <source>File: {file}</source>
        <translation>Fichier : {file}</translation>
    </message>
    <message>
        <source>Setting: {setting}</source>
        <translation>Réglage : {setting}</translation>
    </message>
    <message>
        <source>Problem: {problem}</source>
        <translation>Problème : {problem}</translation>
    </message>
    <message>
        <source>OK — {name}</source>
        <translation>OK — {name}</translation>
    </message>
    <message>
        <source>No preview until the template is fixed.</source>
        <translation>Pas d&apos;aperçu tant que le modèle n&apos;est pas corrigé.</translation>
    </message>
</context>
<context>
    <name>WaitingStrip</name>
    <message>
        <source>Badges waiting to print</source>
        <translation>Badges en attente d&apos;impression</translation>
    </message>
    <message>
        <source>Waiting to print: {n}</source>
        <translation>En attente d&apos;impression : {n}</translation>
    </message>
    <message>
        <source> ({more} more not shown)</source>
        <translation> ({more} autres non affichés)</translation>
    </message>
    <message>
        <source> — ↑ ↓ choose a badge</source>
        <translation> — ↑ ↓ choisir un badge</translation>
    </message>
</context>
</TS>
