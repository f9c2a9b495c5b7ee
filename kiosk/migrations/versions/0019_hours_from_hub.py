"""counter_hours.hub_id, counter_closures.hub_id: hours and closures the office set at the
hub (sync/hours_apply.py writes them; kiosk/hours.py refuses local changes once enrolled)

No cursor reset: the hub sends them only in the newer protocol's pages, which a kiosk not
upgraded refuses, so its cursor stays before them.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("counter_hours", "counter_closures"):
        op.add_column(table, sa.Column("hub_id", sa.Integer(), nullable=True))
        op.create_index(f"ix_{table}_hub_id", table, ["hub_id"], unique=True)


def downgrade() -> None:
    for table in ("counter_hours", "counter_closures"):
        op.drop_index(f"ix_{table}_hub_id", table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN hub_id")
