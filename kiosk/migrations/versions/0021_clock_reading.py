"""sync_state.clock_low_ms, clock_high_ms, clock_measured_at: the latest measurement of
the kiosk's clock against the hub's (kiosk/clock_check.py, sync/client.py)

Empty until the next feed page fetched online: a kiosk upgraded offline shows no clock
warning until it reaches its hub.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("clock_low_ms", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("clock_high_ms", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("clock_measured_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("clock_measured_at")
        batch.drop_column("clock_high_ms")
        batch.drop_column("clock_low_ms")
