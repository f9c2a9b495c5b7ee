"""For test runs only: the engines of a test process share one cache of compiled SQL.

SQLAlchemy keeps the statements it compiled in a cache per engine, keyed by that
engine's own dialect object, so each new store or hub database compiled every statement
again: 13 of the 32 ms of opening a kiosk, 20 of the 30 ms of a hub's first page
(docs/testing.md). A kiosk runs one store for its life; a test process opens about a
thousand. Here every engine's cache is one cache keyed by the dialect's kind and the
server's version instead: the same SQL for every engine on the same SQLite, or the same
PostgreSQL, version. Every engine of this code is made with the dialects'
defaults (kiosk/store/database.py, hub/database.py), so nothing else shapes the
compiled statement. tests/conftest.py installs it.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.util import LRUCache

SIZE = 4000  # kiosk and hub statements on both databases; an engine's own default is 500


class SharedCompiledCache:
    """The mapping SQLAlchemy reads and writes (`get`, item assignment, `clear`), with
    the dialect object of each key replaced by its kind and server version."""

    def __init__(self, size: int = SIZE) -> None:
        self._cache = LRUCache(size)

    @staticmethod
    def _key(key: tuple) -> tuple:
        dialect = key[0]
        return (type(dialect), dialect.server_version_info, *key[1:])

    def get(self, key: tuple, default=None):
        return self._cache.get(self._key(key), default)

    def __setitem__(self, key: tuple, value) -> None:
        self._cache[self._key(key)] = value

    def __len__(self) -> int:
        return len(self._cache)

    def clear(self) -> None:
        self._cache.clear()


SHARED = SharedCompiledCache()
_engine_init = Engine.__init__


def _init(self: Engine, *args, **kw) -> None:
    _engine_init(self, *args, **kw)
    if self._compiled_cache is not None:  # an engine made with query_cache_size=0 keeps none
        self._compiled_cache = SHARED


def install() -> None:
    """Have every engine made from now on in this process use the shared cache (the ORM's
    writes keep a cache per mapper: sharing it too changed nothing measurable)."""
    Engine.__init__ = _init
