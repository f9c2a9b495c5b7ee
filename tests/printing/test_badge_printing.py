"""Printing badges through the folder printer: the states, the failures, the batch."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.wiring import open_kiosk, read_mrz
from kiosk.model import BadgeStatus, Counter
from kiosk.print_states import PrintStateError
from kiosk.roles import AccessDenied, Actor, Role
from kiosk.store.schema import AccreditationRow, BadgeRow, PhotoRow
from printing.badge_printing import BadgeNotPrinted
from printing.printer import JobState, Problem
from printing.printers import FOLDER, chosen_printer, printed_dir

ANN, SUE = Actor("ann", Role.CLERK), Actor("sue", Role.SUPERVISOR)


@pytest.fixture
def kiosk(demo_dir, demo_now):
    k = open_kiosk(demo_dir, Counter.GROUPS, "G7", clock=lambda: demo_now)
    yield k
    k.close()


def scan(manifest, situation: str):
    a = next(a for a in manifest["applicants"] if a["situation"] == situation)
    return a["code"], read_mrz(a["mrz"])


def test_the_folder_printer_is_the_default_and_prints_the_badge(kiosk, manifest):
    assert chosen_printer(kiosk.data_dir, Counter.GROUPS) == FOLDER
    done = kiosk.desk.issue(*scan(manifest, "approved_ministerial"), ANN)
    seen = []
    outcome = kiosk.printing.after_issue(done, progress=seen.append, actor=ANN)
    serial = done.badge.serial
    assert (outcome.ok, outcome.status, outcome.printer) == (True, BadgeStatus.ACTIVE, FOLDER)
    assert outcome.message_en == f"Badge {serial} printed: hand it over."
    assert outcome.message_fr == f"Badge {serial} imprimé : le remettre."
    assert [p.state for p in seen] == [JobState.COMPLETED]
    printed = printed_dir(kiosk.data_dir) / f"{serial}.pdf"
    assert printed.read_bytes() == outcome.pdf.read_bytes()
    assert serial in PdfReader(io.BytesIO(printed.read_bytes())).pages[0].extract_text()
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.ACTIVE
    assert [(j.printer, j.job_ref, j.state) for j in kiosk.desk.prints.jobs(serial)] == [
        (FOLDER, str(printed), "completed")
    ]


def test_an_unwritable_print_folder_fails_then_a_retry_prints(kiosk, manifest):
    folder = printed_dir(kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the folder should be")
    serial = kiosk.desk.issue(*scan(manifest, "editor_letter"), ANN).badge.serial
    with pytest.raises(BadgeNotPrinted) as err:
        kiosk.printing.print_issued(serial, ANN)
    outcome = err.value.outcome
    assert (outcome.ok, outcome.status, outcome.problem) == (
        False,
        BadgeStatus.PRINT_FAILED,
        Problem.UNWRITABLE,
    )
    assert "print folder of folder cannot be written" in outcome.message_en
    assert "n'est pas accessible en écriture" in outcome.message_fr
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED
    assert kiosk.printing.resume(actor=ANN) == []  # nothing left half-way: it waits for a retry

    folder.unlink()
    again = kiosk.printing.print_badge(serial, actor=ANN)
    assert (again.ok, again.status, again.serial) == (True, BadgeStatus.ACTIVE, serial)
    assert [j.state for j in kiosk.desk.prints.jobs(serial)] == ["failed", "completed"]
    with pytest.raises(PrintStateError, match="is active"):
        kiosk.printing.print_badge(serial, actor=ANN)


def test_a_badge_pdf_that_cannot_be_written_is_a_print_failure_then_a_retry_prints(kiosk, manifest):
    """With `badges/` a file, issuing left the badge `printing` with a bare OSError; now it
    waits in `print failed`, the clerk told why, and a retry prints it."""
    kiosk.printing.badges_dir.parent.mkdir(exist_ok=True)
    kiosk.printing.badges_dir.write_text("a file where the folder should be")
    serial = kiosk.desk.issue(*scan(manifest, "editor_letter"), ANN).badge.serial
    with pytest.raises(BadgeNotPrinted) as err:
        kiosk.printing.print_issued(serial, ANN)
    outcome = err.value.outcome
    assert (outcome.ok, outcome.status, outcome.problem) == (
        False,
        BadgeStatus.PRINT_FAILED,
        Problem.PDF,
    )
    assert "badge's PDF cannot be written" in outcome.message_en
    assert "PDF cannot be written" in outcome.message_en and "Not a directory" not in (
        outcome.message_en  # the screen says what to do; the job's record says why
    )
    assert "Not a directory" in kiosk.desk.prints.jobs(serial)[-1].message
    assert kiosk.desk.prints.badge(serial).status is BadgeStatus.PRINT_FAILED
    assert not printed_dir(kiosk.data_dir).exists()  # nothing reached a printer

    kiosk.printing.badges_dir.unlink()
    assert kiosk.printing.print_badge(serial, actor=ANN).status is BadgeStatus.ACTIVE


def test_a_template_that_cannot_lay_out_the_badge_leaves_it_print_failed(kiosk, manifest):
    templates = kiosk.data_dir / "templates"
    templates.mkdir()
    (templates / "event.toml").write_text('name = "broken"\nkind = "event"\n')
    serial = kiosk.desk.issue(*scan(manifest, "approved_ministerial"), ANN).badge.serial
    outcome = kiosk.printing.print_badge(serial, actor=ANN)
    assert (outcome.ok, outcome.problem) == (False, Problem.LAYOUT)
    assert "barcode: is missing" in kiosk.desk.prints.jobs(serial)[-1].message

    (templates / "event.toml").unlink()
    assert kiosk.printing.print_badge(serial, actor=ANN).status is BadgeStatus.ACTIVE


def test_a_photo_on_file_that_cannot_be_read_leaves_the_badge_print_failed(kiosk, manifest):
    """A damaged photo (cut short, say) stopped the PDF with PIL's OSError, the badge
    left printing; now the clerk is told to take a new photo, and a retry prints."""
    serial = kiosk.desk.issue(*scan(manifest, "approved_ministerial"), ANN).badge.serial
    with kiosk.store.writing() as s:
        badge = s.get(BadgeRow, serial)
        photo = s.get(PhotoRow, s.get(AccreditationRow, badge.accreditation_id).person_id)
        whole, photo.jpeg = photo.jpeg, photo.jpeg[:300]  # still starts as a JPEG
    outcome = kiosk.printing.print_badge(serial, actor=ANN)
    assert (outcome.ok, outcome.status, outcome.problem) == (
        False,
        BadgeStatus.PRINT_FAILED,
        Problem.PHOTO,
    )
    assert "take a new photo of the applicant" in outcome.message_en
    assert "prendre une nouvelle photo" in outcome.message_fr
    assert "cannot be read" in kiosk.desk.prints.jobs(serial)[-1].message

    with kiosk.store.writing() as s:
        s.get(PhotoRow, photo.person_id).jpeg = whole
    assert kiosk.printing.print_badge(serial, actor=ANN).status is BadgeStatus.ACTIVE


@pytest.mark.slow
def test_a_pre_printed_card_is_handed_over_not_printed_again(kiosk, manifest):
    expected = kiosk.desk.prints.preprintable("DEFMIN")
    report = kiosk.printing.preprint_event("DEFMIN", actor=SUE)
    assert report.failed == () and report.not_tried == ()
    assert len(report.printed) == len(expected) > 20
    assert all(o.status is BadgeStatus.PREPRINTED for o in report.printed)
    # Nothing left to pre-print.
    assert kiosk.printing.preprint_event("DEFMIN", actor=SUE).printed == ()

    files = sorted(printed_dir(kiosk.data_dir).iterdir())
    done = kiosk.desk.issue(*scan(manifest, "approved_ministerial"), ANN)
    assert done.handed_over
    outcome = kiosk.printing.after_issue(done, actor=ANN)
    assert outcome.ok and outcome.message_en.endswith("was pre-printed: hand it over.")
    assert kiosk.printing.print_issued(
        done.badge.serial, ANN
    ).exists()  # the CLI's path: no new print
    assert sorted(printed_dir(kiosk.data_dir).iterdir()) == files


@pytest.mark.slow
def test_a_batch_stops_when_the_printer_is_unusable_and_the_next_run_retries(kiosk, manifest):
    folder = printed_dir(kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("not a folder")
    progress = []
    first = kiosk.printing.preprint_event(
        "DEFMIN", progress=lambda *p: progress.append(p), actor=SUE
    )
    assert first.printed == () and len(first.failed) == 1
    assert first.failed[0].problem is Problem.UNWRITABLE
    assert len(first.not_tried) > 10 and all(r.startswith("A") for r in first.not_tried)
    assert progress[0][:2] == (1, len(first.not_tried) + 1)

    folder.unlink()
    second = kiosk.printing.preprint_event("DEFMIN", actor=SUE)
    assert second.failed == ()
    assert first.failed[0].serial in {o.serial for o in second.printed}  # retried, same serial
    assert len(second.printed) == len(first.not_tried) + 1


def test_resume_marks_badges_the_kiosk_never_sent_as_failed(kiosk, manifest):
    serial = kiosk.desk.issue(*scan(manifest, "approved_ministerial"), ANN).badge.serial
    (outcome,) = kiosk.printing.resume(actor=ANN)
    assert (outcome.serial, outcome.problem, outcome.status) == (
        serial,
        Problem.INTERRUPTED,
        BadgeStatus.PRINT_FAILED,
    )
    assert "stopped before the badge was sent" in outcome.message_en
    assert kiosk.printing.print_badge(serial, actor=ANN).ok


def test_a_failed_batch_card_is_printed_again_for_the_drawer_never_handed_over(kiosk):
    folder = printed_dir(kiosk.data_dir)
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("not a folder")
    (failed,) = kiosk.printing.preprint_event("DEFMIN", actor=SUE).failed
    folder.unlink()
    with pytest.raises(AccessDenied):  # a clerk's retry would make it active: refused
        kiosk.printing.print_badge(failed.serial, actor=ANN)
    assert kiosk.desk.prints.badge(failed.serial).status is BadgeStatus.PRINT_FAILED
    again = kiosk.printing.print_badge(failed.serial, actor=SUE)
    assert (again.ok, again.status) == (True, BadgeStatus.PREPRINTED)
