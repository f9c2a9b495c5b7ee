"""Helpers shared by the benchmarks: timing, summaries, results files, scaled stores."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert

from app.demo.build import accreditation_row, insert_static, person_row
from app.demo.population import bulk_entries
from kiosk import documents
from kiosk.codes import Signer, confirmation_code
from kiosk.model import BRUSSELS
from kiosk.store.database import Store
from kiosk.store.schema import AccreditationRow, PersonRow, PhotoRow
from printing.sample_photo import portrait

RESULTS = Path(__file__).parent / "results"
BENCH_DAY = date(2026, 2, 14)
BENCH_NOW = datetime(2026, 2, 14, 10, tzinfo=BRUSSELS)
SCALE_ROOT = Path("/tmp/kiosk-bench")


def timed(fn: Callable, args_list: Iterable[tuple]) -> list[float]:
    """Milliseconds per call of fn(*args) for each args."""
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    """Median with the 5th and 95th percentiles."""
    q = statistics.quantiles(ms, n=20) if len(ms) > 1 else [ms[0]] * 19
    return {"median_ms": statistics.median(ms), "p5_ms": q[0], "p95_ms": q[-1], "n": len(ms)}


def write_result(name: str, result: dict) -> Path:
    """Write bench/results/NAME.json."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(result, indent=1))
    return out


def scaled_store(n: int) -> tuple[Path, Signer]:
    """A store of `n` generated accreditations (built once, then reused), and its office key.

    Faster than `kiosk demo`: no letters, and every person shares one small photo
    (the lookups read the photo's first bytes only, so its size does not matter).
    """
    data_dir = SCALE_ROOT / str(n)
    key_file = data_dir / "office.key"
    done = data_dir / "complete"
    if done.exists():
        return data_dir, Signer.from_private_bytes(1, key_file.read_bytes())
    data_dir.mkdir(parents=True, exist_ok=True)
    for f in data_dir.glob("kiosk.sqlite3*"):
        f.unlink()
    signer = Signer.generate(1)
    key_file.write_bytes(signer.private_bytes())
    store = Store.in_dir(data_dir)
    jpeg = portrait(1)
    key = documents.ensure_key(data_dir)
    with store.writing() as s:
        insert_static(s, signer, BENCH_DAY, {}, key)
    batch: list = []
    for e in bulk_entries(n, 1, 1, BENCH_DAY):
        batch.append(e)
        if len(batch) == 20_000:
            _insert(store, batch, jpeg, key)
            batch = []
    if batch:
        _insert(store, batch, jpeg, key)
    store.close()
    done.touch()
    return data_dir, signer


def _insert(store: Store, entries: list, jpeg: bytes, key: bytes) -> None:
    with store.writing() as s:
        s.execute(insert(PersonRow), [person_row(e) for e in entries])
        s.execute(insert(PhotoRow), [{"person_id": e.person.id, "jpeg": jpeg} for e in entries])
        s.execute(insert(AccreditationRow), [accreditation_row(e, {}, key) for e in entries])


def codes_for(signer: Signer, ids: Iterable[int]) -> list[str]:
    """Confirmation codes for the given accreditation ids."""
    return [confirmation_code(signer, i) for i in ids]
