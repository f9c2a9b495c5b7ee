"""sync_conflicts.settled_at, settlement, settle_note: how the office settled a conflict
(the hub's web console, hub/settle.py), received with the feed.

A store holding conflicts pulls the whole feed again (cursor 0), so the settlements
made before this kiosk understood them arrive too.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from kiosk.store.schema import AwareDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_conflicts", sa.Column("settled_at", AwareDateTime, nullable=True))
    op.add_column("sync_conflicts", sa.Column("settlement", sa.String(20), nullable=True))
    op.add_column("sync_conflicts", sa.Column("settle_note", sa.Text, nullable=True))
    op.execute("UPDATE sync_state SET cursor = 0 WHERE EXISTS (SELECT 1 FROM sync_conflicts)")


def downgrade() -> None:
    for column in ("settle_note", "settlement", "settled_at"):
        op.execute(f"ALTER TABLE sync_conflicts DROP COLUMN {column}")
