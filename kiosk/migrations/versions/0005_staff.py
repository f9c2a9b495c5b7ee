"""staff: who may sign in at the kiosk, with a role and a scrypt hash of the PIN

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import kiosk.store.schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("name", sa.String(length=80, collation="NOCASE"), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", kiosk.store.schema.AwareDateTime(), nullable=True),
        sa.Column("created_at", kiosk.store.schema.AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("staff")
