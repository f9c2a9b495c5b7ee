"""A chip reader plugged in while the counter runs: noticed, and the document on screen
read; pulled out: the panel says so. The PC/SC stack is real: plugging in is starting a
private pcscd with its virtual reader, pulling out is stopping it."""

from __future__ import annotations

import pytest
from chip_fixtures import running_pcscd
from chip_passports import Holder, make_authority, make_passport

from app.wiring import chip_reader, open_kiosk, read_mrz
from chip import trust
from chip.countries import ALPHA2
from chip.passive import name_of
from kiosk.model import Counter
from kiosk.roles import Actor, Role
from ui.counter_window import CounterScreen
from ui.presenter import CounterPresenter

pytestmark = pytest.mark.slow


def test_a_reader_plugged_in_later_reads_the_document_on_screen_and_unplugged_says_so(
    qtbot, demo_dir, demo_now, manifest, tmp_path
):
    a = next(a for a in manifest["applicants"] if a["situation"] == "approved_ministerial")
    holder = Holder.of(read_mrz(a["mrz"]))
    authority = make_authority(ALPHA2[holder.issuing_state], "Issuing State Test CSCA")
    pem = tmp_path / "csca.pem"
    pem.write_bytes(authority.csca_pem())
    trust.import_path(demo_dir, pem)
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    presenter = CounterPresenter(
        kiosk, Actor("ann", Role.CLERK), chip_reader(demo_dir, kiosk.store)
    )
    w = CounterScreen(presenter)
    qtbot.addWidget(w)
    w.show()
    chip = presenter.chip
    qtbot.waitUntil(lambda: chip.attached is False and not presenter.busy, timeout=60_000)
    presenter.scan(a["code"])
    presenter.scan_mrz(a["mrz"])
    assert not chip.pending and not w.chip_panel.isVisible()  # no reader yet: as before
    verified = f"Chip verified by {name_of(authority.csca.subject)}."
    pcsc = tmp_path / "pcsc"
    pcsc.mkdir()
    with running_pcscd(pcsc) as site:  # the reader is plugged in, the passport put on it
        passport = make_passport(authority, holder, face=presenter.photo())
        site.insert(passport.files, holder.mrz())
        qtbot.waitUntil(lambda: chip.result is not None, timeout=30_000)
        assert w.chip_panel.isVisible() and w.chip_panel.headline.text() == verified
    qtbot.waitUntil(lambda: chip.attached is False, timeout=10_000)  # pulled out
    assert w.chip_panel.headline.text() == verified  # the verdict given stands
    presenter.scan(a["code"])  # the next document, with no reader
    presenter.scan_mrz(a["mrz"])
    assert w.chip_panel.isVisible()
    assert w.chip_panel.headline.text() == "No chip reader: the printed document is checked alone."
    assert chip.check() is None  # the printed document decides alone
    presenter.background.wait()
    with qtbot.waitSignal(presenter.destroyed):  # its reader watch stops with it
        presenter.deleteLater()
    kiosk.close()
