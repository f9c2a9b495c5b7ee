"""Name search when a surname has many letters with two MRZ renderings (issue 13).

A surname of forty Ü has 2**40 renderings (UE or U each); listing them, as the name
index did before, would never end. On a copy of a store of generated accreditations with
such a person added, the median time of a name search that finds them in several
renderings, beside a baseline in the same process: a search for an ordinary surname in
the same store. Also the index build with that person on file, and what listing the
renderings costs for 10 to 16 such letters (it doubles with each: the reason for the
automaton). Writes bench/results/wide_names.json.

    .venv/bin/python bench/wide_names.py [--size 100000] [--samples 50]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import scaled_store, summary, timed, write_result
from sqlalchemy import insert, select

from kiosk.names import name_variants
from kiosk.search import name_index, search
from kiosk.store.database import Store
from kiosk.store.schema import AccreditationRow, PersonRow

WIDE = "Ü" * 40
LIMIT_MS = 50.0
QUERIES = {
    "recommended_rendering": "ue" * 40,
    "mixed_rendering_and_given_name": "u" * 25 + "ue" * 15 + " anna",
    "start_of_a_mixed_rendering": "ueuueu",
    "typed_without_accents": "u" * 40,
}


def _add_wide_person(store: Store) -> int:
    """A person with the wide surname and one accreditation like accreditation 1."""
    with store.writing() as s:
        pid = (s.scalar(select(PersonRow.id).order_by(PersonRow.id.desc()).limit(1)) or 0) + 1
        acc_id = (
            s.scalar(select(AccreditationRow.id).order_by(AccreditationRow.id.desc())) or 0
        ) + 1
        template = s.get(AccreditationRow, 1)
        s.execute(
            insert(PersonRow).values(
                id=pid,
                surname=WIDE,
                given_names="Anna",
                date_of_birth=date(1980, 1, 2),
                nationality="DEU",
                email=f"wide{pid}@example.org",
                organisation="",
                media_kind="tv",
            )
        )
        columns = {
            c.name: getattr(template, c.key)
            for c in AccreditationRow.__table__.columns
            if c.name not in ("id", "person_id")
        }
        s.execute(insert(AccreditationRow).values(id=acc_id, person_id=pid, **columns))
    return acc_id


def _enumeration_ms() -> dict[str, float]:
    """What listing every rendering costs, for n letters with two renderings."""
    out = {}
    for n in (10, 12, 14, 16):
        t = time.perf_counter()
        name_variants("Ü" * n)
        out[str(n)] = (time.perf_counter() - t) * 1000
    return out


def measure(size: int, samples: int) -> dict:
    """Timings on a copy of a store of `size` generated accreditations plus the wide name."""
    source, _signer = scaled_store(size)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(source, data_dir)
        store = Store.in_dir(data_dir)
        try:
            acc_id = _add_wide_person(store)
            t = time.perf_counter()
            name_index(store).refresh()
            build_ms = (time.perf_counter() - t) * 1000
            with store.reading() as s:
                ordinary = s.get(PersonRow, s.get(AccreditationRow, 1).person_id).surname
            baseline = timed(lambda q: search(store, q), [(ordinary,)] * samples)
            result: dict = {
                "accreditations": size + 1,
                "wide_surname": f"Ü x {len(WIDE)}",
                "baseline_ordinary_surname_search": summary(baseline),
                "name_index_build_ms": build_ms,
                "queries": {},
            }
            for kind, query in QUERIES.items():
                found = [f.accreditation_id for f in search(store, query)]
                ms = timed(lambda q: search(store, q), [(query,)] * samples)
                result["queries"][kind] = {**summary(ms), "found": acc_id in found}
            worst = max(q["median_ms"] for q in result["queries"].values())
            result["worst_median_ms"] = worst
            result["under_limit"] = worst < LIMIT_MS and all(
                q["found"] for q in result["queries"].values()
            )
            result["ratio_to_baseline"] = worst / summary(baseline)["median_ms"]
            result["enumeration_ms_by_letters"] = _enumeration_ms()
            return result
        finally:
            store.close()


def main() -> int:
    """Measure, write bench/results/wide_names.json; non-zero if over LIMIT_MS or not found."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--samples", type=int, default=50)
    args = ap.parse_args()
    result = measure(args.size, args.samples)
    out = write_result("wide_names", result)
    base = result["baseline_ordinary_surname_search"]["median_ms"]
    build = result["name_index_build_ms"]
    print(f"{result['accreditations']} accreditations, index built in {build:.0f} ms")
    print(f"{'ordinary surname (baseline)':<32} median {base:.2f} ms")
    for kind, figures in result["queries"].items():
        print(f"{kind:<32} median {figures['median_ms']:.2f} ms  found {figures['found']}")
    listing = ", ".join(
        f"{n}: {ms:.0f} ms" for n, ms in result["enumeration_ms_by_letters"].items()
    )
    print(f"listing renderings by letters   {listing}")
    print(out)
    return 0 if result["under_limit"] else 1


if __name__ == "__main__":
    sys.exit(main())
