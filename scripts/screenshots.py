"""Screenshots of every screen, in English and French, at 1366x768 and 1920x1080.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only counter-issue ...]

Builds a demo world around its fixed day (14 Feb 2026, 10:00 in Brussels), opens the
kiosk's window on it (offscreen unless QT_QPA_PLATFORM says otherwise; scripts/
screenshots.sh runs it on Xvfb), signs in as each role through the sign-in screen,
drives each screen into the state shown, and writes <screen>-<lang>-<width>x<height>.png.
After each shot it looks for text that does not fit: a label or button narrower than its
text, a field too narrow for its hint, a window smaller than its layout needs. It prints
what it finds and exits 1 if anything was cut off.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtGui import Qt as QtGuiNamespace  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.window import open_shell  # noqa: E402
from kiosk.model import BRUSSELS, Counter  # noqa: E402
from kiosk.roles import Actor, Role  # noqa: E402
from ui.language import Language, language  # noqa: E402
from ui.shell import Screen, Shell  # noqa: E402
from ui.theme import apply_theme  # noqa: E402

DAY = date(2026, 2, 14)
NOON = datetime(2026, 2, 14, 10, 0, tzinfo=BRUSSELS)
SIZES = ((1366, 768), (1920, 1080))
ACCOUNTS = {
    Role.CLERK: ("clerk", "1111"),
    Role.SUPERVISOR: ("supervisor", "222222"),
    Role.SECURITY: ("security", "3333"),
    Role.ADMINISTRATOR: ("admin", "444444"),
}


def settle(ms: int = 150) -> None:
    """Let Qt lay out and paint."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def settle_layout(window: QWidget, timeout: float = 20.0) -> None:
    """Process events until the window's layout stops moving (two passes alike): on a busy
    machine a fixed pause photographed rows still being laid out, cut off."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        settle(50)
        now = tuple(w.geometry().getRect() for w in window.findChildren(QWidget) if w.isVisible())
        if now == last:
            return
        last = now


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not reach the state to photograph")
        settle(50)


class Session:
    """One window on one demo world, in one language at one size."""

    def __init__(self, data_dir: Path, manifest: dict, lang: Language, size: tuple[int, int]):
        self.data_dir, self.manifest, self.size = data_dir, manifest, size
        self.shell: Shell = open_shell(data_dir, counter=Counter.GROUPS, clock=lambda: NOON)
        language().set(lang)
        self.shell.resize(*size)
        self.shell.show()
        settle()

    def applicant(self, situation: str) -> dict:
        return next(a for a in self.manifest["applicants"] if a["situation"] == situation)

    def sign_in(self, role: Role) -> None:
        """Through the sign-in screen, as a person would."""
        if self.shell.actor and self.shell.actor.role is role:
            return
        self.shell.sign_out()
        name, pin = ACCOUNTS[role]
        form = self.shell.sign_in
        QTest.keyClicks(form.name_field, name)
        QTest.keyClick(form.name_field, Qt.Key.Key_Return)
        QTest.keyClicks(form.pin_field, pin)
        QTest.keyClick(form.pin_field, Qt.Key.Key_Return)
        assert self.shell.actor is not None, form.error.text()
        settle()

    def show(self, screen: Screen) -> QWidget:
        index = next(i for i, p in enumerate(self.shell.pages) if p.screen is screen)
        self.shell.show_page(index)
        settle()
        return self.shell.pages[index].widget

    def counter(self, *scans: str) -> QWidget:
        """The counter screen after Esc and these scans (each one a scanner's burst)."""
        self.sign_in(Role.CLERK)
        screen = self.show(Screen.COUNTER)
        QTest.keyClick(screen, Qt.Key.Key_Escape)
        for text in scans:
            for line in text.splitlines():
                self.shell.route_scan(line)
        settle()
        return screen

    def issue(self, situation: str) -> str:
        """Issue and print with F12 at the counter; the badge's serial."""
        a = self.applicant(situation)
        screen = self.counter(a["code"], a["mrz"])
        presenter = self.shell.current.presenter
        QTest.keyClick(screen, Qt.Key.Key_F12)
        wait_until(lambda: not presenter.busy)
        settle(1500)  # the print follow-up reports the printer's answer
        return self.latest_serial(a["accreditation_id"])

    def latest_serial(self, accreditation_id: int) -> str:
        with self.shell.kiosk.store.reading() as s:
            from sqlalchemy import select

            from kiosk.store.schema import BadgeRow

            return s.scalars(
                select(BadgeRow.serial)
                .where(BadgeRow.accreditation_id == accreditation_id)
                .order_by(BadgeRow.issued_at.desc(), BadgeRow.serial.desc())
            ).first()

    def security(self, serial: str, barcode: bool = False) -> QWidget:
        """The post after a badge's QR code (or, `barcode`, its Code128 serial) is scanned."""
        self.sign_in(Role.SECURITY)
        screen = self.show(Screen.SECURITY)
        code = serial if barcode else self.shell.kiosk.desk.cards.card(serial).badge_code
        self.shell.route_scan(code)
        settle()
        return screen


def scenes(s: Session) -> Iterator[tuple[str, Callable[[], object]]]:
    """(name, what brings the screen to it), in an order that builds the state each needs."""
    yield "sign-in", lambda: s.shell.sign_out()
    yield "counter-waiting", lambda: s.counter()
    yield "counter-scan-id", lambda: s.counter(s.applicant("approved_ministerial")["code"])
    a = s.applicant("approved_ministerial")
    yield "counter-issue", lambda: s.counter(a["code"], a["mrz"])
    yield "counter-redirect", lambda: s.counter(s.applicant("approved_annual")["code"])
    b = s.applicant("wrong_id_document")
    yield "counter-supervisor", lambda: s.counter(b["code"], b["mrz"])
    c = s.applicant("impostor_document")
    yield "counter-refuse", lambda: s.counter(c["code"], c["mrz"])
    yield "counter-press-card", lambda: press_card(s)
    yield "pool-desk", lambda: pool_desk(s)
    yield "counter-printed", lambda: s.issue("pool_photographer")
    yield "counter-print-failed", lambda: print_failed(s)
    yield "counter-send-to", lambda: send_to(s)
    yield "counter-next-after-failure", lambda: s.counter(a["code"], a["mrz"])
    yield "counter-supervisor-prompt", lambda: supervisor_prompt(s, b)
    yield "counter-photo-dialog", lambda: photo_dialog(s, s.applicant("no_photo"))
    yield "counter-revoked", lambda: revoked(s, "crew_group_letter")
    yield "sign-in-scan", lambda: (s.shell.sign_out(), s.shell.route_scan(a["code"]))
    yield "security-valid", lambda: s.security(valid_serial(s))
    yield "security-serial", lambda: s.security(valid_serial(s), barcode=True)
    yield "security-not-valid", lambda: s.security(superseded_serial(s))
    lost = s.applicant("badge_reported_lost")["prior_badge"]["serial"]
    yield "security-lost", lambda: s.security(lost)
    yield "badge-life", lambda: badge_life(s, lost)
    pending = s.applicant("pending")
    yield (
        "counter-handoff",
        lambda: handoff(s, pending["registration"], pending["code"], pending["mrz"]),
    )
    for screen, name in (
        (Screen.SUPERVISOR, "supervisor-tools"),
        (Screen.OVERVIEW, "day-overview"),
    ):
        yield name, lambda screen=screen: (s.sign_in(Role.SUPERVISOR), s.show(screen))
    yield "template-preview", lambda: (s.sign_in(Role.ADMINISTRATOR), s.show(Screen.TEMPLATES))
    yield "settings", lambda: (s.sign_in(Role.ADMINISTRATOR), s.show(Screen.SETTINGS))
    yield "counter-offline", lambda: offline(s)  # last: it enrols the store with a hub


def press_card(s: Session) -> None:
    """Another press card than the one used to apply, recorded at the counter."""
    a = s.applicant("approved_ministerial")
    screen = s.counter(a["code"], a["mrz"])
    form = screen.press_card_form
    for field, text in ((form.number, "PC-FRA-99999"), (form.issuer, "CCIJP"),
                        (form.expiry, "2027-12-31")):  # fmt: skip
        field.setText(text)
    form.record()
    settle()


def pool_desk(s: Session) -> None:
    """The pool desk on the official photo's list, one card handed out."""
    s.sign_in(Role.CLERK)
    desk = s.show(Screen.POOL)
    desk.moment_box.setCurrentIndex(desk.moment_box.findData("DEFMIN-PHOTO"))
    desk.scan(s.applicant("pool_photographer")["code"])
    if desk.selected() and desk.selected().state == "waiting":
        desk.hand_out()
    settle()


def badge_life(s: Session, serial: str) -> QWidget:
    """The supervisor's badge life screen: the history of the demo's lost badge."""
    s.sign_in(Role.SUPERVISOR)
    screen = s.show(Screen.BADGE_LIFE)
    screen.serial.setText(serial)
    screen.show_history()
    wait_until(lambda: screen.table.rowCount() > 0)
    settle()
    return screen


def handoff(s: Session, registration: str, *scans: str) -> QWidget:
    """A pending applicant at the counter, the hand-off slip given (F7)."""
    screen = s.counter(*scans)
    QTest.keyClick(screen, Qt.Key.Key_F7)
    wait_until(lambda: registration in screen.status.text())
    settle()
    return screen


def print_failed(s: Session) -> None:
    """The folder printer's folder cannot be written: the badge is issued, not printed."""
    printed = s.data_dir / "printed"
    shutil.rmtree(printed, ignore_errors=True)
    printed.write_text("not a folder")
    try:
        s.issue("editor_letter")
    finally:
        printed.unlink()


def send_to(s: Session) -> None:
    """The printer list (F8) over the failed print, opened as the screen opens it."""
    from ui.print_panel import PrinterDialog

    screen, presenter = s.shell.current.widget, s.shell.current.presenter
    view = presenter.print
    dialog = PrinterDialog(
        presenter.printers(),
        view.printer or presenter.counter_printer(),
        screen,
        counter=presenter.counter_printer(),
        badge=f"{view.serial} ({view.holder})",
    )
    dialog.show()  # the screen's exec() would wait here for the clerk


def supervisor_prompt(s: Session, applicant: dict) -> None:
    """The supervisor's dialog (F9) over a soft refusal."""
    from kiosk.roles import Action
    from ui.language import pick
    from ui.supervisor_prompt import SupervisorPrompt

    screen = s.counter(applicant["code"], applicant["mrz"])
    d = s.shell.current.presenter.decision
    what = QCoreApplication.translate("CounterScreen", "Supervisor override: {why}")
    what = what.format(why=pick(d.headline_en, d.headline_fr))
    SupervisorPrompt(s.shell.kiosk.staff, what, Action.OVERRIDE, screen).show()


def photo_dialog(s: Session, applicant: dict) -> None:
    """The desk's photo dialog over an applicant without a photo, a photo taken from a
    folder camera: a real face (tests/data/face.jpg, public domain) before the counter's
    wall; the demo world's drawn portraits are not faces to the face check."""
    import cv2
    import numpy as np

    from ui.photo_dialog import PhotoDialog

    screen = s.counter(applicant["code"], applicant["mrz"])
    case = s.shell.current.presenter.decision.case
    folder = s.data_dir / "photo-camera"
    if not folder.exists():
        folder.mkdir()
        frame = np.full((480, 640, 3), 200, np.uint8)
        frame[9:472, 140:500] = cv2.imread(str(ROOT / "tests" / "data" / "face.jpg"))
        cv2.imwrite(str(folder / "000.png"), frame)
    name = f"{case.person.given_names} {case.person.surname}"
    clerk = Actor("clerk", Role.CLERK)
    dialog = PhotoDialog(s.shell.kiosk, case.person.id, name, clerk, str(folder), screen)
    dialog.show()
    dialog.take()


def revoked(s: Session, situation: str) -> None:
    """A badge just printed, then the office's revocation, written to the store as a sync
    round applies it, and the screen told that new data came in (as sync tells it)."""
    from kiosk.model import BadgeStatus, Status
    from kiosk.store.schema import AccreditationRow, BadgeRow

    serial = s.issue(situation)
    a = s.applicant(situation)
    with s.shell.kiosk.store.writing() as session:
        session.get(AccreditationRow, a["accreditation_id"]).status = Status.REVOKED.value
        session.get(BadgeRow, serial).status = BadgeStatus.REVOKED.value
    s.shell.current.presenter.refresh()


def offline(s: Session) -> None:
    """The counter of a kiosk enrolled with a hub that does not answer: it last synced
    twelve minutes ago, and its journal (the demo's badges included) waits to be sent."""
    from datetime import timedelta

    from hub.clients import Role as HubRole
    from hub.clients import enrol as hub_enrol
    from hub.clients import enrolment
    from hub.database import HubDatabase
    from sync.state import enrol, record_attempt

    hub = HubDatabase(f"sqlite:///{s.data_dir.parent / f'hub-{s.data_dir.name}.sqlite3'}")
    token = hub_enrol(hub, "G1", HubRole.COUNTER)
    nobody = "http://127.0.0.1:9"  # the discard port: nothing answers
    content = enrolment(hub, "G1", HubRole.COUNTER, token, nobody)
    hub.close()
    lang = language().current
    s.shell.close()
    store = open_kiosk_store(s.data_dir)
    enrol(store.store, content)
    record_attempt(store.store, NOON - timedelta(minutes=12))
    store.close()
    s.shell = open_shell(s.data_dir, counter=Counter.GROUPS, clock=lambda: NOON)
    language().set(lang)
    s.shell.resize(*s.size)
    s.shell.show()
    s.sign_in(Role.CLERK)
    screen = s.show(Screen.COUNTER)
    wait_until(
        lambda: "Offline" in screen.sync_bar.state.text() or "Hors" in screen.sync_bar.state.text()
    )


def open_kiosk_store(data_dir: Path):
    """The kiosk's services on `data_dir`, at the demo's fixed hour."""
    from app.wiring import open_kiosk

    return open_kiosk(data_dir, Counter.GROUPS, clock=lambda: NOON)


def valid_serial(s: Session) -> str:
    """The pool photographer's badge, issued at the counter if it was not yet."""
    a = s.applicant("pool_photographer")
    return s.latest_serial(a["accreditation_id"]) or s.issue("pool_photographer")


def superseded_serial(s: Session) -> str:
    """The pool photographer's first badge, after a supervisor reprinted it."""
    from app.wiring import read_mrz

    a = s.applicant("pool_photographer")
    first = valid_serial(s)

    clerk = Actor("clerk", Role.CLERK)
    done = s.shell.kiosk.desk.issue(
        a["code"], read_mrz(a["mrz"]), clerk, Actor("supervisor", Role.SUPERVISOR), "damaged"
    )
    assert first in done.superseded
    s.shell.kiosk.printing.print_issued(
        done.badge.serial, clerk
    )  # the new card printed, as at a counter
    return first


# --- what does not fit ----------------------------------------------------------------


def cut_off(window: QWidget, screen: tuple[int, int]) -> list[str]:
    """Visible texts that do not fit their widget, a window smaller than its layout or
    grown past the `screen` it was sized to (Qt grows a window to its layout's minimum,
    so on that screen its edge, Sign out included, would be off it), and fields without
    an accessible name."""
    found = []
    if window.width() > screen[0] or window.height() > screen[1]:
        found.append(
            f"window grew to {window.width()}x{window.height()}, past the "
            f"{screen[0]}x{screen[1]} screen"
        )
    need = window.minimumSizeHint()
    if need.width() > window.width() or need.height() > window.height():
        found.append(
            f"window {window.width()}x{window.height()} is smaller than its layout needs "
            f"({need.width()}x{need.height()})"
        )
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 1:
            continue
        problem = _widget_cut(w) or _unnamed(w)
        if problem:
            found.append(f"{type(w).__name__} {w.objectName() or ''}: {problem}")
    return found


def _unnamed(w: QWidget) -> str | None:
    """A control a screen reader could not name: a field or list without an accessible
    name (a button's or a label's own text names it)."""
    named = w.accessibleName() or (isinstance(w, QAbstractButton) and w.text())
    takes_input = isinstance(w, (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView))
    part_of_another = isinstance(w, QHeaderView) or isinstance(
        w.parentWidget(), (QAbstractSpinBox, QComboBox)
    )
    if takes_input and not part_of_another and not named and not _has_buddy(w):
        return "no accessible name"
    return None


def _has_buddy(w: QWidget) -> bool:
    """A form's label points at it (QLabel.setBuddy), which names it to screen readers."""
    return any(label.buddy() is w for label in w.window().findChildren(QLabel))


def _widget_cut(w: QWidget) -> str | None:
    if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
        return _label_cut(w)
    if isinstance(w, QAbstractButton) and w.text():
        hint = w.sizeHint()
        if hint.width() > w.width() + 1:
            return f"{w.text()!r} needs {hint.width()} px, has {w.width()}"
    if isinstance(w, QLineEdit) and w.placeholderText() and not w.text():
        room = w.width() - 24  # frame and padding
        needed = w.fontMetrics().horizontalAdvance(w.placeholderText())
        if needed > room:
            return f"hint {w.placeholderText()!r} needs {needed} px, has {room}"
    if isinstance(w, QComboBox) and w.currentText():
        hint = w.sizeHint()
        if hint.width() > w.width() + 1:
            return f"{w.currentText()!r} needs {hint.width()} px, has {w.width()}"
    return None


def _label_cut(label: QLabel) -> str | None:
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText
        and QtGuiNamespace.mightBeRichText(label.text())
    ):
        return None
    if label.wordWrap():  # heightForWidth counts the margins and padding, as height() does
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return f"{label.text()[:40]!r}… needs {needed} px high, has {label.height()}"
        return None
    room = label.contentsRect()
    text = label.text()
    if label.buddy() is not None:  # "&Name" shows as "Name" with N underlined
        text = re.sub(r"&(.)", r"\1", text)
    metrics = label.fontMetrics()
    widest = max(metrics.horizontalAdvance(line) for line in text.splitlines())
    if widest > room.width() + 1:
        return f"{label.text()!r} needs {widest} px, has {room.width()}"
    return None


# --- the run --------------------------------------------------------------------------


def with_dialogs(shell: QWidget) -> QPixmap:
    """The window with the dialogs open over it, where they stand."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QDialog

    pixmap = shell.grab()
    painter = QPainter(pixmap)
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            painter.drawPixmap(w.frameGeometry().topLeft() - shell.geometry().topLeft(), w.grab())
    painter.end()
    return pixmap


def close_dialogs() -> None:
    """Dialogs a scene opened are closed before the next."""
    from PySide6.QtWidgets import QDialog

    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            w.close()
    settle()


def save_png(pixmap: QPixmap, path: Path) -> None:
    """A 256-colour PNG: a third of the full-colour file, no visible loss on a screen."""
    from PIL import Image

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    with Image.open(io.BytesIO(buffer.data().data())) as image:
        image.convert("RGB").quantize(256).save(path, optimize=True)


def demo_world(into: Path, built: Path | None = None) -> tuple[Path, dict]:
    """A demo world around DAY: `built` if given (each session copies it, none writes to
    it), else a new one in `into`."""
    if built is None:
        from app.demo.build import build

        build(into, people=60, today=DAY)
    world = built or into
    manifest = json.loads((world / "scenarios.json").read_text())
    if manifest["today"] != DAY.isoformat():
        raise SystemExit(f"{world} is a demo world around {manifest['today']}, not {DAY}")
    return world, manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--only", nargs="*", help="scene names (default: all)")
    p.add_argument("--langs", nargs="*", default=["en", "fr"])
    p.add_argument("--sizes", nargs="*", default=[f"{w}x{h}" for w, h in SIZES])
    p.add_argument(
        "--world",
        type=Path,
        help="a demo world built around the same day to shoot instead of building one "
        "(the tests pass the one they built already)",
    )
    args = p.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app)
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        master, manifest = demo_world(Path(tmp) / "master", args.world)
        for lang in args.langs:
            for size_text in args.sizes:
                size = tuple(int(n) for n in size_text.split("x"))
                data = Path(tmp) / f"{lang}-{size_text}"
                shutil.copytree(master, data)
                problems += shoot(Session(data, manifest, Language(lang), size), args)
    print(f"screenshots: {problems} problem(s)")
    return 1 if problems else 0


def shoot(s: Session, args: argparse.Namespace) -> int:
    """Every scene of one session; the number of problems found."""
    problems = 0
    lang = language().current.value
    size = f"{s.size[0]}x{s.size[1]}"
    try:
        for name, reach in scenes(s):
            if args.only and name not in args.only:
                continue
            try:
                reach()
            except (StopIteration, ImportError) as err:
                print(f"{name}-{lang}-{size}: SKIPPED, the screen is not there ({err})")
                continue
            language().set(Language(lang))  # a sign-out returns to the default language
            settle_layout(s.shell)
            path = args.out / f"{name}-{lang}-{size}.png"
            save_png(with_dialogs(s.shell), path)
            found = cut_off(s.shell, s.size)
            close_dialogs()
            problems += len(found)
            print(f"{path.name}: {'ok' if not found else 'PROBLEMS'}")
            for f in found:
                print(f"    {f}")
    finally:
        s.shell.close()
        s.shell.deleteLater()
        settle()
    return problems


if __name__ == "__main__":
    sys.exit(main())
