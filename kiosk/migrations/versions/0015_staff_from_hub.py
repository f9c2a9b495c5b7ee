"""staff.from_hub: an account the office made at the hub and the feed keeps up to date
(kiosk/staff.py refuses to change it here; sync/staff_apply.py writes it)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "staff", sa.Column("from_hub", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.execute("ALTER TABLE staff DROP COLUMN from_hub")
