"""Passport chip reading, step by step, on the emulated chip: a private pcscd with
vsmartcard's virtual reader and the test harness's passport (tests/chip/), as the tests
run it. Each step's time is a median with the 5th and 95th percentiles over the runs:
access control (select + BAC), each file read under secure messaging, passive
authentication, Active Authentication (the challenge and its check); for face images of
two sizes (DG2 is most of the read). Then access control by PACE (EF.CardAccess, ECDH
Generic Mapping on P-256, AES secure messaging) beside BAC on the same passport, and the
file reads under AES secure messaging. Then the proofs that a chip is no copy beside none:
Chip Authentication (ECDH P-256, 3DES and AES-128; DH 1024-bit, AES-128) and Active
Authentication (ECDSA P-256, RSA 1024).

    .venv/bin/python bench/chip_read.py [--runs 5] [--part all|faces|access|copy]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

# The emulator harness (tests/), and the repository itself: the harness imports
# `tests.hub_templates`, and python-barcode puts a `tests` folder of its own in
# site-packages, which a script run from bench/ found instead.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]
from chip_fixtures import running_pcscd  # noqa: E402
from chip_passports import face_jpeg, make_authority, make_passport  # noqa: E402
from common import summary, write_result  # noqa: E402

from chip.bac import AccessKey  # noqa: E402
from chip.pace import Can  # noqa: E402
from chip.reading import read_passport  # noqa: E402
from kiosk.chip_check import ChipStatus  # noqa: E402
from scanning.mrz import parse  # noqa: E402

STEPS = (
    "access control",
    "EF.COM",
    "DG1",
    "DG2",
    "DG14",
    "DG15",
    "EF.SOD",
    "active authentication",
    "passive authentication",
)


def bench(runs: int, part: str = "all") -> dict:
    authority = make_authority()
    result: dict = {"runs": runs, "faces": {}}
    with tempfile.TemporaryDirectory() as tmp, running_pcscd(Path(tmp)) as site:
        if part in ("all", "copy"):
            result["copy"] = _copy_checks(site, authority, runs)
        if part in ("all", "access"):
            result["access"] = _access_control(site, authority, runs)
        if part not in ("all", "faces"):
            return result
        for label, size in (("5 KB face", 5_000), ("15 KB face", 15_000)):
            passport = make_passport(authority, face=face_jpeg(size=size), active_auth=True)
            h = passport.holder
            key = AccessKey(h.document_number, h.birth_date, h.expiry_date)
            site.insert(passport.files, h.mrz(), aa_key=passport.aa_key)
            per_step: dict[str, list[float]] = {s: [] for s in (*STEPS, "total")}
            for _ in range(runs):
                start = time.perf_counter()
                read = read_passport(
                    key, [authority.csca], lambda t: parse(t).to_id_reading(), site.READER
                )
                per_step["total"].append((time.perf_counter() - start) * 1000)
                assert read.reading.status is ChipStatus.VERIFIED, read.reading.detail
                for step in STEPS:
                    per_step[step].append(read.timings[step] * 1000)
            site.clear()
            result["faces"][label] = {
                "dg2_bytes": len(passport.files[0x0102]),
                "face_bytes": len(passport.face),
                **{step: summary(ms) for step, ms in per_step.items()},
            }
    return result


COPY_CHECKS = {
    "none": {},
    "Chip Authentication, 3DES": {"chip_auth": "3DES"},
    "Chip Authentication, AES-128": {"chip_auth": "AES-128"},
    "Chip Authentication, DH 1024, AES-128": {"chip_auth": "DH-AES-128"},
    "Active Authentication, ECDSA P-256": {"active_auth": True},
    "Active Authentication, RSA 1024": {"rsa_aa": True},
}


def _copy_checks(site, authority, runs: int) -> dict:
    """A passport with a 5 KB face opened by BAC, with each proof of no copy and none."""
    return {
        label: _timed_reads(site, authority, make_passport(authority, **kw), runs)
        for label, kw in COPY_CHECKS.items()
    }


def _timed_reads(site, authority, passport, runs: int) -> dict:
    """Each step's times over `runs` reads of `passport`, which must verify."""
    h = passport.holder
    key = AccessKey(h.document_number, h.birth_date, h.expiry_date)
    site.insert(passport.files, h.mrz(), aa_key=passport.aa_key, ca_key=passport.ca_key)
    per_step: dict[str, list[float]] = {}
    for _ in range(runs):
        start = time.perf_counter()
        read = read_passport(key, [authority.csca], lambda t: parse(t).to_id_reading(), site.READER)
        elapsed = (time.perf_counter() - start) * 1000
        assert read.reading.status is ChipStatus.VERIFIED, read.reading.detail
        assert False not in (read.reading.chip_auth, read.reading.active_auth)
        for step, seconds in read.timings.items():
            per_step.setdefault(step, []).append(seconds * 1000)
        per_step.setdefault("total", []).append(elapsed)
    site.clear()
    return {step: summary(ms) for step, ms in per_step.items()}


def _access_control(site, authority, runs: int) -> dict:
    """A passport with a 5 KB face and no Active Authentication, opened by BAC (no
    EF.CardAccess), by PACE with the MRZ and by PACE with the CAN: each step's times."""
    out: dict = {}
    for label, pace, use_can in (("BAC", False, False), ("PACE (MRZ)", True, False),
                                 ("PACE (CAN)", True, True)):  # fmt: skip
        passport = make_passport(authority, pace=pace)
        h = passport.holder
        key = (
            Can("123456") if use_can else AccessKey(h.document_number, h.birth_date, h.expiry_date)
        )
        site.insert(passport.files, h.mrz(), can="123456")
        per_step: dict[str, list[float]] = {}
        for _ in range(runs):
            start = time.perf_counter()
            read = read_passport(
                key, [authority.csca], lambda t: parse(t).to_id_reading(), site.READER
            )
            elapsed = (time.perf_counter() - start) * 1000
            assert read.reading.status is ChipStatus.VERIFIED, read.reading.detail
            assert read.access == label.split()[0]
            for step, seconds in read.timings.items():
                per_step.setdefault(step, []).append(seconds * 1000)
            per_step.setdefault("total", []).append(elapsed)
        site.clear()
        out[label] = {step: summary(ms) for step, ms in per_step.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--part", choices=("all", "faces", "access", "copy"), default="all")
    args = parser.parse_args()
    result = bench(args.runs, args.part)
    for label, steps in result["faces"].items():
        print(f"{label} (DG2 {steps['dg2_bytes']} bytes)")
        for step in (*STEPS, "total"):
            s = steps[step]
            print(f"  {step:<24} {s['median_ms']:8.1f} ms  [{s['p5_ms']:.1f}–{s['p95_ms']:.1f}]")
    for label, steps in (*result.get("access", {}).items(), *result.get("copy", {}).items()):
        print(label)
        for step, s in steps.items():
            print(f"  {step:<24} {s['median_ms']:8.1f} ms  [{s['p5_ms']:.1f}–{s['p95_ms']:.1f}]")
    print(write_result("chip_read" if args.part == "all" else f"chip_read_{args.part}", result))
    if result["faces"]:
        print(json.dumps({k: v["total"]["median_ms"] for k, v in result["faces"].items()}))


if __name__ == "__main__":
    main()
