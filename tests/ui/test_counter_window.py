"""The counter screen driven as a clerk would: scans typed into the scan field, F-keys,
the print panel's buttons, a supervisor's name and PIN in the dialog; with the real store,
the folder printer and the real badge preview."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLineEdit, QListWidget
from sqlalchemy import select

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BadgeStatus, Counter
from kiosk.roles import Actor, Role
from kiosk.store.schema import BadgeRow, JournalRow
from printing.printers import printed_dir
from ui.counter_window import CounterScreen
from ui.language import Language, language
from ui.pictogram import Shape
from ui.presenter import CounterPresenter, PrintPhase
from ui.theme import MUTED
from ui.tones import Tone

CLERK = Actor("ann", Role.CLERK)


@pytest.fixture
def screen_at(qtbot, demo_dir, demo_now):
    """Counter screens on a private demo world, shown at the counter's 1366x768."""
    made = []

    def make(counter: Counter = Counter.GROUPS, actor: Actor = CLERK) -> CounterScreen:
        kiosk = open_kiosk(demo_dir, counter, clock=lambda: demo_now)
        kiosk.printing.poll = 0.05
        w = CounterScreen(CounterPresenter(kiosk, actor))
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        made.append(w)
        idle(qtbot, w)  # the start-up look for unfinished prints
        return w

    yield make
    for w in made:
        w.p.background.wait()
        w.preview.background.wait()
        w.p.kiosk.close()


@pytest.fixture(autouse=True)
def english():
    yield
    if language().current is not Language.EN:
        speak(Language.EN)


def applicant(manifest, situation: str) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == situation)


def speak(lang: Language) -> None:
    """Switch the language and let every widget retranslate (Qt posts LanguageChange)."""
    language().set(lang)
    QApplication.processEvents()


def phase(w) -> PrintPhase | None:
    """Where the badge on the print panel stands (None: no badge there)."""
    return w.p.print.phase if w.p.print else None


def scan(qtbot, w, text: str) -> None:
    """Type one scanned line into the scan field and press Enter, line by line."""
    for line in text.splitlines():
        qtbot.keyClicks(w.scan_field, line)
        qtbot.keyClick(w.scan_field, Qt.Key.Key_Return)


def idle(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.p.busy, timeout=60_000)


def press(qtbot, w, key: Qt.Key) -> None:
    qtbot.keyClick(w.scan_field, key)


def on_next_dialog(act) -> None:
    """Run `act(dialog)` on the next modal dialog once it is up (exec() blocks the test)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def journal(w, action: str) -> list[JournalRow]:
    with w.p.kiosk.store.reading() as s:
        rows = s.scalars(select(JournalRow).where(JournalRow.action == action)).all()
        s.expunge_all()
        return list(rows)


def issue_and_wait(qtbot, w) -> None:
    press(qtbot, w, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: w.p.print is not None and not w.p.print.phase.waiting, timeout=60_000)
    idle(qtbot, w)


def test_approved_applicant_is_issued_and_printed(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    assert w.focusWidget() is w.scan_field  # what a scanner types lands there
    scan(qtbot, w, a["code"])
    assert w.banner.text() == "SCAN THE ID DOCUMENT"
    assert not w.issue_button.isEnabled()
    assert w.fields["name"][0].text().startswith("LEFÈVRE")
    scan(qtbot, w, a["mrz"])
    assert w.banner.text() == "ISSUE THE BADGE"
    assert w.issue_button.isEnabled()
    assert w.fields["document"][0].text() == "…731"  # the store keeps a keyed hash and tail
    assert w.fields["document"][1].text() == "E01FR7731"  # as the document says
    assert not w.photo.pixmap().isNull()

    issue_and_wait(qtbot, w)
    serial = w.p.print.serial
    assert w.p.print.phase is PrintPhase.PRINTED
    # The demo counter prints on the folder printer: a PDF file, never "hand it over".
    assert w.banner.text() == "NO CARD PRINTED: PDF ONLY"
    assert w.print_panel.headline.text() == (
        f"No card printed: badge {serial} was saved as a PDF file"
    )
    assert "LEFÈVRE, Camille" in w.print_panel.detail.text()
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert (printed_dir(w.p.kiosk.data_dir) / f"{serial}.pdf").read_bytes().startswith(b"%PDF")
    assert not w.issue_button.isEnabled()  # issued: F12 does not issue twice
    assert not w.override_button.isEnabled()
    qtbot.waitUntil(lambda: w.preview.shown, timeout=60_000)
    assert not w.preview.pixmap().isNull()
    assert serial in [r.badge_serial for r in journal(w, "issue")]

    press(qtbot, w, Qt.Key.Key_Escape)  # next applicant: the panel and preview clear
    assert w.banner.text() == "SCAN THE CONFIRMATION CODE"
    assert w.p.print is None and not w.preview.shown


def test_pool_entitlement_is_shown_and_sent_to_the_pool_desk_not_printed(
    qtbot, screen_at, manifest
):
    w = screen_at()
    a = applicant(manifest, "pool_photographer")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    assert w.fields["pool"][0].text() == "Entitled: pool cards are handed out at the pool desk"
    speak(Language.FR)
    assert w.fields["pool"][0].text() == "Oui : les cartes de pool sont remises au guichet du pool"
    speak(Language.EN)
    issue_and_wait(qtbot, w)
    assert w.print_panel.pool_note.isVisible()
    assert "not printed on the badge" in w.print_panel.pool_note.text()
    card = w.p.kiosk.desk.cards.card(w.p.print.serial)
    assert not card.pool and w.p.kiosk.printing.templates.for_card(card).kind == "event"


def test_the_hours_line_in_french_puts_a_space_before_each_colon(qtbot, screen_at):
    w = screen_at()
    speak(Language.FR)
    assert w.hours.text() == (  # each event by its French name
        "Ce guichet : Ouvert aujourd'hui 08:00–17:00.  ·  Réunion des ministres de la Défense "
        "des pays de l'OTAN : Ouvert aujourd'hui 07:30–18:00.  ·  Réunion du Groupe de contact "
        "sur la défense de l'Ukraine : Ouvert aujourd'hui 07:30–18:00."
    )


def test_esc_from_the_press_card_returns_the_keyboard_to_an_empty_scan_field(
    qtbot, screen_at, manifest
):
    """A press card number half typed for one applicant is not left for the next, and
    the next line typed by hand goes to the scan field, not into the press card."""
    w = screen_at()
    form = w.press_card_form
    scan(qtbot, w, applicant(manifest, "approved_ministerial")["code"])
    form.number.setFocus()
    qtbot.keyClicks(form.number, "PC-FRA-9")
    qtbot.keyClick(form.number, Qt.Key.Key_Escape)
    assert w.window().focusWidget() is w.scan_field
    assert form.number.text() == ""
    qtbot.keyClicks(form.issuer, "CCIJP")  # typed, never recorded, then another code
    scan(qtbot, w, applicant(manifest, "editor_letter")["code"])
    assert form.issuer.text() == ""


def test_press_card_seen_is_compared_and_a_card_typed_wrong_is_said(qtbot, screen_at, manifest):
    w = screen_at()
    assert w.hours.text() == (  # events by name, not by their ids (DEFMIN, UDCG)
        "This counter: Open today 08:00–17:00.  ·  Meeting of NATO Ministers of Defence: Open "
        "today 07:30–18:00.  ·  Ukraine Defense Contact Group meeting: Open today 07:30–18:00."
    )
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    form = w.press_card_form
    qtbot.keyClicks(form.number, "PC-FRA-99999")
    qtbot.keyClicks(form.issuer, "CCIJP")
    qtbot.keyClicks(form.expiry, "31/12/2027")
    qtbot.mouseClick(form.record_button, Qt.MouseButton.LeftButton)
    assert w.p.press_card is None
    assert form.message.text().startswith("The press card's expiry '31/12/2027' is not a date")
    form.expiry.clear()
    qtbot.keyClicks(form.expiry, "2027-12-31")
    qtbot.keyClick(form.expiry, Qt.Key.Key_Return)  # Enter records, as the button does
    assert w.banner.text() == "SUPERVISOR NEEDED"
    assert w.scan_field.hasFocus()  # ready for the next scan
    assert w.headline.text().startswith("Not the press card used to apply (no. PC-FRA-99999")
    qtbot.mouseClick(form.clear_button, Qt.MouseButton.LeftButton)
    assert w.p.press_card is None and w.issue_button.isEnabled()
    press(qtbot, w, Qt.Key.Key_Escape)


def test_wrong_counter_is_told_where_to_go(qtbot, screen_at, manifest):
    w = screen_at()
    scan(qtbot, w, applicant(manifest, "approved_annual")["code"])
    assert w.banner.text() == "GO TO THE MAIN PASS OFFICE AT THE VISITORS ENTRANCE"
    assert "Annual badges are handed out at" in w.headline.text()
    speak(Language.FR)
    assert w.banner.text() == "ALLER AU BUREAU DES BADGES DE L'ENTRÉE VISITEURS"
    assert w.headline.text().startswith(
        "Les badges annuels sont remis au bureau des badges de l'entrée Visiteurs :"
    )
    assert not w.issue_button.isEnabled() and not w.override_button.isEnabled()


@pytest.mark.slow
def test_an_annual_holder_with_the_badge_in_hand_is_told_no_badge_is_needed(
    qtbot, screen_at, manifest
):
    """The annual badge collected at the Visitors entrance, the ministerial code scanned
    at the Groups counter later that morning: nothing to print, said in blue with an
    arrow, not a refusal (the screen once failed to draw this verdict at all)."""
    a = applicant(manifest, "annual_holder_at_groups")
    visitors = screen_at(Counter.VISITORS)
    scan(qtbot, visitors, f"{a['code']}\n{a['mrz']}")
    assert visitors.banner.text() == "ISSUE THE BADGE"  # the annual badge, collected here
    issue_and_wait(qtbot, visitors)
    w = screen_at(Counter.GROUPS)
    scan(qtbot, w, f"{a['code']}\n{a['mrz']}")
    assert w.banner.text() == "NO BADGE NEEDED: THE ANNUAL BADGE COVERS IT"
    assert "#0d47a1" in w.verdict_box.styleSheet() and w.pictogram.shape is Shape.ARROW
    assert w.headline.text().startswith("No ministerial badge is needed")
    assert not w.issue_button.isEnabled() and not w.override_button.isEnabled()


def test_refused_applicant_cannot_be_issued_and_escape_clears(qtbot, screen_at, manifest):
    w = screen_at()
    issued = len(journal(w, "issue"))
    scan(qtbot, w, applicant(manifest, "pending")["code"])
    assert w.banner.text() == "REFUSE"
    why = "The accreditation is not approved yet: refer the applicant to the accreditation office."
    press(qtbot, w, Qt.Key.Key_F12)  # heard, and answered with the reason
    assert w.status.text() == f"Nothing to issue: {why}"
    press(qtbot, w, Qt.Key.Key_F9)
    assert w.status.text() == f"A supervisor cannot override this: {why}"
    assert QApplication.activeModalWidget() is None  # no supervisor's dialog
    assert not w.p.busy and w.p.print is None and len(journal(w, "issue")) == issued
    qtbot.keyClicks(w.scan_field, "BCBCBB")  # half a code typed by hand, then given up
    press(qtbot, w, Qt.Key.Key_Escape)
    assert w.banner.text() == "SCAN THE CONFIRMATION CODE"
    assert w.fields["name"][0].text() == ""
    assert w.scan_field.text() == ""  # not glued to the next applicant's code


def test_the_id_document_scanned_first_waits_for_the_code(qtbot, screen_at, manifest):
    """The applicant hands over the passport first: the screen shows what it read, asks
    for the code, and then decides with both."""
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["mrz"])
    assert w.banner.text() == "SCAN THE CONFIRMATION CODE"
    assert w.status.text() == "ID document read: now scan the confirmation code."
    assert w.fields["document"][1].text() == "E01FR7731"  # as the document says
    assert w.fields["name"][0].text() == ""  # no application on screen yet
    speak(Language.FR)
    assert w.status.text().startswith("Pièce d'identité lue")
    speak(Language.EN)
    scan(qtbot, w, a["code"])
    assert w.banner.text() == "ISSUE THE BADGE"
    assert w.issue_button.isEnabled()
    assert w.fields["document"][1].text() == "E01FR7731"
    assert w.status.text() == ""


def test_f9_before_the_id_document_is_scanned_asks_for_it_first(qtbot, screen_at, manifest):
    """A reprint is a supervisor's, but only once the ID document is read: F9 says that,
    not that no supervisor may override it."""
    w = screen_at()
    scan(qtbot, w, applicant(manifest, "badge_already_issued")["code"])
    assert w.banner.text() == "SUPERVISOR NEEDED"
    press(qtbot, w, Qt.Key.Key_F9)
    assert w.status.text() == "Not yet: Scan the ID document (passport or ID card) used to apply."
    assert QApplication.activeModalWidget() is None
    speak(Language.FR)
    assert w.status.text().startswith("Pas encore : Scanner la pièce d'identité")


def test_mismatched_document_is_highlighted(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "impostor_document")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    assert w.banner.text() == "REFUSE"
    assert "color: #b71c1c" in w.fields["name"][1].styleSheet()
    assert "color: #b71c1c" not in w.fields["expiry"][1].styleSheet()


def test_noise_is_rejected_and_changes_nothing(qtbot, screen_at, manifest):
    w = screen_at()
    scan(qtbot, w, applicant(manifest, "approved_ministerial")["code"])
    before = w.banner.text()
    scan(qtbot, w, "hello world")
    assert "Not a confirmation code" in w.status.text()
    assert w.banner.text() == before


def test_a_code_cut_short_asks_to_scan_again_never_refuses(qtbot, screen_at, manifest):
    """A scanner's burst cut short read REFUSE in red: an accredited applicant sent away
    (exploratory testing). It is a misread, as at the security post."""
    w = screen_at()
    code = applicant(manifest, "approved_ministerial")["code"]
    for letters in (40, 60, len(code) - 2):
        scan(qtbot, w, code[:letters])
        assert w.p.decision is None, letters
        assert "The code was read only in part: scan it again." in w.status.text()
        assert "REFUSE" not in w.banner.text()
    scan(qtbot, w, code)  # the whole code, scanned again
    assert w.p.decision is not None and w.p.decision.verdict.value == "incomplete"


def test_a_code_cut_short_keeps_the_applicant_on_screen_in_either_language(
    qtbot, screen_at, manifest
):
    """The core decides a cut code is a misread (`rules.scan_again`); the screen keeps the
    applicant it shows, their ID document read, and says so in the language it speaks."""
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    before, banner = w.p.decision, w.banner.text()
    assert before is not None and before.verdict.value == "issue"
    speak(Language.FR)
    scan(qtbot, w, a["code"][:90])
    assert "Le code n'a été lu qu'en partie : le scanner à nouveau." in w.status.text()
    assert w.p.decision is before and w.p.reading is not None
    speak(Language.EN)
    assert "The code was read only in part: scan it again." in w.status.text()
    assert w.banner.text() == banner


def test_a_code_scanned_while_searching_loads_the_applicant(
    qtbot, screen_at, manifest, monkeypatch
):
    from ui.search_dialog import SearchDialog

    w = screen_at()
    a = applicant(manifest, "approved_ministerial")

    def scanned_in_the_field(dialog):  # the dialog's own Enter on a code (test_search_dialog)
        dialog.scanned = a["code"]
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SearchDialog, "exec", scanned_in_the_field)
    w.search()
    assert w.p.decision is not None and w.p.decision.verdict.value == "incomplete"
    assert a["registration"] in w.p.decision.case.accreditation.registration


def test_print_failure_then_retry_prints_the_same_badge(qtbot, screen_at, manifest):
    w = screen_at()
    folder = printed_dir(w.p.kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the print folder should be")
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    serial = w.p.print.serial
    assert w.p.print.phase is PrintPhase.FAILED
    assert w.banner.text() == "PRINT FAILED: SEE THE PANEL"
    assert w.pictogram.shape is Shape.WARNING  # system trouble, not a REFUSE
    assert "#b71c1c" not in w.verdict_box.styleSheet()
    assert w.print_panel.headline.text() == f"⚠ Print failed: badge {serial}"
    assert "cannot be written" in w.print_panel.detail.text(), w.headline.text()
    assert w.print_panel.retry_button.isVisible() and w.print_panel.send_button.isVisible()
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED
    for lang in (Language.FR, Language.EN):  # the narrow badge column holds both texts
        speak(lang)
        for button in (w.print_panel.retry_button, w.print_panel.send_button):
            assert button.width() >= button.sizeHint().width(), button.text()

    folder.unlink()  # the clerk fixes the printer, then F12 prints again
    press(qtbot, w, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.PRINTED, timeout=60_000)
    assert w.p.print.serial == serial  # the same badge: never issued twice
    assert not w.print_panel.retry_button.isVisible()
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert (folder / f"{serial}.pdf").exists()


@pytest.mark.slow
def test_after_a_failed_print_the_next_applicant_is_alone_on_screen(qtbot, screen_at, manifest):
    w = screen_at()
    folder = printed_dir(w.p.kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the print folder should be")
    first, second = (applicant(manifest, s) for s in ("approved_ministerial", "editor_letter"))
    scan(qtbot, w, first["code"])
    scan(qtbot, w, first["mrz"])
    issue_and_wait(qtbot, w)
    failed = w.p.print.serial
    assert not w.strip.isVisible()  # the applicant's own badge is on the panel

    scan(qtbot, w, second["code"])  # the next applicant: only them on screen
    scan(qtbot, w, second["mrz"])
    assert w.banner.text() == "ISSUE THE BADGE"
    assert w.print_panel.headline.text() == "No badge printing."
    assert not w.print_panel.retry_button.isVisible()
    assert w.strip.isVisible()  # the failed badge stays in view, in a strip of its own
    row = w.strip.rows[0]
    assert failed in row.text.text() and "LEFÈVRE, Camille" in row.text.text()
    assert "print failed" in row.text.text()
    assert row.retry_button.isVisible() and row.send_button.isVisible()

    folder.unlink()
    issue_and_wait(qtbot, w)  # F12 issues the applicant on screen, not the failed badge
    assert w.p.print.serial != failed and w.p.print.phase is PrintPhase.PRINTED
    assert w.p.kiosk.desk.prints.badge(failed).status is BadgeStatus.PRINT_FAILED
    assert [v.serial for v in w.p.waiting] == [failed]

    row.retry_button.click()  # the strip's own Retry prints the waiting badge
    qtbot.waitUntil(lambda: w.p.waiting[0].phase is PrintPhase.PRINTED, timeout=60_000)
    idle(qtbot, w)
    assert w.p.kiosk.desk.prints.badge(failed).status is BadgeStatus.ACTIVE
    assert "no card printed" in row.text.text()  # the folder printer: a PDF, said so
    assert w.p.print.phase is PrintPhase.PRINTED  # the applicant on screen is untouched
    row.done_button.click()
    assert w.p.waiting == () and not w.strip.isVisible()


def test_a_badge_pdf_that_cannot_be_made_is_said_in_words_not_as_an_exception(
    qtbot, screen_at, manifest
):
    w = screen_at()
    badges = w.p.kiosk.badges_dir
    badges.write_text("a file where the badges' folder should be")  # the PDF cannot be made
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    assert w.p.print.phase is PrintPhase.FAILED
    shown = w.print_panel.detail.text()
    assert "The badge's PDF cannot be written on this kiosk: call a technician" in shown
    speak(Language.FR)
    assert "Le PDF du badge ne peut pas être écrit" in w.print_panel.detail.text()
    for said in (shown, w.print_panel.detail.text(), w.headline.text()):
        assert "FileExistsError" not in said and "Errno" not in said and str(badges) not in said


def test_a_badge_left_printing_by_a_stopped_kiosk_is_surfaced_at_start(
    qtbot, demo_dir, demo_now, manifest, screen_at
):
    a = applicant(manifest, "approved_ministerial")
    before = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    serial = before.desk.issue(a["code"], read_mrz(a["mrz"]), CLERK).badge.serial
    before.close()  # the kiosk stopped between issuing and printing

    w = screen_at()
    qtbot.waitUntil(lambda: bool(w.p.waiting), timeout=60_000)
    assert [(v.serial, v.phase) for v in w.p.waiting] == [(serial, PrintPhase.FAILED)]
    assert w.p.print is None  # no applicant on screen: the badge waits in the strip
    row = w.strip.rows[0]
    assert "stopped before the badge was sent" in row.text.text()
    row.retry_button.click()
    qtbot.waitUntil(lambda: w.p.waiting[0].phase is PrintPhase.PRINTED, timeout=60_000)
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE


def preprint_run(w, manifest, monkeypatch):
    """A supervisor's pre-printing run for DEFMIN (the product's own run and rules),
    narrowed to the approved_ministerial applicant's card: the event's 33 other cards
    cost 1.7 s of CPU to render, and one test (the tray's) pre-prints them all."""
    prints = w.p.kiosk.printing.prints
    everyone, who = prints.preprintable, applicant(manifest, "approved_ministerial")
    monkeypatch.setattr(
        prints,
        "preprintable",
        lambda event: [i for i in everyone(event) if i == who["accreditation_id"]],
    )
    return w.p.kiosk.printing.preprint_event("DEFMIN", actor=Actor("sue", Role.SUPERVISOR))


@pytest.mark.slow
def test_a_pre_printed_card_is_taken_from_the_tray(qtbot, screen_at, manifest):
    """The whole event pre-printed (34 cards): the counter finds the applicant's own."""
    w = screen_at()
    report = w.p.kiosk.printing.preprint_event("DEFMIN", actor=Actor("sue", Role.SUPERVISOR))
    assert len([o for o in report.printed if o.ok]) > 30
    a = applicant(manifest, "approved_ministerial")
    serial = next(o.serial for o in report.printed if o.ok)
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.PREPRINTED
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    assert w.p.print.phase is PrintPhase.HANDED_OVER
    text = w.print_panel.headline.text()
    assert text.startswith("Pre-printed: take card ") and text.endswith(
        "from the tray and hand it over"
    )
    assert w.p.print.serial == serial  # the applicant's own card, from the run
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE


def test_language_switch_changes_every_text_and_back(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    english = (w.banner.text(), w.issue_button.text(), w.headline.text(), w.checks.item(0).text())
    assert english[0] == "ISSUE THE BADGE"
    speak(Language.FR)
    assert w.banner.text() == "ÉMETTRE LE BADGE"  # issued (émis), not handed over (remis)
    assert w.issue_button.text() == "Émettre et imprimer [F12]"
    assert w.headline.text() == "Tous les contrôles sont réussis : émettre le badge."
    assert w.checks.item(0).text() != english[3]  # a core reason, in French
    assert w.fact_labels["birth"].text() == "Né(e) le"
    speak(Language.EN)
    assert (w.banner.text(), w.issue_button.text(), w.headline.text(), w.checks.item(0).text()) == (
        english
    )


def test_nothing_is_cut_off_at_1366_by_768(qtbot, screen_at, manifest, tmp_path):
    w = screen_at()
    for situation in ("crew_group_letter", "impostor_document"):
        scan(qtbot, w, applicant(manifest, situation)["code"])
        scan(qtbot, w, applicant(manifest, situation)["mrz"])
        for lang in (Language.EN, Language.FR):
            speak(lang)
            QApplication.processEvents()
            hint = w.minimumSizeHint()
            assert hint.width() <= 1366 and hint.height() <= 768 - 60  # the shell's bar
            for button in (w.issue_button, w.override_button, w.clear_button):
                assert button.width() >= button.sizeHint().width(), button.text()
            assert w.grab().save(str(tmp_path / f"{situation}-{lang.value}.png"))


def supervisor_signs(qtbot, name: str, pin: str, reason: str, then=None) -> list[str]:
    """At the next supervisor dialog, type name, PIN and reason and press Enter; the
    dialog's error (if it stayed open) is returned, and `then(dialog)` runs after."""
    seen: list[str] = []

    def act(d) -> None:
        qtbot.keyClicks(d.name, name)
        qtbot.keyClicks(d.pin, pin)
        qtbot.keyClicks(d.why, reason)
        qtbot.keyClick(d.why, Qt.Key.Key_Return)
        seen.append(d.error.text())
        if then is not None and d.isVisible():
            then(d)

    on_next_dialog(act)
    return seen


def test_supervisor_override_with_pin_reprints_a_lost_badge(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "badge_already_issued")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    assert w.banner.text() == "SUPERVISOR NEEDED" and w.override_button.isEnabled()
    (old,) = [b.serial for b in w.p.decision.case.active_badges]
    errors = supervisor_signs(qtbot, "supervisor", "222222", "lost at the hotel")
    press(qtbot, w, Qt.Key.Key_F9)
    assert errors == [""]
    qtbot.waitUntil(lambda: phase(w) is PrintPhase.PRINTED, timeout=60_000)
    idle(qtbot, w)
    new = w.p.print.serial
    assert new != old and w.p.kiosk.desk.prints.badge(old).status is BadgeStatus.SUPERSEDED
    assert (
        w.headline.text() == f"Badge {new} issued; it replaces {old}, which security now refuses."
    )
    (row,) = journal(w, "reprint")
    assert (row.actor, row.details["supervisor"], row.details["reason"]) == (
        "ann",
        "supervisor",
        "lost at the hotel",
    )
    assert [r.actor for r in journal(w, "sign_in")] == ["supervisor"]
    assert [r.actor for r in journal(w, "sign_out")] == ["supervisor"]  # for that one action


@pytest.mark.parametrize(
    ("name", "pin", "error"),
    [
        ("supervisor", "9999", "Name or PIN not recognised."),
        ("nobody", "222222", "Name or PIN not recognised."),
        ("clerk", "1111", "A clerk may not do this"),
    ],
)
@pytest.mark.slow
def test_a_refused_supervisor_changes_nothing(qtbot, screen_at, manifest, name, pin, error):
    w = screen_at()
    a = applicant(manifest, "badge_already_issued")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    before = w.p.decision
    errors = supervisor_signs(qtbot, name, pin, "lost", then=lambda d: d.reject())
    press(qtbot, w, Qt.Key.Key_F9)
    assert len(errors) == 1 and errors[0].startswith(error)
    assert not w.p.busy and w.p.print is None and journal(w, "reprint") == []
    assert w.p.decision == before and w.banner.text() == "SUPERVISOR NEEDED"


def test_a_reason_is_required(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "badge_already_issued")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    errors = supervisor_signs(qtbot, "supervisor", "222222", "   ", then=lambda d: d.reject())
    press(qtbot, w, Qt.Key.Key_F9)
    assert errors == ["Write the reason: it goes into the journal."]
    assert journal(w, "sign_in") == [] and journal(w, "reprint") == []


def hand_over_a_pre_printed_card(qtbot, w, manifest, monkeypatch) -> str:
    """The applicant's card pre-printed the day before, handed over from the tray: a card
    the applicant holds (the demo's own printer only writes PDF files)."""
    preprint_run(w, manifest, monkeypatch)
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    assert w.p.print.phase is PrintPhase.HANDED_OVER
    return w.p.print.serial


@pytest.mark.slow
def test_undo_hand_over_puts_the_card_back_in_the_tray(qtbot, screen_at, manifest, monkeypatch):
    w = screen_at()
    serial = hand_over_a_pre_printed_card(qtbot, w, manifest, monkeypatch)
    assert w.print_panel.undo_button.isVisible()
    supervisor_signs(qtbot, "supervisor", "222222", "handed to the wrong person")
    w.print_panel.undo_button.click()
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.PREPRINTED
    assert w.p.print.phase is PrintPhase.UNDONE and not w.print_panel.undo_button.isVisible()
    (row,) = journal(w, "undo_handover")
    assert (row.actor, row.details["reason"]) == ("supervisor", "handed to the wrong person")
    assert w.banner.text() == "ISSUE THE BADGE"  # the rules again, then the card is handed over
    issue_and_wait(qtbot, w)
    assert (w.p.print.serial, w.p.print.phase) == (serial, PrintPhase.HANDED_OVER)


def test_no_undo_hand_over_after_a_pdf_only_print_and_f9_says_why(qtbot, screen_at, manifest):
    """The folder printer wrote a PDF file: no card exists, so none was handed over and
    none can go back to a tray; F9 says so and changes nothing."""
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    serial = w.p.print.serial
    assert w.p.print.phase is PrintPhase.PRINTED and not w.p.print.on_card
    assert not w.p.can_undo_handover and not w.print_panel.undo_button.isVisible()
    press(qtbot, w, Qt.Key.Key_F9)
    assert w.headline.text() == (
        f"No card was printed (badge {serial} is a PDF file only), so no hand-over to undo. "
        "For a card, the counter needs a card printer; then a supervisor reprints the badge."
    )
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert journal(w, "undo_handover") == [] and journal(w, "sign_in") == []
    assert w.p.print.phase is PrintPhase.PRINTED and w.focusWidget() is w.scan_field
    speak(Language.FR)
    assert w.headline.text().startswith("Aucune carte imprimée")


def test_search_finds_the_applicant_then_the_id_document_confirms(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")

    def find(d) -> None:
        qtbot.keyClicks(d.query, "camille lefevre")
        qtbot.keyClick(d.query, Qt.Key.Key_Return)

    on_next_dialog(find)
    press(qtbot, w, Qt.Key.Key_F3)
    assert w.p.subject == a["accreditation_id"]
    assert w.banner.text() == "SCAN THE ID DOCUMENT" and not w.issue_button.isEnabled()
    assert w.status.text().startswith("Found by search")
    scan(qtbot, w, a["mrz"])
    assert w.banner.text() == "ISSUE THE BADGE"
    issue_and_wait(qtbot, w)
    assert w.p.print.phase is PrintPhase.PRINTED


def test_pending_steps_get_a_neutral_mark_not_a_red_cross(qtbot, screen_at, manifest):
    w = screen_at()
    scan(qtbot, w, applicant(manifest, "approved_ministerial")["code"])
    marks = [w.checks.item(i).text()[0] for i in range(w.checks.count())]
    assert "○" in marks and "✘" not in marks  # the ID document is not scanned yet
    pending = next(w.checks.item(i) for i in range(w.checks.count()) if marks[i] == "○")
    assert pending.foreground().color().name() == MUTED


def test_without_a_counter_camera_f6_is_not_offered_for_a_missing_photo(qtbot, screen_at, manifest):
    """The photo dialog takes the photo with the counter camera: with none, it could only
    say so; the refusal's reason stays the office's to fix."""
    w = screen_at()
    scan(qtbot, w, applicant(manifest, "no_photo")["code"])
    assert w.banner.text() == "REFUSE" and w.headline.text().startswith("No identity photo")
    assert not w.photo_button.isVisible() and "F6" not in w.headline.text()
    press(qtbot, w, Qt.Key.Key_F6)
    assert QApplication.activeModalWidget() is None


@pytest.mark.parametrize(
    ("situation", "banner", "mark", "colour"),
    [
        ("approved_annual", "#0d47a1", "→", "#0d47a1"),  # sent on, not refused
        ("wrong_id_document", "#e65100", "!", "#b35900"),  # a supervisor's to decide
        ("pending", "#b71c1c", "✘", "#b71c1c"),
    ],
)
def test_a_failed_checks_mark_has_the_colour_of_the_verdict_it_calls_for(
    qtbot, screen_at, manifest, situation, banner, mark, colour
):
    w = screen_at()
    a = applicant(manifest, situation)
    scan(qtbot, w, f"{a['code']}\n{a['mrz']}")
    first = w.checks.item(0)  # the reason that sets the verdict comes first
    assert banner in w.verdict_box.styleSheet()
    assert first.text() == f"{mark}  {w.headline.text()}"
    assert first.foreground().color().name() == colour


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_the_verdict_and_photo_are_legible_from_a_distance(
    qtbot, screen_at, manifest, width, height
):
    w = screen_at()
    w.resize(width, height - 50)  # the shell's top bar above it
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    QApplication.processEvents()
    capitals = w.banner.fontMetrics().capHeight()
    assert capitals >= 2 * 17  # twice the 17 px capitals the banner had
    assert w.pictogram.shape is Shape.TICK and w.pictogram.height() >= capitals
    if height == 1080:
        assert w.photo.height() >= 1080 / 3  # a third of the screen's height
        px = re.search(r"font-size: (\d+)px", w.checks.styleSheet())
        assert px and int(px[1]) > 14  # the checks' text grows with the screen too
    assert not w.photo.pixmap().isNull()
    assert w.photo.pixmap().height() >= w.photo.height() - 2  # the photo fills its frame


@pytest.mark.slow
def test_tones_sound_once_per_verdict_and_for_a_print_failure(qtbot, screen_at, manifest):
    w = screen_at()
    w.tones.enabled = True  # as the settings' "Tones at the counter" switches them on
    scan(qtbot, w, applicant(manifest, "approved_annual")["code"])  # at the Groups counter
    c = applicant(manifest, "impostor_document")
    scan(qtbot, w, c["code"])
    scan(qtbot, w, c["mrz"])
    w.render()  # a repaint never sounds again
    assert w.tones.played == [Tone.REDIRECT, Tone.REFUSE]
    folder = printed_dir(w.p.kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the print folder should be")
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    assert w.tones.played[2:] == [Tone.ISSUE, Tone.PRINTER_FAULT]


def test_every_control_has_an_accessible_name(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    for lang in (Language.EN, Language.FR):
        speak(lang)
        controls = w.findChildren(QAbstractButton) + w.findChildren(QLineEdit)
        controls += w.findChildren(QListWidget)
        unnamed = [c for c in controls if c.isVisible() and not c.accessibleName()]
        assert unnamed == [], [type(c).__name__ + c.objectName() for c in unnamed]
    assert w.verdict_box.accessibleName() == "Verdict"  # the same word in French
    assert w.verdict_box.accessibleDescription() == w.banner.text()


@pytest.mark.slow
def test_a_badge_revoked_while_it_waits_to_print_leaves_the_strip(qtbot, screen_at, manifest):
    w = screen_at()
    folder = printed_dir(w.p.kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the print folder should be")
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    serial = w.p.print.serial
    press(qtbot, w, Qt.Key.Key_Escape)
    assert [v.serial for v in w.p.waiting] == [serial]
    with w.p.kiosk.store.writing() as s:  # what a sync round writes for a revocation
        s.get(BadgeRow, serial).status = BadgeStatus.REVOKED.value
    w.p.refresh()  # the screen calls it when a sync report shows new data
    assert w.p.waiting == () and not w.strip.isVisible()
    assert w.status.text().startswith(f"Badge {serial} (LEFÈVRE, Camille) was revoked")


@pytest.mark.slow
@pytest.mark.parametrize("outcome", ["print failed", "PDF only", "on a card"])
def test_a_badge_revoked_on_screen_is_taken_back_only_if_a_card_came_out(
    qtbot, screen_at, manifest, outcome
):
    # "BADGE REVOKED: TAKE IT BACK" was said of a badge only ever written as a PDF.
    w = screen_at()
    folder = printed_dir(w.p.kiosk.data_dir)
    if outcome == "print failed":
        folder.parent.mkdir(exist_ok=True)
        folder.write_text("a file where the print folder should be")
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"] + "\n" + a["mrz"])
    issue_and_wait(qtbot, w)
    serial = w.p.print.serial
    if outcome == "on a card":  # what the print follow-up shows after a card printer
        w.p.print = replace(w.p.print, printer="CARD-1")
    with w.p.kiosk.store.writing() as s:  # what a sync round writes for a revocation
        s.get(BadgeRow, serial).status = BadgeStatus.REVOKED.value
    w.p.refresh()
    headline = w.print_panel.headline.text()
    if outcome == "on a card":
        assert w.banner.text() == "BADGE REVOKED: TAKE IT BACK"
        assert headline == f"Badge {serial} is revoked: take it back from the holder"
    else:
        assert w.banner.text() == "BADGE REVOKED: NO CARD WAS PRINTED"
        assert headline == (
            f"Badge {serial} is revoked, and no card of it was printed: do not print it"
        )
    assert not w.print_panel.retry_button.isVisible()
    assert w.pictogram.shape is Shape.CROSS


def test_a_refusal_the_office_can_fix_gets_a_hand_off_slip(qtbot, screen_at, manifest):
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"] + "\n" + a["mrz"])
    assert not w.handoff_button.isEnabled()  # nothing for the office to fix
    p = applicant(manifest, "pending")
    scan(qtbot, w, p["code"] + "\n" + p["mrz"])
    assert w.banner.text() == "REFUSE" and w.handoff_button.isEnabled()
    press(qtbot, w, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: p["registration"] in w.status.text(), timeout=60_000)
    assert "still pending" in w.status.text()
    (row,) = journal(w, "handoff")
    assert row.details["reasons"] == ["pending"] and row.actor == "ann"
    slip = w.p.kiosk.data_dir / "handoffs" / f"{p['registration']}.pdf"
    assert slip.read_bytes().startswith(b"%PDF")
    # No slip printer chosen (the demo's): said, the PDF stays; F7 again journals nothing
    assert w.status.text().endswith(
        "No slip printer is chosen for this counter: the slip is a PDF file only (an "
        "administrator chooses one: kiosk printers --use NAME --counter groups --slips)."
    )
    assert w.handoff_button.text() == "Print the slip [F7]"  # none came out: not "again"
    press(qtbot, w, Qt.Key.Key_F7)
    assert len(journal(w, "handoff")) == 1 and w.focusWidget() is w.scan_field


def reasons(w) -> str:
    """The headline and every check's line, as the clerk reads them."""
    return "\n".join(
        [w.headline.text(), *(w.checks.item(i).text() for i in range(w.checks.count()))]
    )


def test_a_french_counter_shows_the_office_s_french_event_name_and_reason(
    qtbot, screen_at, manifest
):
    """The office's texts are data: French screens show the French it gave with them
    (app/demo/scenarios.py), the English screen the English (kiosk/office_texts.py)."""
    w = screen_at()
    scan(qtbot, w, applicant(manifest, "revoked")["code"])
    assert (
        w.fields["accreditation"][0]
        .text()
        .endswith("Meeting of NATO Ministers of Defence (revoked)")
    )
    assert "revoked by the accreditation office after confirmation" in reasons(w)
    speak(Language.FR)
    assert (
        w.fields["accreditation"][0]
        .text()
        .endswith("Réunion des ministres de la Défense des pays de l'OTAN (révoquée)")
    )
    shown = reasons(w)
    assert "révoquée par le bureau des accréditations après confirmation" in shown
    assert "Meeting of NATO" not in shown and "revoked by the" not in shown


def test_esc_before_the_issue_reports_sends_the_badge_to_the_waiting_strip(
    qtbot, screen_at, manifest
):
    """F12 then Esc at once: the issue has not reported yet (its news waits for the event
    loop); the badge is issued all the same and printed, and shows in the waiting strip."""
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    w.issue_button.click()  # F12's action; the event loop does not run before Esc's
    w.next_applicant()  # Esc
    qtbot.waitUntil(lambda: w.strip.isVisible(), timeout=60_000)
    serial = w.p.waiting[0].serial
    assert serial in [r.badge_serial for r in journal(w, "issue")]
    qtbot.waitUntil(lambda: w.p.waiting[0].phase is PrintPhase.PRINTED, timeout=60_000)
    idle(qtbot, w)
    assert [v.serial for v in w.p.waiting] == [serial]
    row = w.strip.rows[0]
    assert serial in row.text.text() and "LEFÈVRE, Camille" in row.text.text()
    assert w.p.print is None and w.p.issued is None  # nobody on screen was issued it
    assert w.banner.text() == "SCAN THE CONFIRMATION CODE"
    assert w.p.kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE


def test_a_refusal_after_esc_names_the_applicant_left_and_shows_no_verdict(
    qtbot, screen_at, manifest
):
    """The badge was issued elsewhere between the scan and F12, and the clerk pressed Esc
    at once: the refusal names the applicant left, on a screen that stays empty."""
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    p = w.p
    p.kiosk.desk.issue(p.subject, p.reading, CLERK, None, "", p.chip.check(), None)
    w.issue_button.click()
    w.next_applicant()
    idle(qtbot, w)
    assert p.decision is None and p.subject is None
    assert p.message.startswith("Not issued: LEFÈVRE, Camille: ")
    assert w.banner.text() == "SCAN THE CONFIRMATION CODE"


def test_an_issue_failing_before_it_reports_marks_no_other_badge_failed(
    qtbot, screen_at, manifest, monkeypatch
):
    """The last job printed badge A; A waits at a card printer in the strip. The next
    issue fails before making a badge: a general failure, and A is still printing."""
    w = screen_at()
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    issue_and_wait(qtbot, w)
    last = replace(w.p.print, phase=PrintPhase.WAITING, printer="card-1")
    w.next_applicant()
    w.p.waiting = (last,)  # as a badge still at a card printer stands in the strip
    scan(qtbot, w, a["code"])

    def broken(*_args, **_kw):
        raise OSError("disk unplugged")

    monkeypatch.setattr(w.p.kiosk.desk, "issue", broken)
    w.p.issue()
    idle(qtbot, w)
    assert w.p.message.startswith("Something went wrong; nothing was lost.")
    assert [(v.serial, v.phase) for v in w.p.waiting] == [(last.serial, PrintPhase.WAITING)]
    assert w.p.print is None


@pytest.mark.slow
def test_a_pre_printed_card_in_the_waiting_strip_says_handed_over(
    qtbot, screen_at, manifest, monkeypatch
):
    """F12 then Esc at once on a pre-printed card: the strip says to take it from the
    tray, not that it was printed, and Handed over takes it out of the strip."""
    w = screen_at()
    preprint_run(w, manifest, monkeypatch)
    a = applicant(manifest, "approved_ministerial")
    scan(qtbot, w, a["code"])
    scan(qtbot, w, a["mrz"])
    w.issue_button.click()
    w.next_applicant()  # Esc before the issue reports
    qtbot.waitUntil(lambda: bool(w.p.waiting) and not w.p.waiting[0].phase.waiting, timeout=60_000)
    idle(qtbot, w)
    assert w.p.waiting[0].phase is PrintPhase.HANDED_OVER
    row = w.strip.rows[0]
    assert "pre-printed: take it from the tray and hand it over" in row.text.text()
    assert "PDF" not in row.text.text()
    row.done_button.click()
    assert w.p.waiting == ()
