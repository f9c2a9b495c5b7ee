"""The counter screen with a chip reader: the read follows the MRZ scan off the UI thread,
and the clerk sees the chip's verdict, its face beside the photo on file, and its DG1
beside the printed MRZ and the application. Real store, real pcscd and emulated chip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from chip_passports import Holder, make_authority, make_passport
from PySide6.QtWidgets import QApplication

from app.wiring import chip_reader, open_kiosk, read_mrz
from chip import trust
from chip.countries import ALPHA2
from chip.passive import name_of
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.counter_window import CounterScreen
from ui.language import Language, language
from ui.presenter import CounterPresenter


@pytest.fixture
def counter(qtbot, reader, demo_dir, demo_now, manifest, tmp_path):
    """A Groups counter on the demo world, with the reader attached and the approved
    applicant's state's CSCA trusted."""
    authority = state_authority(manifest)
    pem = tmp_path / "csca.pem"
    pem.write_bytes(authority.csca_pem())
    trust.import_path(demo_dir, pem)
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    presenter = CounterPresenter(
        kiosk, Actor("ann", Role.CLERK), chip_reader(demo_dir, kiosk.store)
    )
    w = CounterScreen(presenter)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitUntil(lambda: not presenter.busy, timeout=60_000)  # the start-up print look
    yield w, authority
    presenter.background.wait()
    kiosk.close()
    if language().current is not Language.EN:
        language().set(Language.EN)


def approved(manifest) -> dict:
    return next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")


def state_authority(manifest):
    """A test CSCA of the state that issued the approved applicant's passport (a CSCA
    vouches only for its own state's documents)."""
    state = read_mrz(approved(manifest)["mrz"]).issuing_state
    return make_authority(ALPHA2[state], "Issuing State Test CSCA")


def issuer(authority) -> str:
    return name_of(authority.csca.subject)


def present(qtbot, w, reader, a: dict, authority, holder: Holder, **card) -> None:
    """The applicant's code scanned, their passport (the photo on file in its chip) on the
    reader, its MRZ scanned; waits for the chip read the scan starts."""
    w.p.scan(a["code"])
    passport = make_passport(authority, holder, face=w.p.photo())
    reader.insert(passport.files, holder.mrz(), **card)
    w.p.scan_mrz(a["mrz"])
    assert w.p.chip.pending and not w.issue_button.isEnabled()  # no issue before the chip
    qtbot.waitUntil(lambda: not w.p.chip.pending, timeout=30_000)


def shoot(w, name: str, out: Path) -> None:
    QApplication.processEvents()
    w.grab().save(str(out / name))


def test_genuine_chip_is_shown_verified_beside_the_photo_on_file(
    qtbot, counter, manifest, reader, tmp_path
):
    w, authority = counter
    a = approved(manifest)
    holder = Holder.of(read_mrz(a["mrz"]))
    assert holder.mrz().replace("\n", "") == "".join(a["mrz"].split())
    present(qtbot, w, reader, a, authority, holder)
    panel = w.chip_panel
    assert panel.isVisible()
    assert panel.headline.text() == f"Chip verified by {issuer(authority)}."
    assert panel.chip_face.pixmap().toImage() == panel.on_file.pixmap().toImage()
    assert [c.text() for c in panel.cells["document"][:2]] == [holder.document_number] * 2
    assert w.banner.text() == "ISSUE THE BADGE" and w.issue_button.isEnabled()
    assert any("Chip verified" in w.checks.item(i).text() for i in range(w.checks.count()))
    shoot(w, "counter-chip-verified-en-1366x768.png", tmp_path)
    language().set(Language.FR)
    QApplication.processEvents()
    assert panel.headline.text() == f"Puce vérifiée par {issuer(authority)}."
    assert panel.column_heads[1].text() == "MRZ imprimée"
    shoot(w, "counter-chip-verified-fr-1366x768.png", tmp_path)


def test_chip_unlike_the_printed_page_refuses_with_both_shown(
    qtbot, counter, manifest, reader, tmp_path
):
    w, authority = counter
    a = approved(manifest)
    printed = read_mrz(a["mrz"])
    # A chip its issuer signed with another name under the same number and dates.
    on_chip = replace(Holder.of(printed), surname="MALLORY")
    present(qtbot, w, reader, a, authority, on_chip)
    panel = w.chip_panel
    assert w.banner.text() == "REFUSE"
    assert f"surname: chip MALLORY, printed {printed.surname}" in w.headline.text()
    chip_name, printed_name, _ = panel.cells["name"]
    assert chip_name.text().startswith("MALLORY,") and printed_name.text().startswith(
        printed.surname
    )
    assert "b71c1c" in chip_name.styleSheet()
    shoot(w, "counter-chip-refused-en-1366x768.png", tmp_path)
    language().set(Language.FR)
    QApplication.processEvents()
    assert w.banner.text() == "REFUSER"
    shoot(w, "counter-chip-refused-fr-1366x768.png", tmp_path)


def test_passport_lifted_mid_read_says_so_and_keeps_nothing(
    qtbot, counter, manifest, reader, tmp_path
):
    w, authority = counter
    a = approved(manifest)
    present(qtbot, w, reader, a, authority, Holder.of(read_mrz(a["mrz"])), remove_after=12)
    panel = w.chip_panel
    assert panel.headline.text().startswith("The chip read was interrupted")
    assert panel.chip_face.pixmap().isNull()  # no half-read face
    assert [cells[0].text() for cells in panel.cells.values()] == ["", "", "", ""]
    # The printed document decides alone, as without a chip; nothing was issued meanwhile.
    assert w.banner.text() == "ISSUE THE BADGE" and w.p.issued is None
