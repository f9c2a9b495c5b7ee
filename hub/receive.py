"""What the kiosks did, received exactly once, and the conflicts it reveals.

A delivery is a batch of a kiosk's journal rows (and the badge rows they name). A row
is keyed by (kiosk id, journal id): one already held is skipped, so a delivery retried
after a lost answer is applied once; one held with different content is refused (the
kiosk's store was replaced: it must be enrolled under a new id). Rows are applied in
journal order; the badges they name are created or updated at the hub, and the rules
in docs/sync-conflicts.md settle what cannot all stand.

Each kiosk's journal is hash-chained and sealed (kiosk/audit.py): every row arriving must
follow the one before it (its `prev_hash` is that row's `hash`), its `hash` must be what
`kiosk.audit.entry_hash` gives for its content, and its seal must hold under the key the
hub gave the kiosk (hub/audit.py). A row that fails is still kept (the record stays
complete and the kiosk's sync goes on) but recorded as a `journal_chain_broken` conflict
naming the kiosk and the journal id, which the office sees. The delivery's journal head
must extend the one seen last (hub/audit.py); a journal cut short or rewritten is a
`journal_truncated`, `journal_rewritten` or `journal_head_invalid` conflict.
`kiosk-hub audit verify` checks the chains held at any time.

Authorisation by owner (hub/delivery_checks.py): every row's size, fields and values,
and the badge it carries, are checked before anything is stored; a kiosk may report
its own badges only (and on another kiosk's, a hand-over, a reprint or a print retry).
A refused row refuses the whole delivery, all or nothing: nothing of it is stored, the
kiosk is answered 413 or 422 with the reason, and a `delivery_refused` conflict names
the kiosk, the row and the reason for the office (once, however often the kiosk
retries). The kiosk's outbox stops at that row until the office has looked at it:
an honest kiosk never writes such a row, so it marks a fault or a forgery, and letting
the rows after it through would hide where the record went wrong. A revoked client's
delivery (an outbox file carried in) is refused the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.audit import Seals, head_problems, head_unchanged, parse_head
from hub.cases import hub_case, latest_change
from hub.clients import Client, Role
from hub.database import HubDatabase, allocate, lock_changes
from hub.delivery_checks import (
    FIXED,
    MAX_KEYS,
    RECORD,
    Refusal,
    as_carried,
    desk_refusal,
    foreign_badge_refusal,
    row_refusal,
    size_refusal,
    stored,
    superseded_refusal,
)
from hub.desk_photos import PHOTO_REPLACED, photo_of, take_desk_photo
from hub.schema import (
    AccreditationRow,
    BadgeEventRow,
    BadgeRow,
    ClientRow,
    ConflictRow,
    JournalRow,
    PublicKeyRow,
)
from hub.statuses import FINAL, LIVE, reinstated
from kiosk import audit, rules
from kiosk.audit import Head
from kiosk.badge_life import JOURNAL_ACTIONS, follows
from kiosk.model import BRUSSELS, BadgeStatus, Counter, Status
from kiosk.typed import cut
from sync.protocol import FIELDS, JOURNAL_FIELDS, KEY_FIELDS, ProtocolError, decode, encode

MAX_ROWS = 2000
REASON_SHOWN = 400  # characters of a refusal's reason kept (it may quote what was sent)
REFUSALS_OPEN = 25  # unsettled refused deliveries of one kiosk the office's list holds
_SEAL = re.compile(r"[0-9a-f]{64}")
# Checks the hub cannot or need not re-run: it has no ID document reading, and it
# settles duplicate badges itself.
NOT_RECHECKED = {"id_document", "id_number", "id_names", "id_birth", "id_expiry", "badge"}

_STATUS_FR = {
    "pending": "en attente",
    "approved": "approuvée",
    "denied": "refusée",
    "revoked": "révoquée",
}


class DeliveryRejected(ValueError):
    """A delivery the hub refuses as a whole; `status` is the HTTP status to answer,
    `fr` the reason in French (for the office's conflict list)."""

    def __init__(
        self, status: int, message: str, fr: str | None = None, journal_id: int | None = None
    ) -> None:
        self.status, self.fr, self.journal_id = status, fr or message, journal_id
        super().__init__(message)

    @classmethod
    def of(cls, refusal: Refusal) -> DeliveryRejected:
        return cls(refusal.status, refusal.en, refusal.fr, refusal.journal_id)


@dataclass(frozen=True)
class Receipt:
    """What the hub made of a delivery."""

    received: int
    duplicates: int
    up_to: int  # the kiosk's last journal id the hub now holds
    conflicts: tuple[int, ...] = ()


def _decode_row(wire: object) -> dict:
    row = decode(JOURNAL_FIELDS, wire)
    if not isinstance(row["id"], int) or row["id"] <= 0:
        raise ProtocolError(f"journal id {row['id']!r} is not a positive whole number")
    row["seen_cursor"] = wire.get("seen_cursor") or 0  # type: ignore[union-attr]
    row["mac"] = _seal_of(wire)
    badge = wire.get("badge")  # type: ignore[union-attr]
    row["badge"] = decode(FIELDS["badges"], badge) if badge is not None else None
    row["photo"] = photo_of(wire)  # a photo replaced at the desk (hub/desk_photos.py)
    return row


def _seal_of(wire: dict) -> str:
    """A row's seal (kiosk/audit.py): "" from a kiosk that does not seal yet."""
    mac = wire.get("mac") or ""
    if not isinstance(mac, str) or not (mac == "" or _SEAL.fullmatch(mac)):
        raise ProtocolError("mac is not a seal (64 hex digits)")
    return mac


def digest(row: dict) -> str:
    """What identifies a journal row's content, whatever was delivered with it (its seal
    counts when it has one: rows received before sealing keep their digest)."""
    wire = encode(JOURNAL_FIELDS, row)
    if row.get("mac"):
        wire["mac"] = row["mac"]
    return hashlib.sha256(json.dumps(wire, sort_keys=True).encode()).hexdigest()


def _fmt(moment: datetime | None) -> str:
    return moment.astimezone(BRUSSELS).strftime("%d.%m.%Y %H:%M") if moment else "?"


def _conflict(
    s: Session,
    kind: str,
    acc_id: int,
    badge: BadgeRow | None,
    kiosk: str,
    now: datetime,
    en: str,
    fr: str,
    **details: object,
) -> int:
    row = ConflictRow(
        kind=kind,
        accreditation_id=acc_id,
        badge_serial=badge.serial if badge else None,
        kiosk_id=kiosk,
        detected_at=now,
        message_en=en,
        message_fr=fr,
        details=details,
        seq=allocate(s),
    )
    s.add(row)
    s.flush()
    return row.id


def _store_badge(s: Session, data: dict) -> tuple[BadgeRow, bool]:
    """Create the badge or take the reporting counter's newer state of it; a final
    status at the hub (superseded, revoked) is never undone."""
    row = s.get(BadgeRow, data["serial"])
    fresh = row is None
    if fresh:
        row = BadgeRow(**data, seq=allocate(s))
        s.add(row)
    else:
        for key in (
            "counter",
            "kiosk_id",
            "clerk",
            "supervisor",
            "reason",
            "issued_at",
            "valid_from",
            "valid_until",
        ):
            setattr(row, key, data[key])
        if row.status not in FINAL and not _undoes_reinstatement(s, data):
            row.status, row.superseded_by = data["status"], data["superseded_by"]
        row.seq = allocate(s)
    s.flush()
    return row, fresh


def _undoes_reinstatement(s: Session, data: dict) -> bool:
    """A counter's badge saying it is superseded by the badge the office cancelled when it
    reinstated it: the office's word stands."""
    superseded = data["status"] == BadgeStatus.SUPERSEDED.value
    return superseded and reinstated(s, data["serial"], data["superseded_by"])


def _supersede(s: Session, row: dict, by: str) -> None:
    """Supersede the badges a reprint replaced: of its own accreditation only."""
    for serial in row["details"].get("superseded") or []:
        other = s.get(BadgeRow, serial)
        if other is None:
            continue
        if refusal := superseded_refusal(row, row["kiosk_id"], serial, other.accreditation_id):
            raise DeliveryRejected.of(refusal)
        if other.status not in FINAL and not reinstated(s, serial, by):
            other.status, other.superseded_by = BadgeStatus.SUPERSEDED.value, by
            other.seq = allocate(s)


def _not_approved(
    s: Session, acc: AccreditationRow, badge: BadgeRow, seen: int, now: datetime
) -> int:
    """A badge reaching the hub for an accreditation the office no longer approves is
    revoked; the office and the counter are told whether the counter had known."""
    badge.status, badge.seq = BadgeStatus.REVOKED.value, allocate(s)
    knew = acc.status_seq <= seen
    when, status, statut = _fmt(acc.status_changed_at), acc.status, _STATUS_FR[acc.status]
    if knew:
        kind = "issued_not_approved"
        en = (
            f"Badge {badge.serial} was issued at {badge.kiosk_id} on {_fmt(badge.issued_at)} "
            f"although A{acc.id:07d} was {status} (since {when}): the badge is revoked."
        )
        fr = (
            f"Le badge {badge.serial} a été émis à {badge.kiosk_id} le "
            f"{_fmt(badge.issued_at)} alors que A{acc.id:07d} était {statut} (depuis {when}) "
            ": le badge est révoqué."
        )
    else:
        kind = "revoked_while_offline"
        en = (
            f"Badge {badge.serial} was issued at {badge.kiosk_id} on {_fmt(badge.issued_at)} "
            f"before that counter received the office's decision on A{acc.id:07d} "
            f"({status} on {when}): the badge is revoked; security will retain it."
        )
        fr = (
            f"Le badge {badge.serial} a été émis à {badge.kiosk_id} le "
            f"{_fmt(badge.issued_at)} avant que ce guichet ne reçoive la décision du bureau "
            f"sur A{acc.id:07d} ({statut} le {when}) : le badge est révoqué ; la sécurité "
            "le retiendra."
        )
    return _conflict(s, kind, acc.id, badge, badge.kiosk_id, now, en, fr, status=status)


def _stale(s: Session, acc: AccreditationRow, badge: BadgeRow, seen: int, now: datetime):
    """An issuance decided on data the office has changed since: ask the rules again on
    the office's current data; the badge stands, the office decides."""
    if latest_change(s, acc) <= seen:
        return None
    decision = rules.decide(hub_case(s, acc), Counter(badge.counter), badge.issued_at, None)
    failed = [c for c in decision.failures if c.name not in NOT_RECHECKED]
    if not failed:
        return None
    en = (
        f"Badge {badge.serial} was issued at {badge.kiosk_id} on {_fmt(badge.issued_at)} on "
        f"data the office had changed since: today's data would not allow it: "
        + " ".join(c.reason_en for c in failed)
        + " The badge stands until the office "
        "decides."
    )
    fr = (
        f"Le badge {badge.serial} a été émis à {badge.kiosk_id} le {_fmt(badge.issued_at)} "
        "sur des données modifiées depuis par le bureau : les données actuelles ne le "
        "permettraient pas : " + " ".join(c.reason_fr for c in failed) + " Le badge reste "
        "valable jusqu'à la décision du bureau."
    )
    return _conflict(
        s,
        "stale_approval",
        acc.id,
        badge,
        badge.kiosk_id,
        now,
        en,
        fr,
        failed=[c.name for c in failed],
    )


def _duplicates(s: Session, acc_id: int, now: datetime) -> list[int]:
    """One valid badge per accreditation: when counters cut off from each other both
    issued, the first issued stands (the rules would have refused the later one had the
    counter known) and the others are superseded by it."""
    live = s.scalars(
        select(BadgeRow).where(BadgeRow.accreditation_id == acc_id, BadgeRow.status.in_(LIVE))
    ).all()
    if len(live) < 2:
        return []
    winner = min(live, key=lambda b: (b.issued_at, b.serial))
    found = []
    for loser in live:
        if loser is winner:
            continue
        loser.status, loser.superseded_by = BadgeStatus.SUPERSEDED.value, winner.serial
        loser.seq = allocate(s)
        en = (
            f"Two badges for A{acc_id:07d} were issued by counters cut off from each other: "
            f"{winner.serial} ({winner.kiosk_id}, {_fmt(winner.issued_at)}) stands, "
            f"{loser.serial} ({loser.kiosk_id}, {_fmt(loser.issued_at)}) is cancelled: "
            "security will retain it."
        )
        fr = (
            f"Deux badges pour A{acc_id:07d} ont été émis par des guichets coupés l'un de "
            f"l'autre : {winner.serial} ({winner.kiosk_id}, {_fmt(winner.issued_at)}) reste "
            f"valable, {loser.serial} ({loser.kiosk_id}, {_fmt(loser.issued_at)}) est annulé "
            ": la sécurité le retiendra."
        )
        found.append(
            _conflict(
                s, "duplicate_issue", acc_id, loser, loser.kiosk_id, now, en, fr, kept=winner.serial
            )
        )
    return found


def _predecessor_hash(s: Session, kiosk_id: str, journal_id: int) -> str:
    """The hash of the row the hub holds just before `journal_id` (the chain's start if
    none)."""
    held = s.scalar(
        select(JournalRow.hash)
        .where(JournalRow.kiosk_id == kiosk_id, JournalRow.journal_id < journal_id)
        .order_by(JournalRow.journal_id.desc())
        .limit(1)
    )
    return held or audit.GENESIS


def chain_problem(prev_hash: str, row: dict) -> str | None:
    """Why `row` does not hold its place after an entry whose hash is `prev_hash`."""
    if row["prev_hash"] != prev_hash:
        return "does not follow the entry before it (an entry was deleted, inserted or moved)"
    if row["hash"] != audit.entry_hash(prev_hash, SimpleNamespace(**row)):
        return "its content was changed after it was written"
    return None


def _chain_broken(s: Session, row: dict, why: str, now: datetime) -> int:
    kiosk, entry = row["kiosk_id"], row["id"]
    en = (
        f"The journal of {kiosk} is broken at entry {entry}: {why}. The entry was kept as "
        "received; the kiosk's record can no longer be trusted from there: inspect the kiosk."
    )
    fr = (
        f"Le journal de {kiosk} est rompu à l'entrée {entry} : "
        f"{_CHAIN_FR.get(why, why)}. L'entrée est conservée telle que reçue ; le registre de "
        "ce guichet n'est plus fiable à partir de là : inspecter le guichet."
    )
    return _conflict(
        s,
        "journal_chain_broken",
        row["accreditation_id"] or 0,
        None,
        kiosk,
        now,
        en,
        fr,
        journal_id=entry,
        reason=why,
    )


_CHAIN_FR = {
    "does not follow the entry before it (an entry was deleted, inserted or moved)": (
        "elle ne suit pas l'entrée précédente (une entrée a été supprimée, insérée ou déplacée)"
    ),
    "its content was changed after it was written": (
        "son contenu a été modifié après son écriture"
    ),
    audit.BAD_SEAL: (
        "son sceau n'est pas valable : elle a été écrite ou réécrite sans la clé du journal"
    ),
}


_BADGE_COLUMNS = ("status", *FIXED, *RECORD)


def _apply_badge(s: Session, row: dict, now: datetime) -> list[int]:
    row = {**row, "badge": as_carried(row["badge"])}
    data = row["badge"]
    held = s.get(BadgeRow, data["serial"])
    columns = {c: getattr(held, c) for c in _BADGE_COLUMNS} if held is not None else None
    if refusal := foreign_badge_refusal(row, row["kiosk_id"], columns):
        raise DeliveryRejected.of(refusal)
    if not stored(row, row["kiosk_id"], columns):
        return []
    acc = s.get(AccreditationRow, data["accreditation_id"])
    if acc is None:
        en = (
            f"Badge {data['serial']} names accreditation A{data['accreditation_id']:07d}, "
            "which the office does not hold: the badge was not recorded."
        )
        fr = (
            f"Le badge {data['serial']} cite l'accréditation A{data['accreditation_id']:07d}"
            ", inconnue du bureau : le badge n'a pas été enregistré."
        )
        return [
            _conflict(
                s,
                "unknown_accreditation",
                data["accreditation_id"],
                None,
                row["kiosk_id"],
                now,
                en,
                fr,
                serial=data["serial"],
            )
        ]
    badge, fresh = _store_badge(s, data)
    _supersede(s, row, badge.serial)
    s.flush()
    found: list[int] = []
    if badge.status in FINAL:
        return found
    if acc.status != Status.APPROVED.value:
        return [_not_approved(s, acc, badge, row["seen_cursor"], now)]
    if fresh and (stale := _stale(s, acc, badge, row["seen_cursor"], now)):
        found.append(stale)
    return found + _duplicates(s, acc.id, now)


def _apply_life(s: Session, row: dict) -> None:
    """A badge lost, stolen, damaged, found or returned at a counter: kept as a badge event
    for every kiosk, and the badge takes its status when it may follow the one the hub
    holds (a badge superseded or revoked meanwhile stays so: the hub's word stands)."""
    event = JOURNAL_ACTIONS[row["action"]]
    badge = s.get(BadgeRow, row["badge_serial"])
    if badge is None:  # not recorded (its accreditation is unknown here): a conflict says so
        return
    if follows(badge.status, event.status.value):
        badge.status, badge.seq = event.status.value, allocate(s)
    s.add(
        BadgeEventRow(
            kiosk_id=row["kiosk_id"],
            journal_id=row["id"],
            serial=badge.serial,
            accreditation_id=badge.accreditation_id,
            event=event.value,
            at=row["at"],
            actor=row["actor"],
            note=row["details"].get("note", ""),
            seq=allocate(s),
        )
    )


def _register_keys(s: Session, client: ClientRow, wire_keys: list, now: datetime) -> list[int]:
    """Hold a counter's new badge keys: trusted site-wide at once while its enrolment
    pre-approves one, else pending (a `badge_key_pending` conflict tells the office,
    `kiosk-hub keys approve` trusts it). A key id already taken by another key is refused
    (security could not tell the two kiosks' badges apart)."""
    if len(wire_keys) > MAX_KEYS:
        raise DeliveryRejected(413, f"at most {MAX_KEYS} badge keys per delivery")
    found = []
    for wire in wire_keys:
        try:
            key = decode(KEY_FIELDS, wire)
        except ProtocolError as err:
            raise DeliveryRejected(400, f"malformed key: {err}") from err
        key_id = key["key_id"]
        if key["purpose"] != "badge" or type(key_id) is not int or not 1 <= key_id <= 255:
            raise DeliveryRejected(400, "a kiosk reports badge keys only, ids 1 to 255")
        if not isinstance(key["public_key"], bytes) or len(key["public_key"]) != 32:
            raise DeliveryRejected(400, f"badge key {key['key_id']} is not an Ed25519 key")
        held = s.get(PublicKeyRow, key["key_id"])
        if held is None:
            trusted = (client.keys_preapproved or 0) > 0
            client.keys_preapproved = (client.keys_preapproved or 0) - int(trusted)
            s.add(
                PublicKeyRow(
                    **key,
                    owner=client.id,
                    created_at=now,
                    approved_at=now if trusted else None,
                    seq=allocate(s),
                )
            )
            if not trusted:
                found.append(_key_pending(s, client.id, key["key_id"], now))
        elif held.public_key != key["public_key"]:
            raise DeliveryRejected(
                409,
                f"key id {key['key_id']} of {client.id} is taken by another key "
                f"({held.owner}): give this kiosk another KIOSK_BADGE_KEY_ID",
            )
    return found


def _key_pending(s: Session, kiosk: str, key_id: int, now: datetime) -> int:
    en = (
        f"{kiosk} reported a new badge key {key_id}: no security post trusts it until the "
        f"office approves it (kiosk-hub keys approve {key_id}); if {kiosk} did not get a "
        f"new key, revoke it (kiosk-hub clients revoke {kiosk} --stolen)."
    )
    fr = (
        f"{kiosk} a déclaré une nouvelle clé de badge {key_id} : aucun poste de sécurité ne "
        f"s'y fie avant l'accord du bureau (kiosk-hub keys approve {key_id}) ; si {kiosk} "
        f"n'a pas reçu de nouvelle clé, le révoquer (kiosk-hub clients revoke {kiosk} "
        "--stolen)."
    )
    return _conflict(s, "badge_key_pending", 0, None, kiosk, now, en, fr, key_id=key_id)


def _checked(client: Client, wire_rows: list) -> list[dict]:
    """The delivery's rows decoded, in journal order, each checked (sizes first, before
    decoding); DeliveryRejected names the first one refused."""
    if len(wire_rows) > MAX_ROWS:
        raise DeliveryRejected(
            413,
            f"a delivery of {len(wire_rows)} journal rows: at most {MAX_ROWS} per delivery",
            f"une livraison de {len(wire_rows)} entrées : au plus {MAX_ROWS} par livraison",
        )
    rows = []
    for position, wire in enumerate(wire_rows):
        if refusal := size_refusal(wire, position):
            raise DeliveryRejected.of(refusal)
        try:
            row = _decode_row(wire)
        except (ProtocolError, AttributeError) as err:
            raise DeliveryRejected(
                422,
                f"journal row #{position + 1} is malformed: {err}",
                f"l'entrée n° {position + 1} du journal est mal formée : {err}",
            ) from err
        if refusal := row_refusal(row, client.id):
            raise DeliveryRejected.of(refusal)
        if client.role is Role.SECURITY and (refusal := desk_refusal(row, client.id)):
            raise DeliveryRejected.of(refusal)
        rows.append(row)
    rows.sort(key=lambda r: r["id"])
    return rows


def record_refusal(db: HubDatabase, client: Client, err: DeliveryRejected, now: datetime) -> None:
    """Record a refused delivery as a conflict the office sees, once per kiosk and
    reason (a kiosk retries the same delivery at every sync), and none while
    REFUSALS_OPEN of the kiosk's are unsettled: a sender that varies its bytes cannot
    flood the office's list and every counter's store (each conflict goes out in the
    feed)."""
    why = cut(str(err), REASON_SHOWN)
    en = f"A delivery from {client.id} was refused, nothing of it was stored: {why}."
    fr = (
        f"Une livraison de {client.id} a été refusée, rien n'en a été enregistré : "
        f"{cut(err.fr, REASON_SHOWN)}."
    )
    theirs = (ConflictRow.kind == "delivery_refused") & (ConflictRow.kiosk_id == client.id)
    seen = select(ConflictRow.id).where(theirs, ConflictRow.message_en == en).limit(1)
    unsettled = select(func.count()).where(theirs, ConflictRow.settled_at.is_(None))

    def held_already(s: Session) -> bool:
        return s.scalar(seen) is not None or s.scalar(unsettled) >= REFUSALS_OPEN

    with db.reading() as s:  # a kiosk retries every few seconds: write only the first time
        if held_already(s):
            return
    with db.writing() as s:
        lock_changes(s)
        if not held_already(s):
            details = {"journal_id": err.journal_id, "status": err.status}
            _conflict(s, "delivery_refused", 0, None, client.id, now, en, fr, **details)


def _journal_head(wire: object) -> Head | None:
    """A delivery's journal head (None from a kiosk that does not send one)."""
    if wire is None:
        return None
    try:
        return parse_head(wire)
    except ValueError as err:
        raise DeliveryRejected(422, f"{err}", f"la tête de journal est mal formée : {err}") from err


def _head_conflicts(
    s: Session, seals: Seals, head: Head | None, complete: bool, up_to: int, now: datetime
) -> list[int]:
    """The head's problems (hub/audit.py), or its absence, as conflicts the office sees."""
    found = head_problems(s, seals, head, complete, up_to, now) if head else seals.missing_head()
    return [
        _conflict(s, p.kind, 0, None, seals.kiosk_id, now, p.en, p.fr, journal_id=p.journal_id)
        for p in found
        if not _unsettled(s, p.kind, seals.kiosk_id, p.en)
    ]


def _unsettled(s: Session, kind: str, kiosk: str, en: str) -> bool:
    """Whether the office has this very conflict before it, not yet settled (a sender
    repeating a delivery without its head, say, adds none)."""
    same = select(ConflictRow.id).where(
        ConflictRow.kind == kind,
        ConflictRow.kiosk_id == kiosk,
        ConflictRow.message_en == en,
        ConflictRow.settled_at.is_(None),
    )
    return s.scalar(same.limit(1)) is not None


def receive(
    db: HubDatabase,
    client: Client,
    wire_rows: list,
    now: datetime,
    via: str = "http",
    wire_keys: list = (),
    head: object = None,
    more: bool = False,
    after: int | None = None,
) -> Receipt:
    """Apply a kiosk's delivery (journal rows, and a counter's badge keys), all or
    nothing, and check its journal head (`more`: rows after these will follow);
    DeliveryRejected changes nothing but the conflict that records it.

    `after` is the last row the kiosk was told the hub holds. A hub holding less (restored
    from an older backup) takes nothing and answers how far it holds the journal, so the
    kiosk sends again from there: stored, rows after the gap would read as a broken chain
    and a head past it as a truncated journal, and the rows in the gap would never come."""
    if client.role is Role.OFFICE:
        raise DeliveryRejected(403, "office clients have no journal to deliver")
    if not isinstance(wire_rows, list) or not isinstance(wire_keys, list | tuple):
        raise DeliveryRejected(
            422,
            "a delivery's rows and keys are lists",
            "les entrées et les clés d'une livraison sont des listes",
        )
    try:
        rows, journal_head = _checked(client, wire_rows), _journal_head(head)
        only_head = not rows and not wire_keys and journal_head is not None
        if only_head and (held := _head_held(db, client, journal_head, not more, after)):
            return held
        return _receive(db, client, rows, now, via, list(wire_keys), (journal_head, more), after)
    except DeliveryRejected as err:
        record_refusal(db, client, err, now)
        raise


def _lost_rows(after: int | None, up_to: int) -> bool:
    """Whether the hub holds less of a kiosk's journal than it acknowledged to it."""
    return after is not None and up_to < after


def _head_held(
    db: HubDatabase, client: Client, head: Head, complete: bool, after: int | None
) -> Receipt | None:
    """The receipt of a delivery of nothing but a head the hub holds already and that
    passes every check again: read, nothing written (a kiosk with nothing to deliver sends
    one at its first round; older kiosks at every round). None when the delivery must be
    taken in writing: a new head, a key's first use to note, a problem to record as a
    conflict, a kiosk revoked since it authenticated."""
    with db.reading() as s, s.no_autoflush:  # a key's first entry noted is not written here
        me = s.get(ClientRow, client.id)
        seals = Seals(s, client.id)
        seals.take_head(head)
        up_to = received_up_to(s, client.id)
        held = me is not None and me.revoked_at is None
        # a hub that lost rows judges the head once they are back
        held = held and (
            _lost_rows(after, up_to) or head_unchanged(s, seals, head, complete, up_to)
        )
        s.expunge_all()  # ...nor when this read ends: that is for the writing path
    return Receipt(0, 0, up_to) if held else None


def _revoked(row: ClientRow) -> DeliveryRejected:
    return DeliveryRejected(
        403,
        f"{row.id} was revoked on {_fmt(row.revoked_at)} ({row.revoked_reason}): "
        "the hub takes nothing from it",
        f"{row.id} a été révoqué le {_fmt(row.revoked_at)} "
        f"({row.revoked_reason}) : le hub n'en accepte plus rien",
    )


def _receive(
    db: HubDatabase,
    client: Client,
    rows: list[dict],
    now: datetime,
    via: str,
    wire_keys: list,
    head: tuple[Head | None, bool],
    after: int | None = None,
) -> Receipt:
    received, duplicates, conflicts = 0, 0, []
    with db.writing() as s:
        # Deliveries of one kiosk are applied one at a time (a late retry waits here).
        me = s.get(ClientRow, client.id, with_for_update=True)
        lock_changes(s)  # a revocation or another kiosk's badge commits before, or after
        if me is None or me.revoked_at is not None:  # revoked since it authenticated
            raise _revoked(me) if me else DeliveryRejected(403, f"{client.id} is not enrolled")
        if _lost_rows(after, held_up_to := received_up_to(s, client.id)):
            return Receipt(0, 0, held_up_to)  # nothing taken: the kiosk sends from there
        if client.role is Role.COUNTER:
            conflicts += _register_keys(s, me, wire_keys, now)
        held = dict(
            s.execute(
                select(JournalRow.journal_id, JournalRow.digest).where(
                    JournalRow.kiosk_id == client.id,
                    JournalRow.journal_id.in_([r["id"] for r in rows]),
                )
            ).all()
        )
        prev = _predecessor_hash(s, client.id, rows[0]["id"]) if rows else audit.GENESIS
        seals, (journal_head, more) = Seals(s, client.id), head
        if journal_head is not None:
            seals.take_head(journal_head)  # from which entry the hub's key seals the rows
        for row in rows:
            mark = digest(row)
            if row["id"] in held:
                if held[row["id"]] != mark:
                    raise DeliveryRejected(
                        409,
                        f"journal row {row['id']} of {client.id} differs from the one "
                        "received before: this kiosk's store was replaced; enrol it under a "
                        "new kiosk id",
                        f"l'entrée {row['id']} du journal de {client.id} diffère de celle "
                        "reçue avant : la base de ce guichet a été remplacée ; l'enrôler sous "
                        "un nouvel identifiant",
                        row["id"],
                    )
                duplicates += 1
                prev = row["hash"]
                continue
            held[row["id"]] = mark
            if why := chain_problem(prev, row) or seals.problem(row):
                conflicts.append(_chain_broken(s, row, why, now))
            prev = row["hash"]
            s.add(
                JournalRow(
                    **{k: row[k] for k in JOURNAL_FIELDS if k != "id"},
                    journal_id=row["id"],
                    mac=row["mac"] or None,
                    seen_cursor=row["seen_cursor"],
                    digest=mark,
                    received_at=now,
                    via=via,
                )
            )
            received += 1
            if row["badge"] is not None and client.role is Role.COUNTER:
                conflicts += _apply_badge(s, row, now)
                if row["action"] in JOURNAL_ACTIONS:
                    _apply_life(s, row)
            if row["action"] == PHOTO_REPLACED and client.role is Role.COUNTER:
                take_desk_photo(s, client.id, row, now)
        s.flush()
        up_to = received_up_to(s, client.id)
        conflicts += _head_conflicts(s, seals, journal_head, not more, up_to, now)
    return Receipt(received, duplicates, up_to, tuple(conflicts))


def received_up_to(s: Session, kiosk_id: str) -> int:
    """The last journal id of `kiosk_id` the hub holds (0 for none)."""
    return (
        s.scalar(select(func.max(JournalRow.journal_id)).where(JournalRow.kiosk_id == kiosk_id))
        or 0
    )
