"""The language the screens speak, switchable at the counter in one click.

Widgets write their text in English through `self.tr("...")` and retranslate when Qt
sends them a LanguageChange event; French comes from `ui/i18n/kiosk_fr.qm`, compiled
from `kiosk_fr.ts` (update it with `bash scripts/translations.sh`); Qt's own texts
(OK, Cancel, a line edit's menu) from the `qtbase_fr.qm` that ships with PySide6. Texts
that come from the core already in both languages (a check's reason, a printer's
message) are picked with `pick`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QObject, QTranslator, Signal

from kiosk.model import french

TRANSLATIONS = Path(__file__).with_name("i18n")


class Language(StrEnum):
    """The official languages of the headquarters."""

    EN = "en"
    FR = "fr"


class LanguageSwitch(QObject):
    """Holds the current language and installs the matching Qt translator."""

    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.current = Language.EN
        self._translators: list[QTranslator] = []

    def set(self, language: Language) -> None:
        """Speak `language` from now on; every widget gets a LanguageChange event."""
        app = QCoreApplication.instance()
        for translator in self._translators:
            app.removeTranslator(translator)
        self._translators = []
        if language is Language.FR:
            ours = QTranslator(self)
            qm = TRANSLATIONS / "kiosk_fr.qm"
            if not ours.load(str(qm)):
                raise FileNotFoundError(f"French translations not found: {qm}")
            self._translators.append(ours)
            qt = QTranslator(self)  # Qt's own dialogs' buttons: OK, Annuler…
            if qt.load("qtbase_fr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                self._translators.append(qt)
            for translator in self._translators:
                app.installTranslator(translator)
        self.current = language
        self.changed.emit(language.value)

    def toggle(self) -> None:
        """English to French and back."""
        self.set(Language.FR if self.current is Language.EN else Language.EN)

    def pick(self, en: str, fr: str) -> str:
        """The one of a core text's two languages the screen speaks now."""
        return fr if self.current is Language.FR else en


class Retranslating:
    """Mixin for a widget with a `retranslate()` method: runs it when the language changes.
    Put it before the Qt class: `class Panel(Retranslating, QFrame)`."""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # type: ignore[misc]
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # type: ignore[attr-defined]


_switch: LanguageSwitch | None = None


def language() -> LanguageSwitch:
    """The application's language switch (made with the first call, after QApplication)."""
    global _switch
    if _switch is None:
        _switch = LanguageSwitch()
    return _switch


def pick(en: str, fr: str) -> str:
    """The one of `en` / `fr` the screens speak now."""
    return language().pick(en, fr)


def pick_office(en: str, fr: str | None) -> str:
    """An office text (an event's name, a closure's reason...) in the screens' language:
    its French version on French screens when the office gave one, else the English
    (kiosk/office_texts.py)."""
    return language().pick(en, french(en, fr))
