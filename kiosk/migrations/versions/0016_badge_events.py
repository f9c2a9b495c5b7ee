"""badge_events: a handed-over badge reported lost, stolen, damaged, found or returned

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "badge_events",
        sa.Column("kiosk_id", sa.String(20), primary_key=True),
        sa.Column("journal_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("serial", sa.String(24), nullable=False),
        sa.Column("accreditation_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(12), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_badge_events_serial", "badge_events", ["serial"])
    op.create_index("ix_badge_events_accreditation_id", "badge_events", ["accreditation_id"])


def downgrade() -> None:
    op.drop_table("badge_events")
