"""Changes to a kiosk's settings, journalled: who changed which setting, from what to what.

An administrator's Save on the settings screen (the counter the kiosk serves, its
printers, camera, language, idle time, tones, the hub's address) and a printer chosen at
the kiosk's shell (`kiosk printers --use`, by the operator: no one signs in there) each
leave one entry, `settings`, with `changed`: each setting that changed as [before,
after]. A Save that changes nothing leaves none. The values are settings, never personal
data; nested under `changed` so that a setting named like a checked field (`counter`)
never reads as that field at the hub.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from kiosk.roles import Action, Actor, require
from kiosk.staff import OPERATOR, ensure_enabled
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow

ACTION = "settings"
Change = tuple[str, str]  # (before, after), as the settings hold them


class SettingsJournal:
    """The journal of kiosk `kiosk_id`'s setting changes."""

    def __init__(self, store: Store, kiosk_id: str, clock: Callable[[], datetime]) -> None:
        self.store, self.kiosk_id, self.clock = store, kiosk_id, clock

    def check(self, by: Actor | None) -> None:
        """Before anything is written: AccessDenied unless `by` may change settings (None:
        the operator at the kiosk's shell), AccountStopped if `by`'s session must end."""
        if by is None:
            return
        require(by.role, Action.SETTINGS)
        with self.store.reading() as s:
            ensure_enabled(s, by)

    def record(self, changes: Mapping[str, Change], by: Actor | None) -> None:
        """Journal that `by` changed `changes` (nothing when it is empty)."""
        changed = {name: list(pair) for name, pair in changes.items() if pair[0] != pair[1]}
        if not changed:
            return
        role = {"role": by.role.value} if by else {}
        with self.store.writing() as s:
            ensure_enabled(s, by)
            s.add(
                JournalRow(
                    at=self.clock(),
                    kiosk_id=self.kiosk_id,
                    actor=by.name if by else OPERATOR,
                    action=ACTION,
                    details={**role, "changed": changed},
                )
            )
