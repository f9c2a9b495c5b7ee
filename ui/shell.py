"""The application shell: sign-in, the screens a role may use, language, idle sign-out.

One main window for the life of the kiosk. Nobody signed in: the sign-in screen. Signed
in: a top bar (who and in which role, the screens of that role, the language switch,
Sign out) above the role's screens, built afresh for each sign-in with the signed-in
Actor and thrown away at sign-out. A USB scanner's burst (ui/scanner_input.py, watched
application-wide) goes to the screen in front; at the sign-in screen it is never typed
into a field: the screen says to sign in first, then scan again. After `idle_minutes`
without a key or a click the kiosk signs out by itself; within seconds of an account
being disabled or given another role (by an administrator here, or by the hub's feed in
a sync round), its open session ends and the sign-in screen says why.

In kiosk mode the window fills the screen without decorations and cannot be closed:
only Sign out, and the administrator's Quit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.roles import Action, Actor, Role, allowed
from ui.language import Language, Retranslating, language
from ui.nav_button import NavButton
from ui.plain_label import Label
from ui.scanner_input import ScannerInput
from ui.settings import KioskSettings
from ui.sign_in import SignInScreen, role_name

if TYPE_CHECKING:
    from kiosk.chip_check import ChipLink
    from kiosk.services import Kiosk
    from ui.camera_view import CameraWorker

log = logging.getLogger(__name__)

TITLE = "Pass Office Kiosk"  # the window's name, the same in both languages
ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}
WATCH_MS = 3000  # how often an open session's account is read again


class Screen(StrEnum):
    """The screens of the kiosk."""

    COUNTER = "counter"
    SUPERVISOR = "supervisor"
    BADGE_LIFE = "badge_life"
    OVERVIEW = "overview"
    SECURITY = "security"
    SETTINGS = "settings"
    TEMPLATES = "templates"
    POOL = "pool"


# What each role sees, first screen first; each screen also needs its action allowed
# to the role (kiosk.roles), so the two tables cannot drift apart unnoticed.
SCREENS: dict[Role, tuple[Screen, ...]] = {
    Role.CLERK: (Screen.COUNTER, Screen.POOL),
    Role.SUPERVISOR: (
        Screen.COUNTER,
        Screen.SUPERVISOR,
        Screen.OVERVIEW,
        Screen.POOL,
        Screen.BADGE_LIFE,
    ),
    Role.SECURITY: (Screen.SECURITY,),
    Role.ADMINISTRATOR: (Screen.SETTINGS, Screen.OVERVIEW, Screen.TEMPLATES),
}
NEEDS: dict[Screen, Action | None] = {
    Screen.COUNTER: Action.CHECK,
    Screen.SUPERVISOR: Action.OVERRIDE,
    Screen.BADGE_LIFE: Action.VOID_BADGE,
    Screen.OVERVIEW: None,  # read-only figures of the day
    Screen.SECURITY: Action.VERIFY_BADGE,
    Screen.SETTINGS: Action.SETTINGS,
    Screen.TEMPLATES: Action.SETTINGS,
    Screen.POOL: Action.POOL_CARDS,
}


def screens_for(role: Role) -> tuple[Screen, ...]:
    """The screens `role` may use, in the order the top bar shows them."""
    return tuple(s for s in SCREENS[role] if NEEDS[s] is None or allowed(role, NEEDS[s]))


@dataclass
class Page:
    """One screen built for the signed-in person, and where scans go while it is shown."""

    screen: Screen
    widget: QWidget
    scan: Callable[[str], None] | None
    presenter: QObject | None = None


class Shell(Retranslating, QMainWindow):
    """The kiosk's one window."""

    def __init__(
        self,
        kiosk: Kiosk,
        settings: KioskSettings,
        *,
        roles: Collection[Role] = tuple(Role),
        camera: CameraWorker | None = None,
        sync: object | None = None,
        event_id: str | None = None,
        kiosk_mode: bool = False,
        idle_ms: int | None = None,
        chip_reader: ChipLink | None = None,
    ) -> None:
        super().__init__()
        self.kiosk, self.settings = kiosk, settings
        self.camera, self.sync, self.event_id = camera, sync, event_id
        self.chip_reader = chip_reader  # reads a passport's chip (ui/chip_state.py), or None
        self.kiosk_mode = kiosk_mode
        self.actor: Actor | None = None
        self.pages: list[Page] = []
        self._quitting = False
        self.setWindowTitle(TITLE)
        self.sign_in = SignInScreen(kiosk.staff, roles)
        self.sign_in.signed_in.connect(self.open_session)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in)
        root = QWidget()
        col = QVBoxLayout(root)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self._top_bar())
        col.addWidget(self.stack, 1)
        self.setCentralWidget(root)
        self.idle = QTimer(self, singleShot=True)
        self._idle_ms = idle_ms  # a fixed idle time (tests) instead of the settings'
        self.idle.setInterval(idle_ms or settings.idle_minutes * 60_000)
        self.idle.timeout.connect(self._idle_timeout)
        self.watch = QTimer(self, interval=WATCH_MS)  # the account, still as signed in?
        self.watch.timeout.connect(self.check_account)
        self.scanners = ScannerInput(parent=self)
        self.scanners.scanned.connect(self.route_scan)
        app = QApplication.instance()
        app.installEventFilter(self.scanners)
        app.installEventFilter(self)  # after the scanners: sees every key first
        language().changed.connect(self._language_changed)
        if kiosk_mode:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.retranslate()
        self._show_signed_in()

    # --- the top bar ---------------------------------------------------------------

    def _top_bar(self) -> QWidget:
        self.top_bar = bar = QWidget()
        bar.setObjectName("topBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 6, 10, 6)
        self.who = Label()
        self.who.setObjectName("who")
        row.addWidget(self.who)
        row.addSpacing(16)
        self.nav = QHBoxLayout()
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_group.idClicked.connect(self.show_page)
        row.addLayout(self.nav)
        row.addStretch(1)
        self.language_button = self._bar_button("language", self.toggle_language)
        self.quit_button = self._bar_button("quit", self.quit)
        self.sign_out_button = self._bar_button("signOut", self.sign_out)
        for b in (self.language_button, self.quit_button, self.sign_out_button):
            row.addWidget(b)
        return bar

    @staticmethod
    def _bar_button(name: str, action: Callable[[], object]) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        # Never takes the focus from a scan field; reached by its key from anywhere.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: action())
        return button

    def retranslate(self) -> None:
        """The top bar's texts in the language the screens speak now."""
        fr = language().current is Language.FR
        self.language_button.setText("English" if fr else "Français")
        self.language_button.setAccessibleName(self.tr("Switch the screens to English or French"))
        self.language_button.setToolTip("Ctrl+L")
        self.sign_out_button.setText(self.tr("Sign out") + " [Ctrl+Q]")
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        self.quit_button.setText(self.tr("Quit the kiosk"))
        if self.actor is None:
            self.who.setText(self.tr("Not signed in"))
        else:
            self.who.setText(
                self.tr("{name} — {role}").format(
                    name=self.actor.name, role=role_name(self.actor.role)
                )
            )
        for i, page in enumerate(self.pages):
            self.nav_group.button(i).set_label(self._screen_title(page.screen), f"Ctrl+{i + 1}")
        self._fit_nav()

    def _fit_nav(self) -> None:
        """Every screen button with its key while the window has room for all of them, else
        each with its title alone (ui/nav_button.py)."""
        buttons = self.nav_group.buttons()
        for button in buttons:
            button.ensurePolished()  # measured in the stylesheet's font and padding
        self.nav.invalidate()  # buttons added or renamed since the bar last measured
        self.top_bar.layout().invalidate()
        titles = self.top_bar.minimumSizeHint().width()  # every button with its title alone
        full = titles + sum(b.extra_for_keys() for b in buttons)
        compact = self.width() < full
        for button in buttons:
            button.set_compact(compact)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The screen buttons' keys shown or not, for the new width."""
        super().resizeEvent(event)
        self._fit_nav()

    def _screen_title(self, screen: Screen) -> str:
        return {
            Screen.COUNTER: self.tr("Counter"),
            Screen.SUPERVISOR: self.tr("Supervisor tools"),
            Screen.BADGE_LIFE: self.tr("Badge life"),
            Screen.OVERVIEW: self.tr("Day overview"),
            Screen.SECURITY: self.tr("Security post"),
            Screen.SETTINGS: self.tr("Settings"),
            Screen.TEMPLATES: self.tr("Badge templates"),
            Screen.POOL: self.tr("Pool desk"),
        }[screen]

    def _language_changed(self, _code: str) -> None:
        self.retranslate()  # the button names the other language even before Qt's event

    def toggle_language(self) -> None:
        """English to French and back, every screen at once."""
        language().toggle()

    # --- signing in and out --------------------------------------------------------

    def open_session(self, actor: Actor) -> None:
        """Build the screens of `actor`'s role and show the first."""
        self.actor = actor
        for screen in screens_for(actor.role):
            page = self._build(screen, actor)
            if page is None:
                continue
            button = NavButton()
            self.nav_group.addButton(button, len(self.pages))
            self.nav.addWidget(button)
            button.show()  # counted by the bar at once (_fit_nav), not at the next event
            self.stack.addWidget(page.widget)
            self.pages.append(page)
        log.info("%s signed in as %s: %s", actor.name, actor.role, [p.screen for p in self.pages])
        self._show_signed_in()
        self.retranslate()
        if self.pages:
            self.show_page(0)
        self.idle.start()
        self.watch.start()

    def _build(self, screen: Screen, actor: Actor) -> Page | None:
        """The screen `screen` for `actor`, or None (logged) if its module is missing."""
        try:
            return build_page(self, screen, actor)
        except ImportError as err:
            log.error("the %s screen is not available: %s", screen, err)
            return None

    def sign_out(self, why: str = "") -> None:
        """Journal the sign-out (`why` the kiosk did it: "idle", "stopped") and go back to
        the sign-in screen in the default language. Work under way (a badge printing)
        finishes in the background, journalled under the name of whoever started it."""
        if self.actor is None:
            return
        self._close_dialogs()
        actor, self.actor = self.actor, None
        self.kiosk.staff.sign_out(actor, why)
        self.idle.stop()
        self.watch.stop()
        for i, page in enumerate(self.pages):
            button = self.nav_group.button(i)
            self.nav_group.removeButton(button)
            self.nav.removeWidget(button)
            button.hide()  # gone from the bar now, deleted when the event loop comes back
            button.deleteLater()
            self.stack.removeWidget(page.widget)
        self._retire([o for p in self.pages for o in (p.widget, p.presenter) if o is not None])
        self.pages.clear()
        if language().current.value != self.settings.language:
            language().set(Language(self.settings.language))
        self.sign_in.reset()
        self._show_signed_in()
        self.retranslate()
        log.info("%s signed out", actor.name)

    def _retire(self, objects: list[QObject]) -> None:
        """Delete a signed-out person's screens once their background jobs are done: a job
        reporting to a screen already deleted would fail in its thread."""
        pools = [pool for o in objects for pool in o.findChildren(QThreadPool)]
        if any(pool.activeThreadCount() for pool in pools):
            QTimer.singleShot(100, self, lambda: self._retire(objects))
            return
        for o in objects:
            o.deleteLater()

    @staticmethod
    def _close_dialogs() -> None:
        """A dialog left open by the person leaving is closed, not handed to the next."""
        while (dialog := QApplication.activeModalWidget()) is not None:
            dialog.close()
            if QApplication.activeModalWidget() is dialog:
                break

    def apply_settings(self, settings: KioskSettings) -> None:
        """Settings just saved: the idle time from now on, the language from the next
        sign-out (the counter and the camera wait for the next start)."""
        self.settings = settings
        self.idle.setInterval(self._idle_ms or settings.idle_minutes * 60_000)
        if self.actor is not None:
            self.idle.start()

    def _idle_timeout(self) -> None:
        log.info("idle for %d ms: signing out", self.idle.interval())
        self.sign_out("idle")

    def check_account(self) -> None:
        """End the open session if its account was disabled or given another role since
        it signed in; the sign-in screen says why."""
        if self.actor is None:
            return
        stopped = self.kiosk.staff.session_stopped(self.actor)
        if stopped is None:
            return
        log.warning("ending %s's session: %s", self.actor.name, stopped.message_en)
        self.sign_out("stopped")
        self.sign_in.say(stopped.message_en, stopped.message_fr)

    def _show_signed_in(self) -> None:
        signed_in = self.actor is not None
        self.sign_out_button.setVisible(signed_in)
        self.quit_button.setVisible(
            self.kiosk_mode and signed_in and self.actor.role is Role.ADMINISTRATOR
        )
        if not signed_in:
            self.stack.setCurrentWidget(self.sign_in)
            self.sign_in.name_field.setFocus()

    # --- screens, keys and scans ---------------------------------------------------

    @property
    def current(self) -> Page | None:
        """The page in front, or None at the sign-in screen."""
        widget = self.stack.currentWidget()
        return next((p for p in self.pages if p.widget is widget), None)

    def show_page(self, index: int) -> None:
        """Bring the signed-in person's screen number `index` (from 0) to the front."""
        if not 0 <= index < len(self.pages):
            return
        self.nav_group.button(index).setChecked(True)
        widget = self.pages[index].widget
        self.stack.setCurrentWidget(widget)
        focus = getattr(widget, "scan_field", None) or widget
        focus.setFocus()

    def route_scan(self, text: str) -> None:
        """A scanner's burst: to the screen in front; at the sign-in screen, a word that
        nobody is signed in (the scan itself is not kept)."""
        page = self.current
        if page is None and self.stack.currentWidget() is self.sign_in:
            self.sign_in.scan_refused()
            return
        if page is None or page.scan is None:
            log.info("scan dropped: no screen in front takes scans")
            return
        page.scan(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+1.. screens, Ctrl+L language, Ctrl+Q sign out (keys no screen took)."""
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        key = event.key()
        if ctrl and Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and self.actor:
            self.show_page(key - Qt.Key.Key_1)
        elif ctrl and key == Qt.Key.Key_L:
            self.toggle_language()
        elif ctrl and key == Qt.Key.Key_Q:
            self.sign_out()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any key, click or wheel turn anywhere in the application restarts the idle
        countdown."""
        if event.type() in ACTIVITY and self.actor is not None:
            self.idle.start()
        return False

    # --- closing -------------------------------------------------------------------

    def quit(self) -> None:
        """The administrator's Quit (and the end of a normal window's life)."""
        self._quitting = True
        self.close()
        QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """A kiosk-mode window does not close but through Quit; otherwise sign out first."""
        if self.kiosk_mode and not self._quitting:
            event.ignore()
            return
        self.sign_out()
        app = QApplication.instance()
        app.removeEventFilter(self.scanners)
        app.removeEventFilter(self)
        super().closeEvent(event)


def build_page(shell: Shell, screen: Screen, actor: Actor) -> Page:
    """Build one screen for `actor` (imports lazily: a screen's module loads when a role
    that uses it signs in)."""
    kiosk = shell.kiosk
    if screen is Screen.COUNTER:
        from ui.counter_window import CounterScreen
        from ui.presenter import CounterPresenter
        from ui.tones import Tones

        presenter = CounterPresenter(kiosk, actor, shell.chip_reader)
        tones = Tones(shell.settings.tones)
        widget = CounterScreen(presenter, shell.camera, shell.sync, tones)
        return Page(screen, widget, presenter.scan, presenter)
    if screen is Screen.SECURITY:
        from ui.security_window import SecurityPresenter, SecurityScreen
        from ui.tones import Tones

        limit = timedelta(minutes=shell.settings.post_data_limit_minutes)
        post = kiosk.security_post(shell.event_id, limit)
        security = SecurityPresenter(post, kiosk.post_journal(shell.event_id), actor)
        security.account_stopped.connect(shell.check_account)
        widget = SecurityScreen(security, Tones(shell.settings.tones))
        return Page(screen, widget, security.scan, security)
    if screen is Screen.SETTINGS:
        from ui.settings_screen import SettingsScreen

        widget = SettingsScreen(kiosk, actor, kiosk.data_dir)
        widget.saved.connect(shell.apply_settings)
        return Page(screen, widget, None)
    if screen is Screen.SUPERVISOR:
        from ui.supervisor_screen import SupervisorScreen

        widget = SupervisorScreen(kiosk, actor)
    elif screen is Screen.BADGE_LIFE:
        from ui.badge_life_screen import BadgeLifeScreen

        widget = BadgeLifeScreen(kiosk, actor)
    elif screen is Screen.OVERVIEW:
        from ui.overview_screen import OverviewScreen

        widget = OverviewScreen(kiosk, actor, sync=shell.sync)
    elif screen is Screen.POOL:
        from ui.pool_desk import PoolDeskScreen

        widget = PoolDeskScreen(kiosk, actor)
    else:
        from ui.template_screen import TemplateScreen

        widget = TemplateScreen(kiosk, actor)
    return Page(screen, widget, getattr(widget, "scan", None))
