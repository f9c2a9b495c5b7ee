"""csca: the CSCA certificates of the hub's trust list, as the feed sends them.

No cursor reset: the hub gives its CSCA rows change numbers after it was upgraded, and
a kiosk that has not been upgraded refuses the newer protocol's pages, so its cursor
stays before them until it can take them.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "csca",
        sa.Column("fingerprint", sa.String(length=64), primary_key=True),
        sa.Column("der", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("csca")
