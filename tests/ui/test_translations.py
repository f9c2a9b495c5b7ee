"""Every text the screens show has its French, and the compiled .qm matches the .ts.

Runs Qt's own tools as a translator would: `pyside6-lupdate` over ui/*.py into a copy
of the committed kiosk_fr.ts (a string added to the code without its French shows up
as unfinished), and `pyside6-lrelease` of the committed .ts compared byte for byte with
the committed .qm. Fix a failure with `bash scripts/translations.sh`, then translate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "ui" / "i18n"
TOOLS = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def lupdate_copy(tmp_path: Path) -> ET.Element:
    ts = tmp_path / "kiosk_fr.ts"
    shutil.copy(I18N / "kiosk_fr.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "ui").glob("*.py"))
    subprocess.run(
        [TOOLS / "pyside6-lupdate", *sources, "-ts", ts, "-no-obsolete", "-locations", "none"],
        check=True,
        capture_output=True,
    )
    return ET.parse(ts).getroot()


def messages(root: ET.Element):
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            yield name, message.findtext("source"), message.find("translation")


def test_every_string_of_the_screens_has_its_french(tmp_path):
    root = lupdate_copy(tmp_path)
    missing = [
        f"{context}: {source!r}"
        for context, source, translation in messages(root)
        if translation is None
        or translation.get("type") in ("unfinished", "vanished", "obsolete")
        or not (translation.text or "").strip()
    ]
    assert not missing, (
        "texts without French (run `bash scripts/translations.sh`, translate them in "
        "ui/i18n/kiosk_fr.ts, run it again):\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders_of_their_source():
    root = ET.parse(I18N / "kiosk_fr.ts").getroot()
    wrong = [
        f"{context}: {source!r} -> {translation.text!r}"
        for context, source, translation in messages(root)
        if translation is not None
        and translation.text
        and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_compiled_french_is_the_committed_ts(tmp_path):
    qm = tmp_path / "kiosk_fr.qm"
    subprocess.run(
        [TOOLS / "pyside6-lrelease", I18N / "kiosk_fr.ts", "-qm", qm],
        check=True,
        capture_output=True,
    )
    assert qm.read_bytes() == (I18N / "kiosk_fr.qm").read_bytes(), (
        "ui/i18n/kiosk_fr.qm is stale: run `bash scripts/translations.sh`"
    )
