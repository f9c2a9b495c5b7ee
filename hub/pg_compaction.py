"""The hub's PostgreSQL tables compacted after a purge, so nothing purged stays on disk.

`VACUUM FULL` rewrites a table but copies the old row versions that a transaction still
open may read: one begun before the purge committed (a snapshot taken earlier, or a
transaction older than the purge still running, which every newer snapshot waits on).
It never says so. The purge therefore marks its compaction owed in its own transaction
(`hub_meta` row `OWED`, holding the purge's transaction id), and the compaction waits
until no such transaction is left (`OLDER`) before it rewrites the tables; past its
patience the mark stays and the next purge or `kiosk-hub serve` start does it.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hub.database import HubDatabase
from hub.schema import MetaRow

OWED = "purge_compaction_owed"  # hub_meta key; its value: the purge's xid8
POLL = 0.1  # seconds between two looks at the other transactions
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out

# Whether a transaction that may still see rows as they were before transaction :xid
# committed is open: any transaction running that began before it (the oldest running
# one bounds every snapshot, VACUUM FULL's own included), or another backend of this
# database holding a snapshot or a transaction id from then. Autovacuum is left out: its
# own xmin does not hold VACUUM back, and it gives way to VACUUM FULL's lock.
OLDER = text(
    """
    SELECT pg_snapshot_xmin(pg_current_snapshot()) <= CAST(:xid AS xid8)
        OR EXISTS (
            SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND backend_type <> 'autovacuum worker'
              AND greatest(age(backend_xmin), age(backend_xid))
                  >= age(CAST(CAST(:xid AS xid8) AS xid)))
    """
)


def mark_owed(s: Session) -> None:
    """In the purge's transaction: its compaction is owed until done (atomic with it, so
    a hub stopped before compacting still owes it)."""
    xid = s.scalar(text("SELECT CAST(pg_current_xact_id() AS text)"))
    mark = insert(MetaRow).values(key=OWED, value=xid)  # another purge's mark: ours now
    s.execute(mark.on_conflict_do_update(index_elements=[MetaRow.key], set_={"value": xid}))


def owed(db: HubDatabase) -> str | None:
    """The transaction id of the purge whose compaction is owed, or None."""
    with db.reading() as s:
        row = s.get(MetaRow, OWED)
        return row.value if row else None


def compact(db: HubDatabase, tables: tuple[str, ...], patience: float) -> bool:
    """Wait up to `patience` seconds for the transactions older than the owed purge, then
    `VACUUM FULL` `tables` (waiting for their locks within the same bound) and clear the
    mark; False, the mark kept, when the time ran out."""
    xid = owed(db)
    deadline = time.monotonic() + patience
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while xid is not None and conn.execute(OLDER, {"xid": xid}).scalar():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)  # polling PostgreSQL's view: it has no event to wait on
        left = max(1, int((deadline - time.monotonic()) * 1000))  # 0 would mean forever
        conn.exec_driver_sql(f"SET lock_timeout = {left}")
        try:
            conn.exec_driver_sql(f"VACUUM FULL {', '.join(tables)}")
        except OperationalError as err:
            if getattr(err.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            return False
        conn.exec_driver_sql("RESET lock_timeout")
        if xid is not None:  # a purge since then owes its own
            conn.execute(delete(MetaRow).where(MetaRow.key == OWED, MetaRow.value == xid))
    return True
