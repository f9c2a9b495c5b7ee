"""BAC keys and secure messaging against Doc 9303 part 11's worked example (appendix D)."""

from __future__ import annotations

from datetime import date

import pytest

from chip import sm_crypto
from chip.bac import AccessDenied, AccessKey, Session, authenticate_command, session_from_answer
from chip.secure_messaging import Command, SecureChannel, SecureMessagingError
from kiosk.model import IdReading

KEY = AccessKey("L898902C", date(1969, 8, 6), date(1994, 6, 23))
SESSION = Session(
    bytes.fromhex("979EC13B1CBFE9DCD01AB0FED307EAE5"),
    bytes.fromhex("F1CB1F1FB5ADF208806B89DC579DC1F8"),
    0x887022120C06C226,
)


def test_keys_from_the_mrz_match_doc_9303():
    assert KEY.mrz_information() == "L898902C<369080619406236"
    assert KEY.seed().hex().upper() == "239AB9CB282DAF66231DC5A4DF6BFBAE"
    assert sm_crypto.derive_key(KEY.seed(), 1).hex().upper() == "AB94FDECF2674FDFB9B391F85D7F76F2"
    assert sm_crypto.derive_key(KEY.seed(), 2).hex().upper() == "7962D9ECE03D1ACD4C76089DCE131543"


@pytest.mark.parametrize(
    ("born", "unknown", "printed"),
    [(date(1969, 8, 1), "day", "6908<<5"), (date(1969, 1, 1), "month", "69<<<<9")],
)
def test_a_date_of_birth_partly_unknown_keys_the_chip_as_printed(born, unknown, printed):
    """The MRZ information is the printed characters, fillers and all (Doc 9303 Part 3);
    the 1st the reading stands in for an unknown day or month would not open the chip."""
    reading = IdReading(
        "P", "UTO", "L898902C", "ERIKSSON", "ANNA", "UTO", born, "F", date(1994, 6, 23),
        birth_unknown=unknown,
    )  # fmt: skip
    assert AccessKey.printed(reading).mrz_information() == f"L898902C<3{printed}9406236"


def test_protected_select_and_its_answer_match_doc_9303():
    channel = SecureChannel(SESSION)
    apdu = channel.wrap(Command(0xA4, 0x02, 0x0C, bytes.fromhex("011E")))
    assert apdu.hex().upper() == "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
    data, sw = channel.unwrap(bytes.fromhex("990290008E08FA855A5D4C50A8ED"))
    assert (data, sw) == (b"", 0x9000)


def test_protected_read_binary_answer_matches_doc_9303():
    channel = SecureChannel(SESSION)
    channel.wrap(Command(0xA4, 0x02, 0x0C, bytes.fromhex("011E")))
    channel.unwrap(bytes.fromhex("990290008E08FA855A5D4C50A8ED"))
    apdu = channel.wrap(Command(0xB0, 0, 0, le=4))
    assert apdu.hex().upper() == "0CB000000D9701048E08ED6705417E96BA5500"
    answer = bytes.fromhex("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED")
    assert channel.unwrap(answer) == (bytes.fromhex("60145F01"), 0x9000)


def test_a_tampered_answer_is_refused():
    channel = SecureChannel(SESSION)
    channel.wrap(Command(0xA4, 0x02, 0x0C, bytes.fromhex("011E")))
    with pytest.raises(SecureMessagingError, match="MAC"):
        channel.unwrap(bytes.fromhex("990290018E08FA855A5D4C50A8ED"))


def test_send_sequence_counter_keeps_its_leading_zero_bytes():
    session = Session(SESSION.ks_enc, SESSION.ks_mac, 0x00000000000000FF)
    apdu = SecureChannel(session).wrap(Command(0xB0, 0, 0, le=4))
    body = apdu[5:-1]
    covered = body[: body.index(b"\x8e\x08")]
    ssc = bytes.fromhex("0000000000000100")  # all eight bytes go into the MAC
    assert body.endswith(sm_crypto.mac(session.ks_mac, ssc + sm_crypto.pad(apdu[:4]) + covered))


def test_an_answer_under_another_documents_keys_is_access_denied():
    other = AccessKey("X12345678", date(1980, 1, 1), date(2030, 1, 1))
    answer, _, _ = authenticate_command(other, bytes(8))  # well formed, wrong keys
    _, rnd_ifd, k_ifd = authenticate_command(KEY, bytes(8))
    with pytest.raises(AccessDenied, match="MAC"):
        session_from_answer(KEY, answer, bytes(8), rnd_ifd, k_ifd)
