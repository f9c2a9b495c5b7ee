"""Staff accounts: sign-in with a PIN, the same refusal for every cause, the lock, the
journal, and the CLI that adds accounts without a PIN on the command line."""

from __future__ import annotations

import base64
import hashlib
import io
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.wiring import open_kiosk
from kiosk.model import Counter
from kiosk.roles import AccessDenied, Actor, Role, check_pin, needs_rehash
from kiosk.staff import (
    FREE_TRIES,
    KIOSK_PACE,
    KIOSK_REFUSALS,
    LONGEST_WAIT,
    AccountStopped,
    KioskPaced,
    SignInRefused,
    StaffAccount,
    StaffBook,
    StaffError,
    wait_after,
)
from kiosk.store.database import Store
from kiosk.store.schema import JournalRow, StaffRow
from tests import cli_process


class Clock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


@pytest.fixture
def book(tmp_path, demo_now):
    store = Store.in_dir(tmp_path)
    clock = Clock(demo_now)
    staff = StaffBook(store, clock, "G1")
    staff.add("Ann Dupont", Role.CLERK, "482913")
    yield staff, clock
    store.close()


def journal(store) -> list[tuple[str, str, dict]]:
    with store.reading() as s:
        rows = s.execute(select(JournalRow.actor, JournalRow.action, JournalRow.details))
        return [tuple(r) for r in rows]


def refusal(staff, name, pin) -> SignInRefused:
    with pytest.raises(SignInRefused) as err:
        staff.sign_in(name, pin)
    return err.value


@pytest.mark.slow
def test_sign_in_gives_the_actor_and_is_journalled(book):
    staff, _ = book
    assert staff.sign_in("ann dupont", "482913") == Actor("Ann Dupont", Role.CLERK)
    staff.sign_out(Actor("Ann Dupont", Role.CLERK))
    assert journal(staff.store)[-2:] == [
        ("Ann Dupont", "sign_in", {"role": "clerk"}),
        ("Ann Dupont", "sign_out", {"role": "clerk"}),
    ]
    with staff.store.reading() as s:
        assert staff.store.journal.verify(s) == (3, None)  # staff_add, sign_in, sign_out


@pytest.mark.slow
def test_unknown_name_and_wrong_pin_are_refused_alike_and_journalled(book):
    staff, _ = book
    unknown = refusal(staff, "Nobody", "482913")
    wrong = refusal(staff, "Ann Dupont", "000000")
    assert (unknown.message_en, unknown.message_fr) == (wrong.message_en, wrong.message_fr)
    assert "non reconnu" in wrong.message_fr
    assert journal(staff.store)[-2:] == [
        ("Nobody", "sign_in_refused", {}),
        ("Ann Dupont", "sign_in_refused", {}),
    ]


def wrong_pins_waiting_out_each_wait(staff, clock, count: int) -> None:
    """`count` wrong PINs for Ann, each tried once her previous wait (and the kiosk's
    pace) is over."""
    for _ in range(count):
        refusal(staff, "Ann Dupont", "111111")
        with staff.store.reading() as s:
            waits_until = s.get(StaffRow, "Ann Dupont").locked_until
        clock.now = max(clock.now, waits_until or clock.now) + KIOSK_PACE


@pytest.mark.slow
def test_three_wrong_pins_are_free_then_the_wait_doubles_up_to_five_minutes(book):
    staff, clock = book
    for wrong in range(1, 10):  # the 9th reaches the longest wait
        started = clock.now
        refusal(staff, "Ann Dupont", "111111")
        with staff.store.reading() as s:
            row = s.get(StaffRow, "Ann Dupont")
            waited = (row.locked_until - started).total_seconds() if row.locked_until else 0
        expected = 0 if wrong <= FREE_TRIES else min(15 * 2 ** (wrong - 4), 300)
        assert (row.failed_count, waited) == (wrong, expected)
        if row.locked_until:
            refusal(staff, "Ann Dupont", "482913")  # the right PIN, refused during the wait
            clock.now = row.locked_until - timedelta(seconds=1)
            refusal(staff, "Ann Dupont", "482913")  # ... to its last second, not lengthening it
            clock.now = row.locked_until + KIOSK_PACE  # (and the kiosk's pace is over)
    assert staff.sign_in("Ann Dupont", "482913").role is Role.CLERK
    with staff.store.reading() as s:
        row = s.get(StaffRow, "Ann Dupont")
        assert (row.failed_count, row.locked_until) == (0, None)


def test_the_wait_stays_five_minutes_however_many_wrong_pins():
    assert [wait_after(n).total_seconds() for n in (1, 3, 4, 5, 9, 10, 60, 10**6)] == [
        0, 0, 15, 30, 300, 300, 300, 300
    ]  # fmt: skip


@pytest.mark.slow
def test_a_passer_by_keeps_a_name_out_no_longer_than_five_minutes_after_the_last_try(book):
    staff, clock = book
    wrong_pins_waiting_out_each_wait(staff, clock, 12)  # a determined passer-by
    last_try = clock.now - KIOSK_PACE
    clock.now = last_try + LONGEST_WAIT
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"


@pytest.mark.slow
def test_an_administrator_lifts_a_wait_at_once(book):
    staff, clock = book
    staff.add("admin", Role.ADMINISTRATOR, "444444")
    wrong_pins_waiting_out_each_wait(staff, clock, FREE_TRIES + 2)
    refusal(staff, "Ann Dupont", "111111")
    refusal(staff, "Ann Dupont", "482913")  # waiting
    with pytest.raises(AccessDenied):
        staff.unlock("Ann Dupont", by=Actor("Ann Dupont", Role.CLERK))
    staff.unlock("ann dupont", by=ADMIN)
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"
    assert ("admin", "staff_unlock", {"account": "Ann Dupont", "role": "administrator"}) in (
        journal(staff.store)
    )


@pytest.mark.slow
def test_a_good_pin_resets_the_count_of_wrong_ones(book):
    staff, _ = book
    for _ in range(FREE_TRIES):
        refusal(staff, "Ann Dupont", "111111")
    staff.sign_in("Ann Dupont", "482913")
    for _ in range(FREE_TRIES):
        refusal(staff, "Ann Dupont", "111111")
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"


@pytest.mark.slow
def test_many_refusals_at_a_kiosk_pace_every_name_for_thirty_seconds(book):
    staff, clock = book
    for i in range(KIOSK_REFUSALS):  # one PIN tried on many names, as a sprayer would
        refusal(staff, f"Name {i}", "123456")
    paced = refusal(staff, "Ann Dupont", "482913")  # the right PIN, but the kiosk is paced
    assert isinstance(paced, KioskPaced)  # says to wait, not that her PIN is wrong
    assert paced.message_en.startswith("Too many refused sign-ins at this kiosk: wait 30")
    assert isinstance(refusal(staff, "Nobody", "0000"), KioskPaced)  # the same for any name
    clock.now += KIOSK_PACE - timedelta(seconds=1)
    refusal(staff, "Ann Dupont", "482913")  # still paced: the last refusal was just now
    clock.now += KIOSK_PACE
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"
    with staff.store.reading() as s:
        assert s.get(StaffRow, "Ann Dupont").failed_count == 0  # paced tries are not hers


@pytest.mark.parametrize(
    ("role", "short", "least"),
    [
        (Role.SUPERVISOR, "12345", 6),
        (Role.ADMINISTRATOR, "12345", 6),
        (Role.CLERK, "123", 4),
        (Role.SECURITY, "123", 4),
    ],
)
@pytest.mark.slow
def test_supervisors_and_administrators_need_six_characters(book, role, short, least):
    staff, _ = book
    with pytest.raises(StaffError, match=f"{least} to 64") as err:
        staff.add("Bob", role, short)
    assert f"de {least} à 64" in err.value.message_fr
    assert staff.add("Bob", role, short + "6") == Actor("Bob", role)


@pytest.mark.slow
def test_an_older_hash_still_verifies_and_is_remade_at_sign_in(book, real_scrypt):
    staff, _ = book
    salt = b"s" * 16
    old = hashlib.scrypt(b"482913", salt=salt, n=2**14, r=8, p=1)
    enc = base64.b64encode
    with staff.store.writing() as s:
        s.get(
            StaffRow, "Ann Dupont"
        ).pin_hash = f"scrypt${2**14}$8$1${enc(salt).decode()}${enc(old).decode()}"
    assert needs_rehash(f"scrypt${2**14}$8$1$x$y")
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"
    with staff.store.reading() as s:
        remade = s.get(StaffRow, "Ann Dupont").pin_hash
    assert remade.startswith(f"scrypt${2**16}$8$1$") and not needs_rehash(remade)
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"


def test_a_stored_hash_asking_for_too_much_memory_is_refused_quickly(book):
    assert not check_pin("482913", "scrypt$1073741824$8$1$c2FsdA==$ZGlnZXN0")


@pytest.mark.parametrize(
    ("name", "pin"),
    [("ann DUPONT", "123456"), ("", "123456"), ("x" * 81, "123456"), ("Bob", "12"), ("Bob", "")],
)
@pytest.mark.slow
def test_bad_accounts_are_refused_and_change_nothing(book, name, pin):
    staff, _ = book
    before = journal(staff.store)
    with pytest.raises(StaffError) as err:
        staff.add(name, Role.CLERK, pin)
    assert err.value.message_fr
    assert journal(staff.store) == before
    assert staff.members() == [Actor("Ann Dupont", Role.CLERK)]


def test_pins_are_stored_as_slow_hashes(real_scrypt, book):
    staff, _ = book
    with staff.store.reading() as s:
        stored = s.scalar(select(StaffRow.pin_hash))
    assert stored.startswith(f"scrypt${2**16}$8$1$") and "482913" not in stored


def test_only_an_administrator_adds_accounts_from_a_screen(book):
    staff, _ = book
    with pytest.raises(AccessDenied):
        staff.add("Bob", Role.SUPERVISOR, "123456", by=Actor("Ann Dupont", Role.CLERK))
    assert [a.name for a in staff.members()] == ["Ann Dupont"]
    staff.add("Bob", Role.SUPERVISOR, "123456", by=Actor("admin", Role.ADMINISTRATOR))
    assert journal(staff.store)[-1] == (
        "admin",
        "staff_add",
        {"added": "Bob", "added_role": "supervisor", "role": "administrator"},
    )


@pytest.mark.slow
def test_the_demo_world_has_one_account_per_role(demo_dir, demo_now):
    kiosk = open_kiosk(demo_dir, Counter.GROUPS, clock=lambda: demo_now)
    try:
        assert {a.role for a in kiosk.staff.members()} == set(Role)
        for name, pin, role in [
            ("clerk", "1111", Role.CLERK),
            ("supervisor", "222222", Role.SUPERVISOR),
            ("security", "3333", Role.SECURITY),
            ("admin", "444444", Role.ADMINISTRATOR),
        ]:
            assert kiosk.staff.sign_in(name, pin) == Actor(name, role)
    finally:
        kiosk.close()


def kiosk_cli(data_dir, *args, stdin=""):
    return cli_process.run("app.cli", *args, "--data-dir", str(data_dir), stdin=stdin)


@pytest.mark.slow
def test_cli_adds_an_account_with_the_pin_from_stdin_and_lists_them(tmp_path, demo_now):
    added = kiosk_cli(tmp_path, "staff", "add", "Zoé", "--role", "supervisor", "--pin-stdin",
                      "--new-store", stdin="907312\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Zoé (supervisor)" in added.stdout and f"new kiosk store in {tmp_path}" in added.stdout
    again = kiosk_cli(tmp_path, "staff", "add", "zoé", "--role", "clerk", "--pin-stdin",
                      stdin="907312\n")  # fmt: skip
    assert again.returncode == 1 and "already an account" in again.stderr
    short = kiosk_cli(tmp_path, "staff", "add", "Bo", "--role", "clerk", "--pin-stdin",
                      stdin="12\n")  # fmt: skip
    assert short.returncode == 1 and "PIN has 4 to 64" in short.stderr
    listed = kiosk_cli(tmp_path, "staff", "list")
    assert listed.stdout == "Zoé\tsupervisor\n"
    store = Store.in_dir(tmp_path)
    try:
        assert StaffBook(store, lambda: demo_now).sign_in("Zoé", "907312").role is Role.SUPERVISOR
    finally:
        store.close()


@pytest.mark.slow  # over a second: out of the fast lane
def test_cli_never_takes_a_pin_as_an_argument(tmp_path):
    done = kiosk_cli(tmp_path, "staff", "add", "Bo", "--role", "clerk", "--pin", "1234")
    assert done.returncode == 2 and "unrecognized arguments" in done.stderr


ADMIN = Actor("admin", Role.ADMINISTRATOR)


@pytest.fixture
def office(book):
    """Ann the clerk and one administrator."""
    staff, clock = book
    staff.add("admin", Role.ADMINISTRATOR, "444444")
    return staff, clock


@pytest.mark.slow
def test_a_new_pin_replaces_the_old_one_lifts_the_lock_and_is_not_journalled(office):
    staff, _ = office
    for _ in range(FREE_TRIES + 1):
        refusal(staff, "Ann Dupont", "111111")
    staff.set_pin("ann dupont", "730051", by=ADMIN)
    assert staff.sign_in("Ann Dupont", "730051") == Actor("Ann Dupont", Role.CLERK)
    refusal(staff, "Ann Dupont", "482913")
    entries = journal(staff.store)
    assert ("admin", "staff_pin", {"account": "Ann Dupont", "role": "administrator"}) in entries
    assert not any("730051" in str(entry) for entry in entries)


@pytest.mark.slow
def test_a_disabled_account_is_refused_like_a_wrong_pin_until_enabled(office):
    staff, _ = office
    staff.disable("Ann Dupont", by=ADMIN)
    assert staff.accounts()[1] == StaffAccount("Ann Dupont", Role.CLERK, disabled=True)
    disabled = refusal(staff, "Ann Dupont", "482913")
    wrong = refusal(staff, "admin", "000000")
    assert (disabled.message_en, disabled.message_fr) == (wrong.message_en, wrong.message_fr)
    assert [a.name for a in staff.members()] == ["admin", "Ann Dupont"]  # callers still see it
    staff.enable("Ann Dupont", by=ADMIN)
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"
    assert [e[1] for e in journal(staff.store) if e[1].startswith("staff_")][-2:] == [
        "staff_disable",
        "staff_enable",
    ]


@pytest.mark.slow
def test_the_last_enabled_administrator_and_ones_own_account_stay_enabled(office):
    staff, _ = office
    before = journal(staff.store)
    with pytest.raises(StaffError, match="last enabled administrator"):
        staff.disable("admin")  # the operator at the shell
    with pytest.raises(StaffError, match="your own account") as own:
        staff.disable("ADMIN", by=ADMIN)
    assert "propre compte" in own.value.message_fr
    assert journal(staff.store) == before
    staff.add("Boss", Role.ADMINISTRATOR, "555555")
    staff.disable("admin", by=Actor("Boss", Role.ADMINISTRATOR))
    with pytest.raises(StaffError, match="last enabled administrator"):
        staff.disable("Boss")
    assert staff.sign_in("Boss", "555555").role is Role.ADMINISTRATOR


@pytest.mark.slow
def test_a_clerk_may_not_change_accounts_and_nothing_changes(office):
    staff, _ = office
    clerk = Actor("Ann Dupont", Role.CLERK)
    before = (journal(staff.store), staff.accounts())
    with pytest.raises(AccessDenied):
        staff.set_pin("admin", "999999", by=clerk)
    for change in (staff.disable, staff.enable):
        with pytest.raises(AccessDenied):
            change("admin", by=clerk)
    assert (journal(staff.store), staff.accounts()) == before
    assert staff.sign_in("admin", "444444") == ADMIN


@pytest.mark.slow
def test_unknown_names_and_bad_pins_change_nothing(office):
    staff, _ = office
    before = journal(staff.store)
    for change in (staff.disable, staff.enable, lambda n, by: staff.set_pin(n, "9999", by)):
        with pytest.raises(StaffError, match="no account named Nobody"):
            change("Nobody", by=ADMIN)
    with pytest.raises(StaffError, match="4 to 64"):
        staff.set_pin("Ann Dupont", "12", by=ADMIN)
    assert journal(staff.store) == before
    assert staff.sign_in("Ann Dupont", "482913").name == "Ann Dupont"


def test_disabling_or_enabling_twice_is_refused_and_journals_nothing(office):
    # It journalled the change again and said nothing, where the hub refuses it.
    staff, _ = office
    staff.disable("Ann Dupont", by=ADMIN)
    before = journal(staff.store)
    with pytest.raises(StaffError, match="Ann Dupont is already disabled: nothing was changed"):
        staff.disable("ann dupont", by=ADMIN)
    staff.enable("Ann Dupont", by=ADMIN)
    with pytest.raises(StaffError, match="Ann Dupont is already enabled"):
        staff.enable("Ann Dupont", by=ADMIN)
    assert journal(staff.store)[len(before) :] == [
        ("admin", "staff_enable", {"account": "Ann Dupont", "role": "administrator"})
    ]


@pytest.mark.slow
def test_cli_sets_a_pin_disables_and_enables(tmp_path, demo_now):
    for name, role, pin, new in (("Zoé", "clerk", "907312", ["--new-store"]),
                                 ("Root", "administrator", "444444", [])):  # fmt: skip
        added = kiosk_cli(tmp_path, "staff", "add", name, "--role", role, "--pin-stdin", *new,
                          stdin=pin + "\n")  # fmt: skip
        assert added.returncode == 0, added.stderr
    root = ("--admin", "Root", "--pin-stdin")  # then the administrator's PIN on stdin
    done = kiosk_cli(tmp_path, "staff", "pin", "zoé", *root, stdin="444444\n118822\n")
    assert done.returncode == 0 and "new PIN set for zoé" in done.stdout, done.stderr
    assert kiosk_cli(tmp_path, "staff", "disable", "Zoé", *root, stdin="444444\n").returncode == 0
    assert (
        kiosk_cli(tmp_path, "staff", "list").stdout == "Root\tadministrator\nZoé\tclerk\tdisabled\n"
    )
    own = kiosk_cli(tmp_path, "staff", "disable", "Root", *root, stdin="444444\n")
    assert own.returncode == 1 and "cannot disable your own account" in own.stderr
    store = Store.in_dir(tmp_path)
    try:
        staff = StaffBook(store, lambda: demo_now)
        refusal(staff, "Zoé", "118822")
        enabled = kiosk_cli(tmp_path, "staff", "enable", "Zoé", *root, stdin="444444\n")
        assert enabled.returncode == 0, enabled.stderr
        assert staff.sign_in("Zoé", "118822").role is Role.CLERK
        assert journal(store)[-2][:2] == ("Root", "staff_enable")
    finally:
        store.close()


@pytest.mark.slow
def test_once_there_is_an_administrator_only_a_signed_in_one_changes_accounts(tmp_path):
    first = kiosk_cli(tmp_path, "staff", "add", "Root", "--role", "administrator",
                      "--pin-stdin", "--new-store", stdin="604417\n")  # fmt: skip
    assert first.returncode == 0, first.stderr  # the first account: the operator at the shell
    add = ("staff", "add", "Zoé", "--role", "clerk")
    before = kiosk_cli(tmp_path, "staff", "list").stdout
    for args, stdin, why in [
        ((), "907312\n", "give --admin NAME"),
        (("--admin", "Root"), "604418\n907312\n", "not recognised for Root"),
        (("--admin", "Nobody"), "604417\n907312\n", "not recognised for Nobody"),
    ]:
        out = kiosk_cli(tmp_path, *add, *args, "--pin-stdin", stdin=stdin)
        assert out.returncode == 1 and why in out.stderr and "nothing was done" in out.stderr
        assert kiosk_cli(tmp_path, "staff", "list").stdout == before
    done = kiosk_cli(tmp_path, *add, "--admin", "root", "--pin-stdin", stdin="604417\n907312\n")
    assert done.returncode == 0, done.stderr
    store = Store.in_dir(tmp_path)
    try:
        assert journal(store)[-1] == (
            "Root", "staff_add", {"added": "Zoé", "added_role": "clerk", "role": "administrator"}
        )  # fmt: skip
    finally:
        store.close()


@pytest.mark.slow
def test_cli_lifts_a_wait(tmp_path, demo_now):
    for name, role, pin, new in (("Zoé", "clerk", "907312", ["--new-store"]),
                                 ("Root", "administrator", "604417", [])):  # fmt: skip
        added = kiosk_cli(tmp_path, "staff", "add", name, "--role", role, "--pin-stdin", *new,
                          stdin=pin + "\n")  # fmt: skip
        assert added.returncode == 0, added.stderr
    store = Store.in_dir(tmp_path)
    try:
        staff = StaffBook(store, lambda: demo_now)
        for _ in range(FREE_TRIES + 1):
            refusal(staff, "Zoé", "000000")
        refusal(staff, "Zoé", "907312")  # she waits
        unlocked = kiosk_cli(tmp_path, "staff", "unlock", "zoé", "--admin", "Root",
                             "--pin-stdin", stdin="604417\n")  # fmt: skip
        assert unlocked.returncode == 0 and "unlocked zoé" in unlocked.stdout, unlocked.stderr
        assert staff.sign_in("Zoé", "907312").name == "Zoé"
    finally:
        store.close()


def test_a_pin_is_renewed_by_its_owner_only_with_the_old_one(book):
    staff, _ = book
    ann = Actor("Ann Dupont", Role.CLERK)
    assert not staff.pin_renewal_due(ann, "482913")  # long enough for a clerk
    with pytest.raises(SignInRefused):
        staff.renew_pin(ann, "000000", "771234")  # not the old PIN: nothing changes
    with pytest.raises(StaffError, match="other than the old one"):
        staff.renew_pin(ann, "482913", "482913")
    with pytest.raises(StaffError, match="4 to"):
        staff.renew_pin(ann, "482913", "77")
    staff.renew_pin(ann, "482913", "771234")
    refusal(staff, "Ann Dupont", "482913")
    assert staff.sign_in("Ann Dupont", "771234") == ann
    assert ("Ann Dupont", "staff_pin", {"account": "Ann Dupont", "role": "clerk"}) in journal(
        staff.store
    )
    staff.add("Bea", Role.ADMINISTRATOR, "556677")
    staff.disable("Ann Dupont")
    with pytest.raises(AccountStopped):
        staff.renew_pin(ann, "771234", "881234")


def test_a_pin_below_the_minimum_of_a_supervisor_is_due_for_renewal(book):
    staff, _ = book
    sup = Actor("Sam", Role.SUPERVISOR)
    staff.add("Sam", Role.SUPERVISOR, "905412")
    assert not staff.pin_renewal_due(sup, "905412")
    assert staff.pin_renewal_due(sup, "4321")  # an older 4-digit PIN, as typed at sign-in
    with staff.store.writing() as s:
        s.get(StaffRow, "Sam").from_hub = True
    assert not staff.pin_renewal_due(sup, "4321")  # the hub's account: changed at the hub
    with pytest.raises(StaffError, match="hub"):
        staff.renew_pin(sup, "905412", "771234")


def test_an_accented_name_signs_in_however_it_is_cased(book):
    staff, _ = book
    staff.add("Élise Lefèvre", Role.CLERK, "482914")
    assert staff.sign_in("élise lefèvre", "482914") == Actor("Élise Lefèvre", Role.CLERK)
    assert staff.sign_in("ÉLISE LEFÈVRE", "482914") == Actor("Élise Lefèvre", Role.CLERK)
    with pytest.raises(StaffError, match="already an account named Élise Lefèvre"):
        staff.add("ÉLISE LEFÈVRE", Role.SUPERVISOR, "482915")  # one person, one account
    refusal(staff, "élise lefèvre", "000000")  # a wrong PIN counts against the account
    with staff.store.reading() as s:
        assert s.get(StaffRow, "Élise Lefèvre").failed_count == 1
    staff.disable("ÉLISE LEFÈVRE")
    refusal(staff, "Élise Lefèvre", "482914")


# --- A folder with no store: refused, except `staff add --new-store` ---------------------


def _files(folder) -> list:
    return sorted(p.relative_to(folder) for p in folder.rglob("*")) if folder.exists() else []


def _kiosk_main(capsys, *words, stdin: str = "") -> tuple[int, str, str]:
    """`kiosk WORDS` in this process: its exit status, stdout and stderr."""
    from app.cli import main

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        try:
            status = main(list(words))
        except SystemExit as done:  # as Python ends the process: a message is status 1
            status = done.code if isinstance(done.code, int) else 1
            print(done.code, file=sys.stderr)
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize(
    "words",
    [
        ["staff", "list"],
        ["staff", "add", "Root", "--role", "administrator", "--pin-stdin"],
        ["staff", "pin", "Root", "--pin-stdin"],
        ["staff", "disable", "Zoé", "--pin-stdin"],
        ["purge", "--admin", "Root", "--pin-stdin"],
    ],
    ids=lambda w: " ".join(w[:2]),
)
@pytest.mark.parametrize("where", ["missing", "empty", "other files"])
def test_a_folder_with_no_store_is_refused_and_left_as_it_was(tmp_path, capsys, words, where):
    """`staff list`, `staff add` (and `purge`) on a mistyped --data-dir made an empty store
    there, which `kiosk run` then opened, refusing every applicant."""
    folder = tmp_path / "kiosk-G1"
    if where != "missing":
        folder.mkdir()
    if where == "other files":
        (folder / "notes.txt").write_text("not a kiosk")
    before = _files(folder)
    status, _, err = _kiosk_main(capsys, *words, "--data-dir", str(folder), stdin="604417\n")
    assert status == 2 and f"{folder} holds no kiosk store" in err
    assert ("give --new-store" in err) is (words[1] == "add")
    assert folder.exists() is (where != "missing") and _files(folder) == before


def test_new_store_makes_a_new_kiosks_store_once_and_nothing_when_refused(tmp_path, capsys):
    folder = tmp_path / "new" / "kiosk-G1"
    add = ("staff", "add", "Root", "--role", "administrator", "--pin-stdin", "--new-store")
    short = _kiosk_main(capsys, *add, "--data-dir", str(folder), stdin="12\n")
    assert short[0] == 1 and "PIN has" in short[2]
    assert not (tmp_path / "new").exists()  # a refused first account leaves no store behind
    done = _kiosk_main(capsys, *add, "--data-dir", str(folder), stdin="604417\n")
    assert done[0] == 0 and f"new kiosk store in {folder}" in done[1], done[2]
    again = _kiosk_main(capsys, *add, "--data-dir", str(folder), stdin="604417\n")
    assert again[0] == 2 and "holds a kiosk store already: leave out --new-store" in again[2]
    assert _kiosk_main(capsys, "staff", "list", "--data-dir", str(folder))[1] == (
        "Root\tadministrator\n"
    )
