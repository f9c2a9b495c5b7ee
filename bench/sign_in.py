"""Signing in: a PIN checked against its scrypt hash, the attempt counted and journalled.

Beside a baseline in the same process: the bare `hashlib.scrypt` call with the same
parameters, which is the cost chosen on purpose (guessing PINs of a stolen store must be
slow). The difference is what the store adds (two transactions and a journal entry).
From the bare cost per guess: what guessing every PIN of a stolen store's hash costs
offline on this machine's cores, for 4-digit (clerk, security) and 6-digit (supervisor,
administrator) PINs.

    .venv/bin/python bench/sign_in.py [--runs 30]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_NOW, summary, timed, write_result

from kiosk.roles import SCRYPT, Role
from kiosk.staff import FREE_TRIES, SignInRefused, StaffBook
from kiosk.store.database import Store


def main() -> None:
    """Time right, wrong and unknown sign-ins against bare scrypt; print medians."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.in_dir(Path(tmp))
        clock = iter(BENCH_NOW + timedelta(minutes=i) for i in range(10**6))
        staff = StaffBook(store, lambda: next(clock), "B1")  # a minute apart: never paced
        staff.add("Ann", Role.CLERK, "482913")

        def refused(name: str, pin: str) -> None:
            try:
                staff.sign_in(name, pin)
            except SignInRefused:
                return
            raise AssertionError("a wrong PIN was accepted")

        runs = [()] * args.runs
        n, r, p = SCRYPT
        memory = 129 * r * n * p + 2**20
        baseline = timed(
            lambda: hashlib.scrypt(b"482913", salt=b"0" * 16, n=n, r=r, p=p, maxmem=memory), runs
        )
        right = timed(lambda: staff.sign_in("Ann", "482913"), runs)
        # A name waits after FREE_TRIES wrong PINs: measure those, sign in right to reset.
        wrong: list[float] = []
        while len(wrong) < args.runs:
            wrong += timed(lambda: refused("Ann", "000000"), [()] * FREE_TRIES)
            staff.sign_in("Ann", "482913")
        unknown = timed(lambda: refused("Nobody", "482913"), runs)
        store.close()
    result = {
        "sign_in_right_pin": summary(right),
        "sign_in_wrong_pin": summary(wrong[: args.runs]),
        "sign_in_unknown_name": summary(unknown),
        "baseline_bare_scrypt": summary(baseline),
    }
    guess_s, cores = result["baseline_bare_scrypt"]["median_ms"] / 1000, os.cpu_count() or 1
    result["offline_guessing"] = {
        "scrypt": {"n": n, "r": r, "p": p},
        "seconds_per_guess_one_core": round(guess_s, 4),
        "cores": cores,
        "hours_all_4_digit_pins": round(10**4 * guess_s / cores / 3600, 2),
        "hours_all_6_digit_pins": round(10**6 * guess_s / cores / 3600, 1),
    }
    write_result("sign_in", result)
    offline = result.pop("offline_guessing")
    for name, s in result.items():
        print(f"{name:<24} median {s['median_ms']:6.1f} ms  p95 {s['p95_ms']:6.1f} ms")
    print(
        f"offline, all PINs on {offline['cores']} cores: 4 digits "
        f"{offline['hours_all_4_digit_pins']} h, 6 digits {offline['hours_all_6_digit_pins']} h"
    )


if __name__ == "__main__":
    main()
