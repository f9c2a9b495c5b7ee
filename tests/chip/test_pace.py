"""PACE: the mapping, key derivation and tokens against Doc 9303 part 11's worked example
(appendix G, ECDH Generic Mapping on brainpoolP256r1 with AES-128); the curve arithmetic
against `cryptography` and pycryptodome; the terminal against the harness chip in
process (fast) and through pcscd end to end (slow): MRZ, CAN, wrong passwords."""

from __future__ import annotations

from datetime import date

import pytest
from chip_card import PassportOS
from chip_fixtures import PcscSite
from chip_passports import CARD_ACCESS, Holder, card_access, make_authority, make_passport
from Crypto.PublicKey import ECC
from cryptography.hazmat.primitives.asymmetric import ec as cec

from chip import ec, pace
from chip.bac import AccessDenied, AccessKey, Session
from chip.reading import NO_PACE_FOR_CAN, read_passport
from chip.secure_messaging import Command, SecureChannel, SecureMessagingError
from kiosk.chip_check import ChipStatus, check_chip
from scanning import mrz

# Doc 9303 part 11, appendix G (G.1): the worked example's inputs and results.
EXAMPLE_KEY = AccessKey("T22000129", date(1964, 8, 12), date(2010, 10, 31))
EXAMPLE = pace.PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 13)
BP = ec.BRAINPOOL_P256R1
Z = bytes.fromhex("95A3A016522EE98D01E76CB6B98B42C3")
S = 0x3F00C4D39D153F2B2A214A078D899B22
SK_MAP_IFD = 0x7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99
SK_MAP_IC = 0x498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560
H = (
    0x60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5,
    0x0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181,
)
G_MAPPED = (
    0x8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2,
    0x8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522,
)
SK_EPH_IFD = 0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595
SK_EPH_IC = 0x107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A
K = "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
TODAY = date(2026, 2, 14)


def test_password_key_and_nonce_match_doc_9303():
    secret, reference = pace.password(EXAMPLE_KEY)
    assert reference == pace.MRZ
    k_pi = pace.kdf(secret, 3, 16)
    assert k_pi.hex().upper() == "89DED1B26624EC1E634C1989302849DD"
    assert pace.decrypt_nonce(k_pi, Z) == S


def test_mapping_key_agreement_and_tokens_match_doc_9303():
    shared = BP.multiply(SK_MAP_IFD, BP.multiply(SK_MAP_IC, BP.g))
    assert shared == H
    assert pace.map_generator(BP, S, H) == G_MAPPED
    pk_ifd, pk_ic = BP.multiply(SK_EPH_IFD, G_MAPPED), BP.multiply(SK_EPH_IC, G_MAPPED)
    k = BP.multiply(SK_EPH_IFD, pk_ic)[0].to_bytes(32, "big")
    assert (
        k.hex().upper() == K == BP.multiply(SK_EPH_IC, pk_ifd)[0].to_bytes(32, "big").hex().upper()
    )
    ks_mac = pace.kdf(k, 2, 16)
    assert pace.kdf(k, 1, 16).hex().upper() == "F5F0E35C0D7161EE6724EE513A0D9A7F"
    assert ks_mac.hex().upper() == "FE251C7858B356B24514B3BD5F4297D1"
    assert pace.token(ks_mac, EXAMPLE.oid, BP, pk_ic).hex().upper() == "C2B0BD78D94BA866"
    assert pace.token(ks_mac, EXAMPLE.oid, BP, pk_ifd).hex().upper() == "3ABB9674BCE93C08"


@pytest.mark.parametrize(
    ("curve", "named"), [(ec.P256, cec.SECP256R1()), (ec.BRAINPOOL_P256R1, cec.BrainpoolP256R1())]
)
def test_curve_arithmetic_agrees_with_cryptography(curve, named):
    a, b = 0x1D2C3B4A59687706F5E4D3C2B1A0, curve.n - 12345
    for k in (1, 2, a, b):
        public = cec.derive_private_key(k, named).public_key().public_numbers()
        assert curve.multiply(k, curve.g) == (public.x, public.y)
    # ECDH: x of a·(b·G), as cryptography computes it.
    mine, theirs = cec.derive_private_key(a, named), cec.derive_private_key(b, named)
    x = mine.exchange(cec.ECDH(), theirs.public_key())
    assert curve.multiply(a, curve.multiply(b, curve.g))[0].to_bytes(32, "big") == x
    assert curve.multiply(curve.n, curve.g) is None
    assert curve.add(curve.g, curve.multiply(curve.n - 1, curve.g)) is None


def test_mapping_on_p256_agrees_with_pycryptodome():
    curve, s, sk = ec.P256, 0xC0FFEE1234, 0xDEADBEEF5678
    h = curve.multiply(sk, curve.g)
    theirs = (
        ECC.construct(curve="P-256", d=1).pointQ * s + ECC.construct(curve="P-256", d=sk).pointQ
    )
    assert pace.map_generator(curve, s, h) == (int(theirs.x), int(theirs.y))


def test_a_point_off_the_curve_or_malformed_is_refused():
    good = ec.P256.encode(ec.P256.g)
    assert ec.P256.decode(good) == ec.P256.g
    off = good[:-1] + bytes([good[-1] ^ 1])
    for data in (off, good[:-1], b"\x02" + good[1:], BP.encode(BP.g)):
        with pytest.raises(ValueError):
            ec.P256.decode(data)


def test_card_access_offers_only_what_the_kiosk_runs():
    assert pace.offered(card_access()) == pace.PaceInfo("0.4.0.127.0.7.2.2.4.2.2", 12)
    assert pace.offered(card_access(13)).curve is BP
    assert pace.offered(card_access(99)) is None  # unknown domain parameters
    assert pace.offered(card_access(12, "0.4.0.127.0.7.2.2.4.1.2")) is None  # DH, not ECDH
    assert pace.offered(b"") is None and pace.offered(b"\x31\x05garbage") is None


def test_a_can_is_six_digits():
    assert pace.password(pace.Can("123456")) == (b"123456", pace.CAN)
    for bad in ("12345", "1234567", "12345a", "١٢٣٤٥٦"):
        with pytest.raises(ValueError):
            pace.Can(bad)


# AES secure messaging against another implementation's published vectors: gematik's
# OpenHealthCardKit (Tests/HealthCardControlTests/SecureMessaging/AES128PaceKeyTest.swift),
# the same BSI TR-03110 secure messaging for the German health card. Their chained test
# counts two SSC values per command and answer; they write lengths in the extended form,
# the kiosk in the short one, so the protected bodies are compared.
SM_KEYS = (
    bytes.fromhex("68406B4162100563D9C901A6154D2901"),
    bytes.fromhex("73FF268784F72AF833FDC9464049AFC9"),
)
MSE_DATA = bytes.fromhex("830D44454356434141543030303031")


@pytest.mark.parametrize(
    ("ssc", "cmd", "body"),
    [
        (2, Command(0x84, 0, 0, le=8), "9701088E081DC3357110820CAD"),
        (6, Command(0x22, 0x81, 0xB6, MSE_DATA),
         "871101BEE6E33D7D2F6D8662ED4CF56739794C8E0808FEA4E3EEEC9720"),
        (10, Command(0x22, 0x81, 0xB6, MSE_DATA, le=8),
         "871101B86BC36EBADED003068B831CC70D8E0E9701088E08972AE4B01DB32993"),
    ],
)  # fmt: skip
def test_aes_protected_commands_match_published_vectors(ssc, cmd, body):
    apdu = SecureChannel(Session(*SM_KEYS, ssc, aes=True)).wrap(cmd)
    assert apdu[5:-1].hex().upper() == body and apdu[4] == len(apdu) - 6


@pytest.mark.parametrize(
    ("answer", "data"),
    [
        ("871101496C26D36306679609665A385C54DB37990290008E08B7E9ED2A0C89FB3A", "05060708090A"),
        ("990290008E08087631D746F87272", ""),
    ],
)
def test_aes_protected_answers_match_published_vectors(answer, data):
    channel = SecureChannel(Session(*SM_KEYS, 0, aes=True))  # the answer at SSC 1
    assert channel.unwrap(bytes.fromhex(answer)) == (bytes.fromhex(data), 0x9000)
    tampered = bytes.fromhex(answer[:-2] + "00")
    with pytest.raises(SecureMessagingError):
        SecureChannel(Session(*SM_KEYS, 0, aes=True)).unwrap(tampered)


# In process: the terminal against the harness chip (its own PACE and AES secure
# messaging, written apart with pycryptodome), no pcscd.

HOLDER = Holder()
KEY = AccessKey(HOLDER.document_number, HOLDER.birth_date, HOLDER.expiry_date)
CHIP_FILES = {CARD_ACCESS: card_access(), 0x0101: b"\x61\x03\x5f\x1f\x00"}


def _chip(can: str | None = "123456", files: dict[int, bytes] = CHIP_FILES) -> PassportOS:
    return PassportOS(files, HOLDER.mrz().replace("\n", ""), b"", None, can=can)


def _transmit(card: PassportOS):
    def transmit(apdu: bytes) -> tuple[bytes, int]:
        answer = card.execute(apdu)
        return answer[:-2], int.from_bytes(answer[-2:], "big")

    return transmit


@pytest.mark.parametrize(
    ("password", "protocol", "key_size"),
    [
        (KEY, "0.4.0.127.0.7.2.2.4.2.2", 16),
        (pace.Can("123456"), "0.4.0.127.0.7.2.2.4.2.2", 16),
        (KEY, "0.4.0.127.0.7.2.2.4.2.3", 24),
        (pace.Can("123456"), "0.4.0.127.0.7.2.2.4.2.4", 32),
    ],
)
def test_pace_opens_an_aes_channel_the_chip_understands(password, protocol, key_size):
    offered = card_access(12, protocol)
    card = _chip(files={**CHIP_FILES, CARD_ACCESS: offered})
    session = pace.establish(_transmit(card), pace.offered(offered), password)
    assert session.aes and session.ssc == 0
    assert len(session.ks_enc) == len(session.ks_mac) == key_size
    channel = SecureChannel(session)
    for cmd in (
        Command(0xA4, 0x04, 0x0C, bytes.fromhex("A0000002471001")),
        Command(0xA4, 0x02, 0x0C, bytes.fromhex("0101")),
    ):
        assert channel.unwrap(card.execute(channel.wrap(cmd))[:-2]) == (b"", 0x9000)
    data, sw = channel.unwrap(card.execute(channel.wrap(Command(0xB0, 0, 0, le=5)))[:-2])
    assert (data, sw) == (CHIP_FILES[0x0101], 0x9000)


@pytest.mark.parametrize(
    "password", [AccessKey("X12345678", date(1980, 1, 1), date(2030, 1, 1)), pace.Can("654321")]
)
def test_a_wrong_password_is_refused_by_the_chip(password):
    card = _chip()
    with pytest.raises(AccessDenied, match="refused the authentication token"):
        pace.establish(_transmit(card), pace.offered(card_access()), password)
    assert card.session is None


def test_a_can_on_a_chip_without_one_is_not_accepted():
    with pytest.raises(pace.PaceError, match="MSE:Set AT refused"):
        pace.establish(_transmit(_chip(can=None)), pace.offered(card_access()), pace.Can("123456"))


# End to end through pcscd and vpcd.


def parse(text: str):
    return mrz.parse(text, today=TODAY).to_id_reading()


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture(scope="module")
def passport(authority):
    return make_passport(authority, pace=True)


def read(key, authority):
    return read_passport(key, [authority.csca], parse, PcscSite.READER)


def test_pace_chip_read_with_the_mrz_is_verified(reader, passport, authority):
    reader.insert(passport.files, passport.holder.mrz())
    result = read(KEY, authority)
    assert result.access == "PACE"
    chip = result.reading
    assert chip.status is ChipStatus.VERIFIED, chip.detail
    assert chip.face == passport.face and chip.chip_id == parse(passport.holder.mrz())
    assert check_chip(chip, parse(passport.holder.mrz())).ok


def test_pace_chip_read_with_the_can_is_verified(reader, passport, authority):
    reader.insert(passport.files, passport.holder.mrz(), can="123456")
    result = read(pace.Can("123456"), authority)
    assert (result.access, result.reading.status) == ("PACE", ChipStatus.VERIFIED)
    assert result.reading.chip_id == parse(passport.holder.mrz())


def test_pace_chip_refusing_a_wrong_mrz_or_can_is_access_denied(reader, passport, authority):
    reader.insert(passport.files, passport.holder.mrz(), can="123456")
    wrong = Holder(document_number="X12345678")
    wrong_key = AccessKey(wrong.document_number, wrong.birth_date, wrong.expiry_date)
    for key in (wrong_key, pace.Can("000000")):
        chip = read(key, authority).reading
        assert chip.status is ChipStatus.ACCESS_DENIED
        assert chip.chip_id is None and chip.face == b""
        check = check_chip(chip, parse(wrong.mrz()))
        assert check.reason_en.startswith("The chip refused the printed MRZ")
    assert read(KEY, authority).reading.status is ChipStatus.VERIFIED


def test_bac_chip_is_read_by_bac_and_refuses_a_can(reader, authority):
    passport = make_passport(authority)
    reader.insert(passport.files, passport.holder.mrz())
    result = read(KEY, authority)
    assert (result.access, result.reading.status) == ("BAC", ChipStatus.VERIFIED)
    chip = read(pace.Can("123456"), authority).reading
    assert chip.status is ChipStatus.ACCESS_DENIED and chip.detail == NO_PACE_FOR_CAN
