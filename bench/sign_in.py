"""Signing in: a PIN checked against its scrypt hash, the attempt counted and journalled.

Beside a baseline in the same process: the bare `hashlib.scrypt` call with the same
parameters, which is the cost chosen on purpose (guessing PINs of a stolen store must be
slow). The difference is what the store adds (two transactions and a journal entry).

    .venv/bin/python bench/sign_in.py [--runs 30]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_NOW, summary, timed, write_result

from kiosk.roles import Role
from kiosk.staff import SignInRefused, StaffBook
from kiosk.store.database import Store


def main() -> None:
    """Time right, wrong and unknown sign-ins against bare scrypt; print medians."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.in_dir(Path(tmp))
        staff = StaffBook(store, lambda: BENCH_NOW, "B1")
        staff.add("Ann", Role.CLERK, "482913")

        def refused(name: str, pin: str) -> None:
            try:
                staff.sign_in(name, pin)
            except SignInRefused:
                return
            raise AssertionError("a wrong PIN was accepted")

        runs = [()] * args.runs
        baseline = timed(lambda: hashlib.scrypt(b"482913", salt=b"0" * 16, n=2**14, r=8, p=1), runs)
        right = timed(lambda: staff.sign_in("Ann", "482913"), runs)
        # Wrong PINs lock the name after 5: measure 4, then sign in right to reset, again.
        wrong: list[float] = []
        while len(wrong) < args.runs:
            wrong += timed(lambda: refused("Ann", "000000"), [()] * 4)
            staff.sign_in("Ann", "482913")
        unknown = timed(lambda: refused("Nobody", "482913"), runs)
        store.close()
    result = {
        "sign_in_right_pin": summary(right),
        "sign_in_wrong_pin": summary(wrong[: args.runs]),
        "sign_in_unknown_name": summary(unknown),
        "baseline_bare_scrypt": summary(baseline),
    }
    write_result("sign_in", result)
    for name, s in result.items():
        print(f"{name:<24} median {s['median_ms']:6.1f} ms  p95 {s['p95_ms']:6.1f} ms")


if __name__ == "__main__":
    main()
