"""What a passport chip's answer means at the counter: a pure rule over plain data.

The chip adapter (chip/) reads and checks the chip and hands over a `ChipReading`;
`check_chip` turns it into a `Check` the counter folds into its decision. The rule:

- A chip whose signature fails, whose data group does not match its signed hash, or
  whose DG1 differs from the printed MRZ is a **refusal**: the issuing state's own
  signature contradicts the document in hand, which a genuine passport never does. So
  is a chip that fails Active or Chip Authentication: it carries a key it cannot use, as
  a copied chip does.
- A chip signed under a certificate authority (CSCA) the office's trust list does not
  hold is a **supervisor case**, not a refusal: trust lists are often incomplete (a
  state missing from the master list is the office's gap, not the traveller's), but a
  forger can sign a chip under a CSCA of their own, so the chip proves nothing either
  and a supervisor decides on the printed document.
- A chip signed under a trusted CSCA of **another state** than the one its DG1 names
  (a German CSCA does not vouch for a French passport) is a **supervisor case**, like an
  unknown issuer: no authority the office trusts for that state vouches for the chip, so
  it proves nothing, and the printed document decides. Not a refusal: the signature
  itself is sound, the test rests on a country table (ICAO's MRZ codes against the
  certificate's ISO code) that cannot know every special case (a territory's documents
  signed by its state's CSCA, a laissez-passer), and a refusal would punish a genuine
  traveller for the office's table; a forger gains nothing over a chip signed under a
  CSCA of their own, which gets the same answer. Without the check, any trusted CSCA,
  however weakly one state guards its document signer keys, would vouch for every
  state's passports.
- A chip that refuses the keys from the printed MRZ (access denied) is a **supervisor
  case**: a misplaced document or a mistyped MRZ explain it, and so does a data page
  that does not belong to its chip.
- No reader, no chip, a read cut short (document moved) or a chip that cannot be
  read is **not a refusal**: many
  documents carry no chip and readers fail; the printed document is then checked alone,
  as before chips were read, and the clerk is told so. (A forger gains nothing from a
  dead chip that a document without one would not give.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.model import Check, IdReading, Verdict


class ChipStatus(StrEnum):
    """The outcome of a chip read and its passive authentication."""

    VERIFIED = "verified"
    NO_READER = "no reader"
    NO_CHIP = "no chip"
    INTERRUPTED = "interrupted"  # the document left the reader or the chip stopped answering
    UNREADABLE = "unreadable"  # the chip answered, but not as Doc 9303 says it must
    ACCESS_DENIED = "access denied"
    SIGNATURE_INVALID = "signature invalid"
    DATA_GROUP_ALTERED = "data group altered"
    CLONE_SUSPECTED = "clone suspected"  # signed data fine, Active or Chip Authentication failed
    UNKNOWN_ISSUER = "unknown issuer"
    ISSUER_MISMATCH = "issuer does not match the document's state"  # a CSCA of another state


@dataclass(frozen=True)
class ChipReading:
    """What the chip said and what its checks found (no secrets, no keys)."""

    status: ChipStatus
    issuer: str = ""  # who signed: the trusted CSCA's name, or the unknown one's
    chip_id: IdReading | None = None  # DG1, the MRZ as the chip holds it
    dg1_mrz: str = ""
    face: bytes = b""  # DG2's image (JPEG or JPEG 2000), empty if absent
    altered_groups: tuple[int, ...] = ()
    detail: str = ""  # technical detail for the log and the CLI, never shown to a clerk
    active_auth: bool | None = None  # proved it is no copy; None: not offered or not checked
    chip_auth: bool | None = None  # the same by Chip Authentication (DG14's key agreement)


@dataclass(frozen=True)
class ChipLink:
    """A counter's chip stack: `read` opens the chip of the document on the reader with
    its printed MRZ and checks it; `attached` says whether a reader is plugged in now
    (both block: call them off the UI thread)."""

    read: Callable[[IdReading], ChipReading]
    attached: Callable[[], bool]


# The fields of DG1 a printed MRZ must repeat exactly (both are MRZ text).
_COMPARED = (
    "document_type",
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
)

_FIELD_FR = {
    "document_type": "type de document",
    "issuing_state": "État émetteur",
    "document_number": "numéro du document",
    "surname": "nom",
    "given_names": "prénoms",
    "nationality": "nationalité",
    "birth_date": "date de naissance",
    "sex": "sexe",
    "expiry_date": "date d'expiration",
}


# What proves a chip is no copy, as the verdicts name it (English, French).
_COPY_CHECKS = {
    "active": ("Active Authentication", "authentification active"),
    "chip": ("Chip Authentication", "authentification de la puce"),
}


def mrz_differences(chip: IdReading, printed: IdReading) -> list[tuple[str, str, str]]:
    """(field, chip value, printed value) for every field where the two disagree."""
    out = []
    for field in _COMPARED:
        a, b = getattr(chip, field), getattr(printed, field)
        if a != b:
            out.append((field, str(a), str(b)))
    return out


def _mismatch(diffs: list[tuple[str, str, str]]) -> Check:
    en = "; ".join(f"{f.replace('_', ' ')}: chip {a}, printed {b}" for f, a, b in diffs)
    fr = "; ".join(f"{_FIELD_FR[f]} : puce {a}, imprimé {b}" for f, a, b in diffs)
    return Check(
        "chip",
        False,
        f"The chip does not match the printed page ({en}): refuse the document.",
        f"La puce ne correspond pas à la page imprimée ({fr}) : refuser le document.",
        Verdict.REFUSE,
    )


def check_chip(reading: ChipReading | None, printed: IdReading | None) -> Check:
    """The chip's verdict on the document in hand (see the module docstring for why)."""
    if reading is None or reading.status is ChipStatus.NO_READER:
        return Check(
            "chip",
            True,
            "No chip reader: the printed document is checked alone.",
            "Pas de lecteur de puce : seul le document imprimé est vérifié.",
        )
    status = reading.status
    if status is ChipStatus.NO_CHIP:
        return Check(
            "chip",
            True,
            "No chip on the reader: the printed document is checked alone.",
            "Aucune puce sur le lecteur : seul le document imprimé est vérifié.",
        )
    if status is ChipStatus.INTERRUPTED:
        return Check(
            "chip",
            True,
            "The chip read was interrupted: put the document back on the reader and scan its "
            "MRZ again to check the chip; until then the printed document is checked alone.",
            "La lecture de la puce a été interrompue : reposer le document sur le lecteur et "
            "scanner de nouveau sa MRZ pour vérifier la puce ; d'ici là, seul le document "
            "imprimé est vérifié.",
        )
    if status is ChipStatus.UNREADABLE:
        return Check(
            "chip",
            True,
            "The chip could not be read: the printed document is checked alone.",
            "La puce n'a pas pu être lue : seul le document imprimé est vérifié.",
        )
    if status is ChipStatus.ACCESS_DENIED:
        return Check(
            "chip",
            False,
            "The chip refused the printed MRZ: check that the document on the reader is the "
            "one scanned; if it still refuses, a supervisor decides.",
            "La puce a refusé la bande MRZ imprimée : vérifier que le document sur le "
            "lecteur est celui qui a été scanné ; si elle refuse encore, un superviseur "
            "décide.",
            Verdict.SUPERVISOR,
        )
    if status is ChipStatus.SIGNATURE_INVALID:
        return Check(
            "chip",
            False,
            "The chip's signature is invalid: its data was not signed by its issuer. Refuse "
            "the document.",
            "La signature de la puce est invalide : ses données n'ont pas été signées par "
            "l'émetteur. Refuser le document.",
        )
    if status is ChipStatus.DATA_GROUP_ALTERED:
        groups = ", ".join(f"DG{n}" for n in reading.altered_groups)
        return Check(
            "chip",
            False,
            f"The chip's data was altered after signing ({groups}): refuse the document.",
            f"Les données de la puce ont été modifiées après signature ({groups}) : refuser "
            "le document.",
        )
    if status is ChipStatus.CLONE_SUSPECTED:
        en, fr = _COPY_CHECKS["chip" if reading.chip_auth is False else "active"]
        return Check(
            "chip",
            False,
            f"The chip failed {en}: it may be a copy of another passport's chip. Refuse the "
            "document.",
            f"La puce a échoué à l'{fr} : elle peut être la copie de la puce d'un autre "
            "passeport. Refuser le document.",
        )
    if printed is not None and reading.chip_id is not None:
        diffs = mrz_differences(reading.chip_id, printed)
        if diffs:
            return _mismatch(diffs)
    if status is ChipStatus.UNKNOWN_ISSUER:
        return Check(
            "chip",
            False,
            f"The chip is signed by an authority the office does not trust ({reading.issuer}): "
            "a supervisor decides on the printed document.",
            f"La puce est signée par une autorité que le bureau ne reconnaît pas "
            f"({reading.issuer}) : un superviseur décide sur le document imprimé.",
            Verdict.SUPERVISOR,
        )
    if status is ChipStatus.ISSUER_MISMATCH:
        return Check(
            "chip",
            False,
            f"The chip's issuer does not match the document's state: {reading.issuer} does "
            "not vouch for this state's documents, so a supervisor decides on the printed "
            "document.",
            f"L'émetteur de la puce ne correspond pas à l'État du document : {reading.issuer} "
            "ne garantit pas les documents de cet État ; un superviseur décide sur le "
            "document imprimé.",
            Verdict.SUPERVISOR,
        )
    proofs = [
        _COPY_CHECKS[k]
        for k, ok in (("chip", reading.chip_auth), ("active", reading.active_auth))
        if ok
    ]
    if proofs:
        en, fr = ", ".join(p[0] for p in proofs), ", ".join(p[1] for p in proofs)
        return Check(
            "chip",
            True,
            f"Chip verified by {reading.issuer}, and no copy ({en}).",
            f"Puce vérifiée par {reading.issuer}, et non copiée ({fr}).",
        )
    return Check(
        "chip",
        True,
        f"Chip verified by {reading.issuer}.",
        f"Puce vérifiée par {reading.issuer}.",
    )
