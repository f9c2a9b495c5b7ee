"""reinstatements: superseded badges the office made valid again, as the feed sends them.

No cursor reset: there were none before the hub could send them, and a kiosk that has
not been upgraded refuses the newer protocol's pages, so its cursor stays before them.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reinstatements",
        sa.Column("serial", sa.String(24), primary_key=True),
        sa.Column("cancels", sa.String(24), primary_key=True),
        sa.Column("accreditation_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reinstatements")
