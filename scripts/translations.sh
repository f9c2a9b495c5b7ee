#!/usr/bin/env bash
# Update ui/i18n/kiosk_fr.ts from the tr() strings in ui/, then compile it to .qm.
# A translator opens the .ts with `pyside6-linguist`; run this again after editing.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pyside6-lupdate ui/*.py -ts ui/i18n/kiosk_fr.ts -no-obsolete -locations none
.venv/bin/pyside6-lrelease ui/i18n/kiosk_fr.ts -qm ui/i18n/kiosk_fr.qm
