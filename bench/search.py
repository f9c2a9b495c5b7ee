"""Search at the counter (`kiosk.search.search`) on a store of 100,000 accreditations.

Per kind of query (part of a surname, given name and surname in either order, an
accented name typed without accents, a registration number, an e-mail, an ID document
number), the median time of one search, beside a baseline in the same process: a bare
SQLite primary-key lookup of an accreditation. Also: building the name index (once per
store, and again after the people change), and the alternative the index replaces, a
registered SQLite function folding every name in a full scan. The index is built again
after sync brought changes (`name_index_refresh_ms`: names seen before are not folded
again).

    .venv/bin/python bench/search.py [--size 100000] [--samples 200]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DAY, scaled_store, summary, timed, write_result

from app.demo.population import bulk_entries
from kiosk.search import fold, name_index, search
from kiosk.store.database import Store


def _queries(db: sqlite3.Connection, size: int, samples: int) -> dict[str, list[str]]:
    """Queries a clerk would type, made from people and accreditations on file (document
    numbers from the generator that made them: the store keeps only their digests)."""
    picks = random.Random(7).sample(range(1, size + 1), samples)
    numbers = {
        e.accreditation.id: e.accreditation.id_document.number
        for e in bulk_entries(size, 1, 1, BENCH_DAY)
    }
    rows = [
        (
            *db.execute(
                "select a.id, p.surname, p.given_names, p.email from accreditations a"
                " join people p on p.id = a.person_id where a.id = ?",
                (i,),
            ).fetchone(),
            numbers[i],
        )
        for i in picks
    ]
    return {
        "surname_start": [fold(r[1])[:4] for r in rows],
        "given_and_surname": [f"{r[2].split()[0]} {r[1]}" for r in rows],
        "surname_and_given_start": [f"{fold(r[1])} {fold(r[2])[:3]}" for r in rows],
        "accented_typed_plain": [fold(f"{r[1]} {r[2]}") for r in rows],
        "registration": [f"A{r[0]:07d}" for r in rows],
        "email": [r[3] for r in rows],
        "document_number": [r[4] for r in rows],
    }


def measure(size: int, samples: int) -> dict:
    """Search timings on a store of `size` generated accreditations."""
    data_dir, _signer = scaled_store(size)
    store = Store.in_dir(data_dir)  # brings an older benchmark store's schema up to date
    db = sqlite3.connect(data_dir / "kiosk.sqlite3")
    try:
        queries = _queries(db, size, samples)
        index = name_index(store)
        t = time.perf_counter()
        index.refresh()
        build_ms = (time.perf_counter() - t) * 1000
        index.invalidate()  # as after a sync round: names already folded are reused
        t = time.perf_counter()
        index.refresh()
        refresh_ms = (time.perf_counter() - t) * 1000
        lookups = [(i,) for i in random.Random(3).sample(range(1, size + 1), samples)]
        pk = "select * from accreditations where id = ?"
        baseline = timed(lambda i: db.execute(pk, (i,)).fetchall(), lookups)
        result: dict = {
            "accreditations": size,
            "baseline_sqlite_pk_lookup": summary(baseline),
            "name_index_build_ms": build_ms,
            "name_index_refresh_ms": refresh_ms,
            "queries": {},
        }
        every: list[float] = []
        for kind, texts in queries.items():
            search(store, texts[0])  # warm
            ms = timed(lambda q: search(store, q), [(q,) for q in texts])
            hits = [bool(search(store, q)) for q in texts[:20]]
            result["queries"][kind] = {**summary(ms), "found_in_first_20": sum(hits)}
            every += ms
        result["all_queries"] = summary(every)
        result["ratio_to_baseline"] = (
            result["all_queries"]["median_ms"] / result["baseline_sqlite_pk_lookup"]["median_ms"]
        )
        result["alternative_full_scan_fold"] = _full_scan(db, queries["surname_start"][:10])
        return result
    finally:
        store.close()
        db.close()


def _full_scan(db: sqlite3.Connection, texts: list[str]) -> dict:
    """What the index saves: SQLite calling a Python fold on every name of the file."""
    db.create_function("fold", 1, fold, deterministic=True)
    sql = "select id from people where instr(fold(surname || ' ' || given_names), ?) > 0"
    return summary(timed(lambda q: db.execute(sql, (q,)).fetchall(), [(q,) for q in texts]))


def main() -> None:
    """Measure and write bench/results/search.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--samples", type=int, default=200)
    args = ap.parse_args()
    result = measure(args.size, args.samples)
    out = write_result("search", result)
    print(
        f"index built in {result['name_index_build_ms']:.0f} ms, "
        f"refreshed in {result['name_index_refresh_ms']:.0f} ms"
    )
    for kind, figures in result["queries"].items():
        print(f"{kind:<26} median {figures['median_ms']:.2f} ms  p95 {figures['p95_ms']:.2f} ms")
    base = result["baseline_sqlite_pk_lookup"]["median_ms"]
    scan = result["alternative_full_scan_fold"]["median_ms"]
    print(f"baseline PK lookup         median {base:.3f} ms")
    print(f"full-scan fold (no index)  median {scan:.0f} ms")
    print(out)


if __name__ == "__main__":
    main()
