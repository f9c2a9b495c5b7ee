"""What the settings screen's Save and Enrol buttons do, without Qt: check everything the
administrator typed, then write it all, or raise SettingsInvalid and write nothing.

The kiosk's own settings go to DATA_DIR/settings.json (ui/settings.py), each counter's
printer to printers.json (printing/printers.py), the hub's address to the enrolment kept
in the store (sync/state.py). The screen (ui/settings_screen.py) only reads its fields,
calls these and shows the message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.hub_address import hub_address
from kiosk.model import Counter
from kiosk.roles import Actor
from kiosk.settings_journal import SettingsJournal
from kiosk.store.database import Store
from kiosk.typed import shown
from ui.settings import (
    KioskSettings,
    SettingsInvalid,
    check_camera,
    load_settings,
    parse_settings,
    save_settings,
)

if TYPE_CHECKING:
    from sync.state import SyncState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettingsForm:
    """The settings screen's fields, as typed."""

    counter: str
    camera: str
    language: str
    idle_minutes: int
    printers: Mapping[Counter, str]  # the printer each counter prints on
    hub_url: str  # the hub's address (used only once enrolled)
    post_data_limit_minutes: int | None = None  # None: keep the saved value
    tones: bool = False  # the counter's tones switched on


def save_form(
    data_dir: Path, store: Store, form: SettingsForm, journal: SettingsJournal, by: Actor
) -> KioskSettings:
    """Check every field, then write them all and journal what changed, by `by`;
    SettingsInvalid naming the first bad one, or AccountStopped if `by`'s session must
    end, and nothing written. Returns the settings now saved."""
    from printing.printers import (
        choose_printer,
        chosen_printer,
        forget_unreadable_choices,
        list_printers,
    )
    from sync.state import read_state, set_hub_url

    before = _saved_or_default(data_dir)
    limit = form.post_data_limit_minutes
    if limit is None:
        limit = before.post_data_limit_minutes
    settings = parse_settings(
        {
            "counter": form.counter,
            "camera": form.camera.strip(),
            "language": form.language,
            "idle_minutes": form.idle_minutes,
            "post_data_limit_minutes": limit,
            "tones": form.tones,
        }
    )
    check_camera(settings.camera)
    known = {p.name for p in list_printers(data_dir)}
    for name in form.printers.values():
        if name not in known:
            raise SettingsInvalid(
                "printer",
                f"Printer {name} is not on this machine: choose another.",
                f"L'imprimante {name} n'est pas sur cette machine : en choisir une autre.",
            )
    enrolled = read_state(store)
    url = form.hub_url.strip()
    if enrolled is not None:
        check_hub_url(url)
        check_hub_transport(url, enrolled)
    journal.check(by)
    changes = _changes(before, settings)
    save_settings(data_dir, settings)
    unreadable = forget_unreadable_choices(data_dir)
    for counter, name in form.printers.items():
        held = "unreadable" if unreadable else chosen_printer(data_dir, counter)
        changes[f"printer.{counter.value}"] = (held, name)
        if name != held:
            choose_printer(data_dir, counter, name)
    if enrolled is not None and url != enrolled.hub_url:
        changes["hub_url"] = (enrolled.hub_url, url)
        set_hub_url(store, url)
    journal.record(changes, by)
    return settings


def _saved_or_default(data_dir: Path) -> KioskSettings:
    """The settings saved now; the defaults when the file is unreadable (Save replaces it)."""
    try:
        return load_settings(data_dir)
    except SettingsInvalid:
        return KioskSettings()


def _changes(before: KioskSettings, after: KioskSettings) -> dict[str, tuple[str, str]]:
    """Each setting as (before, after) in words, for the journal."""
    return {
        name: (_word(getattr(before, name)), _word(getattr(after, name)))
        for name in KioskSettings.__dataclass_fields__
    }


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(getattr(value, "value", value))


def check_hub_url(url: str) -> None:
    """SettingsInvalid unless `url` is a hub's address as `kiosk-hub enrol --url` takes it
    (kiosk/hub_address.py): http(s), a host, a port from 1 to 65535, no user name,
    password, query or fragment."""
    try:
        hub_address(url)
    except ValueError:
        raise SettingsInvalid(
            "hub_url",
            f"The hub address must look like https://hub.example:8443, not {shown(url)}.",
            f"L'adresse du hub doit ressembler à https://hub.example:8443, pas {shown(url)}.",
        ) from None


def check_hub_transport(url: str, state: SyncState) -> None:
    """SettingsInvalid when sync would refuse `url` (sync/transport.py): https without
    the certificate pinned at enrolment, or plain http beyond this machine."""
    from sync.transport import TransportRefused, check_url

    try:
        check_url(url, state.hub_cert_sha256, state.allow_plain_http)
    except TransportRefused as err:
        if err.code == "no_pin":
            raise SettingsInvalid(
                "hub_url",
                "This kiosk holds no certificate for an https hub: enrol it again with an "
                "enrolment file made with the hub's certificate.",
                "Ce kiosque ne connaît pas le certificat d'un hub https : l'inscrire à "
                "nouveau avec un fichier d'inscription fait avec le certificat du hub.",
            ) from err
        raise SettingsInvalid(
            "hub_url",
            "Plain http to another machine is refused (the token would travel in clear): "
            "give the hub's https address.",
            "Le http simple vers une autre machine est refusé (le jeton circulerait en "
            "clair) : donner l'adresse https du hub.",
        ) from err


def enrol_from_file(store: Store, path: Path) -> SyncState:
    """Enrol this kiosk with a hub from the file `kiosk-hub enrol` wrote; SettingsInvalid
    saying why in both languages (the technical detail goes to the log), nothing stored."""
    from sync.state import EnrolmentInvalid, enrol, read_enrolment

    try:
        return enrol(store, read_enrolment(path))
    except EnrolmentInvalid as err:  # says what is wrong with the file, in words
        en = fr = str(err)
    except FileNotFoundError:
        en, fr = "there is no such file", "ce fichier n'existe pas"
    except OSError as err:
        log.warning("enrolment file %s unreadable", path, exc_info=err)
        en, fr = "the file cannot be read", "le fichier est illisible"
    except ValueError as err:  # not JSON, or not even text
        log.warning("enrolment file %s is not JSON", path, exc_info=err)
        en = "it is not an enrolment file from `kiosk-hub enrol`"
        fr = "ce n'est pas un fichier d'inscription de `kiosk-hub enrol`"
    raise SettingsInvalid(
        "enrolment",
        f"Not enrolled: {path} cannot be used ({en}).",
        f"Non inscrit : {path} est inutilisable ({fr}).",
    )
