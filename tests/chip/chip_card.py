"""An emulated passport chip for the tests: vsmartcard's VirtualICC carries the APDUs
between vpcd (the virtual reader in pcscd) and this card, whose BAC and secure messaging
are written here from Doc 9303 part 11 (with pycryptodome, apart from the product's).

Run as a program: `python chip_card.py FILES_DIR PORT [--remove-after N]`, where
FILES_DIR holds `mrz.txt`, one `XXXX.bin` per file identifier, and `aa_key.pem` when
the chip does Active Authentication. With --remove-after
the card vanishes, unanswered, at its N-th command, as a passport lifted off a reader.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
import sys
from pathlib import Path

from Crypto.Cipher import DES, DES3
from Crypto.Hash import SHA256
from Crypto.PublicKey import ECC
from Crypto.Signature import DSS

VSMARTCARD = "/usr/lib/python3/site-packages/virtualsmartcard"
AID = bytes.fromhex("A0000002471001")
SW_OK = b"\x90\x00"
ATR = bytes.fromhex("3b951381018073ff01000b")  # vsmartcard's ISO 7816 card's, T=1


def _pad(data: bytes) -> bytes:
    data += b"\x80"
    return data + b"\x00" * (-len(data) % 8)


def _unpad(data: bytes) -> bytes:
    return data[: data.rstrip(b"\x00").rindex(b"\x80")]


def _key(seed: bytes, counter: int) -> bytes:
    return DES3.adjust_key_parity(hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()[:16])


def _enc(key: bytes, data: bytes) -> bytes:
    return DES3.new(key, DES3.MODE_CBC, iv=bytes(8)).encrypt(data)


def _dec(key: bytes, data: bytes) -> bytes:
    return DES3.new(key, DES3.MODE_CBC, iv=bytes(8)).decrypt(data)


def _mac(key: bytes, data: bytes) -> bytes:
    last = DES.new(key[:8], DES.MODE_CBC, iv=bytes(8)).encrypt(_pad(data))[-8:]
    last = DES.new(key[8:], DES.MODE_ECB).decrypt(last)
    return DES.new(key[:8], DES.MODE_ECB).encrypt(last)


def _tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    length = bytes([n]) if n < 0x80 else bytes([0x81, n])
    return bytes([tag]) + length + value


def _read_tlvs(data: bytes) -> dict[int, bytes]:
    out, i = {}, 0
    while i < len(data):
        tag, n = data[i], data[i + 1]
        i += 2
        if n == 0x81:
            n, i = data[i], i + 1
        out[tag] = data[i : i + n]
        i += n
    return out


def _check_digit(text: str) -> str:
    values = [int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in text]
    return str(sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10)


def mrz_seed(mrz: str) -> bytes:
    """K_seed from a TD3 MRZ (one line of 88): number, birth date, expiry and checks."""
    line2 = mrz[44:]
    info = line2[0:10] + line2[13:20] + line2[21:28]
    assert info[9] == _check_digit(info[:9]), "bad test MRZ"
    return hashlib.sha1(info.encode()).digest()[:16]


class PassportOS:
    """The card: the eMRTD application, BAC and secure messaging, transparent files."""

    def __init__(
        self,
        files: dict[int, bytes],
        mrz: str,
        atr: bytes,
        remove_after: int | None,
        aa_key: bytes | None = None,
    ):
        self.files = files
        self.aa_key = ECC.import_key(aa_key) if aa_key else None
        self.seed = mrz_seed(mrz)
        self.atr = atr
        self.remove_after = remove_after
        self.commands = 0
        self.reset()

    def getATR(self) -> bytes:
        return self.atr

    def powerUp(self) -> None:
        self.reset()

    def powerDown(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.selected_app = False
        self.rnd_ic = b""
        self.session: tuple[bytes, bytes] | None = None
        self.ssc = 0
        self.current: bytes | None = None

    def execute(self, apdu: bytes) -> bytes:
        self.commands += 1
        if self.remove_after is not None and self.commands >= self.remove_after:
            logging.warning("card removed at command %d", self.commands)
            os._exit(0)  # the socket closes unanswered: vpcd reports the card gone
        cla, ins, p1 = apdu[:3]
        if cla & 0x0C == 0x0C:
            return self._protected(apdu)
        if (ins, p1) == (0xA4, 0x04):
            self.reset()
            self.selected_app = apdu[5 : 5 + apdu[4]] == AID
            return SW_OK if self.selected_app else b"\x6a\x82"
        if ins == 0x84 and self.selected_app:
            self.rnd_ic = os.urandom(8)
            return self.rnd_ic + SW_OK
        if ins == 0x82 and self.rnd_ic:
            return self._external_authenticate(apdu[5 : 5 + apdu[4]])
        return b"\x69\x82"

    def _external_authenticate(self, data: bytes) -> bytes:
        k_enc, k_mac = _key(self.seed, 1), _key(self.seed, 2)
        e_ifd, m_ifd = data[:32], data[32:40]
        if len(data) != 40 or not hmac.compare_digest(_mac(k_mac, e_ifd), m_ifd):
            return b"\x63\x00"
        plain = _dec(k_enc, e_ifd)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:]
        if rnd_ic != self.rnd_ic:
            return b"\x63\x00"
        k_ic = os.urandom(16)
        e_ic = _enc(k_enc, self.rnd_ic + rnd_ifd + k_ic)
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        self.session = (_key(seed, 1), _key(seed, 2))
        self.ssc = int.from_bytes(self.rnd_ic[4:] + rnd_ifd[4:], "big")
        return e_ic + _mac(k_mac, e_ic) + SW_OK

    def _next_ssc(self) -> bytes:
        self.ssc += 1
        return self.ssc.to_bytes(8, "big")

    def _protected(self, apdu: bytes) -> bytes:
        if self.session is None:
            return b"\x69\x88"
        ks_enc, ks_mac = self.session
        body = apdu[5 : 5 + apdu[4]]
        dos = _read_tlvs(body)
        covered = body[: body.index(b"\x8e\x08")]
        if not hmac.compare_digest(
            _mac(ks_mac, self._next_ssc() + _pad(apdu[:4]) + covered), dos.get(0x8E, b"")
        ):
            self.session = None  # Doc 9303: a wrong MAC ends the session
            return b"\x69\x88"
        data = _unpad(_dec(ks_enc, dos[0x87][1:])) if 0x87 in dos else b""
        le = dos[0x97][0] or 256 if 0x97 in dos else 0
        answer, sw = self._plain(apdu[1], apdu[2], apdu[3], data, le)
        out = _tlv(0x87, b"\x01" + _enc(ks_enc, _pad(answer))) if answer else b""
        out += _tlv(0x99, sw)
        return out + _tlv(0x8E, _mac(ks_mac, self._next_ssc() + out)) + SW_OK

    def _plain(self, ins: int, p1: int, p2: int, data: bytes, le: int) -> tuple[bytes, bytes]:
        if ins == 0xA4 and p1 == 0x02:
            self.current = self.files.get(int.from_bytes(data, "big"))
            return b"", SW_OK if self.current is not None else b"\x6a\x82"
        if ins == 0x88 and self.aa_key is not None and len(data) == 8:
            # Active Authentication: a plain (r||s) ECDSA signature of the challenge.
            return DSS.new(self.aa_key, "fips-186-3").sign(SHA256.new(data)), SW_OK
        if ins == 0xB0 and self.current is not None:
            offset = p1 << 8 | p2
            return self.current[offset : offset + le], SW_OK
        return b"", b"\x6d\x00"


def load_files(folder: Path) -> tuple[dict[int, bytes], str, bytes | None]:
    """The files in `folder` by identifier, the MRZ that opens them, and the Active
    Authentication key (aa_key.pem) if the chip has one."""
    files = {int(p.stem, 16): p.read_bytes() for p in folder.glob("*.bin")}
    key = folder / "aa_key.pem"
    aa = key.read_bytes() if key.exists() else None
    return files, (folder / "mrz.txt").read_text().strip(), aa


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--remove-after", type=int)
    args = parser.parse_args()
    sys.path.append(VSMARTCARD)
    from virtualsmartcard.VirtualSmartcard import VirtualICC

    # The card is ready before the link opens: vpcd asks for the ATR as soon as it accepts
    # the connection, and a late answer desynchronises it.
    files, mrz, aa = load_files(args.files)
    card = PassportOS(files, mrz, ATR, args.remove_after, aa)
    vicc = VirtualICC(None, "iso7816", "localhost", args.port, logginglevel=logging.WARNING)
    vicc.os = card
    vicc.run()


if __name__ == "__main__":
    main()
