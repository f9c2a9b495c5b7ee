"""A kiosk's own settings, kept in `DATA_DIR/settings.json` and read at start.

The counter it stands at, its camera, the language its screens open in, how long a
signed-in person may leave it untouched, whether the counter sounds its tones, and
(at a security post) how old its synced data may grow before the post warns the
guard. Printers have their own file (printers.json, printing/printers.py) and the
hub's address lives with the enrolment (sync/state.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.model import Counter

FILE = "settings.json"
LANGUAGES = ("en", "fr")
IDLE_RANGE = range(1, 121)  # minutes
POST_DATA_RANGE = range(1, 24 * 60 + 1)  # minutes


class SettingsInvalid(ValueError):
    """A setting that cannot be used, said in both languages."""

    def __init__(self, field: str, message_en: str, message_fr: str) -> None:
        self.field, self.message_en, self.message_fr = field, message_en, message_fr
        super().__init__(message_en)


@dataclass(frozen=True)
class KioskSettings:
    """What an administrator sets on a kiosk."""

    counter: Counter = Counter.GROUPS
    camera: str = ""  # a device index, video file or image folder; "" for none
    language: str = "en"  # the language the screens open in (and return to at sign-out)
    idle_minutes: int = 5  # signed out after this long without a key or a click
    # A security post warns once its last successful sync is older than this (minutes).
    post_data_limit_minutes: int = 30
    tones: bool = False  # short tones for issue, redirect, refuse, printer fault (ui/tones.py)


def parse_settings(raw: object) -> KioskSettings:
    """Checked settings from JSON data; SettingsInvalid naming the first bad field."""
    if not isinstance(raw, dict):
        raise SettingsInvalid(
            "file",
            "The settings must be a JSON object.",
            "Les paramètres doivent être un objet JSON.",
        )
    unknown = sorted(set(raw) - set(KioskSettings.__dataclass_fields__))
    if unknown:
        names = ", ".join(unknown)
        raise SettingsInvalid(
            "file", f"Unknown settings: {names}.", f"Paramètres inconnus : {names}."
        )
    d = KioskSettings()
    counter = raw.get("counter", d.counter.value)
    if not isinstance(counter, str) or counter not in {c.value for c in Counter}:
        raise SettingsInvalid(
            "counter",
            f"Counter must be groups or visitors, not {counter!r}.",
            f"Le guichet doit être groups ou visitors, pas {counter!r}.",
        )
    camera = raw.get("camera", d.camera)
    if not isinstance(camera, str):
        raise SettingsInvalid(
            "camera",
            "The camera must be a device number, a video file or an image folder.",
            "La caméra doit être un numéro d'appareil, un fichier vidéo ou un dossier d'images.",
        )
    language = raw.get("language", d.language)
    if language not in LANGUAGES:
        raise SettingsInvalid(
            "language",
            f"Language must be en or fr, not {language!r}.",
            f"La langue doit être en ou fr, pas {language!r}.",
        )
    idle = raw.get("idle_minutes", d.idle_minutes)
    if not isinstance(idle, int) or isinstance(idle, bool) or idle not in IDLE_RANGE:
        raise SettingsInvalid(
            "idle_minutes",
            f"Idle sign-out must be a whole number of minutes from 1 to 120, not {idle!r}.",
            f"La déconnexion d'inactivité doit être un nombre entier de minutes de 1 à 120,"
            f" pas {idle!r}.",
        )
    limit = raw.get("post_data_limit_minutes", d.post_data_limit_minutes)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit not in POST_DATA_RANGE:
        raise SettingsInvalid(
            "post_data_limit_minutes",
            "The security post's data limit must be a whole number of minutes from 1 to "
            f"1440, not {limit!r}.",
            "La limite d'âge des données du poste de sécurité doit être un nombre entier de "
            f"minutes de 1 à 1440, pas {limit!r}.",
        )
    tones = raw.get("tones", d.tones)
    if not isinstance(tones, bool):
        raise SettingsInvalid(
            "tones",
            f"Tones must be true or false, not {tones!r}.",
            f"Les sons doivent valoir true ou false, pas {tones!r}.",
        )
    return KioskSettings(Counter(counter), camera.strip(), language, idle, limit, tones)


def check_camera(camera: str) -> None:
    """SettingsInvalid unless `camera` is empty, a device number or an existing path."""
    if not camera or camera.isdigit() or Path(camera).expanduser().exists():
        return
    raise SettingsInvalid(
        "camera",
        f"No camera {camera!r}: give a device number (0, 1…), a video file or an image folder"
        " that exists.",
        f"Pas de caméra {camera!r} : donner un numéro d'appareil (0, 1…), un fichier vidéo"
        " ou un dossier d'images existant.",
    )


def load_settings(data_dir: Path) -> KioskSettings:
    """The settings saved in `data_dir`, or the defaults if none were saved."""
    path = data_dir / FILE
    if not path.is_file():
        return KioskSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SettingsInvalid(
            "file",
            f"{path} cannot be read ({err}): fix or delete it.",
            f"{path} est illisible ({err}) : le corriger ou le supprimer.",
        ) from err
    return parse_settings(raw)


def save_settings(data_dir: Path, settings: KioskSettings) -> Path:
    """Write `settings` to `data_dir` (whole or not at all) and return the file."""
    path = data_dir / FILE
    data = asdict(settings) | {"counter": settings.counter.value}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
