"""An emulated passport chip for the tests: vsmartcard's VirtualICC carries the APDUs
between vpcd (the virtual reader in pcscd) and this card, whose BAC, PACE and secure
messaging are written here from Doc 9303 part 11 (with pycryptodome, apart from the
product's). PACE is the card side of id-PACE-ECDH-GM-AES-CBC-CMAC-128/192/256 on NIST
P-256 (standardized parameters 12), offered when the files include EF.CardAccess (011C),
for the protocol that file names. Active Authentication signs with an ECDSA key (plain
r||s, SHA-256) or an RSA key (ISO/IEC 9796-2 scheme 1, SHA-1 trailer BC or SHA-256 34CC);
Chip Authentication (ECDH on P-256) takes MSE:Set KAT (3DES) or MSE:Set AT and General
Authenticate (AES) under secure messaging and restarts it under the new keys.

Run as a program: `python chip_card.py FILES_DIR PORT [--remove-after N]`, where
FILES_DIR holds `mrz.txt`, one `XXXX.bin` per file identifier, `aa_key.pem` when
the chip does Active Authentication, `ca_key.pem` when it does Chip Authentication and
`can.txt` when it takes a CAN. With --remove-after
the card vanishes, unanswered, at its N-th command, as a passport lifted off a reader.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from Crypto.Cipher import AES, DES, DES3
from Crypto.Hash import CMAC, SHA256
from Crypto.PublicKey import ECC, RSA
from Crypto.Signature import DSS

VSMARTCARD = "/usr/lib/python3/site-packages/virtualsmartcard"
AID = bytes.fromhex("A0000002471001")
SW_OK = b"\x90\x00"
ATR = bytes.fromhex("3b951381018073ff01000b")  # vsmartcard's ISO 7816 card's, T=1
CARD_ACCESS = 0x011C
# id-PACE-ECDH-GM-AES-CBC-CMAC-128, -192, -256 (content bytes) and their key sizes
PACE_OIDS = {bytes.fromhex("04007F000702020402") + bytes([n]): 8 * n for n in (2, 3, 4)}
P256 = 12  # the standardized domain parameters' id for NIST P-256
# id-CA-DH- and id-CA-ECDH-AES-CBC-CMAC-128, -192, -256 (content bytes) and key sizes
CA_AES_OIDS = {
    bytes.fromhex(family) + bytes([n]): 8 * n
    for family in ("04007F000702020301", "04007F000702020302")
    for n in (2, 3, 4)
}


def _pad(data: bytes, block: int = 8) -> bytes:
    data += b"\x80"
    return data + b"\x00" * (-len(data) % block)


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
    return tag.to_bytes(2 if tag > 0xFF else 1, "big") + length + value


def _cmac(key: bytes, data: bytes) -> bytes:
    return CMAC.new(key, data, ciphermod=AES).digest()[:8]


def _aes_kdf(secret: bytes, counter: int, size: int) -> bytes:
    """Doc 9303 part 11, 9.7.1: SHA-1 for AES-128, SHA-256 for AES-192 and -256."""
    digest = hashlib.sha1 if size == 16 else hashlib.sha256
    return digest(secret + counter.to_bytes(4, "big")).digest()[:size]


def _point(data: bytes) -> ECC.EccPoint:
    """A P-256 point from 04 || x || y; pycryptodome refuses one off the curve."""
    if len(data) != 65 or data[0] != 4:
        raise ValueError("not an uncompressed P-256 point")
    return ECC.EccPoint(
        int.from_bytes(data[1:33], "big"), int.from_bytes(data[33:], "big"), "P-256"
    )


def _encode(point: ECC.EccPoint) -> bytes:
    return b"\x04" + int(point.x).to_bytes(32, "big") + int(point.y).to_bytes(32, "big")


def _public_key_object(oid: bytes, point: ECC.EccPoint) -> bytes:
    return _tlv(0x7F49, _tlv(0x06, oid) + _tlv(0x86, _encode(point)))


def _secret_scalar() -> int:
    return int(ECC.generate(curve="P-256").d)


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


def rsa_aa_signature(key: RSA.RsaKey, m2: bytes, hash_id: int | None = None) -> bytes:
    """ISO/IEC 9796-2 scheme 1, partial recovery: F = 6A || M1 || H(M1 || M2) || trailer
    (BC for SHA-1, 34 CC for SHA-256), M1 a fresh nonce filling the modulus; F^d mod n."""
    size = (key.n.bit_length() + 7) // 8
    if hash_id is None:
        digest, trailer = hashlib.sha1, b"\xbc"
    else:
        digest, trailer = hashlib.sha256, bytes([hash_id, 0xCC])
    m1 = os.urandom(size - 1 - digest().digest_size - len(trailer))
    f = b"\x6a" + m1 + digest(m1 + m2).digest() + trailer
    return pow(int.from_bytes(f, "big"), key.d, key.n).to_bytes(size, "big")


def _check_digit(text: str) -> str:
    values = [int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55 for c in text]
    return str(sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10)


def mrz_seed(mrz: str) -> bytes:
    """K_seed from a TD3 MRZ (one line of 88): number, birth date, expiry and checks."""
    return mrz_password(mrz)[:16]


def mrz_password(mrz: str) -> bytes:
    """SHA-1 of a TD3 MRZ's number, birth date, expiry and their check digits."""
    line2 = mrz[44:]
    info = line2[0:10] + line2[13:20] + line2[21:28]
    assert info[9] == _check_digit(info[:9]), "bad test MRZ"
    return hashlib.sha1(info.encode()).digest()


class PassportOS:
    """The card: the eMRTD application, BAC and secure messaging, transparent files."""

    def __init__(
        self,
        files: dict[int, bytes],
        mrz: str,
        atr: bytes,
        remove_after: int | None,
        aa_key: bytes | None = None,
        can: str | None = None,
        ca_key: bytes | None = None,
    ):
        self.files = files
        self.aa_key = _private_key(aa_key) if aa_key else None
        self.ca_agree = _ecdh(ca_key) if ca_key else None
        self.seed = mrz_seed(mrz)
        self.passwords = {1: mrz_password(mrz)} | ({2: can.encode()} if can else {})
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
        self.aes = False
        self.current: bytes | None = None
        self.pace: dict = {}
        self.ca_size = 0  # the AES key size MSE:Set AT chose for Chip Authentication
        self.renewed: tuple[tuple[bytes, bytes], bool] | None = None  # after this answer

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
        if (ins, p1) == (0xA4, 0x02) and not self.selected_app:
            fid = int.from_bytes(apdu[5 : 5 + apdu[4]], "big")
            self.current = self.files.get(fid) if fid == CARD_ACCESS else None
            return SW_OK if self.current is not None else b"\x6a\x82"
        if ins == 0xB0 and not self.selected_app and self.current is not None:
            offset = apdu[2] << 8 | apdu[3]
            return self.current[offset : offset + (apdu[4] or 256)] + SW_OK
        if ins == 0x22 and CARD_ACCESS in self.files:
            return self._set_at(_read_tlvs(apdu[5 : 5 + apdu[4]]))
        if ins == 0x86 and self.pace.get("password"):
            return self._general_authenticate(_read_tlvs(apdu[5 : 5 + apdu[4]]).get(0x7C))
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

    def _set_at(self, dos: dict[int, bytes]) -> bytes:
        """MSE:Set AT: the PACE protocol, the password (1 MRZ, 2 CAN), the parameters."""
        self.reset()
        ref, oid = dos.get(0x83, b"\x00")[0], dos.get(0x80, b"")
        offered = oid in PACE_OIDS and oid in self.files[CARD_ACCESS]  # what EF.CardAccess names
        if not offered or dos.get(0x84) != bytes([P256]) or ref not in self.passwords:
            return b"\x6a\x80"
        self.pace = {"password": self.passwords[ref], "oid": oid, "size": PACE_OIDS[oid]}
        return SW_OK

    def _general_authenticate(self, data: bytes | None) -> bytes:
        """The chip's side of the four PACE steps; a wrong token ends the attempt (6300)."""
        dos, st = _read_tlvs(data or b""), self.pace
        try:
            if data == b"" and "s" not in st:
                st["s"] = os.urandom(16)
                k_pi = _aes_kdf(st["password"], 3, st["size"])
                z = AES.new(k_pi, AES.MODE_CBC, iv=bytes(16)).encrypt(st["s"])
                return _tlv(0x7C, _tlv(0x80, z)) + SW_OK
            if 0x81 in dos and "s" in st and "g" not in st:
                sk = _secret_scalar()
                shared = _point(dos[0x81]) * sk
                g = ECC.construct(curve="P-256", d=1).pointQ
                st["g"] = g * int.from_bytes(st["s"], "big") + shared
                return _tlv(0x7C, _tlv(0x82, _encode(g * sk))) + SW_OK
            if 0x83 in dos and "g" in st and "keys" not in st:
                sk = _secret_scalar()
                st["ifd"], st["ic"] = _point(dos[0x83]), st["g"] * sk
                k = int((st["ifd"] * sk).x).to_bytes(32, "big")
                st["keys"] = _aes_kdf(k, 1, st["size"]), _aes_kdf(k, 2, st["size"])
                return _tlv(0x7C, _tlv(0x84, _encode(st["ic"]))) + SW_OK
        except ValueError:
            self.pace = {}
            return b"\x6a\x80"
        if 0x85 in dos and "keys" in st:
            ks_enc, ks_mac = st["keys"]
            self.pace = {}
            expected = _cmac(ks_mac, _public_key_object(st["oid"], st["ic"]))
            if not hmac.compare_digest(dos[0x85], expected):
                return b"\x63\x00"
            self.session, self.aes, self.ssc = (ks_enc, ks_mac), True, 0
            t_ic = _cmac(ks_mac, _public_key_object(st["oid"], st["ifd"]))
            return _tlv(0x7C, _tlv(0x86, t_ic)) + SW_OK
        return b"\x69\x85"

    def _next_ssc(self) -> bytes:
        self.ssc += 1
        return self.ssc.to_bytes(16 if self.aes else 8, "big")

    def _sm_pad(self, data: bytes) -> bytes:
        return _pad(data, 16 if self.aes else 8)

    def _sm_enc(self, key: bytes, ssc: bytes, data: bytes) -> bytes:
        if not self.aes:
            return _enc(key, _pad(data))
        iv = AES.new(key, AES.MODE_ECB).encrypt(ssc)
        return AES.new(key, AES.MODE_CBC, iv=iv).encrypt(_pad(data, 16))

    def _sm_dec(self, key: bytes, ssc: bytes, data: bytes) -> bytes:
        if not self.aes:
            return _unpad(_dec(key, data))
        iv = AES.new(key, AES.MODE_ECB).encrypt(ssc)
        return _unpad(AES.new(key, AES.MODE_CBC, iv=iv).decrypt(data))

    def _sm_mac(self, key: bytes, data: bytes) -> bytes:
        return _cmac(key, _pad(data, 16)) if self.aes else _mac(key, data)

    def _protected(self, apdu: bytes) -> bytes:
        if self.session is None:
            return b"\x69\x88"
        ks_enc, ks_mac = self.session
        body = apdu[5 : 5 + apdu[4]]
        dos = _read_tlvs(body)
        covered = body[:-10] if body[-10:-8] == b"\x8e\x08" else b""  # 8E ends the body
        ssc = self._next_ssc()
        if not hmac.compare_digest(
            self._sm_mac(ks_mac, ssc + self._sm_pad(apdu[:4]) + covered), dos.get(0x8E, b"")
        ):
            self.session = None  # Doc 9303: a wrong MAC ends the session
            return b"\x69\x88"
        data = self._sm_dec(ks_enc, ssc, dos[0x87][1:]) if 0x87 in dos else b""
        le = dos[0x97][0] or 256 if 0x97 in dos else 0
        answer, sw = self._plain(apdu[1], apdu[2], apdu[3], data, le)
        ssc = self._next_ssc()
        out = _tlv(0x87, b"\x01" + self._sm_enc(ks_enc, ssc, answer)) if answer else b""
        out += _tlv(0x99, sw)
        out += _tlv(0x8E, self._sm_mac(ks_mac, ssc + out)) + SW_OK
        if self.renewed is not None:  # Chip Authentication: the old keys answered last
            (self.session, self.aes), self.ssc, self.renewed = self.renewed, 0, None
        return out

    def _chip_authentication(self, ins: int, p2: int, data: bytes) -> bytes:
        """MSE:Set KAT (3DES: the key at once), MSE:Set AT (AES: the protocol), General
        Authenticate (AES: the key); new keys from the ECDH secret once this is answered."""
        dos = _read_tlvs(data)
        if ins == 0x22 and p2 == 0xA4:
            oid = dos.get(0x80, b"")
            self.ca_size = CA_AES_OIDS.get(oid, 0) if oid in self.files[0x010E] else 0
            return SW_OK if self.ca_size else b"\x6a\x80"
        if ins == 0x22 and p2 == 0xA6 and 0x91 in dos:
            public, size = dos[0x91], 0
        elif ins == 0x86 and self.ca_size and 0x80 in _read_tlvs(dos.get(0x7C, b"")):
            public, size = _read_tlvs(dos[0x7C])[0x80], self.ca_size
        else:
            return b"\x69\x85"
        try:
            k = self.ca_agree(public)
        except ValueError:
            return b"\x6a\x80"
        keys = (_aes_kdf(k, 1, size), _aes_kdf(k, 2, size)) if size else (_key(k, 1), _key(k, 2))
        self.renewed = (keys, bool(size))
        return SW_OK

    def _plain(self, ins: int, p1: int, p2: int, data: bytes, le: int) -> tuple[bytes, bytes]:
        if ins == 0xA4 and p1 == 0x04:  # the application, selected under PACE's channel
            self.selected_app = data == AID
            return b"", SW_OK if self.selected_app else b"\x6a\x82"
        if ins == 0xA4 and p1 == 0x02:
            self.current = self.files.get(int.from_bytes(data, "big"))
            return b"", SW_OK if self.current is not None else b"\x6a\x82"
        if ins == 0x88 and self.aa_key is not None and len(data) == 8:
            if isinstance(self.aa_key, RSA.RsaKey):
                return rsa_aa_signature(self.aa_key, data), SW_OK
            # Active Authentication: a plain (r||s) ECDSA signature of the challenge.
            return DSS.new(self.aa_key, "fips-186-3").sign(SHA256.new(data)), SW_OK
        if ins in (0x22, 0x86) and self.ca_agree is not None:
            return b"", self._chip_authentication(ins, p2, data)
        if ins == 0xB0 and self.current is not None:
            offset = p1 << 8 | p2
            return self.current[offset : offset + le], SW_OK
        return b"", b"\x6d\x00"


def _ecdh(key_pem: bytes) -> Callable[[bytes], bytes]:
    """The chip's side of Chip Authentication's key agreement: the shared secret for the
    terminal's public key. ECDH (x) on P-256 with pycryptodome, other curves (brainpool)
    with `cryptography`, pycryptodome having none; DH (y^x mod p, p's length) by hand,
    from a key written "DH <p> <x>" in hex."""
    if key_pem.startswith(b"DH "):
        p, x = (int(h, 16) for h in key_pem.split()[1:])
        size = (p.bit_length() + 7) // 8

        def dh_agree(public: bytes) -> bytes:
            y = int.from_bytes(public, "big")
            if not 1 < y < p - 1:
                raise ValueError("not a public value of the group")
            return pow(y, x, p).to_bytes(size, "big")

        return dh_agree
    try:
        d = int(ECC.import_key(key_pem).d)
        return lambda public: int((_point(public) * d).x).to_bytes(32, "big")
    except ValueError:
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        key = load_pem_private_key(key_pem, None)

    def agree(public: bytes) -> bytes:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, public)
        return key.exchange(ec.ECDH(), peer)

    return agree


def _private_key(pem: bytes) -> ECC.EccKey | RSA.RsaKey:
    """An ECDSA or RSA Active Authentication key, whichever the PEM holds."""
    try:
        return RSA.import_key(pem)
    except ValueError:
        return ECC.import_key(pem)


def load_files(folder: Path) -> tuple[dict[int, bytes], str, dict]:
    """The files in `folder` by identifier, the MRZ that opens them, and the chip's keys
    and CAN as PassportOS takes them (aa_key.pem, ca_key.pem, can.txt), those it has."""
    files = {int(p.stem, 16): p.read_bytes() for p in folder.glob("*.bin")}
    extras: dict = {}
    for name, arg in (("aa_key.pem", "aa_key"), ("ca_key.pem", "ca_key")):
        if (folder / name).exists():
            extras[arg] = (folder / name).read_bytes()
    if (folder / "can.txt").exists():
        extras["can"] = (folder / "can.txt").read_text().strip()
    return files, (folder / "mrz.txt").read_text().strip(), extras


class QuickAck:
    """The emulator's link to vpcd, acknowledging each segment at once.

    vpcd writes an APDU's length and its bytes in two segments; Nagle holds the second
    until the first is acknowledged, and Linux delays that acknowledgement by 40 ms. A
    chip read of some 40 APDUs then waited about 1.7 s on the link alone (a reader on USB
    has no such wait). TCP_QUICKACK is not sticky, hence set before every receive.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def recv(self, size: int) -> bytes:
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        return self._sock.recv(size)

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


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
    files, mrz, extras = load_files(args.files)
    card = PassportOS(files, mrz, ATR, args.remove_after, **extras)
    vicc = VirtualICC(None, "iso7816", "localhost", args.port, logginglevel=logging.WARNING)
    vicc.os = card
    vicc.sock = QuickAck(vicc.sock)
    vicc.run()


if __name__ == "__main__":
    main()
