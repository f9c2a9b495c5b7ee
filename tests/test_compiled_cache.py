"""The test processes' shared cache of compiled SQL (tests/compiled_cache.py): a second
engine takes the first one's compiled statements, gets its own rows, and a statement
compiled for one kind of database is never handed to another."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from tests.compiled_cache import SHARED, SharedCompiledCache

PEOPLE = Table(
    "people", MetaData(), Column("id", Integer, primary_key=True), Column("name", String)
)


def engine_holding(path, name: str):
    engine = create_engine(f"sqlite:///{path}")
    PEOPLE.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(PEOPLE), {"id": 1, "name": name})
    return engine


def test_a_second_engine_takes_the_compiled_statement_and_reads_its_own_rows(tmp_path):
    first, second = (
        engine_holding(tmp_path / "a.db", "Ana"),
        engine_holding(tmp_path / "b.db", "Bo"),
    )
    assert first._compiled_cache is SHARED and second._compiled_cache is SHARED
    query = select(PEOPLE.c.name).where(PEOPLE.c.id == 1)
    try:
        with first.connect() as conn:
            assert conn.execute(query).scalar_one() == "Ana"
        with second.connect() as conn:
            result = conn.execute(query)
            assert result.context.cache_hit == second.dialect.CACHE_HIT
            assert result.scalar_one() == "Bo"
    finally:
        first.dispose()
        second.dispose()


def test_sqlite_and_postgresql_never_share_a_statement():
    cache = SharedCompiledCache(10)
    on_sqlite, on_postgresql = sqlite.dialect(), postgresql.dialect()
    cache[(on_sqlite, "the same statement", (), False, False)] = "compiled for SQLite"
    assert cache.get((on_postgresql, "the same statement", (), False, False)) is None
    assert cache.get((sqlite.dialect(), "the same statement", (), False, False)) == (
        "compiled for SQLite"
    )


def test_another_server_version_compiles_again():
    cache, older, newer = SharedCompiledCache(10), sqlite.dialect(), sqlite.dialect()
    older.server_version_info, newer.server_version_info = (3, 30, 0), (3, 45, 1)
    cache[(older, "statement", (), False, False)] = "for 3.30"
    assert cache.get((newer, "statement", (), False, False)) is None
    assert len(cache) == 1
